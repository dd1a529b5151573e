//! Web Push end to end under `wrangler dev` (docs/push.md): a local push endpoint decrypts
//! each push with its subscriber's private key (RFC 8291) and checks its VAPID JWT (RFC 8292:
//! signature against the key `GET /push-key` serves, `aud` the endpoint's origin). A DM and an
//! elimination arrive; a trigger switched off with UPDATE_PUSH_CONFIG sends nothing; a
//! subscription whose endpoint answers 410 is pruned.
//!
//! Run with `make test`, or after `make build`: `cargo test --features e2e --test e2e push::`.
#![cfg(feature = "e2e")]

use crate::support::WranglerDev;

use std::io::{BufRead, BufReader, Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use pecking_order::push::triggers::PushMessage;
use pecking_order::push::{b64url, ece, vapid};
use serde_json::{json, Value};

/// RFC 8291 Appendix A's application server key, as the Worker's VAPID_PRIVATE_KEY.
const VAPID: &str = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";

/// A subscriber: its private key (the browser keeps it) and auth secret.
struct Subscriber {
    private: [u8; 32],
    auth: [u8; 16],
}

impl Subscriber {
    fn new(n: u8) -> Subscriber {
        let mut private = [0u8; 32];
        private[0] = 0x40;
        private[31] = n;
        Subscriber {
            private,
            auth: [n; 16],
        }
    }

    fn subscription(&self, endpoint: &str) -> Value {
        json!({
            "endpoint": endpoint,
            "expirationTime": null,
            "keys": {
                "p256dh": b64url(&ece::public_of(&self.private).unwrap()),
                "auth": b64url(&self.auth),
            }
        })
    }
}

/// One push the local endpoint received.
#[derive(Clone, Debug)]
struct Hit {
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    answered: u16,
}

impl Hit {
    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// A local push service: records every request; answers 410 for paths ending in `/gone`,
/// 201 otherwise.
fn push_service() -> (String, Arc<Mutex<Vec<Hit>>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(Mutex::new(Vec::<Hit>::new()));
    let recorded = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let path = line
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .to_string();
            let mut headers = Vec::new();
            let mut length = 0usize;
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
                    break;
                }
                let (k, v) = h.split_once(':').unwrap_or((&h, ""));
                let (k, v) = (k.trim().to_ascii_lowercase(), v.trim().to_string());
                if k == "content-length" {
                    length = v.parse().unwrap_or(0);
                }
                headers.push((k, v));
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let answered = if path.ends_with("/gone") { 410 } else { 201 };
            recorded.lock().unwrap().push(Hit {
                path,
                headers,
                body,
                answered,
            });
            let reason = if answered == 201 { "Created" } else { "Gone" };
            let _ = write!(
                stream,
                "HTTP/1.1 {answered} {reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (url, hits)
}

fn init_body() -> String {
    let roster: Vec<Value> = (1..=4)
        .map(|i| json!({ "id": format!("p{i}"), "personaName": format!("Player {i}") }))
        .collect();
    json!({
        "manifest": { "kind": "STATIC", "scheduling": "ADMIN", "startTime": "2026-12-01T09:00:00Z",
                      "days": [{ "voteType": "MAJORITY" }, { "voteType": "MAJORITY" }, { "voteType": "FINALS" }] },
        "roster": roster,
    })
    .to_string()
}

/// Waits until the hits satisfy `ok` (the condition, never a fixed sleep), at most 60 s.
fn wait_for(hits: &Mutex<Vec<Hit>>, what: &str, ok: impl Fn(&[Hit]) -> bool) -> Vec<Hit> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let h = hits.lock().unwrap().clone();
        if ok(&h) {
            return h;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("{what}: {:?}", hits.lock().unwrap());
}

/// Decrypts and checks one push as a push service and a browser would.
fn open(hit: &Hit, sub: &Subscriber, origin: &str, public_key: &str) -> PushMessage {
    assert_eq!(hit.header("content-encoding"), "aes128gcm", "{hit:?}");
    assert!(
        hit.header("ttl").parse::<u32>().is_ok_and(|t| t > 0),
        "{hit:?}"
    );
    let (claims, k) = vapid::verify(hit.header("authorization")).expect("a valid VAPID header");
    assert_eq!(b64url(&k), public_key, "signed with the served key");
    assert_eq!(claims.aud, origin);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!(claims.exp > now && claims.exp <= now + 86_400, "{claims:?}");
    let plain = ece::decrypt(&hit.body, &sub.private, &sub.auth).expect("decrypts");
    serde_json::from_slice(&plain).expect("a push message")
}

#[test]
fn a_dm_and_an_elimination_arrive_decrypted_a_trigger_switched_off_does_not_and_410_prunes() {
    let (origin, hits) = push_service();
    let dev = WranglerDev::start_with_vars(&[("VAPID_PRIVATE_KEY", VAPID), ("DEV_MODE", "1")]);
    let game = "game-push";
    dev.create(game, &init_body());

    // The public key for the browser's applicationServerKey.
    let r = dev.request("GET", "/push-key", None, None).unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    let public_key = r.json()["publicKey"].as_str().unwrap().to_string();
    assert_eq!(public_key.len(), 87, "65 bytes in base64url");

    // p2 subscribes; p3 subscribes with an endpoint that is gone.
    let (s2, s3) = (Subscriber::new(2), Subscriber::new(3));
    let path = format!("/parties/game-server/{game}/push-subscription");
    let bearer = |p: &str| format!("Bearer {}", dev.token(game, p));
    let sub2 = s2.subscription(&format!("{origin}/push/p2"));
    let r = dev
        .request(
            "POST",
            &path,
            Some(&bearer("p2")),
            Some(sub2.to_string().as_bytes()),
        )
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    // The prototype client's route (the game is the token's).
    let sub3 = s3.subscription(&format!("{origin}/push/p3/gone"));
    let r = dev
        .request(
            "POST",
            "/api/push/subscribe",
            Some(&bearer("p3")),
            Some(sub3.to_string().as_bytes()),
        )
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    // Refused: no token, the operator's bearer, a malformed subscription (its field named).
    let r = dev
        .request("POST", &path, None, Some(sub2.to_string().as_bytes()))
        .unwrap();
    assert_eq!(r.status, 401, "{}", r.text());
    let r = dev
        .request(
            "POST",
            &path,
            Some(&dev.bearer()),
            Some(sub2.to_string().as_bytes()),
        )
        .unwrap();
    assert_eq!(r.status, 401, "{}", r.text());
    let mut bad = sub2.clone();
    bad["keys"]["auth"] = json!("c2hvcnQ");
    let r = dev
        .request(
            "POST",
            &path,
            Some(&bearer("p4")),
            Some(bad.to_string().as_bytes()),
        )
        .unwrap();
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(r.error_code(), "INVALID_SUBSCRIPTION");
    assert_eq!(r.json()["error"]["fields"][0]["path"], "keys.auth");
    let rows = dev.d1_query("SELECT player_id, user_id FROM push_subscriptions ORDER BY player_id");
    assert_eq!(
        rows,
        vec![
            json!({"player_id": "p2", "user_id": "user-p2"}),
            json!({"player_id": "p3", "user_id": "user-p3"})
        ]
    );

    // Day 1 with DMs open; every phase push but DAY_START's and OPEN_DMS's switched off, so
    // what arrives below is only what the test asks for.
    dev.admin(
        game,
        json!({ "type": "UPDATE_PUSH_CONFIG", "pushConfig": { "DAY_START": false, "OPEN_DMS": false } }),
    );
    dev.inject(game, "START_DAY");
    dev.inject(game, "OPEN_DMS");

    // A DM from p1 to p2: p2's endpoint receives it, decrypted with p2's key.
    let dm = json!({ "type": "SOCIAL.SEND_MSG", "targetId": "p2", "content": "meet me at the fountain" });
    let v = dev.admin(
        game,
        json!({ "type": "SEND_PLAYER_EVENT", "senderId": "p1", "event": dm }),
    );
    assert_eq!(v["verdict"], "ACCEPTED", "{v}");
    let h = wait_for(&hits, "the DM's push", |h| {
        h.iter().any(|x| x.path == "/push/p2")
    });
    let to_p2: Vec<&Hit> = h.iter().filter(|x| x.path == "/push/p2").collect();
    assert_eq!(to_p2.len(), 1, "{h:?}");
    let m = open(to_p2[0], &s2, &origin, &public_key);
    assert_eq!(
        (
            m.trigger.as_str(),
            m.title.as_str(),
            m.body.as_str(),
            m.game_id.as_str()
        ),
        ("DM_SENT", "Player 1", "meet me at the fountain", game)
    );

    // An elimination: p2 hears it; p3's endpoint answers 410 and its subscription is pruned.
    dev.admin(
        game,
        json!({ "type": "ELIMINATE_PLAYER", "playerId": "p4" }),
    );
    let h = wait_for(&hits, "the elimination's pushes", |h| {
        h.iter().filter(|x| x.path == "/push/p2").count() == 2
            && h.iter().any(|x| x.path == "/push/p3/gone")
    });
    let last = h.iter().filter(|x| x.path == "/push/p2").nth(1).unwrap();
    let m = open(last, &s2, &origin, &public_key);
    assert_eq!(
        (m.trigger.as_str(), m.title.as_str()),
        ("ELIMINATION", "Player 4 is OUT")
    );
    let gone = h.iter().find(|x| x.path == "/push/p3/gone").unwrap();
    assert_eq!(open(gone, &s3, &origin, &public_key).trigger, "ELIMINATION");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let rows = dev.d1_query("SELECT player_id FROM push_subscriptions ORDER BY player_id");
        if rows == vec![json!({"player_id": "p2"})] {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "p3's subscription was not pruned: {rows:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    // DM_SENT switched off: the next DM sends nothing, while an elimination still does (so the
    // room did send what it owed after the DM).
    dev.admin(
        game,
        json!({ "type": "UPDATE_PUSH_CONFIG", "pushConfig": { "DM_SENT": false } }),
    );
    let dm = json!({ "type": "SOCIAL.SEND_MSG", "targetId": "p2", "content": "second thoughts" });
    let v = dev.admin(
        game,
        json!({ "type": "SEND_PLAYER_EVENT", "senderId": "p1", "event": dm }),
    );
    assert_eq!(v["verdict"], "ACCEPTED", "{v}");
    dev.admin(
        game,
        json!({ "type": "ELIMINATE_PLAYER", "playerId": "p3" }),
    );
    let h = wait_for(&hits, "the second elimination", |h| {
        h.iter().filter(|x| x.path == "/push/p2").count() == 3
    });
    let p2: Vec<PushMessage> = h
        .iter()
        .filter(|x| x.path == "/push/p2")
        .map(|x| open(x, &s2, &origin, &public_key))
        .collect();
    assert_eq!(p2[2].title, "Player 3 is OUT", "{p2:?}");
    assert!(p2.iter().all(|m| m.body != "second thoughts"), "{p2:?}");
    // Nothing more reached the pruned endpoint.
    assert_eq!(
        h.iter().filter(|x| x.path == "/push/p3/gone").count(),
        1,
        "{h:?}"
    );
    assert_eq!(h.iter().filter(|x| x.answered == 410).count(), 1);
}
