//! `/callback/`: where OpenRouter sends the browser back after consent.
//!
//! In order: read the query once, clean the address bar (before any await),
//! bind the callback to a pending flow and consume it under a cross-tab lock,
//! exchange the code exactly once, then store the key and show the chat.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::take_callback_query;
use crate::auth::{Auth, use_auth};
use crate::browser::{self, app_base, now_ms};
use crate::callback::{
    CallbackParams, FLOW_TTL_MS, PendingFlows, ValidatedCallback, bind_callback, parse_callback,
};
use crate::components::connect_button::ConnectButton;
use crate::components::error_banner::ErrorBanner;
use crate::error::AppError;
use crate::key::ApiKey;
use crate::openrouter::{check_key, exchange_code, key_page_url};
use crate::route::{Link, Route, use_nav};
use crate::storage::{self, FLOWS_ENTRY, FLOWS_LOCK};

/// Where a callback stands.
#[derive(Debug, Clone)]
enum Step {
    /// Checking the callback and trading the code for a key.
    Exchanging,
    /// A different, working key is already stored: ask before replacing it.
    ConfirmReplace(ApiKey),
    /// The user kept the stored key; the new one's page on OpenRouter, to revoke it.
    KeptCurrent(String),
    /// Nothing to do, and connected (a reload, a bookmark, a crafted link).
    AlreadyConnected,
    /// Done: the key is stored; the chat is shown next.
    Connected,
    /// Nothing was stored.
    Failed(AppError),
}

impl Step {
    fn heading(&self) -> &'static str {
        match self {
            Self::Exchanging => "Connecting to OpenRouter",
            Self::ConfirmReplace(_) => "Use the new key?",
            Self::KeptCurrent(_) => "Kept your current key",
            Self::AlreadyConnected => "You are connected",
            Self::Connected => "Connected",
            Self::Failed(_) => "Sign-in did not complete",
        }
    }
}

/// Binds the callback to its pending flow, consuming the flow, under the lock.
fn consume_flow(params: CallbackParams) -> Result<ValidatedCallback, AppError> {
    let mut flows = PendingFlows::parse(&storage::get(FLOWS_ENTRY)?.unwrap_or_default());
    let had_flows = !flows.is_empty();
    let bound = bind_callback(params, &mut flows, now_ms());
    flows.prune(now_ms());
    if had_flows {
        storage::set(FLOWS_ENTRY, &flows.to_stored())?;
    }
    bound
}

/// Trades the code, once, and decides what happens to the new key.
async fn complete(params: CallbackParams, auth: Auth) -> Result<Step, AppError> {
    let validated = browser::with_lock(FLOWS_LOCK, move || consume_flow(params)).await?;
    storage::set_exchanging(Some(now_ms()));
    let outcome = exchange_code(validated).await;
    storage::set_exchanging(None);
    let new = outcome?;
    match auth.key().try_get_untracked().flatten() {
        // A stored key that OpenRouter no longer accepts is replaced without asking.
        Some(old) if !old.same_as(&new) && check_key(&old).await != Err(AppError::KeyRejected) => {
            Ok(Step::ConfirmReplace(new))
        }
        _ => {
            // A failed save still connects this tab; the banner says why it will not last.
            let _ = auth.sign_in(new);
            Ok(Step::Connected)
        }
    }
}

/// The callback page.
#[component]
pub fn CallbackPage() -> impl IntoView {
    let auth = use_auth();
    let nav = use_nav();
    // Read once, then clean the address bar and this history entry before anything else.
    let query = take_callback_query();
    browser::replace_url(&Route::Callback.path(&app_base()));
    let interrupted =
        storage::take_exchanging().is_some_and(|t| now_ms().saturating_sub(t) < FLOW_TTL_MS);

    let step = RwSignal::new(Step::Exchanging);
    let connected = auth.connected();
    let go_to_chat = move || nav.replace(Route::Home);
    let settle = move |outcome: Result<Step, AppError>| {
        let next = match outcome {
            Ok(Step::Connected) => {
                go_to_chat();
                Step::Connected
            }
            Ok(other) => other,
            Err(AppError::NoPendingSignIn) if connected.get_untracked() => Step::AlreadyConnected,
            Err(e) => Step::Failed(e),
        };
        // The page may be gone if the user left during the exchange: the
        // failure then goes with the app's notice to the start page.
        if let Some(Step::Failed(e)) = step.try_set(next) {
            auth.report(e);
        }
    };

    match parse_callback(&query) {
        Err(e) => settle(Err(e)),
        Ok(params) if !params.is_sign_in() && interrupted => {
            settle(Err(AppError::SignInInterrupted))
        }
        Ok(params) if !params.is_sign_in() => settle(Err(AppError::NoPendingSignIn)),
        // The app stays while this runs (see `App`), even if the user leaves this page.
        Ok(params) => spawn_local(async move {
            auth.set_exchanging(true);
            let outcome = complete(params, auth).await;
            settle(outcome);
            auth.set_exchanging(false);
        }),
    }

    let error = Signal::derive(move || match step.get() {
        Step::Failed(e) => Some(e),
        _ => None,
    });

    view! {
        <section class="callback" aria-labelledby="callback-title">
            <h1 id="callback-title">{move || step.with(Step::heading)}</h1>
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
                    let page = key_page_url(&new);
                    let keep = move |_| step.set(Step::KeptCurrent(page.clone()));
                    let replace = move |_| {
                        let _ = auth.sign_in(new.clone());
                        go_to_chat();
                    };
                    view! {
                        <p role="status">
                            "This browser is already connected with another OpenRouter key, which still "
                            "works. Use the new key instead? The key you do not use stays valid on "
                            "OpenRouter until you revoke it there."
                        </p>
                        <div class="actions">
                            <button type="button" on:click=replace>"Use the new key"</button>
                            <button type="button" on:click=keep>"Keep the current key"</button>
                        </div>
                    }.into_any()
                }
                Step::KeptCurrent(page) => view! {
                    <p role="status">
                        "The new key was not saved. It stays valid on OpenRouter until you "
                        <a href=page target="_blank" rel="noopener noreferrer">"revoke it there"</a>
                        "."
                    </p>
                    <p><Link to=Route::Home>"Go to the chat"</Link></p>
                }.into_any(),
                Step::Failed(_) if connected.get() => view! {
                    <p role="status">"You are still connected with your current key."</p>
                    <p><Link to=Route::Home>"Go to the chat"</Link></p>
                }.into_any(),
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
