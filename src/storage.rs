//! Typed access to `localStorage`. Every entry the app writes is named here,
//! and every failure (no storage, quota, private mode) is an [`AppError`].
//!
//! Values read back are untrusted: callers validate them.

use web_sys::Storage;

use crate::browser::window;
use crate::error::AppError;
use crate::state::{Conversation, ConversationSummary};

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

/// The list of conversations (newest first).
pub const INDEX_ENTRY: &str = "switchboard.conversations";
/// The id of the conversation last open.
pub const CURRENT_ENTRY: &str = "switchboard.current";

/// The entry holding one conversation.
pub fn conversation_entry(id: &str) -> String {
    format!("switchboard.conversation.{id}")
}

/// The stored conversation list; unreadable entries give an empty list.
pub fn load_index() -> Vec<ConversationSummary> {
    get(INDEX_ENTRY)
        .ok()
        .flatten()
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

/// A stored conversation, if it is there and readable.
pub fn load_conversation(id: &str) -> Option<Conversation> {
    let json = get(&conversation_entry(id)).ok().flatten()?;
    serde_json::from_str::<Conversation>(&json)
        .ok()
        .filter(|c| c.id == id)
}

/// Saves a conversation and puts it first in the list.
///
/// # Errors
/// [`AppError::Storage`] when storage refuses (full, private mode); what is
/// on screen is unaffected.
pub fn save_conversation(conversation: &Conversation) -> Result<(), AppError> {
    set(
        &conversation_entry(&conversation.id),
        &serde_json::to_string(conversation).map_err(|_| AppError::Storage)?,
    )?;
    let mut index = load_index();
    index.retain(|s| s.id != conversation.id);
    index.insert(0, conversation.summary());
    set(
        INDEX_ENTRY,
        &serde_json::to_string(&index).map_err(|_| AppError::Storage)?,
    )?;
    set(CURRENT_ENTRY, &conversation.id)
}

/// Removes a conversation and its list entry.
///
/// # Errors
/// [`AppError::Storage`] when storage is unavailable.
pub fn delete_conversation(id: &str) -> Result<(), AppError> {
    let mut index = load_index();
    index.retain(|s| s.id != id);
    set(
        INDEX_ENTRY,
        &serde_json::to_string(&index).map_err(|_| AppError::Storage)?,
    )?;
    remove(&conversation_entry(id))
}

/// Set in this tab (sessionStorage) while a code is being exchanged, so that a
/// reload during the exchange can say that sign-in was interrupted.
pub const EXCHANGING_ENTRY: &str = "switchboard.exchanging";

fn session_storage() -> Result<Storage, AppError> {
    window()
        .session_storage()
        .ok()
        .flatten()
        .ok_or(AppError::Storage)
}

/// Marks (or, with `None`, unmarks) this tab as exchanging a code.
pub fn set_exchanging(started_ms: Option<u64>) {
    if let Ok(session) = session_storage() {
        let _ = match started_ms {
            Some(t) => session.set_item(EXCHANGING_ENTRY, &t.to_string()),
            None => session.remove_item(EXCHANGING_ENTRY),
        };
    }
}

/// When this tab started an exchange that never finished, if it did.
pub fn take_exchanging() -> Option<u64> {
    let session = session_storage().ok()?;
    let started = session.get_item(EXCHANGING_ENTRY).ok().flatten()?;
    let _ = session.remove_item(EXCHANGING_ENTRY);
    started.parse().ok()
}
