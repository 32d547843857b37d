//! Request and response bodies of the OpenRouter API, as serde types.
//!
//! Responses are parsed leniently, as shared/OPENROUTER.md asks: every field
//! but the essential one is optional, explicit `null` reads as absent, and
//! unknown fields are ignored.

use serde::{Deserialize, Serialize};

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Instructions for the model.
    System,
    /// The person chatting.
    User,
    /// The model.
    Assistant,
}

impl Role {
    /// The name used in the API and in `data-role`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::User => "user",
            Self::Assistant => "assistant",
        }
    }
}

/// One message of the conversation sent to the model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChatMessage<'a> {
    /// Who wrote it.
    pub role: Role,
    /// Its text.
    pub content: &'a str,
}

/// `POST /api/v1/chat/completions`, streaming.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChatRequest<'a> {
    /// The model slug, such as `openai/gpt-4o-mini`.
    pub model: &'a str,
    /// The conversation so far; never ends with an empty assistant message.
    pub messages: Vec<ChatMessage<'a>>,
    /// Always true here: the reply streams as server-sent events.
    pub stream: bool,
    /// Always sent, so the credit pre-check reserves only this much.
    pub max_tokens: u32,
    /// Sampling temperature, 0 to 2; the model's default when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f32>,
}

/// The `error` object of an API error body or of a mid-stream error event.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ApiErrorDetail {
    /// Usually the HTTP status; a number or a string.
    pub code: Option<ErrorCode>,
    /// A human-readable message.
    pub message: Option<String>,
    /// Typed details (`error_type`, moderation reasons).
    pub metadata: Option<ErrorMetadata>,
    /// Availability hints on 429/503.
    pub availability: Option<Availability>,
}

/// `error.code`: OpenRouter sends a number or a string.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum ErrorCode {
    /// Such as `429`.
    Number(f64),
    /// Such as `"server_error"`.
    Text(String),
}

impl ErrorCode {
    /// The code as text, as shown to the user.
    pub fn to_text(&self) -> String {
        match self {
            Self::Number(n) => format!("{n}"),
            Self::Text(t) => t.clone(),
        }
    }
}

/// The parts of `error.metadata` the app uses.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ErrorMetadata {
    /// Such as `context_length_exceeded` or `rate_limit_exceeded`.
    pub error_type: Option<String>,
    /// Moderation reasons, if any.
    pub reasons: Option<Vec<String>>,
}

/// `error.availability` on capacity errors.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Availability {
    /// Seconds to wait before retrying.
    pub retry_after: Option<f64>,
}

/// An error response body: `{"error":{…}}`.
#[derive(Debug, Deserialize)]
pub struct ApiErrorBody {
    /// The error, if the body had one.
    pub error: Option<ApiErrorDetail>,
}

/// One `data:` event of a chat completion stream.
#[derive(Debug, Deserialize)]
pub struct StreamChunk {
    /// The generation id, `gen-…`.
    pub id: Option<String>,
    /// The model that answered.
    pub model: Option<String>,
    /// Usually one choice; empty or absent in the usage chunk.
    pub choices: Option<Vec<ChunkChoice>>,
    /// Token counts and cost, once, near the end.
    pub usage: Option<Usage>,
    /// A mid-stream error: the reply ends here.
    pub error: Option<ApiErrorDetail>,
}

/// One choice of a stream chunk.
#[derive(Debug, Deserialize)]
pub struct ChunkChoice {
    /// New text.
    pub delta: Option<Delta>,
    /// Set on the last content chunk.
    pub finish_reason: Option<String>,
    /// A per-choice error.
    pub error: Option<ApiErrorDetail>,
}

/// The new text of a chunk.
#[derive(Debug, Deserialize)]
pub struct Delta {
    /// Answer text; may be empty, null or absent.
    pub content: Option<String>,
    /// Reasoning text of reasoning models.
    pub reasoning: Option<String>,
}

/// Tokens and cost of one generation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    /// Tokens in the prompt.
    pub prompt_tokens: Option<u64>,
    /// Tokens in the reply.
    pub completion_tokens: Option<u64>,
    /// Both together.
    pub total_tokens: Option<u64>,
    /// Cost in USD (credits).
    pub cost: Option<f64>,
}

/// `GET /api/v1/key` body.
#[derive(Debug, Deserialize)]
pub struct KeyInfoResponse {
    /// The key's details.
    pub data: KeyInfo,
}

/// What OpenRouter says about the current key.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct KeyInfo {
    /// The masked key, such as `sk-or-v1-au7...890`: the only form shown.
    pub label: Option<String>,
    /// Spending limit in USD, if any.
    pub limit: Option<f64>,
    /// What is left of the limit.
    pub limit_remaining: Option<f64>,
    /// How often the limit resets, if it does.
    pub limit_reset: Option<String>,
    /// Credits used by this key, USD.
    pub usage: Option<f64>,
    /// True while the account never bought credits.
    pub is_free_tier: Option<bool>,
    /// When the key stops working, if ever.
    pub expires_at: Option<String>,
}

