//! The text reader: the cursor's context read from the text around it, the fallback of
//! [`super::at`] when the entry around the cursor does not parse.
//!
//! While the user types, the line under the cursor often does not parse (`        Que`,
//! `"Me`, `{QueueUrl: x, Mes`), and tree-sitter's error recovery may then drop the whole
//! resource or misread it. So the context is read from the text instead:
//!
//! 1. Find an anchor: the unit holding the cursor. A unit is a member of a root section:
//!    a template resource (`Resources.X`), an OpenAPI path item (`paths./x`) or the
//!    shared integrations (`components.x-amazon-apigateway-integrations`). Cheaply from
//!    the parsed entries when the unit parsed ([`Document::entries_at`]); otherwise by
//!    indentation (YAML, a few lines up from the cursor) or by unmatched brackets (JSON,
//!    line by line up).
//! 2. Scan forward from the anchor with a small YAML/JSON reader that only tracks keys,
//!    indentation and flow brackets. It records the chain of keys around the cursor, whether
//!    the cursor is at a key or a value, and the token being typed, then carries on to the
//!    end of the resource.
//! 3. Hand back the unit's text with the typed token neutralised (and missing flow
//!    closers added), so the caller can parse that alone to read the integration's facts.
//!
//! Every step is bounded by the unit (or a fixed number of lines), never the document.
//! "Resource" below means a unit of any root section.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::ops::Range;

use ropey::Rope;

use crate::document::{Document, EntryRef};
use crate::model::resources_in_entry;
use crate::syntax::Language;

/// How far the fallbacks look up from the cursor, in lines.
const MAX_LINES_UP: usize = 2_000;
/// How far the scan reads past the cursor looking for the end of the resource, in lines.
const MAX_LINES_DOWN: usize = 5_000;

use super::{COMPONENTS, PATHS, RESOURCES, key_start, line_indent, next_on_line};

/// Top-level keys whose members are units: `Resources` and `paths` (split into entries
/// of their own by the document) and `components` (one entry).
const ROOTS: &[&str] = &[RESOURCES, PATHS, COMPONENTS];

/// The root section `key` names when its members are split into entries of their own.
fn split_root(key: &str) -> Option<&'static str> {
    [RESOURCES, PATHS].into_iter().find(|r| *r == key)
}

/// How the container around the cursor is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// YAML block mapping (indentation).
    Block,
    /// YAML flow mapping (`{a: b, c: d}`).
    Flow,
    Json,
    /// A Terraform (HCL) body or object: `key = value`, values quoted.
    Hcl,
}

/// A scalar being typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The whole token, quotes included.
    pub span: Range<usize>,
    /// The opening quote, if the token is quoted.
    pub quote: Option<char>,
    /// Whether a quoted token has its closing quote.
    pub closed: bool,
    /// Whether a YAML tag (`!Ref`, `!Sub`) precedes it.
    pub tagged: bool,
}

impl Token {
    /// Where the token's text starts (after an opening quote).
    pub fn text_start(&self) -> usize {
        self.span.start + usize::from(self.quote.is_some())
    }

    /// Whether `offset` is inside the token for completion purposes: after its first
    /// character and not past a closing quote.
    pub(super) fn holds(&self, offset: usize) -> bool {
        let end = if self.quote.is_some() && self.closed {
            self.span.end - 1
        } else {
            self.span.end
        };
        self.span.start < offset && offset <= end
    }
}

/// What the cursor is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum At {
    /// A mapping key (possibly partly typed, possibly empty).
    Key {
        token: Option<Token>,
        /// A `:` already follows the key.
        colon_follows: bool,
    },
    /// The value of `key` (`None` inside a sequence).
    Value {
        key: Option<String>,
        token: Option<Token>,
        /// YAML `Key:|` with no space after the colon yet.
        needs_space: bool,
        /// The cursor is inside text that continues a value from an earlier line (a block
        /// scalar or a folded plain scalar); the text on this line starts here.
        in_text: Option<usize>,
    },
}

/// The cursor's context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// The keys naming the containers around the cursor, from the root section down
    /// (`Resources`, logical ID, `Properties`, `RequestParameters`; `paths`, `/x`, `post`,
    /// ...). `None` for a sequence item or an intrinsic function.
    pub path: Vec<Option<String>>,
    pub at: At,
    pub style: Style,
    /// The whitespace before the cursor's token on its line, when nothing else precedes it.
    pub line_indent: Option<String>,
}

/// The result of a scan.
#[derive(Debug, Clone)]
pub(super) struct Scan {
    pub cursor: Cursor,
    /// The unit's key: a logical ID, an OpenAPI path, `x-amazon-apigateway-integrations`.
    pub resource: String,
    /// The resource's text (from its key to its end) with the typed token neutralised,
    /// ready to be parsed on its own in the document's language.
    pub resource_text: String,
}

/// Reads the cursor's context at `offset` (a char boundary).
pub(super) fn scan(doc: &Document, offset: usize) -> Option<Scan> {
    let json = doc.language() == Language::Json;
    if let Some(anchor) = fast_anchor(doc, offset, json)
        && let Some(scan) = run(doc, offset, anchor, json)
    {
        return Some(scan);
    }
    let anchor = if json {
        json_fallback(doc, offset)
    } else {
        yaml_fallback(doc, offset)
    }?;
    run(doc, offset, anchor, json)
}

