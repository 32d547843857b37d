//! The thin browser edge: location, history, clocks, locks and start-up checks.
//! Everything that needs `window` and is not storage or HTTP lives here.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::window;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `navigator.locks.request(name, callback)` (Web Locks), declared here
    /// because web-sys marks it unstable.
    #[wasm_bindgen(js_namespace = ["navigator", "locks"], js_name = request, catch)]
    fn lock_request(name: &str, callback: &js_sys::Function) -> Result<js_sys::Promise, JsValue>;
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The base path the app is served under, such as `/` or `/switchboard/`,
/// always with leading and trailing slashes.
///
/// It is set once, at build time: the post-build hook writes trunk's public
/// URL into `<meta name="app-base">`. Asset links, the router and the
/// `callback_url` all follow it.
pub fn app_base() -> String {
    let content = window()
        .document()
        .and_then(|d| d.query_selector("meta[name=app-base]").ok().flatten())
        .and_then(|m| m.get_attribute("content"))
        .unwrap_or_default();
    normalize_base(&content)
}

/// Normalises a base path: one leading and one trailing slash, no scheme or
/// host (a full public URL keeps only its path), nothing else touched.
pub fn normalize_base(raw: &str) -> String {
    let raw = raw.trim();
    let path = match raw.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => raw,
    };
    let inner = path.trim_matches('/');
    if inner.is_empty() || inner.contains(['?', '#', '%', '"', '<', '>', '\\']) {
        "/".to_owned()
    } else {
        format!("/{inner}/")
    }
}

/// This page's origin, such as `http://localhost:3000`.
pub fn origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// The app's public URL (origin and base path): the `HTTP-Referer` for attribution.
pub fn app_url() -> String {
    format!("{}{}", origin(), app_base())
}

/// The current query string, with its `?`, read once by the callback page.
pub fn location_search() -> String {
    window().location().search().unwrap_or_default()
}

/// Replaces the current history entry's URL without navigating, so that a
/// code in the address bar is gone from the bar and from history.
pub fn replace_url(url: &str) {
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(url));
    }
}

/// Adds a history entry for `url` without navigating.
pub fn push_url(url: &str) {
    if let Ok(history) = window().history() {
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(url));
    }
}

/// Sends the tab to another page (OpenRouter's consent page).
pub fn go_to(url: &str) -> Result<(), JsValue> {
    window().location().assign(url)
}

/// Puts text on the clipboard (best effort: the browser may refuse).
pub fn copy_text(text: &str) {
    let _ = window().navigator().clipboard().write_text(text);
}

/// Offers `content` as a file download named `name`.
pub fn download(name: &str, mime: &str, content: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = window()
        .document()
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// True when the app runs inside a frame (or the check itself fails).
pub fn is_framed() -> bool {
    let w = window();
    match w.top() {
        Ok(Some(top)) => !js_sys::Object::is(&top, &w),
        _ => true,
    }
}

/// True when a service worker controls the page. The app registers none, so
/// any controller belongs to someone else on this origin.
pub fn has_foreign_service_worker() -> bool {
    let navigator = window().navigator();
    let Ok(sw) = js_sys::Reflect::get(&navigator, &"serviceWorker".into()) else {
        return false;
    };
    if sw.is_undefined() || sw.is_null() {
        return false;
    }
    js_sys::Reflect::get(&sw, &"controller".into())
        .map(|c| !c.is_null() && !c.is_undefined())
        .unwrap_or(false)
}

/// Runs `critical` while holding the Web Lock `name`, so that tabs of this
/// origin take turns; without Web Locks it simply runs `critical`.
pub async fn with_lock<T: 'static>(name: &str, critical: impl FnOnce() -> T + 'static) -> T {
    let slot: Rc<RefCell<Option<T>>> = Rc::default();
    let job = Rc::new(RefCell::new(Some(critical)));
    let run = {
        let (slot, job) = (slot.clone(), job.clone());
        move || {
            if let Some(critical) = job.borrow_mut().take() {
                *slot.borrow_mut() = Some(critical());
            }
        }
    };
    let callback = Closure::once_into_js({
        let run = run.clone();
        move |_lock: JsValue| run()
    });
    if let Ok(promise) = lock_request(name, callback.unchecked_ref()) {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
    // Locks unavailable or failed: run without one.
    run();
    let value = slot.borrow_mut().take();
    value.expect("the critical section ran")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths_are_normalised() {
        assert_eq!(normalize_base(""), "/");
        assert_eq!(normalize_base("/"), "/");
        assert_eq!(normalize_base("/repo"), "/repo/");
        assert_eq!(normalize_base("repo/"), "/repo/");
        assert_eq!(normalize_base("/a/b/"), "/a/b/");
        assert_eq!(normalize_base("https://me.github.io/repo/"), "/repo/");
        assert_eq!(normalize_base("https://example.com"), "/");
        assert_eq!(normalize_base("/x?y"), "/");
    }
}
