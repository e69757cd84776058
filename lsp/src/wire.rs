//! The stream between the client and tower-lsp-server, checked one message at a time.
//!
//! tower-lsp-server stops reading for good after the first message it cannot decode (its
//! framed reader ends on an error), so one bad message from a client would leave the editor
//! with a silent server. This layer reads the frames itself: a message that is not JSON, a
//! batch array, an id that is not an integer or a string, or anything else tower-lsp-server
//! would choke on is answered here with a JSON-RPC error (or dropped, for a notification or a
//! response), and only well-formed messages reach the server. It also remembers whether
//! `shutdown` came before `exit`, which decides the exit status.

use serde_json::{json, Value};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tower_lsp_server::jsonrpc::{Request, Response};

/// The longest header line read; a client that sends more without a newline is not speaking
/// the protocol, and the line is dropped rather than buffered.
const MAX_HEADER_LINE: u64 = 8 * 1024;

/// JSON-RPC error codes (the specification's, also LSP's).
const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;

/// How the session ended, which decides `podlint lsp`'s exit status (LSP: 0 only when
/// `shutdown` came before `exit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// `exit` after `shutdown` (or the stream closed after `shutdown`).
    Clean,
    /// `exit` without `shutdown`, or the client closed the stream without `shutdown`.
    WithoutShutdown,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Clean => 0,
            Exit::WithoutShutdown => 1,
        }
    }
}

/// One read from a stream of LSP frames.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// A message body, and whether junk came before its headers.
    Body { body: Vec<u8>, junk_before: bool },
    /// A header block without a usable `Content-Length`.
    BadHeaders,
    /// The stream ended (a partial frame at the end is dropped).
    End,
}

/// Reads the next frame: header lines up to a blank line, then `Content-Length` bytes.
/// Lines that are not `Name: value` headers are skipped (and reported as junk), so a client
/// that writes garbage is back in step at its next well-framed message.
pub async fn read_frame(reader: &mut (impl AsyncBufRead + Unpin)) -> std::io::Result<Frame> {
    let mut length: Option<usize> = None;
    let mut bad_length = false;
    let mut junk = false;
    let mut seen_any = false;
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = (&mut *reader)
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)
            .await?;
        if n == 0 {
            return Ok(Frame::End);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if !seen_any {
                // Blank lines between messages are harmless.
                continue;
            }
            break;
        }
        seen_any = true;
        match text.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    Ok(n) => {
                        length = Some(n);
                        bad_length = false;
                    }
                    Err(_) => bad_length = true,
                }
            }
            Some((name, _)) if is_header_name(name) => {}
            _ => {
                junk = true;
                length = None;
            }
        }
    }
    let Some(length) = length.filter(|_| !bad_length) else {
        return Ok(Frame::BadHeaders);
    };
    // Read as the bytes arrive: a huge `Content-Length` allocates nothing up front.
    let mut body = Vec::new();
    (&mut *reader)
        .take(length as u64)
        .read_to_end(&mut body)
        .await?;
    if body.len() < length {
        return Ok(Frame::End);
    }
    Ok(Frame::Body {
        body,
        junk_before: junk,
    })
}

fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub fn write_frame(out: &mut Vec<u8>, body: &[u8]) {
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
}

/// What to do with one incoming message.
#[derive(Debug, PartialEq)]
pub enum Verdict {
    /// Hand it to the server; `method` is set for requests and notifications.
    Forward { method: Option<String> },
    /// Answer the client with this error response and drop the message.
    Answer(Value),
    /// Drop it (a bad notification or response: JSON-RPC answers neither).
    Ignore(String),
}

