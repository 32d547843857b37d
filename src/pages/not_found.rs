//! Any path the app does not know.

use leptos::prelude::*;

use crate::route::{Link, Route};

/// The page for unknown paths, with a way back.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <section class="not-found" aria-labelledby="not-found-title">
            <h1 id="not-found-title">"Page not found"</h1>
            <p>"There is nothing at this address."</p>
            <p><Link to=Route::Home>"Go to Switchboard"</Link></p>
        </section>
    }
}
