use std::time::Duration;

use loket_monitor::testing::{IMAP_BANNER, ImapTarget, MailTls, RawTarget, SMTP_BANNER, SmtpTarget};
use loket_monitor::{Cause, Kind, Prober};

use crate::{assert_fails, assert_ok, check, probe};

#[tokio::test]
async fn smtp_with_starttls() {
    let server = SmtpTarget::start(true);
    let prober = Prober::with_roots(vec![server.ca()]);
    let outcome = check(&prober, &probe(Kind::Smtp, &server.target(), Some("loket-test"))).await;
    assert_ok(&outcome);
    assert!(outcome.detail.starts_with("STARTTLS, certificate valid until "), "{outcome:?}");
    assert_eq!(outcome.cert_not_after, Some(server.not_after()));
    let missing = check(&prober, &probe(Kind::Smtp, &server.target(), Some("Postfix"))).await;
    assert_fails(&missing, Cause::Keyword);
    assert!(missing.detail.contains(SMTP_BANNER), "{missing:?}");
    // STARTTLS offered but the certificate not trusted.
    assert_fails(&check(&Prober::new(), &probe(Kind::Smtp, &server.target(), None)).await, Cause::Tls);
    server.set_up(false);
    assert_fails(&check(&prober, &probe(Kind::Smtp, &server.target(), None)).await, Cause::Refused);
    server.set_up(true);
    assert_ok(&check(&prober, &probe(Kind::Smtp, &server.target(), None)).await);
}

#[tokio::test]
async fn smtp_without_starttls_is_still_ok() {
    let server = SmtpTarget::start(false);
    let outcome = check(&Prober::new(), &probe(Kind::Smtp, &server.target(), Some("ESMTP"))).await;
    assert_ok(&outcome);
    assert_eq!(outcome.detail, "no STARTTLS");
    assert_eq!(outcome.cert_not_after, None);
}

#[tokio::test]
async fn smtps_and_a_short_lived_certificate() {
    let server = SmtpTarget::start_with(MailTls::Implicit, 1);
    assert!(server.target().starts_with("smtps://"));
    let prober = Prober::with_roots(vec![server.ca()]);
    let outcome = check(&prober, &probe(Kind::Smtp, &server.target(), None)).await;
    assert_fails(&outcome, Cause::Certificate);
    assert_eq!(outcome.cert_not_after, Some(server.not_after()));
    let mut relaxed = probe(Kind::Smtp, &server.target(), Some("loket-test"));
    relaxed.cert_days = 0;
    let outcome = check(&prober, &relaxed).await;
    assert_ok(&outcome);
    assert!(outcome.detail.starts_with("TLS, certificate valid until "), "{outcome:?}");
}

#[tokio::test]
async fn imap_with_and_without_starttls() {
    let server = ImapTarget::start(true);
    let prober = Prober::with_roots(vec![server.ca()]);
    let outcome = check(&prober, &probe(Kind::Imap, &server.target(), Some("IMAP ready"))).await;
    assert_ok(&outcome);
    assert!(outcome.detail.starts_with("STARTTLS, "), "{outcome:?}");
    assert_eq!(outcome.cert_not_after, Some(server.not_after()));
    let missing = check(&prober, &probe(Kind::Imap, &server.target(), Some("Dovecot"))).await;
    assert_fails(&missing, Cause::Keyword);
    assert!(missing.detail.contains(IMAP_BANNER), "{missing:?}");

    let plain = ImapTarget::start(false);
    let outcome = check(&prober, &probe(Kind::Imap, &plain.target(), None)).await;
    assert_ok(&outcome);
    assert_eq!(outcome.detail, "no STARTTLS");
    plain.set_up(false);
    assert_fails(&check(&prober, &probe(Kind::Imap, &plain.target(), None)).await, Cause::Refused);
}

#[tokio::test]
async fn imaps() {
    let server = ImapTarget::start_with(MailTls::Implicit, 60);
    let prober = Prober::with_roots(vec![server.ca()]);
    let outcome = check(&prober, &probe(Kind::Imap, &server.target(), Some("loket-test"))).await;
    assert_ok(&outcome);
    assert!(outcome.detail.starts_with("TLS, "), "{outcome:?}");
    // An IMAP server probed as SMTP: a bad banner.
    let wrong = check(&prober, &probe(Kind::Smtp, &format!("smtps://localhost:{}", server.port()), None)).await;
    assert_fails(&wrong, Cause::Protocol);
}

#[tokio::test]
async fn silent_mail_servers_time_out() {
    let silent = RawTarget::silent();
    for (kind, scheme) in [(Kind::Smtp, "smtp"), (Kind::Imap, "imap"), (Kind::Imap, "imaps")] {
        let mut p = probe(kind, &format!("{scheme}://localhost:{}", silent.port()), None);
        p.timeout = Duration::from_secs(1);
        assert_fails(&check(&Prober::new(), &p).await, Cause::Timeout);
    }
}
