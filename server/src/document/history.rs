//! Changes applied in the client's version order, whatever order they arrive in.
//!
//! The LSP asks servers to apply `didChange` notifications in the order they arrive, and
//! clients to send them in version order. Helix 25.01 does not always: in a burst of
//! keys, notifications reach the server out of version order, seen on the wire between
//! Helix and the server (versions 29, 31, 30; in a run of lines, 58 after 74; each
//! notification seems to be written from its own task). Applied as they came, such a
//! change lands at the wrong offsets and the server's text drifts from the editor's for
//! good.
//!
//! So each change is applied at once, and the last [`KEPT`] changes are remembered with
//! the text before them. A change whose version is lower than one already applied
//! rewinds the text to before the first newer change (one edit, from the rope to that
//! earlier text, covering only the bytes that differ) and replays the changes in version
//! order. Nothing ever waits for a missing version: versions need not be consecutive
//! (Neovim skips numbers), so a gap is applied as it is. Every mutation goes through
//! [`Document::apply_edit`], so the result is the document a fresh open of the final
//! text gives.

use std::collections::VecDeque;

use ropey::Rope;

use super::{Document, TextChange};
use crate::position::PositionEncoding;

/// How many applied changes a document remembers for replay. In Helix's bursts most
/// late changes are one or two places late, but a run of them can be sixteen (measured:
/// version 58 after 74); a change older than all of these is applied where it arrives.
pub const KEPT: usize = 64;

/// A bound on the text the remembered changes insert, so that a client sending whole
/// documents (each remembered text is then a copy of its own) keeps a few copies at
/// most. The newest change is always remembered.
pub const KEPT_BYTES: usize = 4 * 1024 * 1024;

/// One applied `didChange`: its version, its changes, and the text (and version)
/// before them.
#[derive(Debug, Clone)]
struct Applied {
    version: i32,
    changes: Vec<TextChange>,
    before: Rope,
    before_version: i32,
}

impl Applied {
    fn bytes(&self) -> usize {
        self.changes.iter().map(|c| c.text.len()).sum()
    }
}

/// What [`History::apply`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The version is newer than everything applied: applied on top.
    InOrder,
    /// The version was older than `replayed` applied changes (the oldest of them had
    /// version `from`): the text was rewound to before them and all were applied in
    /// version order.
    Replayed { from: i32, replayed: usize },
    /// The version is not newer than the document's (`current`, which it keeps) and no
    /// remembered change is newer: its place is unknown (older than anything remembered,
    /// or a repeated version), so it is applied on top, in arrival order, and the memory
    /// of earlier changes is dropped.
    Unordered { current: i32 },
}

/// The recent changes of one document, oldest first, in version order.
#[derive(Debug, Default)]
pub struct History {
    applied: VecDeque<Applied>,
    /// The bytes of text the remembered changes insert.
    bytes: usize,
}

impl History {
    /// Forgets every remembered change.
    pub fn clear(&mut self) {
        self.applied.clear();
        self.bytes = 0;
    }

    /// The remembered versions, oldest first.
    pub fn versions(&self) -> Vec<i32> {
        self.applied.iter().map(|a| a.version).collect()
    }

    /// Applies the changes of one `didChange` with `version` to `doc`, in version order
    /// with the changes remembered; the document's version stays the highest applied.
    pub fn apply(
        &mut self,
        doc: &mut Document,
        version: i32,
        changes: Vec<TextChange>,
        encoding: PositionEncoding,
    ) -> Outcome {
        let current = doc.version();
        if version > current {
            self.push(doc, version, changes, encoding);
            return Outcome::InOrder;
        }
        // The first remembered change that is newer than this one: this one goes right
        // before it if the text before it was older than this one.
        let at = self.applied.partition_point(|a| a.version <= version);
        let Some(next) = self.applied.get(at).filter(|a| a.before_version < version) else {
            // Its place is unknown: what is remembered no longer describes the text
            // before the changes it holds, and this one is not remembered either.
            self.clear();
            for change in &changes {
                doc.apply_change(change, encoding);
            }
            return Outcome::Unordered { current };
        };
        let (from, before, before_version) =
            (next.version, next.before.clone(), next.before_version);
        let later: Vec<Applied> = self.applied.drain(at..).collect();
        self.bytes -= later.iter().map(Applied::bytes).sum::<usize>();
        let replayed = later.len();
        rewind(doc, &before);
        doc.set_version(before_version);
        self.push(doc, version, changes, encoding);
        for applied in later {
            self.push(doc, applied.version, applied.changes, encoding);
        }
        Outcome::Replayed { from, replayed }
    }

