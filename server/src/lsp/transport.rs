//! A framing guard between stdio and tower-lsp-server.
//!
//! tower-lsp-server reads its input through tokio-util's `FramedRead`, which ends the
//! stream after the first message it cannot decode: one malformed message (a body that
//! is not JSON, JSON that is not a JSON-RPC message, a third header line) made the server
//! stop reading and exit as if the client had gone. So every frame is read and checked
//! here first. Messages the server can decode are passed on, re-framed with a single
//! `Content-Length` header; any other body is answered with a JSON-RPC error (`-32700`
//! when it is not JSON, `-32600` when it is JSON but not a request, notification or
//! response) and dropped, and a broken header is answered with `-32700` and skipped up
//! to the next `Content-Length`. The server's own output and these errors go to stdout
//! whole frame by whole frame, so they never interleave.

use std::sync::Arc;

use serde::Deserialize;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::Mutex;
use tower_lsp_server::jsonrpc::{Error, Id, Request, Response};

/// A header block longer than this without its blank line is garbage.
const MAX_HEADER: usize = 8 * 1024;
const CONTENT_LENGTH: &[u8] = b"Content-Length";

/// What sits at the front of an input buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framed {
    /// More bytes are needed.
    Incomplete,
    /// A whole frame: the body is `body_start..end`, the frame `0..end`.
    Frame { body_start: usize, end: usize },
    /// Bytes that are not a frame header: drop `skip` bytes (at least one).
    Garbage { skip: usize },
}

/// Whether `bytes` starts with `Content-Length`, in any case (or, when shorter, with
/// the beginning of it).
fn starts_header_name(bytes: &[u8]) -> bool {
    let n = bytes.len().min(CONTENT_LENGTH.len());
    bytes[..n].eq_ignore_ascii_case(&CONTENT_LENGTH[..n])
}

/// Where the next possible header starts after garbage at the front of `buf`: the next
/// `Content-Length` (any case) past the first byte, or, without one, the longest tail
/// that could be the beginning of one (nothing, mostly).
fn resync(buf: &[u8]) -> usize {
    (1..buf.len())
        .find(|&i| starts_header_name(&buf[i..]))
        .unwrap_or(buf.len())
}

/// The end of the header block at the front of `buf`: the length of the header lines
/// and where the body starts. A blank line ends it (`\r\n\r\n`, or bare `\n`s,
/// which tower-lsp-server's header parser accepts too).
fn header_end(buf: &[u8]) -> Option<(usize, usize)> {
    let limit = buf.len().min(MAX_HEADER);
    let mut i = 0;
    while i < limit {
        if buf[i] == b'\n' {
            match (buf.get(i + 1), buf.get(i + 2)) {
                (Some(b'\n'), _) => return Some((i, i + 2)),
                (Some(b'\r'), Some(b'\n')) => return Some((i, i + 3)),
                _ => {}
            }
        }
        i += 1;
    }
    None
}

/// Bytes a header block may hold.
fn is_header_text(b: u8) -> bool {
    b.is_ascii_graphic() || matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Splits the frame at the front of `buf` (`Content-Length: N`, optional other header
/// lines, a blank line, N bytes of body).
pub(crate) fn next_frame(buf: &[u8]) -> Framed {
    if buf.is_empty() {
        return Framed::Incomplete;
    }
    let Some((header_len, body_start)) = header_end(buf) else {
        // No blank line yet: wait while this can still become a header (text), drop it
        // when it cannot (binary, or too long).
        let text = buf.iter().copied().all(is_header_text);
        return if text && buf.len() < MAX_HEADER {
            Framed::Incomplete
        } else {
            Framed::Garbage { skip: resync(buf) }
        };
    };
    if !buf[..header_len].iter().copied().all(is_header_text) {
        return Framed::Garbage { skip: resync(buf) };
    }
    let mut length = None;
    for line in buf[..header_len].split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return Framed::Garbage { skip: resync(buf) };
        };
        let (name, value) = (&line[..colon], &line[colon + 1..]);
        if name.eq_ignore_ascii_case(CONTENT_LENGTH) {
            length = std::str::from_utf8(value)
                .ok()
                .and_then(|v| v.trim().parse::<usize>().ok());
            if length.is_none() {
                return Framed::Garbage { skip: resync(buf) };
            }
        }
    }
    let Some(length) = length else {
        return Framed::Garbage { skip: resync(buf) };
    };
    match body_start.checked_add(length) {
        Some(end) if buf.len() >= end => Framed::Frame { body_start, end },
        Some(_) => Framed::Incomplete,
        None => Framed::Garbage { skip: resync(buf) },
    }
}

