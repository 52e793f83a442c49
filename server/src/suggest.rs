//! "Did you mean": the one place that decides which known name a misspelt one means.
//!
//! Every suggestion the server makes (subtypes, parameter keys, `$context` names,
//! mapping-expression roots and request parts, integration field names, logical IDs and
//! pseudo parameters) goes through [`closest`], with one policy:
//!
//! * distance is the optimal string alignment (restricted Damerau–Levenshtein)
//!   distance in `char`s, ASCII case ignored: an insertion, a deletion, a substitution
//!   or a swap of two neighbours costs 1;
//! * a candidate is in reach when the distance is at most [`max_edits`] of its length:
//!   a third of it, at least 1 and at most 3 (`Put` 1, `Region` 2, `QueueUrl` 2,
//!   `MessageBody` 3);
//! * the nearest candidate in reach wins; two at the same distance are a [`Tie`]
//!   and callers then suggest neither (or name both, never pick one).
//!
//! Callers look for the exact name first; a case-only difference is distance 0.
//! Allocation-free for names up to [`STACK_CHARS`] characters.
//!
//! [`Tie`]: Suggestion::Tie

/// Names up to this many characters are compared without allocating.
pub const STACK_CHARS: usize = 64;

/// How many edits a candidate of `len` characters may be from the input: a third of
/// its length, at least 1 and at most 3.
pub fn max_edits(len: usize) -> usize {
    (len / 3).clamp(1, 3)
}

/// Result of [`closest`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suggestion<T> {
    /// No candidate is in reach.
    None,
    /// One candidate is nearest.
    One(T),
    /// Several are equally near: the first and the last of them, in candidate order.
    Tie(T, T),
}

impl<T> Suggestion<T> {
    /// The candidate, when exactly one is nearest.
    pub fn one(self) -> Option<T> {
        match self {
            Suggestion::One(t) => Some(t),
            Suggestion::None | Suggestion::Tie(..) => None,
        }
    }
}

/// The candidate nearest to `input` under the module's policy; `name` gives a
/// candidate's name.
pub fn closest<'a, T, I, N>(input: &str, candidates: I, name: N) -> Suggestion<T>
where
    I: IntoIterator<Item = T>,
    T: Copy,
    N: Fn(T) -> &'a str,
{
    if input.is_empty() {
        return Suggestion::None;
    }
    let input_len = input.chars().count();
    let mut best: Option<(usize, T)> = None;
    let mut tie: Option<T> = None;
    for candidate in candidates {
        let candidate_name = name(candidate);
        let len = candidate_name.chars().count();
        let limit = max_edits(len);
        // The distance is at least the difference in length.
        if len.abs_diff(input_len) > limit {
            continue;
        }
        let d = distance(input, candidate_name, len);
        if d > limit {
            continue;
        }
        match best {
            Some((bd, _)) if d > bd => {}
            Some((bd, _)) if d == bd => tie = Some(candidate),
            _ => {
                best = Some((d, candidate));
                tie = None;
            }
        }
    }
    match (best, tie) {
        (Some((_, one)), None) => Suggestion::One(one),
        (Some((_, first)), Some(last)) => Suggestion::Tie(first, last),
        (None, _) => Suggestion::None,
    }
}

/// Optimal string alignment distance between `a` and `b` (`b_len` characters), in
/// `char`s, ASCII case ignored.
fn distance(a: &str, b: &str, b_len: usize) -> usize {
    let width = b_len + 1;
    if width <= STACK_CHARS + 1 {
        let mut rows = [0usize; 3 * (STACK_CHARS + 1)];
        osa(a, b, &mut rows[..3 * width], width)
    } else {
        osa(a, b, &mut vec![0; 3 * width], width)
    }
}

