//! The document: text, version, syntax trees and value trees, kept in step by one
//! function, [`Document::apply_edit`].
//!
//! YAML documents are cut into segments (see [`split`]), each parsed on its own with a
//! tree and the [`Entry`] values built from it. An edit finds the segments it touches,
//! re-runs the splitter over just those lines (extending until the split agrees with
//! the old one again), reparses incrementally where the segment survived and from
//! scratch where it is new, and shifts the offsets of every later segment. A segment
//! whose tree has errors after an incremental parse is parsed again from scratch, so
//! what we report never depends on edit history.
//!
//! JSON documents keep one tree-sitter-json tree (it has no row limit; an incremental
//! reparse costs about 2 ms at 1.6 MB, mostly rebalancing the big sections' member
//! lists); its top-level members and the members of the big sections become entries,
//! rebuilt only where an edit touched them.

pub mod history;
pub mod split;

use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use ropey::Rope;
use tree_sitter::{InputEdit, Point, Tree};

use crate::position::{self, PositionEncoding};
use crate::syntax::{self, Language, Node, NodeKind, NodeRef, Pair, RopeWindow, Span};
use split::{Role, Scanner};

static NEXT_STAMP: AtomicU64 = AtomicU64::new(1);

fn next_stamp() -> u64 {
    NEXT_STAMP.fetch_add(1, Ordering::Relaxed)
}

/// One top-level member, or one member of a split section, with its value tree.
/// Spans inside are relative to the entry's base offset.
#[derive(Debug)]
pub struct Entry {
    /// Unique for every build of an entry: caches key on it.
    pub stamp: u64,
    pub key: Option<String>,
    pub key_span: Span,
    pub value: Option<Node>,
    /// A top-level key whose members are entries of their own.
    pub splits: bool,
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
}

/// A change to the text in editor coordinates (`range: None` replaces everything).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextChange {
    pub range: Option<position::Range>,
    pub text: String,
}

#[derive(Debug)]
struct Segment {
    start: usize,
    len: usize,
    role: Role,
    tree: Option<Tree>,
    entries: Vec<Arc<Entry>>,
    errors: Vec<(Range<usize>, String)>,
}

impl Segment {
    fn end(&self) -> usize {
        self.start + self.len
    }
}

#[derive(Debug)]
struct JsonEntry {
    base: usize,
    len: usize,
    section: Option<Arc<str>>,
    entry: Arc<Entry>,
    /// Built from a pair without syntax errors: only such entries are reused, since
    /// error recovery can read the same text differently in a different context.
    clean: bool,
}

#[derive(Debug, Default)]
struct JsonState {
    tree: Option<Tree>,
    entries: Vec<JsonEntry>,
    errors: Vec<(Range<usize>, String)>,
}

#[derive(Debug)]
enum Syntax {
    Yaml(Vec<Segment>),
    Json(JsonState),
}

/// Text plus everything parsed from it.
#[derive(Debug)]
pub struct Document {
    rope: Rope,
    version: i32,
    language: Language,
    syntax: Syntax,
}

/// Syntax errors reported per segment, at most.
const ERRORS_PER_SEGMENT: usize = 3;

impl Document {
    pub fn new(text: &str, language: Language, version: i32) -> Self {
        let rope = Rope::from_str(text);
        let syntax = match language {
            Language::Yaml => Syntax::Yaml(Vec::new()),
            Language::Json => Syntax::Json(JsonState::default()),
        };
        let mut doc = Document {
            rope,
            version,
            language,
            syntax,
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
            Syntax::Yaml(segments) => Box::new(segments.iter().flat_map(|seg| {
                let section = match &seg.role {
                    Role::Child { section, .. } => Some(&**section),
                    Role::Top { .. } => None,
                };
                seg.entries.iter().map(move |entry| EntryRef {
                    entry,
                    base: seg.start,
                    section,
                })
            })),
            Syntax::Json(state) => Box::new(state.entries.iter().map(|e| EntryRef {
                entry: &e.entry,
                base: e.base,
                section: e.section.as_deref(),
            })),
        }
    }

