//! A YAML reader that remembers where every node starts, for diagnostics with line and column.
//!
//! Built on `saphyr-parser`'s event stream. Aliases are expanded (with a budget, so that a
//! "billion laughs" document cannot exhaust memory) and nesting is bounded. The text is first cut
//! at its `---` lines and each piece parsed on its own, so that a syntax error (a Helm template's
//! `{{ }}`, say) costs only its own document: the ones before and after it are still read.

use crate::sim::input::field::GoQuoted;
use std::collections::BTreeMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// Deepest nesting accepted; real manifests stay far below it.
const MAX_DEPTH: usize = 200;
/// Most nodes one document may expand to, aliases included (anchors do not cross documents).
const MAX_NODES: usize = 1_000_000;

/// A YAML node and where it starts (1-based line and column).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// The content.
    pub value: Value,
    /// 1-based line of the node's first character.
    pub line: usize,
    /// 1-based column of the node's first character.
    pub column: usize,
}

/// The content of a node. Scalars keep their text; typing (int, bool) happens when an object's
/// field is decoded, as the API server's JSON decoding would do it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// `null`, `~`, or nothing at all (a plain scalar that YAML 1.2's core schema reads as null).
    Null,
    /// Any other scalar: its text, and whether it was plain (unquoted, so `80` is a number and
    /// `true` a boolean) or quoted/block (always a string).
    Scalar {
        /// The scalar's text.
        text: String,
        /// Unquoted and not a block scalar.
        plain: bool,
    },
    /// A sequence.
    Sequence(Vec<Node>),
    /// A mapping, in document order (duplicates kept, so that they can be reported).
    Mapping(Vec<(Node, Node)>),
}

impl Node {
    /// The scalar text of a mapping key or scalar, `None` for collections.
    pub fn scalar_text(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            Value::Null => Some(""),
            _ => None,
        }
    }

    /// The value under `key` when this node is a mapping (the last one, if duplicated, as
    /// encoding/json would keep it).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Mapping(entries) => entries
                .iter()
                .rev()
                .find(|(candidate, _)| candidate.scalar_text() == Some(key))
                .map(|(_, value)| value),
            _ => None,
        }
    }

    /// A short description of the node's type for messages: "a string", "a list", ...
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Scalar { .. } => match scalar_type(self) {
                ScalarType::Bool(_) => "a boolean",
                ScalarType::Int(_) => "an integer",
                ScalarType::Float => "a number",
                ScalarType::String => "a string",
            },
            Value::Sequence(_) => "a list",
            Value::Mapping(_) => "a mapping",
        }
    }
}

/// How a scalar reads under YAML 1.2's core schema (which is what sigs.k8s.io/yaml, through
/// go-yaml, applies before JSON decoding; it also reads YAML 1.1's yes/no as strings).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ScalarType {
    /// `true` / `false` (any case variants the core schema allows).
    Bool(bool),
    /// A decimal, `0o`/`0x` integer.
    Int(i64),
    /// A float, `.inf` or `.nan`.
    Float,
    /// Anything else, and every quoted or block scalar.
    String,
}

/// Types a scalar node (non-scalars read as strings; callers check the variant first).
pub fn scalar_type(node: &Node) -> ScalarType {
    let Value::Scalar { text, plain: true } = &node.value else {
        return ScalarType::String;
    };
    match text.as_str() {
        "true" | "True" | "TRUE" => return ScalarType::Bool(true),
        "false" | "False" | "FALSE" => return ScalarType::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"
        | ".nan" | ".NaN" | ".NAN" => return ScalarType::Float,
        _ => {}
    }
    if let Some(int) = parse_int(text) {
        return ScalarType::Int(int);
    }
    if is_float(text) {
        return ScalarType::Float;
    }
    ScalarType::String
}

/// A float as YAML's core schema (and go-yaml, which kubectl's decoder uses) resolves plain
/// scalars: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` (`.inf` and `.nan` are
/// matched by name). Written out rather than parsed with `f64::from_str`, which also takes
/// `inf`, `+nan` or `infinity` and would bring its tables into the wasm.
pub fn is_float(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = usize::from(matches!(bytes.first(), Some(b'-' | b'+')));
    let digits = |at: &mut usize| {
        let start = *at;
        while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
            *at += 1;
        }
        *at - start
    };
    let whole = digits(&mut at);
    if bytes.get(at) == Some(&b'.') {
        at += 1;
        let fraction = digits(&mut at);
        if whole == 0 && fraction == 0 {
            return false;
        }
    } else if whole == 0 {
        return false;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'-' | b'+')) {
            at += 1;
        }
        if digits(&mut at) == 0 {
            return false;
        }
    }
    at == bytes.len()
}

