//! The LSP layer: a thin tower-lsp-server backend over the analysis layer.
//!
//! Invariants:
//! - Document handlers (`didOpen`/`didChange`/`didClose`) change the state before
//!   their first `.await`, under the lock, and never hold it across one. tower-lsp-server
//!   runs handlers concurrently, but it first polls them in arrival order (the futures
//!   enter one `FuturesUnordered`, whose ready queue is first in, first out), so they
//!   change documents in the order the notifications arrived.
//! - `didChange` notifications are applied in version order (see
//!   [`crate::document::history`]): a client that sends a later version before an
//!   earlier one (Helix 25.01 does, in a burst of keys) is repaired by rewinding and
//!   replaying, never by waiting for a missing version.
//! - Diagnostics are computed from the state under the lock, debounced per document;
//!   a computation whose revision is no longer current is dropped, so only the latest
//!   version is published.
//! - Every call into the analysis layer runs inside [`contain`]: a panic becomes a log
//!   line (and an error response for requests), and the server keeps serving.

mod background;
pub mod capabilities;
pub mod convert;
mod links;
mod memory;
pub(crate) mod transport;

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::notification::Progress;
use tower_lsp_server::ls_types::request::WorkDoneProgressCreate;
use tower_lsp_server::ls_types::{
    CodeActionParams, CodeActionResponse, CompletionParams, CompletionResponse, Diagnostic,
    DidChangeConfigurationParams, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DocumentSymbolParams,
    DocumentSymbolResponse, GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverParams,
    InitializeParams, InitializeResult, InitializedParams, InsertTextMode, Location, MessageType,
    ReferenceParams, Registration, ServerInfo, TextDocumentIdentifier, TextDocumentItem, Uri,
};
use tower_lsp_server::ls_types::{
    NumberOrString, ProgressParams, ProgressParamsValue, WorkDoneProgress, WorkDoneProgressBegin,
    WorkDoneProgressCreateParams, WorkDoneProgressEnd,
};
use tower_lsp_server::ls_types::{
    PrepareRenameResponse, RenameParams, TextDocumentPositionParams, TextEdit, WorkspaceEdit,
};
use tower_lsp_server::{Client, LanguageServer, LspService};

use crate::analysis::{self, Analyzer};
use crate::config::{self, Config};
use crate::document::history::{History, Outcome};
use crate::document::{Document, TextChange};
use crate::model::index::LazyIndex;
use crate::position::PositionEncoding;
use crate::syntax::Language;

/// How long after the last keystroke diagnostics are computed.
pub const DEBOUNCE: Duration = Duration::from_millis(60);

struct DocState {
    doc: Document,
    /// The recent changes, to apply a late version in its place.
    history: History,
    analyzer: Analyzer,
    /// Bumped on every change; a pending publish only goes out if it is still current.
    revision: u64,
    /// The other files of the index (file id - 1), as of the last analysis.
    linked: Vec<(Uri, Arc<Document>)>,
    /// Its canonical path (a `file:` URI), and the files the last analysis linked it
    /// with: which open documents to analyse again when it changes.
    path: Option<std::path::PathBuf>,
    linked_paths: Vec<std::path::PathBuf>,
}

impl DocState {
    fn new(doc: Document, uri: &Uri) -> Self {
        DocState {
            doc,
            history: History::default(),
            analyzer: Analyzer::default(),
            revision: 0,
            linked: Vec::new(),
            path: links::path_of(uri),
            linked_paths: Vec::new(),
        }
    }
}

#[derive(Default)]
struct State {
    encoding: PositionEncoding,
    docs: HashMap<Uri, DocState>,
    /// The layers of configuration, lowest first: the workspace root's
    /// `.apigw-lsp.toml`, `initializationOptions`, the latest
    /// `workspace/didChangeConfiguration` settings.
    config_file: Config,
    config_init: Config,
    config_settings: Config,
    /// The merge of the layers, applied to diagnostics as they are converted.
    config: Config,
    /// Where the workspace's `.apigw-lsp.toml` is (or would be).
    config_path: Option<std::path::PathBuf>,
    /// Whether the client lets us register a file watcher for it.
    watch_config: bool,
    /// Links between files (see [`links`]).
    linker: links::Linker,
    /// Whether the client shows server-started progress (`window.workDoneProgress`).
    progress: bool,
    /// Whether the client expands snippets in completion items; without, they are sent
    /// as the text their placeholders' defaults give.
    snippets: bool,
    /// Whether completion items may say `insertTextMode: asIs`
    /// (`completionItem.insertTextModeSupport`).
    insert_as_is: bool,
}

