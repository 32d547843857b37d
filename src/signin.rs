//! Signing in, without a framework: starting a sign-in, the stored key, and
//! where the app must not run. Used by the first view ([`crate::start`]) and
//! by the app's key signal ([`crate::auth`]).

use crate::browser::{self, app_base, now_ms, origin};
use crate::callback::{PendingFlow, PendingFlows};
use crate::error::AppError;
use crate::key::ApiKey;
use crate::openrouter::{authorize_url, callback_url};
use crate::pkce::{FlowId, PkceVerifier};
use crate::storage::{self, FLOWS_ENTRY, FLOWS_LOCK, KEY_ENTRY};

/// Why the app will not touch the key at all.
#[derive(Debug, Clone, PartialEq)]
pub enum Blocked {
    /// Shown inside a frame.
    Framed,
    /// A service worker it never registered controls the page.
    ForeignWorker,
}

/// Starts a sign-in: a fresh verifier and flow id, recorded as a pending
/// flow, then the tab goes to OpenRouter's consent page.
///
/// # Errors
/// [`AppError::NoSecureRandom`] when the CSPRNG fails (nothing is stored
/// and the tab stays), [`AppError::Storage`] when the flow cannot be kept.
pub async fn begin_login() -> Result<(), AppError> {
    let verifier = PkceVerifier::generate()?;
    let flow = FlowId::generate()?;
    let challenge = verifier.challenge();
    let target = authorize_url(&callback_url(&origin(), &app_base(), &flow), &challenge);
    browser::with_lock(FLOWS_LOCK, move || {
        let now = now_ms();
        let mut flows = PendingFlows::parse(&storage::get(FLOWS_ENTRY)?.unwrap_or_default());
        flows.insert(&flow, PendingFlow::new(verifier, now), now);
        storage::set(FLOWS_ENTRY, &flows.to_stored())
    })
    .await?;
    browser::go_to(&target).map_err(|_| AppError::Network)
}

/// Why the app must not touch the key here, if it must not.
pub fn blocked() -> Option<Blocked> {
    if browser::is_framed() {
        Some(Blocked::Framed)
    } else if browser::has_foreign_service_worker() {
        Some(Blocked::ForeignWorker)
    } else {
        None
    }
}

impl Blocked {
    /// What the page says instead of loading.
    pub fn error(&self) -> AppError {
        match self {
            Self::Framed => AppError::Framed,
            Self::ForeignWorker => AppError::ForeignServiceWorker,
        }
    }
}

/// Reads the stored key: `Ok(None)` when absent, an error when malformed.
///
/// # Errors
/// [`AppError::StoredKeyInvalid`], or [`AppError::Storage`] when storage is unavailable.
pub fn load_key() -> Result<Option<ApiKey>, AppError> {
    match storage::get(KEY_ENTRY)? {
        None => Ok(None),
        Some(text) => ApiKey::parse(&text)
            .map(Some)
            .map_err(|_| AppError::StoredKeyInvalid),
    }
}

/// Saves the key for every tab of this browser.
///
/// # Errors
/// [`AppError::Storage`] when it cannot be saved.
pub fn store_key(key: &ApiKey) -> Result<(), AppError> {
    storage::set(KEY_ENTRY, key.secret())
}
