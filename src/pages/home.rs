//! `/`: the chat when connected; otherwise what the app is and how to connect.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::auth::use_auth;
use crate::components::chat_mount::ChatMount;
use crate::components::connect_button::ConnectButton;
use crate::components::error_banner::ErrorBanner;
use crate::components::paste_key::PasteKey;
use crate::error::AppError;
use crate::key::ApiKey;
use crate::openrouter::{KEYS_PAGE, check_key, fetch_model_counts};

/// The start page.
#[component]
pub fn HomePage() -> impl IntoView {
    let auth = use_auth();
    let connected = auth.connected();
    view! {
        <Show when=move || connected.get() fallback=Landing>
            <ChatMount/>
        </Show>
    }
}

/// What the app is, Connect, and pasting a key.
#[component]
fn Landing() -> impl IntoView {
    let auth = use_auth();
    // The model list is public: it loads before sign-in, once the page is up,
    // so that it never delays Connect. (A plain task, not a LocalResource: the
    // resource machinery would add ~10 KB to the first view.)
    let counts = RwSignal::new(None);
    set_timeout(
        move || {
            spawn_local(async move {
                let loaded = fetch_model_counts().await;
                counts.try_set(Some(loaded));
            });
        },
        std::time::Duration::ZERO,
    );
    let checking = RwSignal::new(false);
    let paste_error = RwSignal::new(None::<AppError>);
    let use_pasted = move |text: String| {
        paste_error.set(None);
        let key = match ApiKey::parse_pasted(&text) {
            Ok(key) => key,
            Err(e) => return paste_error.set(Some(e)),
        };
        checking.set(true);
        spawn_local(async move {
            // Stored only once OpenRouter has accepted it; signing in replaces this page.
            let outcome = check_key(&key).await.and_then(|()| auth.sign_in(key));
            checking.try_set(false);
            if let Err(e) = outcome {
                paste_error.try_set(Some(e));
            }
        });
    };
    view! {
        <section class="landing" aria-labelledby="landing-title">
            <h1 id="landing-title">"Chat with any model, using your own OpenRouter account"</h1>
            <p>
                "Switchboard runs entirely in your browser. Connect once and OpenRouter gives this "
                "browser a key of your own; your conversations go from here to OpenRouter and "
                "nowhere else."
            </p>
            {move || auth.disconnected().get().map(|page| view! {
                <p class="notice" role="status">
                    "Disconnected: this browser forgot the key. It still works on OpenRouter until you "
                    <a href=page target="_blank" rel="noopener noreferrer">"revoke it there"</a>
                    "."
                </p>
            })}
            <ErrorBanner error=auth.notice()/>
            <ConnectButton/>
            <p class="hint">
                {move || match counts.get() {
                    Some(Ok((all, free))) => format!("{all} models to choose from, {free} of them free."),
                    _ => String::new(),
                }}
            </p>

            <PasteKey checking=checking on_submit=Callback::new(use_pasted)/>
            <ErrorBanner error=paste_error/>
            <About/>
        </section>
    }
}

/// Where the key lives and what that means (shared/SECURITY.md §7): static text.
#[component]
fn About() -> impl IntoView {
    view! {
        <details class="about">
            <summary>"About your key"</summary>
            <p>
                "The key OpenRouter issues is kept in this browser, for this site only, and is sent "
                "to openrouter.ai alone. Any other page served from this same origin could read it: "
                "use a copy of Switchboard on an address of its own, and give the key a credit limit."
            </p>
            <p>
                "Disconnect makes this browser forget the key; it keeps working on OpenRouter until you "
                <a href=KEYS_PAGE target="_blank" rel="noopener noreferrer">"revoke it in your key settings"</a>
                ". Some browsers (Safari) clear a site's storage after a week without a visit: you "
                "would then simply be disconnected."
            </p>
        </details>
    }
}
