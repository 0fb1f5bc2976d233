//! The browser build's SHA-256 (`sim::sha256::compact`) against FIPS 180-4's examples (NIST
//! "Example Algorithms", SHA256.pdf: "abc" and the 448-bit two-block message) and against the
//! `sha2` crate the CLI uses, for random inputs split anywhere.
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
use sha2::{Digest, Sha256};
use svcscope::small::sha256::{compact, digest};

fn hex(bytes: [u8; 32]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[test]
fn fips_180_4_examples() {
    let cases = [
        (
            vec!["abc"],
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ),
        (
            vec!["abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"],
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        ),
        (
            vec![""],
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ),
        // The same two-block message, cut in three.
        (
            vec![
                "abcdbcdecdefdefg",
                "efghfghighijhijkijkljklmklmn",
                "lmnomnopnopq",
            ],
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        ),
    ];
    for (parts, expected) in cases {
        assert_eq!(hex(compact(&parts)), expected, "{parts:?}");
        assert_eq!(hex(digest(&parts)), expected, "{parts:?}");
    }
}

proptest! {
    #[test]
    fn compact_equals_sha2(text in "\\PC{0,300}", cut in 0usize..300) {
        let cut = (0..=cut.min(text.len())).rev().find(|at| text.is_char_boundary(*at)).unwrap_or(0);
        let (head, tail) = text.split_at(cut);
        let expected: [u8; 32] = Sha256::digest(text.as_bytes()).into();
        prop_assert_eq!(compact(&[head, tail]), expected);
    }
}
