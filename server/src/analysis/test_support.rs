//! Fixtures with a cursor marker for feature tests: `$0` marks the cursor.

use crate::document::Document;
use crate::model::index::Index;
use crate::rules::test_support::language_of;

/// The cursor marker.
pub const CURSOR: &str = "$0";

/// Removes the first `$0` from `fixture` (after a leading newline) and returns the text
/// and the cursor's byte offset.
pub fn cursor(fixture: &str) -> (String, usize) {
    let fixture = fixture.strip_prefix('\n').unwrap_or(fixture);
    let offset = fixture
        .find(CURSOR)
        .expect("fixture has a $0 cursor marker");
    let mut text = fixture.to_string();
    text.replace_range(offset..offset + CURSOR.len(), "");
    (text, offset)
}

/// A parsed document and its index for a fixture text (YAML unless it starts with `{`).
pub fn open(text: &str) -> (Document, Index) {
    let doc = Document::new(text, language_of(text), 0);
    let index = Index::of(&doc);
    (doc, index)
}

#[test]
fn cursor_marker_is_removed() {
    let (text, offset) = cursor("\na: $$0\n");
    assert_eq!(text, "a: $\n");
    assert_eq!(offset, 4);
}
