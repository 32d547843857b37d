//! The transcript: finished messages, windowed so that a conversation of
//! thousands of messages renders only what a screenful needs, then the reply
//! being streamed. Keeps to the bottom while the user is there.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::markdown_view::LiveMarkdownView;
use crate::components::message::{MessageAction, MessageView};
use crate::openrouter::types::Role;
use crate::state::Message;
use crate::viewport::{ESTIMATED_HEIGHT, visible};

/// Within this distance of the bottom (px), new content scrolls into view.
const STICK_DISTANCE: f64 = 80.0;

/// The transcript of one conversation (mount a new one for another: message
/// ids and measured heights belong to a conversation).
#[component]
pub fn MessageList(
    /// Finished messages, oldest first.
    #[prop(into)]
    messages: Signal<Vec<Arc<Message>>>,
    /// True while a reply streams.
    #[prop(into)]
    busy: Signal<bool>,
    /// The reply being streamed, so far.
    #[prop(into)]
    live: Signal<String>,
    /// Its reasoning, so far.
    #[prop(into)]
    live_reasoning: Signal<String>,
    /// Called with what the user chose to do with a message.
    on_action: Callback<MessageAction>,
) -> impl IntoView {
    let live_revision = move || live.with(String::len) + live_reasoning.with(String::len);
    let scroller = NodeRef::<leptos::html::Div>::new();
    // (scrollTop, clientHeight) of the scroller, sampled at most once per frame.
    // It opens at the bottom, with the window's height until the scroller is measured.
    let initial_height = window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(800.0);
    let scroll = RwSignal::new((f64::INFINITY, initial_height));
    let heights = StoredValue::new(HashMap::<u64, f64>::new());
    let measured = RwSignal::new(0u64);
    let stick = StoredValue::new(true);
    let frame_pending = StoredValue::new(false);

    let range = Memo::new(move |_| {
        measured.track();
        let (top, viewport) = scroll.get();
        messages.with(|ms| {
            let hs: Vec<f64> = heights.with_value(|h| {
                ms.iter()
                    .map(|m| h.get(&m.id).copied().unwrap_or(ESTIMATED_HEIGHT))
                    .collect()
            });
            visible(&hs, top, viewport)
        })
    });
    let shown = Memo::new(move |_| {
        let w = range.get();
        messages.with(|ms| {
            ms.get(w.start..w.end)
                .map(<[_]>::to_vec)
                .unwrap_or_default()
        })
    });
    let last_user = Memo::new(move |_| {
        messages.with(|ms| ms.iter().rev().find(|m| m.role == Role::User).map(|m| m.id))
    });
    let last_reply = Memo::new(move |_| {
        messages.with(|ms| {
            ms.last()
                .filter(|m| m.role == Role::Assistant)
                .map(|m| m.id)
        })
    });

    let sample = move || {
        if let Some(el) = scroller.get_untracked() {
            let top = f64::from(el.scroll_top());
            let height = f64::from(el.client_height());
            let from_bottom = f64::from(el.scroll_height()) - top - height;
            stick.set_value(from_bottom <= STICK_DISTANCE);
            scroll.set((top, height));
        }
    };
    // Measures the rendered messages and, if the user is at the bottom, keeps them there.
    let settle = move || {
        let Some(el) = scroller.get_untracked() else {
            return;
        };
        let mut changed = false;
        if let Ok(items) = el.query_selector_all(":scope > ol > li.message[data-id]") {
            heights.update_value(|h| {
                for i in 0..items.length() {
                    let Some(item) = items
                        .item(i)
                        .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
                    else {
                        continue;
                    };
                    let Some(id) = item
                        .get_attribute("data-id")
                        .and_then(|v| v.parse::<u64>().ok())
                    else {
                        continue;
                    };
                    // Include the gap between messages.
                    let height = f64::from(item.offset_height()) + 16.0;
                    if h.get(&id).is_none_or(|old| (old - height).abs() > 1.0) {
                        h.insert(id, height);
                        changed = true;
                    }
                }
            });
        }
        if stick.get_value() {
            el.set_scroll_top(el.scroll_height());
        }
        if changed {
            measured.update(|n| *n += 1);
        }
        let top = f64::from(el.scroll_top());
        let height = f64::from(el.client_height());
        if scroll.get_untracked() != (top, height) {
            scroll.set((top, height));
        }
    };
    // Runs `job` on the next frame, once however often it is asked for, and
    // not at all if the list is gone by then.
    let on_next_frame = move |job: fn(&dyn Fn(), &dyn Fn())| {
        if !frame_pending.get_value() {
            frame_pending.set_value(true);
            request_animation_frame(move || {
                if frame_pending.is_disposed() {
                    return;
                }
                frame_pending.set_value(false);
                job(&sample, &settle);
            });
        }
    };
    let schedule = move || on_next_frame(|_, settle| settle());
    // After the window, the messages or the live reply change: measure and follow, once a frame.
    Effect::new(move || {
        shown.track();
        live_revision();
        schedule();
    });
    let on_scroll = move |_| {
        on_next_frame(|sample, settle| {
            sample();
            settle();
        })
    };

    view! {
        <div class="transcript" node_ref=scroller on:scroll=on_scroll>
            <ol aria-label="Messages">
                <li class="spacer" aria-hidden="true" style:height=move || format!("{}px", range.get().pad_top)></li>
                <For each=move || shown.get() key=|m| m.id let:message>
                    {
                        let id = message.id;
                        let last = Signal::derive(move || last_user.get() == Some(id) || last_reply.get() == Some(id));
                        view! { <MessageView message=message last=last busy=busy on_action=on_action/> }
                    }
                </For>
                <li class="spacer" aria-hidden="true" style:height=move || format!("{}px", range.get().pad_bottom)></li>
                <Show when=move || busy.get()>
                    <li class="message live" data-from="assistant">
                        <Show when=move || live_reasoning.with(|r| !r.is_empty())>
                            <details class="reasoning">
                                <summary>"Reasoning…"</summary>
                                <p>{move || live_reasoning.get()}</p>
                            </details>
                        </Show>
                        <div class="message-body" data-role="assistant" aria-live="polite" aria-busy="true">
                            <LiveMarkdownView text=live/>
                        </div>
                    </li>
                </Show>
            </ol>
        </div>
    }
}
