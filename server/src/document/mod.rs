//! The document: text, version, syntax trees and value trees, kept in step by one
//! function, [`Document::apply_edit`].
//!
//! Documents are cut into segments, each parsed on its own (with segment-relative
//! positions) into the [`Entry`] values built from it: YAML by lines (see [`split`]),
//! JSON by its structure (see [`json_split`]), both at the top-level keys and at the
//! members of the big sections; Terraform at its top-level blocks (see [`tf_split`]). An edit finds the segments it touches, re-runs the
//! splitter over just those (extending until the split agrees with the old one again),
//! rebuilds the segments whose text changed, and shifts the offsets of every later
//! segment. A keystroke therefore reparses one resource, whatever the file's size.
//!
//! A segment of at least [`KEEP_TREE_BYTES`] keeps its syntax tree, to reparse it
//! incrementally; of the smaller ones only the one being typed in does (see
//! [`keep_hot`]): a tree costs some thirty times its text in memory, and a small segment
//! parses from scratch in tens of microseconds when typing moves to it. A segment whose
//! incremental reparse has errors is parsed again from scratch, so what we report never
//! depends on edit history.

pub mod history;
pub mod json_split;
pub mod split;
pub mod tf_split;

use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use ropey::Rope;
use tree_sitter::{InputEdit, Point, Tree};

use crate::position::{self, PositionEncoding};
use crate::syntax::hcl::{Block, Label};
use crate::syntax::json::Piece;
use crate::syntax::{self, Language, Node, NodeKind, NodeRef, Pair, RopeWindow, Span};
use json_split::JsonRole;
use split::{Role, Scanner};
use tf_split::TfRole;

static NEXT_STAMP: AtomicU64 = AtomicU64::new(1);

fn next_stamp() -> u64 {
    NEXT_STAMP.fetch_add(1, Ordering::Relaxed)
}

/// One top-level member, or one member of a split section, with its value tree.
/// Spans inside are relative to the entry's base offset.
///
/// A Terraform top-level block is an entry too: its [`EntryRef::section`] is the block
/// type (`resource`, `data`, `module`, `locals`, ...), its key the block's labels joined
/// by `.` (`aws_sqs_queue.orders` for `resource "aws_sqs_queue" "orders"`, `api` for
/// `module "api"`; none for `locals {}`), its key span the last label's text inside the
/// quotes (the block type without labels), its value the block body as a map, and
/// `block` the header (see [`EntryRef::first_label`] for the resource type). A
/// top-level attribute (`name = value`, as in `.tfvars`) is an entry without section,
/// keyed by its name.
#[derive(Debug)]
pub struct Entry {
    /// Unique for every build of an entry: caches key on it.
    pub stamp: u64,
    pub key: Option<String>,
    pub key_span: Span,
    pub value: Option<Node>,
    /// A top-level key whose members are entries of their own.
    pub splits: bool,
    /// A Terraform block's header (type and labels).
    pub block: Option<Box<Block>>,
}

/// An entry seen at its current offset.
#[derive(Debug, Clone, Copy)]
pub struct EntryRef<'a> {
    pub entry: &'a Entry,
    pub base: usize,
    /// The section (`Resources`, `paths`, ...) for a member of a split section.
    pub section: Option<&'a str>,
}

impl<'a> EntryRef<'a> {
    pub fn key(&self) -> Option<&'a str> {
        self.entry.key.as_deref()
    }

    pub fn key_span(&self) -> Range<usize> {
        self.entry.key_span.abs(self.base)
    }

    pub fn value(&self) -> Option<NodeRef<'a>> {
        self.entry
            .value
            .as_ref()
            .map(|v| NodeRef::new(v, self.base))
    }

    /// A Terraform block's labels, with their absolute spans (inside the quotes).
    pub fn labels(&self) -> impl Iterator<Item = (&'a str, Range<usize>)> + use<'a> {
        let base = self.base;
        let labels: &'a [Label] = self.entry.block.as_deref().map_or(&[], |b| &b.labels);
        labels
            .iter()
            .map(move |l| (l.text.as_str(), l.span.abs(base)))
    }

    /// A Terraform block's first label with its absolute span: the resource type of a
    /// `resource` or `data` block (`aws_sqs_queue`), the name of a `module`, `variable`,
    /// `output` or `provider`; `None` for a block without labels or for YAML and JSON.
    pub fn first_label(&self) -> Option<(&'a str, Range<usize>)> {
        self.labels().next()
    }

    /// A Terraform block's type and its absolute span (the same text as `section`).
    pub fn block_type(&self) -> Option<(&'a str, Range<usize>)> {
        self.entry
            .block
            .as_deref()
            .map(|b| (b.kind.as_str(), b.kind_span.abs(self.base)))
    }
}

/// A change to the text in editor coordinates (`range: None` replaces everything).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextChange {
    pub range: Option<position::Range>,
    pub text: String,
}

/// Segments at least this long keep their syntax tree between edits, for incremental
/// reparsing. A fresh parse of a resource of a few hundred bytes takes some 30 µs, an
/// incremental one some 15 µs; the tree costs about thirty times its text in memory
/// (130 MB for a 4.3 MB template), so only segments whose fresh parse would be slow
/// keep theirs, and the one small segment being typed in.
pub const KEEP_TREE_BYTES: usize = 16 * 1024;

/// What the document layer needs to know of a segment's role, in either language.
trait SegmentRole: Clone + PartialEq + std::fmt::Debug + Send {
    /// The split section a member belongs to.
    fn section(&self) -> Option<&str>;
    /// A top-level key whose members are segments of their own.
    fn splits(&self) -> bool;
    /// A member of a split section.
    fn is_child(&self) -> bool;
}

impl SegmentRole for Role {
    fn section(&self) -> Option<&str> {
        match self {
            Role::Child { section, .. } => Some(section),
            Role::Top { .. } => None,
        }
    }

    fn splits(&self) -> bool {
        matches!(self, Role::Top { splits: true })
    }

    fn is_child(&self) -> bool {
        matches!(self, Role::Child { .. })
    }
}

