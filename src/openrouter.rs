//! OpenRouter: endpoint constants, URL builders and response interpretation
//! (pure, tested natively), and the thin async edge that performs requests
//! with the browser's `fetch` (the only code here that touches the network).
//!
//! # Security
//! Every endpoint is a compile-time constant under [`ORIGIN`]. Nothing read
//! from a URL or from storage can change where a request, and so the key, goes.

pub mod sse;
pub mod types;

use futures::{Stream, StreamExt};
use gloo_net::http::{Request, RequestBuilder, Response};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, ReadableStreamDefaultReader, ReferrerPolicy, RequestCredentials};

use crate::callback::ValidatedCallback;
use crate::error::{AppError, cap_text};
use crate::key::ApiKey;
use crate::openrouter::sse::{ChatEvent, chat_events};
use crate::openrouter::types::{
    ApiErrorBody, ApiErrorDetail, ChatRequest, KeyInfo, KeyInfoResponse, Model, ModelsResponse,
};
use crate::pkce::{FlowId, PkceChallenge, S256};

/// The one origin the app talks to.
pub const ORIGIN: &str = "https://openrouter.ai";
/// Where sign-in starts (a page the browser navigates to).
pub const AUTH_URL: &str = "https://openrouter.ai/auth";
/// Code-for-key exchange.
pub const KEYS_URL: &str = "https://openrouter.ai/api/v1/auth/keys";
/// Chat completions.
pub const CHAT_URL: &str = "https://openrouter.ai/api/v1/chat/completions";
/// The public model list.
pub const MODELS_URL: &str = "https://openrouter.ai/api/v1/models";
/// Details of the current key.
pub const KEY_INFO_URL: &str = "https://openrouter.ai/api/v1/key";
/// The account's credits page.
pub const CREDITS_PAGE: &str = "https://openrouter.ai/settings/credits";
/// The account's keys page (revoke, limits).
pub const KEYS_PAGE: &str = "https://openrouter.ai/settings/keys";
/// The app's name, sent as `X-Title` for attribution.
pub const APP_TITLE: &str = "Switchboard";

/// The route OpenRouter sends the browser back to, relative to the base path.
pub const CALLBACK_ROUTE: &str = "callback/";

/// The `callback_url` for one sign-in: this page's origin and base path, the
/// callback route, and the flow id. Computed at run time from the page's own
/// location, never hard-coded.
pub fn callback_url(origin: &str, base: &str, flow: &FlowId) -> String {
    format!("{origin}{base}{CALLBACK_ROUTE}?flow={}", flow.as_str())
}

/// The OpenRouter page that asks the user to approve, with the whole
/// `callback_url` percent-encoded as one value.
pub fn authorize_url(callback_url: &str, challenge: &PkceChallenge) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("callback_url", callback_url)
        .append_pair("code_challenge", challenge.as_str())
        .append_pair("code_challenge_method", S256)
        .finish();
    format!("{AUTH_URL}?{query}")
}

/// This key's settings page on OpenRouter.
pub fn key_page_url(key: &ApiKey) -> String {
    format!("{ORIGIN}/keys/{}", key.hash_hex())
}

/// This key's activity on OpenRouter.
pub fn key_activity_url(key: &ApiKey) -> String {
    format!("{ORIGIN}/logs?api_key_hash={}", key.hash_hex())
}

/// The fields of the exchange's JSON body, in order: `code`,
/// `code_verifier` and `code_challenge_method` (always `S256`).
pub fn exchange_fields(callback: &ValidatedCallback) -> [(&'static str, &str); 3] {
    [
        ("code", callback.code().secret()),
        ("code_verifier", callback.verifier().secret()),
        ("code_challenge_method", S256),
    ]
}

/// The `key` field of a 200 exchange response, as read from its JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyField {
    /// Not JSON, not an object, or no `key` (or `null`).
    Missing,
    /// `key` is there but not a string.
    NotText,
    /// `key` is a string.
    Text(String),
}

