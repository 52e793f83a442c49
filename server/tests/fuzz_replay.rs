//! Replays the fuzz targets' saved inputs (`fuzz/corpus/<target>/` seeds and
//! `fuzz/regressions/<target>/` crashes once found) through the same entry points the
//! fuzzers call, plus a few thousand deterministic pseudo-random inputs, so every
//! `cargo test` re-checks what fuzzing found, with or without a nightly toolchain.

use std::path::PathBuf;

use apigw_lsp::fuzzing;

type Target = fn(&[u8]);

const TARGETS: &[(&str, Target)] = &[
    ("edits", fuzzing::edits),
    ("analyze", fuzzing::analyze_bytes),
    ("expression", fuzzing::expression),
    ("check", fuzzing::check_file),
    ("frames", fuzzing::frames),
];

fn fuzz_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

fn inputs(kind: &str, target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = fuzz_dir().join(kind).join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter_map(|p| std::fs::read(&p).ok().map(|bytes| (p, bytes)))
        .collect();
    out.sort();
    out
}

#[test]
fn saved_corpora_and_regressions_replay_cleanly() {
    let mut replayed = 0;
    for (target, run) in TARGETS {
        for kind in ["corpus", "regressions"] {
            for (path, bytes) in inputs(kind, target) {
                let outcome = std::panic::catch_unwind(|| run(&bytes));
                assert!(outcome.is_ok(), "{target}: {} fails", path.display());
                replayed += 1;
            }
        }
    }
    // The seeds are committed: a replay of nothing would prove nothing.
    assert!(
        replayed >= 20,
        "only {replayed} saved inputs found under fuzz/"
    );
}

/// xorshift64*: deterministic, so a failure here reproduces.
fn next(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

#[test]
fn pseudo_random_inputs_hold_the_invariants() {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    for (target, run) in TARGETS {
        for case in 0..400 {
            let len = (next(&mut state) % 200) as usize;
            let bytes: Vec<u8> = (0..len).map(|_| next(&mut state) as u8).collect();
            let outcome = std::panic::catch_unwind(|| run(&bytes));
            assert!(outcome.is_ok(), "{target} case {case}: input {bytes:?}");
        }
    }
}
