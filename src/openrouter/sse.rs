//! The chat completion stream, decoded: bytes in, [`ChatEvent`]s out.
//!
//! SSE framing (line endings, comments, events split anywhere, UTF-8 split
//! inside a character) is done by the `eventsource-stream` crate; this module
//! adds what OpenRouter's stream needs on top (shared/OPENROUTER.md §5): the
//! `[DONE]` sentinel, lenient chunk parsing, usage and mid-stream errors, and
//! a bare CR at the very end of the body, which the crate would otherwise hold
//! back waiting for a possible LF.

use eventsource_stream::EventStream;
use futures::stream::{self, Stream, StreamExt};

use crate::error::{AppError, cap_text};
use crate::openrouter::types::{ApiErrorDetail, StreamChunk, Usage};

/// What one event of the stream means to the chat.
#[derive(Debug, Clone, PartialEq)]
pub enum ChatEvent {
    /// A chunk: new text, a finish reason, usage, or any mix.
    Chunk(ChunkUpdate),
    /// The model stopped with an error; the stream ends here.
    Failed(AppError),
    /// `data: [DONE]`: the stream is complete.
    Done,
}

/// The useful content of one stream chunk.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChunkUpdate {
    /// The generation id.
    pub id: Option<String>,
    /// The model that answered.
    pub model: Option<String>,
    /// New answer text (possibly empty).
    pub content: String,
    /// New reasoning text (possibly empty).
    pub reasoning: String,
    /// Why the model stopped, on the last content chunk.
    pub finish_reason: Option<String>,
    /// Tokens and cost, on the usage chunk.
    pub usage: Option<Usage>,
}

/// Parses the data of one event.
///
/// # Errors
/// [`AppError::BadStream`] when a complete event is not a chunk: a complete
/// event that fails to parse is an error, never silently dropped.
pub fn parse_event_data(data: &str) -> Result<ChatEvent, AppError> {
    if data.trim() == "[DONE]" {
        return Ok(ChatEvent::Done);
    }
    let chunk: StreamChunk = serde_json::from_str(data).map_err(|_| AppError::BadStream)?;
    let mut update = ChunkUpdate {
        id: chunk.id,
        model: chunk.model,
        usage: chunk.usage,
        ..ChunkUpdate::default()
    };
    let mut error = chunk.error;
    for choice in chunk.choices.into_iter().flatten() {
        if let Some(delta) = choice.delta {
            update
                .content
                .push_str(delta.content.as_deref().unwrap_or_default());
            update
                .reasoning
                .push_str(delta.reasoning.as_deref().unwrap_or_default());
        }
        if choice.finish_reason.is_some() {
            update.finish_reason = choice.finish_reason;
        }
        error = error.or(choice.error);
    }
    if let Some(error) = error {
        return Ok(ChatEvent::Failed(provider_error(error)));
    }
    if update.finish_reason.as_deref() == Some("error") {
        return Ok(ChatEvent::Failed(AppError::Provider {
            code: String::new(),
            message: "The provider ended the reply with an error.".to_owned(),
        }));
    }
    Ok(ChatEvent::Chunk(update))
}

fn provider_error(error: ApiErrorDetail) -> AppError {
    let message = error.message.as_deref().map(cap_text).unwrap_or_default();
    AppError::Provider {
        code: error.code.map(|c| c.to_text()).unwrap_or_default(),
        message: if message.is_empty() {
            "No details were given.".to_owned()
        } else {
            message
        },
    }
}

/// Decodes a response body, given as a stream of byte chunks, into chat events.
///
/// The stream ends after `[DONE]` or a failure, or when the body ends. A
/// transport error `E` is passed through as `Err`.
pub fn chat_events<S, E>(body: S) -> impl Stream<Item = Result<ChatEvent, E>>
where
    S: Stream<Item = Result<Vec<u8>, E>>,
{
    EventStream::new(with_final_lf(body))
        .map(|event| match event {
            Ok(event) => Ok(parse_event_data(&event.data).unwrap_or_else(ChatEvent::Failed)),
            Err(eventsource_stream::EventStreamError::Transport(e)) => Err(e),
            // Invalid UTF-8 or a line the SSE grammar cannot parse.
            Err(_) => Ok(ChatEvent::Failed(AppError::BadStream)),
        })
        .scan(false, |finished, item| {
            if *finished {
                return futures::future::ready(None);
            }
            *finished = matches!(item, Ok(ChatEvent::Done | ChatEvent::Failed(_)));
            futures::future::ready(Some(item))
        })
}

