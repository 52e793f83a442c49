//! Unified diffs for `check --fix --diff`, built from the fix edits themselves: each
//! edit widens to the whole lines it touches, lines the edit left equal are trimmed
//! off, and neighbouring changes share a hunk with three lines of context, as
//! `diff -u` writes them. Lines keep their own endings (a CRLF file gives CRLF lines,
//! which `patch` and `git apply` match as they are), and a last line without a line
//! break gets `\ No newline at end of file`. Headers name the file as given, without
//! `a/`/`b/` prefixes: apply with `patch -p0` or `git apply -p0`.

use super::fix;
use crate::analysis::features::TextEdit;

const CONTEXT: usize = 3;

/// Lines `first..last` of the old text and the edits inside them.
struct Block<'e> {
    first: usize,
    last: usize,
    edits: Vec<&'e TextEdit>,
}

/// A run of old lines replaced by new ones.
struct Change {
    old_start: usize,
    old_count: usize,
    new_lines: Vec<String>,
}

/// The lines of `text`, each with its line break.
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// The diff that turns `old` into `old` with `edits` applied, or `None` when the edits
/// change nothing (or do not fit the text).
pub fn unified(path: &str, old: &str, edits: &[TextEdit]) -> Option<String> {
    let old_lines = lines(old);
    let n = old_lines.len();
    let mut starts = Vec::with_capacity(n + 1);
    let mut at = 0;
    for line in &old_lines {
        starts.push(at);
        at += line.len();
    }
    starts.push(old.len());
    // The line holding byte `pos` (`n` past the last line break).
    let line_of = |pos: usize| starts[..n].partition_point(|&s| s <= pos).saturating_sub(1);

    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut blocks: Vec<Block<'_>> = Vec::new();
    for edit in sorted {
        let (start, end) = (edit.range.start, edit.range.end);
        if start > end || end > old.len() {
            return None;
        }
        let first = if start == old.len() && (n == 0 || old.ends_with('\n')) {
            n
        } else {
            line_of(start)
        };
        let last = if end > start {
            line_of(end - 1) + 1
        } else {
            first + 1
        }
        .clamp(first, n);
        match blocks.last_mut() {
            Some(block) if first < block.last => {
                block.last = block.last.max(last);
                block.edits.push(edit);
            }
            _ => blocks.push(Block {
                first,
                last,
                edits: vec![edit],
            }),
        }
    }

    let mut changes = Vec::new();
    let mut i = 0;
    while i < blocks.len() {
        let (first, last) = (blocks[i].first, blocks[i].last);
        let base = starts[first];
        let shifted: Vec<TextEdit> = blocks[i]
            .edits
            .iter()
            .map(|e| TextEdit {
                range: e.range.start - base..e.range.end - base,
                text: e.text.clone(),
            })
            .collect();
        let new = fix::apply(old.get(base..starts[last])?, &shifted)?;
        // A block that lost its last line break runs into the next line: take that
        // line in (and any block that starts there), and try again.
        if last < n && !new.is_empty() && !new.ends_with('\n') {
            blocks[i].last += 1;
            while i + 1 < blocks.len() && blocks[i + 1].first < blocks[i].last {
                let next = blocks.remove(i + 1);
                blocks[i].last = blocks[i].last.max(next.last);
                blocks[i].edits.extend(next.edits);
            }
            continue;
        }
        let new_lines = lines(&new);
        let old_block = &old_lines[first..last];
        let mut prefix = 0;
        while prefix < old_block.len().min(new_lines.len())
            && old_block[prefix] == new_lines[prefix]
        {
            prefix += 1;
        }
        let mut suffix = 0;
        while suffix < (old_block.len() - prefix).min(new_lines.len() - prefix)
            && old_block[old_block.len() - 1 - suffix] == new_lines[new_lines.len() - 1 - suffix]
        {
            suffix += 1;
        }
        let old_count = old_block.len() - prefix - suffix;
        let added: Vec<String> = new_lines[prefix..new_lines.len() - suffix]
            .iter()
            .map(|l| l.to_string())
            .collect();
        if old_count > 0 || !added.is_empty() {
            changes.push(Change {
                old_start: first + prefix,
                old_count,
                new_lines: added,
            });
        }
        i += 1;
    }
    if changes.is_empty() {
        return None;
    }

    let name = if path.contains([' ', '\t']) {
        format!("{path}\t")
    } else {
        path.to_string()
    };
    let mut out = format!("--- {name}\n+++ {name}\n");
    let mut delta: isize = 0;
    let mut c = 0;
    while c < changes.len() {
        // The changes that share this hunk: gaps of at most twice the context.
        let mut end = c + 1;
        while end < changes.len()
            && changes[end].old_start
                <= changes[end - 1].old_start + changes[end - 1].old_count + 2 * CONTEXT
        {
            end += 1;
        }
        let group = &changes[c..end];
        let old_begin = group[0].old_start.saturating_sub(CONTEXT);
        let tail = &group[group.len() - 1];
        let old_end = (tail.old_start + tail.old_count + CONTEXT).min(n);
        let old_len = old_end - old_begin;
        let removed: usize = group.iter().map(|g| g.old_count).sum();
        let added: usize = group.iter().map(|g| g.new_lines.len()).sum();
        let new_len = old_len - removed + added;
        let new_begin = old_begin.saturating_add_signed(delta);
        let number = |begin: usize, len: usize| if len == 0 { begin } else { begin + 1 };
        out.push_str(&format!(
            "@@ -{},{old_len} +{},{new_len} @@\n",
            number(old_begin, old_len),
            number(new_begin, new_len)
        ));
        let mut cursor = old_begin;
        for change in group {
            for line in &old_lines[cursor..change.old_start] {
                push_line(&mut out, ' ', line);
            }
            for line in &old_lines[change.old_start..change.old_start + change.old_count] {
                push_line(&mut out, '-', line);
            }
            for line in &change.new_lines {
                push_line(&mut out, '+', line);
            }
            cursor = change.old_start + change.old_count;
        }
        for line in &old_lines[cursor..old_end] {
            push_line(&mut out, ' ', line);
        }
        delta += added as isize - removed as isize;
        c = end;
    }
    Some(out)
}