    /// The entries whose text contains byte `offset` (found by binary search: the
    /// segment holding the offset, or for JSON the members around it). An offset at the
    /// very end of an entry counts as inside it, so a cursor at the end of a line works.
    pub fn entries_at(&self, offset: usize) -> Vec<EntryRef<'_>> {
        match &self.syntax {
            Syntax::Yaml(segments) => {
                let i = segments
                    .partition_point(|s| s.start <= offset)
                    .saturating_sub(1);
                let mut out = Vec::new();
                for seg in segments.get(i).into_iter() {
                    let section = match &seg.role {
                        Role::Child { section, .. } => Some(&**section),
                        Role::Top { .. } => None,
                    };
                    out.extend(seg.entries.iter().map(|entry| EntryRef {
                        entry,
                        base: seg.start,
                        section,
                    }));
                }
                out
            }
            Syntax::Json(state) => {
                let i = state.entries.partition_point(|e| e.base <= offset);
                state.entries[..i]
                    .iter()
                    .rev()
                    .take(2)
                    .filter(|e| offset <= e.base + e.len)
                    .map(|e| EntryRef {
                        entry: &e.entry,
                        base: e.base,
                        section: e.section.as_deref(),
                    })
                    .collect()
            }
        }
    }

    /// Syntax errors with absolute byte ranges.
    pub fn syntax_errors(&self) -> Vec<(Range<usize>, String)> {
        match &self.syntax {
            Syntax::Yaml(segments) => segments
                .iter()
                .flat_map(|seg| {
                    seg.errors
                        .iter()
                        .map(move |(r, m)| (seg.start + r.start..seg.start + r.end, m.clone()))
                })
                .collect(),
            Syntax::Json(state) => state.errors.clone(),
        }
    }

    /// The number of independently parsed segments (1 for JSON).
    pub fn segment_count(&self) -> usize {
        match &self.syntax {
            Syntax::Yaml(segments) => segments.len(),
            Syntax::Json(_) => 1,
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
            Syntax::Yaml(segments) => edit_yaml(&self.rope, segments, &edit),
            Syntax::Json(state) => edit_json(&self.rope, state, &edit),
        }
    }

    fn rebuild_all(&mut self) {
        match &mut self.syntax {
            Syntax::Yaml(segments) => {
                let len = self.rope.len_bytes();
                let bounds = scan(&self.rope, 0, Scanner::default(), len, |_| None);
                *segments = build_segments(&self.rope, bounds);
            }
            Syntax::Json(state) => {
                let len = self.rope.len_bytes();
                state.tree = syntax::parse_rope_range(Language::Json, &self.rope, 0..len, None);
                rebuild_json_entries(&self.rope, state, &mut JsonReuse::default());
            }
        }
    }
}

/// YAML documents at least this big are parsed on more than one thread when opened.
const PARALLEL_BUILD_BYTES: usize = 256 * 1024;