/// `GET /api/v1/models` body. Entries that do not parse are skipped.
#[derive(Debug, Deserialize)]
pub struct ModelsResponse {
    /// The models.
    #[serde(deserialize_with = "lenient_list")]
    pub data: Vec<Model>,
}

/// One model of `/api/v1/models`; only `id` is required.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Model {
    /// The slug used in requests.
    pub id: String,
    /// A display name.
    pub name: Option<String>,
    /// Context window in tokens.
    pub context_length: Option<f64>,
    /// Prices per token, USD, as decimal strings.
    pub pricing: Option<Pricing>,
    /// Limits of the preferred provider.
    pub top_provider: Option<TopProvider>,
}

/// Prices of a model, USD per token.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Pricing {
    /// Per input token.
    pub prompt: Option<Price>,
    /// Per output token.
    pub completion: Option<Price>,
}

/// A price: OpenRouter sends decimal strings; numbers are accepted too.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Price {
    /// `"0.00000015"`.
    Text(String),
    /// `0.00000015`.
    Number(f64),
}

impl Price {
    /// The price as a number, if it is one.
    pub fn value(&self) -> Option<f64> {
        match self {
            Self::Text(t) => t.trim().parse().ok(),
            Self::Number(n) => Some(*n),
        }
        .filter(|v: &f64| v.is_finite())
    }
}

/// Limits of a model's preferred provider.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct TopProvider {
    /// Longest reply the provider allows.
    pub max_completion_tokens: Option<f64>,
}

/// Deserialises a list, skipping elements that do not fit `T`.
fn lenient_list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Item<T> {
        Fits(T),
        Other(serde::de::IgnoredAny),
    }
    let items = Vec::<Item<T>>::deserialize(deserializer)?;
    Ok(items
        .into_iter()
        .filter_map(|item| match item {
            Item::Fits(t) => Some(t),
            Item::Other(_) => None,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_request_has_the_documented_shape() {
        let req = ChatRequest {
            model: "openai/gpt-4o-mini",
            messages: vec![ChatMessage {
                role: Role::User,
                content: "Hi",
            }],
            stream: true,
            max_tokens: 1024,
            temperature: None,
        };
        assert_eq!(
            serde_json::to_string(&req).expect("serialises"),
            r#"{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"Hi"}],"stream":true,"max_tokens":1024}"#
        );
    }

    #[test]
    fn models_parse_leniently() {
        let json = r#"{"data":[
            {"id":"a/full","name":"Full","context_length":128000,
             "pricing":{"prompt":"0.000001","completion":"0.000002","image":"0"},
             "top_provider":{"max_completion_tokens":4096,"is_moderated":true},"extra":{"x":1}},
            {"id":"b/bare"},
            {"id":"c/nulls","name":null,"pricing":{"prompt":null},"top_provider":null},
            {"name":"no id"},
            {"id":"d/numeric","pricing":{"prompt":0.5,"completion":"free?"}}
        ],"total_count":5}"#;
        let models: ModelsResponse = serde_json::from_str(json).expect("parses");
        let ids: Vec<&str> = models.data.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["a/full", "b/bare", "c/nulls", "d/numeric"]);
        let full = &models.data[0];
        assert_eq!(
            full.pricing
                .as_ref()
                .and_then(|p| p.prompt.as_ref())
                .and_then(Price::value),
            Some(0.000001)
        );
        assert_eq!(
            full.top_provider
                .as_ref()
                .and_then(|t| t.max_completion_tokens),
            Some(4096.0)
        );
        let numeric = models.data[3].pricing.as_ref().expect("pricing");
        assert_eq!(numeric.prompt.as_ref().and_then(Price::value), Some(0.5));
        assert_eq!(numeric.completion.as_ref().and_then(Price::value), None);
    }

    #[test]
    fn key_info_parses_nullable_fields() {
        let json = r#"{"data":{"label":"sk-or-v1-au7...890","limit":null,"limit_remaining":null,
            "usage":0.25,"is_free_tier":false,"limit_reset":null,"expires_at":null,"rate_limit":{"requests":10}}}"#;
        let info: KeyInfoResponse = serde_json::from_str(json).expect("parses");
        assert_eq!(info.data.label.as_deref(), Some("sk-or-v1-au7...890"));
        assert_eq!(info.data.usage, Some(0.25));
        assert_eq!(info.data.limit, None);
    }

    #[test]
    fn error_codes_are_numbers_or_text() {
        let a: ApiErrorBody =
            serde_json::from_str(r#"{"error":{"code":429,"message":"slow down"}}"#)
                .expect("parses");
        assert_eq!(
            a.error.and_then(|e| e.code).map(|c| c.to_text()).as_deref(),
            Some("429")
        );
        let b: ApiErrorBody =
            serde_json::from_str(r#"{"error":{"code":"server_error"}}"#).expect("parses");
        assert_eq!(
            b.error.and_then(|e| e.code).map(|c| c.to_text()).as_deref(),
            Some("server_error")
        );
    }
}
