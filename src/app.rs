//! The app module's root: the auth and navigation contexts, and the pages
//! past the start page. The start page itself is the first view
//! ([`crate::start`]); at the start address without a key, the app gives the
//! page back to it through `on_signed_out`.

use leptos::portal::Portal;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::auth::{provide_auth, use_auth};
use crate::browser::window;
use crate::components::error_banner::ErrorBanner;
use crate::pages::callback::CallbackPage;
use crate::pages::home::HomePage;
use crate::pages::not_found::NotFoundPage;
use crate::route::{Route, provide_nav};

/// What the start page shows when the app gives the page back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignedOut {
    /// After a Disconnect here: the forgotten key's page on OpenRouter.
    pub revoke_page: Option<String>,
    /// A problem with the key or storage, as text for a banner.
    pub notice: Option<String>,
}

/// The app past the start page.
#[component]
pub fn App(
    /// Called when the app reaches the start address without a key.
    on_signed_out: Callback<SignedOut>,
    /// The callback's query, when the first view took it out of the address.
    #[prop(default = None)]
    callback_query: Option<String>,
) -> impl IntoView {
    let auth = provide_auth();
    let nav = provide_nav();
    provide_context(CallbackQuery(StoredValue::new(callback_query)));
    // Framed by another page, or watched by a foreign service worker: no key,
    // no sign-in, no chat; only the reason. (The first view checks first.)
    if let Some(blocked) = auth.blocked() {
        return view! {
            <main><ErrorBanner error=Signal::stored(Some(blocked.error()))/></main>
        }
        .into_any();
    }
    // (Not while a sign-in is being completed: the key is on its way.)
    let at_start_without_key = Memo::new(move |_| {
        nav.route().get() == Route::Home && !auth.connected().get() && !auth.exchanging().get()
    });
    // The page's #app is busy while a code is being traded: the first view's
    // link to the start address waits for it.
    Effect::new(move || {
        let busy = auth.exchanging().get();
        if let Some(root) = window().document().and_then(|d| d.get_element_by_id("app")) {
            let _ = root.set_attribute("aria-busy", if busy { "true" } else { "false" });
        }
    });
    Effect::new(move || {
        if at_start_without_key.get() {
            on_signed_out.run(SignedOut {
                revoke_page: auth.disconnected().get_untracked(),
                notice: auth.notice().get_untracked().map(|e| e.to_string()),
            });
        }
    });
    view! {
        <Disconnect/>
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

/// The callback's query, as the first view took it out of the address.
#[derive(Debug, Clone, Copy)]
pub struct CallbackQuery(StoredValue<Option<String>>);

/// The callback's query, once: the first view took it out of the address
/// (without the first view, as in tests, it is still in the address).
pub fn take_callback_query() -> String {
    use_context::<CallbackQuery>()
        .and_then(|q| q.0.try_update_value(Option::take).flatten())
        .unwrap_or_else(crate::browser::location_search)
}

/// Disconnect, in the page's top bar (which is part of the first view).
#[component]
fn Disconnect() -> impl IntoView {
    let auth = use_auth();
    let top_bar = window()
        .document()
        .and_then(|d| d.query_selector(".top-bar").ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::Element>().ok());
    view! {
        <Portal mount=top_bar.unwrap_or_else(|| window().document().and_then(|d| d.body()).expect("a body").into())>
            <Show when=move || auth.connected().get()>
                <button type="button" class="disconnect" on:click=move |_| auth.disconnect()>
                    "Disconnect"
                </button>
            </Show>
        </Portal>
    }
}
