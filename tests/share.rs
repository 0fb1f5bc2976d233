//! Share links (`svcscope::explorer::share`): the explorer's state survives the trip through a URL
//! fragment exactly, and a damaged link is an error in words, never a panic.
//!
//! Formats: raw DEFLATE (RFC 1951) and base64url without padding (RFC 4648 section 5).
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

use base64::Engine as _;
use proptest::prelude::*;
use svcscope::explorer::scenarios::SCENARIOS;
use svcscope::explorer::share::{
    decode, encode, records, ShareError, SharedState, LEGACY_PREFIX, MAX_STATE_BYTES, PREFIX,
};
use svcscope::sim::control::cluster::Command;
use svcscope::sim::input::objects::WorkloadKind;
use svcscope::sim::key::ObjectKey;

fn full_state() -> SharedState {
    SharedState {
        yaml: "apiVersion: v1\nkind: Service\nmetadata:\n  name: \"<img src=x onerror=alert(1)>\"\n# 中文 и русский = : 12:\n".to_owned(),
        scenario: "statefulset".to_owned(),
        commands: vec![
            Command::Scale {
                workload: ObjectKey::new("awx", "web"),
                kind: WorkloadKind::StatefulSet,
                replicas: 5,
            },
            Command::DeletePod {
                pod: ObjectKey::new("default", "nginx-deployment-7c5ddbdf54-2xk8p"),
            },
            Command::SetPodReady {
                pod: ObjectKey::new("default", "web-1"),
                ready: false,
            },
            Command::SetPodLabels {
                pod: ObjectKey::new("default", "web-2"),
                labels: BTreeMap::from([
                    ("app".to_owned(), "nginx".to_owned()),
                    ("tier".to_owned(), String::new()),
                ]),
            },
            Command::AddNode,
            Command::RemoveNode {
                node: "node-2".to_owned(),
            },
            Command::Restart {
                workload: ObjectKey::new("awx", "web"),
                kind: WorkloadKind::StatefulSet,
            },
        ],
        dns_from: "awx/tmp01".to_owned(),
        dns_name: "web-headless.awx".to_owned(),
        dns_type: "SRV".to_owned(),
        dns_musl: true,
        dns_dig: true,
        trace_from: "pod/awx/tmp01".to_owned(),
        trace_to: "web-0.web-headless.awx:80".to_owned(),
        rules_node: "node-1".to_owned(),
        rules_format: "iptables-restore".to_owned(),
        panel: "rules".to_owned(),
        zoom: 160,
        focus: "web".to_owned(),
        selected: "Pod/awx/web-0".to_owned(),
        editor_folded: true,
        stack: "IPv6+IPv4".to_owned(),
    }
}

#[test]
fn every_field_survives_the_round_trip() {
    let state = full_state();
    let fragment = encode(&state);
    assert!(fragment.starts_with(PREFIX), "{fragment}");
    // Only base64url's alphabet after the prefix: nothing a URL or a chat client rewrites.
    assert!(fragment[PREFIX.len()..]
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_'));
    assert_eq!(decode(&fragment), Ok(state.clone()));
    assert_eq!(decode(&format!("#{fragment}")), Ok(state));
    assert_eq!(
        decode(&encode(&SharedState::default())),
        Ok(SharedState::default())
    );
}

#[test]
fn every_scenario_fits_a_link_of_reasonable_length() {
    // Links travel in chats and docs; the scenarios' state compresses to a few hundred bytes.
    for scenario in SCENARIOS {
        let state = SharedState {
            yaml: scenario.yaml().to_owned(),
            scenario: scenario.id.to_owned(),
            dns_from: scenario.dns.0.to_owned(),
            dns_name: scenario.dns.1.to_owned(),
            trace_from: scenario.trace.0.to_owned(),
            trace_to: scenario.trace.1.to_owned(),
            ..SharedState::default()
        };
        let fragment = encode(&state);
        assert!(
            fragment.len() < scenario.yaml().len(),
            "{}: {} characters for {} bytes of YAML",
            scenario.id,
            fragment.len(),
            scenario.yaml().len()
        );
        assert_eq!(decode(&fragment).as_ref(), Ok(&state), "{}", scenario.id);
    }
}

#[test]
fn damaged_links_are_errors_in_words() {
    let fragment = encode(&full_state());
    // Hand-made links in the first format, which carries no checksum: what the records say
    // reaches the parser.
    let b64 = |bytes: &[u8]| {
        format!(
            "{LEGACY_PREFIX}{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
        )
    };
    let deflate = |text: &str| b64(&miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 6));
    let cases: Vec<(String, ShareError)> = vec![
        ("".to_owned(), ShareError::NotAShareLink),
        ("scenario=headless".to_owned(), ShareError::NotAShareLink),
        (format!("{PREFIX}***"), ShareError::Encoding),
        (format!("{PREFIX}AAA"), ShareError::Compression),
        ("s3.AAAA".to_owned(), ShareError::Newer("s3".to_owned())),
        ("#s10.x".to_owned(), ShareError::Newer("s10".to_owned())),
        ("s.x".to_owned(), ShareError::NotAShareLink),
        // Cut after a whole number of base64 quanta: valid base64, truncated DEFLATE.
        (
            fragment[..PREFIX.len() + (fragment.len() - PREFIX.len()) / 8 * 4].to_owned(),
            ShareError::Compression,
        ),
        // Cut one character after a quantum: not even base64.
        (
            fragment[..PREFIX.len() + (fragment.len() - PREFIX.len()) / 8 * 4 + 1].to_owned(),
            ShareError::Encoding,
        ),
        (b64(b"not deflate at all"), ShareError::Compression),
        (
            deflate("yaml=99:short"),
            ShareError::Records("record \"yaml\" is cut short".to_owned()),
        ),
        (
            deflate("yaml"),
            ShareError::Records("a record without '='".to_owned()),
        ),
        (
            deflate("command=6:op=1:x"),
            ShareError::Records("unknown what-if \"x\"".to_owned()),
        ),
        (
            deflate("command=6:ns=1:x"),
            ShareError::Records("a what-if without \"op\"".to_owned()),
        ),
        (
            deflate("command=28:op=5:scalekind=3:Podname=1:a"),
            ShareError::Records("not a workload kind: \"Pod\"".to_owned()),
        ),
    ];
    for (link, expected) in cases {
        assert_eq!(decode(&link), Err(expected.clone()), "{link}");
        assert!(!expected.to_string().is_empty());
    }
}

