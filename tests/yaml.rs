//! The positioned YAML reader (`sim::yaml`): positions, scalar typing, aliases, limits.
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

use svcscope::sim::input::yaml::{parse_stream, scalar_type, Node, ScalarType, Value};

/// Renders a node tree as `line:column kind` lines, indented by depth.
fn outline(node: &Node, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    match &node.value {
        Value::Null => out.push_str(&format!("{pad}{}:{} null\n", node.line, node.column)),
        Value::Scalar { text, plain } => out.push_str(&format!(
            "{pad}{}:{} {}{text:?}\n",
            node.line,
            node.column,
            if *plain { "" } else { "quoted " }
        )),
        Value::Sequence(items) => {
            out.push_str(&format!("{pad}{}:{} seq\n", node.line, node.column));
            for item in items {
                outline(item, depth + 1, out);
            }
        }
        Value::Mapping(entries) => {
            out.push_str(&format!("{pad}{}:{} map\n", node.line, node.column));
            for (key, value) in entries {
                outline(key, depth + 1, out);
                outline(value, depth + 2, out);
            }
        }
    }
}

fn render(text: &str) -> String {
    let stream = parse_stream(text);
    let mut out = String::new();
    for document in &stream.documents {
        out.push_str(&format!("doc {}\n", document.index));
        outline(&document.root, 1, &mut out);
    }
    for error in stream.errors {
        out.push_str(&format!(
            "error doc {} {}:{} {}\n",
            error.document, error.line, error.column, error.message
        ));
    }
    out
}

#[test]
fn positions_and_structure() {
    let cases: &[(&str, &str, &str)] = &[
        (
            // saphyr-parser places a block sequence at its first item, after the "- ".
            "block mapping and sequence",
            "spec:\n  ports:\n  - port: 80\n    name: \"http\"\n",
            "doc 0\n  1:1 map\n    1:1 \"spec\"\n      2:3 map\n        2:3 \"ports\"\n          3:5 seq\n            3:5 map\n              3:5 \"port\"\n                3:11 \"80\"\n              4:5 \"name\"\n                4:11 quoted \"http\"\n",
        ),
        (
            "explicit documents, empty ones kept as null",
            "---\n---\na: ~\n",
            "doc 0\n  2:1 null\ndoc 1\n  3:1 map\n    3:1 \"a\"\n      3:4 null\n",
        ),
        (
            "aliases expand to a copy of the anchored node",
            "base: &b {app: web}\ncopy: *b\n",
            "doc 0\n  1:1 map\n    1:1 \"base\"\n      1:7 map\n        1:11 \"app\"\n          1:16 \"web\"\n    2:1 \"copy\"\n      1:7 map\n        1:11 \"app\"\n          1:16 \"web\"\n",
        ),
        (
            "a tab cannot start a token",
            "a: 1\n\t b: 2\n",
            "error doc 0 1:4 while scanning a plain scalar, found a tab\n",
        ),
    ];
    let mut failures = Vec::new();
    for (name, input, expected) in cases {
        let actual = render(input);
        if actual != *expected {
            failures.push(format!(
                "{name}:\n--- expected\n{expected}--- actual\n{actual}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn scalar_typing_follows_the_yaml_1_2_core_schema() {
    // go-yaml (under sigs.k8s.io/yaml) types plain scalars like this before JSON decoding, so
    // `port: "80"` is a string and `port: 80` a number (the API server then rejects the string).
    let cases: &[(&str, ScalarType)] = &[
        ("80", ScalarType::Int(80)),
        ("-1", ScalarType::Int(-1)),
        ("0x1F", ScalarType::Int(31)),
        ("true", ScalarType::Bool(true)),
        ("False", ScalarType::Bool(false)),
        ("1.5", ScalarType::Float),
        (".inf", ScalarType::Float),
        ("http", ScalarType::String),
        ("'80'", ScalarType::String),
        ("\"true\"", ScalarType::String),
        ("99999999999999999999", ScalarType::Float),
    ];
    for (text, expected) in cases {
        let stream = parse_stream(&format!("v: {text}\n"));
        let value = stream
            .documents
            .first()
            .and_then(|document| document.root.get("v"))
            .cloned()
            .expect("value");
        assert_eq!(scalar_type(&value), *expected, "{text}");
    }
}

#[test]
fn hostile_input_is_bounded() {
    // "Billion laughs": each level doubles ten times; expansion must stop with an error.
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..12 {
        let previous = level - 1;
        text.push_str(&format!(
            "a{level}: &a{level} [*a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}]\n"
        ));
    }
    let stream = parse_stream(&text);
    let error = stream
        .errors
        .first()
        .cloned()
        .expect("expansion is refused");
    assert!(error.message.contains("too many nodes"), "{error:?}");

    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let stream = parse_stream(&deep);
    let error = stream
        .errors
        .first()
        .cloned()
        .expect("deep nesting is refused");
    // saphyr-parser's own limit triggers before ours (200 levels) on flow collections.
    assert!(
        error.message == "recursion limit exceeded"
            || error.message == "nesting deeper than 200 levels",
        "{error:?}"
    );
    let deep_block: String = (0..300)
        .map(|depth| format!("{}k:\n", " ".repeat(depth)))
        .collect();
    let error = parse_stream(&deep_block)
        .errors
        .first()
        .cloned()
        .expect("deep block nesting is refused");
    assert_eq!(
        (error.line, error.message.as_str()),
        (201, "nesting deeper than 200 levels")
    );
}

/// Plain scalars that resolve to floats, as go-yaml (sigs.k8s.io/yaml, kubectl's decoder)
/// resolves them: `yamlStyleFloat` = `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
/// (resolve.go); `inf`, `+nan` and `infinity` stay strings there, unlike Rust's `f64` parser.
#[test]
fn floats_resolve_as_go_yaml_resolves_them() {
    use svcscope::sim::input::yaml::is_float;
    for (text, float) in [
        ("1.5", true),
        ("1.", true),
        (".5", true),
        ("-.5", true),
        ("+2.5e-3", true),
        ("1e5", true),
        ("6.02E23", true),
        ("0.3333333333", true),
        (".", false),
        ("1e", false),
        ("e5", false),
        ("1.5.1", false),
        ("+inf", false),
        ("inf", false),
        ("nan", false),
        ("infinity", false),
        ("1_000.5", false),
        ("", false),
        ("-", false),
    ] {
        assert_eq!(is_float(text), float, "{text:?}");
    }
}
