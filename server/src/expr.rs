//! Parser for API Gateway HTTP API parameter-mapping values (the values of an
//! integration's `RequestParameters`).
//!
//! A value is one of (the AWS page on HTTP API parameter mapping,
//! <https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html>):
//!
//! * a **bare expression** that is the whole value: `$request.header.NAME`,
//!   `$request.querystring.NAME`, `$request.path`, `$request.path.NAME`,
//!   `$request.body`, `$request.body.JSONPATH`, `$context.NAME`,
//!   `$stageVariables.NAME`;
//! * a **template**: static text mixed with braced expressions such as
//!   `${request.header.x-api-key}` (the inner part drops the leading `$`);
//! * plain **static text**.
//!
//! [`parse_value`] splits a value into [`Part`]s (literal text and
//! [`Expr`]essions) and reports [`Problem`]s. Every range is a byte range into
//! the parsed text and always lies on `char` boundaries, so callers can map it
//! to editor positions. Parsing never panics and runs in linear time.
//!
//! `${...}` whose root is not `request`, `context` or `stageVariables` (or a
//! near miss of one of them) is literal text: `${AWS::Region}`, `${MyQueue}`,
//! Terraform `${var.x}` and the `Fn::Sub` escape `${!request.header.x}` produce
//! neither an expression nor a problem.
//!
//! The lexical syntax (`$`, `${...}`, where a name ends in text) is this module's;
//! the named parts come from the catalog's `mappingExpressions`, parsed once: the
//! roots, the request parts, which names may be left out, each name's characters
//! (in a whole value and after static text), the forbidden JSONPath constructs and
//! the words of messages. Near misses are found with [`crate::suggest`]. Pure (no
//! I/O); messages are only built for problems, so a valid value allocates only its
//! parts and names.

use std::fmt::{self, Write};
use std::ops::Range;

use crate::catalog::{
    self, ExpressionRoot, MappingExpressions, NameRule, PartKind, RequestPart, RootKind,
};
use crate::suggest::{self, Suggestion};

/// Result of [`parse_value`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedValue {
    /// Literal text and expressions, in order, covering the whole value without
    /// gaps or overlaps. Adjacent literal text is merged; no part is empty.
    /// Text that holds an invalid expression is kept as a [`Part::Literal`].
    pub parts: Vec<Part>,
    /// Problems, in text order.
    pub problems: Vec<Problem>,
}

impl ParsedValue {
    /// The valid expressions of the value, in order.
    pub fn exprs(&self) -> impl Iterator<Item = &Expr> {
        self.parts.iter().filter_map(|p| match p {
            Part::Expr(e) => Some(e),
            Part::Literal(_) => None,
        })
    }

    /// `true` when the value holds no valid expression (static text only).
    pub fn is_static(&self) -> bool {
        self.exprs().next().is_none()
    }
}

/// One piece of a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Static text (byte range into the value).
    Literal(Range<usize>),
    /// A valid mapping expression.
    Expr(Expr),
}

impl Part {
    /// Byte range of this part in the value.
    pub fn range(&self) -> Range<usize> {
        match self {
            Part::Literal(r) => r.clone(),
            Part::Expr(e) => e.range.clone(),
        }
    }
}

/// A valid mapping expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expr {
    /// What the expression reads.
    pub source: Source,
    /// The whole expression, including the `$` (bare) or `${` … `}` (braced).
    pub range: Range<usize>,
    /// The header / query-string / path-parameter name, the JSONPath, the
    /// context-variable name (after `context.`) or the stage-variable name.
    /// `None` for `$request.path` and `$request.body`.
    pub name_range: Option<Range<usize>>,
    /// `true` for the `${...}` spelling.
    pub braced: bool,
}

/// The data a mapping expression reads.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Source {
    /// `$request.header.NAME` (names are case-insensitive; kept as written).
    RequestHeader(String),
    /// `$request.querystring.NAME` (case-sensitive).
    RequestQuerystring(String),
    /// `$request.path` (`None`) or `$request.path.NAME`.
    RequestPath(Option<String>),
    /// `$request.body` (`None`) or `$request.body.JSONPATH`.
    RequestBody(Option<String>),
    /// `$context.NAME`; the string is the part after `context.`
    /// (e.g. `identity.sourceIp`).
    Context(String),
    /// `$stageVariables.NAME`.
    StageVariable(String),
}

impl Source {
    /// The expression without `$` or braces, e.g. `request.header.x`.
    pub fn inner(&self) -> String {
        let grammar = grammar();
        let (root, part) = match self {
            Source::RequestHeader(_) => grammar.part_of(PartKind::Header),
            Source::RequestQuerystring(_) => grammar.part_of(PartKind::Querystring),
            Source::RequestPath(_) => grammar.part_of(PartKind::Path),
            Source::RequestBody(_) => grammar.part_of(PartKind::Body),
            Source::Context(_) => {
                return self.spelled(&grammar.root_of(RootKind::Context).root, None);
            }
            Source::StageVariable(_) => {
                return self.spelled(&grammar.root_of(RootKind::StageVariables).root, None);
            }
        };
        self.spelled(&root.root, Some(&part.part))
    }

    /// `root[.part][.name]`.
    fn spelled(&self, root: &str, part: Option<&str>) -> String {
        let mut out = String::from(root);
        for segment in part.into_iter().chain(self.name()) {
            out.push('.');
            out.push_str(segment);
        }
        out
    }

    /// Bare spelling, e.g. `$request.header.x`.
    pub fn to_bare(&self) -> String {
        format!("${}", self.inner())
    }

    /// Braced spelling, e.g. `${request.header.x}`. (A query-string name or a
    /// JSONPath that itself contains `}` cannot be braced; the result is then
    /// not re-parsable as the same expression.)
    pub fn to_braced(&self) -> String {
        format!("${{{}}}", self.inner())
    }

    /// The name / JSONPath part, if any.
    pub fn name(&self) -> Option<&str> {
        match self {
            Source::RequestHeader(n)
            | Source::RequestQuerystring(n)
            | Source::Context(n)
            | Source::StageVariable(n) => Some(n),
            Source::RequestPath(n) | Source::RequestBody(n) => n.as_deref(),
        }
    }
}

/// A problem found in a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What kind of problem.
    pub kind: ProblemKind,
    /// The offending bytes (as precise as possible: e.g. only the `heder`
    /// segment of `$request.heder.x`).
    pub range: Range<usize>,
    /// Human-readable message saying what to write instead.
    pub message: String,
    /// Replacement text for a quick fix, when the fix is unambiguous. It
    /// replaces [`Problem::suggestion_range`] (not `range`): the corrected
    /// whole expression for most kinds, the whole value with braces added for
    /// [`ProblemKind::BareAfterText`].
    pub suggestion: Option<String>,
    /// Bytes that `suggestion` replaces: the whole expression (incl. `$` or
    /// `${`…`}`), or the whole value for [`ProblemKind::BareAfterText`].
    pub suggestion_range: Range<usize>,
}

/// Kinds of [`Problem`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// Wrong root, part or case, missing or bad name, trailing text after a
    /// bare expression, `$` value that is no expression.
    InvalidExpression,
    /// A bare `$request.`/`$context.`/`$stageVariables.` expression after
    /// static text: it is not substituted there; braces are needed.
    BareAfterText,
    /// JSONPath with recursive descent (`..`) or a filter (`?(`).
    UnsupportedJsonPath,
    /// `${request...` without the closing `}`.
    UnclosedBrace,
}

impl ProblemKind {
    /// Stable kebab-case code, e.g. for diagnostic codes.
    pub fn code(self) -> &'static str {
        match self {
            ProblemKind::InvalidExpression => "invalid-expression",
            ProblemKind::BareAfterText => "bare-expression-after-text",
            ProblemKind::UnsupportedJsonPath => "unsupported-jsonpath",
            ProblemKind::UnclosedBrace => "unclosed-brace",
        }
    }
}

/// The named parts of expressions, from the catalog (parsed once).
fn grammar() -> &'static MappingExpressions {
    &catalog::catalog().mapping_expressions
}

/// Above this many bare expressions after text, no whole-value suggestion is
/// attached (each would copy the whole value).
const MAX_WHOLE_VALUE_SUGGESTIONS: usize = 16;
const BARE_WHOLE_NOTE: &str =
    "; a bare expression must be the whole value (use `${...}` to mix expressions with text)";

/// Parse one `RequestParameters` value.
pub fn parse_value(text: &str) -> ParsedValue {
    let b = text.as_bytes();
    if b.first() == Some(&b'$') && b.get(1) != Some(&b'{') {
        parse_whole_bare(text)
    } else {
        parse_template(text)
    }
}

