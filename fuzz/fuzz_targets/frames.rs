#![no_main]
//! Fuzz target `frames`: see `apigw_lsp::fuzzing::frames`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    apigw_lsp::fuzzing::frames(data);
});
