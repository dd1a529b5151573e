//! The memory a room holds for its sockets stays bounded: the host once kept every player's last
//! projections for resume as parsed JSON trees, ≈ 4.4 MB a socket, so a 20-player room needed
//! ≈ 94 MB of an isolate's 128 MB (BENCHMARKS.md, "What held workerd's memory"). This drives the
//! same room host the Worker runs (`big::big_room`) with 20 sockets and counts the peak of live
//! heap bytes with a counting allocator: a number the code decides, not the machine's speed.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

#[test]
fn a_room_with_twenty_sockets_holds_a_bounded_heap() {
    let entries = std::env::var("MEMORY_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400);
    let f = pecking_order_sim::big::big_room(entries, 20).expect("the big room runs");
    assert!(f.entries >= entries);
    let peak = PEAK.load(Relaxed);
    eprintln!(
        "peak live heap: {peak} bytes over {} entries, 20 sockets",
        f.entries
    );
    assert!(
        peak < 32 << 20,
        "a 20-socket room peaked at {peak} bytes of live heap (bound 32 MiB; 15.3 MB with the kept copies as text, 55.8 MB with them as parsed trees)"
    );
}
