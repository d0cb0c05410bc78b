//! The job kinds Loket runs, and what each does. A new kind is registered in [`registry`].

use loket_mail::{DeliveryError, Transport};
use loket_store::audit::{self, Actor, ActorKind, Change};
use loket_store::jobs::{BoxFuture, JobError, JobHandler, Lease, Registry};
use loket_store::outbox::{DELIVER_JOB, record_delivery};
use loket_store::{Store, StoreError};

use crate::app::App;

pub const HOUSEKEEPING_JOB: &str = "housekeeping";
/// The daily billing run for the date in its payload (enqueued by the scheduler).
pub const BILLING_RUN_JOB: &str = "billing.run";
/// Sends issued documents out as e-invoices (`einvoicing.*_folder`): queued after each round
/// of notifications and by the daily housekeeping.
pub const TRANSMIT_JOB: &str = "documents.transmit";
/// Applies the helpdesk's escalation rules to active tickets (enqueued every five minutes by
/// the scheduler, once per slot across the cluster).
pub const ESCALATE_JOB: &str = "helpdesk.escalate";
/// Does nothing: measures the queue itself (`loket bench jobs`).
pub const NOOP_JOB: &str = "noop";

pub fn registry(app: &App) -> Registry {
    let registry = Registry::new()
        .register(DELIVER_JOB, DeliverMail { store: app.store.clone(), transport: app.transport.clone() })
        .register(
            HOUSEKEEPING_JOB,
            Housekeeping {
                store: app.store.clone(),
                retention_days: app.config.jobs_retention_days,
                services: app.services(),
                scans_retention_days: app.config.lost_access_retention_days,
                transmit: app.config.transmit_settings().is_on(),
            },
        )
        .register(NOOP_JOB, Noop)
        .register(BILLING_RUN_JOB, BillingRun { billing: app.billing(), collect: app.online.is_some() })
        .register(
            loket_store::billing::payments::NOTIFY_JOB,
            Notify {
                store: app.store.clone(),
                composer: app.composer.clone(),
                documents: app.config.document_settings(),
                currency: app.config.provider.currency,
                public_url: app.config.public_url.clone(),
                tz: app.config.provider.tz(),
                transmit: app.config.transmit_settings().is_on(),
            },
        )
        .register(
            TRANSMIT_JOB,
            Transmit { store: app.store.clone(), settings: app.config.transmit_settings(), documents: app.config.document_settings() },
        )
        .register(loket_app::online::REFRESH_JOB, RefreshPayments { services: app.services() })
        .register(loket_app::online::COLLECT_JOB, CollectPayments { services: app.services() })
        .register(ESCALATE_JOB, Escalate { services: app.services() });
    crate::monitoring::jobs::register(registry, &app.services())
}

/// The SLA sweep: each due escalation rule acts on a ticket once.
struct Escalate {
    services: loket_app::Services,
}

impl JobHandler for Escalate {
    fn run<'a>(&'a self, _job: &'a Lease) -> BoxFuture<'a, Result<(), JobError>> {
        Box::pin(async move {
            let taken = self.services.escalate_due().await.map_err(|e| JobError::Retry(e.to_string()))?;
            if taken > 0 {
                tracing::info!(taken, "escalation rules applied");
            }
            Ok(())
        })
    }
}

/// Collects the open invoices of cards with a mandate at the payment provider, each once; retried
/// while some collections could not reach the provider.
struct CollectPayments {
    services: loket_app::Services,
}

impl JobHandler for CollectPayments {
    fn run<'a>(&'a self, _job: &'a Lease) -> BoxFuture<'a, Result<(), JobError>> {
        Box::pin(async move {
            if self.services.online().is_none() {
                return Err(JobError::Permanent("online payment is not configured (payments.provider)".into()));
            }
            let report = self.services.collect_with_mandates().await.map_err(|e| JobError::Retry(e.to_string()))?;
            tracing::info!(
                started = report.started,
                failed = report.failed,
                unreached = report.unreached,
                "invoices collected with mandates"
            );
            // Collections that did not reach the provider go again with the job's retry, each
            // under its own idempotency key; the others are done.
            if report.unreached > 0 {
                return Err(JobError::Retry(format!("{} collections could not reach the payment provider", report.unreached)));
            }
            Ok(())
        })
    }
}

