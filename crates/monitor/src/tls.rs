//! TLS: the client configuration, a handshake that says why it failed, and the `tls` check.
//!
//! Every handshake gets a verifier that wraps the webpki one and remembers the leaf certificate
//! it was shown, so a failed handshake can still tell the certificate's notAfter, and an expired
//! certificate can be told apart from an untrusted one: when webpki says "expired", the chain is
//! verified again as of one second before the leaf's notAfter; if it is valid then, the cause is
//! `certificate` (valid, but expired), otherwise `tls`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use loket_domain::monitoring::host_port;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use crate::cert::{date, not_after, now};
use crate::conn::{connect, io_fail};
use crate::{Cause, Checked, Fail, Pass, Probe};

/// The TLS client side shared by all checks.
pub(crate) struct Setup {
    /// With the plain webpki verifier; reqwest uses it as it is.
    pub config: Arc<ClientConfig>,
    verifier: Arc<WebPkiServerVerifier>,
}

impl Setup {
    pub(crate) fn new(extra: Vec<CertificateDer<'static>>) -> Setup {
        let provider = provider();
        let mut roots = RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
        roots.add_parsable_certificates(extra);
        let verifier = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
            .build()
            .expect("the webpki roots make a verifier");
        let mut config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("ring supports the default TLS versions")
            .dangerous()
            .with_custom_certificate_verifier(verifier.clone())
            .with_no_client_auth();
        // A resumed session skips verification: each check verifies the chain again.
        config.resumption = rustls::client::Resumption::disabled();
        Setup { config: Arc::new(config), verifier }
    }

    /// A verified handshake with SNI `host` over `stream`; the leaf certificate's notAfter.
    pub(crate) async fn handshake<S>(&self, host: &str, stream: S) -> Result<(TlsStream<S>, i64), Fail>
    where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        let name =
            ServerName::try_from(host.to_string()).map_err(|_| Fail::new(Cause::Tls, format!("`{host}` cannot be a TLS server name")))?;
        let seen = Arc::new(Mutex::new(Seen::default()));
        let mut config = (*self.config).clone();
        config.dangerous().set_certificate_verifier(Arc::new(Recording { inner: self.verifier.clone(), seen: seen.clone() }));
        let result = TlsConnector::from(Arc::new(config)).connect(name, stream).await;
        let seen = *seen.lock().unwrap_or_else(|e| e.into_inner());
        match result {
            Ok(tls) => {
                let leaf = tls.get_ref().1.peer_certificates().and_then(|c| c.first()).and_then(|c| not_after(c));
                match leaf.or(seen.not_after) {
                    Some(at) => Ok((tls, at)),
                    None => Err(Fail::new(Cause::Tls, "the certificate's expiry date cannot be read")),
                }
            }
            Err(e) => {
                let fail = match (crate::conn::rustls_in(&e), seen) {
                    (_, Seen { not_after: Some(at), expired_but_valid: true }) => {
                        Fail::new(Cause::Certificate, format!("certificate expired {} ({} ago)", date(at), days(now() - at)))
                    }
                    (Some(rustls::Error::InvalidCertificate(c)), _) => {
                        Fail::new(Cause::Tls, format!("certificate not accepted: {}", certificate_error(c)))
                    }
                    (Some(other), _) => Fail::new(Cause::Tls, format!("TLS handshake failed: {other}")),
                    (None, _) => {
                        let mut fail = io_fail(&e, "in the TLS handshake");
                        if fail.cause == Cause::Protocol {
                            fail.cause = Cause::Tls;
                        }
                        fail
                    }
                };
                Err(fail.with_cert(seen.not_after))
            }
        }
    }
}

/// Whether a certificate expiring at `at` is far enough away: the detail for people either way.
pub(crate) fn judge(at: i64, cert_days: i64) -> Result<String, Fail> {
    let left = at - now();
    if left <= 0 {
        return Err(Fail::new(Cause::Certificate, format!("certificate expired {} ({} ago)", date(at), days(-left))).with_cert(Some(at)));
    }
    if left <= cert_days.saturating_mul(86_400) {
        return Err(Fail::new(Cause::Certificate, format!("certificate expires {} ({})", date(at), days(left))).with_cert(Some(at)));
    }
    Ok(format!("certificate valid until {} ({})", date(at), days(left)))
}