fn parse_int(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if digits.is_empty() {
        return None;
    }
    let magnitude = if let Some(hex) = digits.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()?
    } else if let Some(octal) = digits.strip_prefix("0o") {
        i64::from_str_radix(octal, 8).ok()?
    } else if digits.bytes().all(|byte| byte.is_ascii_digit()) {
        digits.parse::<i64>().ok()?
    } else {
        return None;
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// One document of the stream.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// 0-based index in the stream.
    pub index: usize,
    /// The root node; `Value::Null` for an empty document.
    pub root: Node,
}

/// A syntax error: where and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Index of the document the error is in.
    pub document: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The parser's description.
    pub message: String,
}

/// The documents read, and the syntax errors of those that could not be read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stream {
    /// Complete documents, in order.
    pub documents: Vec<Document>,
    /// One error per document that could not be read, in order.
    pub errors: Vec<SyntaxError>,
}

/// True for a line that starts a new document: `---` alone or followed by a space or tab.
fn is_document_start(line: &str) -> bool {
    match line.strip_prefix("---") {
        Some(rest) => rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']),
        None => false,
    }
}

/// Reads every document of `text`. A syntax error loses only the document it is in.
pub fn parse_stream(text: &str) -> Stream {
    let mut stream = Stream::default();
    let mut nodes = 0usize;
    let mut chunk_start = 0usize;
    let mut chunk_first_line = 1usize;
    let mut offset = 0usize;
    for (line_number, line) in (1usize..).zip(text.split_inclusive('\n')) {
        if line_number > chunk_first_line && is_document_start(line) {
            let chunk = text.get(chunk_start..offset).unwrap_or_default();
            parse_chunk(chunk, chunk_first_line - 1, &mut nodes, &mut stream);
            nodes = 0;
            chunk_start = offset;
            chunk_first_line = line_number;
        }
        offset += line.len();
    }
    let chunk = text.get(chunk_start..).unwrap_or_default();
    parse_chunk(chunk, chunk_first_line - 1, &mut nodes, &mut stream);
    stream
}

enum Frame {
    Sequence {
        items: Vec<Node>,
        line: usize,
        column: usize,
        anchor: usize,
    },
    Mapping {
        entries: Vec<(Node, Node)>,
        pending_key: Option<Node>,
        line: usize,
        column: usize,
        anchor: usize,
    },
}

/// Parses one piece of the text (normally one document) whose first line is line
/// `line_offset + 1` of the whole text, appending to `stream`.
fn parse_chunk(text: &str, line_offset: usize, nodes: &mut usize, stream: &mut Stream) {
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: BTreeMap<usize, Node> = BTreeMap::new();
    let mut root: Option<Node> = None;
    let mut document = stream.documents.len() + stream.errors.len();
    let fail = |stream: &mut Stream, document: usize, span: Span, message: &str| {
        stream.errors.push(SyntaxError {
            document,
            line: span.start.line() + line_offset,
            column: span.start.col() + 1,
            message: message.to_owned(),
        });
    };
    for item in Parser::new_from_str(text) {
        let (event, span) = match item {
            Ok(pair) => pair,
            Err(error) => {
                stream.errors.push(SyntaxError {
                    document,
                    line: error.marker().line() + line_offset,
                    column: error.marker().col() + 1,
                    message: error.info().to_owned(),
                });
                return;
            }
        };
        let line = span.start.line() + line_offset;
        let column = span.start.col() + 1;
        let completed = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => None,
            Event::DocumentStart(_) => {
                anchors.clear();
                root = None;
                None
            }
            Event::DocumentEnd => {
                let root = root.take().unwrap_or(Node {
                    value: Value::Null,
                    line,
                    column,
                });
                stream.documents.push(Document {
                    index: document,
                    root,
                });
                document += 1;
                None
            }
            Event::Alias(id) => match anchors.get(&id) {
                Some(node) => {
                    *nodes = nodes.saturating_add(count_nodes(node));
                    if *nodes > MAX_NODES {
                        fail(
                            stream,
                            document,
                            span,
                            "aliases expand to too many nodes (more than 1000000)",
                        );
                        return;
                    }
                    Some((node.clone(), 0))
                }
                None => {
                    fail(stream, document, span, "unknown anchor");
                    return;
                }
            },
            Event::Scalar(text, style, anchor, _tag) => {
                *nodes += 1;
                let plain = style == ScalarStyle::Plain;
                let value = if plain && matches!(text.as_ref(), "" | "~" | "null" | "Null" | "NULL")
                {
                    Value::Null
                } else {
                    Value::Scalar {
                        text: text.into_owned(),
                        plain,
                    }
                };
                Some((
                    Node {
                        value,
                        line,
                        column,
                    },
                    anchor,
                ))
            }
            Event::SequenceStart(anchor, _) => {
                stack.push(Frame::Sequence {
                    items: Vec::new(),
                    line,
                    column,
                    anchor,
                });
                None
            }
            Event::MappingStart(anchor, _) => {
                stack.push(Frame::Mapping {
                    entries: Vec::new(),
                    pending_key: None,
                    line,
                    column,
                    anchor,
                });
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Sequence {
                    items,
                    line,
                    column,
                    anchor,
                }) => Some((
                    Node {
                        value: Value::Sequence(items),
                        line,
                        column,
                    },
                    anchor,
                )),
                _ => None,
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Mapping {
                    entries,
                    line,
                    column,
                    anchor,
                    ..
                }) => Some((
                    Node {
                        value: Value::Mapping(entries),
                        line,
                        column,
                    },
                    anchor,
                )),
                _ => None,
            },
        };
        if stack.len() > MAX_DEPTH {
            fail(stream, document, span, "nesting deeper than 200 levels");
            return;
        }
        if *nodes > MAX_NODES {
            fail(stream, document, span, "too many nodes (more than 1000000)");
            return;
        }
        if let Some((node, anchor)) = completed {
            *nodes += 1;
            if anchor > 0 {
                anchors.insert(anchor, node.clone());
            }
            match stack.last_mut() {
                Some(Frame::Sequence { items, .. }) => items.push(node),
                Some(Frame::Mapping {
                    entries,
                    pending_key,
                    ..
                }) => match pending_key.take() {
                    Some(key) => entries.push((key, node)),
                    None => *pending_key = Some(node),
                },
                None => root = Some(node),
            }
        }
    }
}