impl SegmentRole for JsonRole {
    fn section(&self) -> Option<&str> {
        match self {
            JsonRole::Member { level, .. } => level.section.as_deref(),
            _ => None,
        }
    }

    fn splits(&self) -> bool {
        matches!(self, JsonRole::Member { splits: true, .. })
    }

    fn is_child(&self) -> bool {
        self.section().is_some()
    }
}

#[derive(Debug)]
struct Segment<R> {
    start: usize,
    len: usize,
    role: R,
    /// Kept for segments of at least [`KEEP_TREE_BYTES`].
    tree: Option<Tree>,
    /// The part of the segment the tree was parsed from, relative to `start`.
    parsed: Range<usize>,
    entries: Vec<Arc<Entry>>,
    errors: Vec<(Range<usize>, String)>,
}

impl<R> Segment<R> {
    fn end(&self) -> usize {
        self.start + self.len
    }
}

impl SegmentRole for TfRole {
    fn section(&self) -> Option<&str> {
        // A block's type is its entry's (see `entries_of`): a segment may hold more
        // than one top-level item.
        None
    }

    fn splits(&self) -> bool {
        false
    }

    fn is_child(&self) -> bool {
        false
    }
}

#[derive(Debug)]
enum Syntax {
    Yaml(Vec<Segment<Role>>),
    Json(Vec<Segment<JsonRole>>),
    Terraform(Vec<Segment<TfRole>>),
}

/// Text plus everything parsed from it.
#[derive(Debug)]
pub struct Document {
    rope: Rope,
    version: i32,
    /// Unique to this text: a new one at creation and after every edit, so that a
    /// cache can tell whether it has seen this exact document.
    revision: u64,
    language: Language,
    syntax: Syntax,
    /// Where the small segment that keeps its tree starts (see [`keep_hot`]).
    hot: Option<usize>,
}

/// Syntax errors reported per segment, at most.
const ERRORS_PER_SEGMENT: usize = 3;

fn entries_of<R: SegmentRole>(segments: &[Segment<R>]) -> impl Iterator<Item = EntryRef<'_>> {
    segments.iter().flat_map(|seg| {
        let section = seg.role.section();
        seg.entries.iter().map(move |entry| EntryRef {
            entry,
            base: seg.start,
            section: entry.block.as_deref().map(|b| b.kind.as_str()).or(section),
        })
    })
}

/// The entries of the segment that holds byte `offset` (found by binary search).
fn entries_at<R: SegmentRole>(segments: &[Segment<R>], offset: usize) -> Vec<EntryRef<'_>> {
    let i = segments
        .partition_point(|s| s.start <= offset)
        .saturating_sub(1);
    entries_of(segments.get(i..=i).unwrap_or(&[])).collect()
}

fn segment_span_at<R>(segments: &[Segment<R>], offset: usize) -> Option<Range<usize>> {
    let i = segments
        .partition_point(|s| s.start <= offset)
        .saturating_sub(1);
    segments.get(i).map(|s| s.start..s.end())
}

/// Whether the segment that holds byte `offset` (found by binary search) parsed without
/// syntax errors.
fn parses_at<R>(segments: &[Segment<R>], offset: usize) -> bool {
    let i = segments
        .partition_point(|s| s.start <= offset)
        .saturating_sub(1);
    segments.get(i).is_some_and(|s| s.errors.is_empty())
}

fn errors_of<R>(segments: &[Segment<R>]) -> Vec<(Range<usize>, String)> {
    segments
        .iter()
        .flat_map(|seg| {
            seg.errors
                .iter()
                .map(move |(r, m)| (seg.start + r.start..seg.start + r.end, m.clone()))
        })
        .collect()
}

