//! One finished message of the transcript.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::markdown_view::MarkdownView;
use crate::openrouter::types::{Role, Usage};
use crate::state::{Ending, Message};

/// What the user can do with a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageAction {
    /// Copy its text.
    Copy(u64),
    /// Generate the last reply again.
    Regenerate,
    /// Edit the last message and send it again.
    Edit,
}

/// A finished message: its text alone in the `data-role` element, and the
/// details (reasoning, tokens, cost, how it ended) and actions beside it.
#[component]
pub fn MessageView(
    /// The message.
    message: Arc<Message>,
    /// True for the last reply (offers Regenerate) or the last user message (offers Edit).
    #[prop(into)]
    last: Signal<bool>,
    /// True while a reply streams: actions that start a request wait.
    #[prop(into)]
    busy: Signal<bool>,
    /// Called with what the user chose.
    on_action: Callback<MessageAction>,
) -> impl IntoView {
    let role = message.role.as_str();
    let id = message.id;
    let ending = match &message.ending {
        Ending::Complete => None,
        Ending::Length => Some("Stopped at the Max tokens limit.".to_owned()),
        Ending::Stopped => Some("Stopped.".to_owned()),
        Ending::Failed(why) => Some(format!("Cut off: {why}")),
    };
    let usage = message.usage.map(|u| usage_text(&u));
    let model = (message.role == Role::Assistant)
        .then(|| message.model.clone())
        .flatten();
    let body = match message.role {
        Role::Assistant => view! { <MarkdownView text=message.text.clone()/> }.into_any(),
        _ => message.text.clone().into_any(),
    };
    let message_role = message.role;
    let follow_up = move || {
        last.get().then(|| match message_role {
            Role::Assistant => view! {
                <button type="button" disabled=move || busy.get() on:click=move |_| on_action.run(MessageAction::Regenerate)>
                    "Regenerate"
                </button>
            }
            .into_any(),
            _ => view! {
                <button type="button" disabled=move || busy.get() on:click=move |_| on_action.run(MessageAction::Edit)>
                    "Edit"
                </button>
            }
            .into_any(),
        })
    };
    view! {
        <li class="message" data-from=role data-id=id.to_string()>
            {(!message.reasoning.is_empty()).then(|| view! {
                <details class="reasoning">
                    <summary>"Reasoning"</summary>
                    <p>{message.reasoning.clone()}</p>
                </details>
            })}
            <div class="message-body" data-role=role>{body}</div>
            <div class="message-meta">
                {ending.map(|e| view! { <span class="ending">{e}</span> })}
                {model.map(|m| view! { <span class="model-name">{m}</span> })}
                {usage.map(|u| view! { <span class="usage">{u}</span> })}
                <span class="message-actions">
                    <button type="button" on:click=move |_| on_action.run(MessageAction::Copy(id))>"Copy"</button>
                    {follow_up}
                </span>
            </div>
        </li>
    }
}

/// "14 tokens · $0.000093"
pub fn usage_text(usage: &Usage) -> String {
    let tokens = usage.total_tokens.map(|t| format!("{t} tokens"));
    let cost = usage.cost.map(format_cost);
    [tokens, cost]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A cost in USD with enough digits to be meaningful for tiny amounts.
pub fn format_cost(cost: f64) -> String {
    if cost == 0.0 {
        "$0".to_owned()
    } else if cost < 0.01 {
        format!("${cost:.6}")
    } else {
        format!("${cost:.4}")
    }
}
