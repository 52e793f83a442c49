//! The `apigw-lsp` binary: a language server over stdio, or `check` for CI.

use std::io::Write;

const HELP: &str =
    "apigw-lsp: language server and checker for API Gateway HTTP API first-class integrations

usage:
  apigw-lsp [--stdio]                                  serve LSP over stdin/stdout
  apigw-lsp check [--format text|json|sarif] PATH...   check templates (files or folders)
      [--fix [--diff]]                                 apply the quick fixes that need no choice,
                                                       or print them as a diff (patch -p0)
      [--baseline FILE | --write-baseline FILE]        report only findings FILE does not record,
                                                       or record the current ones in FILE
      [--ignore CODE]... [--severity CODE=LEVEL]... [--config FILE]
      [--jobs N]                                       check N files at a time (default:
                                                       RAYON_NUM_THREADS, else one per core)
  apigw-lsp --version | --help

`apigw-lsp check --help` tells more.

Logs go to stderr; set RUST_LOG (e.g. RUST_LOG=apigw_lsp=debug) for more.";

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("apigw_lsp=info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args.first().map(String::as_str) {
        None | Some("--stdio") | Some("serve") => {
            init_logging();
            match tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => {
                    let code = runtime.block_on(apigw_lsp::lsp::serve_stdio());
                    // stdin is read by a blocking thread that may wait for input the
                    // client never sends: do not wait for it.
                    runtime.shutdown_background();
                    code
                }
                Err(err) => {
                    tracing::error!("cannot start the async runtime: {err}");
                    2
                }
            }
        }
        Some("check") => {
            let stdout = std::io::stdout();
            let stderr = std::io::stderr();
            apigw_lsp::cli::run(&args[1..], &mut stdout.lock(), &mut stderr.lock())
        }
        Some("--version" | "-V" | "version") => {
            let _ = writeln!(std::io::stdout(), "apigw-lsp {}", env!("CARGO_PKG_VERSION"));
            0
        }
        Some("--help" | "-h" | "help") => {
            let _ = writeln!(std::io::stdout(), "{HELP}");
            0
        }
        Some(other) => {
            let _ = writeln!(
                std::io::stderr(),
                "apigw-lsp: unknown argument `{other}`\n\n{HELP}"
            );
            2
        }
    };
    std::process::exit(code);
}
