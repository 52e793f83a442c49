#![no_main]
//! Fuzz target `expression`: see `apigw_lsp::fuzzing::expression`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    apigw_lsp::fuzzing::expression(data);
});
