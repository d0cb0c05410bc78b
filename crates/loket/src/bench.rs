//! `loket bench …`: fixed-size measurements whose figures go into issue notes. They run
//! against whatever database `--data-dir` / `--database-url` name: give them a fresh one.

use std::sync::Arc;
use std::time::Instant;

use loket_store::audit::{self, Actor, ActorKind, Change};
use loket_store::jobs::{NewJob, WorkerConfig, enqueue, run_worker};
use tokio::sync::{Notify, watch};

use crate::app::App;
use crate::handlers::{self, NOOP_JOB};

/// Enqueues `count` no-op jobs (in transactions of 1,000) and runs them with the real worker.
pub async fn jobs(app: &App, count: u64, workers: usize) -> anyhow::Result<()> {
    let before = app.store.job_counts().await?;
    anyhow::ensure!(before.queued == 0 && before.running == 0, "the queue is not empty: run the benchmark on a fresh database");
    let started = Instant::now();
    let mut left = count;
    let mut n = 0u64;
    while left > 0 {
        let batch = left.min(1000);
        let mut tx = app.store.begin().await?;
        for _ in 0..batch {
            n += 1;
            enqueue(&mut tx, &NewJob::new(NOOP_JOB, serde_json::json!({ "n": n })).key(format!("bench:{}:{n}", std::process::id())))
                .await?;
        }
        tx.commit().await?;
        left -= batch;
    }
    let enqueue_secs = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let (stop_tx, stop_rx) = watch::channel(false);
    let config = WorkerConfig {
        node: "bench".into(),
        concurrency: workers.max(1),
        poll_interval: std::time::Duration::from_millis(20),
        ..WorkerConfig::default()
    };
    let worker = tokio::spawn(run_worker(app.store.clone(), handlers::registry(app), config, Arc::new(Notify::new()), stop_rx));
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let c = app.store.job_counts().await?;
        if c.queued == 0 && c.running == 0 {
            break;
        }
    }
    let run_secs = started.elapsed().as_secs_f64();
    let _ = stop_tx.send(true);
    worker.await?;
    let dead = app.store.job_counts().await?.dead;
    anyhow::ensure!(dead == 0, "{dead} jobs died");
    let backend = format!("{:?}", app.store.backend()).to_lowercase();
    println!(
        "jobs: {count} no-op jobs on {backend}: enqueued in {enqueue_secs:.2} s ({:.0} jobs/s), run in {run_secs:.2} s ({:.0} jobs/s) with {workers} workers; together {:.0} jobs/s",
        count as f64 / enqueue_secs,
        count as f64 / run_secs,
        count as f64 / (enqueue_secs + run_secs)
    );
    Ok(())
}

/// Grows the database to at least `megabytes` with audit entries of about 1 KiB (for the
/// cold-start benchmark on a large database).
pub async fn fill(app: &App, megabytes: i64) -> anyhow::Result<()> {
    let target = megabytes * 1024 * 1024;
    let actor = Actor::new(ActorKind::System, "bench");
    let filler = "x".repeat(900);
    let started = Instant::now();
    let mut rows = 0u64;
    while app.store.size_bytes().await? < target {
        let mut tx = app.store.begin().await?;
        for _ in 0..5000 {
            rows += 1;
            let change = Change {
                actor: &actor,
                action: "bench.fill",
                entity: "bench",
                entity_id: Some(rows.to_string()),
                before: None,
                after: Some(serde_json::json!({ "row": rows, "filler": filler })),
                request_id: None,
            };
            audit::record(&mut tx, &change).await?;
        }
        tx.commit().await?;
    }
    println!("fill: {rows} rows, database {} MiB, {:.1} s", app.store.size_bytes().await? / 1024 / 1024, started.elapsed().as_secs_f64());
    Ok(())
}
