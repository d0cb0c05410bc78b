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

    pub fn kinds(&self) -> impl Iterator<Item = &str> {
        self.handlers.keys().map(String::as_str)
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

/// Runs jobs until `shutdown` turns true, then lets running jobs finish (their leases would
/// bring them back anyway if this process were killed instead). `wake` lets code in the same
/// process that enqueued a job skip the poll interval.
pub async fn run_worker(store: Store, registry: Registry, config: WorkerConfig, wake: Arc<Notify>, mut shutdown: watch::Receiver<bool>) {
    let registry = Arc::new(registry);
    let mut running: JoinSet<()> = JoinSet::new();
    let mut last_recovery = std::time::Instant::now() - config.lease;
    let recovery_every = (config.lease / 4).max(Duration::from_secs(1));
    tracing::info!(node = %config.node, concurrency = config.concurrency, "job worker started");
    loop {
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
        let free = config.concurrency.saturating_sub(running.len());
        let mut claimed = 0;
        if free > 0 {
            match store.claim_jobs(&config.node, free as i64, config.lease, Timestamp::now()).await {
                Ok(leases) => {
                    claimed = leases.len();
                    for lease in leases {
                        let (store, registry, config) = (store.clone(), registry.clone(), config.clone());
                        running.spawn(async move { execute(store, registry, config, lease).await });
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, "leasing jobs failed");
                    tokio::time::sleep(config.poll_interval).await;
                }
            }
        }
        if running.len() >= config.concurrency {
            // Full: wait for one job to end.
            running.join_next().await;
        } else if claimed == 0 {
            tokio::select! {
                _ = tokio::time::sleep(config.poll_interval) => {}
                _ = wake.notified() => {}
                Some(_) = running.join_next(), if !running.is_empty() => {}
                _ = shutdown.changed() => {}
            }
        }
        while running.try_join_next().is_some() {}
    }
    tracing::info!(node = %config.node, in_flight = running.len(), "job worker stopping; finishing running jobs");
    while running.join_next().await.is_some() {}
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
            set.spawn(execute(store.clone(), registry.clone(), config.clone(), lease));
        }
        while set.join_next().await.is_some() {}
    }
}

async fn execute(store: Store, registry: Arc<Registry>, config: WorkerConfig, lease: Lease) {
    let started = std::time::Instant::now();
    let Some(handler) = registry.handlers.get(&lease.kind).cloned() else {
        let msg = format!("no handler for job kind `{}` on node {}", lease.kind, config.node);
        tracing::error!(job = lease.id, "{msg}");
        let _ = store.fail_job(&lease, &msg, None).await;
        return;
    };
    // Keep the lease alive while the handler works.
    let heartbeat = {
        let (store, lease, period) = (store.clone(), lease.clone(), config.lease);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(period / 3).await;
                let until = Timestamp::now() + period;
                match store.extend_lease(&lease, until).await {
                    Ok(true) => {}
                    Ok(false) => {
                        tracing::warn!(job = lease.id, "lease lost while the job ran");
                        break;
                    }
                    Err(e) => tracing::warn!(job = lease.id, error = %e, "extending lease failed"),
                }
            }
        })
    };
    let outcome = handler.run(&lease).await;
    heartbeat.abort();
    let elapsed_ms = started.elapsed().as_millis() as u64;
    match outcome {
        Ok(()) => match store.complete_job(&lease).await {
            Ok(true) => tracing::debug!(job = lease.id, kind = %lease.kind, elapsed_ms, "job done"),
            Ok(false) => tracing::warn!(job = lease.id, kind = %lease.kind, "job finished after its lease was taken over"),
            Err(e) => {
                tracing::error!(job = lease.id, error = %e, "recording job completion failed; the lease will expire and the job repeat")
            }
        },
        Err(err) => {
            let retry_at = match &err {
                JobError::Retry(_) => {
                    let wait = backoff(lease.attempt as u32, config.retry_base, config.retry_cap, rand_fraction());
                    Some(Timestamp::now() + wait)
                }
                JobError::Permanent(_) => None,
            };
            match store.fail_job(&lease, &err.to_string(), retry_at).await {
                Ok(state) => {
                    tracing::warn!(job = lease.id, kind = %lease.kind, attempt = lease.attempt, error = %err, state = state.as_str(), "job failed")
                }
                Err(e) => tracing::error!(job = lease.id, error = %e, "recording job failure failed"),
            }
        }
    }
}

/// A number in [0, 1) for backoff jitter, from the clock's nanoseconds (no RNG needed).
fn rand_fraction() -> f64 {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    f64::from(nanos % 1000) / 1000.0
}
