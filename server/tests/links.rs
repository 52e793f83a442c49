//! `check` across files: templates and the OpenAPI files they include, on the real
//! pairs of `tests/corpus/real` (rebuilt in their folders from MANIFEST.tsv) and on
//! planted defects.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

const BIN: &str = env!("CARGO_BIN_EXE_apigw-lsp");

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus/real")
}

/// A fresh folder that is a repository root (it holds `.git`).
fn scratch(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "apigw-links-{}-{name}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".git")).expect("scratch folder");
    dir
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("folder");
    }
    std::fs::write(path, text).expect("write");
}

/// `check --format json` on `args`: (file as printed, code, line) of every finding,
/// and what it wrote to stderr.
fn check_output(args: &[&Path]) -> (Vec<(String, String, u64)>, String) {
    let out = Command::new(BIN)
        .arg("check")
        .arg("--format")
        .arg("json")
        .args(args)
        .env_remove("RUST_LOG")
        .output()
        .expect("run apigw-lsp");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let value: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("check output is JSON ({e}): {stdout}"));
    let found = value
        .as_array()
        .expect("a list of findings")
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap_or_default().to_string(),
                f["code"].as_str().unwrap_or_default().to_string(),
                f["range"]["start"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    (found, String::from_utf8_lossy(&out.stderr).to_string())
}

/// [`check_output`]'s findings, with file names only.
fn check(args: &[&Path]) -> Vec<(String, String, u64)> {
    check_output(args)
        .0
        .into_iter()
        .map(|(file, code, line)| {
            let name = Path::new(&file)
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            (name, code, line)
        })
        .collect()
}

/// One real template that includes files, rebuilt with its repository's corpus files
/// at their paths: (folder of the template, template path, included paths).
struct Pair {
    template: PathBuf,
    included: Vec<PathBuf>,
}

fn pairs() -> Vec<Pair> {
    let manifest = std::fs::read_to_string(corpus().join("MANIFEST.tsv")).expect("manifest");
    let rows: Vec<Vec<&str>> = manifest
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .filter(|r: &Vec<&str>| r.len() > 2)
        .collect();
    let mut by_repo: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for r in &rows {
        by_repo.entry(r[1]).or_default().push((r[0], r[2]));
    }
    let mut out = Vec::new();
    for r in &rows {
        let source = corpus().join(r[0]);
        let Ok(text) = std::fs::read_to_string(&source) else {
            continue;
        };
        if !text.contains("AWS::Include") && !text.contains("${file(") {
            continue;
        }
        let dir = scratch("pair");
        for (file, path) in &by_repo[r[1]] {
            if let Ok(t) = std::fs::read_to_string(corpus().join(file)) {
                write(&dir.join(path), &t);
            }
        }
        let template = dir.join(r[2]);
        let folder = template.parent().expect("folder").to_path_buf();
        // `Location: api.yaml`, or Serverless Framework's `Body: ${file(./api.json)}`.
        let included = text
            .lines()
            .filter_map(|l| {
                let l = l.trim();
                l.strip_prefix("Location:").map(str::to_string).or_else(|| {
                    let inner = l.split("${file(").nth(1)?;
                    Some(inner.split(")}").next()?.to_string())
                })
            })
            .map(|l| folder.join(l.trim().trim_matches(['\'', '"'])))
            .filter(|p| p.is_file())
            .collect();
        out.push(Pair { template, included });
    }
    out
}

#[test]
fn real_pairs_stay_clean_and_link() {
    let pairs = pairs();
    assert!(pairs.len() >= 10, "found {} pairs", pairs.len());
    let mut linked = 0;
    for pair in &pairs {
        let folder = pair.template.parent().expect("folder");
        let found = check(&[folder]);
        let bad: Vec<_> = found
            .iter()
            .filter(|(_, code, _)| code != "value-length")
            .collect();
        assert!(bad.is_empty(), "{}: {bad:?}", pair.template.display());
        linked += pair.included.len();
    }
    assert!(linked >= 10, "pairs with their included file: {linked}");
}

