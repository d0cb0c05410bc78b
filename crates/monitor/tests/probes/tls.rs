use std::time::Duration;

use loket_monitor::testing::{RawTarget, TlsTarget};
use loket_monitor::{Cause, Kind, Prober};

use crate::{assert_fails, assert_ok, check, probe};

const DAY: i64 = 86_400;

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

#[tokio::test]
async fn a_valid_certificate() {
    let target = TlsTarget::start(90);
    let prober = Prober::with_roots(vec![target.ca()]);
    let outcome = check(&prober, &probe(Kind::Tls, &target.target(), None)).await;
    assert_ok(&outcome);
    assert_eq!(outcome.cert_not_after, Some(target.not_after()));
    assert!(outcome.detail.starts_with("certificate valid until ") && outcome.detail.ends_with(" days)"), "{outcome:?}");
}

#[tokio::test]
async fn a_short_lived_certificate() {
    let target = TlsTarget::start(1);
    let prober = Prober::with_roots(vec![target.ca()]);
    let outcome = check(&prober, &probe(Kind::Tls, &target.target(), None)).await;
    assert_fails(&outcome, Cause::Certificate);
    let at = outcome.cert_not_after.unwrap();
    assert!((at - (now() + DAY)).abs() < 120, "{outcome:?}");
    assert!(
        outcome.detail.starts_with("certificate expires ")
            && (outcome.detail.ends_with("(less than a day)") || outcome.detail.ends_with("(1 day)")),
        "{outcome:?}"
    );
    // With a margin of 0 days the same certificate is fine.
    let mut p = probe(Kind::Tls, &target.target(), None);
    p.cert_days = 0;
    assert_ok(&check(&prober, &p).await);
}

#[tokio::test]
async fn an_expired_certificate() {
    let target = TlsTarget::start(-3);
    let prober = Prober::with_roots(vec![target.ca()]);
    let outcome = check(&prober, &probe(Kind::Tls, &target.target(), None)).await;
    assert_fails(&outcome, Cause::Certificate);
    assert_eq!(outcome.cert_not_after, Some(target.not_after()));
    assert!(outcome.detail.starts_with("certificate expired ") && outcome.detail.ends_with("(3 days ago)"), "{outcome:?}");
    // Expired and untrusted: the trust is what is wrong.
    assert_fails(&check(&Prober::new(), &probe(Kind::Tls, &target.target(), None)).await, Cause::Tls);
}

#[tokio::test]
async fn untrusted_and_by_address() {
    let target = TlsTarget::start(90);
    let untrusted = check(&Prober::new(), &probe(Kind::Tls, &target.target(), None)).await;
    assert_fails(&untrusted, Cause::Tls);
    assert!(untrusted.detail.contains("unknown issuer"), "{untrusted:?}");
    assert_eq!(untrusted.cert_not_after, Some(target.not_after()));
    // An address as the server name, verified against the certificate's IP names.
    let prober = Prober::with_roots(vec![target.ca()]);
    assert_ok(&check(&prober, &probe(Kind::Tls, &format!("127.0.0.1:{}", target.port()), None)).await);
}

#[tokio::test]
async fn down_and_not_tls() {
    let target = TlsTarget::start(90);
    let prober = Prober::with_roots(vec![target.ca()]);
    target.set_up(false);
    assert_fails(&check(&prober, &probe(Kind::Tls, &target.target(), None)).await, Cause::Refused);
    target.set_up(true);
    assert_ok(&check(&prober, &probe(Kind::Tls, &target.target(), None)).await);
    let plain = RawTarget::sending(&b"220 this is not TLS\r\n"[..]);
    let outcome = check(&prober, &probe(Kind::Tls, &format!("localhost:{}", plain.port()), None)).await;
    assert_fails(&outcome, Cause::Tls);
}

#[tokio::test]
async fn a_handshake_that_never_comes_times_out() {
    let silent = RawTarget::silent();
    let mut p = probe(Kind::Tls, &format!("localhost:{}", silent.port()), None);
    p.timeout = Duration::from_secs(1);
    assert_fails(&check(&Prober::new(), &p).await, Cause::Timeout);
}
