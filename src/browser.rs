//! The thin browser edge: location, history, clocks, locks and start-up checks.
//! Everything that needs `window` and is not storage or HTTP lives here.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::error::AppError;

#[wasm_bindgen]
extern "C" {
    /// `navigator.locks.request(name, callback)` (Web Locks), declared here
    /// because web-sys marks it unstable.
    #[wasm_bindgen(js_namespace = ["navigator", "locks"], js_name = request, catch)]
    fn lock_request(name: &str, callback: &js_sys::Function) -> Result<js_sys::Promise, JsValue>;
}

// `import()` is syntax, not a function: wasm reaches it through this one-line module.
#[wasm_bindgen(inline_js = "export function import_module(url) { return import(url); }")]
extern "C" {
    #[wasm_bindgen(catch)]
    fn import_module(url: &str) -> Result<js_sys::Promise, JsValue>;
}

/// The browser window. The app only runs in one, so its absence is a bug.
///
/// # Panics
/// Outside a browser window (in a worker, say).
pub fn window() -> web_sys::Window {
    web_sys::window().expect("the app runs in a browser window")
}

/// A wasm module built beside the first view (the app), loaded and initialised.
pub struct LazyModule(JsValue);

impl LazyModule {
    /// Calls the module's exported function `name` with `args`.
    pub fn call(&self, name: &str, args: &[&JsValue]) {
        let Ok(f) = js_sys::Reflect::get(&self.0, &name.into())
            .and_then(|f| f.dyn_into::<js_sys::Function>())
        else {
            return;
        };
        let args: js_sys::Array = args.iter().copied().collect();
        let _ = f.apply(&JsValue::NULL, &args);
    }
}

/// Loads the module named by `<meta name="{name}-module">`,
/// `<meta name="{name}-wasm">` and `<meta name="{name}-css">` (written at
/// build time), with its styles. The browser fetches each once per page.
///
/// # Errors
/// [`AppError::AppUnavailable`] when it cannot be fetched or started.
pub async fn load_module(name: &str) -> Result<LazyModule, AppError> {
    let document = window().document().ok_or(AppError::AppUnavailable)?;
    let meta = |suffix: &str| {
        document
            .query_selector(&format!("meta[name={name}-{suffix}]"))
            .ok()
            .flatten()
            .and_then(|m| m.get_attribute("content"))
            .filter(|c| c.starts_with('/'))
    };
    let (Some(js), Some(wasm)) = (meta("module"), meta("wasm")) else {
        return Err(AppError::AppUnavailable);
    };
    // Its styles come with it (once).
    if let (Some(css), Some(head)) = (meta("css"), document.head())
        && document
            .query_selector(&format!("link[data-module-css={name}]"))
            .ok()
            .flatten()
            .is_none()
        && let Ok(link) = document.create_element("link")
    {
        let _ = link.set_attribute("rel", "stylesheet");
        let _ = link.set_attribute("href", &css);
        let _ = link.set_attribute("data-module-css", name);
        let _ = head.append_child(&link);
    }
    // The wasm downloads while the JS loads; init takes the pending response.
    // Like every fetch of the app, it sends no cookies and no referrer.
    let request = web_sys::RequestInit::new();
    request.set_credentials(web_sys::RequestCredentials::Omit);
    request.set_referrer_policy(web_sys::ReferrerPolicy::NoReferrer);
    let wasm = window().fetch_with_str_and_init(&wasm, &request);
    // Its failure is handled below, once the JS is in; until then it must not count as an
    // unhandled rejection (leaving the page mid-download aborts it, for one).
    thread_local! {
        static IGNORE: Closure<dyn FnMut(JsValue)> = Closure::new(|_: JsValue| {});
    }
    IGNORE.with(|ignore| {
        let _ = wasm.catch(ignore);
    });
    let promise = import_module(&js).map_err(|_| AppError::AppUnavailable)?;
    let module = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|_| AppError::AppUnavailable)?;
    let init = js_sys::Reflect::get(&module, &"default".into())
        .and_then(|f| f.dyn_into::<js_sys::Function>())
        .map_err(|_| AppError::AppUnavailable)?;
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"module_or_path".into(), &wasm);
    let started = init
        .call1(&JsValue::NULL, &options)
        .map_err(|_| AppError::AppUnavailable)?;
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(started))
        .await
        .map_err(|_| AppError::AppUnavailable)?;
    Ok(LazyModule(module))
}

/// The current path, such as `/switchboard/callback/`.
pub fn location_path() -> String {
    window().location().pathname().unwrap_or_default()
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// The base path the app is served under, such as `/` or `/switchboard/`,
/// always with leading and trailing slashes.
///
/// It is set once, at build time: the post-build hook writes trunk's public
/// URL, already reduced to its path, into `<meta name="app-base">`. Asset
/// links, the routes and the `callback_url` all follow it.
pub fn app_base() -> String {
    let content = window()
        .document()
        .and_then(|d| d.query_selector("meta[name=app-base]").ok().flatten())
        .and_then(|m| m.get_attribute("content"))
        .unwrap_or_default();
    checked_base(content)
}

/// Keeps a base path only in the form the build writes it: `/`, or
/// `/segment/…/` made of URL-safe characters; anything else means `/`.
pub fn checked_base(base: String) -> String {
    let well_formed = base.starts_with('/')
        && base.ends_with('/')
        && !base.contains("//")
        && base
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/-._~".contains(&b));
    if well_formed { base } else { "/".to_owned() }
}

/// This page's origin, such as `http://localhost:3000`.
pub fn origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// The app's public URL (origin and base path): the `HTTP-Referer` for attribution.
pub fn app_url() -> String {
    format!("{}{}", origin(), app_base())
}

/// Takes a string the page's own first script left on the global object
/// (and removes it there).
pub fn take_global_string(name: &str) -> Option<String> {
    let global = js_sys::global();
    let value = js_sys::Reflect::get(&global, &name.into())
        .ok()?
        .as_string()?;
    let _ =
        js_sys::Reflect::delete_property(global.unchecked_ref::<js_sys::Object>(), &name.into());
    Some(value)
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
    fn base_paths_are_checked() {
        for good in ["/", "/repo/", "/a/b/", "/my.site-2_x~/"] {
            assert_eq!(checked_base(good.to_owned()), good);
        }
        for bad in [
            "",
            "repo/",
            "/repo",
            "//",
            "/a//b/",
            "/x?y/",
            "/%2e/",
            "https://me.github.io/repo/",
            "/<x>/",
        ] {
            assert_eq!(checked_base(bad.to_owned()), "/", "{bad}");
        }
    }
}
