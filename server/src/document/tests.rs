use super::*;

fn doc(text: &str) -> Document {
    Document::new(text, Language::Yaml, 1)
}

const TEMPLATE: &str = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n  Integration:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationSubtype: SQS-SendMessage\n      RequestParameters:\n        QueueUrl: !Ref Queue\nOutputs:\n  X:\n    Value: 1\n";

#[test]
fn entries_follow_the_template_structure() {
    let d = doc(TEMPLATE);
    let keys: Vec<(Option<&str>, Option<&str>)> =
        d.entries().map(|e| (e.section, e.key())).collect();
    assert_eq!(
        keys,
        vec![
            (None, Some("AWSTemplateFormatVersion")),
            (None, Some("Resources")),
            (Some("Resources"), Some("Queue")),
            (Some("Resources"), Some("Integration")),
            (None, Some("Outputs")),
            (Some("Outputs"), Some("X")),
        ]
    );
    assert!(d.syntax_errors().is_empty(), "{:?}", d.syntax_errors());
    let integration = d
        .entries()
        .find(|e| e.key() == Some("Integration"))
        .map(|e| (e.base, e.value()));
    let Some((_, Some(value))) = integration else {
        panic!("no integration")
    };
    let queue = value
        .get("Properties")
        .and_then(|p| p.get("RequestParameters"))
        .and_then(|r| r.get("QueueUrl"));
    let arg = queue
        .and_then(|q| q.intrinsic_argument())
        .and_then(|a| a.text());
    assert_eq!(arg, Some("Queue"));
    let span = queue.map(|q| q.span()).unwrap_or_default();
    assert_eq!(&TEMPLATE[span], "!Ref Queue");
}

pub(super) fn assert_same_as_fresh(d: &Document) {
    let fresh = Document::new(&d.text(), d.language(), 0);
    assert_eq!(debug_view(d), debug_view(&fresh), "text:\n{}", d.text());
}

#[test]
fn edits_inside_an_entry_match_a_fresh_parse() {
    let mut d = doc(TEMPLATE);
    let at = TEMPLATE.find("SQS-SendMessage").unwrap_or(0);
    d.apply_edit(at..at + 3, "Kinesis");
    assert_same_as_fresh(&d);
    // Insert a new resource between two others.
    let at = d.text().find("  Integration:").unwrap_or(0);
    d.apply_edit(at..at, "  Other:\n    Type: AWS::SNS::Topic\n");
    assert_same_as_fresh(&d);
    // Turn a resource header into a deeper line, then back.
    let at = d.text().find("  Other:").unwrap_or(0);
    d.apply_edit(at..at, "  ");
    assert_same_as_fresh(&d);
    d.apply_edit(at..at + 2, "");
    assert_same_as_fresh(&d);
    // A new top-level key in the middle of Resources.
    let at = d.text().find("  Integration:").unwrap_or(0);
    d.apply_edit(at..at, "Mappings:\n");
    assert_same_as_fresh(&d);
    d.apply_edit(at..at + "Mappings:\n".len(), "");
    assert_same_as_fresh(&d);
    // Rename the section header.
    let at = d.text().find("Resources:").unwrap_or(0);
    d.apply_edit(at..at + 9, "Resourcez");
    assert_same_as_fresh(&d);
    d.apply_edit(at..at + 9, "Resources");
    assert_same_as_fresh(&d);
    // Delete everything between two entries (joins lines).
    let t = d.text();
    let from = t.find("Type: AWS::SQS::Queue").unwrap_or(0);
    let to = t.find("Outputs:").unwrap_or(0);
    d.apply_edit(from..to, "");
    assert_same_as_fresh(&d);
    // Append at the end, delete everything.
    let len = d.len();
    d.apply_edit(len..len, "Extra: 1\n");
    assert_same_as_fresh(&d);
    let len = d.len();
    d.apply_edit(0..len, "");
    assert_same_as_fresh(&d);
    d.apply_edit(0..0, TEMPLATE);
    assert_same_as_fresh(&d);
}

