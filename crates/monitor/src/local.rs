//! Servers on 127.0.0.1 to probe, for tests, the benchmark and the demo: [`HttpTarget`] and
//! [`TcpTarget`], plain tokio and nothing else.
//!
//! Each runs on a thread of its own with its own single-threaded tokio runtime, so it works from
//! a plain `#[test]`, from inside any runtime and from a program, and stops (connections and all)
//! when dropped. `set_up(false)` returns once the server is down, `set_up(true)` once it is up
//! again on the same port.

use std::future::Future;
use std::io;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinSet;

/// A future run on a thread of its own, with a current-thread runtime; stopped on drop.
pub(crate) struct Runner {
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Runner {
    pub(crate) fn spawn<F>(name: &str, future: F) -> Runner
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name(format!("loket-{name}"))
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
                runtime.block_on(async move {
                    tokio::select! {
                        () = future => {}
                        _ = stopped => {}
                    }
                });
                // Dropping the runtime drops every task it still has.
            })
            .expect("a thread for a local server");
        Runner { stop: Some(stop), thread: Some(thread) }
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

type Ack = std::sync::mpsc::Sender<()>;

/// A TCP server on 127.0.0.1 that hands each connection to a handler, and can be taken down
/// (nothing listens, connections closed) and up again on the same port.
pub(crate) struct Listener {
    port: u16,
    commands: mpsc::UnboundedSender<(bool, Ack)>,
    _runner: Runner,
}

impl Listener {
    pub(crate) fn start<H, F>(name: &str, handler: H) -> Listener
    where
        H: Fn(TcpStream) -> F + Send + Sync + 'static,
        F: Future<Output = ()> + Send + 'static,
    {
        let std_listener = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("a port on 127.0.0.1");
        std_listener.set_nonblocking(true).expect("a non-blocking listener");
        let port = std_listener.local_addr().expect("the listener's address").port();
        let (commands, mut received) = mpsc::unbounded_channel::<(bool, Ack)>();
        let runner = Runner::spawn(name, async move {
            let mut listener = TcpListener::from_std(std_listener).ok();
            let mut connections = JoinSet::new();
            loop {
                tokio::select! {
                    command = received.recv() => {
                        let Some((up, ack)) = command else { break };
                        if up && listener.is_none() {
                            listener = bind(port).await;
                        } else if !up {
                            listener = None;
                            connections.abort_all();
                        }
                        let _ = ack.send(());
                    }
                    accepted = accept(listener.as_ref()) => match accepted {
                        Ok(stream) => {
                            let _ = stream.set_nodelay(true);
                            connections.spawn(handler(stream));
                        }
                        // Out of file descriptors and the like: a moment's rest.
                        Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
                    },
                    Some(_) = connections.join_next(), if !connections.is_empty() => {}
                }
            }
        });
        Listener { port, commands, _runner: runner }
    }

    pub(crate) fn port(&self) -> u16 {
        self.port
    }

    pub(crate) fn set_up(&self, up: bool) {
        let (ack, acked) = std::sync::mpsc::channel();
        if self.commands.send((up, ack)).is_ok() {
            let _ = acked.recv_timeout(Duration::from_secs(5));
        }
    }
}

async fn accept(listener: Option<&TcpListener>) -> io::Result<TcpStream> {
    match listener {
        Some(l) => l.accept().await.map(|(s, _)| s),
        None => std::future::pending().await,
    }
}

