//! A progress bar on stderr for long replays, drawn only when stderr is a terminal.
//!
//! Hand-written rather than a progress crate (indicatif): it is one bar of one line, redrawn at
//! most ten times a second from the replaying thread, with nothing to configure. The crate would
//! add its own terminal handling and draw thread for what is a `write!` of `\r` and the bar.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Journals shorter than this finish too fast for a bar to help.
pub const MIN_ENTRIES: usize = 20_000;

pub struct Progress {
    enabled: bool,
    label: &'static str,
    total: usize,
    last: Instant,
    drawn: bool,
}

impl Progress {
    pub fn new(label: &'static str, total: usize, quiet: bool) -> Progress {
        Progress {
            enabled: !quiet && total >= MIN_ENTRIES && std::io::stderr().is_terminal(),
            label,
            total,
            last: Instant::now(),
            drawn: false,
        }
    }

    /// `done` of `total` entries processed. Redraws at most ten times a second.
    pub fn set(&mut self, done: usize) {
        if !self.enabled || (self.drawn && self.last.elapsed() < Duration::from_millis(100)) {
            return;
        }
        self.last = Instant::now();
        self.drawn = true;
        let total = self.total.max(1);
        let frac = (done.min(total) as f64) / total as f64;
        const WIDTH: usize = 30;
        let filled = (frac * WIDTH as f64).round() as usize;
        let bar: String = "#".repeat(filled) + &"-".repeat(WIDTH - filled);
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r{:<8} [{bar}] {:>3}% {done}/{total} entries",
            self.label,
            (frac * 100.0) as u32
        );
        let _ = err.flush();
    }

    /// Clears the bar's line.
    pub fn finish(&mut self) {
        if self.enabled && self.drawn {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
            self.drawn = false;
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