fn next_revision() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Document {
    /// See [`Document::revision`]: equal revisions mean equal text and trees.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn new(text: &str, language: Language, version: i32) -> Self {
        let rope = Rope::from_str(text);
        let syntax = match language {
            Language::Yaml => Syntax::Yaml(Vec::new()),
            Language::Json => Syntax::Json(Vec::new()),
            Language::Terraform => Syntax::Terraform(Vec::new()),
        };
        let mut doc = Document {
            rope,
            version,
            revision: next_revision(),
            language,
            syntax,
            hot: None,
        };
        doc.rebuild_all();
        doc
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    pub fn text(&self) -> String {
        self.rope.to_string()
    }

    pub fn version(&self) -> i32 {
        self.version
    }

    pub fn set_version(&mut self, version: i32) {
        self.version = version;
    }

    /// The file's line ending, as its first line writes it: `"\r\n"` or `"\n"`.
    pub fn line_ending(&self) -> &'static str {
        let crlf = self
            .rope
            .get_line(0)
            .is_some_and(|l| l.to_string().ends_with("\r\n"));
        if crlf { "\r\n" } else { "\n" }
    }

    pub fn language(&self) -> Language {
        self.language
    }

    pub fn len(&self) -> usize {
        self.rope.len_bytes()
    }

    pub fn is_empty(&self) -> bool {
        self.rope.len_bytes() == 0
    }

    /// Every entry in document order.
    pub fn entries(&self) -> Box<dyn Iterator<Item = EntryRef<'_>> + '_> {
        match &self.syntax {
            Syntax::Yaml(segments) => Box::new(entries_of(segments)),
            Syntax::Json(segments) => Box::new(entries_of(segments)),
            Syntax::Terraform(segments) => Box::new(entries_of(segments)),
        }
    }

    /// The entries of the segment whose text contains byte `offset` (found by binary
    /// search). A segment runs to the next one's start, so an offset at the very end of
    /// an entry (a cursor at the end of its line) is inside it.
    pub fn entries_at(&self, offset: usize) -> Vec<EntryRef<'_>> {
        match &self.syntax {
            Syntax::Yaml(segments) => entries_at(segments, offset),
            Syntax::Json(segments) => entries_at(segments, offset),
            Syntax::Terraform(segments) => entries_at(segments, offset),
        }
    }

    /// The byte range of the segment whose text contains byte `offset` (the one
    /// [`Self::entries_at`] reads).
    pub fn segment_span_at(&self, offset: usize) -> Option<Range<usize>> {
        match &self.syntax {
            Syntax::Yaml(segments) => segment_span_at(segments, offset),
            Syntax::Json(segments) => segment_span_at(segments, offset),
            Syntax::Terraform(segments) => segment_span_at(segments, offset),
        }
    }

    /// Whether the segment whose text contains byte `offset` (the one [`Self::entries_at`]
    /// reads) parsed without syntax errors, so its entries' trees say what the text says.
    pub fn parses_at(&self, offset: usize) -> bool {
        match &self.syntax {
            Syntax::Yaml(segments) => parses_at(segments, offset),
            Syntax::Json(segments) => parses_at(segments, offset),
            Syntax::Terraform(segments) => parses_at(segments, offset),
        }
    }

    /// Syntax errors with absolute byte ranges.
    pub fn syntax_errors(&self) -> Vec<(Range<usize>, String)> {
        match &self.syntax {
            Syntax::Yaml(segments) => errors_of(segments),
            Syntax::Json(segments) => errors_of(segments),
            Syntax::Terraform(segments) => errors_of(segments),
        }
    }

    /// The number of independently parsed segments.
    pub fn segment_count(&self) -> usize {
        match &self.syntax {
            Syntax::Yaml(segments) => segments.len(),
            Syntax::Json(segments) => segments.len(),
            Syntax::Terraform(segments) => segments.len(),
        }
    }

    /// The number of segments that keep a syntax tree (see [`KEEP_TREE_BYTES`]).
    pub fn tree_count(&self) -> usize {
        match &self.syntax {
            Syntax::Yaml(segments) => segments.iter().filter(|s| s.tree.is_some()).count(),
            Syntax::Json(segments) => segments.iter().filter(|s| s.tree.is_some()).count(),
            Syntax::Terraform(segments) => segments.iter().filter(|s| s.tree.is_some()).count(),
        }
    }

    /// A copy of the document without its syntax trees, for work done away from the
    /// document's owner (the rope is shared and entries are reference-counted, so this
    /// costs a small allocation per segment). It is a whole document: edits to it
    /// parse from scratch where the original would have reparsed incrementally.
    pub fn snapshot(&self) -> Document {
        fn copy<R: Clone>(segments: &[Segment<R>]) -> Vec<Segment<R>> {
            segments
                .iter()
                .map(|s| Segment {
                    start: s.start,
                    len: s.len,
                    role: s.role.clone(),
                    tree: None,
                    parsed: 0..0,
                    entries: s.entries.clone(),
                    errors: s.errors.clone(),
                })
                .collect()
        }
        Document {
            rope: self.rope.clone(),
            version: self.version,
            revision: self.revision,
            language: self.language,
            syntax: match &self.syntax {
                Syntax::Yaml(segments) => Syntax::Yaml(copy(segments)),
                Syntax::Json(segments) => Syntax::Json(copy(segments)),
                Syntax::Terraform(segments) => Syntax::Terraform(copy(segments)),
            },
            hot: None,
        }
    }

    /// Applies one editor change, converting its range with `encoding`.
    pub fn apply_change(&mut self, change: &TextChange, encoding: PositionEncoding) {
        match change.range {
            None => {
                let len = self.rope.len_bytes();
                self.apply_edit(0..len, &change.text);
            }
            Some(range) => {
                let span = position::range_to_span(&self.rope, range, encoding);
                self.apply_edit(span, &change.text);
            }
        }
    }

    /// Replaces the bytes `span` with `text`, updating trees and entries.
    pub fn apply_edit(&mut self, span: Range<usize>, text: &str) {
        self.revision = next_revision();
        let len = self.rope.len_bytes();
        let end = position::floor_char_boundary(&self.rope, span.end.min(len));
        let start = position::floor_char_boundary(&self.rope, span.start.min(end));
        if start == 0 && end == len {
            // A whole-document replacement: start over.
            self.rope = Rope::from_str(text);
            self.rebuild_all();
            return;
        }
        let start_point = point_at(&self.rope, start);
        let old_end_point = point_at(&self.rope, end);
        let char_start = self.rope.byte_to_char(start);
        let char_end = self.rope.byte_to_char(end);
        self.rope.remove(char_start..char_end);
        self.rope.insert(char_start, text);
        let edit = Edit {
            start,
            old_end: end,
            new_end: start + text.len(),
            start_point,
            old_end_point,
            new_end_point: point_at(&self.rope, start + text.len()),
            old_total: len,
        };
        match &mut self.syntax {
            Syntax::Yaml(segments) => {
                let window = edit_segments::<Yaml>(&self.rope, segments, &edit);
                keep_hot(segments, window, &edit, &mut self.hot);
            }
            Syntax::Json(segments) => {
                let window = edit_segments::<Json>(&self.rope, segments, &edit);
                keep_hot(segments, window, &edit, &mut self.hot);
            }
            Syntax::Terraform(segments) => {
                let window = edit_segments::<Terraform>(&self.rope, segments, &edit);
                keep_hot(segments, window, &edit, &mut self.hot);
            }
        }
    }

    fn rebuild_all(&mut self) {
        self.hot = None;
        match &mut self.syntax {
            Syntax::Yaml(segments) => *segments = build_all::<Yaml>(&self.rope),
            Syntax::Json(segments) => *segments = build_all::<Json>(&self.rope),
            Syntax::Terraform(segments) => *segments = build_all::<Terraform>(&self.rope),
        }
    }
}

/// Segment ranges and roles, in document order, with what the scan found in each
/// segment that building it can use.
type Bounds<R, H> = Vec<(Range<usize>, R, H)>;

/// How one language cuts and builds segments.
trait Splitter {
    type Role: SegmentRole;
    /// What scanning a segment found that building it needs too.
    type Hint: Send;
    /// Whether a segment's result depends on the role of the segment after it (JSON
    /// judges the text between members up to the next member), so that a segment
    /// whose text is unchanged is reused only if that role is unchanged too.
    const NEXT_MATTERS: bool;

