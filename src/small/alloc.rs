//! The browser build's memory allocator: segregated power-of-two size classes carved from
//! 64 KiB wasm pages.
//!
//! Why: the standard library's allocator for `wasm32-unknown-unknown` (dlmalloc) is about 7 KB
//! of the app's wasm, and the size budget is spent. This one is a few hundred bytes, and O(1):
//!
//! - a request is rounded up to a power of two of at least 16 bytes (its size or, if larger,
//!   its alignment): its class;
//! - each class keeps a free list threaded through its free blocks;
//! - an empty list takes a fresh 64 KiB page and cuts it into blocks of its class (classes of
//!   64 KiB and more take whole pages), so every block is aligned to its own size;
//! - freed blocks go back to their class's list; memory is never returned (as with dlmalloc,
//!   wasm memory cannot shrink).
//!
//! Measured against maintained crates on this app (gzipped wasm of the release pipeline, one
//! build each): this allocator 336,380 B; `lol_alloc` 0.4's `FreeListAllocator` 336,033 B
//! (347 B smaller, but every allocation and free walks the free list: O(its length), where a
//! rebuild of the cluster frees and allocates thousands of blocks); `talc` 4.4's `TalckWasm`
//! 337,129 B; `lol_alloc`'s `LeakingPageAllocator` 322,168 B, which never frees, so a page that
//! rebuilds the cluster on every keystroke would only grow. This one stays: O(1), and within
//! 347 B of the smallest that frees.
//!
//! The trade: up to half of a block may go unused, and each class in use holds at least one
//! page. The browser's simulations are small; `tests/alloc.rs` checks alignment, disjointness
//! and contents under random use, natively, through the same [`Heap`].

use std::alloc::Layout;

/// log2 of the smallest block (16 bytes: two words of free-list link and room for any
/// `align <= 16`).
const MIN_SHIFT: u32 = 4;
/// log2 of a wasm page.
const PAGE_SHIFT: u32 = 16;
/// Classes from 16 bytes to 2 GiB.
const CLASSES: usize = 28;

/// Where fresh pages come from: `memory.grow` in the browser, a test arena natively.
pub trait Pages {
    /// `count` new contiguous 64 KiB pages, their first address aligned to 64 KiB, or `None`.
    fn grow(&mut self, count: usize) -> Option<usize>;
}

/// The free lists of every class.
pub struct Heap<P: Pages> {
    free: [usize; CLASSES],
    pages: P,
}

impl<P: Pages> Heap<P> {
    /// An empty heap over `pages`.
    pub const fn new(pages: P) -> Heap<P> {
        Heap {
            free: [0; CLASSES],
            pages,
        }
    }

    /// The class of `layout`: log2 of its block size.
    fn class(layout: Layout) -> Option<u32> {
        let need = layout.size().max(layout.align()).max(1 << MIN_SHIFT);
        let shift = need.checked_next_power_of_two()?.trailing_zeros();
        ((shift - MIN_SHIFT) < CLASSES as u32).then_some(shift)
    }

    /// A block for `layout`, or null.
    ///
    /// # Safety
    /// The heap's pages must be memory this process may write.
    pub unsafe fn alloc(&mut self, layout: Layout) -> *mut u8 {
        let Some(shift) = Self::class(layout) else {
            return std::ptr::null_mut();
        };
        let slot = (shift - MIN_SHIFT) as usize;
        let Some(head) = self.free.get(slot).copied() else {
            return std::ptr::null_mut();
        };
        if head != 0 {
            // SAFETY: a free block holds the address of the next one in its first word.
            let next = unsafe { (head as *const usize).read() };
            if let Some(list) = self.free.get_mut(slot) {
                *list = next;
            }
            return head as *mut u8;
        }
        let block = 1usize << shift;
        if shift >= PAGE_SHIFT {
            return match self.pages.grow(block >> PAGE_SHIFT) {
                Some(start) => start as *mut u8,
                None => std::ptr::null_mut(),
            };
        }
        let Some(start) = self.pages.grow(1) else {
            return std::ptr::null_mut();
        };
        // Keep the first block; thread the rest of the page onto the list, in address order.
        let end = start + (1 << PAGE_SHIFT);
        let mut next = 0usize;
        let mut at = end - block;
        while at > start {
            // SAFETY: `at` is a block of the fresh page, ours to write.
            unsafe { (at as *mut usize).write(next) };
            next = at;
            at -= block;
        }
        if let Some(list) = self.free.get_mut(slot) {
            *list = next;
        }
        start as *mut u8
    }

    /// Returns the block at `ptr`, allocated for `layout`, to its class.
    ///
    /// # Safety
    /// `ptr` must come from [`Heap::alloc`] (or [`Heap::realloc`]) of this heap with `layout`,
    /// and not be used again.
    pub unsafe fn dealloc(&mut self, ptr: *mut u8, layout: Layout) {
        let Some(shift) = Self::class(layout) else {
            return;
        };
        if let Some(list) = self.free.get_mut((shift - MIN_SHIFT) as usize) {
            // SAFETY: the block is ours again and at least two words long.
            unsafe { (ptr as *mut usize).write(*list) };
            *list = ptr as usize;
        }
    }

    /// Moves the block at `ptr` to one for `new_size` bytes (the same block when the class
    /// does not change).
    ///
    /// # Safety
    /// As for [`Heap::dealloc`]; `new_size` rounded up to `layout.align()` must not overflow.
    pub unsafe fn realloc(&mut self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else {
            return std::ptr::null_mut();
        };
        if Self::class(layout) == Self::class(new_layout) {
            return ptr;
        }
        // SAFETY: the caller's contract, passed on.
        let moved = unsafe { self.alloc(new_layout) };
        if !moved.is_null() {
            // SAFETY: both blocks hold at least the smaller size and do not overlap.
            unsafe {
                std::ptr::copy_nonoverlapping(ptr, moved, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
        }
        moved
    }
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    use std::alloc::{GlobalAlloc, Layout};
    use std::cell::UnsafeCell;

    use super::{Heap, Pages};

    /// `memory.grow` of the module's memory.
    pub struct WasmPages;

    impl Pages for WasmPages {
        fn grow(&mut self, count: usize) -> Option<usize> {
            let previous = core::arch::wasm32::memory_grow(0, count);
            (previous != usize::MAX).then_some(previous << super::PAGE_SHIFT)
        }
    }

    /// A global allocator over the module's memory; the browser app's binary (`src/main.rs`)
    /// declares it.
    pub struct Allocator(UnsafeCell<Heap<WasmPages>>);

    impl Allocator {
        /// An empty heap.
        pub const fn new() -> Allocator {
            Allocator(UnsafeCell::new(Heap::new(WasmPages)))
        }
    }

    impl Default for Allocator {
        fn default() -> Allocator {
            Allocator::new()
        }
    }

    // SAFETY: the browser build has one thread (no atomics, no shared memory).
    unsafe impl Sync for Allocator {}

    unsafe impl GlobalAlloc for Allocator {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            // SAFETY: one thread, so no other reference to the heap is live.
            unsafe { (*self.0.get()).alloc(layout) }
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            // SAFETY: as above; the caller's contract is `Heap::dealloc`'s.
            unsafe { (*self.0.get()).dealloc(ptr, layout) }
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            // SAFETY: as above.
            unsafe { (*self.0.get()).realloc(ptr, layout, new_size) }
        }
    }
}

#[cfg(target_arch = "wasm32")]
pub use wasm::Allocator;
