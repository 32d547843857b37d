//! For people who already have a key: paste it instead of connecting.

use leptos::prelude::*;

/// A form to paste an existing key. It reports the text; the page validates
/// it with OpenRouter before anything is stored.
#[component]
pub fn PasteKey(
    /// True while the key is being checked.
    #[prop(into)]
    checking: Signal<bool>,
    /// Called with the pasted text, trimmed.
    on_submit: Callback<String>,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let key = text.get_untracked().trim().to_owned();
        if !key.is_empty() {
            // Emptied at once, so the key does not linger on the page.
            text.set(String::new());
            on_submit.run(key);
        }
    };
    view! {
        <details class="paste-key">
            <summary>"Already have an OpenRouter key? Paste it instead"</summary>
            <form on:submit=submit>
                <label>
                    "API key"
                    <input
                        type="password"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder="sk-or-v1-…"
                        bind:value=text
                    />
                </label>
                <button type="submit" aria-busy=move || checking.get().to_string()>"Use this key"</button>
            </form>
            <p class="hint">"The key is checked with OpenRouter first, then kept in this browser only."</p>
        </details>
    }
}
