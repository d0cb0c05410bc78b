//! Monitoring against the SLA, as rules without I/O.
//!
//! - this file: what a monitor is (`Kind`, `Spec` read field by field from the monitors file,
//!   the panel or the API) and where in its interval it is checked (`phase`, `next_slot`);
//! - `state.rs`: a check's result turned into time that was up or down — a failure counts only
//!   once a retry confirms it, and then from the first failed check —, incidents opened and
//!   closed, flapping folded into one incident;
//! - `rollup.rs`: that time cut into UTC hours, local days and local months (the provider's time
//!   zone), maintenance apart, so a month's availability is one read;
//! - `maintenance.rs`: maintenance windows, one-off or recurring in the provider's time zone;
//! - `availability.rs`: a month's availability against the plan's target and the credit the
//!   terms give when it is missed.

pub mod availability;
pub mod maintenance;
pub mod report;
pub mod rollup;
pub mod state;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::named;

named!(
    /// What a monitor checks.
    Kind {
        Http = "http",
        Tcp = "tcp",
        Dns = "dns",
        Tls = "tls",
        Smtp = "smtp",
        Imap = "imap",
    }
);

/// The shortest interval a monitor may have, and the longest.
pub const MIN_INTERVAL_SECS: i64 = 10;
pub const MAX_INTERVAL_SECS: i64 = 86_400;
/// The longest a single check may take.
pub const MAX_TIMEOUT_SECS: i64 = 60;
/// How long a monitor's code may be.
pub const MAX_CODE_LEN: usize = 64;

/// A monitor as configured: checked and normalised, ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spec {
    /// The provider's name for it: letters, digits, `-`, `_` and `.`.
    pub code: String,
    pub name: String,
    pub kind: Kind,
    /// As the kind reads it: a URL for `http`; `host:port` for `tcp` and `tls`;
    /// `name TYPE [@server[:port]]` for `dns`; `smtp://host[:port]`, `smtps://…`,
    /// `imap://host[:port]`, `imaps://…` (or `host[:port]`) for mail.
    pub target: String,
    pub interval_secs: i64,
    pub timeout_secs: i64,
    /// `http`: text the page must contain; `dns`: a value one answer must contain;
    /// `smtp`/`imap`: text the banner must contain.
    pub keyword: Option<String>,
    /// `tls` (and https): a certificate that expires within this many days counts as a failure.
    pub cert_days: i64,
    /// The subscription (service) it watches; none for the provider's own infrastructure.
    pub subscription: Option<i64>,
    /// Shown on the public status page (`/status`).
    pub public: bool,
    /// The customer is told of an incident, not only the provider.
    pub notify_customer: bool,
    /// Checked at all.
    pub active: bool,
}

/// A monitor as written in the monitors file, the panel or the API: every field as text.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpecInput {
    pub name: Option<String>,
    pub kind: String,
    pub target: String,
    /// `"60 seconds"`, `"5 minutes"`; 60 seconds when not given.
    pub interval: Option<String>,
    /// 10 seconds (at most the interval) when not given.
    pub timeout: Option<String>,
    pub keyword: Option<String>,
    /// Days before a certificate's expiry that count as a failure (14 when not given).
    pub cert_days: Option<i64>,
    pub subscription: Option<i64>,
    #[serde(default)]
    pub public: bool,
    #[serde(default)]
    pub notify_customer: bool,
    pub active: Option<bool>,
}

