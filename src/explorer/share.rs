//! Share links: the explorer's whole state (YAML, scenario, what-ifs, DNS question, packet,
//! rules node, open panel) in a URL fragment, compressed.
//!
//! A fragment is `#s2.` followed by, in unpadded base64url (RFC 4648 section 5), the first four
//! bytes of the SHA-256 of the state's records and those records raw-DEFLATE-compressed (RFC
//! 1951), so it survives copy and paste, chat clients and documentation sites untouched, and a
//! changed character is caught (raw DEFLATE has no checksum of its own: a changed character in
//! its middle can unpack to other, well-formed text). `#s1.` links, without the checksum, still
//! open. The fragment never reaches a server.
//!
//! Pure: no IO, no clock. Decoding never panics; a damaged link is an error in words. Unknown
//! record keys are skipped, so a link made by a newer build still opens what this build knows;
//! a link of a newer format says so.

use crate::sim::input::field::GoQuoted;
use std::collections::BTreeMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use crate::sim::control::cluster::Command;
use crate::sim::input::objects::WorkloadKind;
use crate::sim::key::ObjectKey;

/// What starts a share fragment (after `#`): the format's version.
pub const PREFIX: &str = "s2.";

/// The first format's prefix: no checksum. Such links still open.
pub const LEGACY_PREFIX: &str = "s1.";

/// How many bytes of the records' SHA-256 an `s2` link carries before the compressed data.
const CHECKSUM_BYTES: usize = 4;

/// The largest state a link may unpack to (1 MiB): a link is data from anyone.
pub const MAX_STATE_BYTES: usize = 1 << 20;

/// Everything the explorer needs to show exactly what the sharer saw.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SharedState {
    /// The editor's text.
    pub yaml: String,
    /// The chosen scenario's id, empty when none.
    pub scenario: String,
    /// The what-ifs applied on top of the YAML, in order.
    pub commands: Vec<Command>,
    /// The pod the DNS question is asked from (`namespace/name`).
    pub dns_from: String,
    /// The name asked.
    pub dns_name: String,
    /// The record type asked (`A`, `SRV`, ...).
    pub dns_type: String,
    /// Whether the pod's resolver is musl's (Alpine) rather than glibc's.
    pub dns_musl: bool,
    /// Whether the answer is shown as `dig` prints it rather than `nslookup`.
    pub dns_dig: bool,
    /// Where the packet starts (`pod/NS/NAME`, `node/NAME`, `external:IP`).
    pub trace_from: String,
    /// Where it goes (`HOST[:PORT]`).
    pub trace_to: String,
    /// The node whose kube-proxy rules are shown.
    pub rules_node: String,
    /// How they are shown (`iptables-save` or `iptables-restore`; empty: `iptables-save`).
    pub rules_format: String,
    /// The panel that is open (embedded view).
    pub panel: String,
    /// The cluster picture's zoom in percent of its natural size (0: the default, 100). Links
    /// before this unit (`view.zoom`, a share of the panel's width) open at the default
    /// instead of at another size.
    pub zoom: u16,
    /// What the picture is narrowed to (empty: everything).
    pub focus: String,
    /// What is selected on the picture ([`crate::explorer::selection::Selected::id`]; empty:
    /// nothing).
    pub selected: String,
    /// Whether the editor pane is folded away.
    pub editor_folded: bool,
    /// The cluster's address families ([`crate::sim::config::Stack::id`]; empty: IPv4).
    pub stack: String,
}

/// Why a share link could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareError {
    /// The fragment does not start with [`PREFIX`].
    NotAShareLink,
    /// Characters outside base64url.
    Encoding,
    /// The compressed data is damaged (a truncated link, most often).
    Compression,
    /// It would unpack to more than [`MAX_STATE_BYTES`].
    TooLarge,
    /// The unpacked records are malformed.
    Records(String),
    /// What the link unpacks to does not match its checksum.
    Damaged,
    /// A format this build does not know (`s3.`, ...): a newer svcscope made the link.
    Newer(String),
}

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShareError::NotAShareLink => write!(f, "not a svcscope share link (no \"#{PREFIX}\")"),
            ShareError::Encoding => write!(
                f,
                "the link holds characters that base64url does not use (it may have been cut or \
                 re-encoded)"
            ),
            ShareError::Compression => write!(
                f,
                "the link's compressed data is damaged (it may have been cut short)"
            ),
            ShareError::Damaged => write!(
                f,
                "the link is damaged: what it holds does not match its checksum (a character \
                 may have been changed)"
            ),
            ShareError::Newer(format) => write!(
                f,
                "the link comes from a newer svcscope (format {format}); this one reads s1 and s2"
            ),
            ShareError::TooLarge => {
                write!(f, "the link unpacks to more than {MAX_STATE_BYTES} bytes")
            }
            ShareError::Records(why) => write!(f, "the link's content is malformed: {why}"),
        }
    }
}