/// What tower-lsp-server decodes a body into (its own type is private): the same
/// untagged choice, response first.
#[derive(Deserialize)]
#[serde(untagged)]
#[allow(dead_code)] // only whether it deserializes matters
enum Message {
    Response(Response),
    Request(Request),
}

/// Checks a body: `Ok` when the server can decode it, else the error response to send.
pub(crate) fn check_body(body: &[u8]) -> std::result::Result<(), Response> {
    let parse_error = || Response::from_error(Id::Null, Error::parse_error());
    let text = std::str::from_utf8(body).map_err(|_| parse_error())?;
    if serde_json::from_str::<Message>(text).is_ok() {
        return Ok(());
    }
    let value: serde_json::Value = serde_json::from_str(text).map_err(|_| parse_error())?;
    let id = value
        .get("id")
        .filter(|id| id.is_number() || id.is_string())
        .and_then(|id| serde_json::from_value::<Id>(id.clone()).ok())
        .unwrap_or(Id::Null);
    Err(Response::from_error(id, Error::invalid_request()))
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

async fn write_frame<O: AsyncWrite + Unpin>(output: &Mutex<O>, bytes: &[u8]) -> bool {
    let mut output = output.lock().await;
    output.write_all(bytes).await.is_ok() && output.flush().await.is_ok()
}

/// What the input side does with the bytes it has read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    /// Pass a message on to the server (framed).
    Forward(Vec<u8>),
    /// Answer the client with an error response (framed).
    Reply(Vec<u8>),
}

/// The input side's state: bytes not yet framed, and whether it is skipping garbage
/// (one error answers a whole run of it).
#[derive(Debug, Default)]
pub(crate) struct Reader {
    buf: Vec<u8>,
    in_garbage: bool,
}

impl Reader {
    /// Takes the next bytes read from the client; returns what to do, in order.
    pub(crate) fn push(&mut self, bytes: &[u8]) -> Vec<Action> {
        self.buf.extend_from_slice(bytes);
        let mut actions = Vec::new();
        // Frames are taken from `at` on; the consumed bytes are dropped once, at the end.
        let mut at = 0;
        loop {
            let rest = &self.buf[at..];
            match next_frame(rest) {
                Framed::Incomplete => break,
                Framed::Frame { body_start, end } => {
                    self.in_garbage = false;
                    let body = &rest[body_start..end];
                    match check_body(body) {
                        Ok(()) => actions.push(Action::Forward(frame(body))),
                        Err(response) => {
                            tracing::warn!(
                                "dropped a malformed message ({} bytes): {}",
                                body.len(),
                                String::from_utf8_lossy(&body[..body.len().min(200)])
                            );
                            actions.push(Action::Reply(frame(
                                &serde_json::to_vec(&response).unwrap_or_default(),
                            )));
                        }
                    }
                    at += end;
                }
                Framed::Garbage { skip } => {
                    if !self.in_garbage {
                        tracing::warn!(
                            "skipping input that is not a message header: {}",
                            String::from_utf8_lossy(&rest[..skip.min(200)])
                        );
                        let response = Response::from_error(Id::Null, Error::parse_error());
                        actions.push(Action::Reply(frame(
                            &serde_json::to_vec(&response).unwrap_or_default(),
                        )));
                    }
                    self.in_garbage = true;
                    at += skip;
                }
            }
        }
        self.buf.drain(..at);
        self.fit();
        actions
    }

    /// Sizes the buffer for what it holds: exactly the frame being received once its
    /// header says how long it is (growing by doubling would take up to twice a
    /// document's size for a big `didOpen`), and small again once that frame is gone
    /// (a buffer keeps its capacity otherwise, for the whole session).
    fn fit(&mut self) {
        if let Some(total) = pending_frame_len(&self.buf) {
            // The header's length is the client's word: reserve up front only up to a
            // bound, and let a bigger body grow the buffer as it really arrives (the
            // `frames` fuzz target found `Content-Length: 100188210260344831` aborting on
            // an allocation of that size).
            let want = total.min(MAX_RESERVED_FRAME);
            self.buf.reserve_exact(want.saturating_sub(self.buf.len()));
        } else if self.buf.capacity() > KEPT_CAPACITY && self.buf.len() <= KEPT_CAPACITY {
            self.buf.shrink_to(KEPT_CAPACITY);
        }
    }
}

/// The most a declared `Content-Length` makes the reader reserve before the bytes come.
const MAX_RESERVED_FRAME: usize = 64 * 1024 * 1024;

/// The capacity a buffer between frames keeps.
const KEPT_CAPACITY: usize = 64 * 1024;

