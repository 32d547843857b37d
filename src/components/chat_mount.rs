//! Where the chat goes: loads the chat module on first use and mounts it.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::{self, ChatModule};
use crate::components::error_banner::ErrorBanner;
use crate::error::AppError;

/// Loads the chat module (once per page) and mounts the chat here; unmounts
/// it when this component goes (Disconnect, another route).
#[component]
pub fn ChatMount() -> impl IntoView {
    let root = NodeRef::<leptos::html::Div>::new();
    let failed = RwSignal::new(None::<AppError>);
    let attempt = RwSignal::new(0u32);
    let mounted = StoredValue::new_local(None::<ChatModule>);
    Effect::new(move || {
        attempt.track();
        let Some(el) = root.get() else { return };
        spawn_local(async move {
            match browser::load_chat_module().await {
                Ok(module) if !failed.is_disposed() => {
                    module.mount(&el);
                    mounted.set_value(Some(module));
                }
                Ok(_) => {}
                Err(e) => {
                    failed.try_set(Some(e));
                }
            }
        });
    });
    on_cleanup(move || {
        if let Some(module) = mounted.try_update_value(Option::take).flatten() {
            module.unmount();
        }
    });
    view! {
        <div class="chat-root" node_ref=root></div>
        <ErrorBanner error=failed>
            <button type="button" on:click=move |_| {
                failed.set(None);
                attempt.update(|n| *n += 1);
            }>"Try again"</button>
        </ErrorBanner>
    }
}