/// Interprets the exchange's response. The body is never shown.
///
/// # Errors
/// 400/403: [`AppError::ExchangeRejected`]; 405: [`AppError::ExchangeMethod`];
/// other non-2xx: [`AppError::ExchangeServer`]; a 200 without a well-formed
/// `key`: [`AppError::ExchangeMalformed`].
pub fn exchange_result(status: u16, key: KeyField) -> Result<ApiKey, AppError> {
    match (status, key) {
        (200..=299, KeyField::Text(key)) => {
            ApiKey::parse(&key).map_err(|_| AppError::ExchangeMalformed)
        }
        (200..=299, _) => Err(AppError::ExchangeMalformed),
        (400 | 403, _) => Err(AppError::ExchangeRejected),
        (405, _) => Err(AppError::ExchangeMethod),
        (other, _) => Err(AppError::ExchangeServer(other)),
    }
}

/// Interprets an error response of the API (chat, key info) as a message.
/// `retry_after` is the `Retry-After` header, when the browser may read it.
pub fn api_error(status: u16, body: &str, retry_after: Option<&str>) -> AppError {
    let detail: ApiErrorDetail = serde_json::from_str::<ApiErrorBody>(body)
        .ok()
        .and_then(|b| b.error)
        .unwrap_or_default();
    let message = detail
        .message
        .as_deref()
        .map(cap_text)
        .filter(|m| !m.is_empty());
    let error_type = detail
        .metadata
        .as_ref()
        .and_then(|m| m.error_type.as_deref());
    match status {
        401 => AppError::Unauthorized,
        402 => AppError::PaymentRequired(message),
        429 => {
            let header = retry_after.and_then(|h| h.trim().parse::<f64>().ok());
            let hint = header.or(detail.availability.and_then(|a| a.retry_after));
            AppError::RateLimited(
                hint.filter(|s| s.is_finite() && *s >= 0.0)
                    .map(|s| s.ceil() as u32),
            )
        }
        400 if error_type == Some("context_length_exceeded")
            || message
                .as_deref()
                .is_some_and(|m| m.to_lowercase().contains("context length")) =>
        {
            AppError::ContextLength
        }
        403 => {
            let reasons = detail
                .metadata
                .and_then(|m| m.reasons)
                .map(|r| cap_text(&r.join(", ")));
            AppError::Forbidden(reasons.filter(|r| !r.is_empty()).or(message))
        }
        status => AppError::Api { status, message },
    }
}

// ---------------------------------------------------------------------------------------
// The browser edge.
// ---------------------------------------------------------------------------------------

/// A request that sends no cookies and no referrer, as every request here must.
fn request(builder: RequestBuilder) -> RequestBuilder {
    builder
        .credentials(RequestCredentials::Omit)
        .referrer_policy(ReferrerPolicy::NoReferrer)
}

/// A request carrying the key; only ever built for the constants above.
fn authorized(builder: RequestBuilder, key: &ApiKey) -> RequestBuilder {
    request(builder).header("Authorization", &format!("Bearer {}", key.secret()))
}

async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, AppError> {
    request
        .map_err(|_| AppError::Network)?
        .send()
        .await
        .map_err(|_| AppError::Network)
}

/// Trades a validated callback for a key (`POST /api/v1/auth/keys`), once.
///
/// The body is written and the answer read with the browser's own JSON, so
/// the first view carries no JSON library.
///
/// # Errors
/// See [`exchange_result`]; [`AppError::Network`] when OpenRouter is unreachable.
pub async fn exchange_code(callback: ValidatedCallback) -> Result<ApiKey, AppError> {
    let body = js_sys::Object::new();
    for (name, value) in exchange_fields(&callback) {
        let _ = js_sys::Reflect::set(&body, &name.into(), &value.into());
    }
    drop(callback);
    let json = js_sys::JSON::stringify(&body).map_err(|_| AppError::Network)?;
    let response = send(
        request(Request::post(KEYS_URL))
            .header("Content-Type", "application/json")
            .body(json),
    )
    .await?;
    let status = response.status();
    let text = response.text().await.map_err(|_| AppError::Network)?;
    exchange_result(status, key_field(&text))
}

/// Reads the `key` field of a JSON text with the browser's JSON parser.
pub fn key_field(text: &str) -> KeyField {
    let Ok(value) = js_sys::JSON::parse(text) else {
        return KeyField::Missing;
    };
    if !value.is_object() {
        return KeyField::Missing;
    }
    match js_sys::Reflect::get(&value, &"key".into()) {
        Ok(key) if key.is_undefined() || key.is_null() => KeyField::Missing,
        Ok(key) => key.as_string().map_or(KeyField::NotText, KeyField::Text),
        Err(_) => KeyField::Missing,
    }
}