#[test]
fn json_edits_match_a_fresh_parse() {
    let text = "{\n  \"Resources\": {\n    \"A\": {\"Type\": \"AWS::SQS::Queue\"},\n    \"B\": {\"Type\": \"X\", \"Properties\": {\"QueueUrl\": {\"Ref\": \"A\"}}}\n  }\n}\n";
    let mut d = Document::new(text, Language::Json, 1);
    let keys: Vec<Option<&str>> = d.entries().map(|e| e.key()).collect();
    assert_eq!(keys, vec![Some("Resources"), Some("A"), Some("B")]);
    let at = text.find("\"X\"").unwrap_or(0);
    d.apply_edit(at + 1..at + 2, "Y");
    assert_same_as_fresh(&d);
    d.apply_edit(at..at, "{");
    assert_same_as_fresh(&d);
    d.apply_edit(at..at + 1, "");
    assert_same_as_fresh(&d);
}

#[test]
fn a_40000_line_template_has_no_false_syntax_error() {
    let mut text = String::from("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n");
    let mut i = 0;
    while i * 7 < 40_000 {
        text.push_str(&format!(
            "  Queue{i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: q{i}\n      Tags:\n        - Key: k\n          Value: v\n"
        ));
        i += 1;
    }
    text.push_str("Outputs:\n  Last:\n    Value: !Ref Queue0\n");
    let mut d = doc(&text);
    assert!(
        d.syntax_errors().is_empty(),
        "{:?}",
        &d.syntax_errors()[..1]
    );
    let last = d.entries().last().map(|e| {
        (
            e.key().map(str::to_string),
            e.value().and_then(|v| v.get("Value")).map(|v| v.span()),
        )
    });
    let Some((Some(key), Some(span))) = last else {
        panic!("no last entry")
    };
    assert_eq!(key, "Last");
    assert_eq!(&text[span], "!Ref Queue0");
    // An edit near the end still parses cleanly and touches one segment.
    let at = text.rfind("QueueName").unwrap_or(0);
    d.apply_edit(at..at, "X");
    assert!(d.syntax_errors().is_empty());
    assert!(d.segment_count() > 5000);
}

#[test]
fn a_big_template_opened_on_threads_matches_one_built_by_edits() {
    let mut text = String::from("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n");
    let mut i = 0;
    while text.len() < 3 * PARALLEL_BUILD_BYTES {
        text.push_str(&format!(
            "  Queue{i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: q{i}\n"
        ));
        if i % 997 == 0 {
            text.push_str("      Broken: [unclosed\n");
        }
        i += 1;
    }
    text.push_str("Outputs:\n  Last:\n    Value: !Ref Queue0\n");
    let opened = doc(&text);
    // Grown from a small prefix, every later segment is built on this thread.
    let cut = text.find("  Queue1:").unwrap_or(0);
    let mut grown = doc(&text[..cut]);
    grown.apply_edit(cut..cut, &text[cut..]);
    assert_eq!(grown.text(), text);
    assert!(opened.segment_count() > 1000);
    assert!(!opened.syntax_errors().is_empty());
    assert_eq!(debug_view(&opened), debug_view(&grown));
}

#[test]
fn broken_yaml_keeps_the_rest() {
    let text = "Resources:\n  A:\n    Type: [unclosed\n  B:\n    Type: AWS::SQS::Queue\n";
    let d = doc(text);
    assert!(!d.syntax_errors().is_empty());
    let b = d
        .entries()
        .find(|e| e.key() == Some("B"))
        .and_then(|e| e.value())
        .and_then(|v| v.get("Type"))
        .and_then(|t| t.text().map(str::to_string));
    assert_eq!(b.as_deref(), Some("AWS::SQS::Queue"));
}

/// A pretty-printed JSON template: an integration with a misspelled `$request`
/// source between two other resources, and outputs.
const JSON_TEMPLATE: &str = r#"{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Queue": {
      "Type": "AWS::SQS::Queue",
      "Properties": {
        "QueueName": "q"
      }
    },
    "Send": {
      "Type": "AWS::ApiGatewayV2::Integration",
      "Properties": {
        "IntegrationSubtype": "SQS-SendMessage",
        "RequestParameters": {
          "QueueUrl": {"Ref": "Queue"},
          "MessageBody": "$request.heder.x"
        }
      }
    },
    "Other": {
      "Type": "AWS::SNS::Topic"
    }
  },
  "Outputs": {
    "Url": {
      "Value": {"Ref": "Queue"}
    }
  }
}
"#;

fn json(text: &str) -> Document {
    Document::new(text, Language::Json, 1)
}

