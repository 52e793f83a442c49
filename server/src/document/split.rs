//! Where a YAML document is cut into segments.
//!
//! A segment starts at every top-level key (a line that starts in column 0) and, inside
//! the big sections (`Resources`, `paths`, ...), at every entry of that section (a line
//! at the section's child indentation). Each segment is parsed on its own, which keeps
//! one keystroke's reparse small and every tree under tree-sitter-yaml's row limit.
//!
//! The split is a pure function of the text: [`Scanner`] decides line by line, with a
//! small state, and the document layer re-runs it only over the lines an edit touches.

/// Top-level sections whose entries get segments of their own: a template's, and
/// OpenAPI's `paths`.
pub const SPLIT_SECTIONS: &[&str] = &[
    "Resources",
    "Parameters",
    "Outputs",
    "Conditions",
    "Mappings",
    "Rules",
    "paths",
];

/// A Pulumi YAML program's resources: split like `Resources` (in YAML), unless the
/// section's first member says it is the Serverless Framework's `resources` (a list of
/// fragments, or a template fragment: `Resources`, `Outputs`, `extensions`, ...), which
/// the model reads whole (its `extensions` change its `Resources`).
pub const PULUMI_RESOURCES: &str = "resources";

/// The members of a Serverless Framework `resources` fragment: a template's top-level
/// keys, and the framework's `extensions`.
const SERVERLESS_MEMBERS: &[&str] = &[
    "Resources",
    "Outputs",
    "Conditions",
    "Mappings",
    "Parameters",
    "Metadata",
    "Rules",
    "Description",
    "Transform",
    "AWSTemplateFormatVersion",
    "extensions",
];

/// What starts at a boundary line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// A top-level key (or the text before the first one).
    Top { splits: bool },
    /// An entry of a split section, at this indentation.
    Child {
        section: std::sync::Arc<str>,
        indent: usize,
    },
}

/// Scanner state between lines.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scanner {
    /// The split section we are in, and its child indentation once known.
    section: Option<(std::sync::Arc<str>, Option<usize>)>,
}

fn indent_of(line: &[u8]) -> usize {
    line.iter().take_while(|&&b| b == b' ').count()
}

fn is_blank_or_comment(rest: &[u8]) -> bool {
    match rest.first() {
        None | Some(b'\n' | b'\r' | b'#') => true,
        Some(b'\t') => rest.iter().all(|b| b.is_ascii_whitespace()),
        _ => false,
    }
}

/// The key of a top-level line such as `Resources:` or `"paths": # comment`, when the
/// line holds nothing after the colon (so the section's entries follow on later lines).
fn section_header_key(line: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(line).ok()?;
    let text = text.trim_end();
    let (key, rest) = text.split_once(':')?;
    let rest = rest.trim();
    if !(rest.is_empty() || rest.starts_with('#')) {
        return None;
    }
    // A byte order mark may precede the first key of the file.
    let key = key
        .trim_start_matches('\u{feff}')
        .trim()
        .trim_matches(|c| c == '"' || c == '\'');
    SPLIT_SECTIONS
        .iter()
        .copied()
        .chain([PULUMI_RESOURCES])
        .find(|s| *s == key)
}

/// Whether the first member line of a `resources` section (after its indentation) is
/// the Serverless Framework's: a list item, or a template fragment's key.
fn serverless_member(rest: &[u8]) -> bool {
    if rest.first() == Some(&b'-') {
        return true;
    }
    let text = String::from_utf8_lossy(rest);
    let key = text
        .split(':')
        .next()
        .unwrap_or("")
        .trim()
        .trim_matches(|c| c == '"' || c == '\'');
    SERVERLESS_MEMBERS.contains(&key)
}

impl Scanner {
    /// A scanner positioned inside `section` after a child at `indent`.
    pub fn in_section(section: std::sync::Arc<str>, indent: usize) -> Self {
        Self {
            section: Some((section, Some(indent))),
        }
    }

