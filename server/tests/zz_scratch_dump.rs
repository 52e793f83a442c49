// Temporary: dumps what the model sees in the corpus. Deleted before handing back.
use apigw_lsp::{analysis, document::Document, model, syntax::Language};
#[test]
fn dump() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus/real");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut out = String::new();
    for name in names {
        if name == "MANIFEST.tsv" {
            continue;
        }
        let text = String::from_utf8_lossy(&std::fs::read(dir.join(&name)).unwrap()).into_owned();
        let lang = if name.ends_with(".json") {
            Language::Json
        } else {
            Language::Yaml
        };
        let doc = Document::new(&text, lang, 0);
        let kind = model::file_kind(&doc);
        let res: Vec<String> = model::resources(&doc)
            .map(|r| format!("{}:{}", r.name, r.type_name().unwrap_or("?")))
            .collect();
        let ints: Vec<String> = doc
            .entries()
            .flat_map(|e| {
                model::integrations_in_entry(e)
                    .into_iter()
                    .map(|i| {
                        format!(
                            "{} sub={:?} params={}",
                            i.name,
                            i.subtype_name(),
                            i.parameter_values().len()
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        let f = analysis::analyze(&doc);
        out.push_str(&format!("== {name} kind={kind:?} segs={} errs={:?}\n  res={res:?}\n  ints={ints:?}\n  findings={}\n", doc.segment_count(), doc.syntax_errors(), f.len()));
    }
    std::fs::write("/tmp/corpus_dump.txt", out).unwrap();
}