/// `GET /api/v1/key`: the key's masked label, usage and limits.
///
/// # Errors
/// [`AppError::KeyRejected`] on 401; others as [`api_error`].
pub async fn fetch_key_info(key: &ApiKey) -> Result<KeyInfo, AppError> {
    let response = send(authorized(Request::get(KEY_INFO_URL), key).build()).await?;
    let status = response.status();
    let text = response.text().await.map_err(|_| AppError::Network)?;
    match status {
        200..=299 => serde_json::from_str::<KeyInfoResponse>(&text)
            .map(|r| r.data)
            .map_err(|_| AppError::BadStream),
        401 => Err(AppError::KeyRejected),
        status => Err(api_error(status, &key.redact(&text), None)),
    }
}

/// Checks a key with OpenRouter (`GET /api/v1/key`) without reading the
/// answer: how a pasted key is validated before it is stored.
///
/// # Errors
/// [`AppError::KeyRejected`] on 401, [`AppError::Network`], or the status.
pub async fn check_key(key: &ApiKey) -> Result<(), AppError> {
    let response = send(authorized(Request::get(KEY_INFO_URL), key).build()).await?;
    match response.status() {
        200..=299 => Ok(()),
        401 => Err(AppError::KeyRejected),
        status => Err(AppError::Api {
            status,
            message: None,
        }),
    }
}

/// How many models `GET /api/v1/models` lists, and how many are free; read
/// with the browser's JSON, for the start page (no key needed).
///
/// # Errors
/// [`AppError::Network`], or the status.
pub async fn fetch_model_counts() -> Result<(usize, usize), AppError> {
    let response = send(request(Request::get(MODELS_URL)).build()).await?;
    if !(200..=299).contains(&response.status()) {
        return Err(AppError::Api {
            status: response.status(),
            message: None,
        });
    }
    let text = response.text().await.map_err(|_| AppError::Network)?;
    let get = |v: &wasm_bindgen::JsValue, k: &str| js_sys::Reflect::get(v, &k.into()).ok();
    let list = js_sys::JSON::parse(&text)
        .ok()
        .and_then(|v| get(&v, "data"))
        .filter(js_sys::Array::is_array)
        .map(|v| js_sys::Array::from(&v))
        .ok_or(AppError::BadStream)?;
    let price = |pricing: &Option<wasm_bindgen::JsValue>, k: &str| {
        let v = pricing.as_ref().and_then(|p| get(p, k))?;
        // The browser parses the decimal string: no float parser in the first view.
        v.as_f64().or_else(|| {
            v.as_string()
                .map(|s| js_sys::Number::parse_float(&s))
                .filter(|n| !n.is_nan())
        })
    };
    let free = list
        .iter()
        .filter(|m| {
            let id = get(m, "id").and_then(|i| i.as_string()).unwrap_or_default();
            let pricing = get(m, "pricing").filter(|p| p.is_object());
            crate::models::is_free_by(
                &id,
                price(&pricing, "prompt"),
                price(&pricing, "completion"),
            )
        })
        .count();
    Ok((list.length() as usize, free))
}

/// `GET /api/v1/models`: public, sent without a key.
///
/// # Errors
/// [`AppError::Network`], or the API error.
pub async fn fetch_models() -> Result<Vec<Model>, AppError> {
    let response = send(request(Request::get(MODELS_URL)).build()).await?;
    let status = response.status();
    let text = response.text().await.map_err(|_| AppError::Network)?;
    match status {
        200..=299 => serde_json::from_str::<ModelsResponse>(&text)
            .map(|r| r.data)
            .map_err(|_| AppError::BadStream),
        status => Err(api_error(status, &text, None)),
    }
}

/// Why a chat stream did not run to its end.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamError {
    /// The request was aborted (Stop, Disconnect, leaving the page).
    Aborted,
    /// Anything else, as a message for the user.
    Failed(AppError),
}

impl StreamError {
    fn from_js(abort: &AbortSignal) -> Self {
        if abort.aborted() {
            Self::Aborted
        } else {
            Self::Failed(AppError::Network)
        }
    }
}

