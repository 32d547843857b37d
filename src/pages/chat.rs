//! The chat view: owns the open conversation, the conversation list and the
//! streaming task, and composes the components.
//!
//! Stream deltas are gathered and applied at most once per animation frame
//! (and on end, error and abort, since frames pause in background tabs). The
//! request is aborted by Stop, by a Disconnect in any tab, and on cleanup.
//! Conversations are saved when they change, never per token; a storage
//! failure is reported and loses nothing on screen.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use futures::StreamExt;
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;
use web_sys::AbortController;

use crate::auth::use_auth;
use crate::browser::{self, now_ms};
use crate::chat_app::use_models;
use crate::components::composer::Composer;
use crate::components::connect_button::ConnectButton;
use crate::components::conversation_list::{ConversationList, ListAction};
use crate::components::error_banner::ErrorBanner;
use crate::components::key_panel::KeyPanel;
use crate::components::message::{MessageAction, format_cost};
use crate::components::message_list::MessageList;
use crate::components::model_picker::ModelPicker;
use crate::components::settings_panel::SettingsPanel;
use crate::error::AppError;
use crate::key::ApiKey;
use crate::models::max_completion_tokens;
use crate::openrouter::{
    CREDITS_PAGE, StreamError, fetch_key_info, key_activity_url, key_page_url, stream_chat,
};
use crate::pkce::random_bytes;
use crate::state::{Conversation, Message, Reply, Settings, StreamEnd, build_request};
use crate::storage::{self, CURRENT_ENTRY, MODEL_ENTRY};

/// Text received but not yet shown, flushed once per animation frame.
#[derive(Clone)]
struct FrameBuffer {
    pending: Rc<RefCell<(String, String)>>,
    scheduled: Rc<Cell<bool>>,
    text: RwSignal<String>,
    reasoning: RwSignal<String>,
}

impl FrameBuffer {
    fn new(text: RwSignal<String>, reasoning: RwSignal<String>) -> Self {
        Self {
            pending: Rc::default(),
            scheduled: Rc::default(),
            text,
            reasoning,
        }
    }

    fn push(&self, text: &str, reasoning: &str) {
        if text.is_empty() && reasoning.is_empty() {
            return;
        }
        {
            let mut pending = self.pending.borrow_mut();
            pending.0.push_str(text);
            pending.1.push_str(reasoning);
        }
        if !self.scheduled.replace(true) {
            let this = self.clone();
            request_animation_frame(move || this.flush());
        }
    }

    /// Shows what is pending (nothing, if the chat has gone meanwhile).
    fn flush(&self) {
        self.scheduled.set(false);
        let (text, reasoning) = std::mem::take(&mut *self.pending.borrow_mut());
        if !text.is_empty() {
            self.text.try_update(|t| t.push_str(&text));
        }
        if !reasoning.is_empty() {
            self.reasoning.try_update(|r| r.push_str(&reasoning));
        }
    }
}

/// Compares message lists by identity: finished messages never change.
fn same_messages(a: Option<&Vec<Arc<Message>>>, b: Option<&Vec<Arc<Message>>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| Arc::ptr_eq(x, y)),
        _ => false,
    }
}

fn now() -> u64 {
    now_ms()
}

/// A fresh conversation, with the last model chosen.
fn fresh_conversation() -> Conversation {
    let id = random_bytes::<9>()
        .map(|b| b.iter().map(|x| format!("{x:02x}")).collect::<String>())
        .unwrap_or_else(|_| format!("{:x}", now()));
    let model = storage::get(MODEL_ENTRY)
        .ok()
        .flatten()
        .filter(|m| !m.trim().is_empty());
    let settings = Settings {
        model: model.unwrap_or_else(|| Settings::default().model),
        ..Settings::default()
    };
    Conversation::new(id, now(), settings)
}

/// The conversation open last time, or a fresh one.
fn initial_conversation() -> Conversation {
    storage::get(CURRENT_ENTRY)
        .ok()
        .flatten()
        .and_then(|id| storage::load_conversation(&id))
        .unwrap_or_else(fresh_conversation)
}