    /// The segments from `from` (0, or the start of a segment whose role was `role`),
    /// as ranges and roles. Scanning continues past `until` and stops at the first
    /// segment start `stop` accepts (given its new role, if it is one), returning
    /// `true` then; `false` when the scan reached the end of the text.
    fn scan(
        rope: &Rope,
        from: usize,
        role: Option<&Self::Role>,
        until: usize,
        stop: &mut dyn FnMut(usize, Option<&Self::Role>) -> bool,
    ) -> (Bounds<Self::Role, Self::Hint>, bool);

    /// Parses one segment and builds its entries. `hint`: what the scan that found the
    /// segment saw in it. `old`: the segment this one replaces, whose text changed by
    /// `edit` only, for an incremental reparse.
    fn build(
        rope: &Rope,
        range: Range<usize>,
        role: Self::Role,
        hint: Option<Self::Hint>,
        old: Option<(Segment<Self::Role>, &Edit)>,
    ) -> Segment<Self::Role>;

    /// A segment whose text is unchanged, seen in another role.
    fn retarget(rope: &Rope, seg: Segment<Self::Role>, role: Self::Role) -> Segment<Self::Role>;
}

/// Documents at least this big are parsed on more than one thread when opened.
const PARALLEL_BUILD_BYTES: usize = 256 * 1024;

/// Cuts and builds every segment of a document from scratch.
fn build_all<S: Splitter>(rope: &Rope) -> Vec<Segment<S::Role>>
where
    S::Role: Sync,
{
    let len = rope.len_bytes();
    let (bounds, _) = S::scan(rope, 0, None, len, &mut |_, _| false);
    build_segments::<S>(rope, bounds)
}

/// Builds segments from scratch. Segments parse independently (each thread has its
/// own parser), so a big document is cut into runs of about equal size built on
/// scoped threads: opening a 1 MB template is mostly tree-sitter time.
fn build_segments<S: Splitter>(
    rope: &Rope,
    bounds: Bounds<S::Role, S::Hint>,
) -> Vec<Segment<S::Role>>
where
    S::Role: Sync,
{
    type Run<S> = Bounds<<S as Splitter>::Role, <S as Splitter>::Hint>;
    let build = |run: Run<S>| -> Vec<Segment<S::Role>> {
        run.into_iter()
            .map(|(range, role, hint)| {
                let mut seg = S::build(rope, range, role, Some(hint), None);
                if seg.len < KEEP_TREE_BYTES {
                    seg.tree = None;
                }
                seg
            })
            .collect()
    };
    let total = rope.len_bytes();
    let threads = if total >= PARALLEL_BUILD_BYTES {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
    } else {
        1
    };
    if threads < 2 || bounds.len() < 2 * threads {
        return build(bounds);
    }
    let mut runs: Vec<Run<S>> = (0..threads).map(|_| Vec::new()).collect();
    for (range, role, hint) in bounds {
        let run = (range.start * threads / total).min(threads - 1);
        runs[run].push((range, role, hint));
    }
    let mut runs = runs.into_iter();
    let first = runs.next().unwrap_or_default();
    // Each run waits in a slot, so a thread that cannot be started leaves it here.
    let others: Vec<std::sync::Mutex<Option<Run<S>>>> =
        runs.map(|run| std::sync::Mutex::new(Some(run))).collect();
    let take = |slot: &std::sync::Mutex<Option<Run<S>>>| -> Run<S> {
        slot.lock()
            .map(|mut run| run.take().unwrap_or_default())
            .unwrap_or_default()
    };
    std::thread::scope(|scope| {
        let handles: Vec<_> = others
            .iter()
            .map(|slot| {
                std::thread::Builder::new()
                    .name("apigw-parse".to_string())
                    .spawn_scoped(scope, || build(take(slot)))
                    .ok()
            })
            .collect();
        let mut out = build(first);
        for (slot, handle) in others.iter().zip(handles) {
            match handle.map(|h| h.join()) {
                Some(Ok(segments)) => out.extend(segments),
                // A panic in a parse thread goes on in the caller, as it would have.
                Some(Err(panic)) => std::panic::resume_unwind(panic),
                None => out.extend(build(take(slot))),
            }
        }
        out
    })
}

/// Everything about one edit that trees and segments need.
#[derive(Debug, Clone, Copy)]
struct Edit {
    start: usize,
    old_end: usize,
    new_end: usize,
    start_point: Point,
    old_end_point: Point,
    new_end_point: Point,
    old_total: usize,
}

impl Edit {
    fn delta(&self) -> isize {
        self.new_end as isize - self.old_end as isize
    }

    fn shift(&self, offset: usize) -> usize {
        offset.saturating_add_signed(self.delta())
    }

    /// Whether the old byte range `range` has content the edit changes. A pure insertion
    /// at a segment's end belongs to the next segment (or to the last one at the end).
    fn touches(&self, range: &Range<usize>) -> bool {
        if self.start == self.old_end {
            (range.start <= self.start && self.start < range.end)
                || (self.start == range.end && range.end == self.old_total)
        } else {
            range.start < self.old_end && self.start < range.end
        }
    }

    /// Where an old range lies after the edit, if the edit did not touch it.
    fn map_untouched(&self, range: &Range<usize>) -> Range<usize> {
        if range.end <= self.start {
            range.clone()
        } else {
            self.shift(range.start)..self.shift(range.end)
        }
    }

    /// The InputEdit for a tree whose text starts at byte `base` (at `base_point`, not
    /// moved by the edit) after `pad` bytes the parser was given first (on its first
    /// row).
    fn input_edit(&self, base: usize, base_point: Point, pad: usize) -> InputEdit {
        let rel = |p: Point| {
            if p.row == base_point.row {
                Point {
                    row: 0,
                    column: p.column.saturating_sub(base_point.column) + pad,
                }
            } else {
                Point {
                    row: p.row.saturating_sub(base_point.row),
                    column: p.column,
                }
            }
        };
        InputEdit {
            start_byte: self.start - base + pad,
            old_end_byte: self.old_end - base + pad,
            new_end_byte: self.new_end - base + pad,
            start_position: rel(self.start_point),
            old_end_position: rel(self.old_end_point),
            new_end_position: rel(self.new_end_point),
        }
    }
}

/// tree-sitter's point (row, byte column) of a byte offset.
fn point_at(rope: &Rope, offset: usize) -> Point {
    let line = rope.byte_to_line(offset);
    Point {
        row: line,
        column: offset - rope.line_to_byte(line),
    }
}