impl SpecInput {
    /// The monitor `code` as it will be stored, or every field at fault (`prefix` names where it
    /// was written, e.g. `monitors.web-1`).
    pub fn check(&self, prefix: &str, code: &str) -> Result<Spec, Vec<FieldError>> {
        let f = |name: &str| if prefix.is_empty() { name.to_string() } else { format!("{prefix}.{name}") };
        let mut errors = Vec::new();
        let code = code.trim();
        if code.is_empty() || code.len() > MAX_CODE_LEN || !code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            errors.push(FieldError::new(f("code"), format!("a monitor's code has 1 to {MAX_CODE_LEN} letters, digits, '-', '_' or '.'")));
        }
        let kind = Kind::parse(&self.kind);
        if kind.is_none() {
            errors.push(FieldError::new(f("kind"), format!("`{}` is not one of {}", crate::input::sample(&self.kind), Kind::names())));
        }
        let interval = match self.interval.as_deref() {
            None => 60,
            Some(s) => match crate::input::duration(&f("interval"), s) {
                Ok(d) if (MIN_INTERVAL_SECS..=MAX_INTERVAL_SECS).contains(&d.as_secs()) => d.as_secs(),
                Ok(_) => {
                    errors.push(FieldError::new(f("interval"), "an interval is between 10 seconds and 1 day"));
                    60
                }
                Err(e) => {
                    errors.push(e);
                    60
                }
            },
        };
        let timeout = match self.timeout.as_deref() {
            None => 10.min(interval - 1),
            Some(s) => match crate::input::duration(&f("timeout"), s) {
                Ok(d) if d.as_secs() >= 1 && d.as_secs() <= MAX_TIMEOUT_SECS && d.as_secs() < interval => d.as_secs(),
                Ok(_) => {
                    errors.push(FieldError::new(f("timeout"), "a time-out is between 1 and 60 seconds and shorter than the interval"));
                    10
                }
                Err(e) => {
                    errors.push(e);
                    10
                }
            },
        };
        let target = self.target.trim().to_string();
        if let Some(kind) = kind
            && let Err(message) = check_target(kind, &target)
        {
            errors.push(FieldError::new(f("target"), message));
        }
        let keyword = self.keyword.as_deref().map(str::trim).filter(|k| !k.is_empty()).map(str::to_string);
        if let Some(k) = &keyword {
            if k.chars().count() > 200 || k.chars().any(char::is_control) {
                errors.push(FieldError::new(f("keyword"), "a keyword is one line of at most 200 characters"));
            }
            if matches!(kind, Some(Kind::Tcp | Kind::Tls)) {
                errors.push(FieldError::new(f("keyword"), "a tcp or tls monitor has no keyword"));
            }
        }
        let cert_days = self.cert_days.unwrap_or(14);
        if !(0..=365).contains(&cert_days) {
            errors.push(FieldError::new(f("cert_days"), "between 0 and 365 days"));
        }
        let name = self.name.as_deref().map(str::trim).filter(|n| !n.is_empty()).unwrap_or(code).to_string();
        if name.chars().count() > 120 || name.chars().any(char::is_control) {
            errors.push(FieldError::new(f("name"), "a name is one line of at most 120 characters"));
        }
        if self.subscription.is_some_and(|id| id <= 0) {
            errors.push(FieldError::new(f("subscription"), "a subscription's id is a positive number"));
        }
        match kind {
            Some(kind) if errors.is_empty() => Ok(Spec {
                code: code.to_string(),
                name,
                kind,
                target,
                interval_secs: interval,
                timeout_secs: timeout,
                keyword,
                cert_days,
                subscription: self.subscription,
                public: self.public,
                notify_customer: self.notify_customer,
                active: self.active.unwrap_or(true),
            }),
            _ => Err(errors),
        }
    }
}

/// Whether `target` is one a monitor of `kind` can check; the message says what was expected.
pub fn check_target(kind: Kind, target: &str) -> Result<(), String> {
    if target.is_empty() || target.len() > 500 || target.chars().any(|c| c.is_control()) {
        return Err("a target is one line of at most 500 characters".into());
    }
    match kind {
        Kind::Http => {
            let rest = target
                .strip_prefix("https://")
                .or_else(|| target.strip_prefix("http://"))
                .ok_or("an http target is a URL starting with http:// or https://")?;
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            host_port(host, None).map(|_| ())
        }
        Kind::Tcp => host_port(target, None).and_then(|(_, p)| p.map(|_| ()).ok_or_else(|| "a tcp target is host:port".to_string())),
        Kind::Tls => host_port(target, Some(443)).map(|_| ()),
        Kind::Smtp | Kind::Imap => mail_target(kind, target).map(|_| ()),
        Kind::Dns => DnsQuery::parse(target).map(|_| ()),
    }
}

