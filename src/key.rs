//! The user's OpenRouter API key, as a secret that cannot leak by accident.

use std::fmt;

use sha2::{Digest, Sha256};

use crate::error::AppError;

/// Longest key the app accepts (real keys are 73 characters).
pub const MAX_KEY_LEN: usize = 256;

/// How every OpenRouter key begins (`sk-or-v1-…` today).
const PASTED_PREFIX: &str = "sk-or-";

/// An OpenRouter API key. The UI shows only the masked label from
/// `GET /api/v1/key`; `Debug` is redacted and there is no `Display` or `Deref`:
///
/// ```compile_fail,E0277
/// let key = switchboard::key::ApiKey::parse("sk-or-v1-abc").unwrap();
/// let shown = format!("{key}");
/// ```
///
/// ```compile_fail,E0308
/// let key = switchboard::key::ApiKey::parse("sk-or-v1-abc").unwrap();
/// let text: &str = &key;
/// ```
#[derive(Clone)]
pub struct ApiKey(String);

impl ApiKey {
    /// Accepts a key from an untrusted source (an exchange response, pasted
    /// text, storage): non-empty, at most [`MAX_KEY_LEN`] characters, printable
    /// ASCII without whitespace or control characters.
    ///
    /// # Errors
    /// [`AppError::KeyMalformed`] for anything else.
    pub fn parse(text: &str) -> Result<Self, AppError> {
        let ok = !text.is_empty()
            && text.len() <= MAX_KEY_LEN
            && text.bytes().all(|b| b.is_ascii_graphic());
        if ok {
            Ok(Self(text.to_owned()))
        } else {
            Err(AppError::KeyMalformed)
        }
    }

    /// Accepts text a person pasted as their key: [`ApiKey::parse`], and the
    /// `sk-or-` prefix every OpenRouter key has, so that a password or other
    /// text pasted by mistake is refused here and never sent to OpenRouter.
    ///
    /// # Errors
    /// [`AppError::KeyMalformed`] for anything else.
    pub fn parse_pasted(text: &str) -> Result<Self, AppError> {
        match text.strip_prefix(PASTED_PREFIX) {
            Some(rest) if !rest.is_empty() && !rest.ends_with('-') => Self::parse(text),
            _ => Err(AppError::KeyMalformed),
        }
    }

    /// The key itself.
    ///
    /// # Security
    /// Whoever reads this can spend the user's credits. Pass it only to the
    /// `Authorization` header of requests to `https://openrouter.ai` and to the
    /// one designated storage entry.
    pub fn secret(&self) -> &str {
        &self.0
    }

    /// Lowercase hex SHA-256 of the key: OpenRouter's handle for deep links to
    /// the key's page and its activity (shared/OPENROUTER.md §10).
    pub fn hash_hex(&self) -> String {
        Sha256::digest(self.0.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// True when both hold the same key (compared without exposing either).
    pub fn same_as(&self, other: &ApiKey) -> bool {
        self.0 == other.0
    }

    /// Replaces every occurrence of this key in `text` (say, an echoed server
    /// message) with `[redacted]`.
    pub fn redact(&self, text: &str) -> String {
        text.replace(&self.0, "[redacted]")
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn parses_real_shaped_keys_and_rejects_others() {
        assert!(ApiKey::parse(KEY).is_ok());
        for bad in [
            "",
            " sk-or-v1-x",
            "sk-or v1",
            "sk-or-v1-\u{7}",
            "sk-or-v1-é",
            &"k".repeat(MAX_KEY_LEN + 1),
        ] {
            assert_eq!(
                ApiKey::parse(bad).unwrap_err(),
                AppError::KeyMalformed,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn pasted_text_must_look_like_an_openrouter_key() {
        assert!(ApiKey::parse_pasted(KEY).is_ok());
        for bad in [
            "my-password-123",
            "hello",
            "sk-or-",
            "sk-or-v1-",
            "SK-OR-V1-abc",
            "sk-or-v1 abc",
            "Bearer sk-or-v1-abc",
        ] {
            assert_eq!(
                ApiKey::parse_pasted(bad).unwrap_err(),
                AppError::KeyMalformed,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn property_19_key_debug_is_redacted() {
        let key = ApiKey::parse(KEY).expect("valid");
        assert_eq!(format!("{key:?}"), "ApiKey([redacted])");
        assert_eq!(format!("{:?}", Some(key)), "Some(ApiKey([redacted]))");
    }

    #[test]
    fn hash_is_lowercase_hex_sha256() {
        let key = ApiKey::parse("abc").expect("valid");
        assert_eq!(
            key.hash_hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn redacts_echoes() {
        let key = ApiKey::parse(KEY).expect("valid");
        assert_eq!(
            key.redact(&format!("bad key {KEY}!")),
            "bad key [redacted]!"
        );
    }
}
