//! Prop-driven pieces of the UI: props in, callbacks out, no fetching.

pub mod composer;
pub mod connect_button;
pub mod conversation_list;
pub mod error_banner;
pub mod key_panel;
pub mod markdown_view;
pub mod message;
pub mod message_list;
pub mod model_picker;
pub mod settings_panel;