#[test]
fn a_link_that_unpacks_to_more_than_the_limit_is_refused() {
    // A deflate bomb: 4 MiB of one byte packs into a few KB.
    let bomb = vec![b'a'; 4 * MAX_STATE_BYTES];
    let link = format!(
        "{LEGACY_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(miniz_oxide::deflate::compress_to_vec(&bomb, 9))
    );
    assert!(link.len() < 20_000, "{}", link.len());
    assert_eq!(decode(&link), Err(ShareError::TooLarge));
}

#[test]
fn unknown_records_from_a_newer_build_are_skipped() {
    let records = "future=3:xyzyaml=2:a\npanel=3:dns";
    let link = format!(
        "{LEGACY_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(miniz_oxide::deflate::compress_to_vec(records.as_bytes(), 6))
    );
    let state = decode(&link).expect("decodes");
    assert_eq!(state.yaml, "a\n");
    assert_eq!(state.panel, "dns");
}

#[test]
fn a_changed_character_is_caught_and_old_links_still_open() {
    // Issue 16: one character changed in the middle of a link used to open other YAML
    // (`replicas` read `replrcas`): raw DEFLATE has no checksum. Every one-character change of
    // an `s2` link is now an error, never another state.
    let state = full_state();
    let link = encode(&state);
    let body = &link[PREFIX.len()..];
    for (at, original) in body.char_indices() {
        for replacement in ['A', 'z', '0', '-'] {
            if replacement == original {
                continue;
            }
            let mut changed = body.to_owned();
            changed.replace_range(at..at + 1, &replacement.to_string());
            let decoded = decode(&format!("{PREFIX}{changed}"));
            assert!(
                decoded.is_err() || decoded.as_ref() == Ok(&state),
                "position {at}: {replacement} opened another state"
            );
        }
    }
    // A link made before the checksum (`s1.`, raw DEFLATE of the same records) still opens.
    let legacy = format!(
        "{LEGACY_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(
            miniz_oxide::deflate::compress_to_vec(records(&state).as_bytes(), 9)
        )
    );
    assert_eq!(decode(&legacy), Ok(state));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_text_round_trips(yaml in any::<String>(), name in "[a-z0-9.-]{0,40}", panel in any::<String>(), replicas in 0usize..1000) {
        let state = SharedState {
            yaml,
            dns_name: name.clone(),
            panel,
            commands: vec![Command::Scale { workload: ObjectKey::new(name.clone(), name), kind: WorkloadKind::Deployment, replicas }],
            ..SharedState::default()
        };
        prop_assert_eq!(decode(&encode(&state)), Ok(state));
    }

    #[test]
    fn any_fragment_decodes_or_errs_without_panic(fragment in any::<String>(), tail in "[A-Za-z0-9_-]{0,200}") {
        let _ = decode(&fragment);
        let _ = decode(&format!("{PREFIX}{tail}"));
    }
}
