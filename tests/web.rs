//! Browser-only code, tested in headless Chromium with wasm-bindgen-test:
//! storage, the key signal and other tabs, the secure-random requirement,
//! the callback page's refusals, and the app giving the page back.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use switchboard::app::{App, SignedOut};
use switchboard::auth::provide_auth;
use switchboard::callback::{PendingFlow, PendingFlows};
use switchboard::error::AppError;
use switchboard::key::ApiKey;
use switchboard::pkce::{FlowId, PkceVerifier};
use switchboard::storage::{self, FLOWS_ENTRY, KEY_ENTRY};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const KEY: &str = "sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn clear() {
    window().local_storage().unwrap().unwrap().clear().unwrap();
}

async fn tick() {
    // Let effects, microtasks and a frame run.
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Empty storage (with `stored` as the key entry, if given), a reactive owner
/// and the auth context, as the app has at start. Keep the owner alive.
fn fresh_auth(stored: Option<&str>) -> (Owner, switchboard::auth::Auth) {
    clear();
    if let Some(value) = stored {
        storage::set(KEY_ENTRY, value).unwrap();
    }
    let owner = Owner::new();
    owner.set();
    (owner, provide_auth())
}

#[wasm_bindgen_test]
fn the_stored_key_is_loaded_at_start() {
    let (_owner, auth) = fresh_auth(Some(KEY));
    assert!(auth.connected().get_untracked());
    assert_eq!(
        auth.key()
            .get_untracked()
            .map(|k| k.secret().to_owned())
            .as_deref(),
        Some(KEY)
    );
    assert_eq!(auth.notice().get_untracked(), None);
}

#[wasm_bindgen_test]
fn a_malformed_stored_key_is_ignored_and_reported() {
    let (_owner, auth) = fresh_auth(Some("sk-or-v1-has a space"));
    assert!(!auth.connected().get_untracked());
    assert_eq!(
        auth.notice().get_untracked(),
        Some(AppError::StoredKeyInvalid)
    );
    // Ignored, not destroyed: only sign-in and Disconnect write the entry.
    assert_eq!(
        storage::get(KEY_ENTRY).unwrap().as_deref(),
        Some("sk-or-v1-has a space")
    );
}

#[wasm_bindgen_test]
fn sign_in_writes_the_one_entry_and_disconnect_removes_it() {
    let (_owner, auth) = fresh_auth(None);
    auth.sign_in(ApiKey::parse(KEY).unwrap()).unwrap();
    assert_eq!(storage::get(KEY_ENTRY).unwrap().as_deref(), Some(KEY));
    let storage = window().local_storage().unwrap().unwrap();
    assert_eq!(
        storage.length().unwrap(),
        1,
        "the key is written to one entry only"
    );
    auth.disconnect();
    assert_eq!(storage::get(KEY_ENTRY).unwrap(), None);
    assert!(!auth.connected().get_untracked());
}

#[wasm_bindgen_test]
async fn other_tabs_are_followed_through_storage_events() {
    let (_owner, auth) = fresh_auth(Some(KEY));
    assert!(auth.connected().get_untracked());
    // Another tab disconnects: the entry goes and this tab gets a storage event.
    storage::remove(KEY_ENTRY).unwrap();
    let init = web_sys::StorageEventInit::new();
    init.set_key(Some(KEY_ENTRY));
    let event = web_sys::StorageEvent::new_with_event_init_dict("storage", &init).unwrap();
    window().dispatch_event(&event).unwrap();
    tick().await;
    assert!(!auth.connected().get_untracked());
    // Another tab writes a planted, malformed value: it is ignored and reported.
    storage::set(KEY_ENTRY, "not a key").unwrap();
    window().dispatch_event(&event).unwrap();
    tick().await;
    assert!(!auth.connected().get_untracked());
    assert_eq!(
        auth.notice().get_untracked(),
        Some(AppError::StoredKeyInvalid)
    );
}

#[wasm_bindgen_test]
async fn property_3_sign_in_fails_without_secure_randomness_and_does_not_navigate() {
    let crypto = js_sys::Reflect::get(&window(), &"crypto".into()).unwrap();
    let original = js_sys::Reflect::get(&crypto, &"getRandomValues".into()).unwrap();
    let math = js_sys::Reflect::get(&window(), &"Math".into()).unwrap();
    let random = js_sys::Reflect::get(&math, &"random".into()).unwrap();
    // A tripwire: a fallback to a non-crypto RNG would call it.
    let tripwire =
        js_sys::Function::new_no_args("globalThis.__mathRandomCalled = true; return 0.5;");
    // `crypto.getRandomValues` failing, then missing (not a function).
    let broken = [
        js_sys::Function::new_no_args("throw new Error('no entropy')").into(),
        JsValue::UNDEFINED,
    ];
    for replacement in broken {
        let (_owner, auth) = fresh_auth(None);
        js_sys::Reflect::set(&crypto, &"getRandomValues".into(), &replacement).unwrap();
        js_sys::Reflect::set(&math, &"random".into(), &tripwire).unwrap();
        let href = window().location().href().unwrap();

        let result = auth.begin_login().await;

        js_sys::Reflect::set(&crypto, &"getRandomValues".into(), &original).unwrap();
        js_sys::Reflect::set(&math, &"random".into(), &random).unwrap();
        assert_eq!(result, Err(AppError::NoSecureRandom));
        assert_eq!(window().location().href().unwrap(), href);
        assert_eq!(storage::get(FLOWS_ENTRY).unwrap(), None, "no flow recorded");
        let called = js_sys::Reflect::get(&window(), &"__mathRandomCalled".into()).unwrap();
        assert!(called.is_undefined(), "Math.random was used");
    }
}

#[wasm_bindgen_test]
fn the_framing_check_sees_this_page_is_not_framed() {
    assert!(!switchboard::browser::is_framed());
    assert!(!switchboard::browser::has_foreign_service_worker());
}

/// Waits (up to two seconds) until `ready` holds.
async fn wait_for(what: &str, ready: impl Fn() -> bool) {
    for _ in 0..100 {
        if ready() {
            return;
        }
        tick().await;
    }
    panic!("timed out waiting for {what}");
}

/// Mounts the app at `url` in a fresh element and returns the element.
async fn mount_at(url: &str) -> web_sys::HtmlElement {
    mount_recording(url, Callback::new(|_| {})).await
}

/// Mounts the app at `url`, calling `on_signed_out` when it gives the page back.
async fn mount_recording(url: &str, on_signed_out: Callback<SignedOut>) -> web_sys::HtmlElement {
    window()
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
        .unwrap();
    let parent: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&parent).unwrap();
    leptos::mount::mount_to(parent.clone(), move || view! { <App on_signed_out/> }).forget();
    tick().await;
    parent
}

