//! Prop-driven pieces of the UI: props in, callbacks out, no fetching.

pub mod composer;
pub mod connect_button;
pub mod error_banner;
pub mod key_panel;
pub mod message;
pub mod paste_key;