/// How the expression is spelled; decides messages and where it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// The whole value, `$...`.
    Bare,
    /// Inside `${...}`.
    Braced,
    /// A bare `$...` after static text: ends where the name ends.
    InText,
}

impl Form {
    /// Spell an inner expression text (`request.header`) in this form.
    fn show(self, inner: &str) -> String {
        match self {
            Form::Bare | Form::InText => format!("${inner}"),
            Form::Braced => format!("${{{inner}}}"),
        }
    }

    /// Spell a root in this form (`$contex` or `contex`).
    fn root(self, root: &str) -> String {
        match self {
            Form::Bare | Form::InText => format!("${root}"),
            Form::Braced => root.to_owned(),
        }
    }
}

struct Parsed {
    source: Source,
    name_range: Option<Range<usize>>,
    /// End of the expression body (only differs from the given end for
    /// [`Form::InText`]).
    end: usize,
}

struct Fail {
    kind: ProblemKind,
    range: Range<usize>,
    message: String,
    /// Corrected body (without `$` / braces), to be verified by the caller.
    fixed_body: Option<String>,
}

impl Fail {
    fn invalid(range: Range<usize>, message: String) -> Self {
        Fail {
            kind: ProblemKind::InvalidExpression,
            range,
            message,
            fixed_body: None,
        }
    }
}

fn parse_whole_bare(text: &str) -> ParsedValue {
    let whole = 0..text.len();
    match parse_body(text, 1, text.len(), Form::Bare) {
        Ok(p) => ParsedValue {
            parts: vec![Part::Expr(Expr {
                source: p.source,
                range: whole,
                name_range: p.name_range,
                braced: false,
            })],
            problems: Vec::new(),
        },
        Err(f) => ParsedValue {
            parts: vec![Part::Literal(whole.clone())],
            problems: vec![make_problem(f, whole, Form::Bare)],
        },
    }
}

/// Turn a [`Fail`] into a [`Problem`], verifying its fix.
fn make_problem(f: Fail, expr_range: Range<usize>, form: Form) -> Problem {
    let suggestion = f.fixed_body.and_then(|body| {
        let (s, start, end) = match form {
            Form::Braced => {
                let s = format!("${{{body}}}");
                let end = s.len() - 1;
                (s, 2, end)
            }
            Form::Bare | Form::InText => {
                let s = format!("${body}");
                let end = s.len();
                (s, 1, end)
            }
        };
        parse_body_with(&s, start, end, form, false).ok().map(|_| s)
    });
    Problem {
        kind: f.kind,
        range: f.range,
        message: f.message,
        suggestion,
        suggestion_range: expr_range,
    }
}

fn parse_template(text: &str) -> ParsedValue {
    let b = text.as_bytes();
    let mut parts: Vec<Part> = Vec::new();
    let mut problems: Vec<Problem> = Vec::new();
    // (index into problems, occurrence range, parsed source)
    let mut bare_in_text: Vec<(usize, Range<usize>, Option<Source>)> = Vec::new();
    let mut lit_start = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'$' {
            i += 1;
            continue;
        }
        if b.get(i + 1) == Some(&b'{') {
            let inner = i + 2;
            if !braced_candidate(text, inner) {
                i += 2;
                continue;
            }
            match braced_extent(text, inner) {
                Extent::Closed(close) => {
                    let range = i..close + 1;
                    match parse_body(text, inner, close, Form::Braced) {
                        Ok(p) => {
                            push_literal(&mut parts, lit_start..i);
                            parts.push(Part::Expr(Expr {
                                source: p.source,
                                range: range.clone(),
                                name_range: p.name_range,
                                braced: true,
                            }));
                            lit_start = range.end;
                        }
                        Err(f) => problems.push(make_problem(f, range.clone(), Form::Braced)),
                    }
                    i = range.end;
                }
                Extent::Unclosed(stop) => {
                    let inner_text = &text[inner..stop];
                    let suggestion = parse_body_with(text, inner, stop, Form::Braced, false)
                        .ok()
                        .map(|_| format!("${{{inner_text}}}"));
                    problems.push(Problem {
                        kind: ProblemKind::UnclosedBrace,
                        range: i..stop,
                        message: format!("`${{` is not closed: add `}}` after `{inner_text}`"),
                        suggestion,
                        suggestion_range: i..stop,
                    });
                    i = stop;
                }
            }
            continue;
        }
        let root_start = i + 1;
        let root_end = word_end(b, root_start, b.len());
        if grammar().root(&text[root_start..root_end]).is_some() && b.get(root_end) == Some(&b'.') {
            let (range, source) = match parse_body(text, root_start, text.len(), Form::InText) {
                Ok(p) => (i..p.end, Some(p.source)),
                Err(_) => (i..in_text_token_end(text, root_start), None),
            };
            let message = match &source {
                Some(s) => format!(
                    "`{}` after static text is not substituted; write `{}`",
                    &text[range.clone()],
                    s.to_braced()
                ),
                None => format!(
                    "`{}` after static text is not substituted; expressions mixed with text must be braced: `${{...}}`",
                    &text[range.clone()]
                ),
            };
            bare_in_text.push((problems.len(), range.clone(), source));
            problems.push(Problem {
                kind: ProblemKind::BareAfterText,
                range: range.clone(),
                message,
                suggestion: None,
                suggestion_range: 0..text.len(),
            });
            i = range.end.max(i + 1);
            continue;
        }
        i += 1;
    }
    push_literal(&mut parts, lit_start..text.len());

    // Each suggestion is the whole value: bound the total work.
    if bare_in_text.iter().any(|(_, _, s)| s.is_some())
        && bare_in_text.len() <= MAX_WHOLE_VALUE_SUGGESTIONS
    {
        let mut fixed = String::with_capacity(text.len() + 2 * bare_in_text.len());
        let mut at = 0;
        for (_, range, source) in &bare_in_text {
            if let Some(s) = source {
                fixed.push_str(&text[at..range.start]);
                fixed.push_str(&s.to_braced());
                at = range.end;
            }
        }
        fixed.push_str(&text[at..]);
        for (idx, _, source) in &bare_in_text {
            if source.is_some()
                && let Some(p) = problems.get_mut(*idx)
            {
                p.suggestion = Some(fixed.clone());
            }
        }
    }
    ParsedValue { parts, problems }
}

fn push_literal(parts: &mut Vec<Part>, range: Range<usize>) {
    if range.is_empty() {
        return;
    }
    if let Some(Part::Literal(last)) = parts.last_mut()
        && last.end == range.start
    {
        last.end = range.end;
        return;
    }
    parts.push(Part::Literal(range));
}

enum Extent {
    /// Index of the closing `}`.
    Closed(usize),
    /// Where the expression text stops without a `}`.
    Unclosed(usize),
}

/// Find the `}` that closes a braced expression whose inner text starts at
/// `inner`. Stops (unclosed) at whitespace, `"`, `{`, `${` or the end, except
/// inside JSONPath brackets/quotes where whitespace is allowed.
fn braced_extent(text: &str, inner: usize) -> Extent {
    let mut depth: usize = 0;
    let mut quote: Option<char> = None;
    let mut iter = text[inner..].char_indices().peekable();
    while let Some((off, c)) = iter.next() {
        let at = inner + off;
        if let Some(q) = quote {
            if c == q {
                quote = None;
            } else if c == '\n' || c == '\r' {
                return Extent::Unclosed(at);
            }
            continue;
        }
        match c {
            '}' => return Extent::Closed(at),
            '{' => return Extent::Unclosed(at),
            '$' if matches!(iter.peek(), Some((_, '{'))) => return Extent::Unclosed(at),
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '\'' | '"' if depth > 0 => quote = Some(c),
            '"' => return Extent::Unclosed(at),
            '\n' | '\r' => return Extent::Unclosed(at),
            c if c.is_whitespace() && depth == 0 => return Extent::Unclosed(at),
            _ => {}
        }
    }
    Extent::Unclosed(text.len())
}

/// Does `${` followed by the text at `inner` look like a mapping expression
/// (exact root, or a near miss followed by a plausible second segment)?
fn braced_candidate(text: &str, inner: usize) -> bool {
    let b = text.as_bytes();
    let grammar = grammar();
    let root_end = word_end(b, inner, b.len());
    let root = &text[inner..root_end];
    if grammar.root(root).is_some() {
        return true;
    }
    if root.is_empty() || b.get(root_end) != Some(&b'.') {
        return false;
    }
    let seg_start = root_end + 1;
    let seg_end = word_end(b, seg_start, b.len());
    let seg = &text[seg_start..seg_end];
    let Suggestion::One(near) = suggest::closest(root, &grammar.roots, |r| r.root.as_str()) else {
        return false;
    };
    if !near.parts.is_empty() {
        return near.part(seg).is_some()
            || matches!(
                suggest::closest(seg, &near.parts, |p| p.part.as_str()),
                Suggestion::One(_)
            );
    }
    match near.kind {
        // Context variable names start in lower case; `${Context.Arn}` is a resource.
        RootKind::Context => seg.as_bytes().first().is_some_and(u8::is_ascii_lowercase),
        RootKind::Request | RootKind::StageVariables => !seg.is_empty(),
    }
}