/// Starts a streaming chat completion and returns its events.
///
/// # Errors
/// Before any event: [`StreamError::Aborted`], [`AppError::Network`], or the
/// API error for a non-2xx status (with the key redacted from echoed text).
pub async fn stream_chat(
    key: &ApiKey,
    body: &ChatRequest<'_>,
    app_url: &str,
    abort: &AbortSignal,
) -> Result<impl Stream<Item = Result<ChatEvent, StreamError>> + use<>, StreamError> {
    let json = serde_json::to_string(body).unwrap_or_default();
    let request = authorized(Request::post(CHAT_URL), key)
        .header("Content-Type", "application/json")
        .header("HTTP-Referer", app_url)
        .header("X-Title", APP_TITLE)
        .abort_signal(Some(abort))
        .body(json)
        .map_err(|_| StreamError::Failed(AppError::Network))?;
    let response = request
        .send()
        .await
        .map_err(|_| StreamError::from_js(abort))?;
    let status = response.status();
    if !(200..=299).contains(&status) {
        let retry_after = response.headers().get("Retry-After");
        let text = response.text().await.unwrap_or_default();
        let error = api_error(status, &key.redact(&text), retry_after.as_deref());
        return Err(StreamError::Failed(error));
    }
    let reader = response
        .body()
        .and_then(|b| {
            b.get_reader()
                .dyn_into::<ReadableStreamDefaultReader>()
                .ok()
        })
        .ok_or(StreamError::Failed(AppError::BadStream))?;
    Ok(chat_events(body_chunks(reader, abort.clone())))
}

