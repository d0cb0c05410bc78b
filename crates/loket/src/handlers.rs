//! The job kinds Loket runs, and what each does. A new kind is registered in [`registry`].

use loket_mail::{DeliveryError, Transport};
use loket_store::Store;
use loket_store::jobs::{BoxFuture, JobError, JobHandler, Lease, Registry};
use loket_store::outbox::DELIVER_JOB;

use crate::app::App;

pub const HOUSEKEEPING_JOB: &str = "housekeeping";
/// Does nothing: measures the queue itself (`loket bench jobs`).
pub const NOOP_JOB: &str = "noop";

pub fn registry(app: &App) -> Registry {
    Registry::new()
        .register(DELIVER_JOB, DeliverMail { store: app.store.clone(), transport: app.transport.clone() })
        .register(HOUSEKEEPING_JOB, Housekeeping { store: app.store.clone(), retention_days: app.config.jobs_retention_days })
        .register(NOOP_JOB, Noop)
}

/// Sends one outbox message. A message already sent is not sent again.
struct DeliverMail {
    store: Store,
    transport: Transport,
}

impl JobHandler for DeliverMail {
    fn run<'a>(&'a self, job: &'a Lease) -> BoxFuture<'a, Result<(), JobError>> {
        Box::pin(async move {
            let id = job
                .payload
                .get("outbox_id")
                .and_then(|v| v.as_i64())
                .ok_or_else(|| JobError::Permanent("payload has no outbox_id".into()))?;
            let mail = self
                .store
                .mail(id)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?
                .ok_or_else(|| JobError::Permanent(format!("outbox message {id} does not exist")))?;
            if mail.state == "sent" {
                return Ok(());
            }
            let result = self.transport.send(&mail.message_id, &mail.mail_from, &mail.rcpt_to, mail.raw.as_bytes()).await;
            let last_attempt = job.attempt >= job.max_attempts;
            match result {
                Ok(()) => {
                    self.store.record_delivery(id, Ok(()), false).await.map_err(|e| JobError::Retry(e.to_string()))?;
                    tracing::info!(outbox = id, to = ?mail.rcpt_to, template = %mail.template, "mail delivered");
                    Ok(())
                }
                Err(DeliveryError::Permanent(e)) => {
                    let _ = self.store.record_delivery(id, Err(&e), true).await;
                    Err(JobError::Permanent(e))
                }
                Err(DeliveryError::Transient(e)) => {
                    let _ = self.store.record_delivery(id, Err(&e), last_attempt).await;
                    Err(JobError::Retry(e))
                }
            }
        })
    }
}

/// The daily clean-up: finished jobs older than the retention period.
struct Housekeeping {
    store: Store,
    retention_days: u32,
}

impl JobHandler for Housekeeping {
    fn run<'a>(&'a self, _job: &'a Lease) -> BoxFuture<'a, Result<(), JobError>> {
        Box::pin(async move {
            let before = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * i64::from(self.retention_days));
            let purged = self.store.purge_done_jobs(before).await.map_err(|e| JobError::Retry(e.to_string()))?;
            tracing::info!(purged, "housekeeping: removed finished jobs");
            Ok(())
        })
    }
}

struct Noop;

impl JobHandler for Noop {
    fn run<'a>(&'a self, _job: &'a Lease) -> BoxFuture<'a, Result<(), JobError>> {
        Box::pin(async { Ok(()) })
    }
}
