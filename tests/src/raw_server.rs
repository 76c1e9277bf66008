//! A raw TCP server for hostile-server tests: it records each request exactly as its
//! bytes arrived and answers with exactly the bytes (or the misbehaviour) a test asks
//! for: garbage, a reset, a stall, a body that never ends.
//!
//! Every connection is served on its own task, so a client's retry is answered as
//! promptly as its first attempt (a test never waits on the server's own queue).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct RawRequest {
    /// `GET /path?query HTTP/1.1`.
    pub request_line: String,
    /// Header lines as sent, names lowercased, values trimmed.
    pub headers: Vec<(String, String)>,
    /// The body bytes (by `Content-Length`).
    pub body: Vec<u8>,
}

impl RawRequest {
    /// The request target (path and query) of the request line.
    pub fn target(&self) -> &str {
        self.request_line.split(' ').nth(1).unwrap_or("")
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// What the server does with one connection.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Writes these bytes after reading the request, then closes.
    Bytes(Vec<u8>),
    /// Resets the connection (RST) without reading the request.
    ResetAtOnce,
    /// Reads the request, then resets the connection without answering.
    ResetAfterRequest,
    /// Reads the request and never answers (the socket stays open for a minute).
    Hang,
    /// Writes each piece after its delay, then closes.
    Slow(Vec<(Duration, Vec<u8>)>),
    /// Writes `head`, then `length` bytes of `fill` in 64 KiB writes (stops when the
    /// client goes away), then closes.
    Huge {
        /// Status line and headers, blank line included.
        head: Vec<u8>,
        /// Body bytes to write.
        length: u64,
        /// The byte repeated.
        fill: u8,
    },
}

/// A full HTTP/1.1 response: `status`, `headers`, `Content-Length`, `Connection: close`
/// and `body`.
pub fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut bytes = format!("HTTP/1.1 {status} X\r\n").into_bytes();
    for (name, value) in headers {
        bytes.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    bytes.extend_from_slice(
        format!(
            "content-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    );
    bytes.extend_from_slice(body);
    Reply::Bytes(bytes)
}

/// A JSON response.
pub fn json(status: u16, body: &str) -> Reply {
    response(
        status,
        &[("content-type", "application/json")],
        body.as_bytes(),
    )
}

/// A running raw server.
pub struct RawServer {
    address: std::net::SocketAddr,
    requests: Arc<Mutex<Vec<RawRequest>>>,
    connections: Arc<AtomicUsize>,
    bytes_written: Arc<AtomicUsize>,
}

impl RawServer {
    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The requests read so far, in order.
    pub fn requests(&self) -> Vec<RawRequest> {
        self.requests.lock().unwrap().clone()
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// Body bytes written by [`Reply::Huge`] replies so far.
    pub fn bytes_written(&self) -> usize {
        self.bytes_written.load(Ordering::SeqCst)
    }
}

/// Starts a server on 127.0.0.1 that answers connection `n` (0-based) with
/// `reply(n)`.
pub async fn serve(reply: impl Fn(usize) -> Reply + Send + Sync + 'static) -> RawServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let requests = Arc::new(Mutex::new(Vec::new()));
    let connections = Arc::new(AtomicUsize::new(0));
    let bytes_written = Arc::new(AtomicUsize::new(0));
    let reply = Arc::new(reply);
    let server = RawServer {
        address,
        requests: Arc::clone(&requests),
        connections: Arc::clone(&connections),
        bytes_written: Arc::clone(&bytes_written),
    };
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let index = connections.fetch_add(1, Ordering::SeqCst);
            let reply = reply(index);
            let requests = Arc::clone(&requests);
            let bytes_written = Arc::clone(&bytes_written);
            tokio::spawn(handle(stream, reply, requests, bytes_written));
        }
    });
    server
}

/// Serves every connection with the same reply.
pub async fn serve_always(reply: Reply) -> RawServer {
    serve(move |_| reply.clone()).await
}

async fn handle(
    mut stream: TcpStream,
    reply: Reply,
    requests: Arc<Mutex<Vec<RawRequest>>>,
    bytes_written: Arc<AtomicUsize>,
) {
    if matches!(reply, Reply::ResetAtOnce) {
        reset(stream);
        return;
    }
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    requests.lock().unwrap().push(request);
    match reply {
        Reply::ResetAtOnce => {}
        Reply::ResetAfterRequest => reset(stream),
        Reply::Bytes(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
        Reply::Hang => {
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
        Reply::Slow(pieces) => {
            for (delay, bytes) in pieces {
                tokio::time::sleep(delay).await;
                if stream.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            let _ = stream.shutdown().await;
        }
        Reply::Huge { head, length, fill } => {
            if stream.write_all(&head).await.is_err() {
                return;
            }
            let chunk = vec![fill; 64 * 1024];
            let mut left = length;
            while left > 0 {
                let size = usize::try_from(left.min(chunk.len() as u64)).unwrap_or(chunk.len());
                if stream.write_all(&chunk[..size]).await.is_err() {
                    return;
                }
                bytes_written.fetch_add(size, Ordering::SeqCst);
                left -= size as u64;
            }
            let _ = stream.shutdown().await;
        }
    }
}

/// Closes with a TCP reset: linger 0, then drop.
fn reset(stream: TcpStream) {
    let _ = stream.set_zero_linger();
    drop(stream);
}

/// Reads one request: head up to the blank line, then `Content-Length` body bytes.
async fn read_request(stream: &mut TcpStream) -> Option<RawRequest> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break end;
        }
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    Some(RawRequest {
        request_line,
        headers,
        body,
    })
}
