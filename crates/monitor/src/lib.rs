//! One monitoring check ("probe") over the network.
//!
//! [`Prober::check`] runs a [`Probe`] — a monitor's kind, target, time-out, keyword and
//! certificate margin, usually [`Probe::from_spec`] of a `loket_domain::monitoring::Spec` — and
//! always ends in an [`Outcome`]: ok, or not ok with one [`Cause`] and a short line for people.
//! It never panics and never takes longer than the time-out (plus scheduling): every failure,
//! from a name that does not resolve to a server sending garbage, is an outcome.
//!
//! - `http`: a GET following up to 5 redirects (reqwest, a shared pool); the final status must be
//!   2xx or 3xx and the first MiB of the body hold the keyword; over https the leaf certificate's
//!   expiry is judged as for `tls`;
//! - `tcp`: a connection to `host:port`;
//! - `tls`: a verified handshake (SNI = host) whose leaf certificate expires more than
//!   `cert_days` days from now;
//! - `dns`: one question over UDP (TCP when the answer is truncated) to the given server or the
//!   system's first nameserver; NOERROR with an answer of the asked type, one holding the keyword;
//! - `smtp` / `imap`: greeting (keyword in it), EHLO / CAPABILITY, STARTTLS with a verified
//!   handshake when the server offers it (or TLS at once for `smtps://` / `imaps://`), QUIT /
//!   LOGOUT.
//!
//! Causes, in the order they are looked for: what stopped the conversation (`timeout`, `refused`,
//! `dns`, `tls`, `protocol`), then a bad HTTP `status`, then a missing `keyword` (for `dns` too:
//! an answer that does not hold the keyword is `keyword`), then a `certificate` that expires within
//! `cert_days` days. A certificate past its notAfter whose chain is otherwise trusted is
//! `certificate`; an untrusted chain, a wrong name or a broken handshake is `tls`.
//!
//! TLS is rustls with ring and the webpki roots ([`Prober::with_roots`] adds a provider's own CA);
//! session resumption is off, so every handshake verifies the chain again.
//!
//! [`local`] has plain servers to probe (HTTP and TCP) for the benchmark and the demo; `testing`
//! (a cargo feature) adds TLS, DNS, SMTP and IMAP servers with test certificates, and misbehaving
//! ones.

mod cert;
mod conn;
mod dns;
mod http;
pub mod local;
mod mail;
mod tls;

#[cfg(feature = "testing")]
pub mod testing;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use loket_domain::monitoring::Kind;
use loket_domain::monitoring::Spec;
use loket_domain::named;
use rustls_pki_types::CertificateDer;

named!(
    /// Why a check failed.
    Cause {
        /// No (complete) answer within the time-out.
        Timeout = "timeout",
        /// The connection was refused or reset (nothing listens, a firewall rejects).
        Refused = "refused",
        /// The name does not resolve; a DNS check's answer was NXDOMAIN, an error or empty.
        Dns = "dns",
        /// The TLS handshake failed or the certificate is not valid (untrusted, wrong name).
        Tls = "tls",
        /// The certificate is valid but expires within `cert_days` days, or has expired.
        Certificate = "certificate",
        /// The final HTTP status is not 2xx or 3xx, or there were too many redirects.
        Status = "status",
        /// The keyword is not in the page, the banner or the DNS answer.
        Keyword = "keyword",
        /// The server said something unexpected: a bad banner or reply, STARTTLS refused.
        Protocol = "protocol",
    }
);

/// The longest [`Outcome::detail`], in characters.
pub const MAX_DETAIL: usize = 200;

/// One check to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub kind: Kind,
    /// As `Spec::target` reads it for the kind.
    pub target: String,
    pub timeout: Duration,
    /// `http`: text the body must contain; `dns`: text an answer must contain (ASCII case
    /// ignored); `smtp`/`imap`: text the greeting must contain.
    pub keyword: Option<String>,
    /// A certificate expiring within this many days fails the check (`tls`, https, mail TLS).
    pub cert_days: i64,
}

impl Probe {
    pub fn from_spec(spec: &Spec) -> Probe {
        Probe {
            kind: spec.kind,
            target: spec.target.clone(),
            timeout: Duration::from_secs(spec.timeout_secs.max(0) as u64),
            keyword: spec.keyword.clone(),
            cert_days: spec.cert_days,
        }
    }
}

