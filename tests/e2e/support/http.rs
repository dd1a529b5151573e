//! A minimal HTTP/1.1 client on `std::net::TcpStream` for the end-to-end tests.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

const IO_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", self.text()))
    }

    /// The stable code of an error body `{"error":{"code":..}}`.
    pub fn error_code(&self) -> String {
        self.json()
            .pointer("/error/code")
            .and_then(|c| c.as_str())
            .unwrap_or_else(|| panic!("not an error body: {}", self.text()))
            .to_string()
    }
}

pub fn http_request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> io::Result<HttpResponse> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let mut req =
        format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    let body = body.unwrap_or_default();
    if !body.is_empty() || method == "POST" || method == "PUT" {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()?;

    read_response(&mut stream)
}

fn bad(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.into())
}

/// Reads one response. The body ends at Content-Length or at the last chunk, not at EOF: the
/// local server keeps the connection open for a few seconds despite `Connection: close`.
fn read_response(stream: &mut TcpStream) -> io::Result<HttpResponse> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    // (status, headers, offset of the body in `raw`)
    let mut parsed: Option<(u16, Headers, usize)> = None;
    loop {
        if parsed.is_none() {
            if let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
                let (status, headers) = parse_head(&raw[..split])?;
                parsed = Some((status, headers, split + 4));
            }
        }
        if let Some((status, headers, start)) = &parsed {
            let body = &raw[*start..];
            if let Some(body) = complete_body(headers, body)? {
                return Ok(HttpResponse {
                    status: *status,
                    headers: headers.clone(),
                    body,
                });
            }
        }
        let n = stream.read(&mut buf)?;
        if n == 0 {
            // EOF: only a body without framing may end here.
            return match parsed {
                Some((status, headers, start)) if framing(&headers) == Framing::ToEof => {
                    Ok(HttpResponse {
                        status,
                        headers,
                        body: raw[start..].to_vec(),
                    })
                }
                _ => Err(bad("connection closed before the response was complete")),
            };
        }
        raw.extend_from_slice(&buf[..n]);
    }
}

type Headers = Vec<(String, String)>;

fn parse_head(head: &[u8]) -> io::Result<(u16, Headers)> {
    let head = String::from_utf8_lossy(head);
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad(format!("bad status line: {status_line}")))?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Ok((status, headers))
}

#[derive(Debug, PartialEq, Eq)]
enum Framing {
    Length(usize),
    Chunked,
    ToEof,
}

fn framing(headers: &[(String, String)]) -> Framing {
    let get = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    if get("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked")) {
        Framing::Chunked
    } else if let Some(n) = get("content-length").and_then(|v| v.parse().ok()) {
        Framing::Length(n)
    } else {
        Framing::ToEof
    }
}

/// The body if `data` holds all of it.
fn complete_body(headers: &[(String, String)], data: &[u8]) -> io::Result<Option<Vec<u8>>> {
    match framing(headers) {
        Framing::Length(n) => Ok((data.len() >= n).then(|| data[..n].to_vec())),
        Framing::Chunked => decode_chunked(data),
        Framing::ToEof => Ok(None),
    }
}

/// Decodes a chunked body; `None` while the last chunk has not arrived.
fn decode_chunked(mut data: &[u8]) -> io::Result<Option<Vec<u8>>> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = data.windows(2).position(|w| w == b"\r\n") else {
            return Ok(None);
        };
        let size_text = String::from_utf8_lossy(&data[..eol]);
        let size_hex = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_hex, 16)
            .map_err(|_| bad(format!("bad chunk size {size_hex}")))?;
        data = &data[eol + 2..];
        if size == 0 {
            return Ok(Some(out));
        }
        if data.len() < size + 2 {
            return Ok(None);
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}
