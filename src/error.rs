//! The app's one error type. Every message is a sentence the user can act on,
//! and none ever holds a code, a verifier or a key.

use thiserror::Error;

/// Longest text taken from a server or a URL into a message (characters).
pub const MAX_SHOWN_TEXT: usize = 300;

/// Everything that can go wrong, worded for the person using the app.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum AppError {
    // --- Start-up and environment ---------------------------------------------------------
    /// `crypto.getRandomValues` is missing or failed.
    #[error(
        "This browser cannot generate secure random numbers, so sign-in cannot start safely. \
         Try an up-to-date browser."
    )]
    NoSecureRandom,
    /// The app is shown inside a frame of another page.
    #[error(
        "Switchboard does not run inside another page. Open it in its own tab to connect and chat."
    )]
    Framed,
    /// A service worker this app never registered controls the page.
    #[error(
        "Another program on this site (a service worker) is watching this page, so your key \
         was not loaded. Open Switchboard from its own address, or remove the worker in your \
         browser's site settings."
    )]
    ForeignServiceWorker,
    /// localStorage is missing, full or refused.
    #[error(
        "Your browser refused to save data here (storage may be full, blocked or in private \
         mode). Nothing already on screen was lost."
    )]
    Storage,
    /// Disconnect could not remove the key from storage.
    #[error(
        "This browser refused to forget the key (its storage did not allow it), so it will be \
         used again next time. Clear this site's data in your browser's settings, or revoke the \
         key on OpenRouter."
    )]
    NotForgotten,
    /// The app module (everything past the start page) could not be loaded.
    #[error("Switchboard could not be loaded. Check your connection, then try again.")]
    AppUnavailable,
    /// The stored key had the wrong shape and was ignored.
    #[error("The saved key was not a valid OpenRouter key, so it was ignored. Connect again.")]
    StoredKeyInvalid,

    // --- The callback -------------------------------------------------------------------
    /// The callback URL was malformed (duplicate, missing, empty or oversized values).
    #[error("This sign-in link is malformed, so it was ignored. Press Connect to start again.")]
    CallbackMalformed,
    /// No pending sign-in of this browser matches the callback.
    #[error(
        "There is no sign-in in progress in this browser, so nothing was done. If you meant to \
         connect, press Connect here."
    )]
    NoPendingSignIn,
    /// The page was left (reloaded) while the code was being exchanged.
    #[error(
        "Sign-in was interrupted before it finished, so nothing was saved. Press Connect to start \
         again."
    )]
    SignInInterrupted,
    /// The pending sign-in is older than ten minutes.
    #[error("That sign-in took more than 10 minutes and expired. Press Connect to start again.")]
    SignInExpired,
    /// The user denied access on OpenRouter, or the callback carried no code.
    #[error(
        "Sign-in was cancelled{}. Press Connect to try again.",
        detail.as_deref().map(|d| format!(" (OpenRouter says: “{d}”)")).unwrap_or_default()
    )]
    SignInCancelled {
        /// OpenRouter's description, plain and capped; only for a callback bound to a flow.
        detail: Option<String>,
    },

    // --- The exchange -------------------------------------------------------------------
    /// 400 or 403: invalid, used, mismatched or expired code.
    #[error(
        "OpenRouter did not accept this sign-in: the code was invalid, already used or expired. \
         Your previous connection, if any, is unchanged. Press Connect to try again."
    )]
    ExchangeRejected,
    /// 405: the app used the wrong method, which is a bug.
    #[error(
        "Sign-in failed because of a bug in Switchboard (OpenRouter answered 405). Press \
         Connect to try again, and please report it."
    )]
    ExchangeMethod,
    /// 5xx or another unexpected status.
    #[error(
        "OpenRouter could not complete sign-in (HTTP {0}). Your previous connection, if any, \
         is unchanged. Press Connect to try again."
    )]
    ExchangeServer(u16),
    /// A 200 without a usable key.
    #[error(
        "OpenRouter's answer held no usable key, so nothing was saved. Press Connect to try again."
    )]
    ExchangeMalformed,

    // --- Keys -----------------------------------------------------------------------------
    /// Pasted text is not shaped like a key.
    #[error(
        "That does not look like an OpenRouter key: it should be one word without spaces, \
         starting with sk-or-v1-…"
    )]
    KeyMalformed,
    /// `GET /api/v1/key` refused a pasted key.
    #[error("OpenRouter rejected that key, so it was not saved. Check it, or press Connect.")]
    KeyRejected,

    // --- Requests and chat ---------------------------------------------------------------
    /// fetch failed: offline, DNS, firewall or blocked.
    #[error("Could not reach OpenRouter. Check your connection, then try again.")]
    Network,
    /// 401 from the API.
    #[error(
        "OpenRouter no longer accepts this key (it may have been revoked, disabled or expired). \
         Connect again to continue; your conversations stay in this browser."
    )]
    Unauthorized,
    /// 402 from the API.
    #[error(
        "Not enough credits for this request. Add credits on OpenRouter, or lower Max tokens \
         and send again.{}", detail_suffix(.0)
    )]
    PaymentRequired(Option<String>),
    /// 429 from the API.
    #[error("{}", rate_limited(.0))]
    RateLimited(Option<u32>),
    /// 400 saying the conversation is too long for the model.
    #[error(
        "This conversation is longer than the model's context window. Start a new \
         conversation (New conversation), or pick a model with a longer context."
    )]
    ContextLength,
    /// 403 from chat: moderation or permissions.
    #[error(
        "OpenRouter refused this request (moderation or permissions). Edit the message or \
         choose another model.{}", detail_suffix(.0)
    )]
    Forbidden(Option<String>),
    /// Any other HTTP error from the API.
    #[error("OpenRouter answered HTTP {status}.{} {}", detail_suffix(.message), advice(*.status))]
    Api {
        /// The HTTP status.
        status: u16,
        /// OpenRouter's message, plain and capped.
        message: Option<String>,
    },
    /// An error event in the middle of a stream.
    #[error("The model stopped with an error{}: {message} The text so far is kept.", code_suffix(.code))]
    Provider {
        /// `error.code`, a number or a string.
        code: String,
        /// `error.message`, plain and capped.
        message: String,
    },
    /// The stream ended without `[DONE]` or a finish reason.
    #[error("The reply was cut off before it finished. The text so far is kept; press Retry.")]
    CutOff,
    /// The connection ended before any of the reply arrived.
    #[error("The connection ended before the reply began. Press Retry.")]
    NoReply,
    /// A complete event was not valid JSON of the expected shape.
    #[error("OpenRouter sent something unreadable, so the reply stopped. The text so far is kept.")]
    BadStream,
}

