//! Parameter constraints in words, for hover and completion documentation: the prose
//! about the catalog's [`Constraints`], which holds only the data.

use crate::catalog::Constraints;

/// The constraints in words, one line each, e.g. `1–80 characters`,
/// `integer 0–900`, ``pattern `^[a-zA-Z0-9_.-]+$` ``, `FIFO queues only`.
pub fn lines(c: &Constraints) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(line) = value_type_line(c) {
        lines.push(line);
    }
    if let Some(line) = length_line(c.min_length, c.max_length) {
        lines.push(line);
    }
    if let Some(default) = &c.default {
        lines.push(format!("default {}", code(default)));
    }
    if let Some(values) = &c.enum_values {
        let list = values
            .iter()
            .map(|v| code(v))
            .collect::<Vec<_>>()
            .join(", ");
        if c.value_type
            .as_deref()
            .is_some_and(|t| t.starts_with("list"))
        {
            lines.push(format!("items from: {list}"));
        } else {
            lines.push(format!("one of: {list}"));
        }
    }
    if let Some(format) = &c.format {
        lines.push(format_line(format));
    }
    if let Some(pattern) = &c.pattern {
        lines.push(format!("pattern {}", code(pattern)));
    }
    if c.fifo_only == Some(true) {
        lines.push("FIFO queues only".to_owned());
    }
    if let Some(kind) = &c.required_for {
        lines.push(format!("required for {}", queue_kind(kind)));
    }
    if let Some(kind) = &c.not_allowed_for {
        lines.push(format!("not allowed for {}", queue_kind(kind)));
    }
    if let Some(n) = c.max_bytes {
        lines.push(format!("at most {}", bytes(n)));
    }
    if let Some(n) = c.max_bytes_with_partition_key {
        lines.push(format!("data plus partition key at most {}", bytes(n)));
    }
    if let Some(n) = c.max_bytes_entry {
        lines.push(format!("whole event entry at most {}", bytes(n)));
    }
    if let Some(n) = c.previous_max_bytes {
        match &c.limit_changed_on {
            Some(date) => lines.push(format!("limit was {} before {date}", short_bytes(n))),
            None => lines.push(format!("limit was formerly {}", short_bytes(n))),
        }
    }
    if let Some(n) = c.max_json_depth {
        lines.push(format!("JSON nesting at most {n} levels"));
    }
    if let Some(n) = c.max_items {
        lines.push(format!("at most {n} entries"));
    }
    if let Some(n) = c.item_max_length {
        lines.push(format!("each item at most {} characters", number(n)));
    }
    if let Some(keys) = &c.allowed_keys {
        let list = keys.iter().map(|k| code(k)).collect::<Vec<_>>().join(", ");
        lines.push(format!("only keys: {list}"));
    }
    if let Some(p) = &c.name_pattern {
        lines.push(format!("names: pattern {}", code(p)));
    }
    if let Some(p) = &c.data_type_pattern {
        lines.push(format!("DataType: pattern {}", code(p)));
    }
    if let Some(n) = c.data_type_max_length {
        lines.push(format!("DataType at most {} characters", number(n)));
    }
    if let Some(chars) = &c.allowed_chars {
        lines.push(format!("allowed characters: {chars}"));
    }
    if let Some(chars) = &c.forbidden_chars {
        lines.push(forbidden_line(chars));
    }
    if c.forbid_control_chars == Some(true) {
        lines.push("no control characters".to_owned());
    }
    if let Some(prefixes) = &c.forbidden_prefixes {
        let list = prefixes
            .iter()
            .map(|p| code(p))
            .collect::<Vec<_>>()
            .join(", ");
        lines.push(format!("must not start with {list}"));
    }
    if let Some(p) = &c.logging_safe_pattern {
        lines.push(format!("for CloudWatch logging keep to {}", code(p)));
    }
    lines.extend(c.notes.iter().cloned());
    lines
}

fn value_type_line(c: &Constraints) -> Option<String> {
    let range = match (c.min, c.max) {
        (Some(lo), Some(hi)) => Some(format!("{}–{}", signed(lo), signed(hi))),
        (Some(lo), None) => Some(format!("≥ {}", signed(lo))),
        (None, Some(hi)) => Some(format!("≤ {}", signed(hi))),
        (None, None) => None,
    };
    let kind = c.value_type.as_deref();
    match (kind, range) {
        (Some("integer"), Some(range)) => Some(format!("integer {range}")),
        (Some("integer"), None) => Some("integer".to_owned()),
        (_, Some(range)) => Some(format!("number {range}")),
        (Some("json"), None) => Some("JSON text".to_owned()),
        (Some("json-object"), None) => Some("JSON object as text".to_owned()),
        (Some("blob"), None) => Some("binary data (base64-encoded on the wire)".to_owned()),
        (Some("list<arn>"), None) => Some("list of ARNs".to_owned()),
        (Some("list<enum>"), None) => Some("list of names".to_owned()),
        (Some("list<string>"), None) => Some("list of strings".to_owned()),
        (Some(other), None) => Some(format!("value type {}", code(other))),
        (None, None) => None,
    }
}

/// Markdown inline code that survives backticks inside the text.
fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

