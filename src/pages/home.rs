//! `/` once connected: the chat. (Without a key, the start address shows
//! the start page, which is the first view: [`crate::start`].)

use leptos::prelude::*;

use crate::auth::use_auth;
use crate::chat_app::ChatApp;

/// The start address, connected.
#[component]
pub fn HomePage() -> impl IntoView {
    let connected = use_auth().connected();
    view! {
        <Show when=move || connected.get()>
            <ChatApp/>
        </Show>
    }
}