/// What one check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub ok: bool,
    /// Wall time of the check, capped at the time-out.
    pub latency_ms: u32,
    /// `None` when ok.
    pub cause: Option<Cause>,
    /// One short line for people (at most [`MAX_DETAIL`] characters): `HTTP 503`,
    /// `keyword `OK` not found`, `certificate expires 2026-12-03 (2 days)`.
    pub detail: String,
    /// Unix seconds of the leaf certificate's notAfter when TLS was spoken.
    pub cert_not_after: Option<i64>,
}

/// A check that passed: what to say, and the certificate's expiry if TLS was spoken.
#[derive(Debug)]
pub(crate) struct Pass {
    pub detail: String,
    pub cert_not_after: Option<i64>,
}

/// A check that failed.
#[derive(Debug)]
pub(crate) struct Fail {
    pub cause: Cause,
    pub detail: String,
    pub cert_not_after: Option<i64>,
}

impl Fail {
    pub(crate) fn new(cause: Cause, detail: impl Into<String>) -> Fail {
        Fail { cause, detail: detail.into(), cert_not_after: None }
    }

    /// The certificate seen before this failure, unless one is already known.
    pub(crate) fn with_cert(mut self, not_after: Option<i64>) -> Fail {
        self.cert_not_after = self.cert_not_after.or(not_after);
        self
    }
}

pub(crate) type Checked = Result<Pass, Fail>;

/// Runs checks. Cheap to clone: one HTTP pool and one TLS configuration shared by all clones.
#[derive(Clone)]
pub struct Prober {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    tls: tls::Setup,
}

impl Default for Prober {
    fn default() -> Prober {
        Prober::new()
    }
}

impl fmt::Debug for Prober {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Prober").finish_non_exhaustive()
    }
}

impl Prober {
    /// Trusting the webpki roots (Mozilla's).
    pub fn new() -> Prober {
        Prober::with_roots(Vec::new())
    }

    /// Trusting the webpki roots and these certificates too (a provider's own CA, a test CA).
    /// Certificates that cannot be read are left out.
    pub fn with_roots(extra: Vec<CertificateDer<'static>>) -> Prober {
        let tls = tls::Setup::new(extra);
        let http = reqwest::Client::builder()
            .use_preconfigured_tls((*tls.config).clone())
            .tls_info(true)
            .user_agent("Loket-Monitor/1")
            .redirect(reqwest::redirect::Policy::limited(http::MAX_REDIRECTS))
            .no_proxy()
            // Shorter than the keep-alive of the servers checked most (60 s and more), so an idle
            // connection is dropped here before the server drops it.
            .pool_idle_timeout(Duration::from_secs(30))
            .build()
            .expect("an HTTP client with a rustls configuration builds");
        Prober { inner: Arc::new(Inner { http, tls }) }
    }

    /// Runs one check. Never panics and never takes much longer than `probe.timeout`. Needs a
    /// tokio runtime (the check runs as a task of its own).
    pub async fn check(&self, probe: &Probe) -> Outcome {
        let started = Instant::now();
        let timeout = probe.timeout;
        let inner = self.inner.clone();
        let owned = probe.clone();
        // Its own task, so that a panic deep in a parser becomes an outcome too.
        let task = tokio::spawn(async move { tokio::time::timeout(owned.timeout, run(&inner, &owned)).await });
        let _abort = AbortOnDrop(task.abort_handle());
        let result = match task.await {
            Ok(Ok(checked)) => checked,
            Ok(Err(_elapsed)) => Err(Fail::new(Cause::Timeout, format!("no answer within {}", seconds(timeout)))),
            Err(e) => {
                Err(Fail::new(Cause::Protocol, if e.is_panic() { "the check failed unexpectedly" } else { "the check was cancelled" }))
            }
        };
        let latency_ms = started.elapsed().min(timeout).as_millis().min(u128::from(u32::MAX)) as u32;
        match result {
            Ok(pass) => Outcome { ok: true, latency_ms, cause: None, detail: clean(&pass.detail), cert_not_after: pass.cert_not_after },
            Err(fail) => {
                Outcome { ok: false, latency_ms, cause: Some(fail.cause), detail: clean(&fail.detail), cert_not_after: fail.cert_not_after }
            }
        }
    }
}