/// The distance computed in three rolling rows of `width` cells each (`rows` holds
/// the row before last, the last row and the current one).
fn osa(a: &str, b: &str, rows: &mut [usize], width: usize) -> usize {
    let (mut before, mut prev, mut cur) = (0, width, 2 * width);
    for (j, cell) in rows[prev..prev + width].iter_mut().enumerate() {
        *cell = j;
    }
    let same = |x: char, y: char| x.eq_ignore_ascii_case(&y);
    let mut last_a: Option<char> = None;
    for (i, ca) in a.chars().enumerate() {
        rows[cur] = i + 1;
        let mut last_b: Option<char> = None;
        for (j, cb) in b.chars().enumerate() {
            let cost = usize::from(!same(ca, cb));
            let mut v = (rows[prev + j + 1] + 1)
                .min(rows[cur + j] + 1)
                .min(rows[prev + j] + cost);
            if let (Some(pa), Some(pb)) = (last_a, last_b)
                && same(ca, pb)
                && same(pa, cb)
            {
                v = v.min(rows[before + j - 1] + 1);
            }
            rows[cur + j + 1] = v;
            last_b = Some(cb);
        }
        last_a = Some(ca);
        (before, prev, cur) = (prev, cur, before);
    }
    rows[prev + width - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(a: &str, b: &str) -> usize {
        distance(a, b, b.chars().count())
    }

    fn pick(input: &str, names: &[&'static str]) -> Suggestion<&'static str> {
        closest(input, names.iter().copied(), |n| n)
    }

    #[test]
    fn distances() {
        assert_eq!(d("", ""), 0);
        assert_eq!(d("", "abc"), 3);
        assert_eq!(d("abc", ""), 3);
        assert_eq!(d("abc", "abc"), 0);
        assert_eq!(d("kitten", "sitting"), 3);
        assert_eq!(d("ab", "ba"), 1);
        assert_eq!(d("Regoin", "Region"), 1);
        assert_eq!(d("ca", "abc"), 3); // OSA, not unrestricted Damerau
        assert_eq!(d("SQS-SendMesage", "SQS-SendMessage"), 1);
        assert_eq!(d("naïve", "naive"), 1);
        assert_eq!(d("abcdef", "badcfe"), 3);
        assert_eq!(d("requets", "request"), 1);
        assert_eq!(d("heder", "header"), 1);
        // ASCII case is ignored; other letters are compared as they are.
        assert_eq!(d("a", "A"), 0);
        assert_eq!(d("STAGEVARIABLES", "stageVariables"), 0);
        assert_eq!(d("É", "é"), 1);
        // Longer than the stack rows.
        let long = "x".repeat(STACK_CHARS + 10);
        assert_eq!(d(&long, &format!("{long}y")), 1);
        assert_eq!(d(&format!("{long}ab"), &format!("{long}ba")), 1);
    }

    #[test]
    fn policy() {
        let limits: Vec<usize> = (1..=12).map(max_edits).collect();
        assert_eq!(limits, [1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3]);
        assert_eq!(max_edits(40), 3);
        assert_eq!(pick("Putt", &["Put", "Api"]), Suggestion::One("Put"));
        assert_eq!(pick("pat", &["path", "body"]), Suggestion::One("path"));
        assert_eq!(
            pick("contxt", &["request", "context"]),
            Suggestion::One("context")
        );
        assert_eq!(
            pick("Context", &["request", "context"]),
            Suggestion::One("context")
        );
        assert_eq!(pick("AWS", &["request", "context"]), Suggestion::None);
        assert_eq!(pick("", &["a"]), Suggestion::None);
        assert_eq!(
            pick(&"x".repeat(100), &["header", "path"]),
            Suggestion::None
        );
        // Out of reach: 4 edits from a 15-character name.
        assert_eq!(
            pick("SQS-SendMessageBatch", &["SQS-SendMessage"]),
            Suggestion::None
        );
        // Equally near: the first and the last.
        assert_eq!(
            pick("bat", &["bad", "cat", "hat"]),
            Suggestion::Tie("bad", "hat")
        );
        assert_eq!(pick("bat", &["bad", "cat"]).one(), None);
    }
}