/// Where the forward reader starts, and its state there.
#[derive(Debug)]
struct Anchor {
    start: usize,
    frames: Vec<Frame>,
    /// YAML: reading starts inside a flow collection opened at this indentation.
    flow_base: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A YAML block container whose key sits at this indentation (-1: virtual).
    Block(isize),
    Map,
    Seq,
}

#[derive(Debug, Clone)]
struct Frame {
    key: Option<String>,
    key_start: usize,
    kind: Kind,
    /// Flow mapping: a `:` was seen, a value comes next.
    expecting_value: bool,
    /// Flow mapping: the last key read.
    pending_key: Option<(String, usize)>,
}

impl Frame {
    fn new(key: Option<String>, key_start: usize, kind: Kind) -> Self {
        Frame {
            key,
            key_start,
            kind,
            expecting_value: false,
            pending_key: None,
        }
    }

    fn is_flow(&self) -> bool {
        !matches!(self.kind, Kind::Block(_))
    }
}

/// The column of `offset` in bytes from its line start.
fn column(rope: &Rope, offset: usize) -> usize {
    offset - rope.line_to_byte(rope.byte_to_line(offset))
}

fn line_text(rope: &Rope, line: usize) -> Cow<'_, str> {
    Cow::from(rope.line(line))
}

fn trim_newline(text: &str) -> &str {
    text.trim_end_matches(['\n', '\r'])
}

fn indent_of(text: &str) -> usize {
    text.bytes().take_while(|&b| b == b' ').count()
}

fn is_blank_or_comment(text: &str) -> bool {
    let t = text.trim_start();
    t.is_empty() || t.starts_with('#')
}

/// The resource entry around `offset`, from the parsed entries.
fn fast_anchor(doc: &Document, offset: usize, json: bool) -> Option<Anchor> {
    let rope = doc.rope();
    // The unit's start, whether it sits in a flow collection, and its root section
    // (`None`: the anchor is the top-level key itself, `components`).
    let mut best: Option<(usize, bool, Option<&'static str>)> = None;
    let mut consider = |start: usize, flow: bool, root: Option<&'static str>| {
        if start <= offset && best.is_none_or(|(s, _, _)| s < start) {
            best = Some((start, flow, root));
        }
    };
    for entry in doc.entries_at(offset) {
        match (entry.section, entry.key()) {
            (Some(section), Some(_)) => {
                if let Some(root) = split_root(section) {
                    consider(key_start(rope, entry.key_span().start), false, Some(root));
                }
            }
            (None, Some(RESOURCES)) if !entry.entry.splits => {
                for r in resources_in_entry(entry) {
                    consider(key_start(rope, r.name_span.start), true, Some(RESOURCES));
                }
            }
            (None, Some(PATHS)) if !entry.entry.splits => {
                for p in entry.value().into_iter().flat_map(|v| v.pairs()) {
                    consider(key_start(rope, p.key_span().start), true, Some(PATHS));
                }
            }
            (None, Some(COMPONENTS)) => {
                consider(key_start(rope, entry.key_span().start), false, None);
            }
            _ => {}
        }
    }
    let (start, flow, root) = best?;
    let Some(root) = root else {
        // A top-level key: read from its line (YAML) or inside the document's object.
        return Some(if json {
            Anchor {
                start,
                frames: vec![Frame::new(None, 0, Kind::Map)],
                flow_base: None,
            }
        } else {
            Anchor {
                start: rope.line_to_byte(rope.byte_to_line(start)),
                frames: Vec::new(),
                flow_base: None,
            }
        });
    };
    let resources = |kind| Frame::new(Some(root.to_string()), 0, kind);
    if json {
        return Some(Anchor {
            start,
            frames: vec![resources(Kind::Map)],
            flow_base: None,
        });
    }
    let line_start = rope.line_to_byte(rope.byte_to_line(start));
    let only_indent = rope.byte_slice(line_start..start).chars().all(|c| c == ' ');
    if flow || !only_indent {
        Some(Anchor {
            start,
            frames: vec![resources(Kind::Map)],
            flow_base: Some(0),
        })
    } else {
        Some(Anchor {
            start: line_start,
            frames: vec![resources(Kind::Block(-1))],
            flow_base: None,
        })
    }
}

/// YAML fallback: the resource line found by indentation, a few lines up.
fn yaml_fallback(doc: &Document, offset: usize) -> Option<Anchor> {
    let rope = doc.rope();
    let line = rope.byte_to_line(offset);
    let text = line_text(rope, line);
    let text = trim_newline(&text);
    let col = offset - rope.line_to_byte(line);
    let mut limit = if text.trim().is_empty() {
        col
    } else {
        indent_of(text).min(col)
    };
    if limit == 0 {
        return None;
    }
    for l in (line.saturating_sub(MAX_LINES_UP)..line).rev() {
        let t = line_text(rope, l);
        let t = trim_newline(&t);
        if is_blank_or_comment(t) {
            continue;
        }
        let ind = indent_of(t);
        if ind >= limit {
            continue;
        }
        let start = rope.line_to_byte(l);
        if ind == 0 {
            let key = t
                .split(':')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches(['"', '\'']);
            return ROOTS.contains(&key).then(|| Anchor {
                start,
                frames: Vec::new(),
                flow_base: None,
            });
        }
        if let Some(root) = unit_line(doc, start, ind) {
            return Some(Anchor {
                start,
                frames: vec![Frame::new(Some(root.to_string()), 0, Kind::Block(-1))],
                flow_base: None,
            });
        }
        limit = ind;
    }
    None
}

