//! The worker loop: lease due jobs, run their handlers, keep leases alive, record the outcome.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use loket_domain::retry::backoff;
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;

use super::Lease;
use crate::Store;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobError {
    /// Worth another attempt later (a server that did not answer, a busy database).
    Retry(String),
    /// Another attempt cannot succeed (malformed payload, refused recipient): dead at once.
    Permanent(String),
}

impl std::fmt::Display for JobError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JobError::Retry(m) | JobError::Permanent(m) => f.write_str(m),
        }
    }
}

/// What a kind of job does. Implementations must be idempotent.
pub trait JobHandler: Send + Sync + 'static {
    fn run<'a>(&'a self, job: &'a Lease) -> BoxFuture<'a, Result<(), JobError>>;
}

/// Job kinds and their handlers.
#[derive(Default, Clone)]
pub struct Registry {
    handlers: HashMap<String, Arc<dyn JobHandler>>,
}

impl Registry {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn register(mut self, kind: &str, handler: impl JobHandler) -> Self {
        self.handlers.insert(kind.to_string(), Arc::new(handler));
        self
    }
}

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Names this process in leases and dead letters (host and pid by default).
    pub node: String,
    /// Jobs run at once by this process.
    pub concurrency: usize,
    /// How long a lease lasts without renewal; a dead worker's jobs return after this.
    pub lease: Duration,
    /// How often to look for work when the queue was empty.
    pub poll_interval: Duration,
    pub retry_base: Duration,
    pub retry_cap: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            node: format!("node-{}", std::process::id()),
            concurrency: 4,
            lease: Duration::from_secs(300),
            poll_interval: Duration::from_millis(500),
            retry_base: Duration::from_secs(30),
            retry_cap: Duration::from_secs(6 * 3600),
        }
    }
}

/// What a finished job task hands back to the worker loop.
type Finished = (Lease, Result<(), JobError>);

/// Runs jobs until `shutdown` turns true, then lets running jobs finish (their leases would
/// bring them back anyway if this process were killed instead). `wake` lets code in the same
/// process that enqueued a job skip the poll interval.
///
/// One loop per node leases jobs in batches, runs each in its own task, keeps all of the node's
/// leases alive with one statement every third of a lease, and records finished jobs in batches.
pub async fn run_worker(store: Store, registry: Registry, config: WorkerConfig, wake: Arc<Notify>, mut shutdown: watch::Receiver<bool>) {
    let registry = Arc::new(registry);
    let mut running: JoinSet<Finished> = JoinSet::new();
    let mut finished: Vec<Finished> = Vec::new();
    let mut last_recovery = std::time::Instant::now() - config.lease;
    let recovery_every = (config.lease / 4).max(Duration::from_secs(1));
    let mut heartbeat = tokio::time::interval((config.lease / 3).max(Duration::from_millis(100)));
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    heartbeat.tick().await;
    tracing::info!(node = %config.node, concurrency = config.concurrency, "job worker started");
    loop {
        record(&store, &config, &mut finished).await;
        if *shutdown.borrow() {
            break;
        }
        if last_recovery.elapsed() >= recovery_every {
            last_recovery = std::time::Instant::now();
            match store.recover_expired_leases(Timestamp::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::warn!(jobs = n, "recovered jobs whose worker stopped"),
                Err(e) => tracing::error!(error = %e, "recovering expired leases failed"),
            }
        }
        // Lease in batches: when idle, or when at least half the slots are free.
        let free = config.concurrency.saturating_sub(running.len());
        let mut claimed = 0;
        if free > 0 && (running.is_empty() || free * 2 >= config.concurrency) {
            match store.claim_jobs(&config.node, free as i64, config.lease, Timestamp::now()).await {
                Ok(leases) => {
                    claimed = leases.len();
                    for lease in leases {
                        running.spawn(execute(registry.clone(), config.node.clone(), lease));
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, "leasing jobs failed");
                    tokio::time::sleep(config.poll_interval).await;
                }
            }
        }
        if claimed > 0 && running.len() < config.concurrency {
            continue; // there may be more work right away
        }
        tokio::select! {
            Some(done) = running.join_next(), if !running.is_empty() => {
                finished.extend(done.ok());
                while let Some(done) = running.try_join_next() {
                    finished.extend(done.ok());
                }
            }
            _ = heartbeat.tick() => {
                if !running.is_empty()
                    && let Err(e) = store.extend_leases(&config.node, Timestamp::now() + config.lease).await
                {
                    tracing::warn!(error = %e, "extending leases failed");
                }
            }
            _ = tokio::time::sleep(config.poll_interval), if running.is_empty() => {}
            _ = wake.notified(), if running.len() < config.concurrency => {}
            _ = shutdown.changed() => {}
        }
    }
    tracing::info!(node = %config.node, in_flight = running.len(), "job worker stopping; finishing running jobs");
    while let Some(done) = running.join_next().await {
        finished.extend(done.ok());
    }
    record(&store, &config, &mut finished).await;
}