/// `less than a day`, `1 day`, `12 days`.
fn days(secs: i64) -> String {
    match secs / 86_400 {
        n if n < 1 => "less than a day".to_string(),
        1 => "1 day".to_string(),
        n => format!("{n} days"),
    }
}

fn certificate_error(e: &CertificateError) -> String {
    match e {
        CertificateError::UnknownIssuer => "unknown issuer (not signed by a trusted CA)".to_string(),
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => "not valid for this name".to_string(),
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => "expired".to_string(),
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => "not valid yet".to_string(),
        CertificateError::Revoked => "revoked".to_string(),
        other => format!("{other:?}"),
    }
}

/// `tls`: a verified handshake with `host:port` (443 by default) and the leaf's expiry judged.
pub(crate) async fn check(setup: &Setup, probe: &Probe) -> Checked {
    let (host, port) = host_port(probe.target.trim(), Some(443)).map_err(|e| Fail::new(Cause::Protocol, e))?;
    let stream = connect(&host, port.unwrap_or(443)).await?;
    let (mut tls, at) = setup.handshake(&host, stream).await?;
    // close_notify, without waiting long for it to be read.
    let _ = tokio::time::timeout(Duration::from_millis(200), tls.shutdown()).await;
    let detail = judge(at, probe.cert_days)?;
    Ok(Pass { detail, cert_not_after: Some(at) })
}

#[derive(Debug, Default, Clone, Copy)]
struct Seen {
    not_after: Option<i64>,
    /// webpki said expired, and the chain verifies as of just before the leaf's notAfter.
    expired_but_valid: bool,
}

/// The webpki verifier, remembering what it was shown.
#[derive(Debug)]
struct Recording {
    inner: Arc<WebPkiServerVerifier>,
    seen: Arc<Mutex<Seen>>,
}

impl ServerCertVerifier for Recording {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let at = not_after(end_entity);
        let result = self.inner.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now);
        let expired =
            matches!(result, Err(rustls::Error::InvalidCertificate(CertificateError::Expired | CertificateError::ExpiredContext { .. })));
        let expired_but_valid = match at {
            Some(at) if expired && at > 0 => {
                let then = UnixTime::since_unix_epoch(Duration::from_secs(at as u64 - 1));
                self.inner.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, then).is_ok()
            }
            _ => false,
        };
        *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = Seen { not_after: at, expired_but_valid };
        result
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }

    fn root_hint_subjects(&self) -> Option<&[rustls::DistinguishedName]> {
        self.inner.root_hint_subjects()
    }
}

/// The provider every TLS configuration of this crate uses: ring.
pub(crate) fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_read_well() {
        assert_eq!(days(3_600), "less than a day");
        assert_eq!(days(86_400 + 5), "1 day");
        assert_eq!(days(20 * 86_400), "20 days");
    }

    #[test]
    fn judging_an_expiry() {
        let now = now();
        let ok = judge(now + 30 * 86_400 + 60, 14).unwrap();
        assert!(ok.starts_with("certificate valid until "), "{ok}");
        assert!(ok.ends_with("(30 days)"), "{ok}");
        let soon = judge(now + 2 * 86_400 + 60, 14).unwrap_err();
        assert_eq!(soon.cause, Cause::Certificate);
        assert!(soon.detail.starts_with("certificate expires ") && soon.detail.ends_with("(2 days)"), "{}", soon.detail);
        assert_eq!(soon.cert_not_after, Some(now + 2 * 86_400 + 60));
        let gone = judge(now - 3 * 86_400 - 60, 0).unwrap_err();
        assert!(gone.detail.contains("expired") && gone.detail.ends_with("(3 days ago)"), "{}", gone.detail);
        // cert_days 0: only an expired certificate fails.
        assert!(judge(now + 3_600, 0).is_ok());
    }
}
