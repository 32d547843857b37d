//! The chat's state, pure: messages, and the reducer that turns stream events
//! into a reply. Tested natively, without a DOM.

use std::sync::Arc;

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
        let error = match end {
            StreamEnd::Failed(e) => Some(e.clone()),
            _ if self.error.is_some() => self.error.clone(),
            StreamEnd::Aborted => None,
            StreamEnd::Finished if self.done || self.finish_reason.is_some() => None,
            StreamEnd::Finished => Some(AppError::CutOff),
        };
        // Nothing to keep: say so rather than claim the text so far is kept.
        match error {
            Some(AppError::CutOff) if self.is_empty() => Some(AppError::NoReply),
            other => other,
        }
    }

    /// True while no text or reasoning has arrived.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty() && self.reasoning.is_empty()
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
pub fn build_request<'a>(settings: &'a Settings, messages: &'a [Arc<Message>]) -> ChatRequest<'a> {
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

/// One conversation: its settings and messages, as stored and exported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    /// A random id, unique in this browser.
    pub id: String,
    /// Shown in the list; taken from the first message until the user renames it.
    pub title: String,
    /// True once the user chose the title.
    #[serde(default)]
    pub renamed: bool,
    /// When it was started, ms since the epoch.
    pub created_ms: u64,
    /// When it last changed, ms since the epoch.
    pub updated_ms: u64,
    /// Model, system prompt, temperature, max tokens.
    pub settings: Settings,
    /// The messages, oldest first. Finished messages never change, so they are shared.
    pub messages: Vec<Arc<Message>>,
}

/// What the conversation list shows of a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversationSummary {
    /// The conversation's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// When it last changed, ms since the epoch.
    pub updated_ms: u64,
}

/// The title of a conversation nobody has named yet.
pub const UNTITLED: &str = "New conversation";

/// Longest automatic title, in characters.
const TITLE_CHARS: usize = 60;

impl Conversation {
    /// An empty conversation.
    pub fn new(id: String, now_ms: u64, settings: Settings) -> Self {
        Self {
            id,
            title: UNTITLED.to_owned(),
            renamed: false,
            created_ms: now_ms,
            updated_ms: now_ms,
            settings,
            messages: Vec::new(),
        }
    }

    /// Its entry in the list.
    pub fn summary(&self) -> ConversationSummary {
        ConversationSummary {
            id: self.id.clone(),
            title: self.title.clone(),
            updated_ms: self.updated_ms,
        }
    }

    /// The id for the next message.
    pub fn next_message_id(&self) -> u64 {
        self.messages.iter().map(|m| m.id + 1).max().unwrap_or(1)
    }

    /// Adds a message, titling the conversation after its first user message.
    pub fn push(&mut self, message: Message, now_ms: u64) {
        if !self.renamed && self.title == UNTITLED && message.role == Role::User {
            self.title = title_from(&message.text);
        }
        self.messages.push(Arc::new(message));
        self.updated_ms = now_ms;
    }

    /// Tokens and cost of all replies.
    pub fn totals(&self) -> (u64, f64) {
        self.messages
            .iter()
            .filter_map(|m| m.usage)
            .fold((0, 0.0), |(t, c), u| {
                (t + u.total_tokens.unwrap_or(0), c + u.cost.unwrap_or(0.0))
            })
    }

    /// Drops the last reply so that it can be generated again; `false` when
    /// the conversation does not end with a reply to a user message.
    pub fn drop_last_reply(&mut self) -> bool {
        let ends_with_reply = self
            .messages
            .last()
            .is_some_and(|m| m.role == Role::Assistant);
        let before = self
            .messages
            .len()
            .checked_sub(2)
            .and_then(|i| self.messages.get(i));
        if ends_with_reply && before.is_some_and(|m| m.role == Role::User) {
            self.messages.pop();
            true
        } else {
            false
        }
    }

    /// Removes the last user message and everything after it, returning its
    /// text for editing.
    pub fn take_last_user_message(&mut self) -> Option<String> {
        let at = self.messages.iter().rposition(|m| m.role == Role::User)?;
        let text = self.messages[at].text.clone();
        self.messages.truncate(at);
        Some(text)
    }

    /// The conversation as a Markdown document.
    pub fn to_markdown(&self) -> String {
        let mut out = format!("# {}\n\n", self.title);
        out.push_str(&format!("Model: `{}`", self.settings.model));
        if let Some(t) = self.settings.temperature {
            out.push_str(&format!(" · temperature {t}"));
        }
        out.push_str(&format!(" · max tokens {}\n\n", self.settings.max_tokens));
        if !self.settings.system_prompt.trim().is_empty() {
            out.push_str(&format!(
                "## System\n\n{}\n\n",
                self.settings.system_prompt.trim()
            ));
        }
        for m in &self.messages {
            let who = match m.role {
                Role::User => "You",
                Role::Assistant => "Assistant",
                Role::System => "System",
            };
            out.push_str(&format!("## {who}\n\n{}\n\n", m.text.trim_end()));
        }
        out
    }