/// Renames in the included file the role its integrations use, and makes a queue
/// URL an ARN: found in the included file, on the line of the change.
#[test]
fn planted_defects_are_found_in_the_included_file() {
    let mut planted = 0;
    for pair in pairs() {
        let Some(api) = pair.included.first() else {
            continue;
        };
        let text = std::fs::read_to_string(api).expect("included file");
        let template = std::fs::read_to_string(&pair.template).expect("template");
        // `Fn::GetAtt: [Role, Arn]` or `!GetAtt Role.Arn` on the credentials line or
        // the next.
        let role = text.lines().collect::<Vec<_>>().windows(2).find_map(|w| {
            let joined = format!("{} {}", w[0], w[1]);
            let at = joined.find("credentials")?;
            let rest = &joined[at..];
            let name = rest
                .split(['[', ' ', ',', '.', '"', '\''])
                .find(|t| !t.is_empty() && template.contains(&format!("  {t}:")))?;
            Some(name.to_string())
        });
        let name = api.file_name().expect("name").to_string_lossy().to_string();
        let folder = pair.template.parent().expect("folder").to_path_buf();
        // The Serverless Framework generates resources of its own, so a name the file
        // does not declare may be the framework's: no unresolved names there.
        let serverless = pair.template.ends_with("serverless.yml");
        if let (Some(role), false) = (role, serverless) {
            let changed = text.replacen(&role, "NoSuchRoleAtAll", 1);
            std::fs::write(api, &changed).expect("plant");
            let found = check(&[&folder]);
            assert!(
                found
                    .iter()
                    .any(|(file, code, _)| *file == name && code == "unresolved-reference"),
                "{}: renaming {role} found {found:?}",
                api.display()
            );
            // `check FILE` on the included file finds its template above.
            let alone = check(&[api.as_path()]);
            assert!(
                alone
                    .iter()
                    .any(|(_, code, _)| code == "unresolved-reference"),
                "{}: check FILE found {alone:?}",
                api.display()
            );
            planted += 1;
            std::fs::write(api, &text).expect("restore");
        }
        // A queue URL written as its ARN, in YAML or JSON.
        if let Some(arn) = queue_as_arn(&text) {
            std::fs::write(api, &arn).expect("plant");
            let found = check(&[&folder]);
            assert!(
                found
                    .iter()
                    .any(|(file, code, _)| *file == name && code == "wrong-reference-kind"),
                "{}: QueueUrl as ARN found {found:?}",
                api.display()
            );
            planted += 1;
            std::fs::write(api, &text).expect("restore");
        }
        // The role's policy no longer allows the subtype's action.
        let action = [
            ("SQS-SendMessage", "sqs:SendMessage"),
            ("EventBridge-PutEvents", "events:PutEvents"),
            (
                "StepFunctions-StartSyncExecution",
                "states:StartSyncExecution",
            ),
            ("StepFunctions-StartExecution", "states:StartExecution"),
        ]
        .into_iter()
        .find(|(subtype, action)| text.contains(subtype) && template.matches(action).count() == 1);
        if let (Some((_, action)), false) = (action, serverless) {
            let without = template.replacen(action, "sqs:GetQueueAttributes", 1);
            std::fs::write(&pair.template, &without).expect("plant");
            let found = check(&[&folder]);
            assert!(
                found
                    .iter()
                    .any(|(file, code, _)| *file == name && code == "role-missing-permission"),
                "{}: without {action} found {found:?}",
                pair.template.display()
            );
            planted += 1;
            std::fs::write(&pair.template, &template).expect("restore");
        }
        std::fs::write(api, &text).expect("restore");
    }
    assert!(planted >= 15, "planted {planted}");
}

/// `text` with its `QueueUrl: {Ref: Q}` (YAML, one line or two, or JSON) turned into
/// `Fn::GetAtt: [Q, Arn]`; `None` when there is none.
fn queue_as_arn(text: &str) -> Option<String> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let start = lines.iter().position(|l| l.contains("QueueUrl"))?;
    let at = (start..(start + 2).min(lines.len())).find(|&i| lines[i].contains("Ref"))?;
    let line = &lines[at];
    let replaced = if let Some(key) = line.find("\"Ref\"") {
        let open = line[..key].rfind('{')?;
        let close = key + line[key..].find('}')?;
        let queue = line[key + 5..close]
            .trim()
            .trim_start_matches(':')
            .trim()
            .trim_matches('"');
        format!(
            "{}{{ \"Fn::GetAtt\": [\"{queue}\", \"Arn\"] }}{}",
            &line[..open],
            &line[close + 1..]
        )
    } else {
        let key = line.find("Ref:")?;
        let rest = &line[key + 4..];
        let queue: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let end = key + 4 + rest.find(queue.as_str())? + queue.len();
        format!("{}Fn::GetAtt: [{queue}, Arn]{}", &line[..key], &line[end..])
    };
    lines[at] = replaced;
    Some(lines.join("\n") + "\n")
}

const SAM_INCLUDE: &str = include_str!("../../tests/fixtures/links/template.yaml");
const API: &str = include_str!("../../tests/fixtures/links/api.yaml");

fn sam(location: &str, action: &str) -> String {
    SAM_INCLUDE
        .replace("LOCATION", location)
        .replace("ACTION", action)
        .replace("ROLE", "Role")
}

#[test]
fn missing_permission_across_the_link() {
    let dir = scratch("permission");
    write(
        &dir.join("template.yaml"),
        &sam("api.yaml", "sqs:ReceiveMessage"),
    );
    write(&dir.join("api.yaml"), API);
    let found = check(&[&dir]);
    assert!(
        found
            .iter()
            .any(|(f, c, l)| f == "api.yaml" && c == "role-missing-permission" && *l == 8),
        "{found:?}"
    );
    write(
        &dir.join("template.yaml"),
        &sam("api.yaml", "sqs:SendMessage"),
    );
    assert_eq!(check(&[&dir]), Vec::new());
}

