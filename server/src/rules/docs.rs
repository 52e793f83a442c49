//! Documentation generated from [`RULES`], so docs cannot drift from the code.
//! `docs/diagnostics.md` and the table in `README.md` are checked against these
//! functions by tests (`UPDATE_DOCS=1 cargo test` rewrites them).

use std::fmt::Write as _;

use super::RULES;

/// The code table: code, default severity, what it finds.
pub fn table() -> String {
    let mut out = String::from("| code | severity | what it finds |\n| --- | --- | --- |\n");
    for rule in RULES {
        let _ = writeln!(
            out,
            "| [`{}`](docs/diagnostics.md#{}) | {} | {} |",
            rule.code,
            rule.code,
            rule.severity.as_str(),
            rule.summary.replace('|', "\\|")
        );
    }
    out
}

/// The whole of `docs/diagnostics.md`.
pub fn diagnostics_md() -> String {
    let mut out = String::from(
        "# Diagnostics\n\n<!-- Generated from server/src/rules/*.rs by `UPDATE_DOCS=1 cargo test --test docs`; do not edit by hand. -->\n\n\
         Every diagnostic has a stable code (in `Diagnostic.code`, the CLI output and SARIF `ruleId`).\n\
         Severities are the defaults. Confidence follows the source of the fact: `[doc]` AWS documentation,\n\
         `[model]` the service API model, `[inferred]` our own reasoning. Each example is run by a test\n\
         (`every_documented_example_shows_its_rule` in `server/tests/docs.rs`) and must produce its code;\n\
         so is each Terraform example, by `check` on a `.tf` file of its own\n\
         (`every_terraform_example_shows_its_rule`). A rule without one does not fire on Terraform.\n\n\
         ## Changing severities and suppressing findings\n\n\
         - Severity per code, or `off`: a `.apigw-lsp.toml` `[severity]` table, the editor settings\n  \
         (`apigwLsp.severity`), or `check --severity CODE=LEVEL` / `--ignore CODE`.\n\
         - Inline, in YAML: `# apigw-lsp: ignore[code1, code2]` (or a bare `ignore` for every code) at the\n  \
         end of the line where the finding starts, or alone on the line above it.\n\
         - Per resource, in JSON (which has no comments) and YAML: findings inside a resource whose\n  \
         `Metadata` says `apigw-lsp: {ignore: [code1, code2]}` (a list, one code, a comma-separated\n  \
         string, or `all`) are hidden. CloudFormation ignores unknown `Metadata` keys.\n\n\
         ```json\n\
         \"SendOrder\": {\n  \
         \"Type\": \"AWS::ApiGatewayV2::Integration\",\n  \
         \"Metadata\": {\"apigw-lsp\": {\"ignore\": [\"missing-credentials\"]}},\n  \
         \"Properties\": {}\n\
         }\n\
         ```\n\n\
         Suppression applies where findings are reported (editor, `check`); suppressed findings do\n\
         not count towards `check`'s exit code.\n\n\
         ## Files that belong together\n\n\
         A template that includes its OpenAPI definition from another file (`Fn::Transform:\n\
         {Name: AWS::Include, Parameters: {Location: api.yaml}}` as a SAM `HttpApi`'s `DefinitionBody`\n\
         or an `AWS::ApiGatewayV2::Api`'s `Body`, a SAM `DefinitionUri: api.yaml`, or the Serverless\n\
         Framework's `Body: ${file(./api.json)}`) is checked with\n\
         that file: the included file's integrations see the template's resources, parameters, roles,\n\
         policies, queues, state machines and stages, so the cross-resource codes below\n\
         (`wrong-reference-kind`, `unresolved-reference`, `role-not-trusted`,\n\
         `role-missing-permission`, `sqs-fifo-parameters`, `state-machine-type`, stage and path\n\
         variables) work across the link, and are reported in the file where they are. A file two\n\
         templates include is checked with each. `include-not-found` and `definition-uri-intrinsics`\n\
         exist only for links; their examples are run by `check` on a folder holding the template and\n\
         an `api.yaml` that uses `Fn::GetAtt`. Which files are looked at: `.gitignore`, and the\n\
         `[files]` `include`/`exclude` globs of `.apigw-lsp.toml` (see the README's Configuration).\n\n\
         ## Pulumi YAML\n\n\
         A Pulumi YAML program (`Pulumi.yaml` with `runtime: yaml`, or a `Main.yaml` or JSON program\n\
         whose resources have Pulumi types) gets the codes that fire on Terraform, as Terraform's: its\n\
         `aws` package is bridged from the Terraform AWS provider, and its properties are the\n\
         provider's arguments in camelCase (`integrationSubtype`, `requestParameters`,\n\
         `credentialsArn`, `timeoutMilliseconds`, `assumeRolePolicy`, `inlinePolicies`); messages use\n\
         those names. `payloadFormatVersion` may be left out (the provider's default is `\"1.0\"`), a\n\
         number where a string goes is converted (no `unquoted-non-string`), and since a name may be a\n\
         value of the stack's configuration, which Pulumi reads without a declaration, names are not\n\
         reported as unresolved. `${queue.url}` is a reference whose kind is checked\n\
         (`wrong-reference-kind` says and writes `${queue.url}`; `${queue}` alone is the resource's\n\
         `id`); a braced mapping expression is Pulumi's own interpolation, so\n\
         `sub-variable-collision` and `bare-expression-after-text` say and write `$${request.body.id}`.\n\
         Only quick fixes that replace text are offered in a Pulumi program. The Terraform examples\n\
         below show each code's shape; `server/tests/pulumi.rs` plants every one of them in a Pulumi\n\
         program.\n\n",
    );
    out.push_str(&table().replace("(docs/diagnostics.md#", "(#"));
    for rule in RULES {
        let terraform = if rule.terraform_example.is_empty() {
            "Terraform: none; this rule does not fire on `.tf` files.".to_string()
        } else {
            format!("Terraform:\n\n```hcl\n{}\n```", rule.terraform_example)
        };
        let _ = write!(
            out,
            "\n## {}\n\nSeverity: **{}**\n\n{}\n\n{}\n\nExample:\n\n```yaml\n{}\n```\n\n{terraform}\n\nFix: {}\n",
            rule.code,
            rule.severity.as_str(),
            rule.summary,
            rule.explanation,
            rule.example,
            rule.fix
        );
    }
    out
}

/// The VS Code setting `apigwLsp.severity`: one property per code, with the levels the
/// server accepts. `editors/vscode/package.json` carries it, checked by a test.
pub fn vscode_severity_setting() -> serde_json::Value {
    let levels = ["error", "warning", "information", "hint", "off"];
    let properties: serde_json::Map<String, serde_json::Value> = RULES
        .iter()
        .map(|rule| {
            (
                rule.code.to_string(),
                serde_json::json!({
                    "type": "string",
                    "enum": levels,
                    "markdownDescription": format!(
                        "{} Default: `{}`. [Docs](https://github.com/apigw-lsp/apigw-lsp/blob/main/docs/diagnostics.md#{})",
                        rule.summary,
                        rule.severity.as_str(),
                        rule.code
                    ),
                }),
            )
        })
        .collect();
    serde_json::json!({
        "type": "object",
        "default": {},
        "markdownDescription": "Severity per diagnostic code (`error`, `warning`, `information`, `hint`) or `off`. Codes left out keep their default severity.",
        "properties": properties,
        "additionalProperties": false,
    })
}