    /// The conversation as pretty JSON (the same shape as stored).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// An automatic title: the first line of the first message, shortened.
pub fn title_from(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or(UNTITLED);
    let mut title: String = line.chars().take(TITLE_CHARS).collect();
    if line.chars().count() > TITLE_CHARS {
        title.push('…');
    }
    title
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
    fn a_stream_with_nothing_in_it_says_so() {
        let reply = Reply::default();
        assert_eq!(reply.error(&StreamEnd::Finished), Some(AppError::NoReply));
        assert_eq!(
            reply.error(&StreamEnd::Failed(AppError::CutOff)),
            Some(AppError::NoReply)
        );
        assert_eq!(
            reply.error(&StreamEnd::Failed(AppError::Network)),
            Some(AppError::Network)
        );
        assert!(reply.is_empty());
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

    fn reply(id: u64, text: &str, tokens: u64, cost: f64) -> Message {
        Message {
            id,
            role: Role::Assistant,
            text: text.into(),
            reasoning: String::new(),
            model: Some("m/x".into()),
            usage: Some(Usage {
                total_tokens: Some(tokens),
                cost: Some(cost),
                ..Usage::default()
            }),
            ending: Ending::Complete,
        }
    }

    fn conversation() -> Conversation {
        let mut c = Conversation::new("c1".into(), 1, Settings::default());
        c.push(Message::user(1, "  \nExplain PKCE in one line, please, with an example of a verifier and a challenge".into()), 2);
        c.push(
            reply(2, "PKCE binds a code to its requester.", 30, 0.001),
            3,
        );
        c.push(Message::user(3, "Shorter?".into()), 4);
        c.push(reply(4, "Proof of key possession.", 12, 0.0005), 5);
        c
    }

    #[test]
    fn titles_come_from_the_first_message() {
        let c = conversation();
        assert_eq!(
            c.title,
            "Explain PKCE in one line, please, with an example of a verif…"
        );
        assert_eq!(c.updated_ms, 5);
        assert_eq!(title_from("Hi"), "Hi");
        let mut renamed = Conversation::new("c2".into(), 1, Settings::default());
        renamed.title = "Mine".into();
        renamed.renamed = true;
        renamed.push(Message::user(1, "Hello".into()), 2);
        assert_eq!(renamed.title, "Mine");
    }

    #[test]
    fn totals_add_up_replies() {
        let (tokens, cost) = conversation().totals();
        assert_eq!(tokens, 42);
        assert!((cost - 0.0015).abs() < 1e-12);
    }

    #[test]
    fn regenerate_and_edit_work_on_the_end() {
        let mut c = conversation();
        assert!(c.drop_last_reply());
        assert_eq!(c.messages.len(), 3);
        assert!(!c.drop_last_reply(), "no reply left at the end");
        assert_eq!(c.take_last_user_message().as_deref(), Some("Shorter?"));
        assert_eq!(c.messages.len(), 2);
        assert_eq!(c.next_message_id(), 3);
    }

    #[test]
    fn exports_markdown_and_json() {
        let mut c = conversation();
        c.settings.system_prompt = "Be brief.".into();
        let md = c.to_markdown();
        assert!(md.starts_with("# Explain PKCE"));
        assert!(md.contains("Model: `openai/gpt-4o-mini` · max tokens 1024"));
        assert!(md.contains("## System\n\nBe brief."));
        assert!(md.contains("## You\n\nShorter?\n\n## Assistant\n\nProof of key possession."));
        let back: Conversation = serde_json::from_str(&c.to_json()).expect("round trip");
        assert_eq!(back, c);
    }

    #[test]
    fn request_skips_empty_messages_and_adds_the_system_prompt() {
        let settings = Settings {
            system_prompt: "Be brief.".into(),
            ..Settings::default()
        };
        let mut empty_reply = Message::user(2, String::new());
        empty_reply.role = Role::Assistant;
        let messages = vec![
            Arc::new(Message::user(1, "Hi".into())),
            Arc::new(empty_reply),
        ];
        let req = build_request(&settings, &messages);
        assert_eq!(
            serde_json::to_string(&req).expect("serialises"),
            r#"{"model":"openai/gpt-4o-mini","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],"stream":true,"max_tokens":1024}"#
        );
    }
}