impl State {
    fn update_config(&mut self) {
        let mut config = self.config_file.clone();
        config.merge(&self.config_init);
        config.merge(&self.config_settings);
        self.config = config;
    }
}

/// The workspace root's folder: the first workspace folder, else `root_uri`.
#[allow(deprecated)]
fn workspace_root(params: &InitializeParams) -> Option<std::path::PathBuf> {
    let uri = params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .map(|f| &f.uri)
        .or(params.root_uri.as_ref())?;
    uri.to_file_path().map(|p| p.into_owned())
}

/// Every workspace folder (multi-root), else `root_uri`: links never leave them.
#[allow(deprecated)]
fn workspace_folders(params: &InitializeParams) -> Vec<std::path::PathBuf> {
    let folders: Vec<std::path::PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
        .collect();
    if !folders.is_empty() {
        return folders;
    }
    params
        .root_uri
        .as_ref()
        .and_then(|u| u.to_file_path().map(|p| p.into_owned()))
        .into_iter()
        .collect()
}

/// Reads a `.apigw-lsp.toml`: an absent file is an empty configuration.
fn read_config_file(path: &std::path::Path) -> (Config, Vec<String>) {
    let Ok(text) = std::fs::read_to_string(path) else {
        return (Config::default(), Vec::new());
    };
    let (config, problems) = Config::from_toml(&text);
    let warnings = problems
        .into_iter()
        .map(|w| format!("{}: {w}", path.display()))
        .collect();
    (config, warnings)
}

/// The language server.
pub struct Backend {
    client: Client,
    state: Arc<Mutex<State>>,
    shutdown_requested: Arc<AtomicBool>,
    /// Whether a memory trim is scheduled (see [`memory`]).
    trim_scheduled: Arc<AtomicBool>,
}

/// Runs `f`, turning a panic into a logged error.
pub fn contain<T>(what: &str, f: impl FnOnce() -> T) -> Option<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(value) => Some(value),
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            tracing::error!("internal error in {what}: {message}");
            None
        }
    }
}

