//! `report`: one self-contained HTML page (inline CSS, inline SVG, no scripts, no external
//! resources): the day-by-day timeline, silver per player over time, eliminations, the winner
//! and the chain head of each day.

use crate::explain::{deciding_inputs, fmt_ms};
use crate::history::History;
use pecking_order::engine::rng::commitment;
use std::fmt::Write;

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

/// A distinct colour per player (golden-angle hues).
fn colour(i: usize) -> String {
    let hue = (i as f64 * 137.508) % 360.0;
    format!("hsl({hue:.0},65%,42%)")
}

const W: f64 = 960.0;
const H: f64 = 380.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;
/// Points kept per player line at most (one per horizontal pixel of the plot).
const MAX_POINTS: usize = 900;

/// Silver per player over time: one `<polyline data-player=…>` per player, step-shaped.
pub fn silver_chart(h: &History) -> String {
    let t0 = h
        .days
        .first()
        .map_or(h.first_at_ms, |d| d.start_at_ms)
        .min(h.silver.first().map_or(i64::MAX, |m| m.at_ms));
    let t1 = h.last_at_ms.max(t0 + 1);
    let mut max_silver = h
        .players
        .iter()
        .map(|p| p.initial_silver)
        .max()
        .unwrap_or(0);
    max_silver = max_silver.max(h.silver.iter().map(|m| m.balance_after).max().unwrap_or(0));
    let max_silver = max_silver.max(1);
    let pw = W - LEFT - RIGHT;
    let ph = H - TOP - BOTTOM;
    let x = |t: i64| LEFT + (t - t0) as f64 / (t1 - t0) as f64 * pw;
    let y = |s: u64| TOP + ph - s as f64 / max_silver as f64 * ph;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" id="silver-chart" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-label="Silver per player over time">"#
    );
    let _ = write!(
        svg,
        r##"<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="#fbfbfd" stroke="#ccc"/>"##
    );
    // Horizontal grid with silver labels.
    for k in 0..=4u64 {
        let s = max_silver * k / 4;
        let yy = y(s);
        let _ = write!(
            svg,
            r##"<line x1="{LEFT}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#e4e4ea"/><text x="{:.1}" y="{:.1}" class="axis" text-anchor="end">{s}</text>"##,
            W - RIGHT,
            LEFT - 6.0,
            yy + 4.0
        );
    }
    // Day starts.
    for d in &h.days {
        let xx = x(d.start_at_ms);
        let _ = write!(
            svg,
            r##"<line x1="{xx:.1}" y1="{TOP}" x2="{xx:.1}" y2="{:.1}" stroke="#9aa" stroke-dasharray="4 3"/><text x="{:.1}" y="{:.1}" class="axis">Day {}</text>"##,
            TOP + ph,
            xx + 3.0,
            TOP + ph + 16.0,
            d.day
        );
    }
    let _ = write!(
        svg,
        r#"<text x="{LEFT}" y="{:.1}" class="axis">{}</text><text x="{:.1}" y="{:.1}" class="axis" text-anchor="end">{}</text>"#,
        H - 4.0,
        esc(&fmt_ms(t0)),
        W - RIGHT,
        H - 4.0,
        esc(&fmt_ms(t1))
    );
    for (i, p) in h.players.iter().enumerate() {
        // (time, balance) steps.
        let mut steps: Vec<(i64, u64)> = vec![(t0, p.initial_silver)];
        for m in h.silver.iter().filter(|m| m.player == p.id) {
            steps.push((m.at_ms, m.balance_after));
        }
        let end = h
            .eliminations
            .iter()
            .find(|e| e.player == p.id)
            .map_or(t1, |e| e.at_ms.max(t0));
        // An eliminated player's line stops at the elimination (or their last movement after it).
        let (last_t, last) = steps.last().copied().unwrap_or((t0, p.initial_silver));
        steps.push((end.max(last_t), last));
        // One value per pixel column at most: the last balance in that column.
        let mut cols: Vec<(f64, u64)> = Vec::new();
        for (t, s) in steps {
            let px = (x(t) * (MAX_POINTS as f64 / pw)).round() / (MAX_POINTS as f64 / pw);
            match cols.last_mut() {
                Some(c) if (c.0 - px).abs() < f64::EPSILON => c.1 = s,
                _ => cols.push((px, s)),
            }
        }
        let mut pts = String::new();
        let mut prev: Option<u64> = None;
        for (px, s) in cols {
            if let Some(ps) = prev {
                if ps != s {
                    let _ = write!(pts, "{px:.1},{:.1} ", y(ps));
                }
            }
            let _ = write!(pts, "{px:.1},{:.1} ", y(s));
            prev = Some(s);
        }
        let c = colour(i);
        let _ = write!(
            svg,
            r#"<polyline data-player="{}" points="{}" fill="none" stroke="{c}" stroke-width="1.8"><title>{}</title></polyline>"#,
            esc(&p.id),
            pts.trim_end(),
            esc(&h.player_name(&p.id))
        );
        if let Some(e) = h.eliminations.iter().find(|e| e.player == p.id) {
            let s = h
                .silver
                .iter()
                .rfind(|m| m.player == p.id && m.seq <= e.seq)
                .map_or(p.initial_silver, |m| m.balance_after);
            let _ = write!(
                svg,
                r#"<circle class="elim" cx="{:.1}" cy="{:.1}" r="4" fill="{c}"><title>{} eliminated, day {}</title></circle>"#,
                x(e.at_ms),
                y(s),
                esc(&p.id),
                e.day
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

const CSS: &str = "body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1000px;color:#1d1d22;padding:0 12px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f7}code,.hash{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
.ok{color:#176b2c;font-weight:600}.bad{color:#a11;font-weight:600}.muted{color:#666}
.winner{background:#fff6d6;border:1px solid #e8cf6a;padding:8px 12px;border-radius:6px;display:inline-block}
.legend{display:flex;flex-wrap:wrap;gap:6px 14px;margin:8px 0}.legend span{display:inline-flex;align-items:center;gap:5px}
.legend i{display:inline-block;width:14px;height:4px;border-radius:2px}
svg .axis{font-size:11px;fill:#555}ul.tie{margin:2px 0;padding-left:18px}";

/// The whole page. `verdict` is the integrity line (chain and replay status) the caller computed.
pub fn html(h: &History, verdict_ok: bool, verdict: &str, source: &str) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Pecking Order — game {}</title><style>{CSS}</style></head><body>",
        esc(&h.game_id)
    );
    let _ = write!(
        o,
        "<h1>Game {}</h1><p class=\"muted\">{} · {} players · {} journal entries · {} to {} · source {}</p>",
        esc(&h.game_id),
        esc(h.mode.as_deref().unwrap_or("?")),
        h.players.len(),
        h.entries,
        esc(&fmt_ms(h.first_at_ms)),
        esc(&fmt_ms(h.last_at_ms)),
        esc(source)
    );
    match &h.winner {
        Some((seq, w, pool)) => {
            let _ = write!(
                o,
                "<p class=\"winner\" id=\"winner\">Winner: <b>{}</b> — takes the gold pool of {pool} (seq {seq})</p>",
                esc(&h.player_name(w))
            );
        }
        None => o.push_str("<p class=\"winner\" id=\"winner\">No winner yet.</p>"),
    }
    // Integrity.
    let _ = write!(
        o,
        "<h2>Integrity</h2><p class=\"{}\" id=\"integrity\">{}</p><p>Chain head: <span class=\"hash\">{}</span></p>",
        if verdict_ok { "ok" } else { "bad" },
        esc(verdict),
        h.head
    );
    match (h.seed, h.seed_commitment) {
        (Some((seq, seed)), Some(c)) => {
            let ok = commitment(&seed) == c;
            let _ = write!(
                o,
                "<p>Seed revealed at seq {seq}: <span class=\"hash\">{}</span> — {}</p>",
                pecking_order::journal::Hash(seed),
                if ok {
                    "<span class=\"ok\">matches the commitment published at seq 1</span>"
                } else {
                    "<span class=\"bad\">does not match the commitment published at seq 1</span>"
                }
            );
        }
        _ => o.push_str("<p class=\"muted\">The seed is not revealed in this journal.</p>"),
    }
    // Silver chart.
    o.push_str("<h2>Silver per player</h2><div class=\"legend\">");
    for (i, p) in h.players.iter().enumerate() {
        let _ = write!(
            o,
            "<span><i style=\"background:{}\"></i>{}</span>",
            colour(i),
            esc(&h.player_name(&p.id))
        );
    }
    o.push_str("</div>");
    o.push_str(&silver_chart(h));
    // Timeline.
    o.push_str("<h2>Day by day</h2><table id=\"timeline\"><thead><tr><th>Day</th><th>Started</th><th>Vote</th><th>Tallies</th><th>Decided by</th><th>Eliminated</th><th>Activity</th><th>Chain head at day end</th></tr></thead><tbody>");
    for d in &h.days {
        let votes: Vec<_> = h.votes.iter().filter(|v| v.day == d.day).collect();
        let tallies: Vec<String> = votes
            .iter()
            .flat_map(|v| v.outcome.tallies.iter().map(|(t, n)| format!("{t} {n}")))
            .collect();
        let mut decided = String::new();
        for v in &votes {
            decided.push_str("<ul class=\"tie\">");
            for line in deciding_inputs(h, v) {
                let _ = write!(decided, "<li>{}</li>", esc(&line));
            }
            decided.push_str("</ul>");
        }
        let elim: Vec<String> = h
            .eliminations
            .iter()
            .filter(|e| e.day == d.day)
            .map(|e| format!("{} ({})", h.player_name(&e.player), e.mechanism))
            .collect();
        let head = match (d.head, d.end_seq) {
            (Some(hd), Some(s)) => {
                format!("<span class=\"hash\">{hd}</span><br><span class=\"muted\">seq {s}</span>")
            }
            _ => "<span class=\"muted\">day not ended</span>".into(),
        };
        let _ = write!(
            o,
            "<tr data-day=\"{}\"><td>{}</td><td>{}<br><span class=\"muted\">seq {}</span></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} entries ({} rejected)<br>{} chat messages<br>{} transfers, {} silver</td><td>{head}</td></tr>",
            d.day,
            d.day,
            esc(&fmt_ms(d.start_at_ms)),
            d.start_seq,
            esc(d.vote_type.as_deref().unwrap_or("—")),
            esc(&tallies.join(", ")),
            decided,
            esc(&if elim.is_empty() { "—".to_string() } else { elim.join(", ") }),
            d.entries,
            d.rejected,
            d.chat_messages,
            d.transfers,
            d.silver_moved
        );
    }
    o.push_str("</tbody></table>");
    // What players were told, day by day.
    o.push_str("<h2>Ticker, as players saw it</h2><div id=\"ticker\">");
    let mut days: Vec<u32> = h.ticker.iter().map(|l| l.day).collect();
    days.dedup();
    for d in days {
        let lines: Vec<_> = h.ticker.iter().filter(|l| l.day == d).collect();
        let _ = write!(
            o,
            "<details data-day=\"{d}\"><summary>{} — {} lines</summary><ol>",
            if d == 0 {
                "Before day 1".to_string()
            } else {
                format!("Day {d}")
            },
            lines.len()
        );
        for l in lines {
            let _ = write!(
                o,
                "<li value=\"{}\"><span class=\"muted\">seq {} · {}</span> {}</li>",
                l.seq,
                l.seq,
                esc(&fmt_ms(l.at_ms)),
                esc(&l.text)
            );
        }
        o.push_str("</ol></details>");
    }
    if h.ticker.is_empty() {
        o.push_str("<p class=\"muted\">Nothing was narrated.</p>");
    }
    o.push_str("</div>");
    // Eliminations.
    o.push_str("<h2>Eliminations</h2><table id=\"eliminations\"><thead><tr><th>Player</th><th>Day</th><th>Mechanism</th><th>Entry</th><th>Time</th></tr></thead><tbody>");
    for e in &h.eliminations {
        let _ = write!(
            o,
            "<tr data-player=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>seq {} {}</td><td>{}</td></tr>",
            esc(&e.player),
            esc(&h.player_name(&e.player)),
            e.day,
            esc(&e.mechanism),
            e.seq,
            esc(&crate::history::describe_entry(&e.typ, &e.payload)),
            esc(&fmt_ms(e.at_ms))
        );
    }
    if h.eliminations.is_empty() {
        o.push_str("<tr><td colspan=\"5\">Nobody was eliminated.</td></tr>");
    }
    o.push_str("</tbody></table>");
    // Final standings.
    o.push_str("<h2>Players</h2><table id=\"players\"><thead><tr><th>Player</th><th>Silver at start</th><th>Silver at end</th><th>Gold at end</th><th>Status</th></tr></thead><tbody>");
    for p in &h.players {
        let silver = h
            .silver
            .iter()
            .rev()
            .find(|m| m.player == p.id)
            .map_or(p.initial_silver, |m| m.balance_after);
        let gold = h
            .gold
            .iter()
            .rev()
            .find(|m| m.player == p.id)
            .map_or(p.initial_gold, |m| m.balance_after);
        let status = match (&h.winner, h.eliminations.iter().find(|e| e.player == p.id)) {
            (Some((_, w, _)), _) if *w == p.id => "winner".to_string(),
            (_, Some(e)) => format!("eliminated on day {}", e.day),
            _ => "alive".to_string(),
        };
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{silver}</td><td>{gold}</td><td>{}</td></tr>",
            esc(&h.player_name(&p.id)),
            p.initial_silver,
            esc(&status)
        );
    }
    o.push_str("</tbody></table>");
    let _ = write!(
        o,
        "<p class=\"muted\">Generated by po-replay from the journal alone; engine {}.</p></body></html>",
        esc(&h.engines.join(", "))
    );
    o
}