fn resource_keys(d: &Document) -> Vec<String> {
    d.entries()
        .filter(|e| e.section == Some("Resources"))
        .filter_map(|e| e.key().map(str::to_string))
        .collect()
}

fn has_heder_finding(d: &Document) -> bool {
    crate::analysis::analyze(d)
        .iter()
        .any(|f| f.code != "syntax-error" && f.message.contains("heder"))
}

#[test]
fn json_is_cut_at_members_like_yaml() {
    let d = json(JSON_TEMPLATE);
    let keys: Vec<(Option<&str>, Option<&str>)> =
        d.entries().map(|e| (e.section, e.key())).collect();
    assert_eq!(
        keys,
        vec![
            (None, Some("AWSTemplateFormatVersion")),
            (None, Some("Resources")),
            (Some("Resources"), Some("Queue")),
            (Some("Resources"), Some("Send")),
            (Some("Resources"), Some("Other")),
            (None, Some("Outputs")),
            (Some("Outputs"), Some("Url")),
        ]
    );
    assert!(d.syntax_errors().is_empty(), "{:?}", d.syntax_errors());
    // A prelude, two top-level members, two headers' members: one segment each.
    assert_eq!(d.segment_count(), 8);
    assert_eq!(d.tree_count(), 0);
    assert!(has_heder_finding(&d));
    // Spans are those of the text.
    let send = d.entries().find(|e| e.key() == Some("Send"));
    let body = send
        .and_then(|e| e.value())
        .and_then(|v| v.get("Properties"))
        .and_then(|p| p.get("RequestParameters"))
        .and_then(|r| r.get("MessageBody"));
    let span = body.map(|b| b.span()).unwrap_or_default();
    assert_eq!(&JSON_TEMPLATE[span], "\"$request.heder.x\"");
}

#[test]
fn a_missing_comma_between_members_is_reported_there() {
    let at = JSON_TEMPLATE.find("    },\n    \"Send\"").unwrap_or(0) + "    }".len();
    let mut d = json(JSON_TEMPLATE);
    d.apply_edit(at..at + 1, "");
    assert_same_as_fresh(&d);
    let errors = d.syntax_errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, at..at);
    assert!(errors[0].1.contains("missing `,`"), "{errors:?}");
    assert_eq!(resource_keys(&d), vec!["Queue", "Send", "Other"]);
    assert!(has_heder_finding(&d));
}

#[test]
fn a_missing_brace_between_members_is_reported_there() {
    // The brace that closes `Queue` is deleted: `Send` and `Other` keep their meaning.
    let at = JSON_TEMPLATE.find("    },\n    \"Send\"").unwrap_or(0) + "    ".len();
    let mut d = json(JSON_TEMPLATE);
    d.apply_edit(at..at + 1, "");
    assert_same_as_fresh(&d);
    let errors = d.syntax_errors();
    assert!(!errors.is_empty());
    let send = d.text().find("    \"Send\"").unwrap_or(0);
    let queue = d.text().find("    \"Queue\"").unwrap_or(0);
    assert!(
        errors.iter().all(|(r, _)| queue < r.start && r.end <= send),
        "{errors:?}"
    );
    assert_eq!(resource_keys(&d), vec!["Queue", "Send", "Other"]);
    assert!(has_heder_finding(&d));
    // Typing the brace back gives the template back.
    d.apply_edit(at..at, "}");
    assert_eq!(d.text(), JSON_TEMPLATE);
    assert_same_as_fresh(&d);
    assert!(d.syntax_errors().is_empty());
}

#[test]
fn a_section_left_open_ends_at_the_next_top_level_key() {
    let at = JSON_TEMPLATE.find("  },\n  \"Outputs\"").unwrap_or(0) + "  ".len();
    let mut d = json(JSON_TEMPLATE);
    d.apply_edit(at..at + 1, "");
    assert_same_as_fresh(&d);
    assert!(!d.syntax_errors().is_empty());
    let outputs: Vec<Option<&str>> = d
        .entries()
        .filter(|e| e.section == Some("Outputs"))
        .map(|e| e.key())
        .collect();
    assert_eq!(outputs, vec![Some("Url")]);
    assert_eq!(resource_keys(&d), vec!["Queue", "Send", "Other"]);
}

