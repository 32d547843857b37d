//! The auth context: the key signal backed by localStorage, shared by tabs,
//! and the two ways it changes (sign-in and Disconnect).
//!
//! The key is loaded once at start, written only by [`Auth::sign_in`] and
//! removed only by [`Auth::disconnect`]. Other tabs follow through the
//! `storage` event; the acting tab updates its own signal.

use leptos::prelude::*;

use crate::error::AppError;
use crate::key::ApiKey;
use crate::openrouter::key_page_url;
use crate::signin::{Blocked, begin_login, blocked, load_key, store_key};
use crate::storage::{self, KEY_ENTRY};

/// App-wide auth state, a small `Copy` handle.
#[derive(Debug, Clone, Copy)]
pub struct Auth {
    key: RwSignal<Option<ApiKey>>,
    blocked: StoredValue<Option<Blocked>>,
    notice: RwSignal<Option<AppError>>,
    disconnected: RwSignal<Option<String>>,
    exchanging: RwSignal<bool>,
}

impl Auth {
    /// The key, when connected.
    pub fn key(&self) -> Signal<Option<ApiKey>> {
        self.key.into()
    }

    /// True when a key is loaded.
    pub fn connected(&self) -> Signal<bool> {
        let key = self.key;
        Signal::derive(move || key.with(Option::is_some))
    }

    /// Why the app refuses to load the key, if it does.
    pub fn blocked(&self) -> Option<Blocked> {
        self.blocked.get_value()
    }

    /// A problem found with the stored key or storage, for a banner.
    pub fn notice(&self) -> Signal<Option<AppError>> {
        self.notice.into()
    }

    /// Stores a new key and makes it current in this tab; other tabs follow.
    ///
    /// # Errors
    /// [`AppError::Storage`] when it cannot be saved; the signal still takes
    /// the key, so this tab works until it is closed.
    pub fn sign_in(&self, key: ApiKey) -> Result<(), AppError> {
        let saved = store_key(&key);
        // (Called when an exchange ends, so the app may be going: no panic then.)
        self.notice.try_set(saved.clone().err());
        self.disconnected.try_set(None);
        self.key.try_set(Some(key));
        saved
    }

    /// Forgets the key in this browser (every tab). It stays valid on
    /// OpenRouter until the user revokes it there, so this tab then offers
    /// the key's page on OpenRouter ([`Auth::disconnected`]). If storage
    /// refuses to forget it, this tab still lets go of it, and says that it
    /// will be back on the next visit.
    pub fn disconnect(&self) {
        let page = self.key.with_untracked(|k| k.as_ref().map(key_page_url));
        match storage::remove(KEY_ENTRY) {
            Ok(()) => {
                self.notice.set(None);
                self.disconnected.set(page);
            }
            Err(_) => {
                self.notice.set(Some(AppError::NotForgotten));
                self.disconnected.set(None);
            }
        }
        self.key.set(None);
    }

    /// True while a sign-in's code is being traded for a key.
    pub fn exchanging(&self) -> Signal<bool> {
        self.exchanging.into()
    }

    /// Marks the start and the end of an exchange.
    pub fn set_exchanging(&self, exchanging: bool) {
        self.exchanging.try_set(exchanging);
    }

    /// Reports a problem with signing in for the banner, when the page that
    /// would have shown it is gone.
    pub fn report(&self, error: AppError) {
        self.notice.try_set(Some(error));
    }

    /// After a Disconnect in this tab: the forgotten key's page on
    /// OpenRouter, where the user can revoke it.
    pub fn disconnected(&self) -> Signal<Option<String>> {
        self.disconnected.into()
    }

    /// Starts a sign-in ([`begin_login`]), unless the app is [`Blocked`].
    ///
    /// # Errors
    /// As [`begin_login`].
    pub async fn begin_login(&self) -> Result<(), AppError> {
        if self.blocked().is_some() {
            return Ok(());
        }
        begin_login().await
    }
}

/// Creates the auth context: checks where the app runs, loads the key, and
/// follows other tabs. Call once, in `App`.
pub fn provide_auth() -> Auth {
    let blocked = blocked();
    let (initial, notice) = match blocked {
        Some(_) => (None, None),
        None => match load_key() {
            Ok(key) => (key, None),
            Err(e) => (None, Some(e)),
        },
    };
    let auth = Auth {
        key: RwSignal::new(initial),
        blocked: StoredValue::new(blocked),
        notice: RwSignal::new(notice),
        disconnected: RwSignal::new(None),
        exchanging: RwSignal::new(false),
    };
    if auth.blocked().is_none() {
        // Fires in the other tabs only; `key() == None` means storage was cleared.
        let handle = window_event_listener(leptos::ev::storage, move |ev| {
            if ev.key().is_none_or(|k| k == KEY_ENTRY) {
                let (key, notice) = match load_key() {
                    Ok(key) => (key, None),
                    Err(e) => (None, Some(e)),
                };
                auth.notice.set(notice);
                auth.key.set(key);
            }
        });
        on_cleanup(move || handle.remove());
    }
    provide_context(auth);
    auth
}

/// The auth context.
///
/// # Panics
/// Without [`provide_auth`] in an ancestor (`App` provides it).
pub fn use_auth() -> Auth {
    use_context().expect("use_auth() needs provide_auth() in an ancestor (App does this)")
}
