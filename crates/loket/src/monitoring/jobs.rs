//! The jobs monitoring causes: a recovery told once it held, a maintenance window announced,
//! an incident posted to the provider's webhook, and the daily run — old raw results purged and,
//! in the first days of a month, last month's reports and credits (each card once).

use hmac::{Hmac, Mac};
use loket_app::Services;
use loket_app::monitoring::alerts::{ANNOUNCE_JOB, RECOVERED_JOB, WEBHOOK_JOB};
use loket_store::jobs::{BoxFuture, JobError, JobHandler, Lease, Registry};
use sha2::Sha256;

pub const DAILY_JOB: &str = "monitoring.daily";

pub fn register(registry: Registry, services: &Services) -> Registry {
    registry
        .register(RECOVERED_JOB, Recovered(services.clone()))
        .register(ANNOUNCE_JOB, Announce(services.clone()))
        .register(WEBHOOK_JOB, Webhook { services: services.clone(), client: reqwest::Client::new() })
        .register(DAILY_JOB, Daily(services.clone()))
}

fn int(job: &Lease, key: &str) -> Result<i64, JobError> {
    job.payload.get(key).and_then(|v| v.as_i64()).ok_or_else(|| JobError::Permanent(format!("payload has no {key}")))
}

struct Recovered(Services);

impl JobHandler for Recovered {
    fn run<'a>(&'a self, job: &'a Lease) -> BoxFuture<'a, Result<(), JobError>> {
        Box::pin(async move {
            let told =
                self.0.announce_recovery(int(job, "incident")?, int(job, "ended_ms")?).await.map_err(|e| JobError::Retry(e.to_string()))?;
            tracing::info!(told, "incident recovery");
            Ok(())
        })
    }
}

struct Announce(Services);

impl JobHandler for Announce {
    fn run<'a>(&'a self, job: &'a Lease) -> BoxFuture<'a, Result<(), JobError>> {
        Box::pin(async move {
            let cards = self.0.announce_maintenance(int(job, "window")?).await.map_err(|e| JobError::Retry(e.to_string()))?;
            tracing::info!(cards, "maintenance announced");
            Ok(())
        })
    }
}

/// POSTs the incident as JSON to `monitoring.webhook`; with `monitoring.webhook_secret`, the
/// header `X-Loket-Signature: sha256=<hex HMAC-SHA256 of the body>`. A 2xx answer is done; any
/// other answer or no answer is retried with the jobs' backoff.
struct Webhook {
    services: Services,
    client: reqwest::Client,
}

impl JobHandler for Webhook {
    fn run<'a>(&'a self, job: &'a Lease) -> BoxFuture<'a, Result<(), JobError>> {
        Box::pin(async move {
            let settings = self.services.monitoring();
            let Some(url) = settings.webhook.as_deref() else { return Ok(()) };
            let body = serde_json::to_vec(&job.payload).map_err(|e| JobError::Permanent(e.to_string()))?;
            let mut request = self
                .client
                .post(url)
                .timeout(std::time::Duration::from_secs(15))
                .header("content-type", "application/json")
                .header("user-agent", "Loket-Monitor/1");
            if let Some(secret) = settings.webhook_secret.as_deref() {
                let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map_err(|e| JobError::Permanent(e.to_string()))?;
                mac.update(&body);
                request = request.header("x-loket-signature", format!("sha256={}", hex::encode(mac.finalize().into_bytes())));
            }
            let answer = request.body(body).send().await.map_err(|e| JobError::Retry(format!("webhook: {e}")))?;
            if answer.status().is_success() { Ok(()) } else { Err(JobError::Retry(format!("webhook answered {}", answer.status()))) }
        })
    }
}

struct Daily(Services);

impl JobHandler for Daily {
    fn run<'a>(&'a self, _job: &'a Lease) -> BoxFuture<'a, Result<(), JobError>> {
        Box::pin(async move {
            let purged = self.0.purge_monitoring().await.map_err(|e| JobError::Retry(e.to_string()))?;
            tracing::info!(purged, "monitoring results purged");
            // On the first of the month, and the two days after for a provider whose nodes
            // were down: each card's report and credits are given once.
            if self.0.today().day() <= 3 {
                let month = self.0.last_month();
                let run = self.0.monthly_reports(&month).await.map_err(|e| JobError::Retry(e.to_string()))?;
                tracing::info!(month, cards = run.cards, services = run.services, credits = run.credits, "availability reports");
            }
            Ok(())
        })
    }
}
