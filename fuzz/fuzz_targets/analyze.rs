#![no_main]
//! Fuzz target `analyze`: see `apigw_lsp::fuzzing::analyze_bytes`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    apigw_lsp::fuzzing::analyze_bytes(data);
});