#[test]
fn typing_a_json_member_keeps_the_others() {
    let at = JSON_TEMPLATE.find("    \"Other\"").unwrap_or(0);
    let mut d = json(JSON_TEMPLATE);
    let typed = "    \"New\": {\n      \"Type\": \"AWS::SQS::Queue\"\n    },\n";
    for (i, c) in typed.char_indices() {
        d.apply_edit(at + i..at + i, &c.to_string());
        assert_same_as_fresh(&d);
        assert!(has_heder_finding(&d), "after {:?}", &typed[..=i]);
    }
    assert_eq!(resource_keys(&d), vec!["Queue", "Send", "New", "Other"]);
    assert!(d.syntax_errors().is_empty(), "{:?}", d.syntax_errors());
}

#[test]
fn only_the_segment_being_typed_in_keeps_a_small_tree() {
    for (text, language) in [(TEMPLATE, Language::Yaml), (JSON_TEMPLATE, Language::Json)] {
        let mut d = Document::new(text, language, 1);
        assert_eq!(d.tree_count(), 0);
        let at = text.find("Queue").unwrap_or(0) + 2;
        d.apply_edit(at..at, "x");
        assert_eq!(d.tree_count(), 1);
        d.apply_edit(at + 1..at + 1, "y");
        assert_eq!(d.tree_count(), 1);
        assert_same_as_fresh(&d);
        // Typing elsewhere moves the tree there.
        let other = d.text().rfind("Value").unwrap_or(0);
        d.apply_edit(other..other, "z");
        assert_eq!(d.tree_count(), 1);
        assert_same_as_fresh(&d);
        // Typing before the segment that kept its tree shifts it, and still frees it.
        d.apply_edit(at..at, "w");
        let first = d.text().find("TemplateFormat").unwrap_or(0);
        d.apply_edit(first..first, "x");
        assert_eq!(d.tree_count(), 1);
        assert_same_as_fresh(&d);
    }
}

#[test]
fn json_that_is_not_an_object_is_one_segment() {
    for text in [
        "[1, {\"a\": 2}]",
        "",
        "  // only a comment\n",
        "\"x\"",
        "x {\"Resources\": {}}",
    ] {
        let d = json(text);
        assert_eq!(d.segment_count(), 1, "{text:?}");
        assert_same_as_fresh(&d);
    }
    let d = json("[1]");
    let entries: Vec<_> = d.entries().map(|e| (e.key(), e.key_span())).collect();
    assert_eq!(entries, vec![(None, 0..0)]);
}

#[test]
fn a_big_json_member_keeps_its_tree_and_reparses_incrementally() {
    let mut big = String::from(
        "{\n  \"Resources\": {\n    \"Big\": {\n      \"Type\": \"AWS::ApiGatewayV2::Api\",\n      \"Properties\": {\n        \"Body\": {\n          \"paths\": {\n",
    );
    let mut i = 0;
    while big.len() < 2 * KEEP_TREE_BYTES {
        big.push_str(&format!("            \"/p{i}\": {{\"get\": {{}}}},\n"));
        i += 1;
    }
    big.push_str("            \"/last\": {}\n          }\n        }\n      }\n    },\n    \"Small\": {\"Type\": \"AWS::SQS::Queue\"}\n  }\n}\n");
    let mut d = json(&big);
    assert_eq!(d.tree_count(), 1);
    let at = big.find("/p7").unwrap_or(0) + 1;
    d.apply_edit(at..at, "x");
    assert_same_as_fresh(&d);
    assert_eq!(d.tree_count(), 1);
    d.apply_edit(at..at + 1, "");
    assert_same_as_fresh(&d);
    assert_eq!(d.text(), big);
}

#[test]
fn every_one_character_json_edit_matches_a_fresh_parse() {
    // Each byte deleted and typed back, and each of JSON's punctuation typed at each
    // place: the cases the random edits reach only by luck.
    let base = json(JSON_TEMPLATE);
    for at in 0..JSON_TEMPLATE.len() {
        let mut d = json(JSON_TEMPLATE);
        let removed = &JSON_TEMPLATE[at..at + 1];
        d.apply_edit(at..at + 1, "");
        assert_same_as_fresh(&d);
        d.apply_edit(at..at, removed);
        assert_eq!(
            debug_view(&d),
            debug_view(&base),
            "retyped {removed:?} at {at}"
        );
        for typed in ["{", "}", ",", "\"", "\n", "]"] {
            let mut d = json(JSON_TEMPLATE);
            d.apply_edit(at..at, typed);
            assert_same_as_fresh(&d);
        }
    }
}

