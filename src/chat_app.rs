//! The chat as its own app, mounted by the chat module (`src/bin/chat.rs`)
//! into the element the main app gives it. It keeps its own contexts: the
//! key (read from the same storage entry and following other tabs) and the
//! model list.

use leptos::prelude::*;

use crate::auth::provide_auth;
use crate::error::AppError;
use crate::openrouter::fetch_models;
use crate::openrouter::types::Model;
use crate::pages::chat::ChatPage;

/// The public model list (no key needed), fetched once when the chat mounts.
#[derive(Debug, Clone, Copy)]
struct Models(Signal<Option<Result<Vec<Model>, AppError>>>);

/// The model list: `None` until loaded.
///
/// # Panics
/// Outside [`ChatApp`], which provides it.
pub fn use_models() -> Signal<Option<Result<Vec<Model>, AppError>>> {
    use_context::<Models>()
        .expect("use_models() needs ChatApp as an ancestor")
        .0
}

/// The chat, with its contexts.
#[component]
pub fn ChatApp() -> impl IntoView {
    let auth = provide_auth();
    let models = LocalResource::new(fetch_models);
    provide_context(Models(Signal::derive(move || models.get())));
    view! {
        <Show when=move || auth.connected().get()>
            <ChatPage/>
        </Show>
    }
}
