//! Servers to probe in tests (cargo feature `testing`): TLS, DNS, SMTP and IMAP on 127.0.0.1,
//! certificates from a test CA, and misbehaving servers.
//!
//! - [`TestPki`]: a CA and a leaf certificate for `localhost` (and 127.0.0.1) valid for a given
//!   number of days — 1 for a short-lived certificate, a negative number for an expired one;
//! - [`TlsTarget`]: a TLS server with such a certificate (it answers an HTTP request with 200
//!   `ok`, so it serves https checks too);
//! - [`DnsTarget`]: a UDP DNS server answering configured records, NXDOMAIN for other names;
//! - [`SmtpTarget`], [`ImapTarget`]: just enough SMTP and IMAP: greeting, EHLO or CAPABILITY,
//!   STARTTLS, QUIT or LOGOUT; plain, with STARTTLS, or TLS at once;
//! - [`RawTarget`]: a server that never answers, sends fixed bytes, or floods.
//!
//! Like those of [`crate::local`], each runs on its own thread and runtime and stops on drop.
//! Certificates name `localhost`: probe `localhost:PORT` with `Prober::with_roots(vec![t.ca()])`.

mod dns;
mod mail;

use std::sync::Arc;
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose, SanType};
use rustls::ServerConfig;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use time::OffsetDateTime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsAcceptor;

pub use dns::DnsTarget;
pub use mail::{IMAP_BANNER, ImapTarget, MailTls, SMTP_BANNER, SmtpTarget};

use crate::local::Listener;

/// A test CA and a leaf certificate for `localhost`, `127.0.0.1` and `::1`.
pub struct TestPki {
    /// The CA's certificate: the root to trust.
    pub ca: CertificateDer<'static>,
    /// The leaf, then the CA.
    pub chain: Vec<CertificateDer<'static>>,
    /// The leaf's key (PKCS #8).
    pub key: PrivateKeyDer<'static>,
    /// The leaf's notAfter, unix seconds.
    pub not_after: i64,
}

impl Clone for TestPki {
    fn clone(&self) -> TestPki {
        TestPki { ca: self.ca.clone(), chain: self.chain.clone(), key: self.key.clone_key(), not_after: self.not_after }
    }
}

impl TestPki {
    /// A leaf that expires `valid_days` days from now (in the past when negative), issued by a
    /// CA valid from a year ago for ten years.
    pub fn new(valid_days: i64) -> TestPki {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let at = |secs: i64| OffsetDateTime::from_unix_timestamp(secs).expect("a time in range");

        let ca_key = KeyPair::generate().expect("a CA key");
        let mut ca = CertificateParams::default();
        ca.distinguished_name.push(DnType::CommonName, "Loket test CA");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
        ca.not_before = at(now - 365 * 86_400);
        ca.not_after = at(now + 10 * 365 * 86_400);
        let ca_cert = ca.self_signed(&ca_key).expect("a CA certificate");
        let issuer = Issuer::new(ca, ca_key);

        let not_after = now + valid_days * 86_400;
        let key = KeyPair::generate().expect("a leaf key");
        let mut leaf = CertificateParams::new(vec!["localhost".to_string()]).expect("a leaf for localhost");
        leaf.subject_alt_names.push(SanType::IpAddress([127, 0, 0, 1].into()));
        leaf.subject_alt_names.push(SanType::IpAddress(std::net::Ipv6Addr::LOCALHOST.into()));
        leaf.distinguished_name.push(DnType::CommonName, "localhost");
        leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        leaf.not_before = at((now - 3_600).min(not_after - 30 * 86_400));
        leaf.not_after = at(not_after);
        let leaf_cert = leaf.signed_by(&key, &issuer).expect("a leaf certificate");

        TestPki {
            ca: ca_cert.der().clone(),
            chain: vec![leaf_cert.der().clone(), ca_cert.der().clone()],
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
            not_after,
        }
    }

    /// A rustls server configuration presenting the chain.
    pub fn server_config(&self) -> Arc<ServerConfig> {
        let config = ServerConfig::builder_with_provider(crate::tls::provider())
            .with_safe_default_protocol_versions()
            .expect("ring supports the default TLS versions")
            .with_no_client_auth()
            .with_single_cert(self.chain.clone(), self.key.clone_key())
            .expect("the test certificate and key match");
        Arc::new(config)
    }
}

/// A TLS server on 127.0.0.1 with a [`TestPki`] certificate. After the handshake it answers one
/// HTTP request with 200 `ok` and closes.
pub struct TlsTarget {
    listener: Listener,
    pki: TestPki,
}

impl TlsTarget {
    pub fn start(valid_days: i64) -> TlsTarget {
        let pki = TestPki::new(valid_days);
        let acceptor = TlsAcceptor::from(pki.server_config());
        let listener = Listener::start("tls-target", move |stream| serve_tls(acceptor.clone(), stream));
        TlsTarget { listener, pki }
    }