/// Judges one message body against what tower-lsp-server can decode.
pub fn inspect(body: &[u8]) -> Verdict {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(error) => {
            return Verdict::Answer(error_response(
                Value::Null,
                PARSE_ERROR,
                &format!("the message is not valid JSON: {error}"),
            ))
        }
    };
    let Value::Object(message) = &value else {
        let why = if value.is_array() {
            "batch messages are not part of the Language Server Protocol; send each message \
             on its own"
        } else {
            "a message must be a JSON object"
        };
        return Verdict::Answer(error_response(Value::Null, INVALID_REQUEST, why));
    };
    let id = message.get("id");
    let method = message.get("method");
    // The server can decode it: pass it on unchanged.
    let decodable = match method {
        Some(_) => serde_json::from_slice::<Request>(body).is_ok(),
        None => serde_json::from_slice::<Response>(body).is_ok(),
    };
    if decodable {
        return Verdict::Forward {
            method: method.and_then(Value::as_str).map(str::to_owned),
        };
    }
    let id_ok = matches!(id, Some(Value::String(_)))
        || id.and_then(Value::as_i64).is_some()
        || matches!(id, None | Some(Value::Null));
    let why = if !id_ok {
        "the id must be an integer or a string".to_owned()
    } else if method.is_some_and(|m| !m.is_string()) {
        "the method must be a string".to_owned()
    } else if message.get("jsonrpc") != Some(&json!("2.0")) {
        "the message must carry \"jsonrpc\": \"2.0\"".to_owned()
    } else if method.is_none() {
        "a message needs a method (request or notification) or a result or error (response)"
            .to_owned()
    } else {
        "the message is not a valid JSON-RPC request".to_owned()
    };
    match (method, id) {
        // A request the server cannot take: answer with its id as sent, so the client can
        // settle the request it is waiting on (JSON-RPC: null when the id itself is bad).
        (Some(_), Some(id)) if !id.is_null() => {
            let echo = if id.is_string() || id.is_number() {
                id.clone()
            } else {
                Value::Null
            };
            Verdict::Answer(error_response(echo, INVALID_REQUEST, &why))
        }
        (None, Some(id)) if !id.is_null() && !id_ok => {
            Verdict::Ignore(format!("a response from the client was dropped: {why}"))
        }
        (Some(_), _) => Verdict::Ignore(format!("a notification was dropped: {why}")),
        (None, _) => Verdict::Answer(error_response(Value::Null, INVALID_REQUEST, &why)),
    }
}

fn error_response(id: Value, code: i64, message: &str) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } })
}

/// Copies the client's messages to the server's input, answering the bad ones through
/// `answers`. Returns when the client sends `exit` or closes the stream.
pub async fn filter_input(
    mut input: impl AsyncBufRead + Unpin,
    mut server: impl AsyncWrite + Unpin,
    answers: tokio::sync::mpsc::Sender<Vec<u8>>,
) -> Exit {
    let mut shutdown = false;
    loop {
        let frame = match read_frame(&mut input).await {
            Ok(frame) => frame,
            Err(error) => {
                eprintln!("podlint: reading from the client failed: {error}");
                break;
            }
        };
        let body = match frame {
            Frame::End => break,
            Frame::BadHeaders => {
                let answer = error_response(
                    Value::Null,
                    PARSE_ERROR,
                    "a message needs a `Content-Length: N` header followed by a blank line",
                );
                let _ = answers.send(answer.to_string().into_bytes()).await;
                continue;
            }
            Frame::Body { body, junk_before } => {
                if junk_before {
                    let answer = error_response(
                        Value::Null,
                        PARSE_ERROR,
                        "text that is not a header came before a message's headers",
                    );
                    let _ = answers.send(answer.to_string().into_bytes()).await;
                }
                body
            }
        };
        match inspect(&body) {
            Verdict::Forward { method } => {
                let mut frame = Vec::with_capacity(body.len() + 32);
                write_frame(&mut frame, &body);
                if server.write_all(&frame).await.is_err() || server.flush().await.is_err() {
                    break;
                }
                match method.as_deref() {
                    Some("shutdown") => shutdown = true,
                    Some("exit") => {
                        return if shutdown {
                            Exit::Clean
                        } else {
                            Exit::WithoutShutdown
                        }
                    }
                    _ => {}
                }
            }
            Verdict::Answer(answer) => {
                eprintln!(
                    "podlint: {}",
                    answer["error"]["message"].as_str().unwrap_or_default()
                );
                let _ = answers.send(answer.to_string().into_bytes()).await;
            }
            Verdict::Ignore(why) => eprintln!("podlint: {why}"),
        }
    }
    // The stream ended without `exit`: clean only if the client had asked to shut down.
    if shutdown {
        Exit::Clean
    } else {
        Exit::WithoutShutdown
    }
}

