//! Mail through the outbox and a real SMTP server (aiosmtpd): only committed changes send mail,
//! each message arrives exactly once even with two nodes, and a node killed mid-delivery leaves
//! the message to the next one.

use crate::support;

use std::time::Duration;

use loket_domain::{Language, ProviderIdentity};
use loket_mail::Composer;
use loket_store::Store;
use loket_store::jobs::JobState;
use loket_store::outbox::{OutgoingMail, enqueue_mail};
use support::{SinkOptions, SmtpSink, TestEnv, header, wait_until};

fn composer() -> Composer {
    Composer::new(ProviderIdentity::demo(), "Loket Demo Hosting <administratie@demo.loket.test>").unwrap()
}

fn outgoing(to: &str, lang: Language) -> OutgoingMail {
    let m = composer().compose("test", lang, &[to], serde_json::json!({ "when": "now" })).unwrap();
    OutgoingMail {
        message_id: m.message_id,
        template: m.template,
        language: lang.code().into(),
        mail_from: m.from,
        rcpt_to: m.to,
        subject: m.subject,
        raw: m.raw,
    }
}

async fn queue(store: &Store, mails: &[OutgoingMail]) -> Vec<i64> {
    let mut tx = store.begin().await.unwrap();
    let mut ids = Vec::new();
    for m in mails {
        ids.push(enqueue_mail(&mut tx, m).await.unwrap());
    }
    tx.commit().await.unwrap();
    ids
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rolled_back_change_sends_nothing_and_a_committed_one_sends_exactly_once() {
    let env = TestEnv::new().await;
    let sink = SmtpSink::start(env.path(), SinkOptions::default());
    let store = env.store().await;

    let mut tx = store.begin().await.unwrap();
    enqueue_mail(&mut tx, &outgoing("rolled-back@example.nl", Language::Nl)).await.unwrap();
    tx.rollback().await.unwrap();
    let committed = outgoing("klant@example.nl", Language::Nl);
    let ids = queue(&store, std::slice::from_ref(&committed)).await;

    let server = env.serve(&[], &sink.env());
    let messages = sink.wait_for(1, Duration::from_secs(30));
    wait_until("outbox marked sent", Duration::from_secs(10), || async { store.mail(ids[0]).await.unwrap().unwrap().state == "sent" })
        .await;
    support::drained(&store).await;
    let messages_after = sink.messages();
    assert_eq!(messages_after.len(), 1, "exactly one message: {messages:?}");
    let raw = &messages_after[0];
    assert_eq!(header(raw, "X-Sink-Rcpt-To"), Some("klant@example.nl"));
    assert_eq!(header(raw, "X-Sink-Mail-From"), Some("administratie@demo.loket.test"));
    assert_eq!(header(raw, "Message-ID"), Some(committed.message_id.as_str()));
    assert_eq!(header(raw, "Subject"), Some("Testbericht van Loket Demo Hosting"));
    assert_eq!(header(raw, "Auto-Submitted"), Some("auto-generated"));
    assert_eq!(header(raw, "Content-Language"), Some("nl"));
    assert!(header(raw, "Date").is_some());
    assert!(raw.contains("multipart/alternative") && raw.contains("text/plain") && raw.contains("text/html"));
    assert_eq!(store.jobs(Some(JobState::Done), 10).await.unwrap().iter().filter(|j| j.kind == "mail.deliver").count(), 1);
    // The job's change is in the audit log, with the job as actor.
    let q =
        loket_store::audit::AuditQuery { entity: Some("outbox".into()), entity_id: Some(ids[0].to_string()), before_id: None, limit: 10 };
    let entries = store.audit_entries(&q).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!((entries[0].action.as_str(), entries[0].actor_kind.as_str()), ("mail.sent", "job"));
    assert!(entries[0].actor_id.as_deref().unwrap().starts_with("mail.deliver#"));
    assert_eq!(entries[0].before, Some(serde_json::json!({ "state": "queued" })));
    drop(server);
}

#[tokio::test(flavor = "multi_thread")]
async fn two_nodes_deliver_every_message_exactly_once() {
    let env = TestEnv::new().await;
    let sink = SmtpSink::start(env.path(), SinkOptions::default());
    let store = env.store().await;
    let n = 120;
    let mails: Vec<_> = (0..n).map(|i| outgoing(&format!("klant{i}@example.nl"), Language::ALL[i % 3])).collect();
    queue(&store, &mails).await;
    let a = env.serve_process(&[], &sink.env());
    let b = env.serve_process(&[], &sink.env());
    sink.wait_for(n, Duration::from_secs(120));
    wait_until("all sent", Duration::from_secs(30), || async { store.mails(1000).await.unwrap().iter().all(|m| m.state == "sent") }).await;
    support::drained(&store).await;
    let messages = sink.messages();
    assert_eq!(messages.len(), n);
    let mut ids: Vec<_> = messages.iter().map(|m| header(m, "Message-ID").unwrap().to_string()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "a message arrived twice");
    // Both nodes took part.
    let owners = [a.log(), b.log()].map(|log| log.matches("mail delivered").count());
    assert_eq!(owners[0] + owners[1], n, "{owners:?}");
    assert!(owners[0] > 0 && owners[1] > 0, "both nodes should deliver: {owners:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_node_killed_mid_delivery_leaves_the_message_to_the_next_node() {
    let env = TestEnv::new().await;
    // The server holds the first DATA for 60 s: long enough to kill the sender mid-delivery.
    let sink = SmtpSink::start(env.path(), SinkOptions { delay_first: Some(60.0), ..SinkOptions::default() });
    let store = env.store().await;
    let ids = queue(&store, &[outgoing("klant@example.nl", Language::En)]).await;
    let mut env_vars = sink.env();
    env_vars.push(("LOKET_JOBS_LEASE_SECONDS", "3".into()));

    let mut first = env.serve_process(&[], &env_vars);
    let started = sink.maildir.join("data-started");
    wait_until("delivery under way", Duration::from_secs(30), || async { started.exists() }).await;
    first.kill();
    let job = store.jobs(None, 10).await.unwrap().into_iter().find(|j| j.kind == "mail.deliver").unwrap();
    assert_eq!((job.state, job.attempts), (JobState::Running, 1), "killed while running");
    assert!(sink.messages().is_empty(), "not delivered by the killed node");

    let second = env.serve_process(&[], &env_vars);
    sink.wait_for(1, Duration::from_secs(60));
    wait_until("job done", Duration::from_secs(30), || async { store.job(job.id).await.unwrap().unwrap().state == JobState::Done }).await;
    support::drained(&store).await;
    assert_eq!(sink.messages().len(), 1);
    let job = store.job(job.id).await.unwrap().unwrap();
    assert_eq!(job.attempts, 2);
    assert_eq!(store.mail(ids[0]).await.unwrap().unwrap().state, "sent");
    assert!(second.log().contains("recovered jobs whose worker stopped"), "{}", second.log());
}

#[tokio::test(flavor = "multi_thread")]
async fn starttls_with_authentication_and_a_refused_login() {
    let env = TestEnv::new().await;
    let (cert, key) = (env.path().join("cert.pem"), env.path().join("key.pem"));
    let made = std::process::Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl");
    assert!(made.status.success());
    let sink = SmtpSink::start(
        env.path(),
        SinkOptions { auth: Some(("loket".into(), "s3cret".into())), tls: Some((cert, key)), ..SinkOptions::default() },
    );
    let settings = |password: &str| {
        vec![
            ("LOKET_MAIL_SMTP_HOST", "127.0.0.1".to_string()),
            ("LOKET_MAIL_SMTP_PORT", sink.port.to_string()),
            ("LOKET_MAIL_SMTP_SECURITY", "starttls".into()),
            ("LOKET_MAIL_SMTP_USERNAME", "loket".into()),
            ("LOKET_MAIL_SMTP_PASSWORD", password.into()),
            ("LOKET_MAIL_SMTP_ACCEPT_INVALID_CERTS", "true".into()),
        ]
    };
    let mut ok = env.cmd();
    ok.args(["mail", "test", "--to", "ops@example.it", "--lang", "it"]).envs(settings("s3cret"));
    let out = ok.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("delivered to ops@example.it"));
    let messages = sink.wait_for(1, Duration::from_secs(10));
    assert_eq!(header(&messages[0], "Subject"), Some("Messaggio di prova da Loket Demo Hosting"));

    let mut bad = env.cmd();
    bad.args(["mail", "test", "--to", "ops@example.it"]).envs(settings("wrong"));
    let out = bad.output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("failed") && err.contains("535"), "{err}");
    let store = env.store().await;
    let dead = store.jobs(Some(JobState::Dead), 10).await.unwrap();
    assert_eq!(dead.len(), 1, "a refused login is a dead letter, not endless retries");
    let failed = store.mails(10_000).await.unwrap().into_iter().find(|m| m.state == "failed").expect("a failed mail");
    assert!(failed.last_error.as_deref().unwrap().contains("535"));
    let audit = env.ok(&["audit", "list", "--entity", "outbox"]);
    assert!(audit.contains("mail.failed") && audit.contains("mail.sent"), "{audit}");
    assert_eq!(sink.messages().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_smtp_mail_is_written_to_mail_out() {
    let env = TestEnv::new().await;
    let out = env.ok(&["mail", "test", "--to", "klant@example.nl"]);
    assert!(out.contains("written to"), "{out}");
    let files: Vec<_> = std::fs::read_dir(env.path().join("mail-out")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].extension().unwrap(), "eml");
    let raw = std::fs::read_to_string(&files[0]).unwrap();
    assert_eq!(header(&raw, "To"), Some("klant@example.nl"));
    assert_eq!(header(&raw, "Subject"), Some("Testbericht van Loket Demo Hosting"));
    let audit = env.ok(&["audit", "list", "--entity", "outbox"]);
    assert!(audit.contains("mail.test"), "{audit}");
}