/// Like [`contain`], for request handlers: a panic becomes an InternalError response.
pub fn contain_request<T>(what: &str, f: impl FnOnce() -> T) -> Result<T> {
    contain(what, f).ok_or_else(|| {
        let mut err = Error::internal_error();
        err.message = format!("apigw-lsp: internal error in {what} (see the server log)").into();
        err
    })
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // A panic while holding the lock is contained; the state is still usable.
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The findings of one revision of a document, with what turning them into LSP
/// diagnostics needs once the state lock is released.
struct Analysed {
    findings: Vec<crate::rules::Finding>,
    /// The document they were computed on (see [`Document::snapshot`]).
    snapshot: Document,
    encoding: PositionEncoding,
    config: Config,
}

/// Analyses a document under the lock if `revision` (when given) is still current.
/// Only the analysis, which updates the document's cache, runs under the lock: the
/// rest of a publish (suppression, conversion to LSP positions) and the index work
/// run on a snapshot, so a keystroke never waits for them.
fn analyse(state: &Mutex<State>, uri: &Uri, revision: Option<u64>) -> Option<Analysed> {
    let mut guard = lock(state);
    let state = &mut *guard;
    let encoding = state.encoding;
    let config = state.config.clone();
    if revision.is_some_and(|r| state.docs.get(uri).is_none_or(|ds| r != ds.revision)) {
        return None;
    }
    let resolved = contain("links", || {
        links::resolve(&mut state.linker, &mut state.docs, uri)
    })
    .unwrap_or_default();
    let ds = state.docs.get_mut(uri)?;
    contain("diagnostics", || {
        test_panic_hook(&ds.doc);
        ds.linked = resolved.files;
        ds.linked_paths = resolved.paths;
        let mut contexts = resolved.contexts.into_iter();
        ds.analyzer.set_links(contexts.next().unwrap_or_default());
        let mut findings = ds.analyzer.analyze(&ds.doc);
        // A file two templates include: checked against each.
        for links in contexts {
            findings.extend(analysis::analyze_linked(&ds.doc, links));
        }
        findings.extend(resolved.findings);
        findings.sort_by(|a, b| {
            (a.range.start, a.range.end, a.code, &a.message).cmp(&(
                b.range.start,
                b.range.end,
                b.code,
                &b.message,
            ))
        });
        findings.dedup();
        if let Some(retired) = ds.analyzer.take_retired() {
            background::discard(retired);
        }
        Analysed {
            findings,
            snapshot: ds.doc.snapshot(),
            encoding,
            config,
        }
    })
}

/// The LSP diagnostics of analysed findings and the version they are for.
fn diagnostics(analysed: &mut Analysed) -> Option<(Vec<Diagnostic>, i32)> {
    let findings = std::mem::take(&mut analysed.findings);
    contain("diagnostics", || {
        let doc = &analysed.snapshot;
        let findings = analysed.config.apply(findings);
        let findings = config::suppress(doc, findings);
        let diags = findings
            .iter()
            .map(|f| convert::diagnostic(doc.rope(), f, analysed.encoding))
            .collect();
        (diags, doc.version())
    })
}

/// A deliberately panicking path for tests of panic containment: in debug builds, with
/// `APIGW_LSP_TEST_PANIC` set, analysing a document whose first line contains
/// `apigw-lsp:test-panic`, or answering a request about it, panics. Release builds
/// compile it to nothing.
fn test_panic_hook(doc: &Document) {
    if cfg!(debug_assertions)
        && std::env::var_os("APIGW_LSP_TEST_PANIC").is_some()
        && doc.rope().len_lines() > 0
        && doc
            .rope()
            .line(0)
            .to_string()
            .contains("apigw-lsp:test-panic")
    {
        panic!("deliberate test panic");
    }
}

impl Backend {
    pub fn new(client: Client, shutdown_requested: Arc<AtomicBool>) -> Self {
        Backend {
            client,
            state: Arc::new(Mutex::new(State::default())),
            shutdown_requested,
            trim_scheduled: Arc::new(AtomicBool::new(false)),
        }
    }

    async fn publish_now(&self, uri: Uri) {
        let Some(mut analysed) = analyse(&self.state, &uri, None) else {
            return;
        };
        if let Some((diags, version)) = diagnostics(&mut analysed) {
            self.client
                .publish_diagnostics(uri.clone(), diags, Some(version))
                .await;
        }
    }

    fn publish_later(&self, uri: Uri, revision: u64) {
        let state = self.state.clone();
        let client = self.client.clone();
        tokio::spawn(async move {
            tokio::time::sleep(DEBOUNCE).await;
            let Some(mut analysed) = analyse(&state, &uri, Some(revision)) else {
                return;
            };
            if let Some((diags, version)) = diagnostics(&mut analysed) {
                client
                    .publish_diagnostics(uri.clone(), diags, Some(version))
                    .await;
            }
        });
    }
}

impl Backend {
    /// Scans the workspace folders for templates that include files, in the
    /// background, with progress when the client shows it; then analyses the open
    /// documents again with what it found.
    fn scan_workspace(&self) {
        let (roots, progress, config, config_path) = {
            let state = lock(&self.state);
            (
                state.linker.roots().to_vec(),
                state.progress,
                state.config.clone(),
                state.config_path.clone(),
            )
        };
        if roots.is_empty() {
            return;
        }
        let client = self.client.clone();
        let state = self.state.clone();
        tokio::spawn(async move {
            let token = NumberOrString::String("apigw-lsp/workspace-scan".to_string());
            let shown = progress
                && client
                    .send_request::<WorkDoneProgressCreate>(WorkDoneProgressCreateParams {
                        token: token.clone(),
                    })
                    .await
                    .is_ok();
            let report = |value: WorkDoneProgress| ProgressParams {
                token: token.clone(),
                value: ProgressParamsValue::WorkDone(value),
            };
            if shown {
                client
                    .send_notification::<Progress>(report(WorkDoneProgress::Begin(
                        WorkDoneProgressBegin {
                            title: "apigw-lsp: linking templates and included files".to_string(),
                            cancellable: Some(false),
                            message: Some(format!("{} folder(s)", roots.len())),
                            percentage: None,
                        },
                    )))
                    .await;
            }
            let started = std::time::Instant::now();
            let scanned = tokio::task::spawn_blocking(move || {
                contain("workspace scan", || {
                    let (globs, _) = config.file_globs();
                    let base = config_path
                        .as_ref()
                        .and_then(|p| p.parent())
                        .and_then(|p| p.canonicalize().ok());
                    let allows = |path: &std::path::Path| match &base {
                        Some(base) => path.strip_prefix(base).map_or(true, |rel| {
                            globs.allows(&rel.to_string_lossy().replace('\\', "/"))
                        }),
                        None => true,
                    };
                    crate::workspace::scan(&roots, &allows, &mut |m| tracing::info!("{m}"))
                })
            })
            .await
            .ok()
            .flatten();
            let message = match &scanned {
                Some(scan) => format!(
                    "{} file(s), {} template(s) including {} file(s), in {} ms",
                    scan.files,
                    scan.templates,
                    scan.includers.len(),
                    started.elapsed().as_millis()
                ),
                None => "the scan failed (see the server log)".to_string(),
            };
            tracing::info!("workspace scan: {message}");
            if shown {
                client
                    .send_notification::<Progress>(report(WorkDoneProgress::End(
                        WorkDoneProgressEnd {
                            message: Some(message),
                        },
                    )))
                    .await;
            }
            // The open files the scan found templates for are analysed again with them.
            let uris: Vec<Uri> = {
                let mut state = lock(&state);
                let Some(scan) = scanned else { return };
                let included: Vec<Uri> = state
                    .docs
                    .iter()
                    .filter(|(_, ds)| {
                        ds.path
                            .as_ref()
                            .is_some_and(|p| scan.includers.contains_key(p))
                    })
                    .map(|(u, _)| u.clone())
                    .collect();
                state.linker.set_scan(scan);
                included
            };
            for uri in uris {
                let Some(mut analysed) = analyse(&state, &uri, None) else {
                    continue;
                };
                if let Some((diags, version)) = diagnostics(&mut analysed) {
                    client.publish_diagnostics(uri, diags, Some(version)).await;
                }
            }
        });
    }

    /// Reports configuration problems to the log and the client's log.
    async fn warn_config(&self, warnings: Vec<String>) {
        for warning in warnings {
            tracing::warn!("configuration: {warning}");
            self.client
                .log_message(
                    MessageType::WARNING,
                    format!("apigw-lsp configuration: {warning}"),
                )
                .await;
        }
    }

    /// Runs a read-only feature on an open document, under the lock, with panics
    /// contained. `None` when the document is not open.
    fn with_doc<T>(
        &self,
        what: &str,
        uri: &Uri,
        f: impl FnOnce(&Document, LazyIndex<'_>, PositionEncoding) -> T,
    ) -> Result<Option<T>> {
        self.with_doc_index(what, uri, false, f)
    }

    /// [`Backend::with_doc`] for a feature that needs the cross-resource index
    /// (`indexed`), which then comes built.
    fn with_doc_index<T>(
        &self,
        what: &str,
        uri: &Uri,
        indexed: bool,
        f: impl FnOnce(&Document, LazyIndex<'_>, PositionEncoding) -> T,
    ) -> Result<Option<T>> {
        let mut state = lock(&self.state);
        let encoding = state.encoding;
        let Some(ds) = state.docs.get_mut(uri) else {
            return Ok(None);
        };
        contain_request(what, || {
            test_panic_hook(&ds.doc);
            let DocState { doc, analyzer, .. } = ds;
            let index = if indexed {
                LazyIndex::from(analyzer.index(doc))
            } else {
                let doc: &Document = doc;
                LazyIndex::new(move || analyzer.index(doc))
            };
            Some(f(doc, index, encoding))
        })
    }
}

/// (file, span) answers of a navigation feature: file 0 is the document asked about.
type Spans = Vec<(crate::model::index::FileId, std::ops::Range<usize>)>;

/// The URI and document of a file of an index: 0 is `doc` (at `uri`), the others
/// the files linked at its last analysis (`linked`, by file id - 1).
fn file_of<'d>(
    uri: &Uri,
    doc: &'d Document,
    linked: &'d [(Uri, Arc<Document>)],
    file: crate::model::index::FileId,
) -> Option<(Uri, &'d Document)> {
    match file {
        0 => Some((uri.clone(), doc)),
        n => {
            let (u, d) = linked.get(usize::try_from(n).ok()?.checked_sub(1)?)?;
            Some((u.clone(), d.as_ref()))
        }
    }
}

impl Backend {
    /// Runs a navigation feature and turns its answers into locations: file 0 is
    /// `uri`, the others the files linked at the last analysis.
    fn locations(
        &self,
        what: &str,
        uri: &Uri,
        f: impl FnOnce(&Document, &crate::model::index::Index, PositionEncoding) -> Spans,
    ) -> Result<Option<Vec<Location>>> {
        let mut state = lock(&self.state);
        let encoding = state.encoding;
        let Some(ds) = state.docs.get_mut(uri) else {
            return Ok(None);
        };
        contain_request(what, || {
            test_panic_hook(&ds.doc);
            let DocState {
                doc,
                analyzer,
                linked,
                ..
            } = ds;
            let found = f(doc, analyzer.index(doc), encoding);
            let located = found.into_iter().filter_map(|(file, span)| {
                let (target, file_doc) = file_of(uri, doc, linked, file)?;
                Some(Location::new(
                    target,
                    convert::span_to_lsp(file_doc.rope(), span, encoding),
                ))
            });
            Some(located.collect())
        })
    }
}

/// A request for tests and diagnosis: the server's copy of a document's text and its
/// version, so an editor test can compare it byte for byte with the editor's buffer.
pub const DOCUMENT_TEXT: &str = "apigw-lsp/documentText";

/// The parameters of [`DOCUMENT_TEXT`].
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentTextParams {
    text_document: TextDocumentIdentifier,
}

/// The answer to [`DOCUMENT_TEXT`] (`null` when the document is not open).
#[derive(Debug, serde::Serialize)]
pub struct DocumentText {
    uri: Uri,
    version: i32,
    text: String,
}

impl Backend {
    /// Answers [`DOCUMENT_TEXT`].
    pub async fn document_text(&self, params: DocumentTextParams) -> Result<Option<DocumentText>> {
        let uri = params.text_document.uri;
        let state = lock(&self.state);
        Ok(state.docs.get(&uri).map(|ds| DocumentText {
            version: ds.doc.version(),
            text: ds.doc.text(),
            uri: uri.clone(),
        }))
    }
}

fn offset_of(
    doc: &Document,
    position: tower_lsp_server::ls_types::Position,
    encoding: PositionEncoding,
) -> usize {
    crate::position::position_to_offset(doc.rope(), convert::from_lsp_position(position), encoding)
}

impl LanguageServer for Backend {
    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let pos = params.text_document_position;
        let (snippets, as_is) = {
            let state = lock(&self.state);
            (state.snippets, state.insert_as_is)
        };
        let items = self.with_doc(
            "completion",
            &pos.text_document.uri,
            |doc, index, encoding| {
                let offset = offset_of(doc, pos.position, encoding);
                let (items, cut) = analysis::completion::complete_capped(doc, index, offset);
                let items = items
                    .into_iter()
                    .map(|item| {
                        convert::completion_item(doc.rope(), item, encoding, snippets, as_is)
                    })
                    .collect::<Vec<_>>();
                (items, cut)
            },
        )?;
        Ok(items.map(|(items, cut)| {
            CompletionResponse::List(tower_lsp_server::ls_types::CompletionList {
                is_incomplete: cut,
                items,
            })
        }))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let pos = params.text_document_position_params;
        let hover = self.with_doc_index(
            "hover",
            &pos.text_document.uri,
            true,
            |doc, index, encoding| {
                analysis::hover::hover(doc, index.get(), offset_of(doc, pos.position, encoding))
                    .map(|h| convert::hover(doc.rope(), h, encoding))
            },
        )?;
        Ok(hover.flatten())
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let pos = params.text_document_position_params;
        let uri = &pos.text_document.uri;
        let locations = self.locations("definition", uri, |doc, index, encoding| {
            analysis::navigation::definition(doc, index, offset_of(doc, pos.position, encoding))
        })?;
        Ok(locations
            .filter(|l| !l.is_empty())
            .map(GotoDefinitionResponse::Array))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let pos = params.text_document_position;
        let include = params.context.include_declaration;
        let uri = &pos.text_document.uri;
        let locations = self.locations("references", uri, |doc, index, encoding| {
            analysis::navigation::references(
                doc,
                index,
                offset_of(doc, pos.position, encoding),
                include,
            )
        })?;
        Ok(locations.filter(|l| !l.is_empty()))
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let uri = params.text_document.uri;
        let found = self.with_doc_index("prepareRename", &uri, true, |doc, index, encoding| {
            let offset = offset_of(doc, params.position, encoding);
            analysis::navigation::prepare_rename(doc, index.get(), offset).map(|(name, span)| {
                PrepareRenameResponse::RangeWithPlaceholder {
                    range: convert::span_to_lsp(doc.rope(), span, encoding),
                    placeholder: name,
                }
            })
        })?;
        Ok(found.flatten())
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let pos = params.text_document_position;
        let uri = pos.text_document.uri;
        let mut state = lock(&self.state);
        let encoding = state.encoding;
        let Some(ds) = state.docs.get_mut(&uri) else {
            return Ok(None);
        };
        let outcome = contain_request("rename", || {
            test_panic_hook(&ds.doc);
            let DocState {
                doc,
                analyzer,
                linked,
                ..
            } = ds;
            let offset = offset_of(doc, pos.position, encoding);
            let index = analyzer.index(doc);
            let others: Vec<(u32, &Document)> = linked
                .iter()
                .enumerate()
                .filter_map(|(i, (_, d))| Some((u32::try_from(i + 1).ok()?, d.as_ref())))
                .collect();
            let spans =
                analysis::navigation::rename(doc, &others, index, offset, &params.new_name)?;
            let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
            for (file, span) in spans {
                let Some((target, file_doc)) = file_of(&uri, doc, linked, file) else {
                    continue;
                };
                changes.entry(target).or_default().push(TextEdit::new(
                    convert::span_to_lsp(file_doc.rope(), span, encoding),
                    params.new_name.clone(),
                ));
            }
            Ok::<_, String>(WorkspaceEdit::new(changes))
        })?;
        match outcome {
            Ok(edit) => Ok(Some(edit)),
            Err(message) => Err(Error::invalid_params(message)),
        }
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let symbols = self.with_doc_index(
            "documentSymbol",
            &params.text_document.uri,
            true,
            |doc, index, encoding| {
                analysis::symbols::document_symbols(doc, index.get())
                    .into_iter()
                    .map(|s| convert::symbol(doc.rope(), s, encoding))
                    .collect::<Vec<_>>()
            },
        )?;
        Ok(symbols.map(DocumentSymbolResponse::Nested))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        let diagnostics = params.context.diagnostics;
        let actions = self.with_doc("codeAction", &uri, |doc, _index, encoding| {
            convert::quick_fixes(doc, &uri, &diagnostics, encoding)
        })?;
        Ok(actions.filter(|a| !a.is_empty()))
    }

    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let (capabilities, encoding) = capabilities::server_capabilities(&params.capabilities);
        let mut warnings = Vec::new();
        let config_path = workspace_root(&params).map(|root| root.join(config::FILE_NAME));
        let file_config = match &config_path {
            Some(path) => {
                let (config, problems) = read_config_file(path);
                warnings.extend(problems);
                config
            }
            None => Config::default(),
        };
        let watch_config = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        let init_config = match &params.initialization_options {
            Some(options) => {
                let (config, problems) = Config::from_json(options);
                warnings.extend(
                    problems
                        .into_iter()
                        .map(|w| format!("initializationOptions: {w}")),
                );
                config
            }
            None => Config::default(),
        };
        {
            let mut state = lock(&self.state);
            state.encoding = encoding;
            state.config_file = file_config;
            state.config_init = init_config;
            state.config_path = config_path;
            state.watch_config = watch_config;
            state.linker.set_roots(workspace_folders(&params));
            state.progress = params
                .capabilities
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false);
            state.snippets = params
                .capabilities
                .text_document
                .as_ref()
                .and_then(|t| t.completion.as_ref())
                .and_then(|c| c.completion_item.as_ref())
                .and_then(|i| i.snippet_support)
                .unwrap_or(false);
            state.insert_as_is = params
                .capabilities
                .text_document
                .as_ref()
                .and_then(|t| t.completion.as_ref())
                .and_then(|c| c.completion_item.as_ref())
                .and_then(|c| c.insert_text_mode_support.as_ref())
                .is_some_and(|s| s.value_set.contains(&InsertTextMode::AS_IS));
            state.update_config();
        }
        self.warn_config(warnings).await;
        tracing::info!("initialized; position encoding {encoding:?}");
        Ok(InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "apigw-lsp".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.scan_workspace();
        if !lock(&self.state).watch_config {
            return;
        }
        let registration = Registration {
            id: "apigw-lsp-config-file".to_string(),
            method: "workspace/didChangeWatchedFiles".to_string(),
            register_options: Some(serde_json::json!({
                "watchers": [
                    {"globPattern": format!("**/{}", config::FILE_NAME)},
                    {"globPattern": "**/*.{yaml,yml,json,template,tf}"}
                ]
            })),
        };
        // Not awaited here: the handler returns at once whatever the client does.
        let client = self.client.clone();
        tokio::spawn(async move {
            if let Err(error) = client.register_capability(vec![registration]).await {
                tracing::warn!("could not watch {}: {error}", config::FILE_NAME);
            }
        });
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let config_path = lock(&self.state).config_path.clone();
        let is_config = |uri: &Uri| {
            config_path.as_ref().is_some_and(|path| {
                uri.to_file_path()
                    .is_some_and(|p| p.as_ref() == path.as_path())
            })
        };
        let config_touched = params.changes.iter().any(|c| is_config(&c.uri));
        let mut warnings = Vec::new();
        let uris: Vec<Uri> = {
            let mut state = lock(&self.state);
            // A template or an included file changed on disk: what was read through
            // links is read again.
            let files_touched = params.changes.iter().any(|c| !is_config(&c.uri));
            if files_touched {
                let changed: Vec<std::path::PathBuf> = params
                    .changes
                    .iter()
                    .filter(|c| !is_config(&c.uri))
                    .filter_map(|c| c.uri.to_file_path().map(|p| p.into_owned()))
                    .map(|p| p.canonicalize().unwrap_or(p))
                    .collect();
                state.linker.forget(&changed);
            }
            if let (true, Some(path)) = (config_touched, &config_path) {
                let (file_config, problems) = read_config_file(path);
                warnings = problems;
                state.config_file = file_config;
                state.update_config();
                tracing::info!("reloaded {}", path.display());
            }
            if files_touched || config_touched {
                state.docs.keys().cloned().collect()
            } else {
                Vec::new()
            }
        };
        self.warn_config(warnings).await;
        for uri in uris {
            self.publish_now(uri).await;
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let (settings, warnings) = Config::from_json(&params.settings);
        let uris: Vec<Uri> = {
            let mut state = lock(&self.state);
            state.config_settings = settings;
            state.update_config();
            state.docs.keys().cloned().collect()
        };
        self.warn_config(
            warnings
                .into_iter()
                .map(|w| format!("settings: {w}"))
                .collect(),
        )
        .await;
        for uri in uris {
            self.publish_now(uri).await;
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.shutdown_requested.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let TextDocumentItem {
            uri,
            language_id,
            version,
            text,
        } = params.text_document;
        let replaced = {
            let mut state = lock(&self.state);
            let language = Language::from_language_id(&language_id, uri.as_str());
            let opened = contain("didOpen", || Document::new(&text, language, version));
            match opened {
                Some(doc) => state.docs.insert(uri.clone(), DocState::new(doc, &uri)),
                None => return,
            }
        };
        // The document holds its own copy now: the client's text (as big as the file)
        // is not kept through the first analysis.
        drop(text);
        if let Some(replaced) = replaced {
            background::discard(replaced);
        }
        self.publish_now(uri.clone()).await;
        // The open files linked to it are analysed again, with its buffer.
        let linked = {
            let state = lock(&self.state);
            contain("links", || links::dependents(&state.docs, &uri)).unwrap_or_default()
        };
        for other in linked {
            self.publish_now(other).await;
        }
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let revision = {
            let mut state = lock(&self.state);
            let encoding = state.encoding;

            let Some(ds) = state.docs.get_mut(&uri) else {
                tracing::warn!(
                    "didChange for a document that is not open: {}",
                    uri.as_str()
                );
                return;
            };
            let changes: Vec<TextChange> = params
                .content_changes
                .into_iter()
                .map(|change| TextChange {
                    range: change.range.map(convert::from_lsp_range),
                    text: change.text,
                })
                .collect();
            let outcome = contain("didChange", || {
                ds.history.apply(&mut ds.doc, version, changes, encoding)
            });
            match outcome {
                Some(Outcome::InOrder) => {}
                Some(Outcome::Replayed { from, replayed }) => tracing::debug!(
                    "didChange version {version} came after version {from}: rewound {replayed} \
                     change(s) and applied them again in version order for {}",
                    uri.as_str()
                ),
                Some(Outcome::Unordered { current }) => tracing::warn!(
                    "didChange version {version} is not newer than {current} nor than any \
                     change kept for replay; applied in arrival order for {}",
                    uri.as_str()
                ),
                None => {
                    // A panic part way: what is remembered may not match the text.
                    ds.history.clear();
                    if version > ds.doc.version() {
                        ds.doc.set_version(version);
                    }
                }
            }
            ds.revision += 1;
            let revision = ds.revision;
            // The open documents linked to this one are analysed again with it.
            // The links its last analysis found (an edit that adds one links the file
            // at the next analysis).
            let linked =
                contain("links", || links::dependents(&state.docs, &uri)).unwrap_or_default();
            let dependents: Vec<(Uri, u64)> = linked
                .into_iter()
                .filter_map(|u| {
                    let ds = state.docs.get_mut(&u)?;
                    ds.revision += 1;
                    Some((u, ds.revision))
                })
                .collect();
            (revision, dependents)
        };
        let (revision, dependents) = revision;
        for (other, other_revision) in dependents {
            self.publish_later(other, other_revision);
        }
        self.publish_later(uri, revision);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let (removed, linked) = {
            let mut state = lock(&self.state);
            let linked =
                contain("links", || links::dependents(&state.docs, &uri)).unwrap_or_default();
            (state.docs.remove(&uri), linked)
        };
        if let Some(removed) = removed {
            background::discard(removed);
            memory::trim_soon(&self.trim_scheduled);
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
        // The open files linked to it are analysed again, with its disk copy.
        for other in linked {
            self.publish_now(other).await;
        }
    }
}

/// Serves LSP over stdin/stdout until `exit`. Returns the process exit code: 0 after
/// `shutdown` then `exit`, 1 when `exit` came without `shutdown` (as the LSP specification says).
pub async fn serve_stdio() -> i32 {
    let shutdown_requested = Arc::new(AtomicBool::new(false));
    let flag = shutdown_requested.clone();
    let (service, socket) = LspService::build(move |client| Backend::new(client, flag))
        .custom_method(DOCUMENT_TEXT, Backend::document_text)
        .finish();
    transport::serve(tokio::io::stdin(), tokio::io::stdout(), service, socket).await;
    if shutdown_requested.load(Ordering::SeqCst) {
        0
    } else {
        1
    }
}
