//! Where a JSON document is cut into segments.
//!
//! Like YAML (see [`super::split`]), a JSON document is cut at its top-level members and
//! at the members of the big sections (`Resources`, `paths`, ... the same
//! [`SPLIT_SECTIONS`]), and each piece is parsed on its own, as `{` member `}`: a
//! keystroke reparses one member, not the whole document with its thousands of
//! `Resources`.
//!
//! JSON is cut by its structure, not by its lines. [`scan_segment`] reads the text from
//! the start of a segment with the little state the segment before leaves
//! ([`Context`]: the document's start, its top-level members, a section's members, or
//! what follows the document's closing brace), finds where the member ends and where
//! the next one starts, and checks the text between members itself (commas, and the
//! closing braces of a section and of the document): a missing or extra comma is
//! reported where it is, and the members around it are read all the same. The
//! split is therefore a pure function of the text, and an edit re-runs it only from the
//! segment it touched until the boundaries agree with the old ones again.
//!
//! A member whose braces do not close (a `}` not typed yet, or deleted) would swallow
//! every member after it. In an indented document, a line that starts with a key at or
//! left of the open member's key ends that member instead: the member reports its
//! missing `}` and the members after it keep their meaning. A document counts as
//! indented where it shows it: the member's own first line below its key is indented
//! deeper than the key, or the first member of its level (the top level, or the
//! section) that showed its indentation did so. A key at or left of a section's own
//! key ends the section the same way. Text that nests correctly is never cut unless its
//! indentation contradicts its nesting.

use std::ops::Range;
use std::sync::Arc;

use ropey::Rope;

use super::split::SPLIT_SECTIONS;

/// What a JSON segment holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonRole {
    /// The document's opening brace and what precedes its first member.
    Prelude,
    /// The whole text, when it is not one object (an array, a scalar, nothing): parsed
    /// as it is.
    Whole,
    /// A member of the document's top level or of a split section (`level`); `splits`
    /// for a split section's header (its key and opening brace only: its members are
    /// segments of their own).
    Member { level: Level, splits: bool },
    /// Text after the document's closing brace.
    Trailer,
}

/// The members' level a member is read at, and what the members before it at that
/// level showed of the document's indentation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Level {
    /// The split section (`None` at the document's top level).
    pub section: Option<Arc<str>>,
    /// For a section whose members are indented deeper than its key: that key's
    /// column. A line-leading key at or left of it ends the section.
    pub recover: Option<u32>,
    /// Whether this level's members are indented deeper than their keys, as the first
    /// member that showed it did (a line-leading key with a nested value that has a
    /// line below the key); unknown before.
    pub indented: Option<bool>,
    /// In a section: the same for the top level, for the members after the section.
    pub outer: Option<bool>,
}

impl Level {
    /// The top level again, after this section.
    fn close(self) -> Level {
        Level {
            indented: self.outer,
            ..Level::default()
        }
    }
}

impl JsonRole {
    /// The state a scan of a segment with this role starts from.
    pub fn context(&self) -> Context {
        match self {
            JsonRole::Prelude | JsonRole::Whole => Context::Start,
            JsonRole::Member { level, .. } => Context::Members(level.clone()),
            JsonRole::Trailer => Context::After,
        }
    }
}

/// Where a segment starts, as the text before it leaves the scanner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Context {
    /// The start of the document.
    Start,
    /// At a member of this level.
    Members(Level),
    /// After the document's closing brace.
    After,
}

/// What [`scan_segment`] found in one segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentScan {
    pub role: JsonRole,
    /// Where the next segment starts (the end of the text when none does).
    pub end: usize,
    /// The state the next segment starts from.
    pub next: Context,
    /// The text to parse: a member (from its key to the end of its value; for a split
    /// section's header, to its opening brace), or for [`JsonRole::Whole`] and
    /// [`JsonRole::Trailer`] all of the segment.
    pub parse: Option<Range<usize>>,
    /// Errors in the text between members (absolute ranges).
    pub errors: Vec<(Range<usize>, String)>,
}

