//! The editor's YAML colouring (`svcscope::explorer::highlight`): it never changes the text, colours
//! what YAML 1.2 (https://yaml.org/spec/1.2.2/) calls comments, keys, scalars and indicators,
//! and marks the token a diagnostic points at.
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

use proptest::prelude::*;
use svcscope::explorer::highlight::{highlight, Kind, Mark, Pointer};

fn kinds(line: &str) -> Vec<(String, Kind)> {
    highlight(line, &[])
        .remove(0)
        .into_iter()
        .map(|span| (span.text, span.kind))
        .collect()
}

fn s(text: &str, kind: Kind) -> (String, Kind) {
    (text.to_owned(), kind)
}

#[test]
fn colours_as_a_reader_expects() {
    use Kind::*;
    let table: Vec<(&str, Vec<(std::string::String, Kind)>)> = vec![
        ("---", vec![s("---", Punctuation)]),
        (
            "# Source: chart/templates/svc.yaml",
            vec![s("# Source: chart/templates/svc.yaml", Comment)],
        ),
        (
            "kind: Service",
            vec![s("kind:", Key), s(" ", Plain), s("Service", Plain)],
        ),
        (
            "  - port: 80 # http",
            vec![
                s("  ", Plain),
                s("- ", Punctuation),
                s("port:", Key),
                s(" ", Plain),
                s("80", Literal),
                s(" ", Plain),
                s("# http", Comment),
            ],
        ),
        (
            "  clusterIP: \"None\"",
            vec![
                s("  ", Plain),
                s("clusterIP:", Key),
                s(" ", Plain),
                s("\"None\"", String),
            ],
        ),
        (
            "image: nginx:1.25",
            vec![s("image:", Key), s(" ", Plain), s("nginx:1.25", Plain)],
        ),
        (
            "selector: {app: web}",
            vec![
                s("selector:", Key),
                s(" ", Plain),
                s("{", Punctuation),
                s("app:", Plain),
                s(" ", Plain),
                s("web", Plain),
                s("}", Punctuation),
            ],
        ),
        (
            "replicas: {{ .Values.replicas }}",
            vec![
                s("replicas:", Key),
                s(" ", Plain),
                s("{{ .Values.replicas }}", Template),
            ],
        ),
        (
            "labels: &labels",
            vec![s("labels:", Key), s(" ", Plain), s("&labels", Anchor)],
        ),
        (
            "ready: true",
            vec![s("ready:", Key), s(" ", Plain), s("true", Literal)],
        ),
        (
            "'quoted key': 'it''s'",
            vec![s("'quoted key':", Key), s(" ", Plain), s("'it''s'", String)],
        ),
        (
            "url: http://x#frag",
            vec![s("url:", Key), s(" ", Plain), s("http://x#frag", Plain)],
        ),
    ];
    for (line, expected) in table {
        assert_eq!(kinds(line), expected, "{line:?}");
    }
}

#[test]
fn block_scalars_are_strings_until_the_indentation_drops() {
    let text = "data:\n  script: |\n    echo a: b\n\n    # not a comment\n  next: 1\n";
    let lines = highlight(text, &[]);
    let kind_of = |line: usize| lines[line].iter().map(|span| span.kind).collect::<Vec<_>>();
    assert_eq!(kind_of(2), vec![Kind::String]);
    assert_eq!(kind_of(3), vec![Kind::String]);
    assert_eq!(kind_of(4), vec![Kind::String]);
    assert_eq!(
        kind_of(5),
        vec![Kind::Plain, Kind::Key, Kind::Plain, Kind::Literal]
    );
}

#[test]
fn a_diagnostic_marks_the_token_it_points_at() {
    // "line 4, column 7: mapping values are not allowed in this context" (e2e slice test).
    let text = "kind: Service\nmetadata:\n  name: b\n   bad: [\n";
    let lines = highlight(
        text,
        &[Pointer {
            line: 4,
            column: 7,
            error: true,
        }],
    );
    let marked: Vec<(&str, Mark)> = lines[3]
        .iter()
        .map(|span| (span.text.as_str(), span.mark))
        .collect();
    assert_eq!(
        marked,
        vec![
            ("   ", Mark::None),
            ("bad", Mark::None),
            (":", Mark::Error),
            (" ", Mark::None),
            ("[", Mark::None),
        ]
    );
    // A warning at the key of line 3, and a pointer past the end marks the last character.
    let lines = highlight(
        "a: 1\nselectr: x\n",
        &[
            Pointer {
                line: 2,
                column: 1,
                error: false,
            },
            Pointer {
                line: 1,
                column: 40,
                error: true,
            },
        ],
    );
    assert_eq!(lines[1][0].mark, Mark::Warning);
    assert_eq!(lines[1][0].text, "selectr:");
    assert_eq!(
        lines[0].last().map(|span| (span.text.as_str(), span.mark)),
        Some(("1", Mark::Error))
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// The coloured copy is the text, character for character, whatever the input.
    #[test]
    fn spans_rebuild_the_text(
        text in any::<String>(),
        yamlish in "([ -]{0,4}[a-z\"'#&*!{}\\[\\]|>:%0-9. ]{0,12}\n){0,8}",
        pointers in proptest::collection::vec((0usize..12, 0usize..40, any::<bool>()), 0..4),
    ) {
        let pointers: Vec<Pointer> = pointers
            .into_iter()
            .map(|(line, column, error)| Pointer { line, column, error })
            .collect();
        for input in [&text, &yamlish] {
            let lines = highlight(input, &pointers);
            let rebuilt: Vec<String> = lines
                .iter()
                .map(|spans| spans.iter().map(|span| span.text.as_str()).collect())
                .collect();
            prop_assert_eq!(rebuilt.join("\n"), input.clone());
        }
    }
}

/// The editor replaces only the lines between those kept at the start and the end.
#[test]
fn line_changes_keep_the_unchanged_ends() {
    use svcscope::explorer::highlight::LineChange;
    /// (old lines, new lines, (kept at the start, kept at the end), the new lines between).
    type Case<'a> = (&'a [&'a str], &'a [&'a str], (usize, usize), &'a [&'a str]);
    let table: [Case; 6] = [
        (&["a", "b", "c"], &["a", "b", "c"], (3, 0), &[]),
        (&["a", "b", "c"], &["a", "x", "c"], (1, 1), &["x"]),
        (&["a", "b", "c"], &["a", "b", "x", "c"], (2, 1), &["x"]),
        (&["a", "b", "c"], &["a", "c"], (1, 1), &[]),
        (&[], &["a"], (0, 0), &["a"]),
        (&["a", "a"], &["a"], (1, 0), &[]),
    ];
    for (old, new, (prefix, suffix), changed) in table {
        let change = LineChange::between(old, new);
        assert_eq!(
            (change.prefix, change.suffix),
            (prefix, suffix),
            "{old:?} -> {new:?}"
        );
        assert_eq!(change.changed(new), changed, "{old:?} -> {new:?}");
        // Kept + replaced + kept rebuilds both sides.
        assert_eq!(
            prefix + change.changed(old).len() + suffix,
            old.len(),
            "{old:?} -> {new:?}"
        );
    }
}
