//! Every conversion between byte offsets in a document and editor positions.
//!
//! Lines are split at `\n` only (a `\r\n` pair ends a line at its `\n`; the `\r` stays
//! part of the line's text but is never counted as a column an editor can address).
//! This matches tree-sitter's rows, so one line index serves the parser and the editor.
//! Columns are counted in the negotiated [`PositionEncoding`]. Positions past the end of
//! a line clamp to the line end, positions past the last line clamp to the end of the
//! text, and offsets inside a multi-byte character snap back to its first byte.

use ropey::Rope;

/// How the client counts columns. Negotiated once at `initialize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PositionEncoding {
    /// Columns count bytes of UTF-8.
    Utf8,
    /// Columns count UTF-16 code units (the LSP default).
    #[default]
    Utf16,
}

/// A zero-based line and column, with the column in some [`PositionEncoding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Position {
    pub line: u32,
    pub character: u32,
}

impl Position {
    pub const fn new(line: u32, character: u32) -> Self {
        Self { line, character }
    }
}

/// A half-open range of [`Position`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Range {
    pub start: Position,
    pub end: Position,
}

impl Range {
    pub const fn new(start: Position, end: Position) -> Self {
        Self { start, end }
    }
}

/// The byte length of line `line` without its line terminator (`\n` or `\r\n`).
fn line_content_len(rope: &Rope, line: usize) -> usize {
    let slice = rope.line(line);
    let mut len = slice.len_bytes();
    if len > 0 && slice.byte(len - 1) == b'\n' {
        len -= 1;
        if len > 0 && slice.byte(len - 1) == b'\r' {
            len -= 1;
        }
    }
    len
}

/// Snaps a byte offset back to the start of the character that contains it.
pub fn floor_char_boundary(rope: &Rope, offset: usize) -> usize {
    let offset = offset.min(rope.len_bytes());
    rope.char_to_byte(rope.byte_to_char(offset))
}

/// Converts a byte offset to a position. Offsets past the end clamp to the end.
pub fn offset_to_position(rope: &Rope, offset: usize, encoding: PositionEncoding) -> Position {
    let offset = floor_char_boundary(rope, offset);
    let line = rope.byte_to_line(offset);
    let line_start = rope.line_to_byte(line);
    let character = match encoding {
        PositionEncoding::Utf8 => offset - line_start,
        PositionEncoding::Utf16 => {
            let start_char = rope.byte_to_char(line_start);
            let end_char = rope.byte_to_char(offset);
            rope.char_to_utf16_cu(end_char) - rope.char_to_utf16_cu(start_char)
        }
    };
    Position::new(
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(character).unwrap_or(u32::MAX),
    )
}

/// Converts a position to a byte offset, clamping as the LSP specification asks.
pub fn position_to_offset(rope: &Rope, position: Position, encoding: PositionEncoding) -> usize {
    let line = position.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let line_start = rope.line_to_byte(line);
    let content_len = line_content_len(rope, line);
    let column = position.character as usize;
    let within = match encoding {
        PositionEncoding::Utf8 => column.min(content_len),
        PositionEncoding::Utf16 => {
            let start_char = rope.byte_to_char(line_start);
            let end_char = rope.byte_to_char(line_start + content_len);
            let start_cu = rope.char_to_utf16_cu(start_char);
            let end_cu = rope.char_to_utf16_cu(end_char);
            let target_cu = (start_cu + column).min(end_cu);
            // A column inside a surrogate pair maps to the start of that character.
            let target_char = rope.utf16_cu_to_char(target_cu);
            rope.char_to_byte(target_char) - line_start
        }
    };
    floor_char_boundary(rope, line_start + within)
}

/// Converts a byte range to a position range.
pub fn span_to_range(
    rope: &Rope,
    span: std::ops::Range<usize>,
    encoding: PositionEncoding,
) -> Range {
    Range::new(
        offset_to_position(rope, span.start, encoding),
        offset_to_position(rope, span.end.max(span.start), encoding),
    )
}