/// Fetches the online payments webhooks named from the provider and books what changed; a
/// payment the provider cannot give now is fetched again when the job is retried.
struct RefreshPayments {
    services: loket_app::Services,
}

impl JobHandler for RefreshPayments {
    fn run<'a>(&'a self, _job: &'a Lease) -> BoxFuture<'a, Result<(), JobError>> {
        Box::pin(async move {
            if self.services.online().is_none() {
                return Err(JobError::Permanent("online payment is not configured (payments.provider)".into()));
            }
            let report = self.services.refresh_online_payments().await.map_err(|e| JobError::Retry(e.to_string()))?;
            tracing::info!(fetched = report.fetched, booked = report.booked, "online payments fetched from the provider");
            Ok(())
        })
    }
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
            let (outcome, final_failure, returned) = match &result {
                Ok(()) => (Ok(()), false, Ok(())),
                Err(DeliveryError::Permanent(e)) => (Err(e.as_str()), true, Err(JobError::Permanent(e.clone()))),
                Err(DeliveryError::Transient(e)) => (Err(e.as_str()), last_attempt, Err(JobError::Retry(e.clone()))),
            };
            let state = match (&outcome, final_failure) {
                (Ok(()), _) => Some("sent"),
                (Err(_), true) => Some("failed"),
                (Err(_), false) => None,
            };
            // The outcome and, when it is final, its audit entry, in one transaction.
            let recorded: Result<(), StoreError> = async {
                let mut tx = self.store.begin().await?;
                record_delivery(&mut tx, id, outcome, final_failure).await?;
                if let Some(state) = state {
                    let after = serde_json::json!({ "state": state, "to": mail.rcpt_to, "error": outcome.err() });
                    let change = Change {
                        actor: &job_actor(job),
                        action: if state == "sent" { "mail.sent" } else { "mail.failed" },
                        entity: "outbox",
                        entity_id: Some(id.to_string()),
                        before: Some(serde_json::json!({ "state": mail.state })),
                        after: Some(after),
                        request_id: None,
                    };
                    audit::record(&mut tx, &change).await?;
                }
                tx.commit().await?;
                Ok(())
            }
            .await;
            match (&returned, recorded) {
                // Sent but not recorded: retrying re-sends, which beats losing the mail.
                (Ok(()), Err(e)) => return Err(JobError::Retry(format!("sent, but recording failed: {e}"))),
                (Err(_), Err(e)) => tracing::error!(outbox = id, error = %e, "recording a failed delivery failed"),
                _ => {}
            }
            if returned.is_ok() {
                tracing::info!(outbox = id, to = ?mail.rcpt_to, template = %mail.template, "mail delivered");
            }
            returned
        })
    }
}

fn job_actor(job: &Lease) -> Actor {
    Actor::new(ActorKind::Job, format!("{}#{}", job.kind, job.id))
}

/// The daily clean-up: finished jobs older than the retention period, lost-access scans older
/// than theirs, and direct-debit mandates 36 months without a collection.
struct Housekeeping {
    store: Store,
    retention_days: u32,
    services: loket_app::Services,
    scans_retention_days: u32,
    transmit: bool,
}

