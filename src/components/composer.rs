//! The message box with Send and Stop.

use leptos::prelude::*;

/// The message box. Enter sends, Shift+Enter adds a line, Escape stops.
/// While a reply streams, Send gives way to Stop.
#[component]
pub fn Composer(
    /// True while a reply is streaming.
    #[prop(into)]
    busy: Signal<bool>,
    /// Called with the trimmed text when the user sends.
    on_send: Callback<String>,
    /// Called when the user stops the reply.
    on_stop: Callback<()>,
    /// The text being written; the page may fill it (Edit).
    text: RwSignal<String>,
    /// The message box, for the page to focus.
    input: NodeRef<leptos::html::Textarea>,
) -> impl IntoView {
    let send = move || {
        let message = text.get_untracked().trim().to_owned();
        if message.is_empty() || busy.get_untracked() {
            return;
        }
        on_send.run(message);
        text.set(String::new());
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send();
    };
    let keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Enter" if !ev.shift_key() && !ev.is_composing() => {
            ev.prevent_default();
            send();
        }
        "Escape" if busy.get_untracked() => on_stop.run(()),
        _ => {}
    };
    // Focus returns to the message box when a reply ends.
    Effect::new(move |was_busy: Option<bool>| {
        let now_busy = busy.get();
        if was_busy == Some(true)
            && !now_busy
            && let Some(el) = input.get_untracked()
        {
            let _ = el.focus();
        }
        now_busy
    });
    view! {
        <form class="composer" on:submit=submit>
            <textarea
                node_ref=input
                aria-label="Message"
                placeholder="Ask anything. Enter sends, Shift+Enter adds a line."
                rows="3"
                bind:value=text
                on:keydown=keydown
            ></textarea>
            <Show
                when=move || busy.get()
                fallback=move || view! {
                    <button type="submit" class="primary" disabled=move || text.with(|t| t.trim().is_empty())>
                        "Send"
                    </button>
                }
            >
                <button type="button" class="stop" on:click=move |_| on_stop.run(())>"Stop"</button>
            </Show>
        </form>
    }
}
