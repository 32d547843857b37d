//! The app module: everything past the start page (the callback, the chat,
//! unknown paths). The first view (`src/main.rs`, [`switchboard::start`])
//! loads it on demand and mounts it into `#app`; it gives the page back by
//! calling the function it was mounted with.
use std::any::Any;
use std::cell::RefCell;

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use switchboard::app::{App, SignedOut};
use wasm_bindgen::prelude::*;

thread_local! {
    static MOUNTED: RefCell<Option<Box<dyn Any>>> = const { RefCell::new(None) };
}

/// Mounts the app into `parent`, replacing any app mounted before.
/// `signed_out(revoke_page, notice)` is called, with two strings or nulls,
/// when the app reaches the start page without a key. `callback_query` is
/// the callback's query, which the first view took out of the address.
#[wasm_bindgen]
pub fn mount(
    parent: web_sys::HtmlElement,
    signed_out: js_sys::Function,
    callback_query: Option<String>,
) {
    console_error_panic_hook::set_once();
    unmount();
    let signed_out = SendWrapper::new(signed_out);
    let on_signed_out = Callback::new(move |out: SignedOut| {
        let text = |s: Option<String>| s.map_or(JsValue::NULL, JsValue::from);
        let _ = signed_out.call2(&JsValue::NULL, &text(out.revoke_page), &text(out.notice));
    });
    let handle = leptos::mount::mount_to(
        parent,
        move || view! { <App on_signed_out callback_query/> },
    );
    MOUNTED.with(|m| *m.borrow_mut() = Some(Box::new(handle)));
}

/// Unmounts the app: its requests are aborted and its listeners removed.
#[wasm_bindgen]
pub fn unmount() {
    let handle = MOUNTED.with(|m| m.borrow_mut().take());
    drop(handle);
}

fn main() {}