const MISSING_COMMA: &str = "syntax error: missing `,` between members";
const EXTRA_COMMA: &str = "syntax error: unexpected `,` (remove it)";
const TRAILING_COMMA: &str =
    "syntax error: a `,` before a closing brace (JSON allows no trailing comma)";
const BRACKET_CLOSES_OBJECT: &str = "syntax error: `]` cannot close an object: use `}`";
const MISSING_BRACE: &str = "syntax error: missing `}` at the end of the document";
const UNCLOSED_SECTION: &str =
    "syntax error: missing `}`: this section is not closed before the key that follows";

/// Reads one segment: `start` must be a segment start (0, or where a scan of the
/// segment before said the next one starts) and `cx` the state that scan left.
pub fn scan_segment(rope: &Rope, start: usize, cx: &Context) -> SegmentScan {
    let scan = Scan::new(rope, start);
    match cx {
        Context::Start => scan.document(),
        Context::Members(level) => scan.member(level.clone()),
        Context::After => SegmentScan {
            role: JsonRole::Trailer,
            end: rope.len_bytes(),
            next: Context::After,
            parse: Some(start.min(rope.len_bytes())..rope.len_bytes()),
            errors: Vec::new(),
        },
    }
}

/// Bytes JSON (and tree-sitter-json) skip between tokens, other than newlines.
fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | 0x0b | 0x0c)
}

/// Bytes that end a bare token (a number, `true`, or something mistyped).
fn ends_bare(b: u8) -> bool {
    is_blank(b)
        || matches!(
            b,
            b'\n' | b',' | b':' | b'{' | b'}' | b'[' | b']' | b'"' | b'/'
        )
}

/// A forward reader over the rope's bytes that knows where lines start.
struct Cursor<'a> {
    rope: &'a Rope,
    chunks: ropey::iter::Chunks<'a>,
    chunk: &'a [u8],
    at: usize,
    pos: usize,
    /// Where the current line starts.
    line_start: usize,
    /// Whether only blanks precede `pos` on its line.
    head: bool,
}

impl<'a> Cursor<'a> {
    fn new(rope: &'a Rope, pos: usize) -> Self {
        let len = rope.len_bytes();
        let pos = pos.min(len);
        let (mut chunks, chunk_start, _, _) = rope.chunks_at_byte(pos);
        let (chunk, at) = match chunks.next() {
            Some(chunk) if pos < len => (chunk.as_bytes(), pos - chunk_start),
            _ => (&[][..], 0),
        };
        let line_start = rope.line_to_byte(rope.byte_to_line(pos));
        // Only blanks between the line's start and `pos`? Read backwards: at most the
        // indentation, or one byte in minified text.
        let mut head = true;
        let mut back = rope.bytes_at(pos);
        while let Some(b) = back.prev() {
            if b == b'\n' {
                break;
            }
            if !is_blank(b) {
                head = false;
                break;
            }
        }
        Cursor {
            rope,
            chunks,
            chunk,
            at,
            pos,
            line_start,
            head,
        }
    }

    fn peek(&mut self) -> Option<u8> {
        while self.at >= self.chunk.len() {
            self.chunk = self.chunks.next()?.as_bytes();
            self.at = 0;
        }
        Some(self.chunk[self.at])
    }

    /// The byte after the next one.
    fn peek2(&mut self) -> Option<u8> {
        self.peek()?;
        match self.chunk.get(self.at + 1) {
            Some(&b) => Some(b),
            None => self
                .chunks
                .clone()
                .find(|c| !c.is_empty())
                .map(|c| c.as_bytes()[0]),
        }
    }

    fn bump(&mut self) {
        let Some(b) = self.peek() else { return };
        self.at += 1;
        self.pos += 1;
        if b == b'\n' {
            self.line_start = self.pos;
            self.head = true;
        } else if !is_blank(b) {
            self.head = false;
        }
    }

