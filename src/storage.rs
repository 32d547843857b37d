//! Typed access to `localStorage`. Every entry the app writes is named here,
//! and every failure (no storage, quota, private mode) is an [`AppError`].
//!
//! Values read back are untrusted: callers validate them.

use leptos::prelude::window;
use web_sys::Storage;

use crate::error::AppError;

/// The one entry holding the API key.
pub const KEY_ENTRY: &str = "switchboard.key";
/// Pending sign-ins (flow id → verifier and start time).
pub const FLOWS_ENTRY: &str = "switchboard.flows";
/// The last model chosen.
pub const MODEL_ENTRY: &str = "switchboard.model";
/// The Web Lock serialising changes to [`FLOWS_ENTRY`] across tabs.
pub const FLOWS_LOCK: &str = "switchboard.flows";

fn local_storage() -> Result<Storage, AppError> {
    window()
        .local_storage()
        .ok()
        .flatten()
        .ok_or(AppError::Storage)
}

/// Reads an entry; `Ok(None)` when it is absent.
///
/// # Errors
/// [`AppError::Storage`] when storage is unavailable.
pub fn get(name: &str) -> Result<Option<String>, AppError> {
    local_storage()?
        .get_item(name)
        .map_err(|_| AppError::Storage)
}

/// Writes an entry.
///
/// # Errors
/// [`AppError::Storage`] when storage is unavailable or full.
pub fn set(name: &str, value: &str) -> Result<(), AppError> {
    local_storage()?
        .set_item(name, value)
        .map_err(|_| AppError::Storage)
}

/// Removes an entry.
///
/// # Errors
/// [`AppError::Storage`] when storage is unavailable.
pub fn remove(name: &str) -> Result<(), AppError> {
    local_storage()?
        .remove_item(name)
        .map_err(|_| AppError::Storage)
}
