use loket_monitor::local::TcpTarget;
use loket_monitor::{Cause, Kind, Prober};

use crate::{assert_fails, assert_ok, check, probe};

#[tokio::test]
async fn up_down_and_up_again() {
    let target = TcpTarget::start();
    let prober = Prober::new();
    let p = probe(Kind::Tcp, &target.target(), None);
    let up = check(&prober, &p).await;
    assert_ok(&up);
    assert!(up.detail.starts_with("connected to 127.0.0.1:"), "{up:?}");
    target.set_up(false);
    let down = check(&prober, &p).await;
    assert_fails(&down, Cause::Refused);
    assert_eq!(down.detail, "connection refused");
    target.set_up(true);
    assert_ok(&check(&prober, &p).await);
    // By name too.
    assert_ok(&check(&prober, &probe(Kind::Tcp, &format!("localhost:{}", target.port()), None)).await);
}

#[tokio::test]
async fn a_target_without_port_is_an_outcome() {
    let outcome = check(&Prober::new(), &probe(Kind::Tcp, "127.0.0.1", None)).await;
    assert_fails(&outcome, Cause::Protocol);
}

/// A plain #[test]: the target needs no runtime of the test's; the check gets one of its own.
#[test]
fn from_a_plain_test() {
    let target = TcpTarget::start();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let outcome = runtime.block_on(Prober::new().check(&probe(Kind::Tcp, &target.target(), None)));
    assert!(outcome.ok, "{outcome:?}");
}