/// The whole length of the frame whose header is at the front of `buf`, when the
/// header is complete and valid but the body is not all there yet.
fn pending_frame_len(buf: &[u8]) -> Option<usize> {
    if next_frame(buf) != Framed::Incomplete {
        return None;
    }
    let (header_len, body_start) = header_end(buf)?;
    let length = buf[..header_len]
        .split(|&b| b == b'\n')
        .filter_map(|line| {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let colon = line.iter().position(|&b| b == b':')?;
            line[..colon]
                .eq_ignore_ascii_case(CONTENT_LENGTH)
                .then(|| std::str::from_utf8(&line[colon + 1..]).ok())
                .flatten()
                .and_then(|v| v.trim().parse::<usize>().ok())
        })
        .next_back()?;
    body_start.checked_add(length)
}

/// Copies frames from the client to the server, answering the ones it cannot decode.
/// Returns when the client's input ends (dropping `to_server`, which the server reads
/// as the end of its input) or the server stops reading.
async fn filter_input<I, S, O>(mut input: I, mut to_server: S, output: Arc<Mutex<O>>)
where
    I: AsyncRead + Unpin,
    S: AsyncWrite + Unpin,
    O: AsyncWrite + Unpin,
{
    let mut reader = Reader::default();
    let mut chunk = vec![0; 64 * 1024];
    loop {
        let n = match input.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        for action in reader.push(&chunk[..n]) {
            match action {
                Action::Forward(message) => {
                    if to_server.write_all(&message).await.is_err()
                        || to_server.flush().await.is_err()
                    {
                        return;
                    }
                }
                Action::Reply(reply) => {
                    write_frame(&output, &reply).await;
                }
            }
        }
    }
}

/// Copies the server's output to `output` one whole frame at a time.
async fn forward_output<F, O>(mut from_server: F, output: Arc<Mutex<O>>)
where
    F: AsyncRead + Unpin,
    O: AsyncWrite + Unpin,
{
    let mut buf = Vec::with_capacity(KEPT_CAPACITY);
    loop {
        let read = from_server.read_buf(&mut buf).await;
        let ended = matches!(read, Ok(0) | Err(_));
        // Everything up to `at` is whole frames (the server writes only frames; should
        // it not, the bytes pass on as they are).
        let mut at = 0;
        while let Framed::Frame { end, .. } | Framed::Garbage { skip: end } = next_frame(&buf[at..])
        {
            at += end;
        }
        if ended {
            at = buf.len();
        }
        if at > 0 {
            if !write_frame(&output, &buf[..at]).await {
                return;
            }
            buf.drain(..at);
            if buf.capacity() > KEPT_CAPACITY && buf.len() <= KEPT_CAPACITY {
                buf.shrink_to(KEPT_CAPACITY);
            }
        }
        if ended {
            return;
        }
    }
}