/// The node at an API field path (`spec.ports[0].targetPort`) under `root`, or the deepest
/// node on the way when the path goes further than the document (a defaulted or missing field),
/// so that a diagnostic can always point somewhere sensible.
pub fn locate<'n>(root: &'n Node, path: &str) -> &'n Node {
    let mut node = root;
    for segment in path.split('.').filter(|segment| !segment.is_empty()) {
        let (name, indices) = match segment.find('[') {
            Some(open) => (
                segment.get(..open).unwrap_or(segment),
                segment.get(open..).unwrap_or(""),
            ),
            None => (segment, ""),
        };
        match node.get(name) {
            Some(child) => node = child,
            None => return node,
        }
        for index in indices
            .split(['[', ']'])
            .filter(|part| !part.is_empty())
            .filter_map(|part| part.parse::<usize>().ok())
        {
            match &node.value {
                Value::Sequence(items) => match items.get(index) {
                    Some(item) => node = item,
                    None => return node,
                },
                _ => return node,
            }
        }
    }
    node
}

/// Keys that appear twice in one mapping, anywhere under `node`: (line, column, message) of each
/// repetition, worded as sigs.k8s.io/yaml (go-yaml) reports it:
/// `mapping key "kind" already defined at line 1`.
pub fn duplicate_keys(node: &Node) -> Vec<(usize, usize, String)> {
    let mut found = Vec::new();
    let mut pending = vec![node];
    while let Some(node) = pending.pop() {
        match &node.value {
            Value::Sequence(items) => pending.extend(items.iter().rev()),
            Value::Mapping(entries) => {
                let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
                for (key, _) in entries {
                    if let Some(text) = key.scalar_text() {
                        match seen.get(text) {
                            Some(first_line) => found.push((
                                key.line,
                                key.column,
                                format!(
                                    "mapping key {} already defined at line {first_line}",
                                    GoQuoted(text)
                                ),
                            )),
                            None => {
                                seen.insert(text, key.line);
                            }
                        }
                    }
                }
                pending.extend(entries.iter().rev().map(|(_, value)| value));
            }
            _ => {}
        }
    }
    crate::small::order::sort(&mut found);
    found
}

fn count_nodes(node: &Node) -> usize {
    // Iterative, so that a deep alias cannot overflow the stack.
    let mut count = 0usize;
    let mut pending = vec![node];
    while let Some(node) = pending.pop() {
        count = count.saturating_add(1);
        match &node.value {
            Value::Sequence(items) => pending.extend(items.iter()),
            Value::Mapping(entries) => {
                for (key, value) in entries {
                    pending.push(key);
                    pending.push(value);
                }
            }
            _ => {}
        }
        if count > MAX_NODES {
            break;
        }
    }
    count
}
