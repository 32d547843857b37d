//! `/` once connected: the chat (or, while a sign-in is being completed,
//! that it is). Without a key, the start address shows the start page, which
//! is the first view: [`crate::start`].

use leptos::prelude::*;

use crate::auth::use_auth;
use crate::chat_app::ChatApp;

/// The start address, connected.
#[component]
pub fn HomePage() -> impl IntoView {
    let auth = use_auth();
    let connected = auth.connected();
    let exchanging = auth.exchanging();
    view! {
        <Show
            when=move || connected.get()
            fallback=move || exchanging.get().then(|| view! {
                <section class="callback">
                    <p role="status" aria-busy="true">"Finishing sign-in…"</p>
                </section>
            })
        >
            <ChatApp/>
        </Show>
    }
}
