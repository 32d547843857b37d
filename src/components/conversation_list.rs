//! The list of conversations kept in this browser: open, new, rename, delete.

use leptos::prelude::*;

use crate::state::ConversationSummary;

/// What the user did in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListAction {
    /// Start a new conversation.
    New,
    /// Open this conversation.
    Open(String),
    /// Give this conversation this title.
    Rename(String, String),
    /// Delete this conversation (the page offers Undo).
    Delete(String),
}

/// The conversation list.
#[component]
pub fn ConversationList(
    /// The conversations, newest first.
    #[prop(into)]
    conversations: Signal<Vec<ConversationSummary>>,
    /// The open conversation's id.
    #[prop(into)]
    current: Signal<String>,
    /// Called with what the user did.
    on_action: Callback<ListAction>,
) -> impl IntoView {
    let renaming = RwSignal::new(None::<String>);
    view! {
        <nav class="conversation-list" aria-label="Conversations">
            <button type="button" class="new-conversation" on:click=move |_| on_action.run(ListAction::New)>
                "New conversation"
            </button>
            <ul>
                <For each=move || conversations.get() key=|c| (c.id.clone(), c.title.clone()) let:conversation>
                    {
                        let id = conversation.id.clone();
                        let title = conversation.title.clone();
                        let is_current = {
                            let id = id.clone();
                            move || current.with(|c| *c == id)
                        };
                        let editing = {
                            let id = id.clone();
                            move || renaming.with(|r| r.as_deref() == Some(id.as_str()))
                        };
                        let (open_id, rename_id, delete_id, save_id) = (id.clone(), id.clone(), id.clone(), id.clone());
                        let label_rename = format!("Rename “{title}”");
                        let label_delete = format!("Delete “{title}”");
                        let shown_title = title.clone();
                        view! {
                            <li aria-current=move || is_current().then_some("page")>
                                <Show
                                    when=editing
                                    fallback=move || {
                                        let open_id = open_id.clone();
                                        view! {
                                            <button type="button" class="conversation-title" on:click=move |_| on_action.run(ListAction::Open(open_id.clone()))>
                                                {shown_title.clone()}
                                            </button>
                                        }
                                    }
                                >
                                    {
                                        let save_id = save_id.clone();
                                        let title = title.clone();
                                        view! {
                                            <input
                                                class="rename"
                                                aria-label="New title"
                                                prop:value=title.clone()
                                                autofocus
                                                on:keydown:target=move |ev| match ev.key().as_str() {
                                                    "Enter" => {
                                                        let value = ev.target().value();
                                                        renaming.set(None);
                                                        on_action.run(ListAction::Rename(save_id.clone(), value));
                                                    }
                                                    "Escape" => renaming.set(None),
                                                    _ => {}
                                                }
                                                on:blur=move |_| renaming.set(None)
                                            />
                                        }
                                    }
                                </Show>
                                <button type="button" class="icon" aria-label=label_rename on:click=move |_| renaming.set(Some(rename_id.clone()))>
                                    "✎"
                                </button>
                                <button type="button" class="icon" aria-label=label_delete on:click=move |_| on_action.run(ListAction::Delete(delete_id.clone()))>
                                    "✕"
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
        </nav>
    }
}
