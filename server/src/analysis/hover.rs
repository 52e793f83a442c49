//! Hover: subtype reference, parameter documentation, expression meaning.

use super::features::Hover;
use crate::document::Document;
use crate::model::template::TemplateIndex;

/// The hover at byte `offset`, if there is something to say.
pub fn hover(_doc: &Document, _index: &TemplateIndex, _offset: usize) -> Option<Hover> {
    None
}