/// Re-cuts and rebuilds the segments an edit touched (`rope` is the edited text,
/// `segments` still the old ones).
/// Returns the indexes of the segments it rebuilt (`None`: all of them).
fn edit_segments<S: Splitter>(
    rope: &Rope,
    segments: &mut Vec<Segment<S::Role>>,
    edit: &Edit,
) -> Option<Range<usize>>
where
    S::Role: Sync,
{
    if segments.is_empty() {
        *segments = build_all::<S>(rope);
        return None;
    }
    // Segments whose old range [start, end] meets the edit (inclusive, so a deleted
    // boundary newline brings in both neighbours).
    let mut first = segments.partition_point(|s| s.end() < edit.start);
    let last = segments
        .partition_point(|s| s.start <= edit.old_end)
        .saturating_sub(1)
        .max(first);
    let last = last.min(segments.len() - 1);
    first = first.min(last);
    if S::NEXT_MATTERS {
        // Whether a segment still starts where it did is decided by the one before
        // it, up to and including the first byte of its member.
        first = first.saturating_sub(1);
    }
    // The first entry of a section decides its indentation: rescan from the header.
    if first > 0 && segments[first].role.is_child() && !segments[first - 1].role.is_child() {
        first -= 1;
    }
    loop {
        let window_start = segments[first].start;
        let role = (first > 0).then(|| segments[first].role.clone());
        let until = edit.shift(segments[last].end()).max(window_start);
        // Old segments after the window, in new coordinates, for resynchronisation.
        let mut later = segments[last + 1..]
            .iter()
            .map(|s| (edit.shift(s.start), s.role.clone()))
            .peekable();
        let mut absorbed = last;
        let (bounds, stopped) =
            S::scan(rope, window_start, role.as_ref(), until, &mut |at, role| {
                while later.peek().is_some_and(|(s, _)| *s < at) {
                    later.next();
                    absorbed += 1;
                }
                match later.peek() {
                    Some((s, old_role)) if *s == at => {
                        if role == Some(old_role) {
                            true
                        } else {
                            later.next();
                            absorbed += 1;
                            false
                        }
                    }
                    _ => false,
                }
            });
        // The window must still start with a boundary of the role we assumed.
        let starts_right = first == 0
            || bounds.first().is_some_and(|(range, role, _)| {
                range.start == window_start && *role == segments[first].role
            });
        if !starts_right {
            first -= 1;
            continue;
        }
        let last = if stopped {
            absorbed.min(segments.len() - 1)
        } else {
            segments.len() - 1
        };
        let after = replace_window::<S>(rope, segments, first, last, bounds, edit);
        return Some(first..after);
    }
}

/// After an edit: of the small segments, only the one the cursor is in (at the end of
/// the edit's new text) keeps its tree, so that typing on there reparses it
/// incrementally; `hot` is where that segment starts. `window`: the segments the
/// edit rebuilt (`None`: all).
fn keep_hot<R>(
    segments: &mut [Segment<R>],
    window: Option<Range<usize>>,
    edit: &Edit,
    hot: &mut Option<usize>,
) {
    let Some(window) = window else {
        *hot = None;
        return;
    };
    let cursor = edit.new_end;
    let mut new_hot = None;
    for seg in segments.get_mut(window.clone()).unwrap_or_default() {
        if seg.tree.is_none() || seg.len >= KEEP_TREE_BYTES {
            continue;
        }
        if new_hot.is_none() && seg.start <= cursor && cursor <= seg.end() {
            new_hot = Some(seg.start);
        } else {
            seg.tree = None;
        }
    }
    // The segment that kept its tree before, unless the edit rebuilt it.
    if let Some(old) = hot.take() {
        let old = if old < edit.start {
            old
        } else {
            edit.shift(old)
        };
        if let Ok(i) = segments.binary_search_by_key(&old, |s| s.start)
            && !window.contains(&i)
            && segments[i].len < KEEP_TREE_BYTES
        {
            segments[i].tree = None;
        }
    }
    *hot = new_hot;
}

/// Rebuilds the window `first..=last`; returns the index after its new segments.
fn replace_window<S: Splitter>(
    rope: &Rope,
    segments: &mut Vec<Segment<S::Role>>,
    first: usize,
    last: usize,
    bounds: Bounds<S::Role, S::Hint>,
    edit: &Edit,
) -> usize {
    // The window's segments are taken out in place (a placeholder each), so that the
    // thousands of segments after it move at most once, and not at all when the
    // window keeps its number of segments (a keystroke inside one member).
    let old: Vec<Segment<S::Role>> = segments[first..=last]
        .iter_mut()
        .map(|seg| {
            let placeholder = Segment {
                start: seg.start,
                len: 0,
                role: seg.role.clone(),
                tree: None,
                parsed: 0..0,
                entries: Vec::new(),
                errors: Vec::new(),
            };
            std::mem::replace(seg, placeholder)
        })
        .collect();
    // The role of the segment after each one, before and after the edit.
    let after_window = segments.get(last + 1).map(|s| s.role.clone());
    let old_next: Vec<Option<S::Role>> = (0..old.len())
        .map(|j| {
            old.get(j + 1)
                .map(|s| s.role.clone())
                .or_else(|| after_window.clone())
        })
        .collect();
    let new_next: Vec<Option<S::Role>> = (0..bounds.len())
        .map(|i| {
            bounds
                .get(i + 1)
                .map(|(_, r, _)| r.clone())
                .or_else(|| after_window.clone())
        })
        .collect();
    let mut fresh: Vec<Segment<S::Role>> = Vec::with_capacity(bounds.len());
    let mut old_slots: Vec<Option<Segment<S::Role>>> = old.into_iter().map(Some).collect();
    for (i, (range, role, hint)) in bounds.into_iter().enumerate() {
        let mut hint = Some(hint);
        let mut built = None;
        for (j, slot) in old_slots.iter_mut().enumerate() {
            let Some(seg) = slot.as_ref() else { continue };
            let old_range = seg.start..seg.end();
            if edit.touches(&old_range) {
                let contains = seg.start <= edit.start && edit.old_end <= seg.end();
                if contains && range.start == seg.start && range.end == edit.shift(seg.end()) {
                    if let Some(seg) = slot.take() {
                        built = Some(S::build(
                            rope,
                            range.clone(),
                            role.clone(),
                            hint.take(),
                            Some((seg, edit)),
                        ));
                    }
                    break;
                }
            } else if edit.map_untouched(&old_range) == range {
                if S::NEXT_MATTERS && old_next[j] != new_next[i] {
                    break;
                }
                if let Some(mut seg) = slot.take() {
                    seg.start = range.start;
                    built = Some(if seg.role == role {
                        seg
                    } else {
                        S::retarget(rope, seg, role.clone())
                    });
                }
                break;
            }
        }
        fresh.push(built.unwrap_or_else(|| S::build(rope, range, role, hint, None)));
    }
    let after = first + fresh.len();
    segments.splice(first..=last, fresh);
    let delta = edit.delta();
    if delta != 0 {
        for seg in &mut segments[after..] {
            seg.start = seg.start.saturating_add_signed(delta);
        }
    }
    after
}

