//! The browser build's allocator (`svcscope::small::alloc::Heap`), natively over a test arena: under
//! random allocations, frees and resizes every block is aligned, no two live blocks overlap,
//! contents survive a move, and freed blocks are used again.
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

use std::alloc::Layout;

use proptest::prelude::*;
use svcscope::small::alloc::{Heap, Pages};

/// 64 KiB pages handed out in order from one owned buffer.
struct Arena {
    buffer: Vec<u8>,
    base: usize,
    used: usize,
    limit: usize,
}

impl Arena {
    fn new(pages: usize) -> Arena {
        let buffer = vec![0u8; (pages + 1) << 16];
        let start = buffer.as_ptr() as usize;
        let base = (start + 0xffff) & !0xffff;
        Arena {
            buffer,
            base,
            used: 0,
            limit: pages,
        }
    }
    fn contains(&self, address: usize, size: usize) -> bool {
        let start = self.buffer.as_ptr() as usize;
        address >= start && address + size <= start + self.buffer.len()
    }
}

impl Pages for Arena {
    fn grow(&mut self, count: usize) -> Option<usize> {
        if self.used + count > self.limit {
            return None;
        }
        let address = self.base + (self.used << 16);
        self.used += count;
        Some(address)
    }
}

#[derive(Clone, Debug)]
enum Op {
    Alloc { size: usize, align_shift: u32 },
    Free(usize),
    Resize(usize, usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (1usize..5000, 0u32..7).prop_map(|(size, align_shift)| Op::Alloc { size, align_shift }),
        1 => (1usize..200_000, 0u32..4).prop_map(|(size, align_shift)| Op::Alloc { size, align_shift }),
        3 => (0usize..64).prop_map(Op::Free),
        3 => (0usize..64, 1usize..20_000).prop_map(|(which, size)| Op::Resize(which, size)),
    ]
}

/// A live block: address, layout, the byte it was filled with.
type Live = (usize, Layout, u8);

fn fill(address: usize, size: usize, byte: u8) {
    // SAFETY: the block is live and `size` bytes long.
    unsafe { std::ptr::write_bytes(address as *mut u8, byte, size) };
}

fn holds(address: usize, size: usize, byte: u8) -> bool {
    // SAFETY: as above.
    let bytes = unsafe { std::slice::from_raw_parts(address as *const u8, size) };
    bytes.iter().all(|found| *found == byte)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn blocks_are_aligned_disjoint_and_keep_their_bytes(ops in proptest::collection::vec(op(), 1..400)) {
        let mut heap = Heap::new(Arena::new(512));
        let mut live: Vec<Live> = Vec::new();
        let mut stamp = 1u8;
        for op in ops {
            match op {
                Op::Alloc { size, align_shift } => {
                    let layout = Layout::from_size_align(size, 1 << align_shift).expect("layout");
                    // SAFETY: the arena is ours.
                    let address = unsafe { heap.alloc(layout) } as usize;
                    if address == 0 {
                        continue; // out of arena
                    }
                    prop_assert_eq!(address % layout.align(), 0);
                    for (other, other_layout, _) in &live {
                        prop_assert!(address + size <= *other || other + other_layout.size() <= address);
                    }
                    stamp = stamp.wrapping_add(1).max(1);
                    fill(address, size, stamp);
                    live.push((address, layout, stamp));
                }
                Op::Free(which) => {
                    if live.is_empty() { continue; }
                    let (address, layout, byte) = live.swap_remove(which % live.len());
                    prop_assert!(holds(address, layout.size(), byte));
                    // SAFETY: from this heap, with this layout, not used again.
                    unsafe { heap.dealloc(address as *mut u8, layout) };
                }
                Op::Resize(which, size) => {
                    if live.is_empty() { continue; }
                    let at = which % live.len();
                    let (address, layout, byte) = live[at];
                    prop_assert!(holds(address, layout.size(), byte));
                    // SAFETY: as above.
                    let moved = unsafe { heap.realloc(address as *mut u8, layout, size) } as usize;
                    if moved == 0 { continue; }
                    prop_assert!(holds(moved, layout.size().min(size), byte));
                    let new_layout = Layout::from_size_align(size, layout.align()).expect("layout");
                    prop_assert_eq!(moved % new_layout.align(), 0);
                    fill(moved, size, byte);
                    live[at] = (moved, new_layout, byte);
                    for (index, (other, other_layout, _)) in live.iter().enumerate() {
                        if index != at {
                            prop_assert!(moved + size <= *other || other + other_layout.size() <= moved);
                        }
                    }
                }
            }
        }
        for (address, layout, byte) in live {
            prop_assert!(holds(address, layout.size(), byte));
        }
    }
}

#[test]
fn freed_blocks_are_used_again_and_classes_share_no_page() {
    let mut heap = Heap::new(Arena::new(8));
    let small = Layout::from_size_align(24, 8).expect("layout");
    // SAFETY: the arena is ours; blocks are freed with their layouts.
    unsafe {
        let a = heap.alloc(small);
        let b = heap.alloc(small);
        assert_eq!(
            b as usize - a as usize,
            32,
            "a 32-byte class, cut from one page"
        );
        heap.dealloc(a, small);
        assert_eq!(heap.alloc(small), a, "the freed block comes back first");
        // A page of 32-byte blocks serves 2,048 of them before a second page is needed.
        for _ in 0..2046 {
            assert!(!heap.alloc(small).is_null());
        }
        let next_page = heap.alloc(small) as usize;
        assert_eq!(next_page % 65536, 0, "a fresh page");
        // 64 KiB and more: whole pages; out of pages: null, not a panic.
        let big = Layout::from_size_align(100_000, 8).expect("layout");
        assert_eq!(heap.alloc(big) as usize % 65536, 0);
        let huge = Layout::from_size_align(1 << 30, 8).expect("layout");
        assert!(heap.alloc(huge).is_null());
    }
    let arena = Arena::new(1);
    assert!(arena.contains(arena.base, 65536));
}
