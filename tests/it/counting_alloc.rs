//! A global allocator that counts, per thread, what the code under test allocates: a
//! bound on work that does not depend on the machine's speed or load.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// The test binary's allocator: the system's, counted.
pub struct Counting;

thread_local! {
    static ALLOCATED: Cell<u64> = const { Cell::new(0) };
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    static LIVE: Cell<i64> = const { Cell::new(0) };
    static PEAK: Cell<i64> = const { Cell::new(0) };
}

fn grew(bytes: usize) {
    // `try_with`: a thread being torn down may still free memory.
    let _ = ALLOCATED.try_with(|total| total.set(total.get() + bytes as u64));
    let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
    let _ = LIVE.try_with(|live| {
        live.set(live.get() + bytes as i64);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
    });
}

fn shrank(bytes: usize) {
    let _ = LIVE.try_with(|live| live.set(live.get() - bytes as i64));
}

// SAFETY: every call is passed on to `System` unchanged; the counters are thread-local
// `Cell`s with constant initialisers, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        System.alloc_zeroed(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        shrank(layout.size());
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        shrank(layout.size());
        grew(new_size);
        System.realloc(ptr, layout, new_size)
    }
}

/// What one call allocated on this thread.
#[derive(Debug, Clone, Copy)]
pub struct Usage {
    /// Bytes allocated in all (a measure of work).
    pub allocated: u64,
    /// Allocations made.
    pub allocations: u64,
    /// Most bytes held at once, above what was held before the call.
    pub peak: u64,
}

/// Runs `work` and reports what it allocated on this thread.
pub fn measure<T>(work: impl FnOnce() -> T) -> (T, Usage) {
    let allocated = ALLOCATED.with(Cell::get);
    let allocations = ALLOCATIONS.with(Cell::get);
    let live = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(live));
    let result = work();
    let usage = Usage {
        allocated: ALLOCATED.with(Cell::get) - allocated,
        allocations: ALLOCATIONS.with(Cell::get) - allocations,
        peak: (PEAK.with(Cell::get) - live).max(0) as u64,
    };
    (result, usage)
}