async fn run(inner: &Inner, probe: &Probe) -> Checked {
    match probe.kind {
        Kind::Http => http::check(&inner.http, probe).await,
        Kind::Tcp => conn::check_tcp(probe).await,
        Kind::Tls => tls::check(&inner.tls, probe).await,
        Kind::Dns => dns::check(probe).await,
        Kind::Smtp | Kind::Imap => mail::check(&inner.tls, probe).await,
    }
}

struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// `10 s`, `1.5 s`.
fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 { format!("{} s", d.as_secs()) } else { format!("{:.1} s", d.as_secs_f64()) }
}

/// One line of at most [`MAX_DETAIL`] characters, control characters made spaces.
pub(crate) fn clean(s: &str) -> String {
    let one_line: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let trimmed = one_line.trim();
    if trimmed.chars().count() <= MAX_DETAIL {
        return trimmed.to_string();
    }
    let mut out: String = trimmed.chars().take(MAX_DETAIL - 1).collect();
    out.push('…');
    out
}

/// Text from a server, for a detail: lossy UTF-8, at most 80 characters.
pub(crate) fn quote(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out: String = text.chars().take(80).map(|c| if c.is_control() { ' ' } else { c }).collect();
    if text.chars().count() > 80 {
        out.push('…');
    }
    out
}

/// The certificates of a PEM file (a provider's own CA, trusted besides the public roots), or
/// what is wrong with it.
pub fn roots_from_pem(pem: &[u8]) -> Result<Vec<rustls_pki_types::CertificateDer<'static>>, String> {
    use rustls_pki_types::pem::PemObject;
    let certs: Vec<_> = rustls_pki_types::CertificateDer::pem_slice_iter(pem)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("not a PEM file of certificates: {e}"))?;
    if certs.is_empty() {
        return Err("no certificate in it".into());
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cause_names_round_trip() {
        for c in Cause::ALL {
            assert_eq!(Cause::parse(c.name()), Some(*c));
        }
        assert_eq!(Cause::ALL.len(), 8);
        assert_eq!(Cause::parse("nope"), None);
        assert_eq!(serde_json::to_string(&Cause::Certificate).unwrap(), "\"certificate\"");
    }

    #[test]
    fn details_are_one_short_line() {
        assert_eq!(clean(" HTTP\r\n503 "), "HTTP  503");
        let long = "é".repeat(500);
        let c = clean(&long);
        assert_eq!(c.chars().count(), MAX_DETAIL);
        assert!(c.ends_with('…'));
        assert_eq!(quote(b"220 \xff\x00ok"), "220 \u{fffd} ok");
    }

    #[test]
    fn a_probe_from_a_spec() {
        let spec = loket_domain::monitoring::SpecInput {
            kind: "http".into(),
            target: "https://example.nl/".into(),
            timeout: Some("5 seconds".into()),
            keyword: Some("Welkom".into()),
            ..Default::default()
        }
        .check("", "web-1")
        .unwrap();
        let p = Probe::from_spec(&spec);
        assert_eq!(p.kind, Kind::Http);
        assert_eq!(p.timeout, Duration::from_secs(5));
        assert_eq!(p.keyword.as_deref(), Some("Welkom"));
        assert_eq!(p.cert_days, 14);
    }

    /// The rest of Loket spawns checks on a multi-threaded runtime.
    #[test]
    fn prober_and_check_are_send() {
        fn send_sync<T: Send + Sync + Clone>(_: &T) {}
        fn send<T: Send>(_: T) {}
        let prober = Prober::new();
        send_sync(&prober);
        let probe = Probe { kind: Kind::Tcp, target: "127.0.0.1:1".into(), timeout: Duration::from_secs(1), keyword: None, cert_days: 0 };
        send(prober.check(&probe));
    }

    #[test]
    fn seconds_read_well() {
        assert_eq!(seconds(Duration::from_secs(10)), "10 s");
        assert_eq!(seconds(Duration::from_millis(1500)), "1.5 s");
    }
}
