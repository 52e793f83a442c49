//! Completion: subtype names, field values, request-parameter keys and mapping
//! expressions, from the cursor's context and the catalog.

use super::features::CompletionItem;
use crate::document::Document;
use crate::model::template::TemplateIndex;

/// Completion items at byte `offset`.
pub fn complete(_doc: &Document, _index: &TemplateIndex, _offset: usize) -> Vec<CompletionItem> {
    Vec::new()
}
