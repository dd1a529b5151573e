//! A WebSocket player for the end-to-end tests (tungstenite, blocking).

use std::io;
use std::net::TcpStream;
use std::time::Duration;

/// A connected player socket. Every text frame received is kept in `frames`, so tests can check
/// everything a player was ever sent.
pub struct Player {
    pub ws: tungstenite::WebSocket<TcpStream>,
    pub frames: Vec<serde_json::Value>,
    next_ref: u64,
}

/// How a connection attempt ended.
pub enum Connected {
    Open(Box<Player>),
    /// Closed by the server with this close code (`None`: no code).
    Closed(Option<u16>),
    /// The upgrade was refused with this HTTP status.
    Refused(u16),
}

pub fn connect(port: u16, game: &str, token: Option<&str>) -> Connected {
    let path = match token {
        Some(t) => format!("/parties/game-server/{game}?token={t}"),
        None => format!("/parties/game-server/{game}"),
    };
    let url = format!("ws://127.0.0.1:{port}{path}");
    let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    match tungstenite::client::client(url.as_str(), stream) {
        Ok((ws, _)) => {
            let mut p = Player {
                ws,
                frames: Vec::new(),
                next_ref: 0,
            };
            // The first frame is either the SYNC or a close.
            match p.read() {
                Ok(v) => {
                    p.frames.push(v);
                    Connected::Open(Box::new(p))
                }
                Err(code) => Connected::Closed(code),
            }
        }
        Err(tungstenite::HandshakeError::Failure(tungstenite::Error::Http(resp))) => {
            Connected::Refused(resp.status().as_u16())
        }
        Err(e) => panic!("websocket handshake to {url}: {e}"),
    }
}

impl Player {
    /// The next text frame, or `Err(close code)` when the server closed the socket.
    pub fn read(&mut self) -> Result<serde_json::Value, Option<u16>> {
        loop {
            match self.ws.read() {
                Ok(tungstenite::Message::Text(t)) => {
                    return Ok(serde_json::from_str(&t).expect("server frames are JSON"))
                }
                Ok(tungstenite::Message::Close(frame)) => {
                    return Err(frame.map(|f| u16::from(f.code)))
                }
                Ok(_) => continue,
                Err(tungstenite::Error::ConnectionClosed)
                | Err(tungstenite::Error::AlreadyClosed) => return Err(None),
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    panic!("no frame from the server within the timeout")
                }
                Err(e) => panic!("websocket read: {e}"),
            }
        }
    }

    pub fn send_text(&mut self, text: &str) {
        self.ws
            .send(tungstenite::Message::Text(text.to_string()))
            .expect("websocket send");
    }

    /// Sends `msg` with a fresh `ref` and reads frames until that ref's ACK or ERROR.
    pub fn act(&mut self, mut msg: serde_json::Value) -> serde_json::Value {
        self.next_ref += 1;
        let r = format!("r{}", self.next_ref);
        msg["ref"] = serde_json::json!(r);
        self.send_text(&msg.to_string());
        self.reply_to(&r)
    }

    /// Reads frames (keeping them) until an ACK or ERROR with this ref.
    pub fn reply_to(&mut self, r: &str) -> serde_json::Value {
        loop {
            let v = self
                .read()
                .unwrap_or_else(|c| panic!("closed ({c:?}) before the reply to {r}"));
            self.frames.push(v.clone());
            let t = v["type"].as_str().unwrap_or_default();
            if (t == "ACK" || t == "ERROR") && v["ref"] == r {
                return v;
            }
        }
    }

    /// Reads frames until one matches `pred`.
    pub fn wait_for(&mut self, pred: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
        loop {
            let v = self
                .read()
                .unwrap_or_else(|c| panic!("closed ({c:?}) while waiting"));
            self.frames.push(v.clone());
            if pred(&v) {
                return v;
            }
        }
    }

    /// Reads whatever arrives within `ms` (keeping it).
    pub fn drain(&mut self, ms: u64) {
        if let Ok(()) = self
            .ws
            .get_mut()
            .set_read_timeout(Some(Duration::from_millis(ms)))
        {
            loop {
                match self.ws.read() {
                    Ok(tungstenite::Message::Text(t)) => {
                        if let Ok(v) = serde_json::from_str(&t) {
                            self.frames.push(v);
                        }
                    }
                    Ok(_) => continue,
                    Err(_) => break,
                }
            }
        }
        let _ = self
            .ws
            .get_mut()
            .set_read_timeout(Some(Duration::from_secs(10)));
    }

    /// Every frame this player received, as one string.
    pub fn all_frames_text(&self) -> String {
        self.frames
            .iter()
            .map(|f| f.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }
}
