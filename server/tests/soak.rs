//! Soak and load over the real protocol.
//!
//! `soak_random_edits_keep_the_server_in_sync`: thousands of random edits (inserts,
//! deletes, pastes, undo-like reversals, CRLF, emoji) across several open documents,
//! interleaved with completion, hover, definition and codeAction requests and
//! `$/cancelRequest`; at the end every document's diagnostics equal those of a fresh
//! open of its final text, and the resident memory of the second half of the run stays
//! within a bound of the first half's. `SOAK_EDITS` scales it (default 1,500);
//! `APIGW_LSP_BIN` runs it against another build (`tests/soak.sh` uses the release one).
//!
//! `many_documents_open_and_close`: 500 templates opened and closed, twice; memory
//! returns near the level before, and does not grow round over round.

#![allow(clippy::print_stderr)] // the figures are the point of these tests

mod common;

use common::Client;
use serde_json::{Value, json};

/// xorshift64*: deterministic, so a failure reproduces with the same seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn corpus(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/corpus/real")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The LSP (UTF-16) position of byte `offset` in `text`.
fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = before[start..].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

fn snap(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Resident memory of `pid` in kB (0 where /proc is not available).
fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

const FRAGMENTS: &[&str] = &[
    "x",
    " ",
    "\n",
    "\r\n",
    ":",
    "- ",
    "😀",
    "名前",
    "$request.body.",
    "${context.requestId}",
    "!Ref ",
    "{",
    "}",
    "\"",
    "        MessageBody: $request.body\n",
    "  Extra:\n    Type: AWS::SQS::Queue\n",
];

struct Doc {
    uri: String,
    language: &'static str,
    text: String,
    version: i64,
    /// Edits to reverse for "undo": (start, inserted length, removed text).
    history: Vec<(usize, usize, String)>,
}

fn diagnostics_for_version(client: &mut Client, uri: &str, version: i64) -> Vec<Value> {
    client.diagnostics(uri, Some(version))
}

#[test]
fn soak_random_edits_keep_the_server_in_sync() {
    let edits: usize = std::env::var("SOAK_EDITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1500);
    let mut rng = Rng(0x005E_ED0F_50A4);
    let mut client = Client::start();
    client.initialize(json!({}));
    let pid = client.pid();
    let sources = [
        (
            "aws-cdk__packages__@aws-cdk-testing__framework-integ__test__aws-apigatewayv2-integrations__test__http__integ.eventbridge.js.snapshot__eventbridge-integration.template.json",
            "json",
        ),
        (
            "sessions-with-aws-sam__http-api-direct-integration__template.yaml",
            "yaml",
        ),
        (
            "sessions-with-aws-sam__http-api-direct-integration__api.yaml",
            "yaml",
        ),
    ];
    let mut docs: Vec<Doc> = Vec::new();
    for (i, (name, language)) in sources.iter().enumerate() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/corpus/real")
            .join(name);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let uri = format!("file:///soak/doc{i}.{language}");
        client.open(&uri, language, &text);
        docs.push(Doc {
            uri,
            language,
            text,
            version: 1,
            history: Vec::new(),
        });
    }
    // A template of our own, so at least one document is there whatever the corpus holds.
    let own = corpus("serverless-patterns__apigw-eventbridge__template.yml");
    client.open("file:///soak/own.yaml", "yaml", &own);
    docs.push(Doc {
        uri: "file:///soak/own.yaml".to_string(),
        language: "yaml",
        text: own,
        version: 1,
        history: Vec::new(),
    });

    let mut peak_first = 0;
    let mut peak_second = 0;
    let mut requests = 0;
    let mut cancelled = 0;
    let started = std::time::Instant::now();
    for step in 0..edits {
        let d = rng.below(docs.len());
        let doc = &mut docs[d];
        let len = doc.text.len();
        let (start, end, insert) = match rng.below(10) {
            // Undo-like: reverse the last edit of this document.
            0 if !doc.history.is_empty() => {
                let (at, inserted, removed) = doc.history.pop().unwrap_or_default();
                (at, at + inserted, removed)
            }
            // Paste: a copy of a slice of the document somewhere else.
            1 => {
                let a = snap(&doc.text, rng.below(len + 1));
                let b = snap(&doc.text, a + rng.below(200));
                let paste = doc.text[a..b].to_string();
                let at = snap(&doc.text, rng.below(len + 1));
                (at, at, paste)
            }
            // Delete a range.
            2 | 3 => {
                let a = snap(&doc.text, rng.below(len + 1));
                let b = snap(&doc.text, a + rng.below(40));
                (a, b, String::new())
            }
            // Insert or replace with a fragment.
            _ => {
                let a = snap(&doc.text, rng.below(len + 1));
                let b = if rng.below(4) == 0 {
                    snap(&doc.text, a + rng.below(8))
                } else {
                    a
                };
                (a, b, FRAGMENTS[rng.below(FRAGMENTS.len())].to_string())
            }
        };
        // Never split a CRLF pair in our own bookkeeping of positions.
        let range = json!({"start": position(&doc.text, start), "end": position(&doc.text, end)});
        let removed = doc.text[start..end].to_string();
        doc.text.replace_range(start..end, &insert);
        doc.history.push((start, insert.len(), removed));
        if doc.history.len() > 50 {
            doc.history.remove(0);
        }
        doc.version += 1;
        let (uri, version) = (doc.uri.clone(), doc.version);
        client.change(&uri, version, json!([{"range": range, "text": insert}]));

        if step % 7 == 0 {
            let doc = &docs[d];
            let at = snap(&doc.text, rng.below(doc.text.len() + 1));
            let pos = position(&doc.text, at);
            let params = json!({"textDocument": {"uri": doc.uri}, "position": pos});
            let method = [
                "textDocument/completion",
                "textDocument/hover",
                "textDocument/definition",
            ][rng.below(3)];
            let response = client.request_raw(method, params);
            assert!(response.get("error").is_none(), "{method}: {response}");
            requests += 1;
            if step % 21 == 0 {
                let params = json!({"textDocument": {"uri": doc.uri},
                    "range": {"start": pos, "end": pos}, "context": {"diagnostics": []}});
                let response = client.request_raw("textDocument/codeAction", params);
                assert!(response.get("error").is_none(), "codeAction: {response}");
                requests += 1;
            }
        }
        if step % 50 == 25 {
            // A request cancelled at once: answered with a result or RequestCancelled.
            let id = 1_000_000 + step as i64;
            client.send(
                &json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/documentSymbol",
                "params": {"textDocument": {"uri": docs[d].uri}}}),
            );
            client.notify("$/cancelRequest", json!({"id": id}));
            let response = client.wait_for(|m| m.get("id") == Some(&json!(id)));
            if let Some(error) = response.get("error") {
                assert_eq!(error["code"], -32800, "{response}");
                cancelled += 1;
            }
        }
        if step % 100 == 0 {
            client.clear_pending();
            let rss = rss_kb(pid);
            if step < edits / 2 {
                peak_first = peak_first.max(rss);
            } else {
                peak_second = peak_second.max(rss);
            }
        }
    }

    // The server's view of each document equals a fresh open of the final text.
    for (i, doc) in docs.iter().enumerate() {
        let kept = diagnostics_for_version(&mut client, &doc.uri, doc.version);
        let fresh_uri = format!("file:///soak/fresh{i}.{}", doc.language);
        client.open(&fresh_uri, doc.language, &doc.text);
        let fresh = diagnostics_for_version(&mut client, &fresh_uri, 1);
        assert_eq!(
            kept, fresh,
            "{}: diagnostics after {} edits differ from a fresh open",
            doc.uri, doc.version
        );
    }
    let peak = rss_kb(pid);
    eprintln!(
        "soak: {edits} edits, {requests} requests, {cancelled} cancelled, {:.1} s; peak RSS first half {} kB, second half {} kB, end {} kB",
        started.elapsed().as_secs_f64(),
        peak_first,
        peak_second,
        peak
    );
    if peak_first > 0 {
        // Flat: the second half may not grow past the first by more than a quarter
        // (allocator slack and larger texts), whatever the run's length.
        assert!(
            peak_second <= peak_first + peak_first / 4 + 8 * 1024,
            "RSS grew: first half {peak_first} kB, second half {peak_second} kB"
        );
    }
    assert!(client.shutdown().success());
}

