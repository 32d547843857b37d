//! The chat module: loaded by the main app once the user is connected, so
//! that the first view stays small. It mounts the chat into the element the
//! main app gives it, and unmounts it when asked.
use std::any::Any;
use std::cell::RefCell;

use wasm_bindgen::prelude::*;

thread_local! {
    static MOUNTED: RefCell<Option<Box<dyn Any>>> = const { RefCell::new(None) };
}

/// Mounts the chat into `parent`, replacing any chat mounted before.
#[wasm_bindgen]
pub fn mount(parent: web_sys::HtmlElement) {
    console_error_panic_hook::set_once();
    unmount();
    let handle = leptos::mount::mount_to(parent, switchboard::chat_app::ChatApp);
    MOUNTED.with(|m| *m.borrow_mut() = Some(Box::new(handle)));
}

/// Unmounts the chat: its requests are aborted and its listeners removed.
#[wasm_bindgen]
pub fn unmount() {
    let handle = MOUNTED.with(|m| m.borrow_mut().take());
    drop(handle);
}

fn main() {}
