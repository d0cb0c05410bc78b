use loket_monitor::local::HttpTarget;
use loket_monitor::testing::{RawTarget, TlsTarget};
use loket_monitor::{Cause, Kind, Prober};

use crate::{assert_fails, assert_ok, check, probe};

#[tokio::test]
async fn up_down_and_keyword() {
    let target = HttpTarget::start("all systems OK");
    let prober = Prober::new();
    let url = target.url("/health");
    let up = check(&prober, &probe(Kind::Http, &url, None)).await;
    assert_ok(&up);
    assert_eq!(up.detail, "HTTP 200");
    assert_eq!(up.cert_not_after, None);
    assert_ok(&check(&prober, &probe(Kind::Http, &url, Some("systems OK"))).await);
    let missing = check(&prober, &probe(Kind::Http, &url, Some("Welkom"))).await;
    assert_fails(&missing, Cause::Keyword);
    assert!(missing.detail.contains("keyword `Welkom` not found"), "{missing:?}");

    target.set_up(false);
    let down = check(&prober, &probe(Kind::Http, &url, None)).await;
    assert_fails(&down, Cause::Status);
    assert_eq!(down.detail, "HTTP 503 Service Unavailable");
    target.set_up(true);
    target.set_body("changed");
    assert_fails(&check(&prober, &probe(Kind::Http, &url, Some("systems OK"))).await, Cause::Keyword);
    assert_ok(&check(&prober, &probe(Kind::Http, &url, Some("changed"))).await);
    // The pooled connection was used again rather than one per check.
    assert!(target.requests() >= 6);
}

#[tokio::test]
async fn redirects_followed_up_to_five() {
    let target = HttpTarget::start("landed");
    let prober = Prober::new();
    let followed = check(&prober, &probe(Kind::Http, &target.url("/redirect/3"), Some("landed"))).await;
    assert_ok(&followed);
    assert_eq!(followed.detail, "HTTP 200");
    let looping = check(&prober, &probe(Kind::Http, &target.url("/redirect/9"), None)).await;
    assert_fails(&looping, Cause::Status);
    assert!(looping.detail.contains("redirects"), "{looping:?}");
}

#[tokio::test]
async fn refused_when_nothing_listens() {
    let target = HttpTarget::start("x");
    let url = target.url("/");
    drop(target);
    assert_fails(&check(&Prober::new(), &probe(Kind::Http, &url, None)).await, Cause::Refused);
}

#[tokio::test]
async fn a_silent_server_times_out() {
    let silent = RawTarget::silent();
    let mut p = probe(Kind::Http, &format!("http://127.0.0.1:{}/", silent.port()), None);
    p.timeout = std::time::Duration::from_secs(1);
    let outcome = check(&Prober::new(), &p).await;
    assert_fails(&outcome, Cause::Timeout);
    assert_eq!(outcome.latency_ms, 1000);
    assert_eq!(outcome.detail, "no answer within 1 s");
}

#[tokio::test]
async fn https_reports_the_certificate() {
    let good = TlsTarget::start(90);
    let prober = Prober::with_roots(vec![good.ca()]);
    let outcome = check(&prober, &probe(Kind::Http, &good.url(), Some("ok"))).await;
    assert_ok(&outcome);
    assert_eq!(outcome.cert_not_after, Some(good.not_after()));
    assert!(outcome.detail.starts_with("HTTP 200, certificate valid until "), "{outcome:?}");

    let short = TlsTarget::start(1);
    let prober = Prober::with_roots(vec![short.ca()]);
    let outcome = check(&prober, &probe(Kind::Http, &short.url(), None)).await;
    assert_fails(&outcome, Cause::Certificate);
    assert_eq!(outcome.cert_not_after, Some(short.not_after()));

    let untrusted = check(&Prober::new(), &probe(Kind::Http, &good.url(), None)).await;
    assert_fails(&untrusted, Cause::Tls);
}