/// A host (name, IPv4, or IPv6 in brackets) and optional port.
pub fn host_port(s: &str, default_port: Option<u16>) -> Result<(String, Option<u16>), String> {
    let bad = || format!("`{}` is not host or host:port", crate::input::sample(s));
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let (h, after) = rest.split_once(']').ok_or_else(bad)?;
        (h, after.strip_prefix(':'))
    } else {
        match s.rsplit_once(':') {
            Some((h, p)) if !h.contains(':') => (h, Some(p)),
            _ => (s, None),
        }
    };
    if host.is_empty() || host.len() > 253 || !host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':' | '_')) {
        return Err(bad());
    }
    let port = match port {
        Some(p) => Some(p.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(bad)?),
        None => default_port,
    };
    Ok((host.to_string(), port))
}

/// How a mail monitor connects: host, port and whether TLS starts at once (`smtps`, `imaps`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailTarget {
    pub host: String,
    pub port: u16,
    pub implicit_tls: bool,
}

pub fn mail_target(kind: Kind, target: &str) -> Result<MailTarget, String> {
    let (scheme, rest) = match target.split_once("://") {
        Some((s, r)) => (s.to_ascii_lowercase(), r),
        None => (kind.name().to_string(), target),
    };
    let (implicit_tls, default_port) = match (kind, scheme.as_str()) {
        (Kind::Smtp, "smtp") => (false, 25),
        (Kind::Smtp, "smtps") => (true, 465),
        (Kind::Imap, "imap") => (false, 143),
        (Kind::Imap, "imaps") => (true, 993),
        _ => return Err(format!("a {kind} target is {kind}://host[:port] or {kind}s://host[:port]")),
    };
    let (host, port) = host_port(rest.trim_end_matches('/'), Some(default_port))?;
    Ok(MailTarget { host, port: port.unwrap_or(default_port), implicit_tls })
}

named!(
    /// The record types a DNS monitor can ask for.
    RecordType {
        A = "A",
        Aaaa = "AAAA",
        Cname = "CNAME",
        Mx = "MX",
        Txt = "TXT",
        Ns = "NS",
    }
);

/// A DNS monitor's question: `example.nl A`, optionally `@192.0.2.53` or `@192.0.2.53:5353`
/// (the system's resolver when not given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsQuery {
    pub name: String,
    pub record: RecordType,
    pub server: Option<(String, u16)>,
}

impl DnsQuery {
    pub fn parse(target: &str) -> Result<DnsQuery, String> {
        let mut parts = target.split_whitespace();
        let usage = || "a dns target is `name TYPE` or `name TYPE @server[:port]`, TYPE one of A, AAAA, CNAME, MX, TXT, NS".to_string();
        let name = parts.next().ok_or_else(usage)?;
        let record = parts.next().and_then(|t| RecordType::parse(&t.to_ascii_uppercase())).ok_or_else(usage)?;
        let server = match parts.next() {
            None => None,
            Some(s) => {
                let s = s.strip_prefix('@').ok_or_else(usage)?;
                let (h, p) = host_port(s, Some(53))?;
                Some((h, p.unwrap_or(53)))
            }
        };
        if parts.next().is_some() {
            return Err(usage());
        }
        let name = name.trim_end_matches('.');
        if name.is_empty()
            || name.len() > 253
            || !name
                .split('.')
                .all(|l| !l.is_empty() && l.len() <= 63 && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        {
            return Err(format!("`{}` is not a domain name", crate::input::sample(name)));
        }
        Ok(DnsQuery { name: name.to_ascii_lowercase(), record, server })
    }
}

/// Where in its interval a monitor is checked: spread evenly by its code, so 10,000 monitors of
/// one interval do not all start in the same second.
pub fn phase_ms(code: &str, interval_secs: i64) -> i64 {
    // FNV-1a: stable across builds and platforms.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in code.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h % (interval_secs.max(1) as u64 * 1000)) as i64
}

/// The first slot of a monitor strictly after `after_ms` (milliseconds since the epoch).
pub fn next_slot_ms(code: &str, interval_secs: i64, after_ms: i64) -> i64 {
    let period = interval_secs.max(1) * 1000;
    let phase = phase_ms(code, interval_secs);
    let k = (after_ms - phase).div_euclid(period) + 1;
    phase + k * period
}

impl fmt::Display for Spec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} {})", self.code, self.kind, self.target)
    }
}

#[cfg(test)]
mod tests;