/// Serves `service` over `input`/`output` through the guard; returns when the server
/// has stopped and all its output is written.
pub async fn serve<I, O>(
    input: I,
    output: O,
    service: tower_lsp_server::LspService<super::Backend>,
    socket: tower_lsp_server::ClientSocket,
) where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
{
    let output = Arc::new(Mutex::new(output));
    let (server_in, to_server) = tokio::io::duplex(256 * 1024);
    let (server_out, from_server) = tokio::io::duplex(256 * 1024);
    // The input side may stay blocked on a read after the server has exited (stdin is
    // read by a blocking thread that cannot be cancelled); it is not waited for.
    tokio::spawn(filter_input(input, to_server, output.clone()));
    let writer = tokio::spawn(forward_output(from_server, output));
    tower_lsp_server::Server::new(server_in, server_out, socket)
        .serve(service)
        .await;
    // `serve` dropped its end of the output pipe: the writer sees the end and returns
    // once everything the server wrote is out.
    let _ = writer.await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(body: &str) -> Vec<u8> {
        frame(body.as_bytes())
    }

    #[test]
    fn frames_are_split_and_garbage_is_skipped_to_the_next_header() {
        let mut input = framed(r#"{"jsonrpc":"2.0","method":"a"}"#);
        assert_eq!(
            next_frame(&input),
            Framed::Frame {
                body_start: input.len() - 30,
                end: input.len()
            }
        );
        assert_eq!(next_frame(&input[..input.len() - 1]), Framed::Incomplete);
        assert_eq!(next_frame(&input[..10]), Framed::Incomplete);
        // Other header lines and any case of the name are accepted.
        let other =
            b"content-length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}";
        assert_eq!(
            next_frame(other),
            Framed::Frame {
                body_start: other.len() - 2,
                end: other.len()
            }
        );
        // Garbage before a header is skipped up to it.
        let mut junk = b"\x00\xffnot a header\r\n\r\n".to_vec();
        let junk_len = junk.len();
        junk.append(&mut input);
        assert_eq!(next_frame(&junk), Framed::Garbage { skip: junk_len });
        // A header without a length, or with a bad one, is garbage.
        for bad in [
            &b"Content-Type: x\r\n\r\n{}"[..],
            b"Content-Length: -1\r\n\r\n{}",
            b"Content-Length: 99999999999999999999999\r\n\r\n{}",
        ] {
            assert!(matches!(next_frame(bad), Framed::Garbage { .. }), "{bad:?}");
        }
        // A long run without a blank line is garbage, not a wait for ever.
        let long = vec![b'a'; MAX_HEADER + 10];
        assert!(matches!(next_frame(&long), Framed::Garbage { .. }));
        // Binary junk is dropped at once, keeping a tail that may start a header.
        assert_eq!(
            next_frame(b"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x10\x11\x12\x13\x14\x15Cont"),
            Framed::Garbage { skip: 16 }
        );
    }

    #[test]
    fn bodies_the_server_cannot_decode_get_the_right_error() {
        let code = |body: &str| {
            check_body(body.as_bytes())
                .err()
                .map(|r| serde_json::to_value(r).expect("json"))
        };
        assert!(code(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#).is_none());
        assert!(code(r#"{"jsonrpc":"2.0","method":"exit"}"#).is_none());
        assert!(code(r#"{"jsonrpc":"2.0","id":1,"result":null}"#).is_none());
        for (body, expected, id) in [
            (
                r#"{"jsonrpc": "2.0", "id": 5, "method": "#,
                -32700,
                json_null(),
            ),
            ("", -32700, json_null()),
            ("[1, 2]", -32600, json_null()),
            (r#"{"id": 7, "method": "x"}"#, -32600, serde_json::json!(7)),
            (
                r#"{"jsonrpc":"1.0","id":"a","method":"x"}"#,
                -32600,
                serde_json::json!("a"),
            ),
            (
                r#"{"jsonrpc":"2.0","id":1,"id":2,"method":"x"}"#,
                -32600,
                serde_json::json!(2),
            ),
        ] {
            let response = code(body).unwrap_or_else(|| panic!("{body} accepted"));
            assert_eq!(response["error"]["code"], expected, "{body}");
            assert_eq!(response["id"], id, "{body}");
        }
        assert!(check_body(b"{\"jsonrpc\":\"2.0\",\"method\":\"\xff\"}").is_err());
    }

    #[test]
    fn a_big_frame_is_held_once_and_its_room_given_back() {
        let text = "x".repeat(3 * 1024 * 1024);
        let body = serde_json::json!({"jsonrpc": "2.0", "method": "m", "params": {"text": text}})
            .to_string();
        let frame = framed(&body);
        let mut reader = Reader::default();
        let mut forwarded = 0;
        for piece in frame.chunks(64 * 1024) {
            for action in reader.push(piece) {
                assert!(matches!(action, Action::Forward(_)));
                forwarded += 1;
            }
            // Never more room than the frame (growing by doubling would take up to 2x).
            assert!(reader.buf.capacity() <= frame.len() + 64 * 1024);
        }
        assert_eq!(forwarded, 1);
        assert!(reader.buf.is_empty());
        assert!(reader.buf.capacity() <= KEPT_CAPACITY);
    }

    fn json_null() -> serde_json::Value {
        serde_json::Value::Null
    }

    proptest::proptest! {
        /// Whatever bytes arrive, in whatever chunks, the splitter makes progress, and a
        /// well-formed frame after them is found whole.
        #[test]
        fn any_input_is_consumed_and_a_frame_after_it_recovered(
            junk in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
        ) {
            let message = r#"{"jsonrpc":"2.0","method":"exit"}"#;
            let mut buf = junk.clone();
            buf.extend(framed(message));
            let mut found = Vec::new();
            let mut steps = 0;
            loop {
                steps += 1;
                proptest::prop_assert!(steps < 10_000);
                match next_frame(&buf) {
                    Framed::Incomplete => break,
                    Framed::Frame { body_start, end } => {
                        found.push(buf[body_start..end].to_vec());
                        buf.drain(..end);
                    }
                    Framed::Garbage { skip } => {
                        proptest::prop_assert!(skip > 0 && skip <= buf.len());
                        buf.drain(..skip);
                    }
                }
            }
            // The junk may itself hold a header that swallows bytes, but it never
            // swallows a frame that starts after a `Content-Length` it has not claimed:
            // whatever is left is a waiting (incomplete) frame, and when the junk has no
            // `Content-Length` the message is recovered exactly.
            if !(0..junk.len()).any(|i| junk[i..].len() >= CONTENT_LENGTH.len()
                && starts_header_name(&junk[i..]))
            {
                proptest::prop_assert_eq!(found.last().map(Vec::as_slice), Some(message.as_bytes()));
            }
        }
    }
}
