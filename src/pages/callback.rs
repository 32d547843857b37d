//! `/callback/`: where OpenRouter sends the browser back after consent.
//!
//! In order: read the query once, clean the address bar (before any await),
//! bind the callback to a pending flow and consume it under a cross-tab lock,
//! exchange the code exactly once, then store the key and show the chat.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::auth::use_auth;
use crate::browser::{self, app_base, now_ms};
use crate::callback::{PendingFlows, ValidatedCallback, bind_callback, parse_callback};
use crate::components::connect_button::ConnectButton;
use crate::components::error_banner::ErrorBanner;
use crate::error::AppError;
use crate::key::ApiKey;
use crate::openrouter::exchange_code;
use crate::route::{Link, Route, use_nav};
use crate::storage::{self, FLOWS_ENTRY, FLOWS_LOCK};

/// Where a callback stands.
#[derive(Debug, Clone)]
enum Step {
    /// Checking the callback and trading the code for a key.
    Exchanging,
    /// A different key is already stored: ask before replacing it.
    ConfirmReplace(ApiKey),
    /// A visit without sign-in parameters while connected (reload, bookmark).
    AlreadyConnected,
    /// Done: the key is stored; the chat is shown next.
    Connected,
    /// Nothing was stored.
    Failed(AppError),
}

/// Binds the callback to its pending flow, consuming the flow, under the lock.
fn consume_flow(params: crate::callback::CallbackParams) -> Result<ValidatedCallback, AppError> {
    let mut flows = PendingFlows::from_json(&storage::get(FLOWS_ENTRY)?.unwrap_or_default());
    let had_flows = !flows.is_empty();
    let bound = bind_callback(params, &mut flows, now_ms());
    flows.prune(now_ms());
    if had_flows {
        storage::set(FLOWS_ENTRY, &flows.to_json())?;
    }
    bound
}

/// The callback page.
#[component]
pub fn CallbackPage() -> impl IntoView {
    let auth = use_auth();
    let nav = use_nav();
    // Read once, then clean the address bar and this history entry before anything else.
    let query = browser::location_search();
    browser::replace_url(&Route::Callback.path(&app_base()));

    let step = RwSignal::new(Step::Exchanging);
    let go_to_chat = move || nav.replace(Route::Home);
    let finish = {
        move |key: ApiKey| {
            // A failed save still connects this tab; the banner says why it will not last.
            let _ = auth.sign_in(key);
            // The page may be gone if the user left during the exchange.
            step.try_set(Step::Connected);
            go_to_chat();
        }
    };

    match parse_callback(&query) {
        Err(e) => step.set(Step::Failed(e)),
        Ok(params) if !params.is_sign_in() && auth.connected().get_untracked() => {
            step.set(Step::AlreadyConnected)
        }
        Ok(params) => {
            spawn_local(async move {
                let bound = browser::with_lock(FLOWS_LOCK, move || consume_flow(params)).await;
                let outcome = match bound {
                    Ok(validated) => exchange_code(validated).await,
                    Err(e) => Err(e),
                };
                match (outcome, auth.key().get_untracked()) {
                    (Ok(new), Some(old)) if !old.same_as(&new) => {
                        step.set(Step::ConfirmReplace(new))
                    }
                    (Ok(new), _) => finish(new),
                    (Err(AppError::NoPendingSignIn), Some(_)) => step.set(Step::AlreadyConnected),
                    (Err(e), _) => step.set(Step::Failed(e)),
                }
            });
        }
    }

    let error = Signal::derive(move || match step.get() {
        Step::Failed(e) => Some(e),
        _ => None,
    });

    view! {
        <section class="callback" aria-labelledby="callback-title">
            <h1 id="callback-title">"Connecting to OpenRouter"</h1>
            {move || match step.get() {
                Step::Exchanging => view! {
                    <p role="status" aria-busy="true">"Finishing sign-in…"</p>
                }.into_any(),
                Step::Connected => view! { <p role="status">"Connected."</p> }.into_any(),
                Step::AlreadyConnected => view! {
                    <p role="status">"No sign-in was in progress here, so nothing changed: you are still connected."</p>
                    <p><Link to=Route::Home>"Go to the chat"</Link></p>
                }.into_any(),
                Step::ConfirmReplace(new) => {
                    let keep = move |_| go_to_chat();
                    let replace = move |_| finish(new.clone());
                    view! {
                        <p role="status">
                            "This browser is already connected with another OpenRouter key. "
                            "Use the new key instead? The other key stays valid on OpenRouter "
                            "until you revoke it there."
                        </p>
                        <div class="actions">
                            <button type="button" on:click=replace>"Use the new key"</button>
                            <button type="button" on:click=keep>"Keep the current key"</button>
                        </div>
                    }.into_any()
                }
                Step::Failed(_) => view! {
                    <div class="actions">
                        <ConnectButton label="Connect again"/>
                        <Link to=Route::Home>"Back to the start"</Link>
                    </div>
                }.into_any(),
            }}
            <ErrorBanner error=error/>
        </section>
    }
}
