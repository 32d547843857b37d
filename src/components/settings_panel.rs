//! A conversation's settings: system prompt, temperature and max tokens.

use leptos::prelude::*;

use crate::state::Settings;

/// The settings of the open conversation. Each field is applied when it
/// changes (on blur or Enter), so typing does not save on every key.
#[component]
pub fn SettingsPanel(
    /// The current settings.
    #[prop(into)]
    settings: Signal<Settings>,
    /// The model's own limit on reply length, if known.
    #[prop(into)]
    max_allowed: Signal<Option<u32>>,
    /// Called with the new settings.
    on_change: Callback<Settings>,
) -> impl IntoView {
    let update = move |f: &dyn Fn(&mut Settings)| {
        let mut next = settings.get_untracked();
        f(&mut next);
        on_change.run(next);
    };
    let set_prompt = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        update(&|s| s.system_prompt = v.clone());
    };
    // Numbers are clamped to what is allowed, and the field then shows what will be sent.
    let set_temperature =
        move |ev: leptos::ev::Targeted<leptos::ev::Event, web_sys::HtmlInputElement>| {
            let t = ev
                .target()
                .value()
                .trim()
                .parse::<f32>()
                .ok()
                .filter(|t| t.is_finite())
                .map(|t| t.clamp(0.0, 2.0));
            update(&|s| s.temperature = t);
            ev.target()
                .set_value(&t.map(|t| t.to_string()).unwrap_or_default());
        };
    let set_max = move |ev: leptos::ev::Targeted<leptos::ev::Event, web_sys::HtmlInputElement>| {
        let cap = max_allowed.get_untracked().unwrap_or(1_000_000);
        if let Ok(n) = ev.target().value().trim().parse::<f64>()
            && n.is_finite()
        {
            let n = n.round().clamp(1.0, f64::from(cap)) as u32;
            update(&|s| s.max_tokens = n);
        }
        ev.target()
            .set_value(&settings.get_untracked().max_tokens.to_string());
    };
    view! {
        <details class="settings-panel">
            <summary>"Conversation settings"</summary>
            <label class="wide">
                "System prompt"
                <textarea
                    rows="3"
                    placeholder="Instructions the model follows throughout this conversation"
                    prop:value=move || settings.with(|s| s.system_prompt.clone())
                    on:change=set_prompt
                ></textarea>
            </label>
            <label>
                "Temperature"
                <input
                    type="number"
                    min="0"
                    max="2"
                    step="0.1"
                    placeholder="model default"
                    prop:value=move || settings.with(|s| s.temperature.map(|t| t.to_string()).unwrap_or_default())
                    on:change:target=set_temperature
                />
            </label>
            <label>
                "Max tokens"
                <input
                    type="number"
                    min="1"
                    inputmode="numeric"
                    prop:value=move || settings.with(|s| s.max_tokens.to_string())
                    on:change:target=set_max
                />
            </label>
            <p class="hint">
                "Max tokens is always sent: it caps the reply and what OpenRouter reserves from your credits."
                {move || max_allowed.get().map(|m| format!(" This model allows up to {m}."))}
            </p>
        </details>
    }
}