/// The chat page.
#[component]
pub fn ChatPage() -> impl IntoView {
    let auth = use_auth();
    let models = use_models();
    let conv = RwSignal::new(initial_conversation());
    let list = RwSignal::new(storage::load_index());
    let messages = Memo::new_with_compare(
        move |_| conv.with(|c| c.messages.clone()),
        |a, b| !same_messages(a, b),
    );
    let settings = Memo::new(move |_| conv.with(|c| c.settings.clone()));
    let conv_id = Memo::new(move |_| conv.with(|c| c.id.clone()));
    let title = Memo::new(move |_| conv.with(|c| c.title.clone()));
    let totals = Memo::new(move |_| conv.with(Conversation::totals));

    let live = RwSignal::new(String::new());
    let live_reasoning = RwSignal::new(String::new());
    let streaming = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let save_error = RwSignal::new(None::<AppError>);
    let deleted = RwSignal::new(None::<Conversation>);
    let draft = RwSignal::new(String::new());
    let composer = NodeRef::<leptos::html::Textarea>::new();
    let controller = StoredValue::new(None::<SendWrapper<AbortController>>);

    let save = move || {
        let result = conv.with_untracked(storage::save_conversation);
        save_error.set(result.err());
        list.set(storage::load_index());
    };
    let stop = move || {
        controller.update_value(|c| {
            if let Some(c) = c.take() {
                c.abort();
            }
        });
    };
    on_cleanup(stop);
    // A Disconnect in any tab drops the key: abort whatever is running.
    Effect::new(move || {
        if auth.key().with(Option::is_none) {
            stop();
        }
    });

    // What OpenRouter says about the key; a rejection means it no longer works.
    let key_info = LocalResource::new(move || {
        let key = auth.key().get();
        async move {
            match key {
                Some(key) => Some(fetch_key_info(&key).await.map_err(|e| match e {
                    AppError::KeyRejected => AppError::Unauthorized,
                    other => other,
                })),
                None => None,
            }
        }
    });
    let key_info = Signal::derive(move || key_info.get().flatten());
    let key_page = Signal::derive(move || {
        auth.key()
            .with(|k| k.as_ref().map(key_page_url).unwrap_or_default())
    });
    let activity_page = Signal::derive(move || {
        auth.key()
            .with(|k| k.as_ref().map(key_activity_url).unwrap_or_default())
    });
    let key_error = Signal::derive(move || match key_info.get() {
        Some(Err(AppError::Unauthorized)) => Some(AppError::Unauthorized),
        _ => None,
    });
    let max_allowed = Memo::new(move |_| {
        let model = settings.with(|s| s.model.clone());
        models.with(|m| match m {
            Some(Ok(list)) => list
                .iter()
                .find(|x| x.id == model)
                .and_then(max_completion_tokens),
            _ => None,
        })
    });

    // Streams the next reply to the conversation as it stands.
    let start_reply = move || {
        let Some(key) = auth.key().get_untracked() else {
            error.set(Some(AppError::Unauthorized));
            return;
        };
        let Ok(abort) = AbortController::new() else {
            error.set(Some(AppError::Network));
            return;
        };
        error.set(None);
        let signal = abort.signal();
        controller.set_value(Some(SendWrapper::new(abort)));
        live.set(String::new());
        live_reasoning.set(String::new());
        streaming.set(true);
        let (id, settings, history) =
            conv.with_untracked(|c| (c.id.clone(), c.settings.clone(), c.messages.clone()));
        let frames = FrameBuffer::new(live, live_reasoning);
        spawn_local(async move {
            let (reply, end) = run_stream(&key, &settings, &history, &signal, &frames).await;
            // A reply with nothing in it is not kept: the banner says what happened, and Retry asks again.
            let keep = !reply.is_empty();
            if conv.is_disposed() {
                // The chat went away meanwhile (a Disconnect): keep the reply with its conversation.
                if let Some(mut c) = storage::load_conversation(&id).filter(|_| keep) {
                    let next = c.next_message_id();
                    c.push(reply.into_message(next, &end), now());
                    let _ = storage::save_conversation(&c);
                }
                return;
            }
            error.set(reply.error(&end));
            if keep {
                conv.update(|c| {
                    let id = c.next_message_id();
                    c.push(reply.into_message(id, &end), now());
                });
                save();
            }
            live.set(String::new());
            live_reasoning.set(String::new());
            controller.set_value(None);
            streaming.set(false);
        });
    };

    // Asks again for the last reply: a failed one is replaced; after an error
    // before any text, the last message is the user's and is simply sent again.
    let retry = move || {
        if streaming.get_untracked() {
            return;
        }
        conv.update(|c| {
            c.drop_last_reply();
        });
        let ends_with_user = conv.with_untracked(|c| {
            c.messages
                .last()
                .is_some_and(|m| m.role == crate::openrouter::types::Role::User)
        });
        if ends_with_user {
            save();
            start_reply();
        }
    };

    let send = move |text: String| {
        deleted.set(None);
        conv.update(|c| {
            let id = c.next_message_id();
            c.push(Message::user(id, text), now());
        });
        save();
        start_reply();
    };

    let on_message_action = move |action: MessageAction| match action {
        MessageAction::Copy(id) => {
            if let Some(text) = conv.with_untracked(|c| {
                c.messages
                    .iter()
                    .find(|m| m.id == id)
                    .map(|m| m.text.clone())
            }) {
                browser::copy_text(&text);
            }
        }
        MessageAction::Regenerate => {
            if !streaming.get_untracked()
                && conv.try_update(|c| c.drop_last_reply()).unwrap_or(false)
            {
                save();
                start_reply();
            }
        }
        MessageAction::Edit => {
            if streaming.get_untracked() {
                return;
            }
            if let Some(text) = conv.try_update(|c| c.take_last_user_message()).flatten() {
                save();
                draft.set(text);
                if let Some(el) = composer.get_untracked() {
                    let _ = el.focus();
                }
            }
        }
    };

    let open = move |c: Conversation| {
        error.set(None);
        draft.set(String::new());
        conv.set(c);
        let _ = storage::set(CURRENT_ENTRY, &conv.with_untracked(|c| c.id.clone()));
    };
    let on_list_action = move |action: ListAction| {
        if streaming.get_untracked() {
            return;
        }
        match action {
            ListAction::New => {
                deleted.set(None);
                open(fresh_conversation());
            }
            ListAction::Open(id) => match storage::load_conversation(&id) {
                Some(c) => open(c),
                None => save_error.set(Some(AppError::Storage)),
            },
            ListAction::Rename(id, new_title) => {
                let new_title = new_title.trim().to_owned();
                if new_title.is_empty() {
                    return;
                }
                if conv_id.get_untracked() == id {
                    conv.update(|c| {
                        c.title = new_title;
                        c.renamed = true;
                    });
                    save();
                } else if let Some(mut c) = storage::load_conversation(&id) {
                    c.title = new_title;
                    c.renamed = true;
                    save_error.set(storage::save_conversation(&c).err());
                    let _ = storage::set(CURRENT_ENTRY, &conv_id.get_untracked());
                    list.set(storage::load_index());
                }
            }
            ListAction::Delete(id) => {
                let victim = if conv_id.get_untracked() == id {
                    Some(conv.get_untracked())
                } else {
                    storage::load_conversation(&id)
                };
                save_error.set(storage::delete_conversation(&id).err());
                list.set(storage::load_index());
                deleted.set(victim);
                if conv_id.get_untracked() == id {
                    let next = list.with_untracked(|l| {
                        l.first().and_then(|s| storage::load_conversation(&s.id))
                    });
                    open(next.unwrap_or_else(fresh_conversation));
                }
            }
        }
    };
    let undo_delete = move |_| {
        if let Some(c) = deleted.get_untracked() {
            deleted.set(None);
            save_error.set(storage::save_conversation(&c).err());
            list.set(storage::load_index());
            open(c);
        }
    };

    let set_settings = move |next: Settings| {
        conv.update(|c| c.settings = next);
        if conv.with_untracked(|c| !c.messages.is_empty()) {
            save();
        }
    };
    let set_model = move |model: String| {
        let cap = models.with_untracked(|m| match m {
            Some(Ok(list)) => list
                .iter()
                .find(|x| x.id == model)
                .and_then(max_completion_tokens),
            _ => None,
        });
        let _ = storage::set(MODEL_ENTRY, &model);
        let mut next = settings.get_untracked();
        next.model = model;
        if let Some(cap) = cap {
            next.max_tokens = next.max_tokens.min(cap);
        }
        set_settings(next);
    };
    let export = move |markdown: bool| {
        conv.with_untracked(|c| {
            let name: String = c
                .title
                .chars()
                .map(|ch| if ch.is_alphanumeric() { ch } else { '-' })
                .collect::<String>()
                .trim_matches('-')
                .to_owned();
            let name = if name.is_empty() {
                "conversation".to_owned()
            } else {
                name
            };
            if markdown {
                browser::download(&format!("{name}.md"), "text/markdown", &c.to_markdown());
            } else {
                browser::download(&format!("{name}.json"), "application/json", &c.to_json());
            }
        });
    };

    view! {
        <div class="chat-layout">
            <ConversationList
                conversations=list
                current=conv_id
                on_action=Callback::new(on_list_action)
            />
            <section class="chat" aria-label="Chat">
                <div class="chat-head">
                    <h1 class="conversation-heading">{move || title.get()}</h1>
                    <span class="totals">
                        {move || {
                            let (tokens, cost) = totals.get();
                            (tokens > 0).then(|| format!("{tokens} tokens · {} in total", format_cost(cost)))
                        }}
                    </span>
                    <span class="export">
                        <button type="button" on:click=move |_| export(true) disabled=move || messages.with(Vec::is_empty)>
                            "Export Markdown"
                        </button>
                        <button type="button" on:click=move |_| export(false) disabled=move || messages.with(Vec::is_empty)>
                            "Export JSON"
                        </button>
                    </span>
                </div>
                <KeyPanel info=key_info key_page=key_page activity_page=activity_page/>
                <ErrorBanner error=auth.notice()/>
                <ErrorBanner error=key_error>
                    <ConnectButton label="Connect again"/>
                </ErrorBanner>
                <div class="chat-settings">
                    {move || {
                        conv_id.track();
                        view! {
                            <ModelPicker
                                models=models
                                value=Signal::derive(move || settings.with(|s| s.model.clone()))
                                on_change=Callback::new(set_model)
                            />
                        }
                    }}
                    <SettingsPanel settings=settings max_allowed=max_allowed on_change=Callback::new(set_settings)/>
                </div>
                {move || {
                    conv_id.track();
                    view! {
                        <MessageList
                            messages=messages
                            busy=streaming
                            live=live
                            live_reasoning=live_reasoning
                            on_action=Callback::new(on_message_action)
                        />
                    }
                }}
                <ErrorBanner error=error>
                    {move || error.get().map(|e| match e {
                        AppError::Unauthorized => view! { <ConnectButton label="Connect again"/> }.into_any(),
                        AppError::PaymentRequired(_) => view! {
                            <p><a href=CREDITS_PAGE target="_blank" rel="noopener noreferrer">"Add credits on OpenRouter"</a></p>
                            <button type="button" on:click=move |_| retry()>"Retry"</button>
                        }.into_any(),
                        AppError::ContextLength => view! {
                            <button type="button" on:click=move |_| on_list_action(ListAction::New)>"New conversation"</button>
                        }.into_any(),
                        _ => view! { <button type="button" on:click=move |_| retry()>"Retry"</button> }.into_any(),
                    })}
                </ErrorBanner>
                <ErrorBanner error=save_error/>
                {move || deleted.get().map(|c| view! {
                    <p class="notice" role="status">
                        {format!("Deleted “{}”. ", c.title)}
                        <button type="button" on:click=undo_delete>"Undo"</button>
                    </p>
                })}
                <Composer
                    busy=streaming
                    on_send=Callback::new(send)
                    on_stop=Callback::new(move |()| stop())
                    text=draft
                    input=composer
                />
            </section>
        </div>
    }
}

/// Streams one reply, frame by frame; returns it and how it ended.
async fn run_stream(
    key: &ApiKey,
    settings: &Settings,
    history: &[Arc<Message>],
    signal: &web_sys::AbortSignal,
    frames: &FrameBuffer,
) -> (Reply, StreamEnd) {
    let request = build_request(settings, history);
    let mut reply = Reply::default();
    let end = match stream_chat(key, &request, &browser::app_url(), signal).await {
        Err(StreamError::Aborted) => StreamEnd::Aborted,
        Err(StreamError::Failed(e)) => StreamEnd::Failed(e),
        Ok(events) => {
            let mut events = std::pin::pin!(events);
            let mut end = StreamEnd::Finished;
            while let Some(event) = events.next().await {
                match event {
                    Ok(event) => {
                        let (text, reasoning) = reply.apply(event);
                        frames.push(&text, &reasoning);
                    }
                    Err(StreamError::Aborted) => end = StreamEnd::Aborted,
                    Err(StreamError::Failed(e)) => end = StreamEnd::Failed(e),
                }
            }
            end
        }
    };
    frames.flush();
    (reply, end)
}
