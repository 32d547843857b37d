//! The chat view: owns the conversation and the streaming task.
//!
//! Stream deltas are gathered and applied at most once per animation frame
//! (and on end, error and abort, since frames pause in background tabs). The
//! request is aborted by Stop, by a Disconnect in any tab, and on cleanup.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures::StreamExt;
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;
use web_sys::AbortController;

use crate::auth::use_auth;
use crate::browser;
use crate::components::composer::Composer;
use crate::components::connect_button::ConnectButton;
use crate::components::error_banner::ErrorBanner;
use crate::components::key_panel::KeyPanel;
use crate::components::message::MessageView;
use crate::error::AppError;
use crate::key::ApiKey;
use crate::openrouter::{StreamError, fetch_key_info, key_activity_url, key_page_url, stream_chat};
use crate::state::{Message, Reply, Settings, StreamEnd, build_request};
use crate::storage::{self, MODEL_ENTRY};

/// Text received but not yet shown, flushed once per animation frame.
#[derive(Clone)]
struct FrameBuffer {
    pending: Rc<RefCell<String>>,
    scheduled: Rc<Cell<bool>>,
    live: RwSignal<String>,
}

impl FrameBuffer {
    fn new(live: RwSignal<String>) -> Self {
        Self {
            pending: Rc::default(),
            scheduled: Rc::default(),
            live,
        }
    }

    fn push(&self, text: &str) {
        if text.is_empty() {
            return;
        }
        self.pending.borrow_mut().push_str(text);
        if !self.scheduled.replace(true) {
            let this = self.clone();
            request_animation_frame(move || this.flush());
        }
    }

    fn flush(&self) {
        self.scheduled.set(false);
        let text = std::mem::take(&mut *self.pending.borrow_mut());
        if !text.is_empty() {
            self.live.update(|live| live.push_str(&text));
        }
    }
}

/// The chat page.
#[component]
pub fn ChatPage() -> impl IntoView {
    let auth = use_auth();
    let messages = RwSignal::new(Vec::<Message>::new());
    let live = RwSignal::new(String::new());
    let streaming = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let settings = RwSignal::new(Settings {
        model: storage::get(MODEL_ENTRY)
            .ok()
            .flatten()
            .filter(|m| !m.trim().is_empty())
            .unwrap_or_else(|| Settings::default().model),
        ..Settings::default()
    });
    let controller = StoredValue::new(None::<SendWrapper<AbortController>>);
    let next_id = StoredValue::new(1u64);

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
    // Remember the model.
    Effect::new(move || {
        let model = settings.with(|s| s.model.trim().to_owned());
        if !model.is_empty() {
            let _ = storage::set(MODEL_ENTRY, &model);
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

    let take_id = move || {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        id
    };

    let send = move |text: String| {
        let Some(key) = auth.key().get_untracked() else {
            error.set(Some(AppError::Unauthorized));
            return;
        };
        error.set(None);
        messages.update(|m| m.push(Message::user(take_id(), text)));
        let reply_id = take_id();
        let Ok(abort) = AbortController::new() else {
            error.set(Some(AppError::Network));
            return;
        };
        let signal = abort.signal();
        controller.set_value(Some(SendWrapper::new(abort)));
        live.set(String::new());
        streaming.set(true);
        spawn_local(async move {
            let (reply, end) =
                run_stream(&key, settings.get_untracked(), messages, signal, live).await;
            error.set(reply.error(&end));
            live.set(String::new());
            messages.update(|m| m.push(reply.into_message(reply_id, &end)));
            controller.set_value(None);
            streaming.set(false);
        });
    };

    let set_model = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        settings.update(|s| s.model = value);
    };
    let set_max_tokens = move |ev: leptos::ev::Event| {
        if let Ok(n) = event_target_value(&ev).trim().parse::<u32>() {
            settings.update(|s| s.max_tokens = n.clamp(1, 1_000_000));
        }
    };

    view! {
        <section class="chat" aria-label="Chat">
            <KeyPanel info=key_info key_page=key_page activity_page=activity_page/>
            <ErrorBanner error=key_error>
                <ConnectButton label="Connect again"/>
            </ErrorBanner>
            <div class="chat-settings">
                <label>
                    "Model"
                    <input
                        type="text"
                        class="model"
                        spellcheck="false"
                        autocomplete="off"
                        prop:value=move || settings.with(|s| s.model.clone())
                        on:change=set_model
                    />
                </label>
                <label>
                    "Max tokens"
                    <input
                        type="number"
                        min="1"
                        inputmode="numeric"
                        prop:value=move || settings.with(|s| s.max_tokens.to_string())
                        on:change=set_max_tokens
                    />
                </label>
            </div>
            <ol class="transcript">
                <For each=move || messages.get() key=|m| m.id let:message>
                    <MessageView message=message/>
                </For>
                <Show when=move || streaming.get()>
                    <li class="message" data-from="assistant" aria-live="polite" aria-busy="true">
                        <div class="message-body" data-role="assistant">{move || live.get()}</div>
                    </li>
                </Show>
            </ol>
            <ErrorBanner error=error>
                {move || error.get().is_some_and(|e| e.needs_reconnect()).then(|| view! {
                    <ConnectButton label="Connect again"/>
                })}
            </ErrorBanner>
            <Composer
                busy=streaming
                on_send=Callback::new(send)
                on_stop=Callback::new(move |()| stop())
            />
        </section>
    }
}

/// Streams one reply into `live`, frame by frame; returns it and how it ended.
async fn run_stream(
    key: &ApiKey,
    settings: Settings,
    messages: RwSignal<Vec<Message>>,
    signal: web_sys::AbortSignal,
    live: RwSignal<String>,
) -> (Reply, StreamEnd) {
    let history = messages.get_untracked();
    let request = build_request(&settings, &history);
    let mut reply = Reply::default();
    let frames = FrameBuffer::new(live);
    let end = match stream_chat(key, &request, &browser::app_url(), &signal).await {
        Err(StreamError::Aborted) => StreamEnd::Aborted,
        Err(StreamError::Failed(e)) => StreamEnd::Failed(e),
        Ok(events) => {
            let mut events = std::pin::pin!(events);
            let mut end = StreamEnd::Finished;
            while let Some(event) = events.next().await {
                match event {
                    Ok(event) => {
                        let (text, _reasoning) = reply.apply(event);
                        frames.push(&text);
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