/// YAML: cut by lines ([`split`]), each segment parsed as a YAML stream.
struct Yaml;

impl Splitter for Yaml {
    type Role = Role;
    type Hint = ();
    const NEXT_MATTERS: bool = false;

    fn scan(
        rope: &Rope,
        from: usize,
        role: Option<&Role>,
        until: usize,
        stop: &mut dyn FnMut(usize, Option<&Role>) -> bool,
    ) -> (Bounds<Role, ()>, bool) {
        let scanner = match role {
            Some(Role::Child { section, indent }) => Scanner::in_section(section.clone(), *indent),
            _ => Scanner::default(),
        };
        scan_yaml(rope, from, scanner, until, stop)
    }

    fn build(
        rope: &Rope,
        range: Range<usize>,
        role: Role,
        _: Option<()>,
        old: Option<(Segment<Role>, &Edit)>,
    ) -> Segment<Role> {
        let old_tree = old.and_then(|(mut seg, edit)| {
            let mut tree = seg.tree.take()?;
            tree.edit(&edit.input_edit(seg.start, point_at(rope, seg.start), 0));
            Some(tree)
        });
        build_yaml(rope, range, role, old_tree.as_ref())
    }

    fn retarget(_: &Rope, mut seg: Segment<Role>, role: Role) -> Segment<Role> {
        // Same text, new section: what the entries mean changed (a member of `paths`
        // is not a resource), so they get new stamps and caches keyed on the old ones
        // no longer apply.
        seg.entries = seg
            .entries
            .iter()
            .map(|e| {
                Arc::new(Entry {
                    stamp: next_stamp(),
                    key: e.key.clone(),
                    key_span: e.key_span,
                    value: e.value.clone(),
                    splits: role.splits(),
                    block: None,
                })
            })
            .collect();
        seg.role = role;
        seg
    }
}

/// Runs the YAML splitter from the line starting at `from` and returns segment ranges
/// with their roles. Scanning continues past `until` and stops at the first line `stop`
/// accepts (given the role the scanner gives that line), or at the end of the text.
fn scan_yaml(
    rope: &Rope,
    from: usize,
    mut scanner: Scanner,
    until: usize,
    stop: &mut dyn FnMut(usize, Option<&Role>) -> bool,
) -> (Bounds<Role, ()>, bool) {
    let total = rope.len_bytes();
    let first_line = rope.byte_to_line(from);
    let mut line_start = rope.line_to_byte(first_line);
    let mut bounds: Vec<(usize, Role)> = Vec::new();
    let mut prefix = Vec::with_capacity(split::LINE_PREFIX);
    let mut end = total;
    let mut stopped = false;
    for line in rope.lines_at(first_line) {
        let line_len = line.len_bytes();
        if line_len == 0 {
            break;
        }
        prefix.clear();
        prefix.extend(line.bytes().take(split::LINE_PREFIX));
        let role = scanner.line(&prefix);
        if line_start >= until && line_start > from && stop(line_start, role.as_ref()) {
            end = line_start;
            stopped = true;
            break;
        }
        match role {
            Some(role) => bounds.push((line_start, role)),
            None if line_start == from => bounds.push((from, Role::Top { splits: false })),
            None => {}
        }
        line_start += line_len;
    }
    if bounds.is_empty() {
        bounds.push((from, Role::Top { splits: false }));
    }
    let mut out = Vec::with_capacity(bounds.len());
    for (i, (start, role)) in bounds.iter().enumerate() {
        let seg_end = bounds.get(i + 1).map_or(end, |(next, _)| *next);
        out.push((*start..seg_end, role.clone(), ()));
    }
    (out, stopped)
}

/// Parses one YAML segment (incrementally when given an edited old tree) and builds
/// its entries.
fn build_yaml(rope: &Rope, range: Range<usize>, role: Role, old: Option<&Tree>) -> Segment<Role> {
    let len = range.end - range.start;
    // Text past the grammar's limits is reported, never parsed: the parser would
    // misread it, or abort the process.
    let text = std::borrow::Cow::<str>::from(rope.byte_slice(range.clone()));
    if let Some(over) = syntax::yaml_limits::check(&text) {
        return Segment {
            start: range.start,
            len,
            role,
            tree: None,
            parsed: 0..0,
            entries: Vec::new(),
            errors: vec![(over.range, over.message)],
        };
    }
    let mut tree = syntax::parse_rope_range(Language::Yaml, rope, range.clone(), old);
    if old.is_some() && tree.as_ref().is_some_and(|t| t.root_node().has_error()) {
        tree = syntax::parse_rope_range(Language::Yaml, rope, range.clone(), None);
    }
    let src = RopeWindow {
        rope,
        base: range.start,
    };
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    if let Some(tree) = &tree {
        errors = syntax::syntax_errors(tree.root_node(), ERRORS_PER_SEGMENT);
        let root = syntax::yaml::build(tree.root_node(), &src);
        let splits = role.splits();
        match root.map(into_pairs) {
            Some(Ok(pairs)) => {
                for mut pair in pairs {
                    // A resource of a Pulumi YAML program: its expressions read once.
                    if let Some(value) = pair.value.as_mut() {
                        syntax::pulumi::read_entry(&pair.key, value);
                    }
                    entries.push(Arc::new(Entry {
                        stamp: next_stamp(),
                        key: Some(pair.key),
                        key_span: pair.key_span,
                        value: pair.value,
                        splits,
                        block: None,
                    }));
                }
            }
            Some(Err(node)) => entries.push(Arc::new(Entry {
                stamp: next_stamp(),
                key: None,
                key_span: Span::new(node.span.start as usize, node.span.start as usize),
                value: Some(node),
                splits: false,
                block: None,
            })),
            None => {}
        }
    }
    Segment {
        start: range.start,
        len,
        role,
        tree,
        parsed: 0..len,
        entries,
        errors,
    }
}