    /// Moves past the bytes of the current chunk before the first one `stop` accepts
    /// (at most to the chunk's end), none of them a newline; returns them.
    fn run(&mut self, stop: impl Fn(u8) -> bool) -> &'a [u8] {
        if self.peek().is_none() {
            return &[];
        }
        let rest = &self.chunk[self.at..];
        let n = rest.iter().position(|&b| stop(b)).unwrap_or(rest.len());
        let run = &rest[..n];
        if run.iter().any(|&b| !is_blank(b)) {
            self.head = false;
        }
        self.at += n;
        self.pos += n;
        run
    }

    fn column(&self) -> u32 {
        u32::try_from(self.pos - self.line_start).unwrap_or(u32::MAX)
    }

    fn len(&self) -> usize {
        self.rope.len_bytes()
    }
}

/// How a member's nested value ended.
enum Nested {
    /// Its brackets closed.
    Closed,
    /// A line starting at `pos` with a key at or left of the member's key: the member
    /// ends before it.
    Cut,
    /// The text ended first.
    Eof,
}

/// Where a run of the text between members stopped.
struct GlueStop {
    /// Where the next segment starts (the end of the text when none does).
    end: usize,
    next: Context,
    /// Whether `end` is the first non-blank of its line, and its column.
    head: bool,
    column: u32,
}

struct Scan<'a> {
    cur: Cursor<'a>,
    errors: Vec<(Range<usize>, String)>,
    /// The end of the last value, key or brace read (not comments): where a missing
    /// comma or brace is reported.
    mark: usize,
}

impl<'a> Scan<'a> {
    fn new(rope: &'a Rope, start: usize) -> Self {
        let cur = Cursor::new(rope, start);
        let mark = cur.pos;
        Scan {
            cur,
            errors: Vec::new(),
            mark,
        }
    }

    /// Where a segment starting at the cursor starts: at its line's start when only
    /// blanks precede it there (so the segment's own text says whether its first key
    /// leads its line), else at the cursor.
    fn boundary(&self) -> usize {
        if self.cur.head {
            self.cur.line_start
        } else {
            self.cur.pos
        }
    }

    fn error(&mut self, range: Range<usize>, message: &str) {
        self.errors.push((range, message.to_string()));
    }

    /// Skips blanks, newlines and comments.
    fn trivia(&mut self) {
        while let Some(b) = self.cur.peek() {
            match b {
                b'\n' => self.cur.bump(),
                b if is_blank(b) => {
                    self.cur.run(|b| !is_blank(b));
                }
                b'/' => match self.cur.peek2() {
                    Some(b'/') => {
                        while self.cur.peek().is_some_and(|b| b != b'\n') {
                            self.cur.run(|b| b == b'\n');
                        }
                    }
                    Some(b'*') => {
                        self.cur.bump();
                        self.cur.bump();
                        let mut star = false;
                        while let Some(b) = self.cur.peek() {
                            self.cur.bump();
                            if star && b == b'/' {
                                break;
                            }
                            star = b == b'*';
                        }
                    }
                    _ => return,
                },
                _ => return,
            }
        }
    }

    /// Reads a string from its opening quote; a string ends at its closing quote, or
    /// unterminated at the end of its line. With `keep`, collects its first bytes (for
    /// keys).
    fn string(&mut self, mut keep: Option<&mut Vec<u8>>) {
        const KEPT: usize = 64;
        self.cur.bump();
        loop {
            let run = self.cur.run(|b| matches!(b, b'"' | b'\\' | b'\n'));
            if let Some(text) = keep.as_deref_mut() {
                text.extend_from_slice(&run[..run.len().min(KEPT.saturating_sub(text.len()))]);
            }
            match self.cur.peek() {
                None | Some(b'\n') => break,
                Some(b'"') => {
                    self.cur.bump();
                    break;
                }
                Some(b'\\') => {
                    self.cur.bump();
                    match self.cur.peek() {
                        Some(b'\n') | None => break,
                        Some(next) => {
                            if let Some(text) = keep.as_deref_mut()
                                && text.len() + 2 <= KEPT
                            {
                                text.extend_from_slice(&[b'\\', next]);
                            }
                            self.cur.bump();
                        }
                    }
                }
                // The end of a chunk: go on in the next.
                Some(_) => {}
            }
        }
        self.mark = self.cur.pos;
    }

