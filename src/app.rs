//! The root component: the auth and navigation contexts, and the shell.

use leptos::prelude::*;

use crate::auth::{Blocked, provide_auth, use_auth};
use crate::components::error_banner::ErrorBanner;
use crate::error::AppError;
use crate::pages::callback::CallbackPage;
use crate::pages::home::HomePage;
use crate::pages::not_found::NotFoundPage;
use crate::route::{Link, Route, provide_nav};

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let auth = provide_auth();
    let nav = provide_nav();
    // Framed by another page, or watched by a foreign service worker: no key,
    // no sign-in, no chat; only the reason.
    if let Some(blocked) = auth.blocked() {
        let error = match blocked {
            Blocked::Framed => AppError::Framed,
            Blocked::ForeignWorker => AppError::ForeignServiceWorker,
        };
        return view! {
            <main><ErrorBanner error=Signal::stored(Some(error))/></main>
        }
        .into_any();
    }
    view! {
        <Header/>
        <main>
            {move || match nav.route().get() {
                Route::Home => view! { <HomePage/> }.into_any(),
                Route::Callback => view! { <CallbackPage/> }.into_any(),
                Route::NotFound => view! { <NotFoundPage/> }.into_any(),
            }}
        </main>
    }
    .into_any()
}

/// The top bar: the name, and Disconnect when connected.
#[component]
fn Header() -> impl IntoView {
    let auth = use_auth();
    view! {
        <header class="top-bar">
            <span class="brand"><Link to=Route::Home>"Switchboard"</Link></span>
            <Show when=move || auth.connected().get()>
                <button type="button" class="disconnect" on:click=move |_| auth.disconnect()>
                    "Disconnect"
                </button>
            </Show>
        </header>
    }
}
