//! Tests of the cursor context: the value-tree path and the text fallback.
