//! YAML syntax colouring for the editor, with diagnostics marked where they point.
//!
//! Line-based and forgiving: it colours what a reader needs (comments, keys, strings,
//! numbers and booleans, document markers, list dashes, anchors and aliases, Helm templates)
//! and never fails; text it does not recognise stays plain. Pure, no IO.
//!
//! Invariant: the spans of a line, joined, are exactly that line, so the coloured copy lies
//! under the editable text character for character.

/// What a piece of text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Nothing special.
    Plain,
    /// `# ...`.
    Comment,
    /// A mapping key (`name:`), colon included.
    Key,
    /// A quoted or block string.
    String,
    /// A number, `true`/`false`, `null` or `~`.
    Literal,
    /// `---`, `...`, a list dash, `|`/`>` block indicators, flow brackets.
    Punctuation,
    /// `&anchor`, `*alias`, `!tag`.
    Anchor,
    /// `{{ ... }}` and `%{...}%`: a template that must be rendered first.
    Template,
}

impl Kind {
    /// The CSS class the editor gives it.
    pub fn class(self) -> &'static str {
        match self {
            Kind::Plain => "yaml",
            Kind::Comment => "yaml yaml--comment",
            Kind::Key => "yaml yaml--key",
            Kind::String => "yaml yaml--string",
            Kind::Literal => "yaml yaml--literal",
            Kind::Punctuation => "yaml yaml--punctuation",
            Kind::Anchor => "yaml yaml--anchor",
            Kind::Template => "yaml yaml--template",
        }
    }
}

/// How a span is marked by a diagnostic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mark {
    /// Not marked.
    None,
    /// Under a warning.
    Warning,
    /// Under an error.
    Error,
}

/// A piece of one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// Its text.
    pub text: String,
    /// What it is.
    pub kind: Kind,
    /// Whether a diagnostic points at it.
    pub mark: Mark,
}

/// A diagnostic's position: 1-based line and column, and whether it is an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pointer {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// Error (true) or warning.
    pub error: bool,
}

/// Colours `text` line by line (lines split at `\n`; a `\r` stays in its line) and marks the
/// token each pointer points at, from its column to the end of that token (at least one
/// character; the line's end when the column is past it).
pub fn highlight(text: &str, pointers: &[Pointer]) -> Vec<Vec<Span>> {
    let mut block_indent: Option<usize> = None;
    text.split('\n')
        .enumerate()
        .map(|(index, line)| {
            let mut spans = colour_line(line, &mut block_indent);
            for pointer in pointers.iter().filter(|pointer| pointer.line == index + 1) {
                mark(
                    &mut spans,
                    pointer.column.max(1) - 1,
                    if pointer.error {
                        Mark::Error
                    } else {
                        Mark::Warning
                    },
                );
            }
            spans
        })
        .collect()
}

fn span(text: &str, kind: Kind) -> Span {
    Span {
        text: text.to_owned(),
        kind,
        mark: Mark::None,
    }
}

/// Colours one line; `block_indent` carries a `|`/`>` block scalar's indentation across lines.
fn colour_line(line: &str, block_indent: &mut Option<usize>) -> Vec<Span> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if let Some(block) = *block_indent {
        if line.trim().is_empty() || indent > block {
            return vec![span(line, Kind::String)];
        }
        *block_indent = None;
    }
    let mut spans = Vec::new();
    if indent > 0 {
        spans.push(span(line.get(..indent).unwrap_or_default(), Kind::Plain));
    }
    let mut rest = line.get(indent..).unwrap_or_default();
    let trimmed = rest.trim_end();
    if trimmed == "---" || trimmed == "..." || trimmed.starts_with("--- ") {
        spans.push(span(rest, Kind::Punctuation));
        return spans;
    }
    // List dashes.
    while let Some(after) = rest
        .strip_prefix("- ")
        .or_else(|| (rest == "-").then_some(""))
    {
        spans.push(span(
            rest.get(..rest.len() - after.len()).unwrap_or_default(),
            Kind::Punctuation,
        ));
        rest = after;
    }
    // A key: plain or quoted text up to `: ` (or a final `:`), outside quotes and flows.
    if let Some(key_end) = key_end(rest) {
        spans.push(span(rest.get(..key_end).unwrap_or_default(), Kind::Key));
        rest = rest.get(key_end..).unwrap_or_default();
    }
    let value_start = spans.iter().map(|span| span.text.len()).sum::<usize>();
    colour_value(rest, &mut spans);
    // `key: |` or `key: >-`: the lines below, more indented, are the string.
    let value = line.get(value_start..).unwrap_or_default().trim();
    let value = value.split(" #").next().unwrap_or_default().trim_end();
    if value.starts_with(['|', '>'])
        && value
            .chars()
            .skip(1)
            .all(|c| c == '-' || c == '+' || c.is_ascii_digit())
    {
        *block_indent = Some(indent);
    }
    spans
}

/// Where a mapping key (with its colon) ends in `text`, if `text` starts with one.
fn key_end(text: &str) -> Option<usize> {
    let first = text.chars().next()?;
    if matches!(
        first,
        '#' | '[' | '{' | '|' | '>' | '&' | '*' | '!' | '%' | '@' | '`'
    ) {
        return None;
    }
    if first == '"' || first == '\'' {
        let close = text.get(1..)?.find(first)? + 1;
        let after = text.get(close + 1..)?;
        return (after.starts_with(": ") || after.trim_end() == ":").then_some(close + 2);
    }
    let mut previous = ' ';
    for (at, c) in text.char_indices() {
        if c == '#' && previous == ' ' {
            return None;
        }
        if c == ':' {
            let after = text.get(at + 1..).unwrap_or_default();
            if after.is_empty() || after.starts_with(' ') {
                return Some(at + 1);
            }
        }
        previous = c;
    }
    None
}