/// The response body as a stream of byte chunks.
fn body_chunks(
    reader: ReadableStreamDefaultReader,
    abort: AbortSignal,
) -> impl Stream<Item = Result<Vec<u8>, StreamError>> {
    futures::stream::unfold(Some(reader), move |reader| {
        let abort = abort.clone();
        async move {
            let reader = reader?;
            match JsFuture::from(reader.read()).await {
                Ok(result) => {
                    let done = js_sys::Reflect::get(&result, &"done".into())
                        .map(|d| d.is_truthy())
                        .unwrap_or(true);
                    if done {
                        return None;
                    }
                    let value = js_sys::Reflect::get(&result, &"value".into()).ok()?;
                    let bytes = js_sys::Uint8Array::new(&value).to_vec();
                    Some((Ok(bytes), Some(reader)))
                }
                // The body broke off: the reply so far is kept and marked cut off.
                Err(_) if abort.aborted() => Some((Err(StreamError::Aborted), None)),
                Err(_) => Some((Err(StreamError::Failed(AppError::CutOff)), None)),
            }
        }
    })
    .fuse()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::callback::{PendingFlow, PendingFlows, bind_callback, parse_callback};
    use crate::pkce::PkceVerifier;

    #[test]
    fn callback_url_follows_origin_and_base() {
        let flow = FlowId::parse("AAAAAAAAAAAAAAAAAAAAAA").expect("valid");
        assert_eq!(
            callback_url("http://localhost:3000", "/", &flow),
            "http://localhost:3000/callback/?flow=AAAAAAAAAAAAAAAAAAAAAA"
        );
        assert_eq!(
            callback_url("https://me.github.io", "/switchboard/", &flow),
            "https://me.github.io/switchboard/callback/?flow=AAAAAAAAAAAAAAAAAAAAAA"
        );
    }

    #[test]
    fn authorize_url_encodes_the_callback_as_one_value() {
        let challenge = PkceVerifier::from_octets([7; 32]).challenge();
        let url = authorize_url("http://localhost:3000/callback/?flow=abc&x=1", &challenge);
        assert_eq!(
            url,
            format!(
                "https://openrouter.ai/auth?callback_url=http%3A%2F%2Flocalhost%3A3000%2Fcallback%2F%3Fflow%3Dabc%26x%3D1&code_challenge={}&code_challenge_method=S256",
                challenge.as_str()
            )
        );
    }

    #[test]
    fn exchange_body_has_the_documented_fields() {
        let flow = FlowId::parse("BBBBBBBBBBBBBBBBBBBBBB").expect("valid");
        let mut flows = PendingFlows::default();
        let verifier = PkceVerifier::from_octets([1; 32]);
        let expected_verifier = verifier.secret().to_owned();
        flows.insert(&flow, PendingFlow::new(verifier, 0), 0);
        let params = parse_callback("flow=BBBBBBBBBBBBBBBBBBBBBB&code=the-code").expect("parses");
        let validated = bind_callback(params, &mut flows, 1).expect("binds");
        assert_eq!(
            exchange_fields(&validated),
            [
                ("code", "the-code"),
                ("code_verifier", expected_verifier.as_str()),
                ("code_challenge_method", "S256")
            ]
        );
    }

    #[test]
    fn property_14_exchange_results_validate_the_key() {
        let key = "sk-or-v1-".to_owned() + &"ab".repeat(32);
        let ok = exchange_result(200, KeyField::Text(key.clone())).expect("ok");
        assert_eq!(ok.secret(), key);
        for field in [
            KeyField::Missing,
            KeyField::NotText,
            KeyField::Text(String::new()),
            KeyField::Text("sk-or-v1 with space".into()),
            KeyField::Text("sk-or-v1-\u{7}".into()),
            KeyField::Text("a".repeat(300)),
        ] {
            assert_eq!(
                exchange_result(200, field.clone()).unwrap_err(),
                AppError::ExchangeMalformed,
                "{field:?}"
            );
        }
        assert_eq!(
            exchange_result(400, KeyField::Missing).unwrap_err(),
            AppError::ExchangeRejected
        );
        assert_eq!(
            exchange_result(403, KeyField::Missing).unwrap_err(),
            AppError::ExchangeRejected
        );
        assert_eq!(
            exchange_result(405, KeyField::Missing).unwrap_err(),
            AppError::ExchangeMethod
        );
        assert_eq!(
            exchange_result(500, KeyField::Missing).unwrap_err(),
            AppError::ExchangeServer(500)
        );
        // A rejection is a rejection whatever the body holds.
        assert_eq!(
            exchange_result(403, KeyField::Text(key)).unwrap_err(),
            AppError::ExchangeRejected
        );
    }

    #[test]
    fn api_errors_map_to_advice() {
        assert_eq!(
            api_error(
                401,
                r#"{"error":{"message":"User not found.","code":401}}"#,
                None
            ),
            AppError::Unauthorized
        );
        let paid = api_error(
            402,
            r#"{"error":{"message":"This request requires more credits, or fewer max_tokens. You requested up to 16384 tokens, but can only afford 3919.","code":402}}"#,
            None,
        );
        assert!(matches!(&paid, AppError::PaymentRequired(Some(m)) if m.contains("3919")));
        assert_eq!(
            api_error(429, "{}", Some("17")),
            AppError::RateLimited(Some(17))
        );
        assert_eq!(
            api_error(
                429,
                r#"{"error":{"code":429,"availability":{"retry_after":4.2}}}"#,
                None
            ),
            AppError::RateLimited(Some(5))
        );
        assert_eq!(api_error(429, "nope", None), AppError::RateLimited(None));
        assert_eq!(
            api_error(
                400,
                r#"{"error":{"code":400,"message":"x","metadata":{"error_type":"context_length_exceeded"}}}"#,
                None
            ),
            AppError::ContextLength
        );
        assert_eq!(
            api_error(
                403,
                r#"{"error":{"code":403,"message":"flagged","metadata":{"reasons":["violence","hate"]}}}"#,
                None
            ),
            AppError::Forbidden(Some("violence, hate".into()))
        );
        assert_eq!(
            api_error(503, "<html>", None),
            AppError::Api {
                status: 503,
                message: None
            }
        );
    }

    #[test]
    fn deep_links_use_the_key_hash() {
        let key = ApiKey::parse("abc").expect("valid");
        assert_eq!(
            key_page_url(&key),
            "https://openrouter.ai/keys/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(
            key_activity_url(&key).starts_with("https://openrouter.ai/logs?api_key_hash=ba7816")
        );
    }

    #[test]
    fn property_26_every_endpoint_is_under_the_one_origin() {
        for url in [
            AUTH_URL,
            KEYS_URL,
            CHAT_URL,
            MODELS_URL,
            KEY_INFO_URL,
            CREDITS_PAGE,
            KEYS_PAGE,
        ] {
            assert!(url.starts_with("https://openrouter.ai/"), "{url}");
        }
    }
}
