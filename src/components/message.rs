//! One finished message of the transcript.

use leptos::prelude::*;

use crate::state::{Ending, Message};

/// A finished message: its text in the `data-role` element, and details
/// (reasoning, tokens, cost, how it ended) beside it, never inside.
#[component]
pub fn MessageView(
    /// The message.
    message: Message,
) -> impl IntoView {
    let role = message.role.as_str();
    let ending = match &message.ending {
        Ending::Complete => None,
        Ending::Length => Some("Stopped at the Max tokens limit.".to_owned()),
        Ending::Stopped => Some("Stopped.".to_owned()),
        Ending::Failed(why) => Some(format!("Cut off: {why}")),
    };
    let usage = message.usage.map(|u| usage_text(&u));
    view! {
        <li class="message" data-from=role>
            {(!message.reasoning.is_empty()).then(|| view! {
                <details class="reasoning">
                    <summary>"Reasoning"</summary>
                    <p>{message.reasoning.clone()}</p>
                </details>
            })}
            <div class="message-body" data-role=role>{message.text}</div>
            {(ending.is_some() || usage.is_some()).then(|| view! {
                <p class="message-meta">
                    {ending.map(|e| view! { <span class="ending">{e}</span> })}
                    {usage.map(|u| view! { <span class="usage">{u}</span> })}
                </p>
            })}
        </li>
    }
}

/// "14 tokens · $0.000093"
pub fn usage_text(usage: &crate::openrouter::types::Usage) -> String {
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