/// Colours a value (everything after the key and dashes) into `spans`.
fn colour_value(text: &str, spans: &mut Vec<Span>) {
    let mut rest = text;
    while !rest.is_empty() {
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        if spaces > 0 {
            spans.push(span(rest.get(..spaces).unwrap_or_default(), Kind::Plain));
            rest = rest.get(spaces..).unwrap_or_default();
            continue;
        }
        let (length, kind) = if rest.starts_with('#') {
            (rest.len(), Kind::Comment)
        } else if rest.starts_with("{{") {
            (
                rest.find("}}").map_or(rest.len(), |end| end + 2),
                Kind::Template,
            )
        } else if rest.starts_with("%{") {
            (
                rest.find("}%").map_or(rest.len(), |end| end + 2),
                Kind::Template,
            )
        } else if rest.starts_with('"') || rest.starts_with('\'') {
            (quoted_length(rest), Kind::String)
        } else if rest.starts_with(['[', ']', '{', '}', ',', '|', '>']) {
            (1, Kind::Punctuation)
        } else if rest.starts_with(['&', '*', '!']) {
            (word_length(rest), Kind::Anchor)
        } else {
            let length = word_length(rest);
            let word = rest.get(..length).unwrap_or_default();
            let kind = if is_literal(word) {
                Kind::Literal
            } else {
                Kind::Plain
            };
            (length, kind)
        };
        let length = length.max(1).min(rest.len());
        // Keep to character boundaries.
        let length = (length..=rest.len())
            .find(|at| rest.is_char_boundary(*at))
            .unwrap_or(rest.len());
        spans.push(span(rest.get(..length).unwrap_or_default(), kind));
        rest = rest.get(length..).unwrap_or_default();
    }
}

/// The length of a quoted string at the start of `text` (to the end when unclosed); `''` and
/// `\"` escapes kept inside.
fn quoted_length(text: &str) -> usize {
    let quote = text.chars().next().unwrap_or('"');
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((at, c)) = chars.next() {
        if quote == '"' && c == '\\' {
            chars.next();
        } else if c == quote {
            if quote == '\'' && chars.peek().is_some_and(|(_, next)| *next == '\'') {
                chars.next();
            } else {
                return at + c.len_utf8();
            }
        }
    }
    text.len()
}

/// The length of the word at the start of `text`: up to a space or a flow character.
fn word_length(text: &str) -> usize {
    text.find([' ', ',', ']', '}', '[', '{'])
        .filter(|at| *at > 0)
        .unwrap_or(text.len())
}

fn is_literal(word: &str) -> bool {
    matches!(
        word,
        "true" | "false" | "True" | "False" | "TRUE" | "FALSE" | "null" | "Null" | "NULL" | "~"
    ) || (crate::sim::input::yaml::is_float(word) && !word.ends_with('.'))
        || word
            .strip_prefix("0x")
            .is_some_and(|hex| !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Marks the token at character `column` (to its end) with `how`, splitting spans as needed.
fn mark(spans: &mut Vec<Span>, column: usize, how: Mark) {
    // Character offsets of each span.
    let mut start = 0usize;
    let mut index = 0usize;
    while index < spans.len() {
        let Some(current) = spans.get(index) else {
            break;
        };
        let length = current.text.chars().count();
        let end = start + length;
        let last = index + 1 == spans.len();
        if column < end || last {
            let offset = column.saturating_sub(start).min(length);
            let Some(current) = spans.get_mut(index) else {
                break;
            };
            let split_at = current
                .text
                .char_indices()
                .nth(offset)
                .map_or(current.text.len(), |(at, _)| at);
            let tail = current.text.split_off(split_at);
            let kind = current.kind;
            let before_mark = current.mark;
            let mut marked = Span {
                text: tail,
                kind,
                mark: before_mark.max(how),
            };
            if marked.text.is_empty() {
                // Past the end of the line: mark its last character instead.
                let last_char = current.text.pop();
                marked.text = last_char.map(String::from).unwrap_or_default();
            }
            let remove_current = current.text.is_empty();
            let at = if remove_current {
                spans.remove(index);
                index
            } else {
                index + 1
            };
            if !marked.text.is_empty() {
                spans.insert(at, marked);
            }
            return;
        }
        start = end;
        index += 1;
    }
}

/// How a sequence of lines changed: how many lines at the start and at the end stayed as they
/// were (the editor replaces only the lines between).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineChange {
    /// Lines kept at the start.
    pub prefix: usize,
    /// Lines kept at the end (not counting any of the prefix).
    pub suffix: usize,
}

impl LineChange {
    /// Between `old` and `new`.
    pub fn between<T: PartialEq>(old: &[T], new: &[T]) -> LineChange {
        let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
        let (old_rest, new_rest) = (
            old.get(prefix..).unwrap_or_default(),
            new.get(prefix..).unwrap_or_default(),
        );
        let suffix = old_rest
            .iter()
            .rev()
            .zip(new_rest.iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        LineChange { prefix, suffix }
    }

    /// The lines of `lines` between the kept ones.
    pub fn changed<'l, T>(&self, lines: &'l [T]) -> &'l [T] {
        lines
            .get(self.prefix..lines.len().saturating_sub(self.suffix))
            .unwrap_or_default()
    }
}
