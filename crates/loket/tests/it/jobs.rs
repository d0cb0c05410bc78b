//! The durable job queue against the real database: leasing by several workers, idempotency
//! keys, retries with backoff, dead letters, and recovery of jobs whose worker died.

use crate::support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use loket_store::Store;
use loket_store::jobs::{BoxFuture, Enqueued, JobError, JobHandler, JobState, Lease, NewJob, Registry, WorkerConfig, run_worker};
use support::{TestEnv, wait_until};
use tokio::sync::{Notify, watch};

/// Records which worker ran which job, and fails the first `fail_first` attempts of each.
#[derive(Clone, Default)]
struct Recorder {
    runs: Arc<Mutex<HashMap<i64, Vec<String>>>>,
    fail_first: i64,
    permanent: bool,
}

impl JobHandler for Recorder {
    fn run<'a>(&'a self, job: &'a Lease) -> BoxFuture<'a, Result<(), JobError>> {
        Box::pin(async move {
            self.runs.lock().unwrap().entry(job.id).or_default().push(job.owner.clone());
            tokio::time::sleep(Duration::from_millis(2)).await;
            if job.attempt <= self.fail_first {
                return Err(if self.permanent {
                    JobError::Permanent("cannot ever work".into())
                } else {
                    JobError::Retry(format!("attempt {} failed", job.attempt))
                });
            }
            Ok(())
        })
    }
}

fn worker(node: &str) -> WorkerConfig {
    WorkerConfig {
        node: node.into(),
        concurrency: 4,
        lease: Duration::from_secs(30),
        poll_interval: Duration::from_millis(20),
        retry_base: Duration::from_millis(100),
        retry_cap: Duration::from_millis(400),
    }
}

async fn all_finished(store: &Store) -> bool {
    let c = store.job_counts().await.unwrap();
    c.queued == 0 && c.running == 0
}

