//! PKCE (RFC 7636) for OpenRouter's sign-in: the secret verifier, its S256
//! challenge, and the one-time flow id that binds a callback to this browser.
//!
//! Everything here is pure apart from [`random_bytes`], which reads the
//! browser's CSPRNG (`crypto.getRandomValues`) through `getrandom`; there is no
//! fallback to any other source of randomness.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::error::AppError;

/// The only challenge method the app uses, sent to `/auth` and to the exchange.
pub const S256: &str = "S256";

/// Length of a verifier: base64url of 32 bytes, no padding.
pub const VERIFIER_LEN: usize = 43;

/// Length of a flow id: base64url of 16 bytes, no padding.
pub const FLOW_ID_LEN: usize = 22;

/// Fills an array with bytes from the operating system's or browser's CSPRNG.
///
/// # Errors
/// [`AppError::NoSecureRandom`] when no cryptographic source is available.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], AppError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| AppError::NoSecureRandom)?;
    Ok(bytes)
}

/// True when `s` is made only of base64url characters (`A-Z a-z 0-9 - _`).
pub fn is_base64url(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The PKCE code verifier: a secret that must stay in this browser.
///
/// Not `Clone`, so it cannot be copied around by accident; `Debug` is redacted
/// and there is no `Display`:
///
/// ```compile_fail,E0599
/// let verifier = switchboard::pkce::PkceVerifier::from_octets([0; 32]);
/// let copy = verifier.clone(); // PkceVerifier is not Clone
/// ```
///
/// ```compile_fail,E0277
/// let verifier = switchboard::pkce::PkceVerifier::from_octets([0; 32]);
/// println!("{verifier}"); // no Display
/// ```
pub struct PkceVerifier(String);

impl PkceVerifier {
    /// Draws a fresh verifier from the CSPRNG.
    ///
    /// # Errors
    /// [`AppError::NoSecureRandom`] when the CSPRNG is unavailable.
    pub fn generate() -> Result<Self, AppError> {
        random_bytes::<32>().map(Self::from_octets)
    }

    /// The verifier for 32 given random octets (base64url, no padding).
    pub fn from_octets(octets: [u8; 32]) -> Self {
        Self(URL_SAFE_NO_PAD.encode(octets))
    }

    /// Reads back a verifier kept in storage, which is untrusted input.
    /// Returns `None` unless it has exactly the shape [`Self::generate`] makes.
    pub fn from_stored(stored: String) -> Option<Self> {
        (stored.len() == VERIFIER_LEN && is_base64url(&stored)).then_some(Self(stored))
    }

    /// The S256 challenge: base64url(SHA-256(ASCII(verifier))), no padding.
    pub fn challenge(&self) -> PkceChallenge {
        PkceChallenge(URL_SAFE_NO_PAD.encode(Sha256::digest(self.0.as_bytes())))
    }

    /// The verifier itself.
    ///
    /// # Security
    /// With the code, this is a key in waiting. Pass it only to the exchange
    /// body and to the pending-flow record in storage.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PkceVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PkceVerifier([redacted])")
    }
}

/// The S256 code challenge: public, sent in the `/auth` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PkceChallenge(String);

impl PkceChallenge {
    /// The challenge as sent to OpenRouter.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A random one-time id naming one sign-in attempt of this browser. It travels
/// in `callback_url` and names the pending flow that holds the verifier.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FlowId(String);

impl FlowId {
    /// Draws a fresh flow id (16 CSPRNG bytes, 128 bits).
    ///
    /// # Errors
    /// [`AppError::NoSecureRandom`] when the CSPRNG is unavailable.
    pub fn generate() -> Result<Self, AppError> {
        random_bytes::<16>().map(|b| Self(URL_SAFE_NO_PAD.encode(b)))
    }

    /// Parses a flow id from untrusted text (a URL or storage). Only the exact
    /// shape [`Self::generate`] makes is accepted, so names such as
    /// `__proto__` or `constructor` can never match.
    pub fn parse(text: &str) -> Option<Self> {
        (text.len() == FLOW_ID_LEN && is_base64url(text)).then(|| Self(text.to_owned()))
    }

    /// The id as it appears in the callback URL and in storage.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// RFC 7636 Appendix B.
    const RFC_OCTETS: [u8; 32] = [
        116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37,
        77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
    ];

    #[test]
    fn property_1_rfc7636_appendix_b_vector() {
        let verifier = PkceVerifier::from_octets(RFC_OCTETS);
        assert_eq!(
            verifier.secret(),
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
        assert_eq!(
            verifier.challenge().as_str(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn challenge_is_not_a_wrong_encoding() {
        let challenge = PkceVerifier::from_octets(RFC_OCTETS).challenge();
        let s = challenge.as_str();
        // Not padded, not the standard alphabet, not base64 of the hex digest.
        assert!(!s.contains('=') && !s.contains('+') && !s.contains('/'));
        assert_eq!(s.len(), 43);
        let hex: String = Sha256::digest(b"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_ne!(s, URL_SAFE_NO_PAD.encode(hex));
    }

    #[test]
    fn property_2_generated_verifiers_are_well_formed_and_distinct() {
        let mut seen = HashSet::new();
        for _ in 0..10_000 {
            let v = PkceVerifier::generate().expect("CSPRNG");
            assert_eq!(v.secret().len(), VERIFIER_LEN);
            assert!(is_base64url(v.secret()));
            let c = v.challenge();
            assert_eq!(c.as_str().len(), 43);
            assert!(is_base64url(c.as_str()));
            assert!(seen.insert(v.secret().to_owned()), "duplicate verifier");
        }
    }

    #[test]
    fn property_19_verifier_debug_is_redacted() {
        let v = PkceVerifier::from_octets(RFC_OCTETS);
        assert_eq!(format!("{v:?}"), "PkceVerifier([redacted])");
        assert!(!format!("{v:?}").contains("dBjf"));
    }

    #[test]
    fn stored_verifier_is_validated() {
        let good = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".to_owned();
        assert!(PkceVerifier::from_stored(good).is_some());
        assert!(PkceVerifier::from_stored("short".into()).is_none());
        assert!(
            PkceVerifier::from_stored("dBjftJeZ4CVP+mB92K27uhbUJU1p1r/wW1gFWFOEjXk".into())
                .is_none()
        );
    }

    #[test]
    fn flow_ids_have_one_shape() {
        let id = FlowId::generate().expect("CSPRNG");
        assert_eq!(id.as_str().len(), FLOW_ID_LEN);
        assert_eq!(FlowId::parse(id.as_str()), Some(id.clone()));
        assert_ne!(FlowId::generate().expect("CSPRNG"), id);
        for bad in [
            "",
            "__proto__",
            "constructor",
            "hasOwnProperty",
            "toString",
            "a/b",
            "x",
        ] {
            assert_eq!(FlowId::parse(bad), None, "{bad}");
        }
        assert_eq!(FlowId::parse(&"A".repeat(23)), None);
        assert_eq!(FlowId::parse("AAAAAAAAAAAAAAAAAAAA.A"), None);
    }
}
