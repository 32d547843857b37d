//! The root component: the auth and navigation contexts, and the shell.

use leptos::prelude::*;

use crate::auth::{provide_auth, use_auth};
use crate::pages::callback::CallbackPage;
use crate::pages::home::HomePage;
use crate::pages::not_found::NotFoundPage;
use crate::route::{Link, Route, provide_nav};

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    provide_auth();
    let nav = provide_nav();
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
