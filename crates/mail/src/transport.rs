use std::path::PathBuf;
use std::time::Duration;

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain connection, upgraded with STARTTLS (required), usually port 587.
    StartTls,
    /// TLS from the first byte, usually port 465.
    Tls,
    /// No encryption: only for a relay on the same machine or network.
    None,
}

#[derive(Debug, Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<String>,
    pub timeout: Duration,
    /// Accept a self-signed or mismatched certificate (test servers only).
    pub accept_invalid_certs: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// The server refused for good (5xx, bad address): retrying will not help.
    #[error("refused: {0}")]
    Permanent(String),
    /// Worth retrying (connection lost, 4xx, time-out, disk full).
    #[error("{0}")]
    Transient(String),
}

/// Where composed mail goes.
#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// One `.eml` file per message, for the embedded default without an SMTP server.
    Files(PathBuf),
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Transport::Smtp(_) => f.write_str("Transport::Smtp"),
            Transport::Files(dir) => write!(f, "Transport::Files({})", dir.display()),
        }
    }
}

impl Transport {
    pub fn smtp(s: &SmtpSettings) -> Result<Transport, DeliveryError> {
        let tls_params = || {
            TlsParameters::builder(s.host.clone())
                .dangerous_accept_invalid_certs(s.accept_invalid_certs)
                .dangerous_accept_invalid_hostnames(s.accept_invalid_certs)
                .build()
                .map_err(|e| DeliveryError::Permanent(format!("TLS set-up for {}: {e}", s.host)))
        };
        let tls = match s.security {
            SmtpSecurity::StartTls => Tls::Required(tls_params()?),
            SmtpSecurity::Tls => Tls::Wrapper(tls_params()?),
            SmtpSecurity::None => Tls::None,
        };
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(s.host.clone()).port(s.port).tls(tls).timeout(Some(s.timeout));
        if let (Some(user), Some(pass)) = (&s.username, &s.password) {
            builder = builder.credentials(Credentials::new(user.clone(), pass.clone()));
        }
        Ok(Transport::Smtp(builder.build()))
    }

    pub fn files(dir: impl Into<PathBuf>) -> Transport {
        Transport::Files(dir.into())
    }

    /// Delivers one stored message. Idempotent for files (same name, same content).
    pub async fn send(&self, message_id: &str, from: &str, to: &[String], raw: &[u8]) -> Result<(), DeliveryError> {
        match self {
            Transport::Smtp(smtp) => {
                let parse = |a: &str| a.parse::<Address>().map_err(|e| DeliveryError::Permanent(format!("address `{a}`: {e}")));
                let rcpt = to.iter().map(|a| parse(a)).collect::<Result<Vec<_>, _>>()?;
                let envelope = Envelope::new(Some(parse(from)?), rcpt).map_err(|e| DeliveryError::Permanent(e.to_string()))?;
                smtp.send_raw(&envelope, raw).await.map(|_| ()).map_err(|e| {
                    if e.is_permanent() { DeliveryError::Permanent(e.to_string()) } else { DeliveryError::Transient(e.to_string()) }
                })
            }
            Transport::Files(dir) => {
                tokio::fs::create_dir_all(dir).await.map_err(|e| DeliveryError::Transient(format!("creating {}: {e}", dir.display())))?;
                let name: String =
                    message_id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' }).collect();
                let path = dir.join(format!("{}.eml", name.trim_matches('_')));
                let tmp = dir.join(format!(".{}.tmp", name.trim_matches('_')));
                tokio::fs::write(&tmp, raw).await.map_err(|e| DeliveryError::Transient(format!("writing {}: {e}", tmp.display())))?;
                tokio::fs::rename(&tmp, &path).await.map_err(|e| DeliveryError::Transient(format!("writing {}: {e}", path.display())))?;
                Ok(())
            }
        }
    }
}