    /// Reads a bare token (at least one byte).
    fn bare(&mut self) {
        self.cur.bump();
        while self.cur.peek().is_some_and(|b| !ends_bare(b)) {
            self.cur.bump();
        }
        self.mark = self.cur.pos;
    }

    /// Skips a nested value from its opening bracket. With `key` (the column and line
    /// start of a member's line-leading key), a later line that starts with a string at
    /// or left of that column cuts the member there, when the member's first line below
    /// its key was indented deeper than the key or `indented` says the level's members
    /// are. `deeper` gets what the member's first line below its key showed.
    fn nested(
        &mut self,
        key: Option<(u32, usize)>,
        indented: Option<bool>,
        deeper: &mut Option<bool>,
    ) -> Nested {
        let mut depth = 1usize;
        self.cur.bump();
        self.mark = self.cur.pos;
        loop {
            self.trivia();
            let Some(b) = self.cur.peek() else {
                return Nested::Eof;
            };
            if let Some((key_column, key_line)) = key
                && self.cur.head
                && self.cur.line_start != key_line
            {
                let column = self.cur.column();
                let shown = deeper.or(indented);
                if deeper.is_none() {
                    *deeper = Some(column > key_column);
                }
                if shown == Some(true) && b == b'"' && column <= key_column {
                    return Nested::Cut;
                }
            }
            match b {
                b'"' => self.string(None),
                b'{' | b'[' => {
                    depth += 1;
                    self.cur.bump();
                }
                b'}' | b']' => {
                    depth -= 1;
                    self.cur.bump();
                    if depth == 0 {
                        self.mark = self.cur.pos;
                        return Nested::Closed;
                    }
                }
                _ => self.cur.bump(),
            }
            self.mark = self.cur.pos;
        }
    }

    fn finish(self, role: JsonRole, stop: GlueStop, parse: Option<Range<usize>>) -> SegmentScan {
        SegmentScan {
            role,
            end: stop.end,
            next: stop.next,
            parse,
            errors: self.errors,
        }
    }

    /// The document's start: a byte order mark, comments, and the opening brace (or
    /// the whole text when it is not an object).
    fn document(mut self) -> SegmentScan {
        let len = self.cur.len();
        if self.cur.pos == 0 && self.cur.rope.bytes().take(3).eq("\u{feff}".bytes()) {
            for _ in 0..3 {
                self.cur.bump();
            }
        }
        self.trivia();
        if self.cur.peek() != Some(b'{') {
            return SegmentScan {
                role: JsonRole::Whole,
                end: len,
                next: Context::After,
                parse: Some(0..len),
                errors: Vec::new(),
            };
        }
        self.cur.bump();
        self.mark = self.cur.pos;
        let stop = self.glue(Level::default(), false);
        self.finish(JsonRole::Prelude, stop, None)
    }