impl JobHandler for Housekeeping {
    fn run<'a>(&'a self, job: &'a Lease) -> BoxFuture<'a, Result<(), JobError>> {
        Box::pin(async move {
            let retry = |e: StoreError| JobError::Retry(e.to_string());
            let before = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * i64::from(self.retention_days));
            let mut tx = self.store.begin().await.map_err(retry)?;
            let purged = loket_store::jobs::purge_done(&mut tx, before).await.map_err(retry)?;
            if purged > 0 {
                let change = Change {
                    actor: &job_actor(job),
                    action: "jobs.purge",
                    entity: "job",
                    entity_id: None,
                    before: None,
                    after: Some(serde_json::json!({ "removed": purged, "finished_before": before.to_string() })),
                    request_id: None,
                };
                audit::record(&mut tx, &change).await.map_err(retry)?;
            }
            tx.commit().await.map_err(|e| JobError::Retry(e.to_string()))?;
            tracing::info!(purged, "housekeeping: removed finished jobs");
            let scans = loket_app::lost_access::purge_scans(&self.services, &job_actor(job), self.scans_retention_days)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            if scans > 0 {
                tracing::info!(requests = scans, "housekeeping: deleted lost-access scans past their retention");
            }
            // Direct-debit mandates unused for 36 months are no longer valid.
            let expired = self.services.billing().expire_mandates(&job_actor(job)).await.map_err(|e| JobError::Retry(e.to_string()))?;
            if expired > 0 {
                tracing::info!(mandates = expired, "housekeeping: direct-debit mandates expired after 36 months without a collection");
            }
            // Whatever a round of notifications did not send (a document issued without one).
            if self.transmit {
                enqueue_transmit(&self.store).await.map_err(retry)?;
            }
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

/// Runs billing for the date in the payload. A run repeated for the same date issues nothing new.
struct BillingRun {
    billing: loket_app::billing::Billing,
    /// Open invoices are collected with mandates after the run (online payment is on).
    collect: bool,
}

impl JobHandler for BillingRun {
    fn run<'a>(&'a self, job: &'a Lease) -> BoxFuture<'a, Result<(), JobError>> {
        Box::pin(async move {
            let date: jiff::civil::Date = job
                .payload
                .get("date")
                .and_then(|v| v.as_str())
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| JobError::Permanent("payload has no date".into()))?;
            let report = self.billing.run(date, false).await.map_err(|e| JobError::Retry(e.to_string()))?;
            tracing::info!(%date, invoices = report.invoices, pro_formas = report.pro_formas, reminders = report.reminders, "billing run done");
            for p in &report.problems {
                tracing::warn!(%date, problem = %p, "billing run");
            }
            if self.collect {
                let mut conn = self.billing.store.acquire().await.map_err(|e| JobError::Retry(e.to_string()))?;
                loket_store::jobs::enqueue_unless_queued(&mut conn, loket_app::online::COLLECT_JOB, serde_json::json!({}))
                    .await
                    .map_err(|e| JobError::Retry(e.to_string()))?;
            }
            Ok(())
        })
    }
}

/// Mails the notifications the billing engine stored.
struct Notify {
    store: Store,
    composer: loket_mail::Composer,
    documents: loket_app::documents::DocumentSettings,
    currency: loket_domain::Currency,
    public_url: String,
    tz: jiff::tz::TimeZone,
    transmit: bool,
}

impl JobHandler for Notify {
    fn run<'a>(&'a self, _job: &'a Lease) -> BoxFuture<'a, Result<(), JobError>> {
        Box::pin(async move {
            loket_app::billing::notify::mail_pending(
                &self.store,
                &self.composer,
                &self.documents,
                self.currency,
                &self.public_url,
                &self.tz,
            )
            .await
            .map_err(|e| JobError::Retry(e.to_string()))?;
            // Issued documents go out as e-invoices too.
            if self.transmit {
                enqueue_transmit(&self.store).await.map_err(|e| JobError::Retry(e.to_string()))?;
            }
            Ok(())
        })
    }
}

async fn enqueue_transmit(store: &Store) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    loket_store::jobs::enqueue_unless_queued(&mut tx, TRANSMIT_JOB, serde_json::json!({})).await?;
    loket_store::commit(tx).await
}

/// One round of e-invoices: queues the documents issued since the last round and sends what is
/// queued; queues itself again while more is waiting or a send is to be retried.
struct Transmit {
    store: Store,
    settings: loket_app::transmit::TransmitSettings,
    documents: loket_app::documents::DocumentSettings,
}

impl JobHandler for Transmit {
    fn run<'a>(&'a self, _job: &'a Lease) -> BoxFuture<'a, Result<(), JobError>> {
        Box::pin(async move {
            let round = loket_app::transmit::transmit(&self.store, &self.settings, &self.documents)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            if round.queued + round.sent + round.failed > 0 {
                tracing::info!(
                    queued = round.queued,
                    sent = round.sent,
                    failed = round.failed,
                    retrying = round.retrying,
                    "e-invoices transmitted"
                );
            }
            if round.more {
                enqueue_transmit(&self.store).await.map_err(|e| JobError::Retry(e.to_string()))?;
            } else if round.retrying > 0 {
                // Not at once: the intermediary needs time to come back.
                let at = jiff::Timestamp::now() + jiff::SignedDuration::from_mins(5);
                let job = loket_store::jobs::NewJob::new(TRANSMIT_JOB, serde_json::json!({})).at(at);
                self.store.enqueue(&job).await.map_err(|e| JobError::Retry(e.to_string()))?;
            }
            Ok(())
        })
    }
}