/// The split root section (`Resources`, `paths`) whose entry the line at `start`,
/// indented by `indent`, is, judged from the segment it starts or the segment just before.
fn unit_line(doc: &Document, start: usize, indent: usize) -> Option<&'static str> {
    let rope = doc.rope();
    let fits = |e: &EntryRef<'_>| match (e.section, e.key()) {
        (Some(section), Some(_)) => {
            split_root(section).filter(|_| column(rope, e.key_span().start) == indent)
        }
        (None, Some(key)) if e.entry.splits => split_root(key),
        _ => None,
    };
    let here = doc.entries_at(start);
    if let Some(root) = here.iter().find_map(|e| {
        e.section
            .and_then(split_root)
            .filter(|_| rope.byte_to_line(e.key_span().start) == rope.byte_to_line(start))
    }) {
        return Some(root);
    }
    if start == 0 {
        return None;
    }
    doc.entries_at(start - 1).iter().find_map(fits)
}

/// A token of the backward JSON scan.
#[derive(Debug, Clone, PartialEq, Eq)]
enum BackTok {
    Open,
    Close,
    Colon,
    Str(String, usize),
    Other,
}

/// Lexes one JSON line (strings are line-local) into tokens.
fn json_line_tokens(text: &str, base: usize) -> Vec<BackTok> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'{' | b'[' => {
                out.push(BackTok::Open);
                i += 1;
            }
            b'}' | b']' => {
                out.push(BackTok::Close);
                i += 1;
            }
            b':' => {
                out.push(BackTok::Colon);
                i += 1;
            }
            b'"' => {
                let (end, _) = quoted_end(b, i, true);
                let inner_end = if end > i + 1 && b[end - 1] == b'"' {
                    end - 1
                } else {
                    end
                };
                out.push(BackTok::Str(text[i + 1..inner_end].to_string(), base + i));
                i = end;
            }
            b' ' | b'\t' | b'\r' | b'\n' | b',' => i += 1,
            _ => {
                while i < b.len() && !b"{}[]:\", \t\r\n".contains(&b[i]) {
                    i += 1;
                }
                out.push(BackTok::Other);
            }
        }
    }
    out
}

/// Tokens before an offset, in reverse order, read a line at a time.
#[derive(Clone)]
struct BackLexer<'a> {
    rope: &'a Rope,
    next_line: Option<usize>,
    lines_read: usize,
    buf: VecDeque<BackTok>,
}

impl<'a> BackLexer<'a> {
    fn new(rope: &'a Rope, offset: usize) -> Self {
        let line = rope.byte_to_line(offset);
        let start = rope.line_to_byte(line);
        let text = Cow::from(rope.byte_slice(start..offset));
        let buf = json_line_tokens(&text, start).into_iter().rev().collect();
        BackLexer {
            rope,
            next_line: line.checked_sub(1),
            lines_read: 0,
            buf,
        }
    }

    fn fill(&mut self, n: usize) {
        while self.buf.len() < n && self.lines_read < MAX_LINES_UP {
            let Some(line) = self.next_line else { return };
            let start = self.rope.line_to_byte(line);
            let text = line_text(self.rope, line);
            self.buf
                .extend(json_line_tokens(&text, start).into_iter().rev());
            self.next_line = line.checked_sub(1);
            self.lines_read += 1;
        }
    }

    fn next(&mut self) -> Option<BackTok> {
        self.fill(1);
        self.buf.pop_front()
    }

    fn peek(&mut self, i: usize) -> Option<&BackTok> {
        self.fill(i + 1);
        self.buf.get(i)
    }
}

