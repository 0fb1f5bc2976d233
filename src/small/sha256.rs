//! SHA-256 (FIPS 180-4) of a few strings joined, for kube-proxy's chain names.
//!
//! Natively this is the `sha2` crate (fast, with the CPU's SHA instructions where it has
//! them: the proxy benchmark hashes 100,000 endpoints). The browser build uses [`compact`],
//! a plain loop over the 64 rounds that is about a quarter of `sha2`'s unrolled code in wasm;
//! `tests/sha256.rs` checks it against FIPS 180-4's examples and against `sha2`.

/// The digest of `parts` concatenated.
#[cfg(not(target_arch = "wasm32"))]
pub fn digest(parts: &[&str]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
    }
    hasher.finalize().into()
}

/// The digest of `parts` concatenated.
#[cfg(target_arch = "wasm32")]
pub fn digest(parts: &[&str]) -> [u8; 32] {
    compact(parts)
}

/// The first 32 bits of the fractional parts of the cube roots of the first 64 primes.
const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// SHA-256 of `parts` concatenated, in as little code as the algorithm allows.
pub fn compact(parts: &[&str]) -> [u8; 32] {
    let mut state: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let length: u64 = parts.iter().map(|part| part.len() as u64).sum();
    let mut block = [0u8; 64];
    let mut filled = 0;
    // The message, then 0x80, zeros, and the length in bits (big-endian) to fill whole blocks.
    let padding_len = (55u64.wrapping_sub(length) % 64) as usize;
    let bits = length.wrapping_mul(8).to_be_bytes();
    let tail = std::iter::once(0x80u8)
        .chain(std::iter::repeat_n(0, padding_len))
        .chain(bits);
    for byte in parts.iter().flat_map(|part| part.bytes()).chain(tail) {
        if let Some(slot) = block.get_mut(filled) {
            *slot = byte;
        }
        filled += 1;
        if filled == 64 {
            compress(&mut state, &block);
            filled = 0;
        }
    }
    let mut out = [0u8; 32];
    for (chunk, word) in out.chunks_exact_mut(4).zip(state) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

fn compress(state: &mut [u32; 8], block: &[u8; 64]) {
    let mut w = [0u32; 64];
    for (word, bytes) in w.iter_mut().zip(block.chunks_exact(4)) {
        *word = u32::from_be_bytes(bytes.try_into().unwrap_or_default());
    }
    for t in 16..64 {
        let at = |w: &[u32; 64], back: usize| w.get(t - back).copied().unwrap_or_default();
        let (w15, w2) = (at(&w, 15), at(&w, 2));
        let s0 = w15.rotate_right(7) ^ w15.rotate_right(18) ^ (w15 >> 3);
        let s1 = w2.rotate_right(17) ^ w2.rotate_right(19) ^ (w2 >> 10);
        let word = at(&w, 16)
            .wrapping_add(s0)
            .wrapping_add(at(&w, 7))
            .wrapping_add(s1);
        if let Some(slot) = w.get_mut(t) {
            *slot = word;
        }
    }
    let mut v = *state;
    for (k, word) in K.iter().zip(w) {
        let [a, b, c, d, e, f, g, h] = v;
        let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
        let choice = (e & f) ^ (!e & g);
        let t1 = h
            .wrapping_add(s1)
            .wrapping_add(choice)
            .wrapping_add(*k)
            .wrapping_add(word);
        let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
        let majority = (a & b) ^ (a & c) ^ (b & c);
        let t2 = s0.wrapping_add(majority);
        v = [t1.wrapping_add(t2), a, b, c, d.wrapping_add(t1), e, f, g];
    }
    for (word, add) in state.iter_mut().zip(v) {
        *word = word.wrapping_add(add);
    }
}
