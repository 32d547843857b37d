//! The chat with its model list, the public `GET /api/v1/models` fetched once
//! when the chat first shows.

use leptos::prelude::*;

use crate::error::AppError;
use crate::openrouter::fetch_models;
use crate::openrouter::types::Model;
use crate::pages::chat::ChatPage;

/// The model list: `None` until loaded.
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

/// The chat, with its model list.
#[component]
pub fn ChatApp() -> impl IntoView {
    let models = LocalResource::new(fetch_models);
    provide_context(Models(Signal::derive(move || models.get())));
    view! { <ChatPage/> }
}
