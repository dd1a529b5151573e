//! `report` writes one self-contained HTML page; a real headless browser renders it with one
//! silver line per player.
//!
//! The browser test needs Debian's chromium:
//!     apt-get update && apt-get install -y chromium
//! It is skipped, with a message saying so, only when no chromium binary is found.

use crate::common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn report(journal: &[pecking_order::journal::Entry], dir: &Path) -> (PathBuf, String) {
    let db = write_sqlite(dir, "j.sqlite", journal);
    let out = dir.join("report.html");
    let run = po(&["report", path_str(&db), "--out", path_str(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with(&format!("wrote {}", out.display())),
        "{}",
        run.stdout
    );
    let html = std::fs::read_to_string(&out).unwrap();
    (out, html)
}

#[test]
fn the_page_is_self_contained_and_complete() {
    let (room, journal) = sim_game();
    let dir = tempfile::tempdir().unwrap();
    let (_, html) = report(&journal, dir.path());
    let st = room.state().unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    // Nothing is fetched: no scripts, links, images, imports or remote URLs.
    for banned in [
        "<script", "src=", "href=", "url(", "@import", "<link", "<img", "https://",
    ] {
        assert!(
            !html.contains(banned),
            "the report must not contain {banned:?}"
        );
    }
    assert_eq!(
        html.matches("http://").count(),
        1,
        "only the SVG namespace may name a URL"
    );
    assert!(html.contains("xmlns=\"http://www.w3.org/2000/svg\""));
    assert_eq!(html.matches("<polyline").count(), st.players.len());
    for p in &st.players {
        assert!(
            html.contains(&format!("<polyline data-player=\"{}\"", p.id)),
            "{}",
            p.id
        );
    }
    let winner = st.winner.clone().unwrap();
    assert!(
        html.contains(&format!("Winner: <b>{winner} (")),
        "winner banner"
    );
    for (day, head) in room.day_heads() {
        assert!(
            html.contains(&format!("<tr data-day=\"{day}\">")),
            "day {day} row"
        );
        assert!(html.contains(&head.to_hex()), "day {day} head");
    }
    for p in st.players.iter().filter(|p| !p.alive) {
        assert!(
            html.contains(&format!("<tr data-player=\"{}\">", p.id)),
            "elimination row {}",
            p.id
        );
    }
    assert!(html.contains("Hash chain intact"));
    // The ticker section holds every line the room would have sent, in seq order, once.
    let lines = room.ticker(&journal);
    assert!(lines.len() > 10, "the game narrated something");
    let section = &html[html.find("<div id=\"ticker\">").expect("ticker section")..];
    let mut at = 0;
    for l in &lines {
        let li = format!(
            "<li value=\"{}\"><span class=\"muted\">seq {}",
            l.seq, l.seq
        );
        let text = pecking_order_replay::report::esc(&l.text);
        let found = section[at..]
            .find(&li)
            .and_then(|i| section[at + i..].find(&text).map(|j| at + i + j))
            .unwrap_or_else(|| panic!("line {l:?} missing or out of order"));
        at = found + text.len();
    }
}

#[test]
fn text_from_the_journal_is_escaped() {
    // A persona name with markup must come out as text.
    let body = serde_json::json!({
        "manifest": {"mode": "PECKING_ORDER", "kind": "STATIC", "startTime": "2026-12-01T09:00:00Z",
                     "schedulePreset": "SMOKE_TEST", "initialGoldPool": 10,
                     "days": [{"voteType": "MAJORITY"}, {"voteType": "FINALS"}]},
        "roster": [{"id": "p1", "personaName": "<script>alert(1)</script>"},
                   {"id": "p2", "personaName": "Bob & \"Co\""}, {"id": "p3", "personaName": "C"}],
    })
    .to_string();
    let (_, journal) = scripted(&body, [1; 32], &[]);
    let dir = tempfile::tempdir().unwrap();
    let (_, html) = report(&journal, dir.path());
    assert!(!html.contains("<script"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("Bob &amp; &quot;Co&quot;"));
}

fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PO_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// Runs headless chromium with `args` then `url`; returns its stdout. Killed after two minutes.
fn chromium(bin: &Path, profile: &Path, args: &[&str], url: &str) -> String {
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
        s
    });
    let start = Instant::now();
    loop {
        match child.try_wait().expect("wait for chromium") {
            Some(_) => break,
            None if start.elapsed() > Duration::from_secs(120) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromium did not finish within 120 s");
            }
            None => std::thread::sleep(Duration::from_millis(100)),
        }
    }
    reader.join().expect("reader")
}

#[test]
fn a_headless_browser_renders_one_line_per_player() {
    let Some(bin) = find_chromium() else {
        println!(
            "SKIPPED a_headless_browser_renders_one_line_per_player: no chromium on PATH \
             (install it with: apt-get update && apt-get install -y chromium)"
        );
        return;
    };
    let (room, journal) = sim_game();
    let dir = tempfile::tempdir().unwrap();
    let (page, _) = report(&journal, dir.path());
    let url = format!("file://{}", page.display());
    let profile = dir.path().join("profile");
    let dom = chromium(&bin, &profile, &["--dump-dom"], &url);
    assert!(dom.contains("<svg"), "chromium rendered no svg:\n{dom}");
    let st = room.state().unwrap();
    // Every polyline in the rendered DOM, and the player each one draws.
    let mut drawn: Vec<String> = dom
        .split("<polyline")
        .skip(1)
        .map(|rest| {
            let attr = rest
                .split("data-player=\"")
                .nth(1)
                .expect("data-player attribute");
            attr[..attr.find('"').unwrap()].to_string()
        })
        .collect();
    assert_eq!(drawn.len(), st.players.len(), "one polyline per player");
    drawn.sort();
    let mut ids: Vec<String> = st.players.iter().map(|p| p.id.clone()).collect();
    ids.sort();
    assert_eq!(drawn, ids);
    assert!(dom.contains(&format!(
        "id=\"winner\">Winner: <b>{}",
        st.winner.clone().unwrap()
    )));

    // A screenshot, kept for a person to look at.
    let png = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("po-replay-report.png");
    let _ = std::fs::remove_file(&png);
    let shot = format!("--screenshot={}", png.display());
    chromium(&bin, &profile, &[&shot, "--window-size=1100,1500"], &url);
    let bytes = std::fs::read(&png).expect("chromium wrote the screenshot");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    assert!(
        bytes.len() > 20_000,
        "a blank page would be smaller: {} bytes",
        bytes.len()
    );
    println!("screenshot: {}", png.display());
}
