//! The byte stream under the IMAP session: plain TCP, or TCP with rustls (IMAPS or STARTTLS).

use std::fmt;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use crate::config::{ConfigError, MailboxConfig, Security};

/// The connection an IMAP session runs over.
pub(crate) enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

pub(crate) type Session = async_imap::Session<Stream>;
pub(crate) type Client = async_imap::Client<Stream>;

impl fmt::Debug for Stream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stream::Plain(_) => f.write_str("Stream::Plain"),
            Stream::Tls(_) => f.write_str("Stream::Tls"),
        }
    }
}

impl AsyncRead for Stream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// What a mailbox needs to open its TLS connections, prepared once.
#[derive(Clone)]
pub(crate) struct Tls {
    connector: TlsConnector,
    server_name: ServerName<'static>,
}

impl Tls {
    /// `None` for [`Security::Plain`]. Reads `ca_file`, so a missing or bad file is a config error
    /// before the first connection.
    pub(crate) fn for_config(cfg: &MailboxConfig) -> Result<Option<Tls>, ConfigError> {
        if cfg.security == Security::Plain {
            return Ok(None);
        }
        let fail = |field: &'static str, problem: String| ConfigError { mailbox: cfg.name.clone(), field, problem };
        let mut roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
        if let Some(path) = &cfg.ca_file {
            let certs = CertificateDer::pem_file_iter(path).map_err(|e| fail("ca_file", format!("{}: {e}", path.display())))?;
            let mut added = 0;
            for cert in certs {
                let cert = cert.map_err(|e| fail("ca_file", format!("{}: {e}", path.display())))?;
                roots.add(cert).map_err(|e| fail("ca_file", format!("{}: {e}", path.display())))?;
                added += 1;
            }
            if added == 0 {
                return Err(fail("ca_file", format!("{}: no PEM certificate in it", path.display())));
            }
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| fail("security", e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let host = cfg.host.trim_start_matches('[').trim_end_matches(']');
        let server_name =
            ServerName::try_from(host.to_string()).map_err(|e| fail("host", format!("{host:?} is not a valid TLS server name: {e}")))?;
        Ok(Some(Tls { connector: TlsConnector::from(Arc::new(config)), server_name }))
    }

    pub(crate) async fn wrap(&self, tcp: TcpStream) -> io::Result<Stream> {
        let tls = self.connector.connect(self.server_name.clone(), tcp).await?;
        Ok(Stream::Tls(Box::new(tls)))
    }
}
