//! Periodic tasks at a local time in the provider's time zone. Every node runs this loop; each
//! occurrence becomes one job whose idempotency key names the task and the local date, so
//! however many nodes are up, each task runs once per day. A node that was down when a task was
//! due enqueues it as soon as it starts.

use std::time::Duration;

use jiff::Timestamp;
use loket_domain::schedule::DailyAt;
use loket_store::Store;
use loket_store::jobs::{Enqueued, NewJob};
use tokio::sync::watch;

use crate::config::Config;
use crate::handlers::{BILLING_RUN_JOB, ESCALATE_JOB, HOUSEKEEPING_JOB};

/// How often the helpdesk's escalation sweep runs.
const ESCALATE_EVERY_SECONDS: i64 = 300;

pub struct Task {
    pub name: &'static str,
    pub at: DailyAt,
    pub job_kind: &'static str,
}

pub fn tasks(config: &Config) -> Vec<Task> {
    let mut tasks = vec![Task { name: "housekeeping", at: config.schedule_housekeeping, job_kind: HOUSEKEEPING_JOB }];
    // Monitoring's purge and, on the first of the month, the availability reports.
    tasks.push(Task { name: "monitoring", at: config.schedule_housekeeping, job_kind: crate::monitoring::jobs::DAILY_JOB });
    if let Some(at) = config.schedule_billing_run {
        tasks.push(Task { name: "billing", at, job_kind: BILLING_RUN_JOB });
    }
    tasks
}

/// Enqueues each task's latest due occurrence (if not enqueued before). Returns how many were new.
pub async fn tick(store: &Store, tasks: &[Task], tz: &jiff::tz::TimeZone, now: Timestamp) -> Result<usize, loket_store::StoreError> {
    let mut new = 0;
    for task in tasks {
        let occ = task.at.latest(now, tz);
        let job = NewJob::new(task.job_kind, serde_json::json!({ "date": occ.date.to_string() }))
            .key(format!("schedule:{}:{}", task.name, occ.date))
            .attempts(5);
        if let Enqueued::New(id) = store.enqueue(&job).await? {
            tracing::info!(task = task.name, date = %occ.date, job = id, "scheduled task enqueued");
            new += 1;
        }
    }
    Ok(new)
}

/// Enqueues the escalation sweep of the current five-minute slot (once across the cluster).
pub async fn tick_escalation(store: &Store, now: Timestamp) -> Result<bool, loket_store::StoreError> {
    let slot = now.as_second().div_euclid(ESCALATE_EVERY_SECONDS);
    let job = NewJob::new(ESCALATE_JOB, serde_json::json!({ "slot": slot })).key(format!("schedule:escalate:{slot}")).attempts(2);
    Ok(matches!(store.enqueue(&job).await?, Enqueued::New(_)))
}

/// Ticks on `clock` (the app's), so that a server on a test's manual clock schedules the test's
/// days, never the machine's.
pub async fn run(
    store: Store,
    clock: loket_app::Clock,
    tasks: Vec<Task>,
    escalation: bool,
    tz: jiff::tz::TimeZone,
    wake: std::sync::Arc<tokio::sync::Notify>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        match tick(&store, &tasks, &tz, clock.now()).await {
            Ok(n) if n > 0 => wake.notify_one(),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "scheduler tick failed"),
        }
        if escalation {
            match tick_escalation(&store, clock.now()).await {
                Ok(true) => wake.notify_one(),
                Ok(false) => {}
                Err(e) => tracing::error!(error = %e, "scheduler tick (escalation) failed"),
            }
        }
        // Sleep until the next occurrence of any task, but re-check at least every minute.
        let now = clock.now();
        let next = tasks.iter().map(|t| t.at.next(now, &tz).at).min().unwrap_or(now);
        // With escalation rules, look every ten seconds whether a new five-minute slot began.
        let most = if escalation { 10 } else { 60 };
        let wait = Duration::from_secs(next.as_second().saturating_sub(now.as_second()).clamp(1, most) as u64);
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = shutdown.changed() => return,
        }
    }
}