impl std::error::Error for ShareError {}

/// What starts the state as localStorage keeps it: the same records, not compressed.
pub const STORED_PREFIX: &str = "r1.";

/// The state as records, `KEY=LENGTH:VALUE` each: what the fragment compresses.
pub fn records(state: &SharedState) -> String {
    let mut records = String::new();
    put(&mut records, "yaml", &state.yaml);
    put(&mut records, "scenario", &state.scenario);
    // Left out for IPv4, so that links of single-stack clusters stay as they were.
    if !state.stack.is_empty() {
        put(&mut records, "cluster.stack", &state.stack);
    }
    for command in &state.commands {
        put(&mut records, "command", &command_records(command));
    }
    put(&mut records, "dns.from", &state.dns_from);
    put(&mut records, "dns.name", &state.dns_name);
    put(&mut records, "dns.type", &state.dns_type);
    put(&mut records, "dns.musl", flag(state.dns_musl));
    put(&mut records, "dns.dig", flag(state.dns_dig));
    put(&mut records, "trace.from", &state.trace_from);
    put(&mut records, "trace.to", &state.trace_to);
    put(&mut records, "rules.node", &state.rules_node);
    if !state.rules_format.is_empty() {
        put(&mut records, "rules.format", &state.rules_format);
    }
    put(&mut records, "panel", &state.panel);
    if state.zoom != 0 {
        put(&mut records, "view.scale", &state.zoom.to_string());
    }
    // Left out when empty, so that links without them stay as they were.
    if !state.focus.is_empty() {
        put(&mut records, "view.focus", &state.focus);
    }
    if !state.selected.is_empty() {
        put(&mut records, "view.selected", &state.selected);
    }
    if state.editor_folded {
        put(&mut records, "view.editor", "folded");
    }
    records
}

/// The state held by `text`'s records.
pub fn from_records(text: &str) -> Result<SharedState, ShareError> {
    let mut state = SharedState::default();
    for (key, value) in split_records(text)? {
        match key {
            "yaml" => state.yaml = value.to_owned(),
            "scenario" => state.scenario = value.to_owned(),
            "cluster.stack" => state.stack = value.to_owned(),
            "command" => state.commands.push(command_from_records(value)?),
            "dns.from" => state.dns_from = value.to_owned(),
            "dns.name" => state.dns_name = value.to_owned(),
            "dns.type" => state.dns_type = value.to_owned(),
            "dns.musl" => state.dns_musl = value == "1",
            "dns.dig" => state.dns_dig = value == "1",
            "trace.from" => state.trace_from = value.to_owned(),
            "trace.to" => state.trace_to = value.to_owned(),
            "rules.node" => state.rules_node = value.to_owned(),
            "rules.format" => state.rules_format = value.to_owned(),
            "panel" => state.panel = value.to_owned(),
            "view.scale" => state.zoom = value.parse().unwrap_or(0),
            "view.focus" => state.focus = value.to_owned(),
            "view.selected" => state.selected = value.to_owned(),
            "view.editor" => state.editor_folded = value == "folded",
            // A newer build's field: skipped, the rest still opens.
            _ => {}
        }
    }
    Ok(state)
}

/// The state as localStorage keeps it (not compressed: storage holds text).
pub fn to_stored(state: &SharedState) -> String {
    format!("{STORED_PREFIX}{}", records(state))
}

/// The state localStorage kept.
pub fn from_stored(text: &str) -> Result<SharedState, ShareError> {
    from_records(
        text.strip_prefix(STORED_PREFIX)
            .ok_or(ShareError::NotAShareLink)?,
    )
}

/// The first bytes of the SHA-256 of `records`.
fn checksum(records: &str) -> [u8; CHECKSUM_BYTES] {
    let digest = crate::small::sha256::digest(&[records]);
    let mut sum = [0u8; CHECKSUM_BYTES];
    for (out, byte) in sum.iter_mut().zip(digest.iter()) {
        *out = *byte;
    }
    sum
}