/// Passes the body through and, when its last byte was a CR, adds one `\n`:
/// a bare CR ends a line, but the crate waits for a possible LF after it.
fn with_final_lf<S, E>(body: S) -> impl Stream<Item = Result<Vec<u8>, E>>
where
    S: Stream<Item = Result<Vec<u8>, E>>,
{
    stream::unfold(
        (Box::pin(body), false, false),
        |(mut body, last_cr, done)| async move {
            if done {
                return None;
            }
            match body.next().await {
                Some(item) => {
                    let cr = match &item {
                        Ok(bytes) => bytes.last().map_or(last_cr, |&b| b == b'\r'),
                        Err(_) => last_cr,
                    };
                    Some((item, (body, cr, false)))
                }
                None if last_cr => Some((Ok(b"\n".to_vec()), (body, false, true))),
                None => None,
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use futures::executor::block_on;

    use super::*;

    /// A realistic stream, as shared/OPENROUTER.md §5 shows it.
    const STREAM: &str = concat!(
        ": OPENROUTER PROCESSING\n\n",
        "data: {\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"model\":\"m/x\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n",
        ": OPENROUTER PROCESSING\n\n",
        "data: {\"id\":\"gen-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Héllo \"},\"finish_reason\":null}]}\n\n",
        "data: {\"id\":\"gen-1\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"hmm\",\"content\":null},\"finish_reason\":null}]}\n\n",
        "data:{\"id\":\"gen-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"wörld 🌍\"},\"finish_reason\":null}]}\n\n",
        "data: {\"id\":\"gen-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"stop\",\"native_finish_reason\":\"stop\"}]}\n\n",
        "data: {\"id\":\"gen-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":4,\"total_tokens\":14,\"cost\":0.000093,\"is_byok\":false}}\n\n",
        "data: [DONE]\n\n",
    );

    /// What the chat makes of a stream: text, reasoning, finish, usage, end.
    #[derive(Debug, Default, PartialEq)]
    struct Outcome {
        text: String,
        reasoning: String,
        finish: Option<String>,
        usage: Option<Usage>,
        done: bool,
        failed: Option<AppError>,
        events_after_end: usize,
    }

    fn run(chunks: Vec<Vec<u8>>) -> Outcome {
        let body = stream::iter(chunks.into_iter().map(Ok::<_, ()>));
        let events: Vec<_> = block_on(chat_events(body).collect());
        let mut out = Outcome::default();
        for event in events {
            if out.done || out.failed.is_some() {
                out.events_after_end += 1;
            }
            match event.expect("no transport error") {
                ChatEvent::Chunk(u) => {
                    out.text.push_str(&u.content);
                    out.reasoning.push_str(&u.reasoning);
                    out.finish = u.finish_reason.or(out.finish);
                    out.usage = u.usage.or(out.usage);
                }
                ChatEvent::Done => out.done = true,
                ChatEvent::Failed(e) => out.failed = Some(e),
            }
        }
        out
    }

    fn expected() -> Outcome {
        Outcome {
            text: "Héllo wörld 🌍".into(),
            reasoning: "hmm".into(),
            finish: Some("stop".into()),
            usage: Some(Usage {
                prompt_tokens: Some(10),
                completion_tokens: Some(4),
                total_tokens: Some(14),
                cost: Some(0.000093),
            }),
            done: true,
            ..Outcome::default()
        }
    }

    #[test]
    fn whole_stream_in_one_read() {
        assert_eq!(run(vec![STREAM.as_bytes().to_vec()]), expected());
    }

    #[test]
    fn split_at_every_byte_offset() {
        let bytes = STREAM.as_bytes();
        for at in 0..=bytes.len() {
            let out = run(vec![bytes[..at].to_vec(), bytes[at..].to_vec()]);
            assert_eq!(out, expected(), "split at {at}");
        }
    }

    #[test]
    fn one_byte_per_read() {
        let chunks = STREAM.bytes().map(|b| vec![b]).collect();
        assert_eq!(run(chunks), expected());
    }

    #[test]
    fn crlf_line_endings_split_everywhere() {
        let crlf = STREAM.replace('\n', "\r\n");
        let bytes = crlf.as_bytes();
        for at in 0..=bytes.len() {
            let out = run(vec![bytes[..at].to_vec(), bytes[at..].to_vec()]);
            assert_eq!(out, expected(), "split at {at}");
        }
    }

    #[test]
    fn cr_line_endings_including_the_last_one() {
        let cr = STREAM.replace('\n', "\r");
        let bytes = cr.as_bytes();
        for at in (0..=bytes.len()).step_by(7) {
            let out = run(vec![bytes[..at].to_vec(), bytes[at..].to_vec()]);
            assert_eq!(out, expected(), "split at {at}");
        }
    }

    #[test]
    fn three_way_splits_inside_multibyte_characters() {
        let bytes = STREAM.as_bytes();
        let emoji = STREAM.find('🌍').expect("emoji present");
        for a in emoji - 2..emoji + 4 {
            for b in a..emoji + 6 {
                let out = run(vec![
                    bytes[..a].to_vec(),
                    bytes[a..b].to_vec(),
                    bytes[b..].to_vec(),
                ]);
                assert_eq!(out, expected(), "split at {a}, {b}");
            }
        }
    }

    #[test]
    fn long_keep_alive_silence_then_text() {
        let mut s = ": OPENROUTER PROCESSING\n\n".repeat(500);
        s.push_str(STREAM);
        assert_eq!(run(vec![s.into_bytes()]), expected());
    }

    #[test]
    fn an_event_larger_than_8_kb() {
        let big = "x".repeat(20_000);
        let s = format!(
            "data: {{\"choices\":[{{\"delta\":{{\"reasoning\":\"{big}\"}}}}]}}\n\n{STREAM}"
        );
        let chunks = s.as_bytes().chunks(1000).map(<[u8]>::to_vec).collect();
        let out = run(chunks);
        assert_eq!(out.reasoning.len(), 20_003);
        assert_eq!(out.text, expected().text);
    }

    #[test]
    fn usage_chunk_variants() {
        let finish =
            "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}\n\n";
        let usage =
            r#""usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3,"cost":0.5}"#;
        for tail in [
            format!("data: {{\"choices\":[],{usage}}}\n\n"),
            format!(
                "data: {{\"choices\":[{{\"index\":0,\"delta\":{{}},\"finish_reason\":null}}],{usage}}}\n\n"
            ),
            format!("data: {{{usage}}}\n\n"),
        ] {
            let out = run(vec![format!("{finish}{tail}data: [DONE]\n\n").into_bytes()]);
            assert_eq!(out.text, "Hi");
            assert_eq!(
                out.finish.as_deref(),
                Some("stop"),
                "a null finish does not reopen"
            );
            assert_eq!(out.usage.and_then(|u| u.cost), Some(0.5));
            assert!(out.done);
        }
    }

    #[test]
    fn mid_stream_error_keeps_text_and_ends() {
        for code in ["429", "\"server_error\""] {
            let s = format!(
                "data: {{\"choices\":[{{\"delta\":{{\"content\":\"Partial \"}}}}]}}\n\n\
                 data: {{\"id\":\"gen-abc123\",\"object\":\"chat.completion.chunk\",\"error\":{{\"code\":{code},\"message\":\"Rate limit exceeded\",\"metadata\":{{\"error_type\":\"rate_limit_exceeded\"}}}},\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"\"}},\"finish_reason\":\"error\"}}]}}\n\n\
                 data: {{\"choices\":[{{\"delta\":{{\"content\":\"ignored\"}}}}]}}\n\n\
                 data: [DONE]\n\n"
            );
            let out = run(vec![s.into_bytes()]);
            assert_eq!(out.text, "Partial ");
            assert_eq!(
                out.failed,
                Some(AppError::Provider {
                    code: code.trim_matches('"').into(),
                    message: "Rate limit exceeded".into()
                })
            );
            assert_eq!(out.events_after_end, 0, "nothing after the error");
        }
    }

    #[test]
    fn error_with_empty_choices_is_a_failure_not_usage() {
        let s =
            "data: {\"choices\":[],\"error\":{\"code\":502,\"message\":\"Upstream error\"}}\n\n";
        let out = run(vec![s.as_bytes().to_vec()]);
        assert!(matches!(out.failed, Some(AppError::Provider { .. })));
    }

    #[test]
    fn unparsable_event_is_an_error() {
        let s = "data: {\"choices\":[{\"delta\":{\"content\":\"ok\"}}]}\n\ndata: {not json\n\n";
        let out = run(vec![s.as_bytes().to_vec()]);
        assert_eq!(out.text, "ok");
        assert_eq!(out.failed, Some(AppError::BadStream));
    }

    #[test]
    fn eof_without_done_leaves_the_end_to_the_caller() {
        let s = "data: {\"choices\":[{\"delta\":{\"content\":\"cut\"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"con";
        let out = run(vec![s.as_bytes().to_vec()]);
        assert_eq!(out.text, "cut");
        assert!(!out.done && out.failed.is_none() && out.finish.is_none());
    }

    #[test]
    fn transport_errors_pass_through() {
        let body = stream::iter(vec![
            Ok(b"data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n".to_vec()),
            Err("reset"),
        ]);
        let events: Vec<_> = block_on(chat_events(body).collect());
        assert_eq!(events.len(), 2);
        assert_eq!(events[1], Err("reset"));
    }
}