    /// The CA to trust.
    pub fn ca(&self) -> CertificateDer<'static> {
        self.pki.ca.clone()
    }

    /// The leaf's notAfter, unix seconds.
    pub fn not_after(&self) -> i64 {
        self.pki.not_after
    }

    pub fn port(&self) -> u16 {
        self.listener.port()
    }

    /// `localhost:PORT`, a `tls` target.
    pub fn target(&self) -> String {
        format!("localhost:{}", self.port())
    }

    /// `https://localhost:PORT/`, an `http` target.
    pub fn url(&self) -> String {
        format!("https://localhost:{}/", self.port())
    }

    /// Down: nothing listens; up: listening again on the same port.
    pub fn set_up(&self, up: bool) {
        self.listener.set_up(up);
    }
}

async fn serve_tls(acceptor: TlsAcceptor, stream: TcpStream) {
    let Ok(Ok(mut tls)) = tokio::time::timeout(Duration::from_secs(10), acceptor.accept(stream)).await else { return };
    let mut head = Vec::new();
    let mut chunk = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        match tokio::time::timeout(Duration::from_secs(10), tls.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => head.extend_from_slice(&chunk[..n]),
            _ => return,
        }
    }
    let _ = tls.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok").await;
    let _ = tls.shutdown().await;
}

/// A server that misbehaves the same way on every connection.
pub struct RawTarget {
    listener: Listener,
}

impl RawTarget {
    /// Accepts, reads and forgets, never writes: every check of it times out.
    pub fn silent() -> RawTarget {
        RawTarget::flood(Vec::new(), 0, 0)
    }

    /// Writes `bytes` on each connection, then reads and forgets until the client closes.
    pub fn sending(bytes: impl Into<Vec<u8>>) -> RawTarget {
        RawTarget::flood(bytes, 0, 0)
    }

    /// Writes `prefix`, then `total` bytes of `fill` (10 MB of `a` with no newline is an endless
    /// line), then reads and forgets until the client closes.
    pub fn flood(prefix: impl Into<Vec<u8>>, fill: u8, total: usize) -> RawTarget {
        RawTarget::start(false, prefix.into(), fill, total)
    }

    /// As [`RawTarget::flood`], but only once the client has sent something (a request): for
    /// HTTP clients, which take an answer before the request for a broken connection.
    pub fn answering(prefix: impl Into<Vec<u8>>, fill: u8, total: usize) -> RawTarget {
        RawTarget::start(true, prefix.into(), fill, total)
    }

    fn start(wait: bool, prefix: Vec<u8>, fill: u8, total: usize) -> RawTarget {
        let prefix: Arc<[u8]> = Arc::from(prefix);
        let listener = Listener::start("raw-target", move |mut stream| {
            let prefix = prefix.clone();
            async move {
                let mut first = [0u8; 4096];
                if wait && !matches!(stream.read(&mut first).await, Ok(n) if n > 0) {
                    return;
                }
                if stream.write_all(&prefix).await.is_err() {
                    return;
                }
                let block = vec![fill; 64 * 1024];
                let mut left = total;
                while left > 0 {
                    let n = left.min(block.len());
                    if stream.write_all(&block[..n]).await.is_err() {
                        return;
                    }
                    left -= n;
                }
                let mut sink = [0u8; 4096];
                while let Ok(n) = stream.read(&mut sink).await {
                    if n == 0 {
                        return;
                    }
                }
            }
        });
        RawTarget { listener }
    }

    pub fn port(&self) -> u16 {
        self.listener.port()
    }

    pub fn set_up(&self, up: bool) {
        self.listener.set_up(up);
    }
}

/// Certificates as a PEM file's text (for `monitoring.ca_file` in tests).
pub fn pem(certs: &[CertificateDer<'_>]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for cert in certs {
        let mut b64 = String::new();
        for chunk in cert.as_ref().chunks(3) {
            let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
            for i in 0..4 {
                if i <= chunk.len() {
                    b64.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
                } else {
                    b64.push('=');
                }
            }
        }
        out.push_str("-----BEGIN CERTIFICATE-----\n");
        for line in b64.as_bytes().chunks(64) {
            out.push_str(std::str::from_utf8(line).unwrap_or_default());
            out.push('\n');
        }
        out.push_str("-----END CERTIFICATE-----\n");
    }
    out
}

#[cfg(test)]
mod pem_tests {
    #[test]
    fn pem_reads_back() {
        let pki = super::TestPki::new(2);
        let text = super::pem(&[pki.ca.clone(), pki.chain[0].clone()]);
        let back = crate::roots_from_pem(text.as_bytes()).unwrap();
        assert_eq!(back, [pki.ca.clone(), pki.chain[0].clone()]);
    }
}
