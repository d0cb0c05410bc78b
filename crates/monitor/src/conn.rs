//! Connections: resolving and connecting (the `tcp` check), what an I/O error means, and reading
//! lines of a text protocol with a bound on their length.

use std::io;
use std::net::{IpAddr, SocketAddr};

use loket_domain::monitoring::host_port;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::{Cause, Checked, Fail, Pass, Probe};

/// The longest line a text protocol may send; longer is a protocol error, not more memory.
pub(crate) const MAX_LINE: usize = 4096;

/// `tcp`: a connection to `host:port`.
pub(crate) async fn check_tcp(probe: &Probe) -> Checked {
    let (host, port) = match host_port(probe.target.trim(), None) {
        Ok((host, Some(port))) => (host, port),
        _ => return Err(Fail::new(Cause::Protocol, format!("`{}` is not host:port", probe.target))),
    };
    let stream = connect(&host, port).await?;
    let peer = stream.peer_addr().map(|a| a.to_string()).unwrap_or_default();
    Ok(Pass { detail: format!("connected to {peer}"), cert_not_after: None })
}

/// The addresses of `host` (an IP address as it is).
pub(crate) async fn resolve(host: &str, port: u16) -> Result<Vec<SocketAddr>, Fail> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let addrs: Vec<SocketAddr> =
        tokio::net::lookup_host((host, port)).await.map_err(|_| Fail::new(Cause::Dns, format!("{host} does not resolve")))?.collect();
    if addrs.is_empty() {
        return Err(Fail::new(Cause::Dns, format!("{host} has no address")));
    }
    Ok(addrs)
}

/// A connection to the first address of `host` that accepts one.
pub(crate) async fn connect(host: &str, port: u16) -> Result<TcpStream, Fail> {
    let mut last = None;
    for addr in resolve(host, port).await? {
        match TcpStream::connect(addr).await {
            Ok(stream) => {
                let _ = stream.set_nodelay(true);
                return Ok(stream);
            }
            Err(e) => last = Some(e),
        }
    }
    Err(io_fail(&last.unwrap_or_else(|| io::Error::other("no address")), "connecting"))
}

/// What an I/O error means for a check; `doing` says when it happened (`connecting`,
/// `reading`).
pub(crate) fn io_fail(e: &io::Error, doing: &str) -> Fail {
    if let Some(tls) = rustls_in(e) {
        return Fail::new(Cause::Tls, format!("TLS: {tls}"));
    }
    // The innermost of I/O errors wrapped in each other (as reqwest's connector does).
    let mut e = e;
    while let Some(inner) = e.get_ref().and_then(|i| i.downcast_ref::<io::Error>()) {
        e = inner;
    }
    match e.kind() {
        io::ErrorKind::ConnectionRefused => Fail::new(Cause::Refused, "connection refused"),
        io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted => {
            Fail::new(Cause::Refused, format!("connection reset while {doing}"))
        }
        io::ErrorKind::TimedOut => Fail::new(Cause::Timeout, format!("timed out while {doing}")),
        io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable => Fail::new(Cause::Refused, format!("unreachable: {e}")),
        io::ErrorKind::UnexpectedEof => Fail::new(Cause::Protocol, format!("connection closed while {doing}")),
        _ => Fail::new(Cause::Protocol, format!("{doing}: {e}")),
    }
}

/// The rustls error inside an I/O error, through I/O errors wrapped in each other.
pub(crate) fn rustls_in(e: &io::Error) -> Option<&rustls::Error> {
    let inner = e.get_ref()?;
    match inner.downcast_ref::<rustls::Error>() {
        Some(tls) => Some(tls),
        None => rustls_in(inner.downcast_ref::<io::Error>()?),
    }
}

/// Lines from a stream, each at most [`MAX_LINE`] bytes; what was read past a line is kept for
/// the next one.
pub(crate) struct Lines<S> {
    stream: S,
    buf: Vec<u8>,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Lines<S> {
    pub(crate) fn new(stream: S) -> Lines<S> {
        Lines { stream, buf: Vec::new() }
    }

    /// The next line without its CR LF, as lossy UTF-8.
    pub(crate) async fn line(&mut self) -> Result<String, Fail> {
        let mut scanned = 0;
        loop {
            if let Some(i) = self.buf[scanned..].iter().position(|&b| b == b'\n') {
                let end = scanned + i;
                let line: Vec<u8> = self.buf.drain(..=end).collect();
                let text = String::from_utf8_lossy(&line[..end]);
                return Ok(text.trim_end_matches('\r').to_string());
            }
            scanned = self.buf.len();
            if self.buf.len() > MAX_LINE {
                return Err(Fail::new(Cause::Protocol, format!("a line longer than {MAX_LINE} bytes: `{}`", crate::quote(&self.buf))));
            }
            let mut chunk = [0u8; 2048];
            let n = self.stream.read(&mut chunk).await.map_err(|e| io_fail(&e, "reading"))?;
            if n == 0 {
                return Err(Fail::new(
                    Cause::Protocol,
                    if self.buf.is_empty() {
                        "connection closed by the server".to_string()
                    } else {
                        format!("connection closed in the middle of `{}`", crate::quote(&self.buf))
                    },
                ));
            }
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }

    /// Writes `line` and CR LF.
    pub(crate) async fn send(&mut self, line: &str) -> Result<(), Fail> {
        let mut bytes = Vec::with_capacity(line.len() + 2);
        bytes.extend_from_slice(line.as_bytes());
        bytes.extend_from_slice(b"\r\n");
        self.stream.write_all(&bytes).await.map_err(|e| io_fail(&e, "writing"))?;
        self.stream.flush().await.map_err(|e| io_fail(&e, "writing"))
    }

    /// The stream, for a TLS handshake: nothing may have come after the last line (a server
    /// that sends more before the handshake is broken or under attack).
    pub(crate) fn into_inner(self) -> Result<S, Fail> {
        if !self.buf.is_empty() {
            return Err(Fail::new(Cause::Protocol, "the server sent data before the TLS handshake"));
        }
        Ok(self.stream)
    }

    /// Closes the writing side, best effort.
    pub(crate) async fn shutdown(&mut self) {
        let _ = self.stream.shutdown().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn lines_split_and_bounded() {
        let (client, mut server) = tokio::io::duplex(64 * 1024);
        let writer = tokio::spawn(async move {
            server.write_all(b"220-first\r\n220 second\nthird\r\n").await.unwrap();
            server.write_all(&[b'x'; 10_000]).await.unwrap();
            server
        });
        let mut lines = Lines::new(client);
        assert_eq!(lines.line().await.unwrap(), "220-first");
        assert_eq!(lines.line().await.unwrap(), "220 second");
        assert_eq!(lines.line().await.unwrap(), "third");
        let fail = lines.line().await.unwrap_err();
        assert_eq!(fail.cause, Cause::Protocol);
        assert!(fail.detail.contains("longer than 4096"), "{}", fail.detail);
        assert!(lines.buf.len() < MAX_LINE + 2048);
        drop(writer.await.unwrap());
    }

    #[tokio::test]
    async fn a_closed_stream_is_a_protocol_error() {
        let (client, mut server) = tokio::io::duplex(1024);
        server.write_all(b"half a line").await.unwrap();
        drop(server);
        let mut lines = Lines::new(client);
        let fail = lines.line().await.unwrap_err();
        assert_eq!(fail.cause, Cause::Protocol);
        assert!(fail.detail.contains("half a line"));
    }
}