/// JSON fallback: walks back over unmatched brackets to the resource's key.
fn json_fallback(doc: &Document, offset: usize) -> Option<Anchor> {
    let mut toks = BackLexer::new(doc.rope(), offset);
    let mut depth = 0usize;
    while let Some(tok) = toks.next() {
        match tok {
            BackTok::Close => depth += 1,
            BackTok::Open if depth > 0 => depth -= 1,
            BackTok::Open => {
                if toks.peek(0) != Some(&BackTok::Colon) {
                    continue;
                }
                let Some(BackTok::Str(key, start)) = toks.peek(1).cloned() else {
                    continue;
                };
                let unit = doc.entries_at(start + 1).iter().find_map(|e| {
                    e.section
                        .and_then(split_root)
                        .filter(|_| e.key_span().start == start + 1)
                });
                if let Some(root) = unit {
                    return Some(Anchor {
                        start,
                        frames: vec![Frame::new(Some(root.to_string()), 0, Kind::Map)],
                        flow_base: None,
                    });
                }
                // `Resources` is only ever a template's; `paths` and `components` also
                // appear inside inline OpenAPI bodies, so those must be top-level keys.
                if key == RESOURCES || (ROOTS.contains(&key.as_str()) && at_top_level(toks.clone()))
                {
                    return Some(Anchor {
                        start,
                        frames: vec![Frame::new(None, 0, Kind::Map)],
                        flow_base: None,
                    });
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether the key just read back sits directly in the document's outermost object:
/// exactly one unmatched `{` lies before it.
fn at_top_level(mut toks: BackLexer<'_>) -> bool {
    // Skip the key and its colon.
    toks.next();
    toks.next();
    let mut depth = 0usize;
    let mut opens = 0usize;
    while let Some(tok) = toks.next() {
        match tok {
            BackTok::Close => depth += 1,
            BackTok::Open if depth > 0 => depth -= 1,
            BackTok::Open => opens += 1,
            _ => {}
        }
    }
    opens == 1
}

/// The end of a quoted scalar starting at `i` and whether it is closed. JSON and YAML
/// double quotes escape with `\`; YAML single quotes with `''`.
fn quoted_end(b: &[u8], i: usize, double: bool) -> (usize, bool) {
    let q = b[i];
    let mut j = i + 1;
    while j < b.len() {
        if double && b[j] == b'\\' {
            j += 2;
            continue;
        }
        if b[j] == q {
            if !double && b.get(j + 1) == Some(&q) {
                j += 2;
                continue;
            }
            return (j + 1, true);
        }
        j += 1;
    }
    (b.len(), false)
}

/// Whether a YAML `:` at `i` is a mapping indicator.
fn yaml_colon(b: &[u8], i: usize, after_quote: bool) -> bool {
    after_quote
        || match b.get(i + 1) {
            None => true,
            Some(c) => b" \t\r\n,[]{}".contains(c),
        }
}

/// The forward reader.
struct Reader<'a> {
    rope: &'a Rope,
    json: bool,
    offset: usize,
    frames: Vec<Frame>,
    flow_base: Option<usize>,
    /// The last block key with an inline value, and its indentation: more indented lines
    /// continue that value.
    leaf: Option<(String, usize)>,
    last_end: usize,
    prev_quoted_end: Option<usize>,
    next_tagged: bool,
    snap: Option<Snapshot>,
    /// Closers added where YAML recovery closed flow collections: (position, text).
    insertions: Vec<(usize, String)>,
    end: Option<usize>,
}

#[derive(Debug, Clone)]
struct Snapshot {
    cursor: Cursor,
    /// The index of the resource's frame.
    r_depth: usize,
    resource: String,
    resource_start: usize,
    /// The indentation of the line holding the resource's key.
    r_indent: usize,
    /// Bytes to neutralise in the resource text, and how.
    blank: Option<(Range<usize>, Blank)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Blank {
    /// Replace with spaces.
    Spaces,
    /// Replace the key's characters with `_` (a `:` follows it).
    Placeholder,
    /// Replace with an empty JSON string.
    EmptyString,
}

fn run(doc: &Document, offset: usize, anchor: Anchor, json: bool) -> Option<Scan> {
    let rope = doc.rope();
    let mut r = Reader {
        rope,
        json,
        offset,
        frames: anchor.frames,
        flow_base: anchor.flow_base,
        leaf: None,
        last_end: anchor.start,
        prev_quoted_end: None,
        next_tagged: false,
        snap: None,
        insertions: Vec::new(),
        end: None,
    };
    let first = rope.byte_to_line(anchor.start);
    let cursor_line = rope.byte_to_line(offset);
    let last = (cursor_line + MAX_LINES_DOWN).min(rope.len_lines());
    let mut from = anchor.start - rope.line_to_byte(first);
    let mut line_start = rope.line_to_byte(first);
    for line in first..last {
        let raw = line_text(rope, line);
        let len = raw.len();
        let text = trim_newline(&raw);
        r.line(line_start, text, from);
        from = 0;
        line_start += len;
        if r.end.is_some() || r.frames.is_empty() {
            break;
        }
        if r.snap.is_none() && line > cursor_line {
            break;
        }
    }
    if r.snap.is_none() {
        r.gap(usize::MAX);
    }
    let end = r.end.unwrap_or(line_start.min(rope.len_bytes()));
    let snap = r.snap.take()?;
    // Closers for flow collections still open at the end of the resource.
    let open: String = r
        .frames
        .iter()
        .skip(snap.r_depth)
        .rev()
        .filter_map(|f| match f.kind {
            Kind::Map => Some('}'),
            Kind::Seq => Some(']'),
            Kind::Block(_) => None,
        })
        .collect();
    let start = snap.resource_start.min(end);
    let mut text = String::from(rope.byte_slice(start..end));
    if let Some((range, how)) = &snap.blank
        && range.start >= start
        && range.end <= end
    {
        let (a, b) = (range.start - start, range.end - start);
        let quote = text
            .as_bytes()
            .get(a)
            .copied()
            .filter(|c| matches!(c, b'"' | b'\''))
            .map(char::from);
        let filler = match (how, quote) {
            (Blank::Spaces, _) => " ".repeat(b - a),
            // Keep a quoted key quoted: `"Me": x` becomes `"__": x`.
            (Blank::Placeholder, Some(q)) if b - a >= 2 => {
                format!("{q}{}{q}", "_".repeat(b - a - 2))
            }
            (Blank::Placeholder, _) => "_".repeat(b - a),
            (Blank::EmptyString, _) if b - a >= 2 => format!("\"\"{}", " ".repeat(b - a - 2)),
            (Blank::EmptyString, _) => "0".repeat(b - a),
        };
        if text.is_char_boundary(a) && text.is_char_boundary(b) {
            text.replace_range(a..b, &filler);
        }
    }
    r.insertions.sort_by_key(|(p, _)| std::cmp::Reverse(*p));
    for (pos, ins) in &r.insertions {
        if *pos >= start && *pos <= end && text.is_char_boundary(pos - start) {
            text.insert_str(pos - start, ins);
        }
    }
    if !open.is_empty() {
        if json {
            let keep = text.trim_end().trim_end_matches(',').len();
            text.truncate(keep);
            text.push_str(&open);
        } else {
            let indent = " ".repeat(r.flow_base.unwrap_or(0) + 1);
            text.push_str(&format!("\n{indent}{open}\n"));
        }
    }
    Some(Scan {
        cursor: snap.cursor,
        resource: snap.resource,
        resource_text: text,
    })
}

impl Reader<'_> {
    fn in_flow(&self) -> bool {
        self.frames.last().is_some_and(Frame::is_flow)
    }

    fn line(&mut self, start: usize, text: &str, from: usize) {
        if self.json {
            // Past the cursor, a key at the resource's indentation or less starts
            // something else: the resource's brackets do not balance (it is being typed).
            if let Some(snap) = &self.snap
                && from == 0
            {
                let content = text.trim_start();
                if content.starts_with('"') && text.len() - content.len() <= snap.r_indent {
                    self.end = Some(start);
                    return;
                }
            }
            self.flow(start, text, from);
            return;
        }
        if self.in_flow() {
            // A closing bracket at the opening line's indentation is ordinary formatting.
            let closes = matches!(text.trim_start().bytes().next(), Some(b'}' | b']'));
            let recover = self.flow_base.is_some_and(|base| {
                from == 0 && !is_blank_or_comment(text) && !closes && indent_of(text) <= base
            });
            if !recover {
                self.flow(start, text, from);
                return;
            }
            // A line back at the block indentation ends every open flow collection.
            self.gap(start);
            let mut closers = String::new();
            while self.in_flow() {
                if let Some(f) = self.frames.pop() {
                    closers.push(if f.kind == Kind::Seq { ']' } else { '}' });
                }
                if self.resource_closed() {
                    self.end = Some(start);
                }
            }
            let base = self.flow_base.unwrap_or(0);
            self.insertions
                .push((start, format!("{}{closers}\n", " ".repeat(base + 1))));
            self.flow_base = None;
            if self.end.is_some() {
                return;
            }
        }
        self.block(start, text);
    }

    /// After the snapshot, whether the resource's frame has been closed.
    fn resource_closed(&self) -> bool {
        self.snap
            .as_ref()
            .is_some_and(|s| self.frames.len() <= s.r_depth)
    }

    /// A YAML line outside flow collections.
    fn block(&mut self, start: usize, text: &str) {
        let b = text.as_bytes();
        let indent = indent_of(text);
        let here = self.snap.is_none() && start <= self.offset && self.offset <= start + b.len();
        if is_blank_or_comment(text) {
            if here && (indent == b.len() || self.offset <= start + indent) {
                let col = self.offset - start;
                match &self.leaf {
                    Some((key, li)) if col > *li => {
                        let key = key.clone();
                        self.snapshot_value(
                            Some(key),
                            None,
                            false,
                            Some(self.offset),
                            self.frames.len(),
                        );
                    }
                    _ => {
                        let depth = self
                            .frames
                            .iter()
                            .take_while(|f| matches!(f.kind, Kind::Block(i) if i < col as isize))
                            .count();
                        self.snapshot(
                            At::Key {
                                token: None,
                                colon_follows: false,
                            },
                            depth,
                            None,
                        );
                    }
                }
            }
            return;
        }
        if let Some((key, li)) = &self.leaf
            && indent > *li
        {
            if here && self.offset >= start + indent {
                let key = key.clone();
                self.snapshot_value(
                    Some(key),
                    None,
                    false,
                    Some(start + indent),
                    self.frames.len(),
                );
            }
            return;
        }
        self.leaf = None;
        while let Some(f) = self.frames.last() {
            match f.kind {
                Kind::Block(i) if i >= indent as isize => {
                    self.frames.pop();
                    if self.resource_closed() {
                        self.end = Some(start);
                        return;
                    }
                }
                _ => break,
            }
        }
        if self.frames.is_empty() && self.snap.is_some() {
            self.end = Some(start);
            return;
        }
        self.key_line(start, text, indent, here);
    }

    /// The part of a YAML block line from column `col`: `key: value` or `- item`.
    fn key_line(&mut self, start: usize, text: &str, col: usize, here: bool) {
        let b = text.as_bytes();
        if col >= b.len() {
            return;
        }
        if b[col] == b'-' && matches!(b.get(col + 1), None | Some(b' ')) {
            self.frames
                .push(Frame::new(None, start + col, Kind::Block(col as isize)));
            let next = col + 1 + indent_of(&text[(col + 1).min(b.len())..]);
            self.key_line(start, text, next, here && self.offset >= start + next);
            return;
        }
        // The key.
        let (key_end, quote, closed) = if matches!(b[col], b'"' | b'\'') {
            let (end, closed) = quoted_end(b, col, b[col] == b'"');
            (end, Some(b[col] as char), closed)
        } else {
            let mut j = col;
            while j < b.len() {
                if b[j] == b':' && yaml_colon(b, j, false) {
                    break;
                }
                if b[j] == b'#' && j > col && b[j - 1] == b' ' {
                    break;
                }
                j += 1;
            }
            let end = col + text[col..j].trim_end().len();
            (end, None, true)
        };
        let token = Token {
            span: start + col..start + key_end,
            quote,
            closed,
            tagged: false,
        };
        let key_text = match quote {
            Some(_) => {
                let inner_end = if closed { key_end - 1 } else { key_end };
                text[(col + 1).min(inner_end)..inner_end].to_string()
            }
            None => text[col..key_end].to_string(),
        };
        let mut p = key_end;
        while p < b.len() && b[p] == b' ' {
            p += 1;
        }
        let has_colon = p < b.len() && b[p] == b':' && yaml_colon(b, p, quote.is_some());
        let depth = self.frames.len();
        if here && token.holds(self.offset) {
            self.snapshot(
                At::Key {
                    token: Some(token.clone()),
                    colon_follows: has_colon,
                },
                depth,
                Some(token.span.clone()),
            );
        }
        if !has_colon {
            return;
        }
        let colon = p;
        let mut v = colon + 1;
        while v < b.len() && b[v] == b' ' {
            v += 1;
        }
        let here_value = here && self.offset > start + colon;
        let after_colon =
            |r: &Reader<'_>| r.offset == start + colon + 1 && b.get(colon + 1) != Some(&b' ');
        if v >= b.len() || b[v] == b'#' {
            if here_value && (v >= b.len() || self.offset <= start + v) {
                let needs_space = after_colon(self);
                self.snapshot_value(Some(key_text.clone()), None, needs_space, None, depth);
            }
            self.frames.push(Frame::new(
                Some(key_text),
                start + col,
                Kind::Block(col as isize),
            ));
            return;
        }
        // Tags and anchors before the value.
        let mut tagged = false;
        while v < b.len() && matches!(b[v], b'!' | b'&') {
            tagged |= b[v] == b'!';
            while v < b.len() && b[v] != b' ' {
                v += 1;
            }
            while v < b.len() && b[v] == b' ' {
                v += 1;
            }
        }
        if v >= b.len() {
            // `Key: !Tag` with the value on the next lines.
            self.frames
                .push(Frame::new(None, start + col, Kind::Block(col as isize)));
            return;
        }
        match b[v] {
            b'{' | b'[' => {
                let kind = if b[v] == b'{' { Kind::Map } else { Kind::Seq };
                let key = (!tagged).then_some(key_text);
                self.frames.push(Frame::new(key, start + col, kind));
                self.flow_base = Some(col);
                self.last_end = start + v + 1;
                self.prev_quoted_end = None;
                self.flow(start, text, v + 1);
            }
            b'|' | b'>' => self.leaf = Some((key_text, col)),
            _ => {
                let (end, quote, closed) = if matches!(b[v], b'"' | b'\'') {
                    let (end, closed) = quoted_end(b, v, b[v] == b'"');
                    (end, Some(b[v] as char), closed)
                } else {
                    let mut j = v;
                    while j < b.len() && !(b[j] == b'#' && b[j - 1] == b' ') {
                        j += 1;
                    }
                    (v + text[v..j].trim_end().len(), None, true)
                };
                let token = Token {
                    span: start + v..start + end,
                    quote,
                    closed,
                    tagged,
                };
                if here_value && token.holds(self.offset) {
                    self.snapshot_value(Some(key_text.clone()), Some(token), false, None, depth);
                }
                self.leaf = Some((key_text, col));
            }
        }
    }

    /// Flow collections (and all of JSON) from column `from` of a line.
    fn flow(&mut self, start: usize, text: &str, from: usize) {
        let b = text.as_bytes();
        let mut i = from;
        while i < b.len() {
            let c = b[i];
            if matches!(c, b' ' | b'\t' | b'\r') {
                i += 1;
                continue;
            }
            if !self.json && c == b'#' && (i == 0 || matches!(b[i - 1], b' ' | b'\t')) {
                break;
            }
            let abs = start + i;
            self.gap(abs);
            match c {
                b'{' | b'[' => {
                    let key = match self.frames.last() {
                        Some(f)
                            if f.kind == Kind::Map && f.expecting_value && !self.next_tagged =>
                        {
                            f.pending_key.clone()
                        }
                        _ => None,
                    };
                    let (key, key_start) = match key {
                        Some((k, s)) => (Some(k), s),
                        None => (None, abs),
                    };
                    let kind = if c == b'{' { Kind::Map } else { Kind::Seq };
                    self.frames.push(Frame::new(key, key_start, kind));
                    self.next_tagged = false;
                    i += 1;
                }
                b'}' | b']' => {
                    if self.in_flow() {
                        self.frames.pop();
                    }
                    i += 1;
                    if self.resource_closed() || self.frames.is_empty() {
                        self.end = Some(start + i);
                        return;
                    }
                    if !self.in_flow() && !self.json {
                        // Back in block context: the rest of the line is a comment.
                        self.flow_base = None;
                        self.last_end = start + i;
                        return;
                    }
                }
                b',' => {
                    if let Some(f) = self.frames.last_mut().filter(|f| f.kind == Kind::Map) {
                        f.expecting_value = false;
                        f.pending_key = None;
                    }
                    i += 1;
                }
                b':' if self.json || yaml_colon(b, i, self.prev_quoted_end == Some(abs)) => {
                    if let Some(f) = self.frames.last_mut().filter(|f| f.kind == Kind::Map) {
                        f.expecting_value = true;
                    }
                    i += 1;
                }
                b'!' | b'&' if !self.json => {
                    self.next_tagged |= c == b'!';
                    while i < b.len() && !b" \t,[]{}".contains(&b[i]) {
                        i += 1;
                    }
                }
                _ => {
                    let (end, quote, closed) = if c == b'"' || (c == b'\'' && !self.json) {
                        let (mut end, closed) = quoted_end(b, i, c == b'"');
                        // An unclosed string is being typed: what follows the cursor is
                        // the structure that was already there.
                        if !closed && abs < self.offset && self.offset < start + end {
                            end = self.offset - start;
                        }
                        (end, Some(c as char), closed)
                    } else {
                        let mut j = i;
                        while j < b.len() {
                            let d = b[j];
                            let stop = if self.json {
                                b"{}[]:\", \t".contains(&d)
                            } else {
                                b",[]{}".contains(&d)
                                    || (d == b':' && yaml_colon(b, j, false))
                                    || (d == b'#' && matches!(b[j - 1], b' ' | b'\t'))
                            };
                            if stop {
                                break;
                            }
                            j += 1;
                        }
                        (i + text[i..j].trim_end().len(), None, true)
                    };
                    let token = Token {
                        span: abs..start + end,
                        quote,
                        closed,
                        tagged: std::mem::take(&mut self.next_tagged),
                    };
                    let text_range = match quote {
                        Some(_) => (i + 1).min(end)..if closed { end - 1 } else { end },
                        None => i..end,
                    };
                    self.scalar(token, &text[text_range]);
                    i = end.max(i + 1);
                    self.prev_quoted_end = quote.is_some().then_some(start + end);
                }
            }
            self.last_end = start + i;
        }
    }

    /// A scalar read in a flow collection.
    fn scalar(&mut self, token: Token, text: &str) {
        let depth = self.frames.len();
        let Some(top) = self.frames.last() else {
            return;
        };
        let is_key = top.kind == Kind::Map && !top.expecting_value;
        if self.snap.is_none() && token.holds(self.offset) {
            if is_key {
                let colon_follows = next_on_line(self.rope, token.span.end) == Some(':');
                self.snapshot(
                    At::Key {
                        token: Some(token.clone()),
                        colon_follows,
                    },
                    depth,
                    Some(token.span.clone()),
                );
            } else {
                let key = top.pending_key.as_ref().map(|(k, _)| k.clone());
                self.snapshot_value(key, Some(token.clone()), false, None, depth);
            }
        }
        if is_key && let Some(top) = self.frames.last_mut() {
            top.pending_key = Some((text.to_string(), token.span.start));
        }
    }

    /// The cursor sits between tokens in a flow collection (or at the end of the text).
    fn gap(&mut self, next_token: usize) {
        if self.snap.is_some() || self.offset < self.last_end || self.offset > next_token {
            return;
        }
        if !self.in_flow() {
            return;
        }
        let depth = self.frames.len();
        let Some(top) = self.frames.last() else {
            return;
        };
        if top.kind == Kind::Map && !top.expecting_value {
            self.snapshot(
                At::Key {
                    token: None,
                    colon_follows: false,
                },
                depth,
                None,
            );
        } else {
            let key = top.pending_key.as_ref().map(|(k, _)| k.clone());
            let needs_space =
                !self.json && self.offset > 0 && self.rope.get_byte(self.offset - 1) == Some(b':');
            self.snapshot_value(key, None, needs_space, None, depth);
        }
    }

    fn snapshot_value(
        &mut self,
        key: Option<String>,
        token: Option<Token>,
        needs_space: bool,
        in_text: Option<usize>,
        depth: usize,
    ) {
        let blank = token.as_ref().map(|t| t.span.clone());
        self.snapshot(
            At::Value {
                key,
                token,
                needs_space,
                in_text,
            },
            depth,
            blank,
        );
    }

    /// Records the cursor's context with the first `depth` frames as its path.
    fn snapshot(&mut self, at: At, depth: usize, blank: Option<Range<usize>>) {
        let frames = &self.frames[..depth.min(self.frames.len())];
        let Some(r_index) = frames
            .iter()
            .position(|f| f.key.as_deref().is_some_and(|k| ROOTS.contains(&k)))
        else {
            return;
        };
        if frames[..r_index].iter().any(|f| f.key.is_some()) {
            return;
        }
        let r_depth = r_index + 1;
        let Some(resource) = frames.get(r_depth) else {
            return;
        };
        let Some(name) = resource.key.clone() else {
            return;
        };
        let style = if self.json {
            Style::Json
        } else if frames.last().is_some_and(Frame::is_flow) {
            Style::Flow
        } else {
            Style::Block
        };
        let how = match (&at, style) {
            (
                At::Key {
                    colon_follows: true,
                    ..
                },
                _,
            ) => Blank::Placeholder,
            (At::Key { .. }, _) => Blank::Spaces,
            (At::Value { .. }, Style::Json) => Blank::EmptyString,
            (At::Value { .. }, _) => Blank::Spaces,
        };
        let blank = match (&at, style, blank) {
            // A half-typed block key is dropped with its whole line.
            (
                At::Key {
                    colon_follows: false,
                    ..
                },
                Style::Block,
                Some(r),
            ) => {
                let line = self.rope.byte_to_line(r.start);
                let end = self.rope.line_to_byte(line + 1).min(self.rope.len_bytes());
                let end = if self.rope.get_byte(end.saturating_sub(1)) == Some(b'\n') {
                    end - 1
                } else {
                    end
                };
                Some((r.start..end.max(r.start), how))
            }
            (_, _, r) => r.map(|r| (r, how)),
        };
        let token_start = match &at {
            At::Key { token, .. } | At::Value { token, .. } => {
                token.as_ref().map_or(self.offset, |t| t.span.start)
            }
        };
        let line_indent = line_indent(self.rope, token_start);
        let r_line = self.rope.byte_to_line(resource.key_start);
        let r_indent = self
            .rope
            .line(r_line)
            .chars()
            .take_while(|c| matches!(c, ' ' | '\t'))
            .count();
        self.snap = Some(Snapshot {
            cursor: Cursor {
                path: frames[r_index..].iter().map(|f| f.key.clone()).collect(),
                at,
                style,
                line_indent,
            },
            r_depth,
            resource: name,
            resource_start: resource.key_start,
            r_indent,
            blank,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_support::{cursor, open};

    fn at(fixture: &str) -> Scan {
        let (text, offset) = cursor(fixture);
        let (doc, _) = open(&text);
        scan(&doc, offset).expect("a scan result")
    }

    fn path(scan: &Scan) -> Vec<&str> {
        scan.cursor
            .path
            .iter()
            .map(|k| k.as_deref().unwrap_or("-"))
            .collect()
    }

    #[test]
    fn half_typed_block_key_is_a_key_in_request_parameters() {
        let s = at("
Resources:
  Int:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: x
        Que$0
  Other:
    Type: AWS::SQS::Queue
");
        assert_eq!(
            path(&s),
            ["Resources", "Int", "Properties", "RequestParameters"]
        );
        assert!(matches!(
            s.cursor.at,
            At::Key {
                token: Some(_),
                colon_follows: false
            }
        ));
        assert_eq!(s.resource, "Int");
        assert!(s.resource_text.starts_with("Int:\n"), "{}", s.resource_text);
        assert!(!s.resource_text.contains("Que\n"), "{}", s.resource_text);
        assert!(!s.resource_text.contains("Other"), "{}", s.resource_text);
    }

    #[test]
    fn json_unclosed_key_walks_back_to_the_resource() {
        let s = at(r#"{"Resources": {
  "Int": {
    "Type": "AWS::ApiGatewayV2::Integration",
    "Properties": {
      "IntegrationSubtype": "SQS-SendMessage",
      "RequestParameters": {"QueueUrl": "x", "Me$0}
    }
  },
  "B": {"Type": "AWS::SQS::Queue"}
}}"#);
        assert_eq!(
            path(&s),
            ["Resources", "Int", "Properties", "RequestParameters"]
        );
        assert_eq!(s.cursor.style, Style::Json);
        assert!(
            s.resource_text.starts_with("\"Int\""),
            "{}",
            s.resource_text
        );
        assert!(!s.resource_text.contains("\"B\""), "{}", s.resource_text);
    }

    #[test]
    fn flow_value_and_recovery_closers() {
        let s = at("
Resources:
  Int:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      RequestParameters: {QueueUrl: x, MessageBody: $request.he$0
      IntegrationSubtype: SQS-SendMessage
");
        assert_eq!(
            path(&s),
            ["Resources", "Int", "Properties", "RequestParameters"]
        );
        assert_eq!(s.cursor.style, Style::Flow);
        let At::Value { key, token, .. } = &s.cursor.at else {
            panic!("not a value: {:?}", s.cursor.at)
        };
        assert_eq!(key.as_deref(), Some("MessageBody"));
        assert!(token.is_some());
        assert!(
            s.resource_text.contains("\n       }\n"),
            "{:?}",
            s.resource_text
        );
    }

    #[test]
    fn fallbacks_find_the_resource_when_its_entry_is_gone() {
        // YAML: the resource's segment does not parse, so it has no entry.
        let (text, offset) = cursor(
            "
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Int:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      RequestParameters:
        QueueUrl: x
        Que$0
",
        );
        let (doc, _) = open(&text);
        assert!(fast_anchor(&doc, offset, false).is_none());
        let anchor = yaml_fallback(&doc, offset).expect("found by indentation");
        assert_eq!(&text[anchor.start..anchor.start + 6], "  Int:");
        // JSON: the unclosed string breaks the tree around it.
        let (text, offset) = cursor(
            r#"{
  "Resources": {
    "Int": {
      "Type": "AWS::ApiGatewayV2::Integration",
      "Properties": {"RequestParameters": {"Que$0
    }}}
  }
}"#,
        );
        let (doc, _) = open(&text);
        let anchor = json_fallback(&doc, offset).expect("found by brackets");
        assert!(
            text[anchor.start..].starts_with("\"Int\"")
                || text[anchor.start..].starts_with("\"Resources\"")
        );
        assert!(scan(&doc, offset).is_some());
    }

    #[test]
    fn work_is_bounded_by_the_resource() {
        let mut text = String::from("Resources:\n");
        for i in 0..3000 {
            text.push_str(&format!("  Q{i}:\n    Type: AWS::SQS::Queue\n"));
        }
        text.push_str("  Int:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      RequestParameters:\n        QueueUrl: x\n        Que");
        let offset = text.len();
        text.push_str("\n  Last:\n    Type: AWS::SQS::Queue\n");
        let (doc, _) = open(&text);
        let s = scan(&doc, offset).expect("scan");
        assert!(s.resource_text.starts_with("Int:") && !s.resource_text.contains("Last"));
    }

    #[test]
    fn unbalanced_json_resource_ends_at_the_next_resource_key() {
        let text = r#"{
  "Resources": {
    "Int": {
      "Type": "AWS::ApiGatewayV2::Integration",
      "Properties": {
        "RequestParameters": {"QueueUrl": "é", "Mess
      }
    },
    "Route": {"Type": "AWS::ApiGatewayV2::Route"},
    "Other": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "x"}}
  }
}"#;
        let (doc, _) = open(text);
        let off = text
            .find("\"Type\": \"AWS::ApiGatewayV2::Integration")
            .expect("type")
            + 1;
        let s = scan(&doc, off).expect("scan");
        assert_eq!(s.resource, "Int");
        assert!(!s.resource_text.contains("Route"), "{}", s.resource_text);
    }
}