fn length_line(min: Option<u64>, max: Option<u64>) -> Option<String> {
    let plural = |n: u64| if n == 1 { "character" } else { "characters" };
    match (min, max) {
        (Some(lo), Some(hi)) if lo == hi => Some(format!("exactly {} {}", number(lo), plural(lo))),
        (Some(lo), Some(hi)) => Some(format!("{}–{} characters", number(lo), number(hi))),
        (Some(lo), None) => Some(format!("at least {} {}", number(lo), plural(lo))),
        (None, Some(hi)) => Some(format!("at most {} {}", number(hi), plural(hi))),
        (None, None) => None,
    }
}

fn format_line(format: &str) -> String {
    match format {
        "aws-region" => "AWS Region code, e.g. `us-east-1`".to_owned(),
        "sqs-queue-url" => {
            "SQS queue URL, `https://sqs.<region>.amazonaws.com/<account-id>/<queue-name>`"
                .to_owned()
        }
        "rfc3339-timestamp" => "RFC 3339 timestamp".to_owned(),
        "states-execution-arn" => "Step Functions execution ARN".to_owned(),
        other => format!("format {}", code(other)),
    }
}

fn queue_kind(kind: &str) -> String {
    match kind {
        "fifo" => "FIFO queues".to_owned(),
        "standard" => "standard queues".to_owned(),
        other => other.to_owned(),
    }
}

fn forbidden_line(chars: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    if chars.chars().any(char::is_whitespace) {
        parts.push("whitespace".to_owned());
    }
    let listed: Vec<String> = chars
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(String::from)
        .collect();
    if !listed.is_empty() {
        parts.push(format!("any of {}", listed.join(" ")));
    }
    format!("must not contain {}", parts.join(" or "))
}

/// `1,048,576`-style grouping for numbers of five digits or more.
fn number(n: u64) -> String {
    let digits = n.to_string();
    if digits.len() < 5 {
        return digits;
    }
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn signed(n: i64) -> String {
    if n < 0 {
        format!("-{}", number(n.unsigned_abs()))
    } else {
        number(n.unsigned_abs())
    }
}

/// `1 MiB`, `256 KiB` or `1,000 bytes`.
fn short_bytes(n: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else if n >= KIB && n.is_multiple_of(KIB) {
        format!("{} KiB", n / KIB)
    } else {
        format!("{} bytes", number(n))
    }
}

/// `1 MiB (1,048,576 bytes)`.
fn bytes(n: u64) -> String {
    let short = short_bytes(n);
    if short.ends_with("bytes") {
        short
    } else {
        format!("{short} ({} bytes)", number(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::catalog;

    #[test]
    fn constraint_summaries() {
        let of = |subtype_name: &str, param: &str| {
            let subtype = catalog().subtype(subtype_name).expect("subtype");
            lines(&subtype.param(param).expect("parameter").constraints)
        };
        assert!(of("StepFunctions-StartExecution", "Name").contains(&"1–80 characters".to_owned()));
        assert!(of("SQS-SendMessage", "DelaySeconds").contains(&"integer 0–900".to_owned()));
        assert!(
            of("SQS-ReceiveMessage", "VisibilityTimeout").contains(&"integer 0–43,200".to_owned())
        );
        assert!(
            of("SQS-SendMessage", "MessageDeduplicationId")
                .contains(&"FIFO queues only".to_owned())
        );
        assert!(
            of("SQS-SendMessage", "MessageGroupId")
                .contains(&"required for FIFO queues".to_owned())
        );
        assert!(
            of("SQS-SendMessage", "DelaySeconds")
                .contains(&"not allowed for FIFO queues".to_owned())
        );
        assert!(
            of("Kinesis-PutRecord", "StreamName")
                .contains(&"pattern `^[a-zA-Z0-9_.-]+$`".to_owned())
        );
        assert!(
            of("SQS-SendMessage", "MessageBody")
                .contains(&"at most 1 MiB (1,048,576 bytes)".to_owned())
        );
        assert!(
            of("SQS-SendMessage", "MessageBody")
                .contains(&"limit was 256 KiB before 2025-08-25".to_owned())
        );
        assert!(
            of("EventBridge-PutEvents", "DetailType")
                .contains(&"at most 128 characters".to_owned())
        );
        assert!(
            of("SQS-ReceiveMessage", "MaxNumberOfMessages").contains(&"default `1`".to_owned())
        );
        // Backticks inside a pattern get a wider fence.
        assert!(
            of("SQS-SendMessage", "MessageGroupId")
                .iter()
                .any(|l| l.starts_with("pattern `` ^"))
        );
        assert!(
            of("StepFunctions-StartExecution", "Name")
                .iter()
                .any(|l| l.starts_with("must not contain whitespace or any of <"))
        );
        // Every parameter renders without empty lines.
        for p in catalog().subtypes.iter().flat_map(|s| &s.parameters) {
            assert!(lines(&p.constraints).iter().all(|l| !l.trim().is_empty()));
        }
        assert!(lines(&Constraints::default()).is_empty());
    }

    #[test]
    fn number_formatting() {
        assert_eq!(number(900), "900");
        assert_eq!(number(1600), "1600");
        assert_eq!(number(43_200), "43,200");
        assert_eq!(number(1_048_576), "1,048,576");
        assert_eq!(signed(-5), "-5");
        assert_eq!(bytes(262_144), "256 KiB (262,144 bytes)");
        assert_eq!(bytes(1000), "1000 bytes");
    }
}
