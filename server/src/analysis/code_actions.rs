//! Quick fixes, rebuilt from a diagnostic's code, range and fix data.

use std::ops::Range;

use super::features::CodeAction;
use crate::document::Document;
use crate::rules::Fix;

/// The quick fixes for a diagnostic with `code` at byte `range` carrying `fix`.
pub fn quick_fixes(
    _doc: &Document,
    _code: &str,
    _range: Range<usize>,
    _fix: &Fix,
) -> Vec<CodeAction> {
    Vec::new()
}