/// Converts a position range to a byte range (start never after end).
pub fn range_to_span(
    rope: &Rope,
    range: Range,
    encoding: PositionEncoding,
) -> std::ops::Range<usize> {
    let start = position_to_offset(rope, range.start, encoding);
    let end = position_to_offset(rope, range.end, encoding);
    start.min(end)..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip_all(text: &str, encoding: PositionEncoding) {
        let rope = Rope::from_str(text);
        for (offset, _) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            // The `\n` of a `\r\n` pair is not addressable: it maps to the line end.
            if offset > 0 && text[offset..].starts_with('\n') && text[..offset].ends_with('\r') {
                continue;
            }
            let pos = offset_to_position(&rope, offset, encoding);
            let back = position_to_offset(&rope, pos, encoding);
            assert_eq!(back, offset, "offset {offset} in {text:?}");
        }
    }

    #[test]
    fn ascii_positions() {
        let rope = Rope::from_str("ab\ncd\n");
        assert_eq!(
            offset_to_position(&rope, 4, PositionEncoding::Utf16),
            Position::new(1, 1)
        );
        assert_eq!(
            position_to_offset(&rope, Position::new(1, 1), PositionEncoding::Utf16),
            4
        );
        assert_eq!(
            offset_to_position(&rope, 6, PositionEncoding::Utf16),
            Position::new(2, 0)
        );
    }

    #[test]
    fn emoji_counts_two_utf16_units_and_four_bytes() {
        let text = "a: \"😀x\"\n";
        let rope = Rope::from_str(text);
        let x = text.find('x').unwrap_or(0);
        assert_eq!(
            offset_to_position(&rope, x, PositionEncoding::Utf16),
            Position::new(0, 6)
        );
        assert_eq!(
            offset_to_position(&rope, x, PositionEncoding::Utf8),
            Position::new(0, 8)
        );
        assert_eq!(
            position_to_offset(&rope, Position::new(0, 6), PositionEncoding::Utf16),
            x
        );
        assert_eq!(
            position_to_offset(&rope, Position::new(0, 8), PositionEncoding::Utf8),
            x
        );
        // Inside the surrogate pair: snaps to the emoji's start.
        assert_eq!(
            position_to_offset(&rope, Position::new(0, 5), PositionEncoding::Utf16),
            4
        );
        // Inside the UTF-8 sequence: snaps to the emoji's start.
        assert_eq!(
            position_to_offset(&rope, Position::new(0, 6), PositionEncoding::Utf8),
            4
        );
        roundtrip_all(text, PositionEncoding::Utf16);
        roundtrip_all(text, PositionEncoding::Utf8);
    }

    #[test]
    fn cjk_is_one_utf16_unit_three_bytes() {
        let text = "名前: 値\nnext: 1\n";
        let rope = Rope::from_str(text);
        let v = text.find('値').unwrap_or(0);
        assert_eq!(
            offset_to_position(&rope, v, PositionEncoding::Utf16),
            Position::new(0, 4)
        );
        assert_eq!(
            offset_to_position(&rope, v, PositionEncoding::Utf8),
            Position::new(0, 8)
        );
        roundtrip_all(text, PositionEncoding::Utf16);
        roundtrip_all(text, PositionEncoding::Utf8);
    }

    #[test]
    fn crlf_lines_and_clamping() {
        let text = "a: 1\r\nbb: 2\r\n";
        let rope = Rope::from_str(text);
        assert_eq!(
            offset_to_position(&rope, 6, PositionEncoding::Utf16),
            Position::new(1, 0)
        );
        // Past the end of line 0 clamps before the `\r\n`.
        assert_eq!(
            position_to_offset(&rope, Position::new(0, 99), PositionEncoding::Utf16),
            4
        );
        // Past the last line clamps to the end of the text.
        assert_eq!(
            position_to_offset(&rope, Position::new(99, 0), PositionEncoding::Utf16),
            text.len()
        );
        roundtrip_all(text, PositionEncoding::Utf16);
    }

    #[test]
    fn tabs_are_one_column() {
        let text = "\tkey:\tvalue\n";
        let rope = Rope::from_str(text);
        assert_eq!(
            offset_to_position(&rope, 6, PositionEncoding::Utf16),
            Position::new(0, 6)
        );
        roundtrip_all(text, PositionEncoding::Utf16);
    }

    #[test]
    fn offsets_past_the_end_clamp() {
        let rope = Rope::from_str("x\n😀");
        let end = rope.len_bytes();
        assert_eq!(
            offset_to_position(&rope, end + 10, PositionEncoding::Utf16),
            Position::new(1, 2)
        );
        assert_eq!(
            position_to_offset(&rope, Position::new(1, 99), PositionEncoding::Utf16),
            end
        );
        let empty = Rope::from_str("");
        assert_eq!(
            offset_to_position(&empty, 5, PositionEncoding::Utf8),
            Position::new(0, 0)
        );
        assert_eq!(
            position_to_offset(&empty, Position::new(3, 3), PositionEncoding::Utf8),
            0
        );
    }
}
