//! The `/callback` route's logic, pure: parse the query OpenRouter sent the
//! browser back with, and bind it to a pending sign-in of this browser.
//!
//! The order follows shared/SECURITY.md §3: parse strictly (duplicates,
//! sizes, shapes), then bind to a pending flow (before even looking at
//! `error`), consume the flow, check its age, and only then hand out a
//! [`ValidatedCallback`], the one value the exchange accepts.

use std::fmt;

use crate::error::{AppError, cap_text};
use crate::pkce::{FlowId, PkceVerifier};

/// A pending sign-in expires after this long, like OpenRouter's codes (ms).
pub const FLOW_TTL_MS: u64 = 10 * 60 * 1000;

/// A flow that claims to start this far in the future (ms) is not trusted.
const CLOCK_SKEW_MS: u64 = 60 * 1000;

/// Longest accepted `code` (bytes).
pub const MAX_CODE_LEN: usize = 2048;

/// Longest accepted callback query as a whole (bytes).
pub const MAX_QUERY_LEN: usize = 8192;

/// At most this many sign-ins wait at once; the oldest go first.
pub const MAX_PENDING_FLOWS: usize = 16;

/// The name of the query parameter carrying the flow id in `callback_url`.
pub const FLOW_PARAM: &str = "flow";

/// An authorization code from OpenRouter: single use, ten minutes, secret.
/// `Debug` is redacted and there is no `Display`:
///
/// ```compile_fail,E0277
/// let params = switchboard::callback::parse_callback("code=x").unwrap();
/// fn show(code: &switchboard::callback::AuthCode) -> String { format!("{code}") }
/// ```
pub struct AuthCode(String);

impl AuthCode {
    /// The code itself.
    ///
    /// # Security
    /// With the verifier, this is a key in waiting. Pass it only to the exchange body.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AuthCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuthCode([redacted])")
    }
}

/// The callback query, parsed: one value per parameter, sizes checked.
/// Only [`parse_callback`] builds it.
#[derive(Debug)]
pub struct CallbackParams {
    flow: Option<String>,
    state: Option<String>,
    code: Option<AuthCode>,
    error: Option<String>,
    error_description: Option<String>,
}

impl CallbackParams {
    /// True when the callback carries a flow id or a code, that is, when it
    /// looks like the end of a sign-in rather than a plain visit.
    pub fn is_sign_in(&self) -> bool {
        self.flow.is_some() || self.code.is_some() || self.error.is_some()
    }
}

/// A callback bound to a pending flow of this browser, with a code: the only
/// input the exchange accepts. Only [`bind_callback`] builds it; its fields are
/// private and it has no constructor:
///
/// ```compile_fail,E0451
/// use switchboard::callback::ValidatedCallback;
/// let forged = ValidatedCallback { code: todo!(), verifier: todo!() };
/// ```
#[derive(Debug)]
pub struct ValidatedCallback {
    code: AuthCode,
    verifier: PkceVerifier,
}

impl ValidatedCallback {
    /// The code to exchange.
    pub fn code(&self) -> &AuthCode {
        &self.code
    }

    /// The verifier of the flow this callback belongs to.
    pub fn verifier(&self) -> &PkceVerifier {
        &self.verifier
    }
}

/// Parses the callback's query string (with or without the leading `?`).
///
/// # Errors
/// [`AppError::CallbackMalformed`] when the query is oversized, a known
/// parameter appears twice, or `code` is empty, oversized or not printable
/// ASCII. Nothing from the query reaches the message.
pub fn parse_callback(query: &str) -> Result<CallbackParams, AppError> {
    let query = query.strip_prefix('?').unwrap_or(query);
    if query.len() > MAX_QUERY_LEN {
        return Err(AppError::CallbackMalformed);
    }
    let mut params = CallbackParams {
        flow: None,
        state: None,
        code: None,
        error: None,
        error_description: None,
    };
    let mut code = None;
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        let slot = match name.as_ref() {
            FLOW_PARAM => &mut params.flow,
            "state" => &mut params.state,
            "code" => &mut code,
            "error" => &mut params.error,
            "error_description" => &mut params.error_description,
            // Unknown parameters (including any `next=` or `return_to=`) mean nothing here.
            _ => continue,
        };
        if slot.replace(value.into_owned()).is_some() {
            return Err(AppError::CallbackMalformed);
        }
    }
    if let Some(code) = code {
        let well_formed = !code.is_empty()
            && code.len() <= MAX_CODE_LEN
            && code.bytes().all(|b| b.is_ascii_graphic());
        if !well_formed {
            return Err(AppError::CallbackMalformed);
        }
        params.code = Some(AuthCode(code));
    }
    Ok(params)
}