/// End of a bare expression token after static text when it could not be
/// parsed: the run of name-like characters, without trailing dots.
fn in_text_token_end(text: &str, from: usize) -> usize {
    let b = text.as_bytes();
    let mut end = from;
    while end < b.len()
        && (b[end].is_ascii_alphanumeric()
            || matches!(b[end], b'_' | b'.' | b'-' | b'[' | b']' | b'*'))
    {
        end += 1;
    }
    while end > from && b[end - 1] == b'.' {
        end -= 1;
    }
    end
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// End of the run of `[A-Za-z0-9_]` starting at `from` (bounded by `end`).
fn word_end(b: &[u8], from: usize, end: usize) -> usize {
    let mut i = from;
    while i < end && is_word(b[i]) {
        i += 1;
    }
    i
}

fn parse_body(text: &str, start: usize, end: usize, form: Form) -> Result<Parsed, Fail> {
    parse_body_with(text, start, end, form, true)
}

/// Parse an expression body (the text after `$`, or inside `${}`) spanning
/// `start..end`. For [`Form::InText`], `end` is the end of the text and the
/// expression ends where its name ends.
fn parse_body_with(
    text: &str,
    start: usize,
    end: usize,
    form: Form,
    allow_fix: bool,
) -> Result<Parsed, Fail> {
    let b = text.as_bytes();
    // Whole expression range, for problems that are not about one segment.
    let expr_range = match form {
        Form::Bare | Form::InText => start.saturating_sub(1)..end,
        Form::Braced => start.saturating_sub(2)..(end + 1).min(text.len()),
    };
    let root_end = word_end(b, start, end);
    let ctx = Ctx {
        text,
        end,
        form,
        expr_range,
        allow_fix,
        grammar: grammar(),
    };
    match ctx.grammar.root(&text[start..root_end]) {
        Some(root) if root.parts.is_empty() => match &root.name {
            Some(rule) => ctx.named(root_end, Site::root(root), rule),
            None => Err(ctx.bad_root(start, root_end)),
        },
        Some(root) => ctx.request(root, root_end),
        None => Err(ctx.bad_root(start, root_end)),
    }
}

struct Ctx<'a> {
    text: &'a str,
    end: usize,
    form: Form,
    expr_range: Range<usize>,
    allow_fix: bool,
    grammar: &'static MappingExpressions,
}

/// Where a name is read: after a root (`context`) or after a request part
/// (`request.header`).
#[derive(Clone, Copy)]
struct Site {
    root: &'static ExpressionRoot,
    part: Option<&'static RequestPart>,
}

impl Site {
    fn root(root: &'static ExpressionRoot) -> Self {
        Site { root, part: None }
    }

    /// Whether the name may be left out (`$request.path`).
    fn whole(self) -> bool {
        self.part.is_some_and(|p| p.whole.is_some())
    }

    /// The expression read without a name (`None`) or with one.
    fn source(self, name: Option<String>) -> Source {
        let name_or_empty = |n: Option<String>| n.unwrap_or_default();
        match (self.root.kind, self.part.map(|p| p.kind)) {
            (_, Some(PartKind::Header)) => Source::RequestHeader(name_or_empty(name)),
            (_, Some(PartKind::Querystring)) => Source::RequestQuerystring(name_or_empty(name)),
            (_, Some(PartKind::Path)) => Source::RequestPath(name),
            (_, Some(PartKind::Body)) => Source::RequestBody(name),
            (RootKind::StageVariables, None) => Source::StageVariable(name_or_empty(name)),
            // A `request` root always has parts (the catalog's tests check).
            (RootKind::Context | RootKind::Request, None) => Source::Context(name_or_empty(name)),
        }
    }
}

/// `request.header`, `context`: the expression up to its name, as written.
impl fmt::Display for Site {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.root.root)?;
        match self.part {
            Some(part) => write!(f, ".{}", part.part),
            None => Ok(()),
        }
    }
}

/// "a NOUN", with the allowed characters when the class is narrow.
fn what(rule: &NameRule) -> String {
    match rule.chars.as_ref().and_then(|c| c.in_words.as_deref()) {
        Some(words) => format!("a {} ({words})", rule.noun),
        None => format!("a {}", rule.noun),
    }
}

