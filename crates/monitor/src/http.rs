//! `http`: a GET with the shared reqwest client.

use std::error::Error as _;
use std::io;

use crate::cert::not_after;
use crate::conn::io_fail;
use crate::tls::judge;
use crate::{Cause, Checked, Fail, Pass, Probe};

pub(crate) const MAX_REDIRECTS: usize = 5;
/// The most of a body read (for the keyword); the rest is not fetched.
pub(crate) const MAX_BODY: usize = 1 << 20;

pub(crate) async fn check(client: &reqwest::Client, probe: &Probe) -> Checked {
    let url = reqwest::Url::parse(probe.target.trim())
        .map_err(|e| Fail::new(Cause::Protocol, format!("`{}` is not a URL: {e}", probe.target)))?;
    let mut response = client.get(url).send().await.map_err(|e| classify(&e))?;
    let status = response.status();
    let cert = response.extensions().get::<reqwest::tls::TlsInfo>().and_then(|info| info.peer_certificate()).and_then(not_after);
    let mut body = Vec::new();
    while body.len() < MAX_BODY {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let take = chunk.len().min(MAX_BODY - body.len());
                body.extend_from_slice(&chunk[..take]);
            }
            Ok(None) => break,
            Err(e) => return Err(classify(&e).with_cert(cert)),
        }
    }
    drop(response);
    if !(status.is_success() || status.is_redirection()) {
        return Err(Fail::new(Cause::Status, format!("HTTP {}", status_text(status))).with_cert(cert));
    }
    if let Some(keyword) = probe.keyword.as_deref()
        && !contains(&body, keyword.as_bytes())
    {
        let read = if body.len() >= MAX_BODY { " in the first MiB" } else { "" };
        return Err(Fail::new(Cause::Keyword, format!("keyword `{keyword}` not found{read} (HTTP {})", status.as_u16())).with_cert(cert));
    }
    let mut detail = format!("HTTP {}", status.as_u16());
    if let Some(at) = cert {
        detail = format!("{detail}, {}", judge(at, probe.cert_days)?);
    }
    Ok(Pass { detail, cert_not_after: cert })
}

fn status_text(status: reqwest::StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

pub(crate) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// What a reqwest error means for the check.
fn classify(e: &reqwest::Error) -> Fail {
    if e.is_redirect() {
        return Fail::new(Cause::Status, format!("more than {MAX_REDIRECTS} redirects"));
    }
    let mut innermost = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(tls) = s.downcast_ref::<rustls::Error>() {
            return tls_fail(tls);
        }
        if let Some(io) = s.downcast_ref::<io::Error>() {
            if let Some(tls) = crate::conn::rustls_in(io) {
                return tls_fail(tls);
            }
            let fail = io_fail(io, if e.is_connect() { "connecting" } else { "reading" });
            if fail.cause != Cause::Protocol {
                return fail;
            }
        }
        innermost = s.to_string();
        source = s.source();
    }
    let chain = format!("{e:?}");
    if chain.contains("dns error") || chain.contains("failed to lookup address") {
        let host = e.url().and_then(|u| u.host_str()).unwrap_or("the host");
        return Fail::new(Cause::Dns, format!("{host} does not resolve"));
    }
    if chain.contains("invalid peer certificate") || chain.contains("TLS") {
        return Fail::new(Cause::Tls, innermost);
    }
    if e.is_connect() {
        return Fail::new(Cause::Refused, format!("cannot connect: {innermost}"));
    }
    Fail::new(Cause::Protocol, innermost)
}

fn tls_fail(e: &rustls::Error) -> Fail {
    use rustls::CertificateError::{Expired, ExpiredContext};
    match e {
        rustls::Error::InvalidCertificate(Expired | ExpiredContext { .. }) => Fail::new(Cause::Certificate, "certificate expired"),
        rustls::Error::InvalidCertificate(c) => Fail::new(Cause::Tls, format!("certificate not accepted: {c:?}")),
        other => Fail::new(Cause::Tls, format!("TLS handshake failed: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finding_a_keyword() {
        assert!(contains(b"hello world", b"o w"));
        assert!(!contains(b"hello", b"hello!"));
        assert!(contains(b"", b""));
    }
}
