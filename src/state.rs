//! The chat's state, pure: messages, and the reducer that turns stream events
//! into a reply. Tested natively, without a DOM.

use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::openrouter::sse::ChatEvent;
use crate::openrouter::types::{ChatMessage, ChatRequest, Role, Usage};

/// How a message ended.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub enum Ending {
    /// Complete (or written by the user).
    #[default]
    Complete,
    /// The model hit `max_tokens`.
    Length,
    /// Stopped by the user.
    Stopped,
    /// Cut off or failed; the message says why.
    Failed(String),
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Unique within its conversation; the key for keyed rendering.
    pub id: u64,
    /// Who wrote it.
    pub role: Role,
    /// The text, Markdown for replies.
    pub text: String,
    /// Reasoning of reasoning models, shown collapsed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reasoning: String,
    /// Model that wrote a reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Tokens and cost of a reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
    /// How it ended.
    #[serde(default)]
    pub ending: Ending,
}

impl Message {
    /// A message written by the user.
    pub fn user(id: u64, text: String) -> Self {
        Self {
            id,
            role: Role::User,
            text,
            reasoning: String::new(),
            model: None,
            usage: None,
            ending: Ending::Complete,
        }
    }
}

/// The reply being streamed, built event by event.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reply {
    /// Answer text so far.
    pub text: String,
    /// Reasoning so far.
    pub reasoning: String,
    /// The model that answers.
    pub model: Option<String>,
    /// Why the model stopped, once known.
    pub finish_reason: Option<String>,
    /// Tokens and cost, once known.
    pub usage: Option<Usage>,
    /// `[DONE]` arrived.
    pub done: bool,
    /// The stream failed with this error.
    pub error: Option<AppError>,
}

/// Why a stream stopped being read.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamEnd {
    /// The body ended (after `[DONE]`, an error event, or nothing).
    Finished,
    /// The user (or a Disconnect) aborted it.
    Aborted,
    /// The connection or request failed.
    Failed(AppError),
}

impl Reply {
    /// Applies one event; returns the new answer and reasoning text it added.
    pub fn apply(&mut self, event: ChatEvent) -> (String, String) {
        match event {
            ChatEvent::Chunk(update) => {
                self.text.push_str(&update.content);
                self.reasoning.push_str(&update.reasoning);
                self.model = self.model.take().or(update.model);
                // A later chunk with a null finish reason does not reopen the message.
                self.finish_reason = self.finish_reason.take().or(update.finish_reason);
                self.usage = update.usage.or(self.usage);
                (update.content, update.reasoning)
            }
            ChatEvent::Failed(error) => {
                self.error = Some(error);
                Default::default()
            }
            ChatEvent::Done => {
                self.done = true;
                Default::default()
            }
        }
    }

    /// The error to show for how this reply ended, if any.
    pub fn error(&self, end: &StreamEnd) -> Option<AppError> {
        match end {
            StreamEnd::Failed(e) => Some(e.clone()),
            _ if self.error.is_some() => self.error.clone(),
            StreamEnd::Aborted => None,
            StreamEnd::Finished if self.done || self.finish_reason.is_some() => None,
            StreamEnd::Finished => Some(AppError::CutOff),
        }
    }

    /// The finished message; the text received so far is always kept.
    pub fn into_message(self, id: u64, end: &StreamEnd) -> Message {
        let ending = match (self.error(end), end) {
            (Some(e), _) => Ending::Failed(e.to_string()),
            (None, StreamEnd::Aborted) => Ending::Stopped,
            (None, _) if self.finish_reason.as_deref() == Some("length") => Ending::Length,
            (None, _) => Ending::Complete,
        };
        Message {
            id,
            role: Role::Assistant,
            text: self.text,
            reasoning: self.reasoning,
            model: self.model,
            usage: self.usage,
            ending,
        }
    }
}

/// Settings sent with every request of a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// The model slug.
    pub model: String,
    /// Instructions sent first, when not empty.
    #[serde(default)]
    pub system_prompt: String,
    /// Sampling temperature; the model's default when `None`.
    #[serde(default)]
    pub temperature: Option<f32>,
    /// Always sent, so that the credit pre-check reserves only this much.
    pub max_tokens: u32,
}

/// A cheap, capable default model.
pub const DEFAULT_MODEL: &str = "openai/gpt-4o-mini";
/// A reply budget that fits most answers and most credit limits.
pub const DEFAULT_MAX_TOKENS: u32 = 1024;