/// The pairs of a segment's root mapping (undoing long-form intrinsic recognition,
/// which does not apply to a document's top level), or the node itself.
fn into_pairs(node: Node) -> Result<Vec<Pair>, Node> {
    match node.kind {
        NodeKind::Map(pairs) => Ok(pairs),
        NodeKind::Intrinsic(intrinsic) if !intrinsic.short_form => {
            let intrinsic = *intrinsic;
            Ok(vec![Pair {
                key: intrinsic.name,
                key_span: intrinsic.name_span,
                value: intrinsic.argument,
            }])
        }
        kind => Err(Node {
            span: node.span,
            kind,
        }),
    }
}

/// JSON: cut by structure ([`json_split`]), each member parsed on its own.
struct Json;

impl Splitter for Json {
    type Role = JsonRole;
    /// The member's text to parse and the errors between members.
    type Hint = json_split::SegmentScan;
    const NEXT_MATTERS: bool = true;

    fn scan(
        rope: &Rope,
        from: usize,
        role: Option<&JsonRole>,
        until: usize,
        stop: &mut dyn FnMut(usize, Option<&JsonRole>) -> bool,
    ) -> (Bounds<JsonRole, json_split::SegmentScan>, bool) {
        let len = rope.len_bytes();
        let mut cx = match role {
            Some(role) if from > 0 => role.context(),
            _ => json_split::Context::Start,
        };
        let mut at = from;
        let mut out = Vec::new();
        loop {
            let scan = json_split::scan_segment(rope, at, &cx);
            if at > from && at >= until && stop(at, Some(&scan.role)) {
                return (out, true);
            }
            // Every segment holds at least one byte (the scanner always moves on).
            let end = scan.end.clamp((at + 1).min(len), len);
            cx = scan.next.clone();
            out.push((at..end, scan.role.clone(), scan));
            if end >= len {
                return (out, false);
            }
            at = end;
        }
    }

    fn build(
        rope: &Rope,
        range: Range<usize>,
        role: JsonRole,
        hint: Option<json_split::SegmentScan>,
        old: Option<(Segment<JsonRole>, &Edit)>,
    ) -> Segment<JsonRole> {
        let start = range.start;
        let len = range.end - range.start;
        let scan = hint
            .filter(|scan| scan.role == role)
            .unwrap_or_else(|| json_split::scan_segment(rope, start, &role.context()));
        let rel = |r: &Range<usize>| {
            r.start.saturating_sub(start).min(len)..r.end.saturating_sub(start).min(len)
        };
        let mut errors: Vec<(Range<usize>, String)> = scan
            .errors
            .iter()
            .map(|(r, m)| (rel(r), m.clone()))
            .collect();
        let piece = match &role {
            JsonRole::Prelude => None,
            JsonRole::Whole | JsonRole::Trailer => Some(Piece::Plain),
            JsonRole::Member { splits: true, .. } => Some(Piece::Header),
            JsonRole::Member { .. } => Some(Piece::Member),
        };
        let mut segment = Segment {
            start,
            len,
            role,
            tree: None,
            parsed: 0..0,
            entries: Vec::new(),
            errors: Vec::new(),
        };
        if let (Some(piece), Some(text)) = (piece, scan.parse) {
            let text = text.start.clamp(start, range.end)..text.end.clamp(start, range.end);
            let old_tree = old.and_then(|(old, edit)| {
                json_old_tree(rope, old, edit, &segment.role, &text, piece)
            });
            let parsed = syntax::json::parse_piece(
                rope,
                text.clone(),
                start,
                piece,
                old_tree.as_ref(),
                ERRORS_PER_SEGMENT,
            );
            errors.extend(parsed.errors);
            let splits = segment.role.splits();
            let key_at = Span::new(text.start - start, text.start - start);
            match (&segment.role, parsed.value) {
                (JsonRole::Trailer, _) => {}
                (_, Some(value)) => segment.entries.push(Arc::new(Entry {
                    stamp: next_stamp(),
                    key: None,
                    key_span: Span::new(value.span.start as usize, value.span.start as usize),
                    value: Some(value),
                    splits: false,
                    block: None,
                })),
                (_, None) => {
                    for mut member in parsed.members {
                        let (key, key_span) = match member.key {
                            Some((key, span)) => (Some(key), span),
                            None => (None, key_at),
                        };
                        // A resource of a Pulumi program written in JSON.
                        if let (Some(key), Some(value)) = (&key, member.value.as_mut()) {
                            syntax::pulumi::read_entry(key, value);
                        }
                        segment.entries.push(Arc::new(Entry {
                            stamp: next_stamp(),
                            key,
                            key_span,
                            value: if splits { None } else { member.value },
                            splits,
                            block: None,
                        }));
                    }
                }
            }
            segment.tree = parsed.tree;
            segment.parsed = text.start - start..text.end - start;
        }
        errors.sort_by_key(|(r, _)| (r.start, r.end));
        errors.truncate(ERRORS_PER_SEGMENT);
        segment.errors = errors;
        segment
    }

    fn retarget(rope: &Rope, seg: Segment<JsonRole>, role: JsonRole) -> Segment<JsonRole> {
        // The text between members is judged in the segment's context: read it again.
        let range = seg.start..seg.end();
        Self::build(rope, range, role, None, None)
    }
}

