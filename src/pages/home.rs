//! `/`: the chat when connected; otherwise what the app is and how to connect.

use leptos::prelude::*;

use crate::auth::{Blocked, use_auth};
use crate::components::connect_button::ConnectButton;
use crate::components::error_banner::ErrorBanner;
use crate::error::AppError;
use crate::pages::chat::ChatPage;

/// The start page.
#[component]
pub fn HomePage() -> impl IntoView {
    let auth = use_auth();
    if let Some(blocked) = auth.blocked() {
        let error = match blocked {
            Blocked::Framed => AppError::Framed,
            Blocked::ForeignWorker => AppError::ForeignServiceWorker,
        };
        return view! { <ErrorBanner error=Signal::stored(Some(error))/> }.into_any();
    }
    let connected = auth.connected();
    view! {
        <Show when=move || connected.get() fallback=Landing>
            <ChatPage/>
        </Show>
    }
    .into_any()
}

/// What the app is, and the Connect button.
#[component]
fn Landing() -> impl IntoView {
    let auth = use_auth();
    view! {
        <section class="landing" aria-labelledby="landing-title">
            <h1 id="landing-title">"Chat with any model, using your own OpenRouter account"</h1>
            <p>
                "Switchboard runs entirely in your browser. Connect once and OpenRouter gives this "
                "browser a key of your own; your conversations go from here to OpenRouter and "
                "nowhere else."
            </p>
            <ErrorBanner error=auth.notice()/>
            <ConnectButton/>
        </section>
    }
}