    /// One member (at a top-level or section member's start) and the text after it.
    fn member(mut self, level: Level) -> SegmentScan {
        // The segment may start with the indentation of its key.
        while self.cur.peek().is_some_and(is_blank) {
            self.cur.bump();
        }
        let start = self.cur.pos;
        let key = self
            .cur
            .head
            .then(|| (self.cur.column(), self.cur.line_start));
        let mut key_text = None;
        match self.cur.peek() {
            Some(b'"') => {
                let mut text = Vec::new();
                self.string(level.section.is_none().then_some(&mut text));
                key_text = Some(text);
            }
            Some(b'{' | b'[') | None => {}
            Some(_) => self.bare(),
        }
        let key_end = self.mark;
        // `:` and the value; a missing one is the parser's to report.
        self.trivia();
        let has_value = match self.cur.peek() {
            Some(b':') => {
                self.cur.bump();
                self.mark = self.cur.pos;
                self.trivia();
                !matches!(self.cur.peek(), None | Some(b',' | b'}' | b']'))
            }
            None | Some(b',' | b'}' | b']') => false,
            Some(_) => true,
        };
        let value_start = self.mark;
        let section = if level.section.is_none() && has_value && self.cur.peek() == Some(b'{') {
            key_text.as_deref().and_then(section_name)
        } else {
            None
        };
        if let Some(name) = section {
            self.cur.bump();
            self.mark = self.cur.pos;
            let parse = start..self.cur.pos;
            let inner = Level {
                section: Some(Arc::from(name)),
                recover: None,
                indented: None,
                outer: level.indented,
            };
            let mut stop = self.glue(inner, false);
            // The first member decides whether the section is indented.
            if let Context::Members(next) = &mut stop.next
                && next.section.is_some()
                && let Some((column, _)) = key
                && stop.head
            {
                let deeper = stop.column > column;
                next.recover = deeper.then_some(column);
                next.outer = next.outer.or(Some(deeper));
            }
            let role = JsonRole::Member {
                level,
                splits: true,
            };
            return self.finish(role, stop, Some(parse));
        }
        let role = JsonRole::Member {
            level: level.clone(),
            splits: false,
        };
        if !has_value {
            let end = key_end.max(value_start).max(start + 1);
            let stop = self.glue(level, true);
            return self.finish(role, stop, Some(start..end));
        }
        let mut level = level;
        match self.cur.peek() {
            Some(b'{' | b'[') => {
                let mut deeper = None;
                let nested = self.nested(key, level.indented, &mut deeper);
                if key.is_some() {
                    level.indented = level.indented.or(deeper);
                }
                if let Nested::Cut = nested {
                    // Unclosed: the member ends with its last text before this line.
                    let parse = start..self.mark;
                    let stop = self.cut(level);
                    return self.finish(role, stop, Some(parse));
                }
            }
            Some(b'"') => self.string(None),
            _ => self.bare(),
        }
        let parse = start..self.mark;
        let stop = self.glue(level, true);
        self.finish(role, stop, Some(parse))
    }

    /// A member was cut at the line-leading key under the cursor: the next member starts
    /// there, unless that key also ends the section.
    fn cut(&mut self, level: Level) -> GlueStop {
        let end = self.boundary();
        let column = self.cur.column();
        let next = match level.recover {
            Some(recover) if column <= recover => {
                let at = self.mark;
                self.error(at..at, UNCLOSED_SECTION);
                level.close()
            }
            _ => level,
        };
        GlueStop {
            end,
            next: Context::Members(next),
            head: true,
            column,
        }
    }

    /// The text between members: commas, and the closing braces of a section and of
    /// the document, up to the next member (or the trailer, or the end). `after_value`:
    /// a member was just read (so a comma is due before the next), not an opening
    /// brace or a comma.
    fn glue(&mut self, level: Level, after_value: bool) -> GlueStop {
        let mut level = level;
        let mut after_value = after_value;
        let mut comma: Option<usize> = None;
        let mut open = true;
        loop {
            self.trivia();
            let head = self.cur.head;
            let column = self.cur.column();
            let pos = self.cur.pos;
            let Some(b) = self.cur.peek() else {
                if open {
                    self.error(pos..pos, MISSING_BRACE);
                }
                return GlueStop {
                    end: pos,
                    next: Context::After,
                    head,
                    column,
                };
            };
            if !open {
                return GlueStop {
                    end: self.boundary(),
                    next: Context::After,
                    head,
                    column,
                };
            }
            match b {
                b',' => {
                    if after_value {
                        after_value = false;
                        comma = Some(pos);
                    } else {
                        self.error(pos..pos + 1, EXTRA_COMMA);
                    }
                    self.cur.bump();
                }
                b'}' | b']' => {
                    if let Some(at) = comma.take() {
                        self.error(at..at + 1, TRAILING_COMMA);
                    }
                    if b == b']' {
                        self.error(pos..pos + 1, BRACKET_CLOSES_OBJECT);
                    }
                    self.cur.bump();
                    self.mark = self.cur.pos;
                    if level.section.is_some() {
                        level = level.close();
                    } else {
                        open = false;
                    }
                    after_value = true;
                }
                _ => {
                    if level.section.is_some()
                        && head
                        && b == b'"'
                        && level.recover.is_some_and(|r| column <= r)
                    {
                        let at = self.mark;
                        self.error(at..at, UNCLOSED_SECTION);
                        return GlueStop {
                            end: self.boundary(),
                            next: Context::Members(level.close()),
                            head,
                            column,
                        };
                    }
                    if after_value {
                        let at = self.mark;
                        self.error(at..at, MISSING_COMMA);
                    }
                    return GlueStop {
                        end: self.boundary(),
                        next: Context::Members(level),
                        head,
                        column,
                    };
                }
            }
        }
    }
}