async fn bind(port: u16) -> Option<TcpListener> {
    for _ in 0..50 {
        if let Ok(l) = TcpListener::bind(("127.0.0.1", port)).await {
            return Some(l);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    None
}

/// An HTTP/1.1 server answering every path with 200 and a body (`text/plain`), with keep-alive.
/// Down, it answers 503 `down`. `/redirect/N` redirects (302) to `/redirect/N-1`, and
/// `/redirect/0` to `/`, for checks that follow redirects.
pub struct HttpTarget {
    listener: Listener,
    state: Arc<HttpState>,
}

struct HttpState {
    up: AtomicBool,
    body: Mutex<Arc<[u8]>>,
    requests: AtomicU64,
}

/// A connection idle this long is closed (longer than the prober's pool keeps one idle).
const HTTP_IDLE: Duration = Duration::from_secs(75);
const MAX_HEAD: usize = 16 * 1024;

impl HttpTarget {
    pub fn start(body: &str) -> HttpTarget {
        let state =
            Arc::new(HttpState { up: AtomicBool::new(true), body: Mutex::new(Arc::from(body.as_bytes())), requests: AtomicU64::new(0) });
        let shared = state.clone();
        let listener = Listener::start("http-target", move |stream| serve_http(stream, shared.clone()));
        HttpTarget { listener, state }
    }

    /// Up: 200 and the body; down: 503 `down`. It keeps listening either way.
    pub fn set_up(&self, up: bool) {
        self.state.up.store(up, Ordering::SeqCst);
    }

    pub fn set_body(&self, body: &str) {
        *self.state.body.lock().unwrap_or_else(|e| e.into_inner()) = Arc::from(body.as_bytes());
    }

    pub fn port(&self) -> u16 {
        self.listener.port()
    }

    /// `http://127.0.0.1:PORT` and `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port())
    }

    /// Requests answered so far.
    pub fn requests(&self) -> u64 {
        self.state.requests.load(Ordering::Relaxed)
    }
}

async fn serve_http(mut stream: TcpStream, state: Arc<HttpState>) {
    let mut buf: Vec<u8> = Vec::with_capacity(1024);
    loop {
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            if buf.len() > MAX_HEAD {
                return;
            }
            let mut chunk = [0u8; 4096];
            match tokio::time::timeout(HTTP_IDLE, stream.read(&mut chunk)).await {
                Ok(Ok(n)) if n > 0 => buf.extend_from_slice(&chunk[..n]),
                _ => return,
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        buf.drain(..head_end);
        let mut request_line = head.lines().next().unwrap_or("").split_whitespace();
        let (method, path, version) =
            (request_line.next().unwrap_or(""), request_line.next().unwrap_or("/"), request_line.next().unwrap_or(""));
        let mut close = version != "HTTP/1.1";
        let mut body_len = 0usize;
        for line in head.lines().skip(1) {
            let Some((name, value)) = line.split_once(':') else { continue };
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                body_len = value.parse().unwrap_or(0);
            } else if name.eq_ignore_ascii_case("connection") {
                close = value.eq_ignore_ascii_case("close") || (close && !value.eq_ignore_ascii_case("keep-alive"));
            }
        }
        // A request body is read and forgotten.
        while body_len > 0 {
            if buf.is_empty() {
                let mut chunk = [0u8; 4096];
                match tokio::time::timeout(HTTP_IDLE, stream.read(&mut chunk)).await {
                    Ok(Ok(n)) if n > 0 => buf.extend_from_slice(&chunk[..n]),
                    _ => return,
                }
            }
            let n = body_len.min(buf.len());
            buf.drain(..n);
            body_len -= n;
        }
        state.requests.fetch_add(1, Ordering::Relaxed);
        let (status, location, body): (&str, Option<String>, Arc<[u8]>) = if !state.up.load(Ordering::SeqCst) {
            ("503 Service Unavailable", None, Arc::from(&b"down"[..]))
        } else if let Some(n) = path.strip_prefix("/redirect/").and_then(|n| n.parse::<u32>().ok()) {
            let to = if n == 0 { "/".to_string() } else { format!("/redirect/{}", n - 1) };
            ("302 Found", Some(to), Arc::from(&b""[..]))
        } else {
            ("200 OK", None, state.body.lock().unwrap_or_else(|e| e.into_inner()).clone())
        };
        let mut response = format!(
            "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: {}\r\n",
            body.len(),
            if close { "close" } else { "keep-alive" }
        );
        if let Some(to) = location {
            response.push_str(&format!("Location: {to}\r\n"));
        }
        response.push_str("\r\n");
        let mut bytes = response.into_bytes();
        if method != "HEAD" {
            bytes.extend_from_slice(&body);
        }
        if stream.write_all(&bytes).await.is_err() || close {
            return;
        }
    }
}

/// A TCP server that accepts each connection and closes it at once.
pub struct TcpTarget {
    listener: Listener,
}

impl TcpTarget {
    pub fn start() -> TcpTarget {
        TcpTarget { listener: Listener::start("tcp-target", |stream| async move { drop(stream) }) }
    }

    /// Down: nothing listens (connections are refused); up: listening again on the same port.
    pub fn set_up(&self, up: bool) {
        self.listener.set_up(up);
    }

    pub fn port(&self) -> u16 {
        self.listener.port()
    }

    /// `127.0.0.1:PORT`, a `tcp` target.
    pub fn target(&self) -> String {
        format!("127.0.0.1:{}", self.port())
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};

    use super::*;

    /// No runtime here: the server has its own.
    #[test]
    fn http_target_from_a_plain_test() {
        let target = HttpTarget::start("hello");
        let mut s = std::net::TcpStream::connect(("127.0.0.1", target.port())).unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /redirect/2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
        let mut all = String::new();
        s.read_to_string(&mut all).unwrap();
        assert!(all.starts_with("HTTP/1.1 200 OK\r\n"), "{all}");
        assert!(all.contains("\r\n\r\nhelloHTTP/1.1 302 Found\r\n"), "{all}");
        assert!(all.contains("Location: /redirect/1\r\n"), "{all}");
        assert_eq!(target.requests(), 2);
        target.set_up(false);
        target.set_body("changed");
        let mut s = std::net::TcpStream::connect(("127.0.0.1", target.port())).unwrap();
        s.write_all(b"POST /x HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc").unwrap();
        let mut all = String::new();
        s.read_to_string(&mut all).unwrap();
        assert!(all.starts_with("HTTP/1.1 503 ") && all.ends_with("down"), "{all}");
    }

    #[test]
    fn tcp_target_down_and_up_on_the_same_port() {
        let target = TcpTarget::start();
        let port = target.port();
        assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_ok());
        target.set_up(false);
        let refused = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap_err();
        assert_eq!(refused.kind(), io::ErrorKind::ConnectionRefused);
        target.set_up(true);
        assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_ok());
        drop(target);
        assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
    }
}
