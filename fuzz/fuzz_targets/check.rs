#![no_main]
//! Fuzz target `check`: see `apigw_lsp::fuzzing::check_file`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    apigw_lsp::fuzzing::check_file(data);
});
