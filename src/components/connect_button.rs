//! The Connect button that starts OpenRouter's sign-in.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::auth::use_auth;
use crate::components::error_banner::ErrorBanner;
use crate::error::AppError;

/// Starts a sign-in: a fresh verifier and flow, then OpenRouter's consent page.
/// If sign-in cannot start (no secure randomness, storage refused), it says
/// so and stays on the page.
#[component]
pub fn ConnectButton(
    /// The button's text; it always contains "Connect".
    #[prop(into, default = "Connect OpenRouter".into())]
    label: Signal<String>,
) -> impl IntoView {
    let auth = use_auth();
    let starting = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let start = move |_| {
        starting.set(true);
        error.set(None);
        spawn_local(async move {
            if let Err(e) = auth.begin_login().await {
                error.try_set(Some(e));
            }
            // Navigation is under way, or it failed; either way the button is usable again.
            starting.try_set(false);
        });
    };
    view! {
        <button
            type="button"
            class="connect"
            on:click=start
            aria-busy=move || starting.get().to_string()
        >
            {label}
        </button>
        <ErrorBanner error=error/>
    }
}