/// A fragment (without `#`) from `records` and their raw DEFLATE, `packed`.
pub fn fragment(records: &str, packed: &[u8]) -> String {
    let mut bytes = checksum(records).to_vec();
    bytes.extend_from_slice(packed);
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// What a fragment holds: the raw DEFLATE data, and the checksum of what it unpacks to (none in
/// an `s1` link).
pub struct Packed {
    /// The raw DEFLATE data.
    pub data: Vec<u8>,
    checksum: Option<[u8; CHECKSUM_BYTES]>,
}

/// The packed data a fragment (with or without its `#`) holds.
pub fn unpack(fragment: &str) -> Result<Packed, ShareError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let base64 = |data: &str| {
        URL_SAFE_NO_PAD
            .decode(data.trim_end_matches('='))
            .map_err(|_| ShareError::Encoding)
    };
    if let Some(data) = fragment.strip_prefix(PREFIX) {
        let bytes = base64(data)?;
        let (sum, data) = bytes
            .split_first_chunk::<CHECKSUM_BYTES>()
            .ok_or(ShareError::Compression)?;
        return Ok(Packed {
            data: data.to_vec(),
            checksum: Some(*sum),
        });
    }
    if let Some(data) = fragment.strip_prefix(LEGACY_PREFIX) {
        return Ok(Packed {
            data: base64(data)?,
            checksum: None,
        });
    }
    // `s` and a version number: a format of a newer build.
    match fragment.split_once('.') {
        Some((format, _))
            if format.len() > 1
                && format.starts_with('s')
                && format.bytes().skip(1).all(|byte| byte.is_ascii_digit()) =>
        {
            Err(ShareError::Newer(format.to_owned()))
        }
        _ => Err(ShareError::NotAShareLink),
    }
}

/// Whether `fragment` (with or without its `#`) is meant as a share link of any version.
pub fn is_share_link(fragment: &str) -> bool {
    !matches!(unpack(fragment), Err(ShareError::NotAShareLink))
}

/// The state from decompressed records, checked against the link's checksum.
pub fn from_bytes(bytes: Vec<u8>, packed: &Packed) -> Result<SharedState, ShareError> {
    match (String::from_utf8(bytes), packed.checksum) {
        (Ok(text), Some(sum)) if checksum(&text) != sum => Err(ShareError::Damaged),
        (Ok(text), _) => from_records(&text),
        (Err(_), Some(_)) => Err(ShareError::Damaged),
        (Err(_), None) => Err(ShareError::Records("not UTF-8 text".to_owned())),
    }
}

/// The fragment (without `#`) that holds `state`. Natively with miniz_oxide; the browser
/// compresses with its own `CompressionStream("deflate-raw")` (the same format, and no
/// compressor in the wasm).
#[cfg(not(target_arch = "wasm32"))]
pub fn encode(state: &SharedState) -> String {
    let records = records(state);
    fragment(
        &records,
        &miniz_oxide::deflate::compress_to_vec(records.as_bytes(), 9),
    )
}

/// Reads a fragment (with or without its `#`) back into the state it holds.
#[cfg(not(target_arch = "wasm32"))]
pub fn decode(fragment: &str) -> Result<SharedState, ShareError> {
    let packed = unpack(fragment)?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed.data, MAX_STATE_BYTES)
        .map_err(|error| match error.status {
        miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge,
        _ => ShareError::Compression,
    })?;
    from_bytes(bytes, &packed)
}

fn flag(value: bool) -> &'static str {
    if value {
        "1"
    } else {
        "0"
    }
}

/// Appends one record, `KEY=LENGTH:VALUE` (the length in bytes), so values may hold anything.
pub(crate) fn put(out: &mut String, key: &str, value: &str) {
    out.push_str(key);
    out.push('=');
    out.push_str(&value.len().to_string());
    out.push(':');
    out.push_str(value);
}

