//! Switchboard: chat with any model through your own OpenRouter account,
//! from the browser alone.
//!
//! # Module map
//! - Pure core, tested natively: [`pkce`] (verifier, challenge, flow id),
//!   [`callback`] (parsing and binding the callback), [`key`] (the secret key),
//!   [`openrouter::types`] and [`openrouter::sse`] (API bodies, the stream),
//!   [`state`] (messages and the reply reducer), [`error`].
//! - Browser edge: [`browser`] (location, history, locks), [`storage`]
//!   (localStorage), [`openrouter`] (fetch), [`auth`] (the key signal).
//! - UI: [`route`] (the pages and a minimal router), [`app`] (the shell), [`pages`] (one per route) and
//!   [`components`] (prop-driven pieces).

pub mod app;
pub mod auth;
pub mod browser;
pub mod callback;
pub mod chat_app;
pub mod components;
pub mod error;
pub mod key;
pub mod markdown;
pub mod models;
pub mod openrouter;
pub mod pages;
pub mod pkce;
pub mod route;
pub mod state;
pub mod storage;
pub mod viewport;

pub use app::App;

/// The allocator: talc, ~1 KB of wasm where the default (dlmalloc) is ~7 KB.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
