//! Where a Terraform document is cut into segments.
//!
//! Each top-level block (`resource`, `data`, `module`, `locals`, `variable`, `output`,
//! `provider`, `terraform`, any other) starts a segment, which runs to the next one, so a
//! keystroke reparses the one block it touches. A block starts at a line whose first
//! token is an identifier followed by labels (quoted strings or identifiers) and `{`,
//! outside any other block: the scanner follows brackets, strings with their `${...}`
//! and `%{...}` templates, comments (`#`, `//`, `/* */`) and heredocs (`<<EOF` to the
//! line holding only `EOF`), so none of them fools it. Text before the first block is a
//! segment of its own ([`TfRole::Prelude`]).
//!
//! A block whose braces do not close (a `}` not typed yet, or deleted) would swallow every
//! block after it. So inside a block, a block header at column 0 ends it, unless the block
//! has shown that its body is not indented (a line of its body other than a closing
//! bracket or a comment starts at column 0): the block reports its missing `}` and the
//! blocks after it keep their meaning. Inside a heredoc only a header at column 0 of a
//! `resource`, `data`, `module`, `variable`, `output` or `provider` block with a quoted
//! label ends it (heredocs often hold other configuration languages at column 0); inside
//! a `/* */` comment nothing does (commented-out blocks are common).
//!
//! The split is a pure function of the text: a segment's extent depends only on its own
//! text and on the line that starts the next one, so the document layer re-runs the
//! scanner from the segment before an edit until the cuts agree with the old ones again.

use ropey::Rope;

/// What a Terraform segment starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TfRole {
    /// The start of the document, when it is not a block header: comments, blank lines,
    /// stray text.
    Prelude,
    /// A block header.
    Block,
}

/// Block types whose header ends a heredoc left open (see the module documentation).
const HEREDOC_BREAKERS: &[&str] = &[
    "resource", "data", "module", "variable", "output", "provider",
];

/// A block header line as the scanner sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Header {
    /// The column of the block type (in bytes).
    column: usize,
    /// A type in [`HEREDOC_BREAKERS`] with at least one quoted label.
    breaks_heredoc: bool,
}

/// Whether `c` may start an HCL identifier.
fn ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

/// Whether `c` may continue an HCL identifier.
fn ident_continue(c: char) -> bool {
    c == '_' || c == '-' || c.is_alphanumeric()
}

/// Reads `line` as a block header: an identifier, labels, `{`.
fn header(line: &str) -> Option<Header> {
    let trimmed = line.trim_start_matches([' ', '\t']);
    let column = line.len() - trimmed.len();
    let mut chars = trimmed.char_indices().peekable();
    let (_, first) = chars.next()?;
    if !ident_start(first) {
        return None;
    }
    let mut kind_end = trimmed.len();
    while let Some(&(i, c)) = chars.peek() {
        if !ident_continue(c) {
            kind_end = i;
            break;
        }
        chars.next();
    }
    let kind = &trimmed[..kind_end];
    let mut quoted = false;
    loop {
        while chars.next_if(|&(_, c)| c == ' ' || c == '\t').is_some() {}
        let (_, c) = chars.next()?;
        match c {
            '{' => {
                return Some(Header {
                    column,
                    breaks_heredoc: quoted && HEREDOC_BREAKERS.contains(&kind),
                });
            }
            '"' => {
                quoted = true;
                loop {
                    match chars.next()?.1 {
                        '\\' => {
                            chars.next_if(|&(_, c)| c != '\n');
                        }
                        '"' => break,
                        '\n' => return None,
                        _ => {}
                    }
                }
            }
            c if ident_start(c) => while chars.next_if(|&(_, c)| ident_continue(c)).is_some() {},
            _ => return None,
        }
    }
}

/// A string or template open inside code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// A quoted string (`"..."`).
    Str,
    /// A `${...}` or `%{...}` inside a string, with its open brackets.
    Template(u32),
}

/// The scanner's state between lines of one segment.
#[derive(Debug, Default)]
struct Lexer {
    /// Open brackets outside strings.
    depth: u32,
    frames: Vec<Frame>,
    /// Inside a `/* */` comment.
    comment: bool,
    /// Inside a heredoc: its closing marker.
    heredoc: Option<String>,
    /// A line of the open block's body started at column 0.
    unindented: bool,
}

impl Lexer {
    /// At the top level, outside any block, string, comment or heredoc.
    fn fresh(&self) -> bool {
        self.depth == 0 && self.frames.is_empty() && !self.comment && self.heredoc.is_none()
    }

    /// Whether a header line ends the segment here.
    fn cuts_at(&self, header: Header) -> bool {
        if self.fresh() {
            true
        } else if self.comment {
            false
        } else if self.heredoc.is_some() {
            header.column == 0 && header.breaks_heredoc
        } else {
            header.column == 0 && !self.unindented
        }
    }