/// One sign-in waiting for its callback.
#[derive(Debug)]
pub struct PendingFlow {
    verifier: PkceVerifier,
    created_at_ms: u64,
}

impl PendingFlow {
    /// A flow started at `created_at_ms` (milliseconds since the epoch).
    pub fn new(verifier: PkceVerifier, created_at_ms: u64) -> Self {
        Self {
            verifier,
            created_at_ms,
        }
    }

    /// The verifier this flow will prove possession of.
    pub fn verifier(&self) -> &PkceVerifier {
        &self.verifier
    }

    fn is_live(&self, now_ms: u64) -> bool {
        // A record from the future (clock moved back, or planted) is not trusted either.
        self.created_at_ms <= now_ms + CLOCK_SKEW_MS
            && now_ms.saturating_sub(self.created_at_ms) <= FLOW_TTL_MS
    }
}

/// The pending sign-ins of this browser, keyed by flow id. Kept in
/// localStorage, so a callback that opens in another tab still finds its flow.
///
/// Stored as one line per flow, `<flow id> <verifier> <started, ms>`: every
/// field is base64url or digits, so no escaping is needed, and anything else
/// is dropped on reading.
#[derive(Debug, Default)]
pub struct PendingFlows(Vec<(FlowId, PendingFlow)>);

