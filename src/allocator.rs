//! mimalloc rather than the system allocator: linting allocates many small blocks per file
//! (tree nodes, strings, findings), where it costs markedly less CPU.
//!
//! Rust asks for a block's alignment with every allocation. Nearly all ask for a machine word
//! or less, which every mimalloc block has, so those take `mi_malloc`'s fast path; only larger
//! alignments go through `mi_malloc_aligned`, whose extra checks cost about 1.5% of `check`'s
//! instructions when every allocation pays them.

use std::alloc::{GlobalAlloc, Layout};

use libmimalloc_sys as mi;

#[global_allocator]
static ALLOCATOR: MiMalloc = MiMalloc;

struct MiMalloc;

/// The alignment of every block `mi_malloc` returns: blocks come in multiples of a word.
const WORD: usize = std::mem::size_of::<usize>();

// SAFETY: each method hands the request to the mimalloc function with the same contract
// (`mi_malloc`'s blocks are word-aligned, so the aligned variants are needed only beyond a
// word), and every block is freed by `mi_free`, which takes blocks of any of them.
unsafe impl GlobalAlloc for MiMalloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= WORD {
            mi::mi_malloc(layout.size()).cast()
        } else {
            mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= WORD {
            mi::mi_zalloc(layout.size()).cast()
        } else {
            mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        mi::mi_free(ptr.cast());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= WORD {
            mi::mi_realloc(ptr.cast(), new_size).cast()
        } else {
            mi::mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
        }
    }
}

#[cfg(test)]
mod tests {
    use std::alloc::{GlobalAlloc, Layout};

    use super::MiMalloc;

    #[test]
    fn blocks_keep_their_alignment_and_contents_through_realloc() {
        for align in [1, 2, 8, 16, 64, 4096] {
            for size in [1, 7, 24, 100, 5000] {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: the layouts are non-zero in size; each block is freed once.
                unsafe {
                    let block = MiMalloc.alloc_zeroed(layout);
                    assert_eq!(block as usize % align, 0, "{size} aligned to {align}");
                    assert!(std::slice::from_raw_parts(block, size)
                        .iter()
                        .all(|&b| b == 0));
                    block.write_bytes(0xa5, size);
                    let grown = MiMalloc.realloc(block, layout, size * 3);
                    assert_eq!(
                        grown as usize % align,
                        0,
                        "{size} grown, aligned to {align}"
                    );
                    assert!(std::slice::from_raw_parts(grown, size)
                        .iter()
                        .all(|&b| b == 0xa5));
                    MiMalloc.dealloc(grown, Layout::from_size_align(size * 3, align).unwrap());
                }
            }
        }
    }
}