/// The split section a key names (its text between the quotes, unescaped only when it
/// has no escapes: a section name needs none).
fn section_name(raw: &[u8]) -> Option<&'static str> {
    let text = std::str::from_utf8(raw).ok()?;
    SPLIT_SECTIONS.iter().copied().find(|s| *s == text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A segment's start, role, parse range and error messages.
    type Seen = (usize, JsonRole, Option<Range<usize>>, Vec<String>);

    /// Every segment of `text`.
    fn segments(text: &str) -> Vec<Seen> {
        let rope = Rope::from_str(text);
        let mut out = Vec::new();
        let mut at = 0;
        let mut cx = Context::Start;
        loop {
            let scan = scan_segment(&rope, at, &cx);
            assert!(
                scan.end > at || scan.end == text.len(),
                "no progress at {at}"
            );
            out.push((
                at,
                scan.role.clone(),
                scan.parse.clone(),
                scan.errors
                    .iter()
                    .map(|(r, m)| format!("{r:?} {m}"))
                    .collect(),
            ));
            if scan.end >= text.len() {
                break;
            }
            at = scan.end;
            cx = scan.next;
        }
        out
    }

    fn texts(text: &str) -> Vec<String> {
        segments(text)
            .into_iter()
            .map(|(_, role, parse, errors)| {
                let parsed = parse.map(|p| &text[p]).unwrap_or("-");
                let role = match role {
                    JsonRole::Prelude => "prelude".to_string(),
                    JsonRole::Whole => "whole".to_string(),
                    JsonRole::Member { level, splits } => format!(
                        "{}{}{}{}",
                        level.section.as_deref().unwrap_or("top"),
                        if splits { "*" } else { "" },
                        level.recover.map(|c| format!("<{c}")).unwrap_or_default(),
                        match level.indented {
                            Some(true) => "+",
                            Some(false) => "-",
                            None => "",
                        },
                    ),
                    JsonRole::Trailer => "trailer".to_string(),
                };
                format!("{role} {parsed} {errors:?}")
            })
            .collect()
    }

    #[test]
    fn cuts_top_level_members_and_section_members() {
        let text = "{\"A\": 1, \"Resources\": {\"Q\": {\"Type\": \"x\"}, \"R\": [1, {\"}\": 2}]}, \"Outputs\": {}}\n";
        assert_eq!(
            texts(text),
            vec![
                "prelude - []",
                "top \"A\": 1 []",
                "top* \"Resources\": { []",
                "Resources \"Q\": {\"Type\": \"x\"} []",
                "Resources \"R\": [1, {\"}\": 2}] []",
                "top* \"Outputs\": { []",
            ]
        );
    }

    #[test]
    fn an_object_that_is_not_a_section_stays_whole() {
        let text = "{\"Metadata\": {\"A\": {\"B\": 1}}, \"Resources\": []}";
        assert_eq!(
            texts(text),
            vec![
                "prelude - []",
                "top \"Metadata\": {\"A\": {\"B\": 1}} []",
                "top \"Resources\": [] []",
            ]
        );
    }

    #[test]
    fn not_an_object_is_one_segment() {
        assert_eq!(texts("[1, 2]"), vec!["whole [1, 2] []"]);
        assert_eq!(texts("  // c\n"), vec!["whole   // c\n []"]);
        assert_eq!(texts(""), vec!["whole  []"]);
    }

    #[test]
    fn commas_and_braces_between_members_are_checked() {
        let text = "{\"A\": 1 \"B\": 2,, \"C\": 3,}";
        assert_eq!(
            texts(text),
            vec![
                "prelude - []",
                "top \"A\": 1 [\"7..7 syntax error: missing `,` between members\"]",
                "top \"B\": 2 [\"15..16 syntax error: unexpected `,` (remove it)\"]",
                "top \"C\": 3 [\"23..24 syntax error: a `,` before a closing brace (JSON allows no trailing comma)\"]",
            ]
        );
        let unclosed = "{\"Resources\": {\"A\": 1";
        assert_eq!(
            texts(unclosed),
            vec![
                "prelude - []",
                "top* \"Resources\": { []",
                "Resources \"A\": 1 [\"21..21 syntax error: missing `}` at the end of the document\"]",
            ]
        );
        assert_eq!(texts("{} x"), vec!["prelude - []", "trailer x []"]);
    }

    #[test]
    fn an_unclosed_member_ends_at_the_next_key_of_its_indentation() {
        let text = "{\n  \"Resources\": {\n    \"A\": {\n      \"Type\": \"x\",\n      \"Properties\": {\n        \"Q\": 1\n      }\n    ,\n    \"B\": {\n      \"Type\": \"y\"\n    }\n  }\n}\n";
        let got = texts(text);
        assert_eq!(got.len(), 4, "{got:#?}");
        assert!(got[2].starts_with("Resources<2 \"A\": {"), "{got:#?}");
        assert!(got[2].ends_with("      }\n    , []"), "{got:#?}");
        assert_eq!(
            got[3],
            "Resources<2+ \"B\": {\n      \"Type\": \"y\"\n    } []"
        );
    }

    #[test]
    fn nesting_wins_over_odd_indentation() {
        // Valid JSON whose nested keys sit at their parent's column: no cut.
        let text = "{\n  \"Resources\": {\n    \"A\": {\n    \"Type\": \"x\"\n    },\n    \"B\": 1\n  }\n}\n";
        let got = texts(text);
        assert_eq!(got.len(), 4, "{got:#?}");
        assert_eq!(
            got[2],
            "Resources<2 \"A\": {\n    \"Type\": \"x\"\n    } []"
        );
    }

    #[test]
    fn an_unclosed_section_ends_at_the_next_top_level_key() {
        let text = "{\n  \"Resources\": {\n    \"A\": 1,\n    \"B\": 2\n  ,\n  \"Outputs\": {\n    \"O\": 1\n  }\n}\n";
        let got = texts(text);
        assert_eq!(got.len(), 6, "{got:#?}");
        assert!(
            got[3].contains("missing `}`: this section is not closed"),
            "{got:#?}"
        );
        assert!(got[4].starts_with("top*+ \"Outputs\""), "{got:#?}");
        assert!(got[5].starts_with("Outputs<2 \"O\": 1"), "{got:#?}");
    }

    #[test]
    fn comments_strings_and_escapes_do_not_cut() {
        let text = "// head\n{ /* { */ \"Resources\": { // }\n \"A\": \"}\\\" ,\", \"B\": {\"x\": \"{\"}\n }\n}";
        let got = texts(text);
        assert_eq!(
            got,
            vec![
                "prelude - []",
                "top* \"Resources\": { []",
                "Resources \"A\": \"}\\\" ,\" []",
                "Resources \"B\": {\"x\": \"{\"} []",
            ]
        );
    }

    #[test]
    fn a_byte_order_mark_is_not_text() {
        let got = texts("\u{feff}{\"A\": 1}");
        assert_eq!(got, vec!["prelude - []", "top \"A\": 1 []"]);
    }

    #[test]
    fn garbage_makes_progress() {
        for text in [
            "{:",
            "{/",
            "{\"a\" \"b\" : : ,",
            "{{{",
            "{]]",
            "{\"Resources\": {/",
            "{\"a\": /x/}",
        ] {
            let segs = segments(text);
            assert!(!segs.is_empty(), "{text}");
        }
    }
}
