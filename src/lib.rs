//! Switchboard: chat with any model through your own OpenRouter account,
//! from the browser alone.
//!
//! # Module map
//! - Pure core, tested natively: [`pkce`] (verifier, challenge, flow id),
//!   [`callback`] (parsing and binding the callback), [`key`] (the secret key),
//!   [`openrouter::types`] and [`openrouter::sse`] (API bodies, the stream),
//!   [`state`] (messages and the reply reducer), [`error`].
//! - Browser edge: [`browser`] (location, history, locks, loading the app
//!   module), [`storage`] (localStorage), [`openrouter`] (fetch), [`signin`]
//!   (starting a sign-in, the stored key).
//! - The first view, with no framework: [`start`] (the start page, bound to
//!   the HTML in `index.html`).
//! - The app module (feature `app`, Leptos): `auth` (the key signal), `route`'s
//!   router, `app` (the root), `pages` (one per route) and `components`
//!   (prop-driven pieces).
//!
//! The first view is built without the `app` feature, so that it holds no
//! Leptos at all; everything else is built with it (the default).

#[cfg(feature = "app")]
pub mod app;
#[cfg(feature = "app")]
pub mod auth;
pub mod browser;
pub mod callback;
#[cfg(feature = "app")]
pub mod chat_app;
#[cfg(feature = "app")]
pub mod components;
pub mod error;
pub mod key;
pub mod markdown;
pub mod models;
pub mod openrouter;
#[cfg(feature = "app")]
pub mod pages;
pub mod pkce;
pub mod route;
pub mod signin;
pub mod start;
pub mod state;
pub mod storage;
pub mod viewport;

/// The allocator: talc, ~1 KB of wasm where the default (dlmalloc) is ~7 KB.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
