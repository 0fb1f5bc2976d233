//! Every file of the real-world corpus (`shared/corpus/real/`, see its SOURCES.md) loads: the
//! objects it holds are found, kind by kind, as `counts.json` (counted by PyYAML) lists them, and
//! the files that PyYAML could not parse yield error diagnostics instead of a crash.
#![cfg(not(target_arch = "wasm32"))]
// Tests may panic and sort with std: the lints in Cargo.toml and clippy.toml guard the library
// and the binaries.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::disallowed_methods
)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use svcscope::sim::input::diagnostic::Severity;
use svcscope::sim::input::manifest::parse_manifests;

fn corpus_dir() -> PathBuf {
    std::env::var_os("SVCSCOPE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real"))
}

/// Documents that go-yaml (and so kubectl) and PyYAML accept but svcscope's YAML parser,
/// saphyr-parser, rejects, with the diagnostic it gives instead: (file, kind lost, line, column,
/// message). YAML 1.2 requires a flow collection's lines inside a block mapping value to be
/// indented more than the key (production `s-l+flow-in-block(n)` uses `n+1`); go-yaml does
/// not enforce it.
const STRICTER_THAN_GO_YAML: &[(&str, &str, usize, usize, &str)] = &[(
    "istio__istio__samples__security__spire__spire-quickstart.yaml",
    "DaemonSet",
    910,
    11,
    "invalid indentation",
)];

#[test]
fn the_whole_real_corpus_loads_with_the_counted_kinds() {
    let dir = corpus_dir();
    let counts_text = std::fs::read_to_string(dir.join("counts.json"))
        .unwrap_or_else(|error| panic!("{}: {error}", dir.join("counts.json").display()));
    let counts: serde_json::Value = serde_json::from_str(&counts_text).expect("counts.json");
    let files = counts["files"].as_array().expect("files list");
    assert_eq!(files.len(), 92, "the corpus has 92 files");
    let mut failures = Vec::new();
    for entry in files {
        let name = entry["file"].as_str().expect("file name");
        let bytes = std::fs::read(dir.join(name)).expect("corpus file");
        let text = String::from_utf8_lossy(&bytes);
        let parsed = parse_manifests(&text);
        let errors = parsed
            .diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.severity == Severity::Error)
            .count();
        if entry["parse_ok"].as_bool() == Some(false) {
            if errors == 0 {
                failures.push(format!(
                    "{name}: PyYAML fails on it, svcscope reported no error"
                ));
            }
            continue;
        }
        let mut found: BTreeMap<String, u64> = BTreeMap::new();
        for object in &parsed.objects {
            *found.entry(object.kind.clone()).or_default() += 1;
        }
        let mut expected: BTreeMap<String, u64> = entry["kinds"]
            .as_object()
            .expect("kinds")
            .iter()
            .map(|(kind, count)| (kind.clone(), count.as_u64().unwrap_or(0)))
            .collect();
        for (file, kind, line, column, message) in STRICTER_THAN_GO_YAML {
            if *file != name {
                continue;
            }
            if let Some(count) = expected.get_mut(*kind) {
                *count -= 1;
                if *count == 0 {
                    expected.remove(*kind);
                }
            }
            let reported = parsed.diagnostics.iter().any(|diagnostic| {
                diagnostic.line == Some(*line)
                    && diagnostic.column == Some(*column)
                    && diagnostic.message == *message
            });
            if !reported {
                failures.push(format!("{name}: expected {message:?} at {line}:{column}"));
            }
        }
        if found != expected {
            failures.push(format!("{name}: kinds {found:?}, counted {expected:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
