//! What the tests of `apigw-lsp check` on framework output (`cdk.rs`,
//! `serverless.rs`) share: running the real binary, scratch folders, the corpus.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_apigw-lsp");

/// The real-template corpus.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus/real")
}

/// A corpus file's text, verbatim.
pub fn corpus(name: &str) -> String {
    let path = corpus_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The reviewed findings of a corpus file (`tests/corpus/expected.txt`), each as
/// `line:col: severity[code] message`.
pub fn expected_findings(name: &str) -> Vec<String> {
    let path = corpus_dir().join("../expected.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let prefix = format!("{name}:");
    text.lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .map(str::to_string)
        .collect()
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary in `cwd` (without `RUST_LOG`).
pub fn run_in(cwd: &Path, args: &[&str]) -> Run {
    finish(Command::new(BIN).args(args).current_dir(cwd))
}

/// Like [`run_in`], with `env` set for the child (and no inherited
/// `RAYON_NUM_THREADS`).
pub fn run_env(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    finish(
        Command::new(BIN)
            .args(args)
            .current_dir(cwd)
            .env_remove("RAYON_NUM_THREADS")
            .envs(env.iter().copied()),
    )
}

fn finish(command: &mut Command) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = command
        .env_remove("RUST_LOG")
        .output()
        .expect("run apigw-lsp");
    Run {
        code: status.code().expect("exit code (not killed by a signal)"),
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

pub fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// The findings of `check --format json` in `cwd`.
pub fn findings(cwd: &Path, paths: &[&str]) -> (Run, Vec<Value>) {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(paths);
    let run = run_in(cwd, &args);
    let reports = match json(&run.stdout) {
        Value::Array(reports) => reports,
        other => panic!("not an array: {other}"),
    };
    (run, reports)
}

/// A report's field as text ("" when absent).
pub fn field<'a>(report: &'a Value, name: &str) -> &'a str {
    report.get(name).and_then(Value::as_str).unwrap_or("")
}

/// A report as `line:col: severity[code] message` (1-based), as `expected.txt` has it.
pub fn as_expected(report: &Value) -> String {
    let start = &report["range"]["start"];
    format!(
        "{}:{}: {}[{}] {}",
        start["line"].as_u64().unwrap_or(0) + 1,
        start["character"].as_u64().unwrap_or(0) + 1,
        field(report, "severity"),
        field(report, "code"),
        field(report, "message")
    )
}

/// A fresh folder under the system temp dir, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "apigw-lsp-check-{}-{}-{name}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent dir");
        }
        std::fs::write(&path, contents).expect("write file");
        path
    }

    pub fn read(&self, rel: &str) -> String {
        let path = self.0.join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