/// The old tree of a JSON segment, edited, when the edit lies inside the text it was
/// parsed from and that text moved with the edit only (same role, same start).
fn json_old_tree(
    rope: &Rope,
    mut old: Segment<JsonRole>,
    edit: &Edit,
    role: &JsonRole,
    text: &Range<usize>,
    piece: Piece,
) -> Option<Tree> {
    let mut tree = old.tree.take()?;
    let parsed = old.start + old.parsed.start..old.start + old.parsed.end;
    let fits = old.role == *role
        && text.start == parsed.start
        && parsed.start <= edit.start
        && edit.old_end <= parsed.end
        && text.end == edit.shift(parsed.end);
    if !fits {
        return None;
    }
    tree.edit(&edit.input_edit(parsed.start, point_at(rope, parsed.start), piece.pad()));
    Some(tree)
}

/// Terraform: cut at top-level blocks ([`tf_split`]), each segment parsed on its own
/// with tree-sitter-hcl.
struct Terraform;

impl Splitter for Terraform {
    type Role = TfRole;
    type Hint = ();
    /// Whether a line starts a segment depends on the segment before it (a header inside
    /// an open block, string or comment starts none), and the edited line may be the
    /// next segment's first: the window starts one segment early, as for JSON.
    const NEXT_MATTERS: bool = true;

    fn scan(
        rope: &Rope,
        from: usize,
        _: Option<&TfRole>,
        until: usize,
        stop: &mut dyn FnMut(usize, Option<&TfRole>) -> bool,
    ) -> (Bounds<TfRole, ()>, bool) {
        let len = rope.len_bytes();
        let mut at = from;
        let mut out = Vec::new();
        loop {
            let role = tf_split::role_at(rope, at);
            if at > from && at >= until && stop(at, Some(&role)) {
                return (out, true);
            }
            // Every segment holds at least one byte (the scanner always moves on).
            let end = tf_split::segment_end(rope, at).clamp((at + 1).min(len), len);
            out.push((at..end, role, ()));
            if end >= len {
                return (out, false);
            }
            at = end;
        }
    }

    fn build(
        rope: &Rope,
        range: Range<usize>,
        role: TfRole,
        _: Option<()>,
        old: Option<(Segment<TfRole>, &Edit)>,
    ) -> Segment<TfRole> {
        let old_tree = old.and_then(|(mut seg, edit)| {
            let mut tree = seg.tree.take()?;
            tree.edit(&edit.input_edit(seg.start, point_at(rope, seg.start), 0));
            Some(tree)
        });
        let len = range.end - range.start;
        let mut tree =
            syntax::parse_rope_range(Language::Terraform, rope, range.clone(), old_tree.as_ref());
        if old_tree.is_some() && tree.as_ref().is_some_and(|t| t.root_node().has_error()) {
            tree = syntax::parse_rope_range(Language::Terraform, rope, range.clone(), None);
        }
        let src = RopeWindow {
            rope,
            base: range.start,
        };
        let mut entries = Vec::new();
        let mut errors = Vec::new();
        if let Some(tree) = &tree {
            errors = syntax::hcl::syntax_errors(tree.root_node(), ERRORS_PER_SEGMENT);
            for item in syntax::hcl::build(tree.root_node(), &src) {
                entries.push(Arc::new(Entry {
                    stamp: next_stamp(),
                    key: item.key,
                    key_span: item.key_span,
                    value: item.value,
                    splits: false,
                    block: item.block.map(Box::new),
                }));
            }
        }
        Segment {
            start: range.start,
            len,
            role,
            tree,
            parsed: 0..len,
            entries,
            errors,
        }
    }

    fn retarget(_: &Rope, mut seg: Segment<TfRole>, role: TfRole) -> Segment<TfRole> {
        // Roles say only whether the segment starts with a header, which its own text
        // decides; should it differ all the same, the entries get new stamps.
        seg.entries = seg
            .entries
            .iter()
            .map(|e| {
                Arc::new(Entry {
                    stamp: next_stamp(),
                    key: e.key.clone(),
                    key_span: e.key_span,
                    value: e.value.clone(),
                    splits: false,
                    block: e.block.clone(),
                })
            })
            .collect();
        seg.role = role;
        seg
    }
}

/// A plain, comparable picture of the parsed document, for tests that compare an
/// edited document with a freshly opened one.
pub fn debug_view(doc: &Document) -> Vec<String> {
    fn node(out: &mut String, n: NodeRef<'_>) {
        let span = n.span();
        match n.kind() {
            NodeKind::Map(_) => {
                out.push('{');
                for p in n.pairs() {
                    out.push_str(&format!("{:?}@{:?}:", p.key(), p.key_span()));
                    if let Some(v) = p.value() {
                        node(out, v);
                    }
                    out.push(',');
                }
                out.push('}');
            }
            NodeKind::Seq(_) => {
                out.push('[');
                for item in n.items() {
                    node(out, item);
                    out.push(',');
                }
                out.push(']');
            }
            NodeKind::Scalar(s) => out.push_str(&format!("{:?}@{:?}", s.text, n.text_span())),
            NodeKind::Intrinsic(i) => {
                out.push_str(&format!("!{}(", i.name));
                if let Some(arg) = n.intrinsic_argument() {
                    node(out, arg);
                }
                out.push(')');
            }
            NodeKind::Alias => out.push('*'),
            NodeKind::Invalid => out.push('?'),
        }
        out.push_str(&format!("#{span:?}"));
    }
    let mut lines: Vec<String> = doc
        .entries()
        .map(|e| {
            let mut out = format!("{:?}/{:?}@{:?}=", e.section, e.key(), e.key_span());
            if let Some((kind, span)) = e.block_type() {
                out.push_str(&format!("<{kind}@{span:?}"));
                for (label, span) in e.labels() {
                    out.push_str(&format!(" {label:?}@{span:?}"));
                }
                out.push('>');
            }
            if let Some(v) = e.value() {
                node(&mut out, v);
            }
            out
        })
        .collect();
    for (range, message) in doc.syntax_errors() {
        lines.push(format!("error {range:?} {message}"));
    }
    lines
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tf_tests;