    /// Reads one line (with its line break), `is_header`: it reads as a block header.
    fn line(&mut self, line: &[u8], is_header: bool) {
        if let Some(marker) = &self.heredoc {
            let text = std::str::from_utf8(line).unwrap_or("");
            if text.trim() == marker {
                self.heredoc = None;
            }
            return;
        }
        let in_code = !self.comment && self.frames.last() != Some(&Frame::Str);
        let inside = self.depth > 0 || !self.frames.is_empty();
        if in_code
            && inside
            && !is_header
            && !matches!(
                line.first(),
                None | Some(b' ' | b'\t' | b'\r' | b'\n' | b'}' | b']' | b')' | b'#' | b'/')
            )
        {
            self.unindented = true;
        }
        let mut i = 0;
        while i < line.len() {
            if self.comment {
                match find(&line[i..], b"*/") {
                    Some(at) => {
                        self.comment = false;
                        i += at + 2;
                        continue;
                    }
                    None => return,
                }
            }
            let b = line[i];
            let next = line.get(i + 1).copied();
            if self.frames.last() == Some(&Frame::Str) {
                match b {
                    b'\\' => i += if next == Some(b'\n') { 1 } else { 2 },
                    // A string ends with its line, closed or not.
                    b'"' | b'\n' => {
                        self.frames.pop();
                        i += 1;
                    }
                    b'$' | b'%' if next == Some(b) && line.get(i + 2) == Some(&b'{') => i += 3,
                    b'$' | b'%' if next == Some(b'{') => {
                        self.frames.push(Frame::Template(0));
                        i += 2;
                    }
                    _ => i += 1,
                }
                continue;
            }
            match b {
                b'#' => return,
                b'/' if next == Some(b'/') => return,
                b'/' if next == Some(b'*') => {
                    self.comment = true;
                    i += 2;
                    continue;
                }
                b'"' => self.frames.push(Frame::Str),
                b'{' | b'[' | b'(' => match self.frames.last_mut() {
                    Some(Frame::Template(open)) => *open += 1,
                    _ => self.depth += 1,
                },
                b'}' | b']' | b')' => match self.frames.last_mut() {
                    Some(Frame::Template(0)) => {
                        if b == b'}' {
                            self.frames.pop();
                        }
                    }
                    Some(Frame::Template(open)) => *open -= 1,
                    _ => self.depth = self.depth.saturating_sub(1),
                },
                b'<' if next == Some(b'<') => {
                    if let Some(marker) = heredoc_marker(&line[i + 2..]) {
                        self.heredoc = Some(marker);
                        return;
                    }
                    i += 2;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
    }
}

/// The marker of a heredoc whose opener (`<<EOF` or `<<-EOF`) continues with `rest`.
fn heredoc_marker(rest: &[u8]) -> Option<String> {
    let rest = rest.strip_prefix(b"-").unwrap_or(rest);
    let len = rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
        .count();
    (len > 0).then(|| String::from_utf8_lossy(&rest[..len]).into_owned())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Copies one line of the rope into `buf`.
fn read_line(line: ropey::RopeSlice<'_>, buf: &mut Vec<u8>) {
    buf.clear();
    for chunk in line.chunks() {
        buf.extend_from_slice(chunk.as_bytes());
    }
}

/// The role of the segment starting at `start` (a line start): whether its first line
/// is a block header.
pub fn role_at(rope: &Rope, start: usize) -> TfRole {
    let Ok(line) = rope.try_byte_to_line(start) else {
        return TfRole::Prelude;
    };
    let text = std::borrow::Cow::<str>::from(rope.line(line));
    if header(&text).is_some() {
        TfRole::Block
    } else {
        TfRole::Prelude
    }
}

/// Where the segment that starts at `start` (0, or a line where a scan from the segment
/// before said the next one starts) ends: the start of the next segment, or the end of
/// the text.
pub fn segment_end(rope: &Rope, start: usize) -> usize {
    let len = rope.len_bytes();
    let Ok(first_line) = rope.try_byte_to_line(start.min(len)) else {
        return len;
    };
    let mut pos = rope.line_to_byte(first_line);
    let mut lexer = Lexer::default();
    let mut buf = Vec::new();
    for (n, line) in rope.lines_at(first_line).enumerate() {
        read_line(line, &mut buf);
        if buf.is_empty() {
            break;
        }
        let text = std::str::from_utf8(&buf).unwrap_or("");
        let head = header(text);
        if n > 0
            && let Some(h) = head
            && lexer.cuts_at(h)
        {
            return pos;
        }
        lexer.line(&buf, head.is_some());
        pos += buf.len();
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every segment of `text`: its role and text.
    fn segments(text: &str) -> Vec<(TfRole, &str)> {
        let rope = Rope::from_str(text);
        let mut out = Vec::new();
        let mut at = 0;
        loop {
            let end = segment_end(&rope, at).max((at + 1).min(text.len()));
            out.push((role_at(&rope, at), &text[at..end]));
            if end >= text.len() {
                return out;
            }
            at = end;
        }
    }

    fn texts(text: &str) -> Vec<&str> {
        segments(text).into_iter().map(|(_, t)| t).collect()
    }

    #[test]
    fn headers() {
        let h = |s: &str| header(s).map(|h| (h.column, h.breaks_heredoc));
        assert_eq!(h("resource \"a\" \"b\" {\n"), Some((0, true)));
        assert_eq!(h("locals {\n"), Some((0, false)));
        assert_eq!(h("locals{}"), Some((0, false)));
        assert_eq!(h("  dynamic \"x\" {"), Some((2, false)));
        assert_eq!(h("resource a b {"), Some((0, false)));
        assert_eq!(h("resource \"a\\\"{\" \"b\" {"), Some((0, true)));
        assert_eq!(h("tags = {"), None);
        assert_eq!(h("resource \"a\" \"b\""), None);
        assert_eq!(h("resource \"a {"), None);
        assert_eq!(h("# resource \"a\" {"), None);
        assert_eq!(h("}"), None);
        assert_eq!(h(""), None);
        assert_eq!(h("ñame \"x\" {"), Some((0, false)));
    }

    #[test]
    fn cuts_at_top_level_blocks() {
        let text = "# head\n\nterraform {\n  required_version = \">= 1\"\n}\n\nresource \"aws_sqs_queue\" \"q\" {\n  name = \"q\"\n  redrive {\n    x = 1\n  }\n}\n# about locals\nlocals {}\nmodule \"m\" { source = \"./m\" }\n";
        let got = segments(text);
        let roles: Vec<TfRole> = got.iter().map(|(r, _)| r.clone()).collect();
        assert_eq!(
            roles,
            [
                TfRole::Prelude,
                TfRole::Block,
                TfRole::Block,
                TfRole::Block,
                TfRole::Block
            ]
        );
        assert_eq!(got[0].1, "# head\n\n");
        assert_eq!(
            got[2].1,
            "resource \"aws_sqs_queue\" \"q\" {\n  name = \"q\"\n  redrive {\n    x = 1\n  }\n}\n# about locals\n"
        );
        assert_eq!(got[4].1, "module \"m\" { source = \"./m\" }\n");
    }

    #[test]
    fn comments_strings_and_heredocs_do_not_cut() {
        let text = concat!(
            "resource \"a\" \"b\" {\n",
            "  x = \"}\" # }\n",
            "  y = \"${lookup(m, \"}\")}\" // }\n",
            "  z = <<EOF\n",
            "server {\n",
            "}\n",
            "}\n",
            "EOF\n",
            "  /* } */\n",
            "}\n",
            "/*\n",
            "resource \"c\" \"d\" {\n",
            "}\n",
            "*/\n",
            "data \"e\" \"f\" {}\n",
        );
        let got = texts(text);
        assert_eq!(got.len(), 2, "{got:#?}");
        assert!(got[0].ends_with("*/\n"), "{got:#?}");
        assert_eq!(got[1], "data \"e\" \"f\" {}\n");
    }

    #[test]
    fn an_unclosed_block_ends_at_the_next_header_at_column_0() {
        let text =
            "resource \"a\" \"b\" {\n  x = {\n    y = 1\n\nresource \"c\" \"d\" {\n  z = 2\n}\n";
        let got = texts(text);
        assert_eq!(got.len(), 2, "{got:#?}");
        assert_eq!(got[1], "resource \"c\" \"d\" {\n  z = 2\n}\n");
        // Just typed: the header alone.
        let got = texts("resource \"a\" \"b\" {\nresource \"c\" \"d\" {\n}\n");
        assert_eq!(got.len(), 2, "{got:#?}");
        // An open string or template does not swallow the rest either.
        let got = texts("resource \"a\" \"b\" {\n  x = \"${foo\nresource \"c\" \"d\" {\n}\n");
        assert_eq!(got.len(), 2, "{got:#?}");
    }

    #[test]
    fn an_unindented_body_trusts_its_braces() {
        let text = "resource \"a\" \"b\" {\nname = 1\ntags {\nk = 1\n}\n}\nlocals {\n}\n";
        let got = texts(text);
        assert_eq!(got.len(), 2, "{got:#?}");
        assert_eq!(got[1], "locals {\n}\n");
    }

    #[test]
    fn an_unclosed_heredoc_ends_at_a_resource_header() {
        let text = "resource \"a\" \"b\" {\n  p = <<EOF\n{\n  \"a\": 1\n}\nhttp {\n}\nresource \"c\" \"d\" {\n}\n";
        let got = texts(text);
        assert_eq!(got.len(), 2, "{got:#?}");
        assert_eq!(got[1], "resource \"c\" \"d\" {\n}\n");
    }

    #[test]
    fn garbage_makes_progress() {
        for text in [
            "",
            "{",
            "}}}",
            "\"",
            "<<",
            "<<EOF",
            "/*",
            "a {\n\"${\n",
            "resource \"\\",
            "a\n{\nb {\n",
        ] {
            assert!(!segments(text).is_empty(), "{text:?}");
        }
    }
}
