//! What OpenRouter says about the connected key, and where to manage it.

use leptos::prelude::*;

use crate::components::message::format_cost;
use crate::error::AppError;
use crate::openrouter::types::KeyInfo;

/// The key panel: the masked label (the only form of the key ever shown),
/// usage, limit and remaining credit, free-tier status, and links to the key
/// and its activity on OpenRouter.
#[component]
pub fn KeyPanel(
    /// `GET /api/v1/key`, once loaded.
    #[prop(into)]
    info: Signal<Option<Result<KeyInfo, AppError>>>,
    /// This key's page on OpenRouter.
    #[prop(into)]
    key_page: Signal<String>,
    /// This key's activity on OpenRouter.
    #[prop(into)]
    activity_page: Signal<String>,
) -> impl IntoView {
    let label = move || match info.get() {
        Some(Ok(i)) => i.label.unwrap_or_else(|| "Your key".to_owned()),
        Some(Err(_)) => "Your key (details unavailable)".to_owned(),
        None => "Your key".to_owned(),
    };
    let details = move || {
        info.get().map(|result| match result {
            Ok(i) => {
                let limit = i.limit.map_or_else(|| "none".to_owned(), format_cost);
                let remaining = i.limit_remaining.map(format_cost);
                view! {
                    <dl class="key-facts">
                        <dt>"Used"</dt><dd>{i.usage.map_or_else(|| "–".to_owned(), format_cost)}</dd>
                        <dt>"Limit"</dt><dd>{limit}</dd>
                        <dt>"Remaining"</dt><dd>{remaining.unwrap_or_else(|| "–".to_owned())}</dd>
                        <dt>"Account"</dt>
                        <dd>{if i.is_free_tier == Some(true) { "free tier" } else { "paid (credits bought)" }}</dd>
                    </dl>
                }
                .into_any()
            }
            Err(e) => view! { <p class="key-error">{e.to_string()}</p> }.into_any(),
        })
    };
    view! {
        <details class="key-panel">
            <summary>{label}</summary>
            {details}
            <p class="key-links">
                <a href=key_page target="_blank" rel="noopener noreferrer">"This key on OpenRouter"</a>
                <a href=activity_page target="_blank" rel="noopener noreferrer">"Its activity"</a>
            </p>
            <p class="hint">
                "Disconnect forgets the key in this browser only. To stop it from working, revoke it "
                "on OpenRouter. Giving it a credit limit there keeps any loss small."
            </p>
        </details>
    }
}
