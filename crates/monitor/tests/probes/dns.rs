use std::time::Duration;

use loket_monitor::testing::DnsTarget;
use loket_monitor::{Cause, Kind, Prober};

use crate::{assert_fails, assert_ok, check, probe};

fn zone() -> DnsTarget {
    DnsTarget::start(&[
        ("example.test", "A", "192.0.2.10"),
        ("example.test", "A", "192.0.2.11"),
        ("example.test", "MX", "10 mail.example.test"),
        ("example.test", "TXT", "v=spf1 mx -all"),
        ("www.example.test", "CNAME", "example.test"),
    ])
}

#[tokio::test]
async fn answers_and_keywords() {
    let dns = zone();
    let prober = Prober::new();
    let a = check(&prober, &probe(Kind::Dns, &dns.target("example.test", "A"), None)).await;
    assert_ok(&a);
    assert_eq!(a.detail, "A 192.0.2.10, 192.0.2.11");
    assert_ok(&check(&prober, &probe(Kind::Dns, &dns.target("example.test", "A"), Some("192.0.2.11"))).await);
    let wrong = check(&prober, &probe(Kind::Dns, &dns.target("example.test", "A"), Some("198.51.100.1"))).await;
    assert_fails(&wrong, Cause::Keyword);
    assert!(wrong.detail.contains("192.0.2.10"), "{wrong:?}");
    let mx = check(&prober, &probe(Kind::Dns, &dns.target("EXAMPLE.test", "mx"), Some("mail.example.test"))).await;
    assert_ok(&mx);
    assert_eq!(mx.detail, "MX 10 mail.example.test");
    assert_ok(&check(&prober, &probe(Kind::Dns, &dns.target("example.test", "TXT"), Some("spf1 mx"))).await);
    assert_ok(&check(&prober, &probe(Kind::Dns, &dns.target("www.example.test", "CNAME"), Some("example.test"))).await);
}

#[tokio::test]
async fn nxdomain_and_no_record() {
    let dns = zone();
    let prober = Prober::new();
    let nx = check(&prober, &probe(Kind::Dns, &dns.target("nope.example.test", "A"), None)).await;
    assert_fails(&nx, Cause::Dns);
    assert!(nx.detail.starts_with("NXDOMAIN"), "{nx:?}");
    let none = check(&prober, &probe(Kind::Dns, &dns.target("example.test", "AAAA"), None)).await;
    assert_fails(&none, Cause::Dns);
    assert_eq!(none.detail, "no AAAA record");
}

#[tokio::test]
async fn a_server_that_stops_answering_times_out() {
    let dns = zone();
    let prober = Prober::new();
    let mut p = probe(Kind::Dns, &dns.target("example.test", "A"), None);
    p.timeout = Duration::from_secs(1);
    dns.set_up(false);
    assert_fails(&check(&prober, &p).await, Cause::Timeout);
    dns.set_up(true);
    assert_ok(&check(&prober, &p).await);
}

#[tokio::test]
async fn nothing_on_the_port_is_refused_or_a_timeout() {
    let dns = zone();
    let target = dns.target("example.test", "A");
    drop(dns);
    let mut p = probe(Kind::Dns, &target, None);
    p.timeout = Duration::from_secs(1);
    // The ICMP port unreachable comes back on loopback: refused.
    assert_fails(&check(&Prober::new(), &p).await, Cause::Refused);
}
