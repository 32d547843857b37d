//! The first view: the start page (what the app is, Connect, pasting a key).
//!
//! It is plain HTML in `index.html`, bound to the DOM here by hand, with no
//! framework: Connect is ready as soon as this small module is, and the page
//! is only this module's size. Everything past the start page (the callback,
//! the chat) is the app module (`src/bin/app.rs`), loaded on demand into
//! `#app` ([`browser::load_module`]). The app gives the page back through the
//! function it is mounted with, when it reaches the start page without a key
//! (Disconnect, another tab disconnecting, "Back to the start").
//!
//! Which one shows: the app for the callback and unknown paths, and for the
//! start address once a key is stored; the start page otherwise.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement};

use crate::browser::{self, LazyModule, app_base, window};
use crate::error::AppError;
use crate::key::ApiKey;
use crate::openrouter::{check_key, fetch_model_counts};
use crate::route::Route;
use crate::signin::{self, blocked, load_key, store_key};
use crate::storage::KEY_ENTRY;

/// The page's state: which of the two shows, and the app module once loaded.
#[derive(Default)]
struct Page {
    /// The app is wanted in `#app`: loading, failed to load, or mounted.
    app_shown: bool,
    /// The app is mounted: it follows the address and other tabs itself.
    mounted: bool,
    /// The app module, loaded at most once per page.
    app: Option<Rc<LazyModule>>,
    /// The callback's query, taken out of the address at start, for the
    /// app's first mount.
    callback_query: Option<String>,
    /// The model counts have been asked for.
    counts_requested: bool,
}

thread_local! {
    static PAGE: RefCell<Page> = RefCell::default();
    /// The function the app module calls to give the page back.
    static SIGNED_OUT: JsValue = Closure::<dyn Fn(JsValue, JsValue)>::new(signed_out).into_js_value();
}

/// Binds the start page and shows what this address and this browser's
/// storage call for. Called once, by `main`.
pub fn start() {
    // The page's "Loading…" line, for a slow or failed first view, has done its job.
    if let Some(boot) = element("boot") {
        boot.remove();
    }
    // The callback's query holds the code: it leaves the address bar and this
    // history entry before anything else. The app gets it when it mounts.
    // (The page's first script has done so already, and left it here.)
    if current_route() == Route::Callback {
        let query = browser::take_global_string("switchboardCallbackQuery")
            .unwrap_or_else(browser::location_search);
        browser::replace_url(&Route::Callback.path(&app_base()));
        PAGE.with(|p| p.borrow_mut().callback_query = Some(query));
    }
    // Framed by another page, or watched by a foreign service worker: no key,
    // no sign-in, no app; only the reason.
    if let Some(blocked) = blocked() {
        if let Some(app) = element("app") {
            app.append_with_node_1(&banner_main(&blocked.error().to_string()))
                .ok();
        }
        return;
    }
    // Connect first, so that it is ready the moment the page shows; the rest
    // is bound in the next task, after the start page has had its first paint.
    bind_connect();
    show_what_fits();
    later(|| {
        bind_home_link();
        bind_paste();
        // Another tab connected (storage events fire in the other tabs only; no
        // key name means storage was cleared).
        listen(&window(), "storage", |event| {
            let event: &web_sys::StorageEvent = event.unchecked_ref();
            if event.key().is_none_or(|k| k == KEY_ENTRY) && !app_shown() {
                show_what_fits();
            }
        });
        // Back or Forward (or the name in the top bar); a mounted app follows
        // the address itself.
        listen(&window(), "popstate", |_| {
            if !PAGE.with(|p| p.borrow().mounted) {
                show_what_fits();
            }
        });
    });
}

/// The start page at the start address without a key; the app otherwise.
fn show_what_fits() {
    match (current_route(), load_key()) {
        (Route::Home, Ok(None)) => show_start(None, None),
        (Route::Home, Err(e)) => show_start(None, Some(e.to_string())),
        _ if app_shown() => {}
        _ => show_app(),
    }
}

fn document() -> Document {
    window().document().expect("the page has a document")
}

fn element(id: &str) -> Option<Element> {
    document().get_element_by_id(id)
}

fn app_shown() -> bool {
    PAGE.with(|p| p.borrow().app_shown)
}

fn current_route() -> Route {
    Route::from_path(&browser::location_path(), &app_base())
}

/// Calls `handler` on every `kind` event at `target`, for the page's lifetime.
fn listen(target: &web_sys::EventTarget, kind: &str, handler: impl Fn(&web_sys::Event) + 'static) {
    let closure = Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| handler(&e));
    target
        .add_event_listener_with_callback(kind, closure.as_ref().unchecked_ref())
        .ok();
    closure.forget();
}