    /// Looks at one line (its first bytes are enough; `line` may be cut short) and
    /// says whether a segment starts here.
    pub fn line(&mut self, line: &[u8]) -> Option<Role> {
        let first = line.first().copied();
        let top = match first {
            None | Some(b' ' | b'\t' | b'\r' | b'\n' | b'#') => false,
            Some(b'-') => line.starts_with(b"---"),
            // Continuations of a multi-line flow collection, or stray closers.
            Some(b']' | b'}' | b',') => false,
            Some(_) => true,
        };
        if top {
            let key = section_header_key(line);
            self.section = key.map(|k| (std::sync::Arc::from(k), None));
            return Some(Role::Top {
                splits: key.is_some(),
            });
        }
        let (section, child_indent) = self.section.as_mut()?;
        let indent = indent_of(line);
        let rest = &line[indent..];
        if is_blank_or_comment(rest) {
            return None;
        }
        // The Serverless Framework's `resources` (also a list at the key's column): one
        // segment, read whole.
        if child_indent.is_none() && &**section == PULUMI_RESOURCES && serverless_member(rest) {
            self.section = None;
            return None;
        }
        if indent == 0 {
            return None;
        }
        match child_indent {
            None => {
                *child_indent = Some(indent);
                Some(Role::Child {
                    section: section.clone(),
                    indent,
                })
            }
            Some(k) if *k == indent && rest.first() != Some(&b'-') => Some(Role::Child {
                section: section.clone(),
                indent,
            }),
            _ => None,
        }
    }
}

/// The number of leading bytes of a line the scanner needs to see.
pub const LINE_PREFIX: usize = 256;

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(text: &str) -> Vec<(usize, Role)> {
        let mut scanner = Scanner::default();
        text.lines()
            .enumerate()
            .filter_map(|(i, l)| scanner.line(l.as_bytes()).map(|r| (i, r)))
            .collect()
    }

    #[test]
    fn splits_top_level_and_resources_entries() {
        let text = "# c\nAWSTemplateFormatVersion: x\nResources:\n  # note\n  A:\n    Type: T\n\n  B:\n    Type: T\nOutputs: {}\n";
        let got: Vec<usize> = roles(text).into_iter().map(|(i, _)| i).collect();
        assert_eq!(got, vec![1, 2, 4, 7, 9]);
    }

    #[test]
    fn flow_style_section_is_not_split() {
        let got = roles("Resources: {A: {Type: T},\n  B: {Type: T}}\n");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1, Role::Top { splits: false });
    }

    #[test]
    fn deeper_lines_and_sequences_stay_in_their_entry() {
        let got = roles("paths:\n  /a:\n    get: {}\n  - x\n  /b:\n    post: {}\n");
        let lines: Vec<usize> = got.into_iter().map(|(i, _)| i).collect();
        assert_eq!(lines, vec![0, 1, 4]);
    }

    #[test]
    fn a_byte_order_mark_does_not_hide_the_first_section() {
        let got = roles("\u{feff}Resources:\n  A: 1\n  B: 2\n");
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].1, Role::Top { splits: true });
    }

    #[test]
    fn pulumi_resources_split_and_serverless_ones_do_not() {
        let pulumi = "name: p\nruntime: yaml\nresources:\n  # queue\n  q:\n    type: aws:sqs:Queue\n  send:\n    type: aws:apigatewayv2:Integration\noutputs: {}\n";
        let lines: Vec<usize> = roles(pulumi).into_iter().map(|(i, _)| i).collect();
        assert_eq!(lines, vec![0, 1, 2, 4, 6, 8]);
        for serverless in [
            "service: s\nresources:\n  Resources:\n    Q:\n      Type: AWS::SQS::Queue\n  Outputs:\n    O: {Value: 1}\nplugins: []\n",
            "service: s\nresources:\n  - Resources:\n      Q:\n        Type: AWS::SQS::Queue\n  - ${file(r.yml)}\nplugins: []\n",
            "service: s\nresources:\n  extensions:\n    Q:\n      Properties: {}\n  Resources: {}\nplugins: []\n",
            "service: s\nresources:\n- Resources:\n    Q:\n      Type: AWS::SQS::Queue\n- Outputs: {}\n\nplugins: []\n",
        ] {
            let got = roles(serverless);
            let lines: Vec<usize> = got.iter().map(|(i, _)| *i).collect();
            let plugins = serverless.lines().position(|l| l.starts_with("plugins"));
            let expected: Vec<usize> = [0, 1].into_iter().chain(plugins).collect();
            assert_eq!(lines, expected, "{serverless}");
        }
    }

    #[test]
    fn document_markers_are_top_level() {
        let got = roles("---\nResources:\n  A: 1\n...\n");
        assert_eq!(got.len(), 4);
    }
}