fn push_line(out: &mut String, marker: char, line: &str) {
    out.push(marker);
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(text: &str, find: &str, new: &str) -> TextEdit {
        let start = text.find(find).expect("in text");
        TextEdit {
            range: start..start + find.len(),
            text: new.to_string(),
        }
    }

    fn insert(at: usize, new: &str) -> TextEdit {
        TextEdit {
            range: at..at,
            text: new.to_string(),
        }
    }

    const TEXT: &str = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\n";

    #[test]
    fn one_change_with_three_lines_of_context() {
        let diff = unified("t.yaml", TEXT, &[edit(TEXT, "f", "F")]).expect("a diff");
        assert_eq!(
            diff,
            "--- t.yaml\n+++ t.yaml\n@@ -3,7 +3,7 @@\n c\n d\n e\n-f\n+F\n g\n h\n i\n"
        );
    }

    #[test]
    fn near_changes_share_a_hunk_and_far_ones_do_not() {
        let near = [edit(TEXT, "b", "B"), edit(TEXT, "h", "H")];
        let diff = unified("t", TEXT, &near).expect("a diff");
        assert_eq!(diff.matches("@@ -").count(), 1, "{diff}");
        assert!(diff.contains("@@ -1,11 +1,11 @@\n a\n-b\n+B\n"), "{diff}");
        let far = [edit(TEXT, "a", "A\nA2"), edit(TEXT, "m", "M")];
        let diff = unified("t", TEXT, &far).expect("a diff");
        assert!(
            diff.contains("@@ -1,4 +1,5 @@\n-a\n+A\n+A2\n b\n"),
            "{diff}"
        );
        // The second hunk's new line number counts the line the first one added.
        assert!(
            diff.contains("@@ -10,5 +11,5 @@\n j\n k\n l\n-m\n+M\n n\n"),
            "{diff}"
        );
    }

    #[test]
    fn insertions_at_a_line_start_and_at_the_end() {
        let at = TEXT.find("c").expect("c");
        let diff = unified("t", TEXT, &[insert(at, "new\n")]).expect("a diff");
        assert!(
            diff.contains("@@ -1,5 +1,6 @@\n a\n b\n+new\n c\n d\n e\n"),
            "{diff}"
        );
        let diff = unified("t", TEXT, &[insert(TEXT.len(), "o\n")]).expect("a diff");
        assert!(
            diff.ends_with("@@ -12,3 +12,4 @@\n l\n m\n n\n+o\n"),
            "{diff}"
        );
    }

    #[test]
    fn crlf_lines_keep_their_endings_and_a_missing_final_newline_is_marked() {
        let text = "a: 1\r\nb: 2";
        let diff = unified("t", text, &[edit(text, "2", "3")]).expect("a diff");
        assert_eq!(
            diff,
            "--- t\n+++ t\n@@ -1,2 +1,2 @@\n a: 1\r\n-b: 2\n\\ No newline at end of file\n+b: 3\n\\ No newline at end of file\n"
        );
    }

    #[test]
    fn an_edit_that_joins_lines_takes_the_next_line_in() {
        let text = "a\nb\nc\n";
        let diff = unified("t", text, &[edit(text, "a\n", "a ")]).expect("a diff");
        assert_eq!(diff, "--- t\n+++ t\n@@ -1,3 +1,2 @@\n-a\n-b\n+a b\n c\n");
    }

    #[test]
    fn no_change_no_diff() {
        assert_eq!(unified("t", TEXT, &[edit(TEXT, "b", "b")]), None);
        assert_eq!(unified("t", TEXT, &[]), None);
    }

    #[test]
    fn names_with_spaces_end_with_a_tab() {
        let diff = unified("my api.yaml", TEXT, &[edit(TEXT, "b", "B")]).expect("a diff");
        assert!(
            diff.starts_with("--- my api.yaml\t\n+++ my api.yaml\t\n"),
            "{diff}"
        );
    }
}