pub(super) mod random_edits {
    use super::*;
    use proptest::prelude::*;

    /// Text fragments that stress the splitter: keys at every indentation, section
    /// headers, tags, flow collections, quotes, CRLF, emoji and CJK.
    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("Resources:\n".to_string()),
            Just("paths:\n".to_string()),
            Just("  A:\n".to_string()),
            Just("    Type: AWS::SQS::Queue\n".to_string()),
            Just("  B: !Ref A\n".to_string()),
            Just("      QueueUrl: !GetAtt Q.Arn\n".to_string()),
            Just("    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n".to_string()),
            Just("      IntegrationSubtype: SQS-SendMessage\n".to_string()),
            Just("      RequestParameters:\n        MessageBody: $request.heder\n".to_string()),
            Just("$context.requestid".to_string()),
            Just("  R:\n    Type: AWS::ApiGatewayV2::Route\n    Properties:\n      ApiId: !Ref Api\n      RouteKey: POST /x/{id}\n      Target: !Sub integrations/${Int}\n".to_string()),
            Just("$request.path.id".to_string()),
            Just("      FifoQueue: true\n".to_string()),
            Just("      CredentialsArn: !Ref Role\n".to_string()),
            // Pulumi YAML's resources (split) and the Serverless Framework's (whole).
            Just("resources:\n".to_string()),
            Just("  Resources:\n".to_string()),
            Just("  q:\n    type: aws:sqs:Queue\n".to_string()),
            Just("    properties:\n      QueueUrl: ${q.url}\n".to_string()),
            Just("$${request.body}".to_string()),
            Just("runtime: yaml\n".to_string()),
            Just("    Type: AWS::IAM::Role\n".to_string()),
            Just("{".to_string()),
            Just("}".to_string()),
            Just("[".to_string()),
            Just("\"".to_string()),
            Just("'".to_string()),
            Just("# c\n".to_string()),
            Just(" ".to_string()),
            Just(":".to_string()),
            Just("- ".to_string()),
            Just("😀".to_string()),
            Just("名前".to_string()),
            Just("\t".to_string()),
            "[a-z]{1,6}".prop_map(|s| s),
        ]
    }

    /// Edits: where (taken modulo the text's length), how many bytes to delete (below
    /// `max_delete`) and up to three `fragment`s to insert.
    pub(in crate::document) fn edits_of(
        fragment: impl Strategy<Value = String>,
        max_delete: usize,
    ) -> impl Strategy<Value = (usize, usize, String)> {
        (
            0usize..10_000,
            0usize..max_delete,
            proptest::collection::vec(fragment, 0..4).prop_map(|v| v.concat()),
        )
    }

    fn edit() -> impl Strategy<Value = (usize, usize, String)> {
        edits_of(fragment(), 40)
    }

    /// Applies `edits` to a document of `seed` one by one; after each, the document, its
    /// parse and its cached incremental analysis equal a fresh open's.
    pub(in crate::document) fn replay(
        seed: &str,
        language: Language,
        edits: Vec<(usize, usize, String)>,
    ) -> Result<(), TestCaseError> {
        let mut expected = seed.to_string();
        let mut d = Document::new(seed, language, 0);
        let mut analyzer = crate::analysis::Analyzer::default();
        analyzer.analyze(&d);
        for (at, del, ins) in edits {
            let start = snap(&expected, at % (expected.len() + 1));
            let end = snap(&expected, start + del);
            expected.replace_range(start..end, &ins);
            d.apply_edit(start..end, &ins);
            prop_assert_eq!(d.text(), expected.clone());
            let fresh = Document::new(&expected, language, 0);
            prop_assert_eq!(debug_view(&d), debug_view(&fresh), "text: {:?}", expected);
            // The cached, incremental analysis equals a fresh analysis.
            prop_assert_eq!(
                analyzer.analyze(&d),
                crate::analysis::analyze(&fresh),
                "text: {:?}",
                expected
            );
        }
        Ok(())
    }

    const SEED: &str = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Api:\n    Type: AWS::ApiGatewayV2::Api\n    Properties:\n      ProtocolType: HTTP\n  Int:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationSubtype: SQS-SendMessage\n      RequestParameters: {QueueUrl: !Ref Q, MessageBody: $request.body}\n  Q:\n    Type: AWS::SQS::Queue\n  Route:\n    Type: AWS::ApiGatewayV2::Route\n    Properties:\n      ApiId: !Ref Api\n      RouteKey: POST /x/{id}\n      Target: !Sub integrations/${Int}\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies: []\nOutputs:\n  O:\n    Value: x\n";

    /// Snaps a byte offset into `text` down to a char boundary.
    pub(in crate::document) fn snap(text: &str, at: usize) -> usize {
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn random_yaml_edits_match_a_fresh_parse(edits in proptest::collection::vec(edit(), 1..25)) {
            replay(SEED, Language::Yaml, edits)?;
        }

        #[test]
        fn random_json_edits_match_a_fresh_parse(edits in proptest::collection::vec(edit(), 1..15)) {
            let seed = "{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {\"A\": {\"Type\": \"AWS::SQS::Queue\"}, \"B\": {\"Type\": \"AWS::ApiGatewayV2::Integration\", \"Properties\": {\"IntegrationSubtype\": \"SQS-SendMessage\", \"RequestParameters\": {\"QueueUrl\": {\"Ref\": \"A\"}, \"MessageBody\": \"$request.heder\"}}}}, \"Outputs\": {}}";
            replay(seed, Language::Json, edits)?;
        }
    }

    /// Fragments of JSON: braces, commas, keys at several indentations, sections,
    /// comments, escapes, CRLF, emoji and CJK.
    fn json_fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("{".to_string()),
            Just("}".to_string()),
            Just("[".to_string()),
            Just("]".to_string()),
            Just(",".to_string()),
            Just(":".to_string()),
            Just("\"".to_string()),
            Just("\\".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("\n    ".to_string()),
            Just("\n  ".to_string()),
            Just("  ".to_string()),
            Just("\"Type\": \"AWS::SQS::Queue\"".to_string()),
            Just("\n    \"B\": {\n      \"Type\": \"AWS::SNS::Topic\"\n    },".to_string()),
            Just("\"Resources\": {".to_string()),
            Just("\"Outputs\": {}".to_string()),
            Just("\"paths\": {\"/a\": {}}".to_string()),
            Just("\"MessageBody\": \"$request.heder\"".to_string()),
            Just("{\"Ref\": \"Queue\"}".to_string()),
            Just("/* c */".to_string()),
            Just("// c\n".to_string()),
            Just("null".to_string()),
            Just("\u{feff}".to_string()),
            Just("😀".to_string()),
            Just("名前".to_string()),
            "[a-z]{1,6}".prop_map(|s| s),
        ]
    }

    fn json_edit() -> impl Strategy<Value = (usize, usize, String)> {
        edits_of(json_fragment(), 24)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        /// Pretty-printed JSON, edited with JSON's own punctuation: the split (and
        /// the recovery of members and sections left open) is a pure function of the
        /// text, so any edit sequence gives what a fresh open gives.
        #[test]
        fn random_pretty_json_edits_match_a_fresh_parse(edits in proptest::collection::vec(json_edit(), 1..20)) {
            replay(JSON_TEMPLATE, Language::Json, edits)?;
        }
    }
}

#[test]
fn an_entry_that_changes_section_is_analysed_anew() {
    // The integration's text is untouched, but a new top-level `paths:` above it moves
    // it out of `Resources`: cached findings keyed on the old entry must not survive.
    let text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A:\n    Type: AWS::SQS::Queue\n  I:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationSubtype: SQS-SendMessage\n";
    let mut d = doc(text);
    let mut analyzer = crate::analysis::Analyzer::default();
    assert!(!analyzer.analyze(&d).is_empty());
    let at = text.find("  I:").unwrap_or(0);
    d.apply_edit(at..at, "paths:\n");
    let fresh = Document::new(&d.text(), Language::Yaml, 0);
    assert_eq!(analyzer.analyze(&d), crate::analysis::analyze(&fresh));
    d.apply_edit(at..at + "paths:\n".len(), "");
    let fresh = Document::new(&d.text(), Language::Yaml, 0);
    assert_eq!(analyzer.analyze(&d), crate::analysis::analyze(&fresh));
}
