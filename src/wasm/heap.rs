//! The wasm build's global allocator: rlsf's TLSF (constant time per call, little code) over the
//! module's linear memory, which it grows a page at a time as one pool.
//!
//! rlsf's own global allocators for wasm make a new pool at every `memory.grow`: its
//! `SmallGlobalTlsf` turns the merging of pools off, and with it on, its in-place growth compares
//! the pool's start, not its end, with the end of memory, so it never grows in place either.
//! Freed blocks of one pool cannot merge with another's, so a run of ever larger allocations
//! keeps nearly the sum of their sizes (273 MiB for answers growing from 64 KB to 4 MB). Here the
//! one pool grows where it ends and its free tail merges with the new pages: the same run takes
//! 14 MiB (dlmalloc: 10 MiB, since it grows only by what its free tail lacks, where rlsf grows by
//! the whole request). tests/node/memory.test.mjs and tests/wasm.rs hold it.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::cell::UnsafeCell;
use core::ptr::{self, NonNull};

use rlsf::{FlexSource, FlexTlsf};

/// The size of a wasm page.
const PAGE: usize = 65_536;

/// The pages of linear memory past the module's own data and stack.
pub struct Pages;

// SAFETY: `alloc` hands out pages that `memory.grow` has just added, which nothing else uses;
// `realloc_inplace_grow` grows a block only where it ends at the end of memory.
unsafe impl FlexSource for Pages {
    unsafe fn alloc(&mut self, min_size: usize) -> Option<NonNull<[u8]>> {
        let pages = min_size.checked_add(PAGE - 1)? / PAGE;
        let first = wasm32::memory_grow(0, pages);
        if first == usize::MAX {
            return None;
        }
        NonNull::new(ptr::slice_from_raw_parts_mut(
            (first * PAGE) as *mut u8,
            pages * PAGE,
        ))
    }

    unsafe fn realloc_inplace_grow(
        &mut self,
        block: NonNull<[u8]>,
        min_new_len: usize,
    ) -> Option<usize> {
        let (start, len) = (block.as_ptr() as *mut u8 as usize, block.len());
        if start.checked_add(len)? != wasm32::memory_size(0).checked_mul(PAGE)? {
            return None;
        }
        let pages = min_new_len.checked_sub(len)?.checked_add(PAGE - 1)? / PAGE;
        if wasm32::memory_grow(0, pages) == usize::MAX {
            return None;
        }
        len.checked_add(pages * PAGE)
    }

    fn supports_realloc_inplace_grow(&self) -> bool {
        true
    }

    fn min_align(&self) -> usize {
        PAGE
    }
}

/// The allocator: one TLSF over [`Pages`].
pub struct Heap(
    UnsafeCell<FlexTlsf<Pages, usize, usize, { usize::BITS as usize }, { usize::BITS as usize }>>,
);

impl Heap {
    pub const fn new() -> Self {
        Heap(UnsafeCell::new(FlexTlsf::new(Pages)))
    }
}

// SAFETY: the package's wasm has no threads (the target has no `atomics` feature), and the
// allocator never calls back into itself: no two `&mut` to the TLSF can exist at once.
#[cfg(not(target_feature = "atomics"))]
unsafe impl Sync for Heap {}

// SAFETY: blocks come from the TLSF, which hands each out once until it is freed; `realloc` is
// the trait's own (a new block, the bytes copied, the old one freed).
unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: single-threaded and not re-entered (above).
        unsafe { (*self.0.get()).allocate(layout) }.map_or(ptr::null_mut(), NonNull::as_ptr)
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        if let Some(block) = NonNull::new(block) {
            // SAFETY: `block` came from `alloc` with this layout (the trait's contract).
            unsafe { (*self.0.get()).deallocate(block, layout.align()) }
        }
    }
}
