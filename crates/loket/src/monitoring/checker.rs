//! The checker every `loket serve` node runs. It claims the monitors whose slot is due (the
//! claim moves each one's next slot forward in the database, so a slot is checked by one node
//! only; a node that dies loses at most the slots it had claimed, and the next slot is anybody's),
//! probes them with at most `concurrency` checks at once, and records the results in batches of
//! up to 2,000 or 200 ms through `Services::record_checks`. A batch the database refuses is
//! retried, then recorded monitor by monitor, so one bad record never stops the others.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use jiff::Timestamp;
use loket_app::Services;
use loket_app::monitoring::record::CheckDone;
use loket_monitor::{Probe, Prober};
use tokio::sync::{Mutex, Semaphore, mpsc, watch};

/// What a node measured (the benchmark reads it).
#[derive(Debug, Default)]
pub struct Stats {
    pub checks: AtomicU64,
    pub failed: AtomicU64,
    pub recorded: AtomicU64,
    /// How late each check started after its slot, in ms.
    pub lateness_ms: Mutex<Vec<u32>>,
}

pub struct Checker {
    pub services: Arc<Services>,
    pub prober: Prober,
    pub concurrency: usize,
    pub stats: Option<Arc<Stats>>,
}

fn now_ms() -> i64 {
    Timestamp::now().as_millisecond()
}

impl Checker {
    /// Runs until `stop` turns true; checks in flight finish and are recorded.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let (tx, rx) = mpsc::channel::<CheckDone>(self.concurrency.max(1) * 4);
        let writer = tokio::spawn(write(self.services.clone(), rx, self.stats.clone()));
        let permits = Arc::new(Semaphore::new(self.concurrency.max(1)));
        let backend = self.services.store.backend();
        loop {
            if *stop.borrow() {
                break;
            }
            let free = permits.available_permits();
            let limit = free.min(500) as i64;
            let claimed = if limit == 0 {
                Vec::new()
            } else {
                match self.services.store.acquire().await {
                    Ok(mut conn) => loket_store::monitoring::claim(&mut conn, backend, now_ms(), limit).await.unwrap_or_else(|e| {
                        tracing::error!(error = %e, "monitors not claimed");
                        Vec::new()
                    }),
                    Err(e) => {
                        tracing::error!(error = %e, "monitors not claimed: no database connection");
                        Vec::new()
                    }
                }
            };
            let full = limit > 0 && claimed.len() as i64 == limit;
            for c in claimed {
                let Ok(permit) = permits.clone().acquire_owned().await else { break };
                let (tx, prober, stats) = (tx.clone(), self.prober.clone(), self.stats.clone());
                tokio::spawn(async move {
                    let at = now_ms();
                    let outcome = prober.check(&Probe::from_spec(&c.spec)).await;
                    if let Some(s) = &stats {
                        s.checks.fetch_add(1, Ordering::Relaxed);
                        if !outcome.ok {
                            s.failed.fetch_add(1, Ordering::Relaxed);
                        }
                        s.lateness_ms.lock().await.push((at - c.slot_ms).clamp(0, i64::from(u32::MAX)) as u32);
                    }
                    let done = CheckDone {
                        monitor_id: c.id,
                        at_ms: at,
                        ok: outcome.ok,
                        latency_ms: i64::from(outcome.latency_ms),
                        cause: outcome.cause.map(|c| c.name().to_string()),
                        detail: outcome.detail,
                        cert_not_after: outcome.cert_not_after,
                    };
                    let _ = tx.send(done).await;
                    drop(permit);
                });
            }
            if full {
                continue;
            }
            // Sleep until the next slot, at most 250 ms (a monitor added elsewhere is seen soon).
            let next = match self.services.store.acquire().await {
                Ok(mut conn) => loket_store::monitoring::next_due(&mut conn).await.ok().flatten(),
                Err(_) => None,
            };
            let wait = next.map(|n| (n - now_ms()).clamp(5, 250)).unwrap_or(250);
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(wait as u64)) => {}
                _ = stop.changed() => {}
            }
        }
        // Wait for the checks in flight, then let the writer drain.
        let _ = permits.acquire_many(self.concurrency.max(1) as u32).await;
        drop(tx);
        let _ = writer.await;
    }
}

async fn write(services: Arc<Services>, mut rx: mpsc::Receiver<CheckDone>, stats: Option<Arc<Stats>>) {
    let mut batch: Vec<CheckDone> = Vec::new();
    while let Some(first) = rx.recv().await {
        batch.push(first);
        let deadline = tokio::time::Instant::now() + Duration::from_millis(200);
        while batch.len() < 2_000 {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some(c)) => batch.push(c),
                _ => break,
            }
        }
        let n = batch.len() as u64;
        record(&services, &batch).await;
        if let Some(s) = &stats {
            s.recorded.fetch_add(n, Ordering::Relaxed);
        }
        batch.clear();
    }
}

async fn record(services: &Services, batch: &[CheckDone]) {
    let Err(e) = services.record_checks(batch).await else { return };
    tracing::warn!(error = %e, checks = batch.len(), "a batch of checks was refused; recording it again");
    tokio::time::sleep(Duration::from_millis(500)).await;
    if services.record_checks(batch).await.is_ok() {
        return;
    }
    let mut ids: Vec<i64> = batch.iter().map(|c| c.monitor_id).collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        let one: Vec<CheckDone> = batch.iter().filter(|c| c.monitor_id == id).cloned().collect();
        if let Err(e) = services.record_checks(&one).await {
            tracing::error!(monitor = id, error = %e, "checks of a monitor not recorded");
        }
    }
}