impl Default for Settings {
    fn default() -> Self {
        Self {
            model: DEFAULT_MODEL.to_owned(),
            system_prompt: String::new(),
            temperature: None,
            max_tokens: DEFAULT_MAX_TOKENS,
        }
    }
}

/// The request for the next reply: the system prompt, then every message
/// with text (an empty reply is never sent, as it would be a prefill).
pub fn build_request<'a>(settings: &'a Settings, messages: &'a [Message]) -> ChatRequest<'a> {
    let system = (!settings.system_prompt.trim().is_empty()).then_some(ChatMessage {
        role: Role::System,
        content: settings.system_prompt.as_str(),
    });
    let history = messages
        .iter()
        .filter(|m| !m.text.is_empty())
        .map(|m| ChatMessage {
            role: m.role,
            content: m.text.as_str(),
        });
    ChatRequest {
        model: settings.model.trim(),
        messages: system.into_iter().chain(history).collect(),
        stream: true,
        max_tokens: settings.max_tokens,
        temperature: settings.temperature,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openrouter::sse::ChunkUpdate;

    fn chunk(content: &str) -> ChatEvent {
        ChatEvent::Chunk(ChunkUpdate {
            content: content.into(),
            ..ChunkUpdate::default()
        })
    }

    #[test]
    fn a_complete_reply() {
        let mut reply = Reply::default();
        assert_eq!(reply.apply(chunk("Hel")), ("Hel".into(), String::new()));
        reply.apply(chunk("lo"));
        reply.apply(ChatEvent::Chunk(ChunkUpdate {
            finish_reason: Some("stop".into()),
            ..ChunkUpdate::default()
        }));
        let usage = Usage {
            total_tokens: Some(3),
            cost: Some(0.01),
            ..Usage::default()
        };
        reply.apply(ChatEvent::Chunk(ChunkUpdate {
            usage: Some(usage),
            ..ChunkUpdate::default()
        }));
        reply.apply(ChatEvent::Done);
        assert_eq!(reply.error(&StreamEnd::Finished), None);
        let msg = reply.into_message(7, &StreamEnd::Finished);
        assert_eq!(
            (msg.id, msg.text.as_str(), msg.ending),
            (7, "Hello", Ending::Complete)
        );
        assert_eq!(msg.usage, Some(usage));
    }

    #[test]
    fn eof_without_done_or_finish_is_cut_off_but_keeps_text() {
        let mut reply = Reply::default();
        reply.apply(chunk("partial"));
        assert_eq!(reply.error(&StreamEnd::Finished), Some(AppError::CutOff));
        let msg = reply.into_message(1, &StreamEnd::Finished);
        assert_eq!(msg.text, "partial");
        assert_eq!(msg.ending, Ending::Failed(AppError::CutOff.to_string()));
    }

    #[test]
    fn mid_stream_error_keeps_text() {
        let mut reply = Reply::default();
        reply.apply(chunk("so far"));
        let e = AppError::Provider {
            code: "429".into(),
            message: "Rate limit exceeded".into(),
        };
        reply.apply(ChatEvent::Failed(e.clone()));
        assert_eq!(reply.error(&StreamEnd::Finished), Some(e.clone()));
        let msg = reply.into_message(1, &StreamEnd::Finished);
        assert_eq!(msg.text, "so far");
        assert_eq!(msg.ending, Ending::Failed(e.to_string()));
    }

    #[test]
    fn stopped_and_length_endings() {
        let mut reply = Reply::default();
        reply.apply(chunk("abc"));
        assert_eq!(reply.error(&StreamEnd::Aborted), None);
        assert_eq!(
            reply.clone().into_message(1, &StreamEnd::Aborted).ending,
            Ending::Stopped
        );
        reply.apply(ChatEvent::Chunk(ChunkUpdate {
            finish_reason: Some("length".into()),
            ..ChunkUpdate::default()
        }));
        assert_eq!(
            reply.into_message(1, &StreamEnd::Finished).ending,
            Ending::Length
        );
    }

    #[test]
    fn request_skips_empty_messages_and_adds_the_system_prompt() {
        let settings = Settings {
            system_prompt: "Be brief.".into(),
            ..Settings::default()
        };
        let mut empty_reply = Message::user(2, String::new());
        empty_reply.role = Role::Assistant;
        let messages = vec![Message::user(1, "Hi".into()), empty_reply];
        let req = build_request(&settings, &messages);
        assert_eq!(
            serde_json::to_string(&req).expect("serialises"),
            r#"{"model":"openai/gpt-4o-mini","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],"stream":true,"max_tokens":1024}"#
        );
    }
}