#[test]
fn many_documents_open_and_close() {
    let count: usize = std::env::var("SOAK_DOCUMENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus/real");
    let mut texts: Vec<(String, &str)> = std::fs::read_dir(&dir)
        .expect("corpus")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter_map(|p| {
            let language = match p.extension()?.to_str()? {
                "json" => "json",
                "yaml" | "yml" => "yaml",
                _ => return None,
            };
            Some((std::fs::read_to_string(&p).ok()?, language))
        })
        .collect();
    texts.sort();
    assert!(!texts.is_empty());
    let mut client = Client::start();
    client.initialize(json!({}));
    let pid = client.pid();
    // Warm up: one round of every file, so the baseline includes lazily built tables.
    for (i, (text, language)) in texts.iter().enumerate() {
        let uri = format!("file:///many/warm{i}.{language}");
        client.open(&uri, language, text);
        client.diagnostics(&uri, Some(1));
        client.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
    }
    client.clear_pending();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let baseline = rss_kb(pid);
    // Two rounds of opening `count` documents and closing them all: the first shows
    // how much comes back, the second that nothing accumulates (no leak).
    let mut rounds = Vec::new();
    for round in 0..2 {
        let mut uris = Vec::new();
        for i in 0..count {
            let (text, language) = &texts[i % texts.len()];
            let uri = format!("file:///many/r{round}-doc{i}.{language}");
            client.open(&uri, language, text);
            uris.push(uri);
        }
        for uri in &uris {
            client.diagnostics(uri, Some(1));
        }
        client.clear_pending();
        let open = rss_kb(pid);
        for uri in &uris {
            client.notify(
                "textDocument/didClose",
                json!({"textDocument": {"uri": uri}}),
            );
        }
        // A round trip, so every close has been handled.
        client.request_raw(
            "textDocument/hover",
            json!({"textDocument": {"uri": "file:///none.yaml"}, "position": {"line": 0, "character": 0}}),
        );
        client.clear_pending();
        std::thread::sleep(std::time::Duration::from_millis(300));
        let closed = rss_kb(pid);
        eprintln!(
            "many documents, round {round}: {count} opened; RSS baseline {baseline} kB, all open {open} kB, all closed {closed} kB"
        );
        rounds.push((open, closed));
    }
    if baseline > 0 {
        let (open0, closed0) = rounds[0];
        let (open1, closed1) = rounds[1];
        // Memory comes back close to the baseline after each round (the server trims
        // the allocator after closes)...
        for (open, closed) in &rounds {
            let grown = open.saturating_sub(baseline);
            assert!(
                *closed <= baseline + grown / 5 + 2 * 1024,
                "memory did not return: baseline {baseline} kB, open {open} kB, closed {closed} kB"
            );
        }
        // ...and nothing accumulates: the second round ends where the first did, and
        // its peak is no higher.
        assert!(
            closed1 <= closed0 + closed0 / 20 + 2 * 1024,
            "memory grows round over round: closed {closed0} kB then {closed1} kB"
        );
        assert!(
            open1 <= open0 + open0 / 20 + 2 * 1024,
            "peak grows round over round: {open0} kB then {open1} kB"
        );
    }
    assert!(client.shutdown().success());
}
