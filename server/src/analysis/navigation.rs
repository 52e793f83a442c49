//! Go to definition and find references.

use std::ops::Range;

use crate::document::Document;
use crate::model::template::TemplateIndex;

/// Where the thing at byte `offset` is defined (possibly several places).
pub fn definition(_doc: &Document, _index: &TemplateIndex, _offset: usize) -> Vec<Range<usize>> {
    Vec::new()
}

/// Where the thing at byte `offset` is used.
pub fn references(
    _doc: &Document,
    _index: &TemplateIndex,
    _offset: usize,
    _include_declaration: bool,
) -> Vec<Range<usize>> {
    Vec::new()
}