/// Runs `f` once the current task is over.
fn later(f: impl FnOnce() + 'static) {
    let callback = Closure::once_into_js(f);
    window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), 0)
        .ok();
}

fn set_busy(id: &str, busy: bool) {
    if let Some(el) = element(id) {
        el.set_attribute("aria-busy", if busy { "true" } else { "false" })
            .ok();
    }
}

/// `<div class="error-banner" role="alert"><p>{message}</p></div>`, as text.
fn banner(message: &str) -> Element {
    let doc = document();
    let banner = doc.create_element("div").expect("create a div");
    banner.set_class_name("error-banner");
    banner.set_attribute("role", "alert").ok();
    let p = doc.create_element("p").expect("create a p");
    p.set_text_content(Some(message));
    banner.append_with_node_1(&p).ok();
    banner
}

/// A `<main>` holding only an error banner (when nothing else can show).
fn banner_main(message: &str) -> Element {
    let main = document().create_element("main").expect("create a main");
    main.append_with_node_1(&banner(message)).ok();
    main
}

/// Shows `error` in the slot `id`, or empties it.
fn show_error(id: &str, error: Option<&str>) {
    let Some(slot) = element(id) else { return };
    slot.set_text_content(None);
    if let Some(message) = error {
        slot.append_with_node_1(&banner(message)).ok();
    }
}

/// After a Disconnect in this tab: the forgotten key still works on
/// OpenRouter, so the notice links to its page there.
fn show_disconnected(revoke_page: Option<&str>) {
    let Some(slot) = element("disconnected-slot") else {
        return;
    };
    slot.set_text_content(None);
    let Some(page) = revoke_page else { return };
    let doc = document();
    let p = doc.create_element("p").expect("create a p");
    p.set_class_name("notice");
    p.set_attribute("role", "status").ok();
    let a = doc.create_element("a").expect("create an a");
    a.set_attribute("href", page).ok();
    a.set_attribute("target", "_blank").ok();
    a.set_attribute("rel", "noopener noreferrer").ok();
    a.set_text_content(Some("revoke it there"));
    p.append_with_str_1(
        "Disconnected: this browser forgot the key. It still works on OpenRouter until you ",
    )
    .ok();
    p.append_with_node_1(&a).ok();
    p.append_with_str_1(".").ok();
    slot.append_with_node_1(&p).ok();
}

/// Shows the start page, with what the app said when it gave the page back.
fn show_start(revoke_page: Option<String>, notice: Option<String>) {
    PAGE.with(|p| p.borrow_mut().app_shown = false);
    // What the app's place held while it loaded or failed to (never the app itself).
    if let Some(root) = element("app")
        && !PAGE.with(|p| p.borrow().mounted)
    {
        root.set_text_content(None);
    }
    show_disconnected(revoke_page.as_deref());
    show_error("notice-slot", notice.as_deref());
    if let Some(start) = element("start").and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        start.set_hidden(false);
    }
    let first = PAGE.with(|p| !std::mem::replace(&mut p.borrow_mut().counts_requested, true));
    if first {
        // The model list is public: it loads once the page is up, so that it never delays Connect.
        later(|| {
            wasm_bindgen_futures::spawn_local(async {
                if let (Ok((all, free)), Some(hint)) =
                    (fetch_model_counts().await, element("model-counts"))
                {
                    hint.set_text_content(Some(&format!(
                        "{all} models to choose from, {free} of them free."
                    )));
                }
            });
        });
    }
}

/// Hides the start page and shows the app, loading it first if need be.
fn show_app() {
    PAGE.with(|p| p.borrow_mut().app_shown = true);
    if let Some(start) = element("start").and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        start.set_hidden(true);
    }
    // What the start page said belongs to it; it starts afresh next time.
    for slot in [
        "disconnected-slot",
        "notice-slot",
        "connect-error-slot",
        "paste-error-slot",
    ] {
        show_error(slot, None);
    }
    wasm_bindgen_futures::spawn_local(async {
        let Some(root) = element("app") else { return };
        let loaded = PAGE.with(|p| p.borrow().app.clone());
        let module = match loaded {
            Some(module) => module,
            None => match load_with_status(&root).await {
                Ok(module) => {
                    let module = Rc::new(module);
                    PAGE.with(|p| p.borrow_mut().app = Some(module.clone()));
                    module
                }
                Err(e) if app_shown() => return show_load_failure(&root, &e),
                Err(_) => return,
            },
        };
        if !app_shown() || PAGE.with(|p| p.borrow().mounted) {
            return;
        }
        root.set_text_content(None);
        let query = PAGE.with(|p| p.borrow_mut().callback_query.take());
        let query = query.map_or(JsValue::UNDEFINED, JsValue::from);
        SIGNED_OUT.with(|signed_out| module.call("mount", &[&root, signed_out, &query]));
        PAGE.with(|p| p.borrow_mut().mounted = true);
    });
}

