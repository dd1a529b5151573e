//! CPU time read from /proc (Linux), for the figures the load scripts print beside wall time.

/// CPU time (user + system, ms) of the processes whose /proc stat fields (those after the
/// command name: state, ppid, pgrp, …) match `pick`; clock ticks taken as 100 per second
/// (Linux's USER_HZ).
pub fn proc_cpu_ms(pick: impl Fn(&[&str]) -> bool) -> f64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    dir.flatten()
        .filter_map(|e| std::fs::read_to_string(e.path().join("stat")).ok())
        .map(|text| stat_cpu_ms(&text, &pick))
        .sum()
}

/// CPU time (user + system, ms) of this process so far.
pub fn own_cpu_ms() -> f64 {
    let text = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    stat_cpu_ms(&text, &|_: &[&str]| true)
}

/// utime + stime of one /proc stat line, in ms, when `pick` accepts its fields.
fn stat_cpu_ms(text: &str, pick: &dyn Fn(&[&str]) -> bool) -> f64 {
    // The command name is in parentheses and may hold spaces: the fields follow the last ')'.
    let Some((_, rest)) = text.rsplit_once(')') else {
        return 0.0;
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    if f.len() <= 12 || !pick(&f) {
        return 0.0;
    }
    let ticks = f[11].parse::<u64>().unwrap_or(0) + f[12].parse::<u64>().unwrap_or(0);
    ticks as f64 * 10.0
}

/// Resident memory (KiB, `VmRSS` of /proc/<pid>/status) of the processes whose /proc stat
/// fields match `pick` (as [`proc_cpu_ms`]).
pub fn proc_rss_kib(pick: impl Fn(&[&str]) -> bool) -> u64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0;
    };
    dir.flatten()
        .filter(|e| {
            std::fs::read_to_string(e.path().join("stat"))
                .ok()
                .and_then(|t| {
                    t.rsplit_once(')')
                        .map(|(_, r)| pick(&r.split_whitespace().collect::<Vec<_>>()))
                })
                .unwrap_or(false)
        })
        .filter_map(|e| std::fs::read_to_string(e.path().join("status")).ok())
        .filter_map(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .sum()
}

/// CPU time (ms, from `/proc/PID/schedstat`: nanoseconds) of the main thread of each `workerd`
/// process in process group `group`: the thread that runs the isolate's JavaScript and wasm.
/// V8's background compile threads and the I/O threads are left out. 0 off Linux.
pub fn workerd_main_thread_ms(group: u32) -> f64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    let mut ns = 0u64;
    for e in dir.flatten() {
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
            continue;
        };
        let Some((head, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let f: Vec<&str> = rest.split_whitespace().collect();
        if !head.ends_with("(workerd")
            || f.get(2).and_then(|g| g.parse::<u32>().ok()) != Some(group)
        {
            continue;
        }
        let sched = std::fs::read_to_string(e.path().join("schedstat")).unwrap_or_default();
        ns += sched
            .split_whitespace()
            .next()
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0);
    }
    ns as f64 / 1e6
}