impl AppError {
    /// True when the fix is to connect again (offer a Connect button).
    pub fn needs_reconnect(&self) -> bool {
        matches!(self, Self::Unauthorized | Self::StoredKeyInvalid)
    }
}

/// Cuts untrusted text to [`MAX_SHOWN_TEXT`] characters, drops control
/// characters and trims it, for showing as plain text.
pub fn cap_text(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let trimmed = cleaned.trim();
    let mut out: String = trimmed.chars().take(MAX_SHOWN_TEXT).collect();
    if trimmed.chars().count() > MAX_SHOWN_TEXT {
        out.push('…');
    }
    out
}

fn detail_suffix(detail: &Option<String>) -> String {
    detail
        .as_deref()
        .map(|d| format!(" OpenRouter says: “{d}”"))
        .unwrap_or_default()
}

fn code_suffix(code: &str) -> String {
    if code.is_empty() {
        String::new()
    } else {
        format!(" ({code})")
    }
}

fn rate_limited(retry_after: &Option<u32>) -> String {
    match retry_after {
        Some(s) => format!("Too many requests: OpenRouter asks to wait {s} s before retrying."),
        None => "Too many requests right now. Wait a minute, then retry; free models allow about \
                 20 requests a minute."
            .to_owned(),
    }
}

fn advice(status: u16) -> &'static str {
    match status {
        400 => "Check the model id and settings, or shorten the conversation.",
        404 => "The model may not exist: check its id.",
        408 | 524 => "The request timed out. Retry.",
        502 | 503 | 529 => {
            "The model's providers are unavailable right now. Retry later or pick another model."
        }
        _ => "Retry in a moment.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cap_text_caps_and_cleans() {
        assert_eq!(cap_text("  a\u{7}b\n "), "a b");
        let long = "x".repeat(MAX_SHOWN_TEXT + 10);
        let capped = cap_text(&long);
        assert_eq!(capped.chars().count(), MAX_SHOWN_TEXT + 1);
        assert!(capped.ends_with('…'));
    }

    #[test]
    fn messages_are_sentences_with_details() {
        assert_eq!(
            AppError::SignInCancelled { detail: None }.to_string(),
            "Sign-in was cancelled. Press Connect to try again."
        );
        assert_eq!(
            AppError::SignInCancelled {
                detail: Some("no thanks".into())
            }
            .to_string(),
            "Sign-in was cancelled (OpenRouter says: “no thanks”). Press Connect to try again."
        );
        assert!(
            AppError::RateLimited(Some(12))
                .to_string()
                .contains("wait 12 s")
        );
        assert!(
            AppError::Provider {
                code: "502".into(),
                message: "Upstream died.".into()
            }
            .to_string()
            .starts_with("The model stopped with an error (502): Upstream died.")
        );
        assert!(
            AppError::Api {
                status: 503,
                message: None
            }
            .to_string()
            .contains("unavailable right now")
        );
        assert!(AppError::Unauthorized.needs_reconnect());
        assert!(!AppError::Network.needs_reconnect());
    }
}