impl PendingFlows {
    /// Reads the stored text, which is untrusted: malformed lines are dropped.
    pub fn parse(stored: &str) -> Self {
        let mut flows = Self::default();
        for line in stored.lines() {
            let mut fields = line.split(' ');
            let (Some(id), Some(verifier), Some(started), None) =
                (fields.next(), fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            let (Some(id), Some(verifier), Ok(started)) = (
                FlowId::parse(id),
                PkceVerifier::from_stored(verifier.to_owned()),
                started.parse::<u64>(),
            ) else {
                continue;
            };
            if !flows.contains(&id) {
                flows.0.push((id, PendingFlow::new(verifier, started)));
            }
        }
        flows
    }

    /// The text to store.
    ///
    /// # Security
    /// Holds verifiers: write it only to the pending-flow storage entry.
    pub fn to_stored(&self) -> String {
        self.0
            .iter()
            .map(|(id, f)| {
                format!(
                    "{} {} {}\n",
                    id.as_str(),
                    f.verifier.secret(),
                    f.created_at_ms
                )
            })
            .collect()
    }

    /// Adds a flow, dropping expired ones and, past [`MAX_PENDING_FLOWS`], the oldest.
    pub fn insert(&mut self, id: &FlowId, flow: PendingFlow, now_ms: u64) {
        self.prune(now_ms);
        self.0.retain(|(other, _)| other != id);
        while self.0.len() >= MAX_PENDING_FLOWS {
            let oldest = (0..self.0.len()).min_by_key(|&i| self.0[i].1.created_at_ms);
            match oldest {
                Some(i) => self.0.remove(i),
                None => break,
            };
        }
        self.0.push((id.clone(), flow));
    }

    /// Removes flows older than [`FLOW_TTL_MS`].
    pub fn prune(&mut self, now_ms: u64) {
        self.0.retain(|(_, f)| f.is_live(now_ms));
    }

    /// Removes and returns the flow named `id`, live or not.
    pub fn take(&mut self, id: &FlowId) -> Option<PendingFlow> {
        let at = self.0.iter().position(|(other, _)| other == id)?;
        Some(self.0.remove(at).1)
    }

    /// True when the flow named `id` is waiting.
    pub fn contains(&self, id: &FlowId) -> bool {
        self.0.iter().any(|(other, _)| other == id)
    }

    /// How many flows are waiting.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when no flow is waiting.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Binds parsed callback parameters to a pending flow and consumes it.
///
/// The flow is removed from `flows` as soon as it is found, before its age,
/// `state` or `error` are looked at: a flow is tried once, whatever happens.
///
/// # Errors
/// - [`AppError::NoPendingSignIn`]: no flow id, a malformed one, or one that
///   names no pending flow; `flows` is unchanged.
/// - [`AppError::CallbackMalformed`]: an echoed `state` differs from the flow id.
/// - [`AppError::SignInExpired`]: the flow is older than [`FLOW_TTL_MS`].
/// - [`AppError::SignInCancelled`]: `error` present or `code` missing. The
///   description is shown only here, capped, as plain text.
pub fn bind_callback(
    params: CallbackParams,
    flows: &mut PendingFlows,
    now_ms: u64,
) -> Result<ValidatedCallback, AppError> {
    let flow_id = params
        .flow
        .as_deref()
        .and_then(FlowId::parse)
        .ok_or(AppError::NoPendingSignIn)?;
    let flow = flows.take(&flow_id).ok_or(AppError::NoPendingSignIn)?;
    if params
        .state
        .as_deref()
        .is_some_and(|s| s != flow_id.as_str())
    {
        return Err(AppError::CallbackMalformed);
    }
    if !flow.is_live(now_ms) {
        return Err(AppError::SignInExpired);
    }
    match (params.error, params.code) {
        (None, Some(code)) => Ok(ValidatedCallback {
            code,
            verifier: flow.verifier,
        }),
        (error, _) => {
            let detail = params
                .error_description
                .or(error)
                .filter(|d| d != "access_denied");
            Err(AppError::SignInCancelled {
                detail: detail.map(|d| cap_text(&d)).filter(|d| !d.is_empty()),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_800_000_000_000;

    fn verifier(n: u8) -> PkceVerifier {
        PkceVerifier::from_octets([n; 32])
    }

    fn flows_with(id: &FlowId, created: u64) -> PendingFlows {
        let mut flows = PendingFlows::default();
        flows.insert(id, PendingFlow::new(verifier(1), created), created);
        flows
    }

    #[test]
    fn parses_a_normal_callback() {
        let p = parse_callback("?flow=abc&code=c0de-1").expect("parses");
        assert_eq!(p.flow.as_deref(), Some("abc"));
        assert_eq!(p.code.as_ref().map(AuthCode::secret), Some("c0de-1"));
        assert!(p.is_sign_in());
        assert!(!parse_callback("").expect("parses").is_sign_in());
    }

    #[test]
    fn property_9_rejects_duplicates_of_known_parameters() {
        for q in [
            "code=a&code=b",
            "flow=a&flow=a&code=x",
            "state=1&state=2",
            "error=x&error=y",
        ] {
            assert_eq!(
                parse_callback(q).unwrap_err(),
                AppError::CallbackMalformed,
                "{q}"
            );
        }
        // Unknown parameters may repeat: they are ignored.
        assert!(parse_callback("utm=1&utm=2&code=x").is_ok());
    }

    #[test]
    fn property_10_rejects_empty_oversized_or_odd_codes() {
        let long = format!("code={}", "a".repeat(MAX_CODE_LEN + 1));
        for q in ["code=", "code=%20x", "code=a%0Ab", &long] {
            assert_eq!(
                parse_callback(q).unwrap_err(),
                AppError::CallbackMalformed,
                "{q}"
            );
        }
        let at_cap = format!("code={}", "a".repeat(MAX_CODE_LEN));
        assert!(parse_callback(&at_cap).is_ok());
        let huge = format!("x={}", "a".repeat(MAX_QUERY_LEN));
        assert_eq!(
            parse_callback(&huge).unwrap_err(),
            AppError::CallbackMalformed
        );
    }

    #[test]
    fn property_19_code_debug_is_redacted() {
        let p = parse_callback("code=supersecret").expect("parses");
        assert!(!format!("{p:?}").contains("supersecret"));
    }

    #[test]
    fn binds_consumes_and_validates() {
        let id = FlowId::generate().expect("rng");
        let mut flows = flows_with(&id, NOW);
        let q = format!("flow={}&code=xyz", id.as_str());
        let ok = bind_callback(parse_callback(&q).expect("parses"), &mut flows, NOW + 1000)
            .expect("binds");
        assert_eq!(ok.code().secret(), "xyz");
        assert_eq!(ok.verifier().secret(), verifier(1).secret());
        assert!(flows.is_empty(), "consumed");
        // The same callback again finds nothing.
        let again = bind_callback(parse_callback(&q).expect("parses"), &mut flows, NOW);
        assert_eq!(again.unwrap_err(), AppError::NoPendingSignIn);
    }

    #[test]
    fn property_5_6_no_or_unknown_flow_exchanges_nothing_and_keeps_flows() {
        let id = FlowId::generate().expect("rng");
        let mut flows = flows_with(&id, NOW);
        let other = FlowId::generate().expect("rng");
        for q in [
            "code=attacker".to_owned(),
            "flow=&code=x".to_owned(),
            "flow=__proto__&code=x".to_owned(),
            "flow=constructor&code=x".to_owned(),
            format!("flow={}&code=x", other.as_str()),
        ] {
            let r = bind_callback(parse_callback(&q).expect("parses"), &mut flows, NOW);
            assert_eq!(r.unwrap_err(), AppError::NoPendingSignIn, "{q}");
            assert!(flows.contains(&id), "pending flow intact after {q}");
        }
    }

    #[test]
    fn property_11_expired_flow_is_consumed_and_refused() {
        let id = FlowId::generate().expect("rng");
        let mut flows = flows_with(&id, NOW);
        let q = format!("flow={}&code=x", id.as_str());
        let later = NOW + FLOW_TTL_MS + 1;
        let r = bind_callback(parse_callback(&q).expect("parses"), &mut flows, later);
        assert_eq!(r.unwrap_err(), AppError::SignInExpired);
        assert!(flows.is_empty());
    }

    #[test]
    fn property_8_error_callback_is_cancelled_and_consumes() {
        let id = FlowId::generate().expect("rng");
        let mut flows = flows_with(&id, NOW);
        let q = format!("flow={}&error=access_denied", id.as_str());
        let r = bind_callback(parse_callback(&q).expect("parses"), &mut flows, NOW);
        assert_eq!(r.unwrap_err(), AppError::SignInCancelled { detail: None });
        assert!(flows.is_empty());

        let mut flows = flows_with(&id, NOW);
        let q = format!(
            "flow={}&error=access_denied&error_description=%3Cimg%20src%3Dx%3E{}",
            id.as_str(),
            "y".repeat(500)
        );
        let r = bind_callback(parse_callback(&q).expect("parses"), &mut flows, NOW);
        let AppError::SignInCancelled { detail: Some(d) } = r.unwrap_err() else {
            panic!("expected a cancelled sign-in with detail");
        };
        assert!(d.starts_with("<img src=x>yyy"));
        assert_eq!(d.chars().count(), crate::error::MAX_SHOWN_TEXT + 1);
    }

    #[test]
    fn missing_code_is_cancelled() {
        let id = FlowId::generate().expect("rng");
        let mut flows = flows_with(&id, NOW);
        let q = format!("flow={}", id.as_str());
        let r = bind_callback(parse_callback(&q).expect("parses"), &mut flows, NOW);
        assert_eq!(r.unwrap_err(), AppError::SignInCancelled { detail: None });
    }

    #[test]
    fn echoed_state_must_match() {
        let id = FlowId::generate().expect("rng");
        let mut flows = flows_with(&id, NOW);
        let q = format!("flow={0}&state={0}&code=x", id.as_str());
        assert!(bind_callback(parse_callback(&q).expect("parses"), &mut flows, NOW).is_ok());
        let mut flows = flows_with(&id, NOW);
        let q = format!("flow={}&state=other&code=x", id.as_str());
        let r = bind_callback(parse_callback(&q).expect("parses"), &mut flows, NOW);
        assert_eq!(r.unwrap_err(), AppError::CallbackMalformed);
    }

    #[test]
    fn pending_flows_round_trip_and_reject_planted_entries() {
        let a = FlowId::generate().expect("rng");
        let b = FlowId::generate().expect("rng");
        let mut flows = PendingFlows::default();
        flows.insert(&a, PendingFlow::new(verifier(1), NOW), NOW);
        flows.insert(&b, PendingFlow::new(verifier(2), NOW + 5), NOW + 5);
        let mut back = PendingFlows::parse(&flows.to_stored());
        assert_eq!(back.len(), 2);
        assert_eq!(
            back.take(&b).expect("b").verifier().secret(),
            verifier(2).secret()
        );

        // Planted lines: a built-in name, a short verifier, a duplicate id, extra fields, bad times.
        let planted = format!(
            "__proto__ {v} 1\n{a} short 1\n{b} {v} 2\n{b} {w} 3\n{a} {v} 1 extra\n{a} {v} -1\n{a} {v} x\n\n",
            v = verifier(3).secret(),
            w = verifier(4).secret(),
            a = a.as_str(),
            b = b.as_str()
        );
        let mut kept = PendingFlows::parse(&planted);
        assert_eq!(kept.len(), 1);
        assert_eq!(
            kept.take(&b).expect("b").verifier().secret(),
            verifier(3).secret()
        );
        assert!(PendingFlows::parse("not a flow").is_empty());
        assert!(PendingFlows::parse("").is_empty());
    }

    #[test]
    fn pending_flows_expire_and_stay_bounded() {
        let mut flows = PendingFlows::default();
        let old = FlowId::generate().expect("rng");
        flows.insert(&old, PendingFlow::new(verifier(1), NOW), NOW);
        let later = NOW + FLOW_TTL_MS + 1;
        for n in 0..(MAX_PENDING_FLOWS + 4) {
            let id = FlowId::generate().expect("rng");
            flows.insert(
                &id,
                PendingFlow::new(verifier(2), later + n as u64),
                later + n as u64,
            );
        }
        assert!(!flows.contains(&old));
        assert_eq!(flows.len(), MAX_PENDING_FLOWS);
    }
}