#[test]
fn an_include_that_leads_nowhere_is_an_error_at_the_location() {
    let dir = scratch("missing");
    write(
        &dir.join("template.yaml"),
        &sam("nope/api.yaml", "sqs:SendMessage"),
    );
    let found = check(&[&dir]);
    assert_eq!(
        found,
        vec![(
            "template.yaml".to_string(),
            "include-not-found".to_string(),
            9
        )]
    );
    // Outside the repository: a finding, not a read.
    let inner = dir.join("project");
    std::fs::create_dir_all(inner.join(".git")).expect("inner repository");
    write(&dir.join("secret.yaml"), API);
    write(
        &inner.join("template.yaml"),
        &sam("../secret.yaml", "sqs:SendMessage"),
    );
    let found = check(&[&inner]);
    assert_eq!(
        found,
        vec![(
            "template.yaml".to_string(),
            "include-not-found".to_string(),
            9
        )]
    );
    // Itself: a finding, not a loop.
    write(
        &inner.join("template.yaml"),
        &sam("template.yaml", "sqs:SendMessage"),
    );
    let found = check(&[&inner]);
    assert!(
        found.iter().any(|(_, c, _)| c == "include-not-found"),
        "{found:?}"
    );
}

#[test]
fn definition_uri_with_intrinsics_is_a_warning() {
    let dir = scratch("uri");
    let template = "Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionUri: ./api.yaml
  Queue:
    Type: AWS::SQS::Queue
  Role:
    Type: AWS::IAM::Role
";
    write(&dir.join("template.yaml"), template);
    write(&dir.join("api.yaml"), API);
    let found = check(&[&dir]);
    assert!(
        found
            .iter()
            .any(|(f, c, l)| f == "template.yaml" && c == "definition-uri-intrinsics" && *l == 5),
        "{found:?}"
    );
    write(
        &dir.join("api.yaml"),
        &API.replace(
            "{Fn::GetAtt: [Role, Arn]}",
            "arn:aws:iam::123456789012:role/r",
        )
        .replace("{Ref: Queue}", "https://sqs.us-east-1.amazonaws.com/1/q"),
    );
    let found = check(&[&dir]);
    assert!(
        !found
            .iter()
            .any(|(_, c, _)| c == "definition-uri-intrinsics"),
        "{found:?}"
    );
}

/// A file two templates include is checked against each: a role only one of them
/// declares is unresolved through the other.
#[test]
fn a_file_included_twice_is_checked_against_each_template() {
    let dir = scratch("twice");
    write(&dir.join("shared/api.yaml"), API);
    write(
        &dir.join("a/template.yaml"),
        &sam("../shared/api.yaml", "sqs:SendMessage"),
    );
    write(
        &dir.join("b/template.yaml"),
        &sam("../shared/api.yaml", "sqs:SendMessage").replace("  Role:\n", "  OtherRole:\n"),
    );
    let found = check(&[&dir]);
    assert!(
        found
            .iter()
            .any(|(f, c, l)| f == "api.yaml" && c == "unresolved-reference" && *l == 8),
        "{found:?}"
    );
    let found = check(&[&dir.join("a")]);
    assert!(
        !found.iter().any(|(f, _, _)| f == "api.yaml"),
        "checking a/ alone reports only a's view: {found:?}"
    );
}

/// Walking a folder: `.gitignore`, `[files]` globs, dependency folders, big files.
#[test]
fn walking_honours_gitignore_files_globs_and_skips_dependencies() {
    let dir = scratch("walk");
    let bad = "Resources:\n  I:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationSubtype: SQS-SendMesage\n";
    for path in [
        "kept/template.yaml",
        "generated/template.yaml",
        "legacy/old/template.yaml",
        "node_modules/pkg/template.yaml",
        "cdk.out/asset.1234/template.json",
    ] {
        write(&dir.join(path), bad);
    }
    write(&dir.join(".gitignore"), "generated/\n");
    // A link to a device reports no size: it is not read (that would never end).
    #[cfg(unix)]
    std::os::unix::fs::symlink("/dev/zero", dir.join("kept/zero.yaml")).expect("symlink");
    write(
        &dir.join(".apigw-lsp.toml"),
        "[files]\nexclude = [\"legacy/**\"]\n",
    );
    let big = format!("{bad}{}", "# padding\n".repeat(1_100_000));
    write(&dir.join("kept/big.yaml"), &big);
    let (found, stderr) = check_output(&[&dir]);
    let files: Vec<String> = found.into_iter().map(|(file, _, _)| file).collect();
    assert!(
        files.iter().all(|f| f.ends_with("kept/template.yaml")) && !files.is_empty(),
        "{files:?}"
    );
    assert!(stderr.contains("big.yaml: skipped"), "{stderr}");
    // `include` narrows to what it names; a file named on the command line is checked.
    write(
        &dir.join(".apigw-lsp.toml"),
        "[files]\ninclude = [\"legacy/**\"]\n",
    );
    let listed: Vec<String> = check_output(&[&dir])
        .0
        .into_iter()
        .map(|(file, _, _)| file)
        .collect();
    assert!(
        !listed.is_empty()
            && listed
                .iter()
                .all(|f| f.ends_with("legacy/old/template.yaml")),
        "{listed:?}"
    );
    let named = check(&[&dir.join("generated/template.yaml")]);
    assert!(!named.is_empty(), "a named file is checked: {named:?}");
}