    fn push(
        &mut self,
        doc: &mut Document,
        version: i32,
        changes: Vec<TextChange>,
        encoding: PositionEncoding,
    ) {
        let before = doc.rope().clone();
        let before_version = doc.version();
        for change in &changes {
            doc.apply_change(change, encoding);
        }
        doc.set_version(version);
        let applied = Applied {
            version,
            changes,
            before,
            before_version,
        };
        self.bytes += applied.bytes();
        self.applied.push_back(applied);
        while self.applied.len() > KEPT || (self.bytes > KEPT_BYTES && self.applied.len() > 1) {
            if let Some(dropped) = self.applied.pop_front() {
                self.bytes -= dropped.bytes();
            }
        }
    }
}

/// Makes `doc`'s text equal to `text` with one edit over the bytes that differ.
fn rewind(doc: &mut Document, text: &Rope) {
    let (old_len, new_len) = (doc.rope().len_bytes(), text.len_bytes());
    let prefix = common_prefix(doc.rope(), text);
    let suffix = common_suffix(doc.rope(), text, old_len.min(new_len) - prefix);
    // The edit starts and ends on character boundaries in both texts: the shared bytes
    // are the same in both, so a boundary found in them is one in each.
    let is_continuation =
        |rope: &Rope, at: usize| at < rope.len_bytes() && rope.byte(at) & 0xC0 == 0x80;
    let mut start = prefix;
    while start > 0 && (is_continuation(doc.rope(), start) || is_continuation(text, start)) {
        start -= 1;
    }
    let mut suffix = suffix;
    while suffix > 0 && is_continuation(text, new_len - suffix) {
        suffix -= 1;
    }
    let replacement = text.byte_slice(start..new_len - suffix).to_string();
    doc.apply_edit(start..old_len - suffix, &replacement);
}

/// The number of leading bytes `a` and `b` share, compared a chunk at a time.
fn common_prefix(a: &Rope, b: &Rope) -> usize {
    common_run(a.chunks(), b.chunks(), usize::MAX, false)
}

/// The number of trailing bytes `a` and `b` share, at most `limit`.
fn common_suffix(a: &Rope, b: &Rope, limit: usize) -> usize {
    common_run(backwards(a), backwards(b), limit, true)
}

/// The chunks of `rope`, last first.
fn backwards(rope: &Rope) -> ropey::iter::Chunks<'_> {
    rope.chunks_at_byte(rope.len_bytes()).0.reversed()
}