#[tokio::test(flavor = "multi_thread")]
async fn two_workers_on_separate_connections_run_each_job_exactly_once() {
    let env = TestEnv::new().await;
    let setup = env.store().await;
    let n = 400;
    let mut tx = setup.begin().await.unwrap();
    for i in 0..n {
        loket_store::jobs::enqueue(&mut tx, &NewJob::new("record", serde_json::json!({ "i": i }))).await.unwrap();
    }
    tx.commit().await.unwrap();

    // Two "nodes": each its own connection pool, as two processes would have.
    let recorder = Recorder::default();
    let (stop, stop_rx) = watch::channel(false);
    let mut handles = Vec::new();
    for node in ["node-a", "node-b"] {
        let store = Store::connect(&env.database_url, 4).await.unwrap();
        let registry = Registry::new().register("record", recorder.clone());
        handles.push(tokio::spawn(run_worker(store, registry, worker(node), Arc::new(Notify::new()), stop_rx.clone())));
    }
    wait_until("all jobs done", Duration::from_secs(60), || all_finished(&setup)).await;
    stop.send(true).unwrap();
    for h in handles {
        h.await.unwrap();
    }
    let runs = recorder.runs.lock().unwrap().clone();
    assert_eq!(runs.len(), n);
    assert!(runs.values().all(|r| r.len() == 1), "a job ran twice: {:?}", runs.iter().find(|(_, r)| r.len() > 1));
    let by_a = runs.values().filter(|r| r[0] == "node-a").count();
    assert!(by_a > 0 && by_a < n, "both workers should have taken part (node-a ran {by_a} of {n})");
    let done = setup.jobs(Some(JobState::Done), 1000).await.unwrap();
    assert_eq!(done.len(), n);
    assert!(done.iter().all(|j| j.attempts == 1 && j.finished_at.is_some()));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_idempotency_key_prevents_a_second_job_even_after_the_first_ran() {
    let env = TestEnv::new().await;
    let store = env.store().await;
    let job = NewJob::new("record", serde_json::json!({})).key("billing-run:2026-11-21");
    let first = store.enqueue(&job).await.unwrap();
    assert!(matches!(first, Enqueued::New(_)));
    assert_eq!(store.enqueue(&job).await.unwrap(), Enqueued::Duplicate);

    let recorder = Recorder::default();
    let registry = Registry::new().register("record", recorder.clone());
    let ran = loket_store::jobs::drain(&store, &registry, &worker("solo")).await.unwrap();
    assert_eq!(ran, 1);
    // Done, and still the same key: enqueueing again does nothing.
    assert_eq!(store.enqueue(&job).await.unwrap(), Enqueued::Duplicate);
    assert_eq!(loket_store::jobs::drain(&store, &registry, &worker("solo")).await.unwrap(), 0);
    assert_eq!(recorder.runs.lock().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rolled_back_enqueue_leaves_no_job() {
    let env = TestEnv::new().await;
    let store = env.store().await;
    let mut tx = store.begin().await.unwrap();
    loket_store::jobs::enqueue(&mut tx, &NewJob::new("record", serde_json::json!({}))).await.unwrap();
    tx.rollback().await.unwrap();
    assert!(store.jobs(None, 10).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_are_retried_with_backoff_then_succeed() {
    let env = TestEnv::new().await;
    let store = env.store().await;
    let Enqueued::New(id) = store.enqueue(&NewJob::new("flaky", serde_json::json!({})).attempts(5)).await.unwrap() else { panic!() };
    let recorder = Recorder { fail_first: 2, ..Recorder::default() };
    let (stop, stop_rx) = watch::channel(false);
    let h = tokio::spawn(run_worker(
        store.clone(),
        Registry::new().register("flaky", recorder.clone()),
        worker("w"),
        Arc::new(Notify::new()),
        stop_rx,
    ));
    wait_until("flaky job done", Duration::from_secs(30), || async { store.job(id).await.unwrap().unwrap().state == JobState::Done }).await;
    stop.send(true).unwrap();
    h.await.unwrap();
    let job = store.job(id).await.unwrap().unwrap();
    assert_eq!(job.attempts, 3);
    assert_eq!(job.last_error, None);
    assert_eq!(recorder.runs.lock().unwrap()[&id].len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn exhausted_and_permanent_failures_become_dead_letters_that_staff_can_retry() {
    let env = TestEnv::new().await;
    let store = env.store().await;
    let Enqueued::New(flaky) = store.enqueue(&NewJob::new("flaky", serde_json::json!({})).attempts(2)).await.unwrap() else { panic!() };
    let Enqueued::New(broken) = store.enqueue(&NewJob::new("broken", serde_json::json!({})).attempts(9)).await.unwrap() else { panic!() };
    let Enqueued::New(unknown) = store.enqueue(&NewJob::new("no-such-kind", serde_json::json!({}))).await.unwrap() else { panic!() };
    let registry = Registry::new()
        .register("flaky", Recorder { fail_first: 10, ..Recorder::default() })
        .register("broken", Recorder { fail_first: 10, permanent: true, ..Recorder::default() });
    let (stop, stop_rx) = watch::channel(false);
    let h = tokio::spawn(run_worker(store.clone(), registry, worker("w"), Arc::new(Notify::new()), stop_rx));
    wait_until("three dead letters", Duration::from_secs(30), || async { store.job_counts().await.unwrap().dead == 3 }).await;
    stop.send(true).unwrap();
    h.await.unwrap();

    let dead = store.jobs(Some(JobState::Dead), 10).await.unwrap();
    let by_id = |id| dead.iter().find(|j| j.id == id).unwrap();
    assert_eq!(by_id(flaky).attempts, 2);
    assert_eq!(by_id(flaky).last_error.as_deref(), Some("attempt 2 failed"));
    assert_eq!(by_id(broken).attempts, 1, "a permanent failure is not retried");
    assert!(by_id(unknown).last_error.as_deref().unwrap().contains("no handler for job kind `no-such-kind`"));

    assert!(store.retry_dead_job(flaky).await.unwrap());
    let again = store.job(flaky).await.unwrap().unwrap();
    assert_eq!((again.state, again.attempts), (JobState::Queued, 0));
    assert!(!store.retry_dead_job(flaky).await.unwrap(), "only dead jobs can be retried");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_job_whose_worker_died_is_taken_up_after_its_lease_and_the_late_worker_cannot_finish_it() {
    let env = TestEnv::new().await;
    let store = env.store().await;
    let Enqueued::New(id) = store.enqueue(&NewJob::new("record", serde_json::json!({}))).await.unwrap() else { panic!() };
    let now = Timestamp::now();
    let dead_worker = store.claim_jobs("dead-node", 10, Duration::from_secs(60), now).await.unwrap();
    assert_eq!(dead_worker.len(), 1);
    // Nobody else can lease it while the lease lasts.
    assert!(store.claim_jobs("other", 10, Duration::from_secs(60), now).await.unwrap().is_empty());
    assert_eq!(store.recover_expired_leases(now).await.unwrap(), 0);
    // Two minutes later the lease has run out.
    let later = now + Duration::from_secs(120);
    assert_eq!(store.recover_expired_leases(later).await.unwrap(), 1);
    let recovered = store.job(id).await.unwrap().unwrap();
    assert_eq!(recovered.state, JobState::Queued);
    assert!(recovered.last_error.as_deref().unwrap().contains("dead-node"));
    let retaken = store.claim_jobs("other", 10, Duration::from_secs(60), later).await.unwrap();
    assert_eq!(retaken.len(), 1);
    assert_eq!(retaken[0].attempt, 2);
    // The first worker comes back to life: its completion no longer counts.
    assert_eq!(store.complete_jobs(&dead_worker).await.unwrap(), 0);
    assert_eq!(store.complete_jobs(&retaken).await.unwrap(), 1);
    assert_eq!(store.job(id).await.unwrap().unwrap().state, JobState::Done);
}

#[tokio::test(flavor = "multi_thread")]
async fn jobs_wait_for_their_time() {
    let env = TestEnv::new().await;
    let store = env.store().await;
    let later = Timestamp::now() + Duration::from_secs(3600);
    store.enqueue(&NewJob::new("record", serde_json::json!({})).at(later)).await.unwrap();
    assert!(store.claim_jobs("w", 10, Duration::from_secs(30), Timestamp::now()).await.unwrap().is_empty());
    assert_eq!(store.claim_jobs("w", 10, Duration::from_secs(30), later).await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_audit_log_cannot_be_changed_or_erased() {
    let env = TestEnv::new().await;
    let store = env.store().await;
    let mut conn = store.acquire().await.unwrap();
    let actor = loket_store::audit::Actor::system();
    let change = loket_store::audit::Change {
        actor: &actor,
        action: "test.change",
        entity: "thing",
        entity_id: Some("7".into()),
        before: Some(serde_json::json!({"a": 1})),
        after: Some(serde_json::json!({"a": 2})),
        request_id: Some("req-1"),
    };
    loket_store::audit::record(&mut conn, &change).await.unwrap();
    let update = sqlx::query("UPDATE audit_log SET action = 'forged'").execute(&mut *conn).await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = sqlx::query("DELETE FROM audit_log").execute(&mut *conn).await;
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    drop(conn);
    let q = loket_store::audit::AuditQuery { entity: Some("thing".into()), entity_id: Some("7".into()), before_id: None, limit: 10 };
    let entries = store.audit_entries(&q).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].action, "test.change");
    assert_eq!(entries[0].before, Some(serde_json::json!({"a": 1})));
    assert_eq!(entries[0].after, Some(serde_json::json!({"a": 2})));
}

/// Sleeps longer than a lease: only the heartbeat keeps another node from taking it over.
#[derive(Clone, Default)]
struct Slow(Arc<Mutex<Vec<String>>>);

impl JobHandler for Slow {
    fn run<'a>(&'a self, job: &'a Lease) -> BoxFuture<'a, Result<(), JobError>> {
        Box::pin(async move {
            self.0.lock().unwrap().push(job.owner.clone());
            tokio::time::sleep(Duration::from_millis(3500)).await;
            Ok(())
        })
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_job_longer_than_its_lease_is_kept_by_its_living_worker() {
    let env = TestEnv::new().await;
    let store = env.store().await;
    let Enqueued::New(id) = store.enqueue(&NewJob::new("slow", serde_json::json!({}))).await.unwrap() else { panic!() };
    let slow = Slow::default();
    let (stop, stop_rx) = watch::channel(false);
    let mut handles = Vec::new();
    for node in ["node-a", "node-b"] {
        let config = WorkerConfig { lease: Duration::from_secs(1), ..worker(node) };
        let store = Store::connect(&env.database_url, 2).await.unwrap();
        handles.push(tokio::spawn(run_worker(
            store,
            Registry::new().register("slow", slow.clone()),
            config,
            Arc::new(Notify::new()),
            stop_rx.clone(),
        )));
    }
    wait_until("slow job done", Duration::from_secs(30), || async { store.job(id).await.unwrap().unwrap().state == JobState::Done }).await;
    stop.send(true).unwrap();
    for h in handles {
        h.await.unwrap();
    }
    assert_eq!(slow.0.lock().unwrap().len(), 1, "ran on {:?}", slow.0.lock().unwrap());
    assert_eq!(store.job(id).await.unwrap().unwrap().attempts, 1);
}