/// Copies the server's messages to `out` whole, so answers from [`filter_input`] can be
/// written between them.
pub async fn forward_output(
    mut server: impl AsyncBufRead + Unpin,
    out: tokio::sync::mpsc::Sender<Vec<u8>>,
) {
    while let Ok(Frame::Body { body, .. }) = read_frame(&mut server).await {
        if out.send(body).await.is_err() {
            break;
        }
    }
}

/// Writes every message from `messages` to the client, framed, until all senders are gone.
pub async fn write_output(
    mut messages: tokio::sync::mpsc::Receiver<Vec<u8>>,
    out: impl AsyncWrite,
) {
    tokio::pin!(out);
    while let Some(body) = messages.recv().await {
        // Header and body written apart: a notification of tens of megabytes is not copied.
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        let written = async {
            out.write_all(header.as_bytes()).await?;
            out.write_all(&body).await?;
            out.flush().await
        };
        if written.await.is_err() {
            // The client is gone; keep draining so the server never blocks on us.
            while messages.recv().await.is_some() {}
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(verdict: Verdict) -> (Value, i64) {
        match verdict {
            Verdict::Answer(v) => (v["id"].clone(), v["error"]["code"].as_i64().unwrap()),
            other => panic!("expected an answer, got {other:?}"),
        }
    }

    #[test]
    fn good_messages_pass() {
        let request = br#"{"jsonrpc":"2.0","id":1,"method":"hover","params":{}}"#;
        assert_eq!(
            inspect(request),
            Verdict::Forward {
                method: Some("hover".into())
            }
        );
        let response = br#"{"jsonrpc":"2.0","id":"a","result":null}"#;
        assert_eq!(inspect(response), Verdict::Forward { method: None });
    }

    #[test]
    fn bad_messages_are_answered() {
        assert_eq!(error_of(inspect(b"{not json")), (Value::Null, PARSE_ERROR));
        assert_eq!(error_of(inspect(b"[]")), (Value::Null, INVALID_REQUEST));
        assert_eq!(
            error_of(inspect(br#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#)),
            (json!(1.5), INVALID_REQUEST)
        );
        assert_eq!(
            error_of(inspect(br#"{"jsonrpc":"1.0","id":3,"method":"x"}"#)),
            (json!(3), INVALID_REQUEST)
        );
        assert_eq!(error_of(inspect(b"42")), (Value::Null, INVALID_REQUEST));
    }

    #[test]
    fn bad_notifications_and_responses_are_dropped() {
        assert!(matches!(
            inspect(br#"{"jsonrpc":"2.0","method":7}"#),
            Verdict::Ignore(_)
        ));
        assert!(matches!(
            inspect(br#"{"jsonrpc":"2.0","id":2.5,"result":null}"#),
            Verdict::Ignore(_)
        ));
    }

    #[tokio::test]
    async fn framing_recovers_after_junk() {
        let stream = b"garbage line\r\n\r\nContent-Length: x\r\n\r\nnoise\nContent-Length: 2\r\n\r\n{}Content-Length: 5\r\n\r\n{";
        let mut reader = tokio::io::BufReader::new(&stream[..]);
        assert_eq!(read_frame(&mut reader).await.unwrap(), Frame::BadHeaders);
        assert_eq!(read_frame(&mut reader).await.unwrap(), Frame::BadHeaders);
        assert_eq!(
            read_frame(&mut reader).await.unwrap(),
            Frame::Body {
                body: b"{}".to_vec(),
                junk_before: true
            }
        );
        assert_eq!(read_frame(&mut reader).await.unwrap(), Frame::End);
    }
}