/// Loads the app module, saying so in `root` meanwhile (the styles show it
/// only if the wait is long enough to notice).
async fn load_with_status(root: &Element) -> Result<LazyModule, AppError> {
    let doc = document();
    let main = doc.create_element("main").expect("create a main");
    let status = doc.create_element("p").expect("create a p");
    status.set_class_name("loading");
    status.set_attribute("role", "status").ok();
    status.set_text_content(Some("Loading Switchboard…"));
    main.append_with_node_1(&status).ok();
    root.set_text_content(None);
    root.append_with_node_1(&main).ok();
    browser::load_module("app").await
}

/// The app module did not load: say so, with Try again.
fn show_load_failure(root: &Element, error: &AppError) {
    let main = banner_main(&error.to_string());
    let button = document()
        .create_element("button")
        .expect("create a button");
    button.set_attribute("type", "button").ok();
    button.set_text_content(Some("Try again"));
    // (Loading again replaces this banner with its status line.)
    listen(&button, "click", |_| show_app());
    if let Some(banner) = main.first_element_child() {
        banner.append_with_node_1(&button).ok();
    }
    root.set_text_content(None);
    root.append_with_node_1(&main).ok();
}

/// Called by the app module when it reaches the start page without a key,
/// with the forgotten key's page (after a Disconnect here) and a notice.
fn signed_out(revoke_page: JsValue, notice: JsValue) {
    let (revoke_page, notice) = (revoke_page.as_string(), notice.as_string());
    // Not while the app is still running the update that called this.
    later(move || {
        if let Some(module) = PAGE.with(|p| p.borrow().app.clone()) {
            module.call("unmount", &[]);
        }
        PAGE.with(|p| p.borrow_mut().mounted = false);
        // (It also empties #app, now that nothing is mounted there.)
        show_start(revoke_page, notice);
    });
}

/// The name in the top bar goes to the start address without reloading the
/// page: whichever of the start page and the app shows follows `popstate`.
fn bind_home_link() {
    let Some(link) = element("home-link") else {
        return;
    };
    listen(&link, "click", |event| {
        let event: &web_sys::MouseEvent = event.unchecked_ref();
        if event.button() != 0
            || event.ctrl_key()
            || event.meta_key()
            || event.shift_key()
            || event.alt_key()
        {
            return;
        }
        event.prevent_default();
        // Not while a sign-in is being finished: its callback waiting for the
        // app, or the app trading the code (it marks #app busy meanwhile).
        let finishing = PAGE.with(|p| p.borrow().callback_query.is_some())
            || element("app")
                .and_then(|a| a.get_attribute("aria-busy"))
                .as_deref()
                == Some("true");
        if finishing {
            return;
        }
        if current_route() != Route::Home {
            browser::push_url(&app_base());
            if let Ok(popstate) = web_sys::Event::new("popstate") {
                window().dispatch_event(&popstate).ok();
            }
        }
    });
}

/// Connect: a fresh verifier and flow, then OpenRouter's consent page. If
/// sign-in cannot start, it says so and stays. The button is disabled in the
/// HTML, and enabled here once it does something.
fn bind_connect() {
    let Some(button) = element("connect") else {
        return;
    };
    listen(&button, "click", |_| {
        set_busy("connect", true);
        show_error("connect-error-slot", None);
        wasm_bindgen_futures::spawn_local(async {
            if let Err(e) = signin::begin_login().await {
                show_error("connect-error-slot", Some(&e.to_string()));
            }
            // Navigation is under way, or it failed; either way the button is usable again.
            set_busy("connect", false);
        });
    });
    button.remove_attribute("disabled").ok();
}

/// Pasting a key: checked with OpenRouter before anything is stored.
fn bind_paste() {
    let Some(form) = element("paste-form") else {
        return;
    };
    listen(&form, "submit", |event| {
        event.prevent_default();
        let Some(input) =
            element("paste-input").and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        let text = input.value().trim().to_owned();
        if text.is_empty() {
            return;
        }
        // Emptied at once, so the key does not linger on the page.
        input.set_value("");
        show_error("paste-error-slot", None);
        let key = match ApiKey::parse_pasted(&text) {
            Ok(key) => key,
            Err(e) => return show_error("paste-error-slot", Some(&e.to_string())),
        };
        set_busy("paste-submit", true);
        wasm_bindgen_futures::spawn_local(async move {
            // Stored only once OpenRouter has accepted it.
            let outcome = check_key(&key).await.and_then(|()| store_key(&key));
            set_busy("paste-submit", false);
            match outcome {
                Ok(()) => show_app(),
                Err(e) => show_error("paste-error-slot", Some(&e.to_string())),
            }
        });
    });
}
