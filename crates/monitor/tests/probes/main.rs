//! Every kind of check against the local and test servers of this crate: up, down, keyword,
//! time-out, certificates, and servers that misbehave.

mod dns;
mod hostile;
mod http;
mod mail;
mod tcp;
mod tls;

use std::time::{Duration, Instant};

use loket_monitor::{Cause, Kind, Outcome, Probe, Prober};

pub fn probe(kind: Kind, target: &str, keyword: Option<&str>) -> Probe {
    Probe { kind, target: target.to_string(), timeout: Duration::from_secs(5), keyword: keyword.map(str::to_string), cert_days: 14 }
}

/// The outcome, checked to be consistent and within the time-out.
pub async fn check(prober: &Prober, probe: &Probe) -> Outcome {
    let started = Instant::now();
    let outcome = prober.check(probe).await;
    let took = started.elapsed();
    assert!(took <= probe.timeout + Duration::from_secs(1), "{probe:?} took {took:?}");
    assert!(u128::from(outcome.latency_ms) <= probe.timeout.as_millis(), "{outcome:?}");
    assert_eq!(outcome.ok, outcome.cause.is_none(), "{outcome:?}");
    assert!(!outcome.detail.is_empty() && outcome.detail.chars().count() <= 200, "{outcome:?}");
    assert!(!outcome.detail.chars().any(char::is_control), "{outcome:?}");
    outcome
}

#[track_caller]
pub fn assert_ok(outcome: &Outcome) {
    assert!(outcome.ok, "expected ok: {outcome:?}");
}

#[track_caller]
pub fn assert_fails(outcome: &Outcome, cause: Cause) {
    assert!(!outcome.ok, "expected {cause}: {outcome:?}");
    assert_eq!(outcome.cause, Some(cause), "{outcome:?}");
}
