//! Just enough SMTP and IMAP for the mail checks.

use std::time::Duration;

use rustls_pki_types::CertificateDer;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio_rustls::TlsAcceptor;

use super::TestPki;
use crate::local::Listener;

/// How a test mail server speaks TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailTls {
    /// Plain only, STARTTLS not offered.
    None,
    /// Plain, STARTTLS offered.
    StartTls,
    /// TLS from the first byte (`smtps`, `imaps`).
    Implicit,
}

/// The greetings, for keyword checks.
pub const SMTP_BANNER: &str = "localhost ESMTP loket-test";
pub const IMAP_BANNER: &str = "loket-test IMAP ready";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Protocol {
    Smtp,
    Imap,
}

/// A mail server of either protocol; [`SmtpTarget`] and [`ImapTarget`] name it.
struct MailServer {
    listener: Listener,
    pki: TestPki,
    tls: MailTls,
    protocol: Protocol,
}

impl MailServer {
    fn start(protocol: Protocol, tls: MailTls, valid_days: i64) -> MailServer {
        let pki = TestPki::new(valid_days);
        let acceptor = TlsAcceptor::from(pki.server_config());
        let name = if protocol == Protocol::Smtp { "smtp-target" } else { "imap-target" };
        let listener = Listener::start(name, move |stream| serve(protocol, tls, acceptor.clone(), stream));
        MailServer { listener, pki, tls, protocol }
    }

    fn target(&self) -> String {
        let scheme = match (self.protocol, self.tls) {
            (Protocol::Smtp, MailTls::Implicit) => "smtps",
            (Protocol::Smtp, _) => "smtp",
            (Protocol::Imap, MailTls::Implicit) => "imaps",
            (Protocol::Imap, _) => "imap",
        };
        format!("{scheme}://localhost:{}", self.listener.port())
    }
}

macro_rules! mail_target {
    ($(#[$m:meta])* $name:ident, $protocol:expr) => {
        $(#[$m])*
        pub struct $name {
            server: MailServer,
        }

        impl $name {
            /// Plain, offering STARTTLS or not; the certificate is valid for a year.
            pub fn start(starttls: bool) -> $name {
                $name::start_with(if starttls { MailTls::StartTls } else { MailTls::None }, 365)
            }

            /// With this TLS and a certificate valid for `valid_days` days.
            pub fn start_with(tls: MailTls, valid_days: i64) -> $name {
                $name { server: MailServer::start($protocol, tls, valid_days) }
            }

            /// The CA to trust.
            pub fn ca(&self) -> CertificateDer<'static> {
                self.server.pki.ca.clone()
            }

            /// The certificate's notAfter, unix seconds.
            pub fn not_after(&self) -> i64 {
                self.server.pki.not_after
            }

            pub fn port(&self) -> u16 {
                self.server.listener.port()
            }

            /// `smtp://localhost:PORT` and the like, the target to probe.
            pub fn target(&self) -> String {
                self.server.target()
            }

            /// Down: nothing listens, connections closed; up: listening again on the same port.
            pub fn set_up(&self, up: bool) {
                self.server.listener.set_up(up);
            }
        }
    };
}

mail_target!(
    /// An SMTP server: `220` greeting ([`SMTP_BANNER`]), EHLO (STARTTLS advertised when
    /// offered), STARTTLS, QUIT; `502` to anything else.
    SmtpTarget,
    Protocol::Smtp
);

mail_target!(
    /// An IMAP server: `* OK` greeting ([`IMAP_BANNER`]), CAPABILITY (STARTTLS listed when
    /// offered), STARTTLS, LOGOUT; `BAD` to anything else.
    ImapTarget,
    Protocol::Imap
);

async fn serve(protocol: Protocol, tls: MailTls, acceptor: TlsAcceptor, stream: TcpStream) {
    let limit = Duration::from_secs(30);
    let _ = tokio::time::timeout(limit, async {
        if tls == MailTls::Implicit {
            let Ok(stream) = acceptor.accept(stream).await else { return };
            session(protocol, false, true, stream).await;
            return;
        }
        if let Some(stream) = session(protocol, tls == MailTls::StartTls, true, stream).await
            && let Ok(stream) = acceptor.accept(stream).await
        {
            session(protocol, false, false, stream).await;
        }
    })
    .await;
}

/// One conversation; the stream back when STARTTLS was agreed.
async fn session<S: AsyncRead + AsyncWrite + Unpin>(protocol: Protocol, offer_starttls: bool, greet: bool, stream: S) -> Option<S> {
    let mut reader = BufReader::new(stream);
    let smtp = protocol == Protocol::Smtp;
    if greet {
        let hello = if smtp { format!("220 {SMTP_BANNER}\r\n") } else { format!("* OK {IMAP_BANNER}\r\n") };
        reader.get_mut().write_all(hello.as_bytes()).await.ok()?;
    }
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.ok()? == 0 || line.len() > 1000 {
            return None;
        }
        let line = line.trim_end();
        let (reply, next): (String, Next) = if smtp {
            let verb = line.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
            match verb.as_str() {
                "EHLO" => {
                    let starttls = if offer_starttls { "250-STARTTLS\r\n" } else { "" };
                    (format!("250-localhost\r\n250-SIZE 10240000\r\n{starttls}250 8BITMIME\r\n"), Next::Go)
                }
                "HELO" | "NOOP" | "RSET" => ("250 ok\r\n".into(), Next::Go),
                "STARTTLS" if offer_starttls => ("220 go ahead\r\n".into(), Next::Tls),
                "QUIT" => ("221 bye\r\n".into(), Next::Close),
                _ => ("502 not here\r\n".into(), Next::Go),
            }
        } else {
            let mut words = line.split_whitespace();
            let tag = words.next().unwrap_or("*").to_string();
            let command = words.next().unwrap_or("").to_ascii_uppercase();
            match command.as_str() {
                "CAPABILITY" => {
                    let starttls = if offer_starttls { " STARTTLS" } else { "" };
                    (format!("* CAPABILITY IMAP4rev1{starttls} AUTH=PLAIN\r\n{tag} OK done\r\n"), Next::Go)
                }
                "NOOP" => (format!("{tag} OK done\r\n"), Next::Go),
                "STARTTLS" if offer_starttls => (format!("{tag} OK begin TLS\r\n"), Next::Tls),
                "LOGOUT" => (format!("* BYE loket-test\r\n{tag} OK done\r\n"), Next::Close),
                _ => (format!("{tag} BAD not here\r\n"), Next::Go),
            }
        };
        reader.get_mut().write_all(reply.as_bytes()).await.ok()?;
        match next {
            Next::Go => {}
            Next::Close => {
                let _ = reader.get_mut().shutdown().await;
                return None;
            }
            Next::Tls => return Some(reader.into_inner()),
        }
    }
}

enum Next {
    Go,
    Close,
    Tls,
}
