//! The one place errors are shown.

use leptos::prelude::*;

use crate::error::AppError;

/// Shows the current error, if any, in a `role="alert"` element, as plain text.
#[component]
pub fn ErrorBanner(
    /// The error to show; nothing is rendered while it is `None`.
    #[prop(into)]
    error: Signal<Option<AppError>>,
    /// Extra actions shown under the message (a Connect button, a link).
    #[prop(optional)]
    children: Option<ChildrenFn>,
) -> impl IntoView {
    move || {
        error.get().map(|e| {
            view! {
                <div class="error-banner" role="alert">
                    <p>{e.to_string()}</p>
                    {children.as_ref().map(|c| c())}
                </div>
            }
        })
    }
}
