#![no_main]
//! Fuzz target `edits`: see `apigw_lsp::fuzzing::edits`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    apigw_lsp::fuzzing::edits(data);
});