/// Runs every job that is due now, `concurrency` at a time, until none is left; returns how
/// many ran. For command-line use (`loket jobs run`), where no worker loop is running.
pub async fn drain(store: &Store, registry: &Registry, config: &WorkerConfig) -> Result<usize, crate::StoreError> {
    let registry = Arc::new(registry.clone());
    let mut ran = 0;
    loop {
        store.recover_expired_leases(Timestamp::now()).await?;
        let leases = store.claim_jobs(&config.node, config.concurrency.max(1) as i64, config.lease, Timestamp::now()).await?;
        if leases.is_empty() {
            return Ok(ran);
        }
        ran += leases.len();
        let mut set = JoinSet::new();
        for lease in leases {
            set.spawn(execute(registry.clone(), config.node.clone(), lease));
        }
        let mut finished: Vec<Finished> = Vec::new();
        while let Some(done) = set.join_next().await {
            finished.extend(done.ok());
        }
        record(store, config, &mut finished).await;
    }
}

/// Runs one job's handler in a task of its own, so that a panic becomes a failed attempt.
async fn execute(registry: Arc<Registry>, node: String, lease: Lease) -> Finished {
    let Some(handler) = registry.handlers.get(&lease.kind).cloned() else {
        let msg = format!("no handler for job kind `{}` on node {node}", lease.kind);
        return (lease, Err(JobError::Permanent(msg)));
    };
    let job = lease.clone();
    let outcome = match tokio::spawn(async move { handler.run(&job).await }).await {
        Ok(outcome) => outcome,
        Err(e) => Err(JobError::Retry(format!("the job's handler panicked: {e}"))),
    };
    (lease, outcome)
}

/// Records finished jobs: successes in batches, failures one by one with their backoff.
async fn record(store: &Store, config: &WorkerConfig, finished: &mut Vec<Finished>) {
    if finished.is_empty() {
        return;
    }
    let mut done = Vec::new();
    for (lease, outcome) in finished.drain(..) {
        match outcome {
            Ok(()) => done.push(lease),
            Err(err) => {
                let retry_at = match &err {
                    JobError::Retry(_) => {
                        Some(Timestamp::now() + backoff(lease.attempt as u32, config.retry_base, config.retry_cap, rand_fraction()))
                    }
                    JobError::Permanent(_) => None,
                };
                match store.fail_job(&lease, &err.to_string(), retry_at).await {
                    Ok(state) => {
                        tracing::warn!(job = lease.id, kind = %lease.kind, attempt = lease.attempt, error = %err, state = state.as_str(), "job failed")
                    }
                    Err(e) => {
                        tracing::error!(job = lease.id, error = %e, "recording job failure failed; the lease will expire and the job repeat")
                    }
                }
            }
        }
    }
    match store.complete_jobs(&done).await {
        Ok(n) if n as usize == done.len() => tracing::debug!(jobs = n, "jobs done"),
        Ok(n) => tracing::warn!(finished = done.len(), recorded = n, "some jobs finished after their lease was taken over"),
        Err(e) => {
            tracing::error!(error = %e, jobs = done.len(), "recording job completion failed; the leases will expire and the jobs repeat")
        }
    }
}

/// A number in [0, 1) for backoff jitter, from the clock's nanoseconds (no RNG needed).
fn rand_fraction() -> f64 {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    f64::from(nanos % 1000) / 1000.0
}