/// The records of `text`, in order.
pub(crate) fn split_records(text: &str) -> Result<Vec<(&str, &str)>, ShareError> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (key, after) = rest
            .split_once('=')
            .ok_or_else(|| ShareError::Records("a record without '='".to_owned()))?;
        let (length, after) = after.split_once(':').ok_or_else(|| {
            ShareError::Records(format!("record {} has no length", GoQuoted(key)))
        })?;
        let length: usize = length.parse().map_err(|_| {
            ShareError::Records(format!("record {} has a bad length", GoQuoted(key)))
        })?;
        let value = after
            .get(..length)
            .ok_or_else(|| ShareError::Records(format!("record {} is cut short", GoQuoted(key))))?;
        rest = after.get(length..).unwrap_or_default();
        out.push((key, value));
    }
    Ok(out)
}

/// A what-if as records: `op` and the fields of its kubectl command.
fn command_records(command: &Command) -> String {
    let mut out = String::new();
    let mut object = |op: &str, key: &ObjectKey| {
        put(&mut out, "op", op);
        put(&mut out, "ns", &key.namespace);
    };
    match command {
        Command::Scale {
            workload,
            kind,
            replicas,
        } => {
            object("scale", workload);
            put(&mut out, "kind", kind.as_str());
            put(&mut out, "name", &workload.name);
            put(&mut out, "replicas", &replicas.to_string());
        }
        Command::DeletePod { pod } => {
            object("delete-pod", pod);
            put(&mut out, "name", &pod.name);
        }
        Command::SetPodReady { pod, ready } => {
            object("set-ready", pod);
            put(&mut out, "name", &pod.name);
            put(&mut out, "ready", flag(*ready));
        }
        Command::SetPodLabels { pod, labels } => {
            object("set-labels", pod);
            put(&mut out, "name", &pod.name);
            for (key, value) in labels {
                put(&mut out, "label", &format!("{key}={value}"));
            }
        }
        Command::AddNode => put(&mut out, "op", "add-node"),
        Command::RemoveNode { node } => {
            put(&mut out, "op", "delete-node");
            put(&mut out, "name", node);
        }
        Command::Restart { workload, kind } => {
            object("restart", workload);
            put(&mut out, "kind", kind.as_str());
            put(&mut out, "name", &workload.name);
        }
    }
    out
}

fn command_from_records(text: &str) -> Result<Command, ShareError> {
    let mut fields: BTreeMap<&str, &str> = BTreeMap::new();
    let mut labels = BTreeMap::new();
    for (key, value) in split_records(text)? {
        if key == "label" {
            // Label keys never hold '=' (a qualified name), values never do either.
            let (label, label_value) = value.split_once('=').unwrap_or((value, ""));
            labels.insert(label.to_owned(), label_value.to_owned());
        } else {
            fields.insert(key, value);
        }
    }
    let field = |key: &str| {
        fields
            .get(key)
            .map(|value| (*value).to_owned())
            .ok_or_else(|| ShareError::Records(format!("a what-if without {}", GoQuoted(key))))
    };
    let object = || Ok::<_, ShareError>(ObjectKey::new(field("ns")?, field("name")?));
    let kind = || match field("kind")?.as_str() {
        "Deployment" => Ok(WorkloadKind::Deployment),
        "ReplicaSet" => Ok(WorkloadKind::ReplicaSet),
        "StatefulSet" => Ok(WorkloadKind::StatefulSet),
        "DaemonSet" => Ok(WorkloadKind::DaemonSet),
        other => Err(ShareError::Records(format!(
            "not a workload kind: {}",
            GoQuoted(other)
        ))),
    };
    match fields.get("op").copied() {
        Some("scale") => {
            let kind = kind()?;
            let replicas = field("replicas")?
                .parse()
                .map_err(|_| ShareError::Records("a scale without a replica count".to_owned()))?;
            Ok(Command::Scale {
                workload: object()?,
                kind,
                replicas,
            })
        }
        Some("restart") => Ok(Command::Restart {
            workload: object()?,
            kind: kind()?,
        }),
        Some("delete-pod") => Ok(Command::DeletePod { pod: object()? }),
        Some("set-ready") => Ok(Command::SetPodReady {
            pod: object()?,
            ready: field("ready")? == "1",
        }),
        Some("set-labels") => Ok(Command::SetPodLabels {
            pod: object()?,
            labels,
        }),
        Some("add-node") => Ok(Command::AddNode),
        Some("delete-node") => Ok(Command::RemoveNode {
            node: field("name")?,
        }),
        Some(other) => Err(ShareError::Records(format!(
            "unknown what-if {}",
            GoQuoted(other)
        ))),
        None => Err(ShareError::Records("a what-if without \"op\"".to_owned())),
    }
}