/// Counts the equal bytes at the front of two chunk sequences (compared from each
/// chunk's end when `from_end`), up to `limit`.
fn common_run<'a>(
    mut a: impl Iterator<Item = &'a str>,
    mut b: impl Iterator<Item = &'a str>,
    limit: usize,
    from_end: bool,
) -> usize {
    let (mut x, mut y): (&[u8], &[u8]) = (&[], &[]);
    let mut count = 0;
    while count < limit {
        if x.is_empty() {
            match a.next() {
                Some(chunk) => x = chunk.as_bytes(),
                None => break,
            }
            continue;
        }
        if y.is_empty() {
            match b.next() {
                Some(chunk) => y = chunk.as_bytes(),
                None => break,
            }
            continue;
        }
        let n = x.len().min(y.len()).min(limit - count);
        let same = if from_end {
            let (xs, ys) = (&x[x.len() - n..], &y[y.len() - n..]);
            xs.iter()
                .rev()
                .zip(ys.iter().rev())
                .take_while(|(p, q)| p == q)
                .count()
        } else {
            x[..n]
                .iter()
                .zip(&y[..n])
                .take_while(|(p, q)| p == q)
                .count()
        };
        count += same;
        if same < n {
            break;
        }
        if from_end {
            x = &x[..x.len() - n];
            y = &y[..y.len() - n];
        } else {
            x = &x[n..];
            y = &y[n..];
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::debug_view;
    use crate::position::{self, Position, Range};
    use crate::syntax::Language;

    const TEMPLATE: &str = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Send:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationSubtype: SQS-SendMessage\n      RequestParameters:\n        QueueUrl: !Ref Queue\n";

    fn insert(line: u32, character: u32, text: &str) -> Vec<TextChange> {
        let at = Position::new(line, character);
        vec![TextChange {
            range: Some(Range::new(at, at)),
            text: text.to_string(),
        }]
    }

    fn assert_fresh(doc: &Document, expected: &str) {
        assert_eq!(doc.text(), expected);
        let fresh = Document::new(expected, doc.language(), 0);
        assert_eq!(debug_view(doc), debug_view(&fresh), "text:\n{expected}");
    }

    /// Types `DelaySeconds` on a new line below `QueueUrl`, as versions 2 to 6, each
    /// edit valid only after the one before it.
    fn typing() -> Vec<(i32, Vec<TextChange>)> {
        vec![
            (2, insert(7, 28, "\n        ")),
            (3, insert(8, 8, "Delay")),
            (4, insert(8, 13, "Seconds")),
            (5, insert(8, 20, ": ")),
            (6, insert(8, 22, "\"9999\"")),
        ]
    }

    const TYPED: &str = "        QueueUrl: !Ref Queue\n        DelaySeconds: \"9999\"\n";

    #[test]
    fn a_late_version_rewinds_and_replays_in_version_order() {
        let mut doc = Document::new(TEMPLATE, Language::Yaml, 1);
        let mut history = History::default();
        let changes = typing();
        let mut outcomes = Vec::new();
        for i in [0, 1, 3, 2, 4] {
            let (version, change) = changes[i].clone();
            outcomes.push(history.apply(&mut doc, version, change, PositionEncoding::Utf16));
        }
        assert_eq!(
            outcomes,
            vec![
                Outcome::InOrder,
                Outcome::InOrder,
                Outcome::InOrder,
                Outcome::Replayed {
                    from: 5,
                    replayed: 1
                },
                Outcome::InOrder,
            ]
        );
        assert_eq!(doc.version(), 6);
        assert_eq!(history.versions(), vec![2, 3, 4, 5, 6]);
        let expected = TEMPLATE.replace("        QueueUrl: !Ref Queue\n", TYPED);
        assert_fresh(&doc, &expected);
    }

    #[test]
    fn the_first_change_late_behind_all_others_is_replayed_too() {
        let mut doc = Document::new(TEMPLATE, Language::Yaml, 1);
        let mut history = History::default();
        let changes = typing();
        for i in [1, 2, 3, 4, 0] {
            let (version, change) = changes[i].clone();
            history.apply(&mut doc, version, change, PositionEncoding::Utf16);
        }
        assert_eq!(doc.version(), 6);
        let expected = TEMPLATE.replace("        QueueUrl: !Ref Queue\n", TYPED);
        assert_fresh(&doc, &expected);
    }

    #[test]
    fn gaps_in_versions_apply_at_once() {
        let mut doc = Document::new(TEMPLATE, Language::Yaml, 1);
        let mut history = History::default();
        let changes = typing();
        for (version, i) in [(2, 0), (5, 1), (9, 2)] {
            let outcome = history.apply(
                &mut doc,
                version,
                changes[i].1.clone(),
                PositionEncoding::Utf16,
            );
            assert_eq!(outcome, Outcome::InOrder);
            assert_eq!(doc.version(), version);
        }
        let expected = TEMPLATE.replace(
            "        QueueUrl: !Ref Queue\n",
            "        QueueUrl: !Ref Queue\n        DelaySeconds\n",
        );
        assert_fresh(&doc, &expected);
    }

    #[test]
    fn a_version_older_than_anything_remembered_is_applied_where_it_arrives() {
        let mut doc = Document::new("a\n", Language::Yaml, 1);
        let mut history = History::default();
        let mut expected = "a\n".to_string();
        for version in 2..2 + KEPT as i32 + 3 {
            history.apply(&mut doc, version, insert(0, 0, "x"), PositionEncoding::Utf8);
            expected.insert(0, 'x');
        }
        let newest = doc.version();
        // Older than every remembered change, and as old as the open.
        for version in [3, 1] {
            let outcome =
                history.apply(&mut doc, version, insert(0, 0, "y"), PositionEncoding::Utf8);
            assert_eq!(outcome, Outcome::Unordered { current: newest });
            expected.insert(0, 'y');
            assert_eq!(doc.version(), newest);
            assert!(history.versions().is_empty());
        }
        assert_fresh(&doc, &expected);
        // What comes next in order is remembered again.
        history.apply(
            &mut doc,
            newest + 1,
            insert(0, 0, "z"),
            PositionEncoding::Utf8,
        );
        assert_eq!(history.versions(), vec![newest + 1]);
    }

    #[test]
    fn whole_documents_are_remembered_a_few_at_a_time() {
        let text = format!("#{}\n", "x".repeat(1024 * 1024));
        let mut doc = Document::new("a: 1\n", Language::Yaml, 1);
        let mut history = History::default();
        for version in 2..8 {
            let change = TextChange {
                range: None,
                text: text.clone(),
            };
            history.apply(&mut doc, version, vec![change], PositionEncoding::Utf8);
        }
        // Three copies of 1 MB fit in `KEPT_BYTES`, a fourth does not.
        assert_eq!(history.versions(), vec![5, 6, 7]);
        assert_eq!(history.bytes, 3 * text.len());
        history.clear();
        assert_eq!(history.bytes, 0);
    }

    #[test]
    fn rewinding_finds_the_bytes_that_differ_across_chunks() {
        let line = "      IntegrationSubtype: SQS-SendMessage # é 😀 名前\n";
        let big: String = std::iter::repeat_n(line, 3_000).collect();
        let a = Rope::from_str(&big);
        let mut b = a.clone();
        b.insert(b.byte_to_char(70_000), "x");
        assert_eq!(common_prefix(&a, &b), 70_000);
        let limit = a.len_bytes() - 70_000;
        assert_eq!(common_suffix(&a, &b, limit), a.len_bytes() - 70_000);
        assert_eq!(common_prefix(&a, &a.clone()), a.len_bytes());
        // `é` and `è` share their first byte: the edit must start before it.
        let mut doc = Document::new(&big, Language::Yaml, 1);
        let mut history = History::default();
        let at = big.find('é').map_or(0, |i| i as u32);
        let change = |text: &str| {
            vec![TextChange {
                range: Some(Range::new(Position::new(0, at), Position::new(0, at + 2))),
                text: text.to_string(),
            }]
        };
        history.apply(&mut doc, 3, change("è"), PositionEncoding::Utf8);
        history.apply(&mut doc, 2, change("ê"), PositionEncoding::Utf8);
        // Version 2 turned `é` into `ê`, then version 3 turned it into `è`.
        assert_fresh(&doc, &big.replacen('é', "è", 1));
    }

    mod random {
        use super::*;
        use proptest::prelude::*;

        fn fragment() -> impl Strategy<Value = String> {
            prop_oneof![
                Just("\n".to_string()),
                Just("\r\n".to_string()),
                Just("  B:\n    Type: AWS::SQS::Queue\n".to_string()),
                Just("        MessageBody: $request.body\n".to_string()),
                Just("😀".to_string()),
                Just("é".to_string()),
                Just("名前".to_string()),
                Just(": ".to_string()),
                "[a-z]{1,4}".prop_map(|s| s),
            ]
        }

        /// A change in editor coordinates, chosen on the text it applies to.
        fn change() -> impl Strategy<Value = (usize, usize, String, bool)> {
            (
                0usize..10_000,
                0usize..12,
                proptest::collection::vec(fragment(), 0..3).prop_map(|v| v.concat()),
                proptest::bool::weighted(0.05),
            )
        }

        /// Snaps a byte offset down to a char boundary that is not inside a CRLF (a
        /// position cannot name it).
        fn snap(text: &str, at: usize) -> usize {
            let mut at = at.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            if at > 0 && text[..at].ends_with('\r') && text[at..].starts_with('\n') {
                at -= 1;
            }
            at
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

            /// Changes delivered with neighbours swapped (as Helix does) give the text of
            /// the changes in version order, and the document of a fresh open of it.
            #[test]
            fn swapped_deliveries_give_the_text_of_version_order(
                changes in proptest::collection::vec(change(), 1..12),
                gaps in proptest::collection::vec(1i32..4, 12),
                swaps in proptest::collection::vec(0usize..12, 0..12),
                utf16 in proptest::bool::ANY,
            ) {
                let encoding = if utf16 { PositionEncoding::Utf16 } else { PositionEncoding::Utf8 };
                // The changes in version order, with their ranges taken on the text each
                // applies to.
                let mut expected = TEMPLATE.to_string();
                let mut version = 1;
                let mut sent = Vec::new();
                for (i, (at, del, text, whole)) in changes.iter().enumerate() {
                    version += gaps[i];
                    let rope = Rope::from_str(&expected);
                    let start = snap(&expected, at % (expected.len() + 1));
                    let end = snap(&expected, start + del);
                    let range = (!whole).then(|| position::span_to_range(&rope, start..end, encoding));
                    if *whole {
                        expected = text.clone();
                    } else {
                        expected.replace_range(start..end, text);
                    }
                    sent.push((version, vec![TextChange { range, text: text.clone() }]));
                }
                let mut order: Vec<usize> = (0..sent.len()).collect();
                for swap in swaps {
                    if swap + 1 < order.len() {
                        order.swap(swap, swap + 1);
                    }
                }
                let mut doc = Document::new(TEMPLATE, Language::Yaml, 1);
                let mut history = History::default();
                for i in order {
                    let (version, change) = sent[i].clone();
                    history.apply(&mut doc, version, change, encoding);
                }
                prop_assert_eq!(doc.version(), version);
                prop_assert_eq!(doc.text(), expected.clone());
                let fresh = Document::new(&expected, Language::Yaml, 0);
                prop_assert_eq!(debug_view(&doc), debug_view(&fresh), "text: {:?}", expected);
            }
        }
    }
}