/// "`a`, `b` or `c`".
fn either(words: impl Iterator<Item = String>) -> String {
    let words: Vec<String> = words.collect();
    match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

fn describe(c: char) -> String {
    match c {
        ' ' => "a space".to_owned(),
        '\t' => "a tab".to_owned(),
        '\n' | '\r' => "a line break".to_owned(),
        '`' => "a backtick".to_owned(),
        c if c.is_whitespace() => format!("whitespace (U+{:04X})", u32::from(c)),
        c if c.is_control() => format!("control character U+{:04X}", u32::from(c)),
        c => format!("`{c}`"),
    }
}

impl Ctx<'_> {
    fn byte(&self, i: usize) -> Option<u8> {
        if i < self.end {
            self.text.as_bytes().get(i).copied()
        } else {
            None
        }
    }

    fn in_text(&self) -> bool {
        self.form == Form::InText
    }

    fn fail(&self, range: Range<usize>, message: String) -> Fail {
        Fail::invalid(range, message)
    }

    fn bad_root(&self, start: usize, root_end: usize) -> Fail {
        let root = &self.text[start..root_end];
        let sig_range = match self.form {
            Form::Bare | Form::InText => start.saturating_sub(1)..root_end,
            Form::Braced => start..root_end,
        };
        let shown = self.form.root(root);
        let roots = || either(self.grammar.roots.iter().map(|r| format!("`{}`", r.root)));
        if root.is_empty() {
            let what = match self.form {
                Form::Braced => "`${` must be followed by",
                Form::Bare | Form::InText => {
                    "a value starting with `$` is an expression: `$` must be followed by"
                }
            };
            return self.fail(self.expr_range.clone(), format!("{what} {}", roots()));
        }
        match suggest::closest(root, &self.grammar.roots, |r| r.root.as_str()) {
            Suggestion::One(cand) => {
                let word = cand.root.as_str();
                let message = if cand.kind == RootKind::StageVariables
                    && root.eq_ignore_ascii_case(word)
                {
                    format!(
                        "stage variables are written `{}` (camel case)",
                        self.form.root(word)
                    )
                } else if root.eq_ignore_ascii_case(word) {
                    format!(
                        "`{shown}` is not a mapping source; sources are case-sensitive: did you mean `{}`?",
                        self.form.root(word)
                    )
                } else {
                    format!(
                        "`{shown}` is not a mapping source; did you mean `{}`?",
                        self.form.root(word)
                    )
                };
                let fixed = self
                    .allow_fix
                    .then(|| format!("{word}{}", &self.text[root_end..self.end]));
                Fail {
                    kind: ProblemKind::InvalidExpression,
                    range: sig_range,
                    message,
                    fixed_body: fixed,
                }
            }
            Suggestion::Tie(a, c) => self.fail(
                sig_range,
                format!(
                    "`{shown}` is not a mapping source; did you mean `{}` or `{}`?",
                    self.form.root(&a.root),
                    self.form.root(&c.root)
                ),
            ),
            Suggestion::None => self.fail(
                self.expr_range.clone(),
                format!(
                    "`{shown}` is not a mapping source; use {}",
                    either(
                        self.grammar
                            .roots
                            .iter()
                            .map(|r| format!("`{}`", self.form.root(&r.root)))
                    )
                ),
            ),
        }
    }

    /// A `.` must follow `site` at `at`; `missing` completes the message when the
    /// body ends there.
    fn require_dot(
        &self,
        at: usize,
        site: &dyn fmt::Display,
        missing: impl FnOnce() -> String,
    ) -> Result<(), Fail> {
        match self.byte(at) {
            Some(b'.') => Ok(()),
            None => Err(self.fail(
                self.expr_range.clone(),
                format!("`{}` {}", self.form.show(&site.to_string()), missing()),
            )),
            Some(_) => Err(self.expected_dot(at, site)),
        }
    }

    /// An optional `.NAME` after `site` at `at`: `Ok(true)` when a dot follows,
    /// `Ok(false)` when the body ends (or, in text, anything else follows).
    fn optional_dot(&self, at: usize, site: Site) -> Result<bool, Fail> {
        match self.byte(at) {
            Some(b'.') => Ok(true),
            None => Ok(false),
            Some(_) if self.in_text() => Ok(false),
            Some(_) => Err(self.expected_dot(at, &site)),
        }
    }

    fn expected_dot(&self, at: usize, site: &dyn fmt::Display) -> Fail {
        self.fail(
            at..self.end,
            format!("expected `.` after `{}`", self.form.show(&site.to_string())),
        )
    }

    /// Scan a name of `rule` after `site`, starting at `from`. Returns its end. In
    /// text the name ends at the first character outside the class (trailing dots
    /// dropped); otherwise it must reach the end of the body.
    fn name(&self, from: usize, site: Site, rule: &NameRule) -> Result<usize, Fail> {
        let in_text = self.in_text();
        let mut stop = self.end;
        let mut bad: Option<char> = None;
        if let Some(chars) = &rule.chars {
            for (off, c) in self.text[from..self.end].char_indices() {
                if !chars.allows(c, in_text) {
                    stop = from + off;
                    bad = Some(c);
                    break;
                }
            }
        }
        let b = self.text.as_bytes();
        if in_text {
            while stop > from && b[stop - 1] == b'.' {
                stop -= 1;
            }
        }
        if stop == from && (in_text || bad.is_none()) {
            return Err(self.missing_name(site, rule));
        }
        if let (Some(c), false) = (bad, in_text) {
            let mut message = format!("{} is not allowed in {}", describe(c), what(rule));
            // Text after the name (rather than a name-like typo): remind that a
            // bare expression cannot be mixed with text.
            if self.form == Form::Bare && !(c.is_alphanumeric() || matches!(c, '.' | '-' | '_')) {
                message.push_str(BARE_WHOLE_NOTE);
            }
            return Err(self.fail(stop..self.end, message));
        }
        Ok(stop)
    }

    /// `NAME is missing after `$request.path.``, with the whole form when there is one.
    fn missing_name(&self, site: Site, rule: &NameRule) -> Fail {
        let mut message = format!(
            "{} is missing after `{}`",
            rule.noun,
            self.form.show(&format!("{site}."))
        );
        if let Some(part) = site.part.filter(|_| site.whole()) {
            let _ = write!(
                message,
                "; write `{}` for the whole {}",
                self.form.show(&site.to_string()),
                part.part
            );
            if !rule.json_path {
                let _ = write!(message, " or `{}`", self.form.show(&format!("{site}.NAME")));
            }
        }
        self.fail(self.expr_range.clone(), message)
    }

    fn ok(
        &self,
        source: Source,
        name_range: Option<Range<usize>>,
        end: usize,
    ) -> Result<Parsed, Fail> {
        Ok(Parsed {
            source,
            name_range,
            end,
        })
    }

    fn request(&self, root: &'static ExpressionRoot, root_end: usize) -> Result<Parsed, Fail> {
        let b = self.text.as_bytes();
        let parts_list = || either(root.parts.iter().map(|p| format!("`{}`", p.part)));
        self.require_dot(root_end, &root.root, || {
            format!("needs a part: {}", parts_list())
        })?;
        let part_start = root_end + 1;
        let part_end = word_end(b, part_start, self.end);
        let part = &self.text[part_start..part_end];
        if let Some(found) = root.part(part) {
            let site = Site {
                root,
                part: Some(found),
            };
            return if found.name.json_path {
                self.json_path(part_end, site, &found.name)
            } else {
                self.named(part_end, site, &found.name)
            };
        }
        if part.is_empty() {
            return Err(self.fail(
                self.expr_range.clone(),
                format!(
                    "`{}` needs a part: {}",
                    self.form.show(&format!("{}.", root.root)),
                    parts_list()
                ),
            ));
        }
        let range = part_start..part_end;
        Err(
            match suggest::closest(part, &root.parts, |p| p.part.as_str()) {
                Suggestion::One(cand) => {
                    let cand = cand.part.as_str();
                    let message = if part.eq_ignore_ascii_case(cand) {
                        format!(
                            "`{part}` is not a request part; parts are lower case: use `{cand}`"
                        )
                    } else {
                        format!("`{part}` is not a request part; did you mean `{cand}`?")
                    };
                    Fail {
                        kind: ProblemKind::InvalidExpression,
                        range,
                        message,
                        fixed_body: self.allow_fix.then(|| {
                            format!("{}.{cand}{}", root.root, &self.text[part_end..self.end])
                        }),
                    }
                }
                Suggestion::Tie(a, c) => self.fail(
                    range,
                    format!(
                        "`{part}` is not a request part; did you mean `{}` or `{}`?",
                        a.part, c.part
                    ),
                ),
                Suggestion::None => self.fail(
                    range,
                    format!("`{part}` is not a request part; use {}", parts_list()),
                ),
            },
        )
    }

    /// A name after `site` at `at` (`.NAME`): required, or optional when the site has
    /// a whole form (`$request.path`).
    fn named(&self, at: usize, site: Site, rule: &NameRule) -> Result<Parsed, Fail> {
        if site.whole() {
            if !self.optional_dot(at, site)? {
                return self.ok(site.source(None), None, at);
            }
        } else {
            self.require_dot(at, &site, || match &rule.example {
                Some(example) => format!(
                    "needs a variable name, e.g. `{}`",
                    self.form.show(&format!("{site}.{example}"))
                ),
                None => format!(
                    "needs a {}: write `{}`",
                    rule.noun,
                    self.form.show(&format!("{site}.NAME"))
                ),
            })?;
        }
        let name_start = at + 1;
        let name_end = match self.name(name_start, site, rule) {
            Ok(end) => end,
            Err(_) if self.in_text() && site.whole() => {
                return self.ok(site.source(None), None, at);
            }
            Err(f) => return Err(f),
        };
        let name = &self.text[name_start..name_end];
        if rule.dotted && (name.starts_with('.') || name.ends_with('.') || name.contains("..")) {
            return Err(self.fail(
                name_start..name_end,
                format!("{} `{name}` has an empty segment", rule.noun),
            ));
        }
        self.ok(
            site.source(Some(name.to_owned())),
            Some(name_start..name_end),
            name_end,
        )
    }

    /// A JSONPath after `site` (`request.body`) at `at`, written without its `$.`.
    fn json_path(&self, at: usize, site: Site, rule: &NameRule) -> Result<Parsed, Fail> {
        if site.whole() {
            if !self.optional_dot(at, site)? {
                return self.ok(site.source(None), None, at);
            }
        } else {
            self.require_dot(at, &site, || {
                format!(
                    "needs a {}: write `{}`",
                    rule.noun,
                    self.form.show(&format!("{site}.PATH"))
                )
            })?;
        }
        let path_start = at + 1;
        if self.in_text() {
            let b = self.text.as_bytes();
            let mut end = path_start;
            while end < self.end
                && (b[end].is_ascii_alphanumeric()
                    || matches!(b[end], b'_' | b'.' | b'-' | b'*' | b'[' | b']'))
            {
                end += 1;
            }
            while end > path_start && b[end - 1] == b'.' {
                end -= 1;
            }
            if end == path_start {
                return self.ok(site.source(None), None, at);
            }
            let token = &self.text[at..end];
            if rule
                .forbidden
                .iter()
                .any(|f| token.contains(f.text.as_str()))
            {
                return Err(self.fail(at..end, String::new()));
            }
            return self.ok(
                site.source(Some(self.text[path_start..end].to_owned())),
                Some(path_start..end),
                end,
            );
        }
        if path_start >= self.end {
            return Err(self.missing_name(site, rule));
        }
        // `$request.body.$.a`: the JSONPath is written without its `$.`.
        if self.text.as_bytes().get(path_start) == Some(&b'$') {
            let rest = &self.text[path_start + 1..self.end];
            let fixed = match rest.strip_prefix('.') {
                Some(after) if !after.is_empty() => {
                    Some((path_start + 2, format!("{site}.{after}")))
                }
                _ if rest.is_empty() => Some((path_start + 1, site.to_string())),
                _ => None,
            };
            let lead = format!(
                "the {} after `{}` is written without the leading `$.`",
                rule.noun,
                self.form.show(&format!("{site}."))
            );
            return Err(match fixed {
                Some((drop_end, fixed)) => Fail {
                    kind: ProblemKind::InvalidExpression,
                    range: path_start..drop_end,
                    message: format!("{lead}: write `{}`", self.form.show(&fixed)),
                    fixed_body: self.allow_fix.then_some(fixed),
                },
                None => self.fail(path_start..path_start + 1, lead),
            });
        }
        // Scan from the separator dot so that `body..x` is caught.
        let mut quote: Option<char> = None;
        for (off, c) in self.text[at..self.end].char_indices() {
            let pos = at + off;
            if let Some(q) = quote {
                if c == q {
                    quote = None;
                }
                continue;
            }
            let through = pos + c.len_utf8();
            let forbidden = rule.forbidden.iter().find(|f| {
                through - at >= f.text.len() && self.text[..through].ends_with(f.text.as_str())
            });
            if let Some(f) = forbidden {
                return Err(Fail {
                    kind: ProblemKind::UnsupportedJsonPath,
                    range: through - f.text.len()..through,
                    message: f.message.clone(),
                    fixed_body: None,
                });
            }
            match c {
                '\'' | '"' => quote = Some(c),
                c if c.is_whitespace() || c.is_control() => {
                    let mut message = format!(
                        "{} is not allowed in a {} outside quotes",
                        describe(c),
                        rule.noun
                    );
                    if self.form == Form::Bare {
                        message.push_str(BARE_WHOLE_NOTE);
                    }
                    return Err(self.fail(pos..self.end, message));
                }
                _ => {}
            }
        }
        self.ok(
            site.source(Some(self.text[path_start..self.end].to_owned())),
            Some(path_start..self.end),
            self.end,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn single_expr(text: &str) -> Expr {
        let v = parse_value(text);
        assert!(
            v.problems.is_empty(),
            "{text:?}: unexpected problems {:?}",
            v.problems
        );
        assert_eq!(v.parts.len(), 1, "{text:?}: {:?}", v.parts);
        match v.parts.into_iter().next() {
            Some(Part::Expr(e)) => e,
            other => panic!("{text:?}: expected one expression, got {other:?}"),
        }
    }

    fn one_problem(text: &str) -> Problem {
        let v = parse_value(text);
        assert_eq!(v.problems.len(), 1, "{text:?}: {:?}", v.problems);
        check_invariants(text, &v);
        v.problems
            .into_iter()
            .next()
            .unwrap_or_else(|| unreachable!())
    }

    fn h(s: &str) -> Source {
        Source::RequestHeader(s.to_owned())
    }

    #[test]
    fn valid_bare_forms() {
        let cases: &[(&str, Source, Option<&str>)] = &[
            (
                "$request.header.x-api-key",
                h("x-api-key"),
                Some("x-api-key"),
            ),
            (
                "$request.header.X-Amz-Target",
                h("X-Amz-Target"),
                Some("X-Amz-Target"),
            ),
            (
                "$request.header.a!#$%&'*+-.^_`|~9",
                h("a!#$%&'*+-.^_`|~9"),
                Some("a!#$%&'*+-.^_`|~9"),
            ),
            (
                "$request.querystring.page",
                Source::RequestQuerystring("page".into()),
                Some("page"),
            ),
            (
                "$request.querystring.a.b[0]",
                Source::RequestQuerystring("a.b[0]".into()),
                Some("a.b[0]"),
            ),
            (
                "$request.querystring.café",
                Source::RequestQuerystring("café".into()),
                Some("café"),
            ),
            ("$request.path", Source::RequestPath(None), None),
            (
                "$request.path.petId",
                Source::RequestPath(Some("petId".into())),
                Some("petId"),
            ),
            (
                "$request.path.proxy",
                Source::RequestPath(Some("proxy".into())),
                Some("proxy"),
            ),
            (
                "$request.path.a.b-c_d",
                Source::RequestPath(Some("a.b-c_d".into())),
                Some("a.b-c_d"),
            ),
            ("$request.body", Source::RequestBody(None), None),
            (
                "$request.body.name",
                Source::RequestBody(Some("name".into())),
                Some("name"),
            ),
            (
                "$request.body.items[0].id",
                Source::RequestBody(Some("items[0].id".into())),
                Some("items[0].id"),
            ),
            (
                "$request.body.items[*].id",
                Source::RequestBody(Some("items[*].id".into())),
                Some("items[*].id"),
            ),
            (
                "$request.body.a['b c']",
                Source::RequestBody(Some("a['b c']".into())),
                Some("a['b c']"),
            ),
            (
                "$request.body.a['x..y']",
                Source::RequestBody(Some("a['x..y']".into())),
                Some("a['x..y']"),
            ),
            (
                "$context.requestId",
                Source::Context("requestId".into()),
                Some("requestId"),
            ),
            (
                "$context.identity.sourceIp",
                Source::Context("identity.sourceIp".into()),
                Some("identity.sourceIp"),
            ),
            (
                "$context.authorizer.claims.sub",
                Source::Context("authorizer.claims.sub".into()),
                Some("authorizer.claims.sub"),
            ),
            (
                "$stageVariables.queueUrl",
                Source::StageVariable("queueUrl".into()),
                Some("queueUrl"),
            ),
            (
                "$stageVariables.my_var1",
                Source::StageVariable("my_var1".into()),
                Some("my_var1"),
            ),
        ];
        for (text, source, name) in cases {
            let e = single_expr(text);
            assert_eq!(&e.source, source, "{text}");
            assert_eq!(e.range, 0..text.len(), "{text}");
            assert!(!e.braced, "{text}");
            assert_eq!(e.name_range.clone().map(|r| &text[r]), *name, "{text}");
            assert_eq!(source.name(), *name, "{text}");
            assert_eq!(&source.to_bare(), text, "{text}");
        }
    }

    #[test]
    fn valid_braced_alone() {
        let cases: &[(&str, Source, Option<&str>)] = &[
            ("${request.header.x}", h("x"), Some("x")),
            (
                "${request.querystring.q}",
                Source::RequestQuerystring("q".into()),
                Some("q"),
            ),
            ("${request.path}", Source::RequestPath(None), None),
            (
                "${request.path.id}",
                Source::RequestPath(Some("id".into())),
                Some("id"),
            ),
            ("${request.body}", Source::RequestBody(None), None),
            (
                "${request.body.a.b}",
                Source::RequestBody(Some("a.b".into())),
                Some("a.b"),
            ),
            (
                "${request.body.a['b c']}",
                Source::RequestBody(Some("a['b c']".into())),
                Some("a['b c']"),
            ),
            (
                "${context.identity.sourceIp}",
                Source::Context("identity.sourceIp".into()),
                Some("identity.sourceIp"),
            ),
            (
                "${stageVariables.url}",
                Source::StageVariable("url".into()),
                Some("url"),
            ),
        ];
        for (text, source, name) in cases {
            let e = single_expr(text);
            assert_eq!(&e.source, source, "{text}");
            assert_eq!(e.range, 0..text.len(), "{text}");
            assert!(e.braced, "{text}");
            assert_eq!(e.name_range.clone().map(|r| &text[r]), *name, "{text}");
            assert_eq!(&source.to_braced(), text, "{text}");
        }
    }

    /// Render parts as `L"..."` / `E"..."` for compact assertions.
    fn shape(text: &str) -> Vec<String> {
        let v = parse_value(text);
        check_invariants(text, &v);
        v.parts
            .iter()
            .map(|p| match p {
                Part::Literal(r) => format!("L{:?}", &text[r.clone()]),
                Part::Expr(e) => format!("E{:?}", &text[e.range.clone()]),
            })
            .collect()
    }

    #[test]
    fn braced_mixed_with_literal() {
        let cases: &[(&str, &[&str])] = &[
            (
                "prefix-${request.path.id}-suffix",
                &[r#"L"prefix-""#, r#"E"${request.path.id}""#, r#"L"-suffix""#],
            ),
            (
                r#"{"a":{"DataType":"String","StringValue":"${request.header.x-api-key}"}}"#,
                &[
                    r#"L"{\"a\":{\"DataType\":\"String\",\"StringValue\":\"""#,
                    r#"E"${request.header.x-api-key}""#,
                    r#"L"\"}}""#,
                ],
            ),
            (
                "${request.path.name} ${request.path.id}",
                &[
                    r#"E"${request.path.name}""#,
                    r#"L" ""#,
                    r#"E"${request.path.id}""#,
                ],
            ),
            (
                "${context.requestId}${context.requestTimeEpoch}",
                &[
                    r#"E"${context.requestId}""#,
                    r#"E"${context.requestTimeEpoch}""#,
                ],
            ),
            (
                "http://${stageVariables.url}/x",
                &[r#"L"http://""#, r#"E"${stageVariables.url}""#, r#"L"/x""#],
            ),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:${stageVariables.fn}",
                &[
                    r#"L"arn:aws:lambda:us-east-1:123456789012:function:""#,
                    r#"E"${stageVariables.fn}""#,
                ],
            ),
            (
                "arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:${request.path.q}",
                &[
                    r#"L"arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:""#,
                    r#"E"${request.path.q}""#,
                ],
            ),
            (
                "${!request.header.x}-${request.header.y}",
                &[r#"L"${!request.header.x}-""#, r#"E"${request.header.y}""#],
            ),
        ];
        for (text, want) in cases {
            assert!(parse_value(text).problems.is_empty(), "{text}");
            assert_eq!(shape(text), *want, "{text}");
        }
    }

    #[test]
    fn literal_only_values() {
        let cases = [
            "",
            "hello",
            "static value with spaces",
            "${AWS::Region}",
            "${AWS::AccountId}",
            "arn:aws:states:${AWS::Region}:${AWS::AccountId}:stateMachine:Orders",
            "${APIGWRole}",
            "${MyQueue}",
            "${MyQueue.Arn}",
            "${Requests.Arn}",
            "${Context.Arn}",
            "${Stage}",
            "${!request.header.x}",
            "${!request.x}",
            "${var.region}",
            "${path.module}",
            "${data.aws_region.current.name}",
            "${}",
            "${ request.header.x }",
            "${",
            "}",
            "a$b",
            "price: $",
            "cost $5 each",
            "x $request",
            "x $requestId",
            "x $contexts.y",
            "x $stagevariables.y",
            "${{request.header.x}}",
        ];
        for text in cases {
            let v = parse_value(text);
            check_invariants(text, &v);
            assert!(v.problems.is_empty(), "{text:?}: {:?}", v.problems);
            assert!(v.is_static(), "{text:?}");
            if text.is_empty() {
                assert!(v.parts.is_empty());
            } else {
                assert_eq!(v.parts, vec![Part::Literal(0..text.len())], "{text:?}");
            }
        }
    }

    /// (text, kind, problem range text, message fragment, suggestion)
    type Case = (
        &'static str,
        ProblemKind,
        &'static str,
        &'static str,
        Option<&'static str>,
    );

    fn check_cases(cases: &[Case]) {
        for &(text, kind, range_text, fragment, suggestion) in cases {
            let p = one_problem(text);
            assert_eq!(p.kind, kind, "{text:?}: {p:?}");
            assert_eq!(&text[p.range.clone()], range_text, "{text:?}: {p:?}");
            assert!(
                p.message.contains(fragment),
                "{text:?}: message {:?} lacks {fragment:?}",
                p.message
            );
            assert_eq!(p.suggestion.as_deref(), suggestion, "{text:?}: {p:?}");
            if let Some(s) = &p.suggestion {
                let mut fixed = text.to_owned();
                fixed.replace_range(p.suggestion_range.clone(), s);
                let v = parse_value(&fixed);
                assert!(
                    v.problems.is_empty(),
                    "{text:?}: fix {fixed:?} still has {:?}",
                    v.problems
                );
            }
            // The offending text is literal, never part of an expression.
            assert!(
                parse_value(text)
                    .exprs()
                    .all(|e| e.range.end <= p.range.start || p.range.end <= e.range.start),
                "{text:?}"
            );
        }
    }

    #[test]
    fn invalid_bare_expressions() {
        use ProblemKind::InvalidExpression as I;
        let cases: &[Case] = &[
            (
                "$request.heder.x",
                I,
                "heder",
                "`heder` is not a request part; did you mean `header`?",
                Some("$request.header.x"),
            ),
            (
                "$request.headers.x",
                I,
                "headers",
                "did you mean `header`?",
                Some("$request.header.x"),
            ),
            (
                "$request.Header.x",
                I,
                "Header",
                "parts are lower case: use `header`",
                Some("$request.header.x"),
            ),
            (
                "$request.queryString.x",
                I,
                "queryString",
                "use `querystring`",
                Some("$request.querystring.x"),
            ),
            (
                "$request.pth.id",
                I,
                "pth",
                "did you mean `path`?",
                Some("$request.path.id"),
            ),
            (
                "$request.bdy",
                I,
                "bdy",
                "did you mean `body`?",
                Some("$request.body"),
            ),
            (
                "$request.cookie.x",
                I,
                "cookie",
                "`cookie` is not a request part; use `header`, `querystring`, `path` or `body`",
                None,
            ),
            (
                "$request.header.",
                I,
                "$request.header.",
                "header name is missing after `$request.header.`",
                None,
            ),
            (
                "$request.header",
                I,
                "$request.header",
                "`$request.header` needs a header name: write `$request.header.NAME`",
                None,
            ),
            (
                "$request.querystring",
                I,
                "$request.querystring",
                "needs a query-string name",
                None,
            ),
            (
                "$contex.requestId",
                I,
                "$contex",
                "`$contex` is not a mapping source; did you mean `$context`?",
                Some("$context.requestId"),
            ),
            (
                "$stagevariables.x",
                I,
                "$stagevariables",
                "stage variables are written `$stageVariables` (camel case)",
                Some("$stageVariables.x"),
            ),
            (
                "$stage_variables.x",
                I,
                "$stage_variables",
                "did you mean `$stageVariables`?",
                Some("$stageVariables.x"),
            ),
            (
                "$Request.body",
                I,
                "$Request",
                "case-sensitive: did you mean `$request`?",
                Some("$request.body"),
            ),
            (
                "$requets.body",
                I,
                "$requets",
                "did you mean `$request`?",
                Some("$request.body"),
            ),
            (
                "$request.path.",
                I,
                "$request.path.",
                "path parameter name is missing after `$request.path.`; write `$request.path` for the whole path",
                None,
            ),
            (
                "$context.",
                I,
                "$context.",
                "context variable name is missing after `$context.`",
                None,
            ),
            (
                "$context",
                I,
                "$context",
                "`$context` needs a variable name, e.g. `$context.requestId`",
                None,
            ),
            ("$context.a..b", I, "a..b", "empty segment", None),
            ("$context.a.", I, "a.", "empty segment", None),
            (
                "$context.a-b",
                I,
                "-b",
                "`-` is not allowed in a context variable name",
                None,
            ),
            (
                "$stageVariables.a.b",
                I,
                ".b",
                "`.` is not allowed in a stage variable name (only letters, digits and `_`)",
                None,
            ),
            (
                "$stageVariables.a-b",
                I,
                "-b",
                "`-` is not allowed in a stage variable name (only letters, digits and `_`)",
                None,
            ),
            (
                "$stageVariables",
                I,
                "$stageVariables",
                "needs a stage variable name",
                None,
            ),
            (
                "$request",
                I,
                "$request",
                "`$request` needs a part: `header`, `querystring`, `path` or `body`",
                None,
            ),
            (
                "$request.",
                I,
                "$request.",
                "`$request.` needs a part: `header`, `querystring`, `path` or `body`",
                None,
            ),
            (
                "$request.header.x y",
                I,
                " y",
                "a space is not allowed in a header name; a bare expression must be the whole value",
                None,
            ),
            (
                "$request.header.my header",
                I,
                " header",
                "a space is not allowed",
                None,
            ),
            (
                "$request.header.a/b",
                I,
                "/b",
                "`/` is not allowed in a header name",
                None,
            ),
            (
                "$request.header.x${request.header.y}",
                I,
                "{request.header.y}",
                "`{` is not allowed in a header name",
                None,
            ),
            (
                "$request.querystring.a=b",
                I,
                "=b",
                "`=` is not allowed in a query-string name",
                None,
            ),
            (
                "$request.path.a/b",
                I,
                "/b",
                "`/` is not allowed in a path parameter name",
                None,
            ),
            (
                "$request.path/x",
                I,
                "/x",
                "expected `.` after `$request.path`",
                None,
            ),
            (
                "$request.body x",
                I,
                " x",
                "expected `.` after `$request.body`",
                None,
            ),
            (
                "$request.body.a b",
                I,
                " b",
                "a space is not allowed in a JSONPath",
                None,
            ),
            (
                "$request.body.$.a.b",
                I,
                "$.",
                "written without the leading `$.`: write `$request.body.a.b`",
                Some("$request.body.a.b"),
            ),
            (
                "$request.body.$",
                I,
                "$",
                "write `$request.body`",
                Some("$request.body"),
            ),
            (
                "$request.body.$[0]",
                I,
                "$",
                "is written without the leading `$.`",
                None,
            ),
            (
                "$request-header.x",
                I,
                "-header.x",
                "expected `.` after `$request`",
                None,
            ),
            (
                "$request.body.",
                I,
                "$request.body.",
                "JSONPath is missing after `$request.body.`; write `$request.body` for the whole body",
                None,
            ),
            (
                "$",
                I,
                "$",
                "`$` must be followed by `request`, `context` or `stageVariables`",
                None,
            ),
            (
                "$5 each",
                I,
                "$5 each",
                "`$5` is not a mapping source; use `$request`, `$context` or `$stageVariables`",
                None,
            ),
            (
                "$foo.bar",
                I,
                "$foo.bar",
                "`$foo` is not a mapping source",
                None,
            ),
            (
                "$requst.heder.x",
                I,
                "$requst",
                "did you mean `$request`?",
                None,
            ),
            (
                "$request.header.é",
                I,
                "é",
                "`é` is not allowed in a header name",
                None,
            ),
            (
                "$stageVariables.é",
                I,
                "é",
                "`é` is not allowed in a stage variable name",
                None,
            ),
            (
                "$request.header.x\ty",
                I,
                "\ty",
                "a tab is not allowed",
                None,
            ),
        ];
        check_cases(cases);
    }

    #[test]
    fn invalid_braced_expressions() {
        use ProblemKind::InvalidExpression as I;
        let cases: &[Case] = &[
            (
                "${requst.body.x}",
                I,
                "requst",
                "`requst` is not a mapping source; did you mean `request`?",
                Some("${request.body.x}"),
            ),
            (
                "${requets.header.x}",
                I,
                "requets",
                "did you mean `request`?",
                Some("${request.header.x}"),
            ),
            (
                "${Request.body}",
                I,
                "Request",
                "did you mean `request`?",
                Some("${request.body}"),
            ),
            (
                "${contxt.requestId}",
                I,
                "contxt",
                "did you mean `context`?",
                Some("${context.requestId}"),
            ),
            (
                "arn:${stagevariables.x}",
                I,
                "stagevariables",
                "stage variables are written `stageVariables` (camel case)",
                Some("${stageVariables.x}"),
            ),
            (
                "x ${request.heder.y} z",
                I,
                "heder",
                "did you mean `header`?",
                Some("${request.header.y}"),
            ),
            (
                "${request.header.}",
                I,
                "${request.header.}",
                "header name is missing after `${request.header.}`",
                None,
            ),
            (
                "${context.}",
                I,
                "${context.}",
                "context variable name is missing",
                None,
            ),
            (
                "${request}",
                I,
                "${request}",
                "`${request}` needs a part",
                None,
            ),
            (
                "${context}",
                I,
                "${context}",
                "needs a variable name, e.g. `${context.requestId}`",
                None,
            ),
            (
                "${request.header.é}",
                I,
                "é",
                "`é` is not allowed in a header name",
                None,
            ),
            ("${stageVariables.a-b}", I, "-b", "`-` is not allowed", None),
            (
                "${request.body.$.a}",
                I,
                "$.",
                "write `${request.body.a}`",
                Some("${request.body.a}"),
            ),
        ];
        check_cases(cases);
        // The bare-only note is not given inside braces.
        let p = one_problem("${request.header.a/b}");
        assert!(!p.message.contains("whole value"), "{}", p.message);
    }

    #[test]
    fn bare_after_text() {
        use ProblemKind::BareAfterText as B;
        let cases: &[Case] = &[
            (
                "com.example.$request.path.source",
                B,
                "$request.path.source",
                "`$request.path.source` after static text is not substituted; write `${request.path.source}`",
                Some("com.example.${request.path.source}"),
            ),
            (
                r#"{"id":"$request.body.id"}"#,
                B,
                "$request.body.id",
                "not substituted",
                Some(r#"{"id":"${request.body.id}"}"#),
            ),
            (
                "see $context.requestId.",
                B,
                "$context.requestId",
                "write `${context.requestId}`",
                Some("see ${context.requestId}."),
            ),
            (
                "q=$request.querystring.q&x=1",
                B,
                "$request.querystring.q",
                "not substituted",
                Some("q=${request.querystring.q}&x=1"),
            ),
            (
                "${request.path.a}$request.path.b",
                B,
                "$request.path.b",
                "not substituted",
                Some("${request.path.a}${request.path.b}"),
            ),
            (
                "url/$stageVariables.v/x",
                B,
                "$stageVariables.v",
                "not substituted",
                Some("url/${stageVariables.v}/x"),
            ),
            (
                "path: $request.path.",
                B,
                "$request.path",
                "not substituted",
                Some("path: ${request.path}."),
            ),
            (
                "x $request.heder.y",
                B,
                "$request.heder.y",
                "expressions mixed with text must be braced",
                None,
            ),
            (
                "x $request.body..a",
                B,
                "$request.body..a",
                "must be braced",
                None,
            ),
            (
                "été $request.header.x",
                B,
                "$request.header.x",
                "not substituted",
                Some("été ${request.header.x}"),
            ),
        ];
        check_cases(cases);

        let text = "a $request.header.x and $context.requestId";
        let v = parse_value(text);
        check_invariants(text, &v);
        assert_eq!(v.problems.len(), 2);
        for p in &v.problems {
            assert_eq!(p.kind, B);
            assert_eq!(p.suggestion_range, 0..text.len());
            assert_eq!(
                p.suggestion.as_deref(),
                Some("a ${request.header.x} and ${context.requestId}")
            );
        }
        assert_eq!(&text[v.problems[0].range.clone()], "$request.header.x");
        assert_eq!(&text[v.problems[1].range.clone()], "$context.requestId");
    }

    #[test]
    fn unsupported_json_path() {
        use ProblemKind::UnsupportedJsonPath as U;
        let cases: &[Case] = &[
            (
                "$request.body..name",
                U,
                "..",
                "recursive descent (`..`) is not supported",
                None,
            ),
            ("$request.body.a..b", U, "..", "recursive descent", None),
            (
                "$request.body.items[?(@.x)]",
                U,
                "?(",
                "filter expressions (`?(...)`) are not supported",
                None,
            ),
            ("${request.body..name}", U, "..", "recursive descent", None),
            (
                "x-${request.body.a[?(@.b)]}",
                U,
                "?(",
                "filter expressions",
                None,
            ),
        ];
        check_cases(cases);
    }

    #[test]
    fn unclosed_brace() {
        use ProblemKind::UnclosedBrace as U;
        let cases: &[Case] = &[
            (
                "${request.body.x",
                U,
                "${request.body.x",
                "`${` is not closed: add `}` after `request.body.x`",
                Some("${request.body.x}"),
            ),
            (
                r#"{"a":"${request.header.x"}"#,
                U,
                "${request.header.x",
                "is not closed",
                Some("${request.header.x}"),
            ),
            (
                "${request.heder.x",
                U,
                "${request.heder.x",
                "is not closed",
                None,
            ),
            ("${request", U, "${request", "is not closed", None),
            (
                "x ${context.requestId\ny",
                U,
                "${context.requestId",
                "is not closed",
                Some("${context.requestId}"),
            ),
        ];
        check_cases(cases);

        let text = "${request.header.x ${request.header.y}";
        let v = parse_value(text);
        check_invariants(text, &v);
        assert_eq!(v.problems.len(), 1);
        assert_eq!(v.problems[0].kind, U);
        assert_eq!(&text[v.problems[0].range.clone()], "${request.header.x");
        assert_eq!(
            shape(text),
            [r#"L"${request.header.x ""#, r#"E"${request.header.y}""#]
        );
        // `${` inside an unclosed expression starts a new one.
        let text = "${request.header.x${request.header.y}";
        let v = parse_value(text);
        assert_eq!(v.problems.len(), 1);
        assert_eq!(&text[v.problems[0].range.clone()], "${request.header.x");
        assert_eq!(v.exprs().count(), 1);
    }

    #[test]
    fn ranges_on_non_ascii_text() {
        let text = "été ${request.header.x}";
        let v = parse_value(text);
        check_invariants(text, &v);
        assert_eq!(v.parts.len(), 2);
        assert_eq!(v.parts[0], Part::Literal(0..6));
        let Part::Expr(e) = &v.parts[1] else {
            panic!("expected expression: {:?}", v.parts)
        };
        assert_eq!(e.range, 6..text.len());
        assert_eq!(e.name_range.clone().map(|r| &text[r]), Some("x"));

        let text = "😀${context.requestId}😀";
        assert_eq!(
            shape(text),
            [r#"L"😀""#, r#"E"${context.requestId}""#, r#"L"😀""#]
        );
        let e = parse_value(text).exprs().next().cloned();
        assert_eq!(
            e.map(|e| e.range),
            Some(4..4 + "${context.requestId}".len())
        );

        let text = "ü${requst.body.x}ü";
        let p = one_problem(text);
        assert_eq!(p.range, 4..10);
        assert_eq!(&text[p.range.clone()], "requst");
        assert_eq!(p.suggestion_range, 2..text.len() - 2);

        let text = "日本 ${request.body.名前}";
        let e = parse_value(text).exprs().next().cloned();
        assert_eq!(e.and_then(|e| e.name_range).map(|r| &text[r]), Some("名前"));

        let text = "${request.body.x}—${request.header.é}";
        let v = parse_value(text);
        check_invariants(text, &v);
        assert_eq!(v.problems.len(), 1);
        assert_eq!(&text[v.problems[0].range.clone()], "é");
    }

    #[test]
    fn source_spellings() {
        let cases = [
            (h("x"), "$request.header.x", "${request.header.x}"),
            (
                Source::RequestQuerystring("q".into()),
                "$request.querystring.q",
                "${request.querystring.q}",
            ),
            (
                Source::RequestPath(None),
                "$request.path",
                "${request.path}",
            ),
            (
                Source::RequestPath(Some("id".into())),
                "$request.path.id",
                "${request.path.id}",
            ),
            (
                Source::RequestBody(None),
                "$request.body",
                "${request.body}",
            ),
            (
                Source::RequestBody(Some("a[0]".into())),
                "$request.body.a[0]",
                "${request.body.a[0]}",
            ),
            (
                Source::Context("identity.sourceIp".into()),
                "$context.identity.sourceIp",
                "${context.identity.sourceIp}",
            ),
            (
                Source::StageVariable("v".into()),
                "$stageVariables.v",
                "${stageVariables.v}",
            ),
        ];
        for (source, bare, braced) in cases {
            assert_eq!(source.to_bare(), bare);
            assert_eq!(source.to_braced(), braced);
            assert_eq!(single_expr(bare).source, source);
            assert_eq!(single_expr(braced).source, source);
        }
    }

    #[test]
    fn problem_kind_codes_are_distinct() {
        let kinds = [
            ProblemKind::InvalidExpression,
            ProblemKind::BareAfterText,
            ProblemKind::UnsupportedJsonPath,
            ProblemKind::UnclosedBrace,
        ];
        let codes: std::collections::HashSet<_> = kinds.iter().map(|k| k.code()).collect();
        assert_eq!(codes.len(), kinds.len());
    }

    #[test]
    fn words_come_from_the_catalog() {
        let grammar = grammar();
        // Every root and part the catalog names parses, bare and braced, and spells
        // back the same.
        for root in &grammar.roots {
            let mut inners: Vec<String> = Vec::new();
            if root.parts.is_empty() {
                inners.push(format!("{}.a", root.root));
            }
            for part in &root.parts {
                inners.push(format!("{}.{}.a", root.root, part.part));
                if part.whole.is_some() {
                    inners.push(format!("{}.{}", root.root, part.part));
                }
            }
            for inner in inners {
                let e = single_expr(&format!("${inner}"));
                assert_eq!(e.source.inner(), inner);
                assert_eq!(single_expr(&format!("${{{inner}}}")).source.inner(), inner);
            }
        }
        // Near misses of catalog words get the catalog's spelling.
        let p = one_problem("$contxt.requestId");
        assert_eq!(p.suggestion.as_deref(), Some("$context.requestId"));
        let p = one_problem("$request.pat.id");
        assert_eq!(p.suggestion.as_deref(), Some("$request.path.id"));
        let p = one_problem("$request.Header.x");
        assert_eq!(p.suggestion.as_deref(), Some("$request.header.x"));
    }

    #[test]
    fn large_inputs_are_fast() {
        let texts = [
            "${request.".repeat(20_000),
            "${".repeat(50_000),
            "x $context.a ".repeat(10_000),
            "x $request.heder.y ".repeat(10_000),
            format!("$request.header.{}", "a".repeat(200_000)),
            format!("${{request.body.a[{}", "'x".repeat(50_000)),
            "${request.header.x ".repeat(10_000),
        ];
        let start = std::time::Instant::now();
        for text in &texts {
            let v = parse_value(text);
            check_invariants(text, &v);
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(20));
    }

    fn check_range(text: &str, r: &Range<usize>, what: &str) {
        assert!(
            r.start <= r.end && r.end <= text.len(),
            "{what} {r:?} out of bounds in {text:?}"
        );
        assert!(
            text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
            "{what} {r:?} not on char boundaries in {text:?}"
        );
    }

    fn check_invariants(text: &str, v: &ParsedValue) {
        let mut at = 0;
        for part in &v.parts {
            let r = part.range();
            check_range(text, &r, "part");
            assert_eq!(
                r.start, at,
                "parts leave a gap or overlap in {text:?}: {:?}",
                v.parts
            );
            assert!(!r.is_empty(), "empty part in {text:?}");
            at = r.end;
            if let Part::Expr(e) = part {
                if let Some(n) = &e.name_range {
                    check_range(text, n, "name");
                    assert!(e.range.start <= n.start && n.end <= e.range.end);
                    assert_eq!(Some(&text[n.clone()]), e.source.name());
                } else {
                    assert_eq!(e.source.name(), None);
                }
                let spelled = &text[e.range.clone()];
                if e.braced {
                    assert_eq!(spelled, e.source.to_braced());
                } else {
                    assert_eq!(spelled, e.source.to_bare());
                }
            }
        }
        assert_eq!(at, text.len(), "parts do not cover {text:?}: {:?}", v.parts);
        for w in v.parts.windows(2) {
            assert!(
                !matches!((&w[0], &w[1]), (Part::Literal(_), Part::Literal(_))),
                "adjacent literals in {text:?}"
            );
        }
        for p in &v.problems {
            check_range(text, &p.range, "problem");
            check_range(text, &p.suggestion_range, "suggestion range");
            assert!(!p.message.is_empty(), "empty message in {text:?}");
            assert!(
                !p.range.is_empty(),
                "empty problem range in {text:?}: {p:?}"
            );
        }
        for w in v.problems.windows(2) {
            assert!(
                w[0].range.end <= w[1].range.start,
                "problems out of order in {text:?}"
            );
        }
    }

    fn token() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("$".to_owned()),
            Just("{".to_owned()),
            Just("}".to_owned()),
            Just(".".to_owned()),
            Just("..".to_owned()),
            Just("?(".to_owned()),
            Just("[".to_owned()),
            Just("]".to_owned()),
            Just("'".to_owned()),
            Just("\"".to_owned()),
            Just("!".to_owned()),
            Just("-".to_owned()),
            Just(" ".to_owned()),
            Just("\n".to_owned()),
            Just("é".to_owned()),
            Just("😀".to_owned()),
            Just("日".to_owned()),
            Just("request".to_owned()),
            Just("requst".to_owned()),
            Just("Request".to_owned()),
            Just("header".to_owned()),
            Just("heder".to_owned()),
            Just("querystring".to_owned()),
            Just("path".to_owned()),
            Just("body".to_owned()),
            Just("context".to_owned()),
            Just("stageVariables".to_owned()),
            Just("stagevariables".to_owned()),
            Just("AWS::Region".to_owned()),
            "[a-zA-Z0-9_]{1,4}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn prop_tokens_never_panic_and_cover(tokens in prop::collection::vec(token(), 0..24)) {
            let text: String = tokens.concat();
            let v = parse_value(&text);
            check_invariants(&text, &v);
        }

        #[test]
        fn prop_any_string(text in any::<String>()) {
            let v = parse_value(&text);
            check_invariants(&text, &v);
        }

        #[test]
        fn prop_suggestions_fix_the_problem(tokens in prop::collection::vec(token(), 0..16)) {
            let text: String = tokens.concat();
            for p in parse_value(&text).problems {
                if let Some(s) = p.suggestion {
                    let mut fixed = text.clone();
                    fixed.replace_range(p.suggestion_range.clone(), &s);
                    let v = parse_value(&fixed);
                    check_invariants(&fixed, &v);
                    // The fixed text no longer has a problem of the same kind
                    // at the same start.
                    prop_assert!(
                        !v.problems.iter().any(|q| q.kind == p.kind && q.range.start == p.range.start && p.kind != ProblemKind::BareAfterText),
                        "{text:?} -> {fixed:?}: {:?}", v.problems
                    );
                }
            }
        }

        #[test]
        fn prop_bare_roundtrip(name in "[a-zA-Z0-9_-]{1,12}") {
            for text in [
                format!("$request.header.{name}"),
                format!("$request.querystring.{name}"),
                format!("$request.path.{name}"),
                format!("$request.body.{name}"),
            ] {
                let e = single_expr(&text);
                prop_assert_eq!(e.source.to_bare(), text.clone());
                let braced = e.source.to_braced();
                prop_assert_eq!(single_expr(&braced).source, e.source);
            }
        }
    }
}
