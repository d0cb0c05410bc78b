//! After a large run (issue 8, defects 12 and 13): notifications are mailed in bounded slices by
//! one job at a time, so a node stops within seconds and nothing is mailed twice; `/health`
//! answers on a connection of its own while every pooled connection waits on a slow query.

use crate::support;

use std::time::{Duration, Instant};

use loket_domain::billing::notice::{Notice, Reactivated};
use loket_store::billing::payments;
use support::world::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_backlog_of_notifications_is_mailed_in_slices_and_a_node_stops_at_once() {
    let mut w = World::new("ecm2").await;
    let c = w.customer(nl_business("Bakkerij Jansen")).await;
    w.server.stop();
    let store = w.env.store().await;
    let before = store.mails(10_000).await.unwrap().len();
    // 2,500 notifications, as a large billing run leaves them.
    let mut tx = store.begin().await.unwrap();
    for chunk in 0..5 {
        let rows: Vec<(i64, Notice)> = (0..500)
            .map(|i| (c, Notice::Reactivated(Reactivated { fee_invoice: Some(format!("F2026-{:05}", chunk * 500 + i)) })))
            .collect();
        payments::notify(&mut tx, &rows).await.unwrap();
    }
    loket_store::commit(tx).await.unwrap();
    let queued = store.jobs(Some(loket_store::jobs::JobState::Queued), 100).await.unwrap();
    assert_eq!(queued.iter().filter(|j| j.kind == payments::NOTIFY_JOB).count(), 1, "one job for the whole backlog");

    // A node starts on it; asked to stop, it stops within seconds, in the middle of the backlog.
    let mut node = w.env.serve_process(&["--config", &w.config], &[("LOKET_SCHEDULE_BILLING_RUN", "off".into())]);
    let started = Instant::now();
    loop {
        let mailed = store.mails(10_000).await.unwrap().len();
        if mailed > before {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "nothing mailed");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let asked = Instant::now();
    node.terminate(Duration::from_secs(10));
    assert!(asked.elapsed() < Duration::from_secs(5), "stopped in {:?}", asked.elapsed());
    let mailed = store.mails(10_000).await.unwrap().len() - before;
    assert!(mailed < 2500, "it stopped before the end of the backlog ({mailed} mailed)");

    // The rest follows; each notification becomes exactly one message.
    w.env.ok(&["--config", &w.config, "jobs", "run"]);
    let mails = store.mails(10_000).await.unwrap();
    let notes = store.notifications(c, 10_000).await.unwrap();
    assert_eq!(notes.len(), 2500);
    assert!(notes.iter().all(|n| n.mailed), "every notification mailed");
    assert_eq!(mails.iter().filter(|m| m.template == "billing-reactivated").count(), 2500, "and each once");
}

#[tokio::test(flavor = "multi_thread")]
async fn health_answers_while_every_pooled_connection_waits() {
    let w = World::with("ecm2", &[("LOKET_SERVER_DATABASE_MAX_CONNECTIONS", "2".into())]).await;
    if !w.env.is_postgres() {
        // SQLite's readers never wait for a writer (WAL), so a query cannot be held up from
        // outside the process; the PostgreSQL run of this suite covers it.
        return;
    }
    let c = w.customer(nl_business("Bakkerij Jansen")).await;
    w.subscribe(c, "hosting-basis", "jansen.nl", "2027-01-01").await;
    w.run("2027-01-01", "2027-01-01");
    // Another session locks the invoices: every request that reads them waits, holding a
    // pooled connection.
    let store = w.env.store().await;
    let mut locker = store.begin().await.unwrap();
    sqlx::query("LOCK TABLE invoices IN ACCESS EXCLUSIVE MODE").execute(&mut *locker).await.unwrap();
    let slow: Vec<_> = (0..4)
        .map(|_| {
            let (http, url, token) = (w.http.clone(), w.server.url("/api/v1/invoices"), w.token.clone());
            tokio::spawn(async move { http.get(url).bearer_auth(token).send().await.map(|r| r.status().as_u16()) })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let started = Instant::now();
    let health = reqwest::get(w.server.url("/health")).await.unwrap();
    assert_eq!(health.status(), 200, "{}", health.text().await.unwrap());
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    locker.rollback().await.unwrap();
    for s in slow {
        assert_eq!(s.await.unwrap().unwrap(), 200, "the waiting requests finish once the lock goes");
    }
}