/// Records one pending sign-in, as Connect does, and returns its flow id.
fn store_a_pending_flow() -> FlowId {
    let id = FlowId::generate().unwrap();
    let now = switchboard::browser::now_ms();
    let mut flows = PendingFlows::default();
    flows.insert(
        &id,
        PendingFlow::new(PkceVerifier::generate().unwrap(), now),
        now,
    );
    storage::set(FLOWS_ENTRY, &flows.to_stored()).unwrap();
    id
}

#[wasm_bindgen_test]
async fn a_callback_without_a_pending_flow_exchanges_nothing_and_cleans_the_url() {
    clear();
    storage::set(KEY_ENTRY, KEY).unwrap();
    let id = store_a_pending_flow();

    let root = mount_at("/callback/?flow=__proto__&code=attacker").await;
    wait_for("the outcome", || {
        root.text_content()
            .unwrap_or_default()
            .contains("still connected")
    })
    .await;
    assert_eq!(window().location().search().unwrap(), "");
    assert!(
        root.text_content().unwrap().contains("still connected"),
        "{}",
        root.text_content().unwrap()
    );
    assert_eq!(storage::get(KEY_ENTRY).unwrap().as_deref(), Some(KEY));
    // The pending flow is untouched.
    let kept = PendingFlows::parse(&storage::get(FLOWS_ENTRY).unwrap().unwrap());
    assert!(kept.contains(&id));
    root.remove();
}

