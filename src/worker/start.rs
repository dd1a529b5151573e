//! The instance's start (wasm-bindgen's start function, run once when workerd instantiates the
//! module, before any request): the warm-up of `room::host::warmup`, plus the two worker-only
//! pieces of a room's first request, the DO row codec and the URL parser (docs/architecture.md,
//! "Cold start: the warm-up").

use worker::{event, Date, Url};

use super::rows::{entry_from_row, entry_values};

#[event(start)]
fn start() {
    let w = crate::room::host::warm_up(Date::now().as_millis() as i64);
    // Each kept row through the DO SQLite row codec, both ways, as `DoStore` reads them.
    for e in &w.entries {
        if let Ok(values) = entry_values(e) {
            let _ = entry_from_row(&values);
        }
    }
    // `Request::url()` (the Worker's and the room's query and path).
    let _ = Url::parse("http://127.0.0.1/parties/game-server/warm-up?token=a.b.c&delta=1&v=7");
}
