//! The root component: auth context, router and shell.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::auth::{provide_auth, use_auth};
use crate::browser::app_base;
use crate::pages::callback::CallbackPage;
use crate::pages::home::HomePage;
use crate::pages::not_found::NotFoundPage;

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    provide_auth();
    let base = app_base();
    let router_base = base.trim_end_matches('/').to_owned();
    view! {
        <Router base=router_base>
            <Header home=base/>
            <main>
                <Routes fallback=|| view! { <NotFoundPage/> }>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/callback") view=CallbackPage/>
                </Routes>
            </main>
        </Router>
    }
}

/// The top bar: the name, and Disconnect when connected.
#[component]
fn Header(
    /// The app's base path, for the home link.
    home: String,
) -> impl IntoView {
    let auth = use_auth();
    view! {
        <header class="top-bar">
            <a class="brand" href=home>"Switchboard"</a>
            <Show when=move || auth.connected().get()>
                <button type="button" class="disconnect" on:click=move |_| auth.disconnect()>
                    "Disconnect"
                </button>
            </Show>
        </header>
    }
}