#[wasm_bindgen_test]
async fn a_cancelled_sign_in_consumes_its_flow_and_shows_plain_text() {
    clear();
    let id = store_a_pending_flow();

    let url = format!(
        "/callback/?flow={}&error=access_denied&error_description=%3Cb%3Eno%3C%2Fb%3E",
        id.as_str()
    );
    let root = mount_at(&url).await;
    wait_for("an alert", || {
        root.query_selector("[role=alert]").ok().flatten().is_some()
    })
    .await;
    let alert = root
        .query_selector("[role=alert]")
        .unwrap()
        .expect("an alert");
    let text = alert.text_content().unwrap();
    assert!(text.starts_with("Sign-in was cancelled"), "{text}");
    assert!(text.contains("<b>no</b>"), "markup shown as text: {text}");
    assert!(
        alert.query_selector("b").unwrap().is_none(),
        "no markup rendered"
    );
    assert!(PendingFlows::parse(&storage::get(FLOWS_ENTRY).unwrap().unwrap()).is_empty());
    assert_eq!(window().location().search().unwrap(), "");
    root.remove();
}

#[wasm_bindgen_test]
async fn the_app_gives_the_page_back_at_the_start_address_without_a_key() {
    clear();
    let calls = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = {
        let calls = calls.clone();
        Callback::new(move |out: SignedOut| calls.lock().unwrap().push(out))
    };
    // Connected: the chat, and the page stays with the app.
    storage::set(KEY_ENTRY, KEY).unwrap();
    let root = mount_recording("/", record).await;
    wait_for("the chat", || {
        root.query_selector("textarea").ok().flatten().is_some()
    })
    .await;
    assert!(calls.lock().unwrap().is_empty());
    // Disconnect: the page goes back to the start page, with the forgotten key's page.
    let disconnect: web_sys::HtmlElement = document()
        .query_selector("button.disconnect")
        .unwrap()
        .expect("Disconnect in the top bar")
        .unchecked_into();
    disconnect.click();
    wait_for("the hand-back", || !calls.lock().unwrap().is_empty()).await;
    let out = calls.lock().unwrap().clone();
    assert_eq!(out.len(), 1, "{out:?}");
    let revoke = out[0].revoke_page.as_deref().expect("the key's page");
    assert!(
        revoke.starts_with("https://openrouter.ai/keys/"),
        "{revoke}"
    );
    assert_eq!(out[0].notice, None);
    assert_eq!(storage::get(KEY_ENTRY).unwrap(), None);
    root.remove();
}

#[wasm_bindgen_test]
fn the_exchange_answer_is_read_with_the_browsers_json() {
    use switchboard::openrouter::{KeyField, key_field};
    assert_eq!(
        key_field(r#"{"key":"sk-or-v1-abc","user_id":null}"#),
        KeyField::Text("sk-or-v1-abc".into())
    );
    assert_eq!(key_field(r#"{"key":42}"#), KeyField::NotText);
    assert_eq!(key_field(r#"{"key":{"nested":1}}"#), KeyField::NotText);
    assert_eq!(key_field(r#"{"key":null}"#), KeyField::Missing);
    assert_eq!(key_field(r#"{"user_id":"u"}"#), KeyField::Missing);
    assert_eq!(key_field(r#"["key"]"#), KeyField::Missing);
    assert_eq!(key_field("not json"), KeyField::Missing);
    assert_eq!(key_field(""), KeyField::Missing);
}