/// Builds every segment of a document from scratch. Segments parse independently
/// (each thread has its own parser), so a big document is cut into runs of about equal
/// size built on scoped threads: opening a 1 MB template is mostly tree-sitter time.
fn build_segments(rope: &Rope, bounds: Vec<(Range<usize>, Role)>) -> Vec<Segment> {
    type Run = Vec<(Range<usize>, Role)>;
    let build = |run: Run| -> Vec<Segment> {
        run.into_iter()
            .map(|(range, role)| build_segment(rope, range, role, None))
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
    let mut runs: Vec<Run> = (0..threads).map(|_| Vec::new()).collect();
    for (range, role) in bounds {
        let run = (range.start * threads / total).min(threads - 1);
        runs[run].push((range, role));
    }
    let mut runs = runs.into_iter();
    let first = runs.next().unwrap_or_default();
    // Each run waits in a slot, so a thread that cannot be started leaves it here.
    let others: Vec<std::sync::Mutex<Option<Run>>> =
        runs.map(|run| std::sync::Mutex::new(Some(run))).collect();
    let take = |slot: &std::sync::Mutex<Option<Run>>| -> Run {
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

    /// The InputEdit for a tree whose text starts at `base` (which is at a line start).
    fn input_edit(&self, base: usize, base_row: usize) -> InputEdit {
        let rel = |p: Point| Point {
            row: p.row.saturating_sub(base_row),
            column: p.column,
        };
        InputEdit {
            start_byte: self.start - base,
            old_end_byte: self.old_end - base,
            new_end_byte: self.new_end - base,
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

/// Runs the splitter from the line starting at `from` and returns segment ranges with
/// their roles. Scanning continues past `until` and stops at the first line `stop`
/// accepts (given the role the scanner gives that line), or at the end of the text.
fn scan(
    rope: &Rope,
    from: usize,
    mut scanner: Scanner,
    until: usize,
    mut stop: impl FnMut(&(usize, Option<Role>)) -> Option<()>,
) -> Vec<(Range<usize>, Role)> {
    let total = rope.len_bytes();
    let first_line = rope.byte_to_line(from);
    let mut line_start = rope.line_to_byte(first_line);
    let mut bounds: Vec<(usize, Role)> = Vec::new();
    let mut prefix = Vec::with_capacity(split::LINE_PREFIX);
    let mut end = total;
    for line in rope.lines_at(first_line) {
        let line_len = line.len_bytes();
        if line_len == 0 {
            break;
        }
        prefix.clear();
        prefix.extend(line.bytes().take(split::LINE_PREFIX));
        let role = scanner.line(&prefix);
        if line_start >= until && line_start > from && stop(&(line_start, role.clone())).is_some() {
            end = line_start;
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
        out.push((*start..seg_end, role.clone()));
    }
    out
}

/// Parses one segment (incrementally when given an edited old tree) and builds its entries.
fn build_segment(rope: &Rope, range: Range<usize>, role: Role, old: Option<&Tree>) -> Segment {
    // Text past the grammar's limits is reported, never parsed: the parser would
    // misread it, or abort the process.
    let text = std::borrow::Cow::<str>::from(rope.byte_slice(range.clone()));
    if let Some(over) = syntax::yaml_limits::check(&text) {
        return Segment {
            start: range.start,
            len: range.end - range.start,
            role,
            tree: None,
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
        let splits = matches!(role, Role::Top { splits: true });
        match root.map(into_pairs) {
            Some(Ok(pairs)) => {
                for pair in pairs {
                    entries.push(Arc::new(Entry {
                        stamp: next_stamp(),
                        key: Some(pair.key),
                        key_span: pair.key_span,
                        value: pair.value,
                        splits,
                    }));
                }
            }
            Some(Err(node)) => entries.push(Arc::new(Entry {
                stamp: next_stamp(),
                key: None,
                key_span: Span::new(node.span.start as usize, node.span.start as usize),
                value: Some(node),
                splits: false,
            })),
            None => {}
        }
    }
    Segment {
        start: range.start,
        len: range.end - range.start,
        role,
        tree,
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

fn edit_yaml(rope: &Rope, segments: &mut Vec<Segment>, edit: &Edit) {
    if segments.is_empty() {
        let len = rope.len_bytes();
        *segments = scan(rope, 0, Scanner::default(), len, |_| None)
            .into_iter()
            .map(|(range, role)| build_segment(rope, range, role, None))
            .collect();
        return;
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
    // The first entry of a section decides its indentation: rescan from the header.
    if first > 0
        && matches!(segments[first].role, Role::Child { .. })
        && matches!(segments[first - 1].role, Role::Top { .. })
    {
        first -= 1;
    }
    loop {
        let window_start = segments[first].start;
        let scanner = match &segments[first].role {
            Role::Child { section, indent } => Scanner::in_section(section.clone(), *indent),
            Role::Top { .. } => Scanner::default(),
        };
        let until = edit.shift(segments[last].end()).max(window_start);
        // Old segments after the window, in new coordinates, for resynchronisation.
        let mut later = segments[last + 1..]
            .iter()
            .map(|s| (edit.shift(s.start), s.role.clone()))
            .peekable();
        let mut absorbed = last;
        let bounds = scan(rope, window_start, scanner, until, |(line_start, role)| {
            while later.peek().is_some_and(|(s, _)| s < line_start) {
                later.next();
                absorbed += 1;
            }
            match later.peek() {
                Some((s, old_role)) if s == line_start => {
                    if role.as_ref() == Some(old_role) {
                        Some(())
                    } else {
                        later.next();
                        absorbed += 1;
                        None
                    }
                }
                _ => None,
            }
        });
        // The window must still start with a boundary of the role we assumed.
        let starts_right = first == 0
            || bounds.first().is_some_and(|(range, role)| {
                range.start == window_start && *role == segments[first].role
            });
        if !starts_right {
            first -= 1;
            continue;
        }
        let last = absorbed.min(segments.len() - 1);
        replace_window(rope, segments, first, last, bounds, edit);
        return;
    }
}

fn replace_window(
    rope: &Rope,
    segments: &mut Vec<Segment>,
    first: usize,
    last: usize,
    bounds: Vec<(Range<usize>, Role)>,
    edit: &Edit,
) {
    let old: Vec<Segment> = segments.drain(first..=last).collect();
    let mut fresh: Vec<Segment> = Vec::with_capacity(bounds.len());
    let mut old_slots: Vec<Option<Segment>> = old.into_iter().map(Some).collect();
    for (range, role) in bounds {
        let mut built = None;
        for slot in old_slots.iter_mut() {
            let Some(seg) = slot.as_ref() else { continue };
            let old_range = seg.start..seg.end();
            if edit.touches(&old_range) {
                let contains = seg.start <= edit.start && edit.old_end <= seg.end();
                if contains && range.start == seg.start && range.end == edit.shift(seg.end()) {
                    if let Some(mut seg) = slot.take() {
                        let base_row = rope.byte_to_line(seg.start);
                        if let Some(tree) = seg.tree.as_mut() {
                            tree.edit(&edit.input_edit(seg.start, base_row));
                        }
                        built = Some(build_segment(
                            rope,
                            range.clone(),
                            role.clone(),
                            seg.tree.as_ref(),
                        ));
                    }
                    break;
                }
            } else if edit.map_untouched(&old_range) == range {
                if let Some(mut seg) = slot.take() {
                    seg.start = range.start;
                    if seg.role != role {
                        // Same text, new section: what the entries mean changed (a
                        // member of `paths` is not a resource), so they get new stamps
                        // and caches keyed on the old ones no longer apply.
                        seg.role = role.clone();
                        seg.entries = seg
                            .entries
                            .iter()
                            .map(|e| {
                                Arc::new(Entry {
                                    stamp: next_stamp(),
                                    key: e.key.clone(),
                                    key_span: e.key_span,
                                    value: e.value.clone(),
                                    splits: matches!(role, Role::Top { splits: true }),
                                })
                            })
                            .collect();
                    }
                    built = Some(seg);
                }
                break;
            }
        }
        fresh.push(built.unwrap_or_else(|| build_segment(rope, range, role, None)));
    }
    let after = first + fresh.len();
    segments.splice(first..first, fresh);
    let delta = edit.delta();
    for seg in &mut segments[after..] {
        seg.start = seg.start.saturating_add_signed(delta);
    }
}

fn edit_json(rope: &Rope, state: &mut JsonState, edit: &Edit) {
    let len = rope.len_bytes();
    let mut tree = state.tree.take();
    if let Some(tree) = tree.as_mut() {
        tree.edit(&edit.input_edit(0, 0));
    }
    let mut new_tree = syntax::parse_rope_range(Language::Json, rope, 0..len, tree.as_ref());
    if tree.is_some() && new_tree.as_ref().is_some_and(|t| t.root_node().has_error()) {
        new_tree = syntax::parse_rope_range(Language::Json, rope, 0..len, None);
    }
    state.tree = new_tree;
    // Entries the edit did not touch keep their values, at their shifted offsets.
    let mut reusable = JsonReuse::default();
    for e in state.entries.drain(..) {
        let range = e.base..e.base + e.len;
        if e.clean
            && !edit.touches(&range)
            && !(edit.start <= range.start && range.end <= edit.old_end)
        {
            let mapped = edit.map_untouched(&range);
            reusable.items.push((mapped, e.section, e.entry));
        }
    }
    rebuild_json_entries(rope, state, &mut reusable);
}

/// Untouched entries at their new offsets, in document order. Rebuilding visits pairs
/// in document order too, so one forward cursor finds them (a hash map of every entry
/// per keystroke cost more than the lookups it served).
#[derive(Default)]
struct JsonReuse {
    items: Vec<ReusableEntry>,
    next: usize,
}

/// An entry's new extent, its section and the entry.
type ReusableEntry = (Range<usize>, Option<Arc<str>>, Arc<Entry>);

impl JsonReuse {
    fn take(&mut self, range: Range<usize>, section: Option<&Arc<str>>) -> Option<Arc<Entry>> {
        while self
            .items
            .get(self.next)
            .is_some_and(|(r, _, _)| r.start < range.start)
        {
            self.next += 1;
        }
        let (r, s, entry) = self.items.get(self.next)?;
        (*r == range && s.as_ref() == section).then(|| entry.clone())
    }
}

fn rebuild_json_entries(rope: &Rope, state: &mut JsonState, reusable: &mut JsonReuse) {
    state.entries.clear();
    state.errors.clear();
    let Some(tree) = state.tree.as_ref() else {
        return;
    };
    let root = tree.root_node();
    state.errors = syntax::syntax_errors(root, ERRORS_PER_SEGMENT * 4);
    let src = RopeWindow { rope, base: 0 };
    let mut cursor = root.walk();
    let Some(top) = root
        .named_children(&mut cursor)
        .find(|n| n.kind() != "comment")
    else {
        return;
    };
    if top.kind() != "object" {
        let node = syntax::json::convert(top, &src, top.start_byte());
        state.entries.push(JsonEntry {
            base: top.start_byte(),
            len: top.end_byte() - top.start_byte(),
            section: None,
            entry: Arc::new(Entry {
                stamp: next_stamp(),
                key: None,
                key_span: Span::new(0, 0),
                value: Some(node),
                splits: false,
            }),
            clean: false,
        });
        return;
    }
    let mut cursor = top.walk();
    for pair in top.named_children(&mut cursor) {
        if pair.kind() != "pair" {
            continue;
        }
        let key_node = pair.child_by_field_name("key");
        let value_node = pair.child_by_field_name("value");
        let key_text = key_node
            .filter(|k| k.kind() == "string")
            .map(|k| syntax::json::string_text(k, &src, 0).0);
        let section = key_text
            .as_deref()
            .and_then(|k| split::SPLIT_SECTIONS.iter().copied().find(|s| *s == k));
        match (section, value_node) {
            (Some(section), Some(object)) if object.kind() == "object" => {
                let section: Arc<str> = Arc::from(section);
                let header = header_entry(pair, key_node, &src);
                state.entries.push(header);
                let mut inner = object.walk();
                for member in object.named_children(&mut inner) {
                    if member.kind() == "pair" {
                        state.entries.push(json_entry(
                            member,
                            Some(section.clone()),
                            &src,
                            reusable,
                        ));
                    }
                }
            }
            _ => state.entries.push(json_entry(pair, None, &src, reusable)),
        }
    }
}

fn header_entry(
    pair: tree_sitter::Node<'_>,
    key: Option<tree_sitter::Node<'_>>,
    src: &RopeWindow<'_>,
) -> JsonEntry {
    let base = pair.start_byte();
    let (key, key_span) = match key {
        Some(k) => {
            let (text, span) = syntax::json::string_text(k, src, base);
            (Some(text), span)
        }
        None => (None, Span::new(0, 0)),
    };
    // Its extent is the key only, so edits inside members never rebuild it.
    let len = key_span.end as usize;
    JsonEntry {
        base,
        len,
        section: None,
        entry: Arc::new(Entry {
            stamp: next_stamp(),
            key,
            key_span,
            value: None,
            splits: true,
        }),
        clean: false,
    }
}

fn json_entry(
    pair: tree_sitter::Node<'_>,
    section: Option<Arc<str>>,
    src: &RopeWindow<'_>,
    reusable: &mut JsonReuse,
) -> JsonEntry {
    let base = pair.start_byte();
    let len = pair.end_byte() - base;
    let clean = !pair.has_error();
    if let Some(entry) = reusable
        .take(base..base + len, section.as_ref())
        .filter(|_| clean)
    {
        return JsonEntry {
            base,
            len,
            section,
            entry,
            clean,
        };
    }
    let (key, key_span) = match pair.child_by_field_name("key") {
        Some(k) if k.kind() == "string" => {
            let (text, span) = syntax::json::string_text(k, src, base);
            (Some(text), span)
        }
        _ => (None, Span::new(0, 0)),
    };
    let value = pair
        .child_by_field_name("value")
        .map(|v| syntax::json::convert(v, src, base));
    JsonEntry {
        base,
        len,
        section,
        entry: Arc::new(Entry {
            stamp: next_stamp(),
            key,
            key_span,
            value,
            splits: false,
        }),
        clean,
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
