//! Who hears of an incident, and of maintenance.
//!
//! - A confirmed failure: the provider's alert address (`monitoring.alert`, else the helpdesk's
//!   `staff_notify`) by mail through the outbox, the webhook (a job), a helpdesk ticket for the
//!   card — urgent outside office hours while the card has standby, high otherwise — and the
//!   card's people when the monitor says so.
//! - A recovery is told once it has held for the flap window (a job due then): a monitor that
//!   fails again before that reopened the incident, and the job finds nothing to tell.
//! - A maintenance window is announced to the cards whose services it concerns.

use jiff::Timestamp;
use loket_domain::helpdesk::ticket::Priority;
use loket_store::Conn;
use loket_store::jobs::{self, NewJob};
use loket_store::monitoring::{self as store, Monitor, incidents};

use super::record::CheckDone;
use crate::{AppError, Services};

pub const RECOVERED_JOB: &str = "monitoring.recovered";
pub const WEBHOOK_JOB: &str = "monitoring.webhook";
pub const ANNOUNCE_JOB: &str = "monitoring.announce";

/// `ms` as the provider's local date and time, `2026-11-14 03:10`.
pub fn local(app: &Services, ms: i64) -> String {
    Timestamp::from_millisecond(ms).map(|t| t.to_zoned(app.provider.tz()).strftime("%Y-%m-%d %H:%M").to_string()).unwrap_or_default()
}

async fn send(
    app: &Services,
    tx: &mut Conn,
    template: &str,
    lang: loket_domain::Language,
    to: &str,
    data: serde_json::Value,
) -> Result<(), AppError> {
    let message = app.composer.compose(template, lang, &[to], data).map_err(|e| AppError::Mail(e.to_string()))?;
    loket_store::outbox::enqueue_mail(tx, &crate::outgoing(message)).await?;
    Ok(())
}

fn alert_address(app: &Services) -> Option<String> {
    app.monitoring.alert.clone().or_else(|| app.helpdesk.as_ref().and_then(|h| h.staff_notify.clone()))
}

async fn webhook(app: &Services, tx: &mut Conn, event: &str, incident_id: i64, payload: serde_json::Value) -> Result<(), AppError> {
    if app.monitoring.webhook.is_none() {
        return Ok(());
    }
    let mut job = NewJob::new(WEBHOOK_JOB, serde_json::json!({ "event": event, "incident": incident_id, "data": payload }));
    job.idempotency_key = Some(format!("monitoring-webhook:{event}:{incident_id}"));
    jobs::enqueue(tx, &job).await?;
    Ok(())
}

/// A new incident of monitor `m` (its failure began at `since`): everyone who should know.
pub(crate) async fn incident_opened(
    app: &Services,
    tx: &mut Conn,
    m: &Monitor,
    incident_id: i64,
    since: i64,
    c: &CheckDone,
) -> Result<(), AppError> {
    let card = match m.customer_id {
        Some(id) => loket_store::customers::customer(&mut *tx, id).await?,
        None => None,
    };
    let customer_name = card.as_ref().map(|c| c.card.trading_name.clone().unwrap_or_else(|| c.card.legal_name.clone())).unwrap_or_default();
    // The helpdesk ticket first, so every mail can name it.
    let mut ticket = String::new();
    if let (Some(card), Some(helpdesk), true) = (&card, app.helpdesk.as_ref(), app.monitoring.tickets) {
        let now = app.now();
        let standby = loket_store::helpdesk::work::standby_at(&mut *tx, card.id, now).await?.is_some();
        let priority = if standby && !helpdesk.calendar.is_open(now) { Priority::Urgent } else { Priority::High };
        // In the card's language, as everything its people read; the cause by its name, the
        // checker's own words (an OS error, a status line) only when it has none.
        let lang = card.card.language;
        let cause = match c.cause.as_deref() {
            Some(code) if !code.is_empty() => loket_i18n::t(lang, &format!("monitor-cause-{code}")),
            _ => c.detail.clone(),
        };
        let subject = format!("{} — {}", m.spec.name, cause);
        let body = loket_i18n::t_args(
            lang,
            "monitor-ticket-body",
            &[
                ("name", &m.spec.name),
                ("kind", &m.spec.kind.to_string()),
                ("target", &m.spec.target),
                ("since", &local(app, since)),
                ("cause", &cause),
                ("detail", &c.detail),
            ],
        );
        let (ticket_id, reference) = app.system_ticket_in(&mut *tx, card.id, &subject, &body, priority, m.spec.notify_customer).await?;
        incidents::set_ticket(&mut *tx, incident_id, ticket_id).await?;
        ticket = reference.to_string();
    }
    let data = serde_json::json!({
        "monitor": m.spec.code,
        "name": m.spec.name,
        "target": m.spec.target,
        "since": local(app, since),
        "cause": c.cause.clone().unwrap_or_default(),
        "detail": c.detail,
        "customer": customer_name,
        "url": format!("{}/staff/monitors/{}", app.public_url, m.id),
        "ticket": ticket,
    });
    if let Some(to) = alert_address(app) {
        send(app, tx, "monitor-down", app.provider.default_language, &to, data.clone()).await?;
    }
    if let (Some(card), true) = (&card, m.spec.notify_customer) {
        let mut d = data.clone();
        d["url"] = serde_json::json!(format!("{}/customers/{}/monitoring", app.public_url, card.id));
        send(app, tx, "monitor-down", card.card.language, &card.card.email, d).await?;
    }
    webhook(app, tx, "incident.opened", incident_id, data).await
}

/// Tells of incident `id`'s recovery at `ended_ms` once it has held: a job due at `due_ms`.
pub(crate) async fn enqueue_recovery(tx: &mut Conn, id: i64, ended_ms: i64, due_ms: i64) -> Result<(), AppError> {
    let mut job = NewJob::new(RECOVERED_JOB, serde_json::json!({ "incident": id, "ended_ms": ended_ms }));
    job.idempotency_key = Some(format!("monitoring-recovered:{id}:{ended_ms}"));
    job.run_at = Timestamp::from_millisecond(due_ms).ok();
    jobs::enqueue(tx, &job).await?;
    Ok(())
}

pub(crate) async fn enqueue_announcement(tx: &mut Conn, window_id: i64) -> Result<(), AppError> {
    let mut job = NewJob::new(ANNOUNCE_JOB, serde_json::json!({ "window": window_id }));
    job.idempotency_key = Some(format!("monitoring-announce:{window_id}:{}", loket_store::time::now_micros()));
    jobs::enqueue(tx, &job).await?;
    Ok(())
}

impl Services {
    /// The `monitoring.recovered` job: incident `id` ended at `ended_ms` and (if it still did)
    /// the provider, the card and the ticket hear of it. Returns whether anything was told.
    pub async fn announce_recovery(&self, id: i64, ended_ms: i64) -> Result<bool, AppError> {
        let mut tx = self.store.begin().await?;
        let Some(incident) = incidents::get(&mut tx, id).await? else { return Ok(false) };
        if incident.ended_ms != Some(ended_ms) {
            return Ok(false); // it failed again: the incident goes on
        }
        let m = store::get(&mut tx, incident.monitor_id).await?.ok_or(AppError::NotFound("monitor"))?;
        let card = match m.customer_id {
            Some(c) => loket_store::customers::customer(&mut tx, c).await?,
            None => None,
        };
        let minutes = (ended_ms - incident.started_ms).max(0) / 60_000;
        let mut ticket = String::new();
        if let Some(t) = incident.ticket_id {
            let body = format!("{} answers again since {} (down {} minutes).", m.spec.name, local(self, ended_ms), minutes);
            self.system_note_in(&mut tx, t, &body).await?;
            ticket = loket_store::helpdesk::ticket(&mut tx, t).await?.map(|t| t.reference).unwrap_or_default();
        }
        let data = serde_json::json!({
            "monitor": m.spec.code,
            "name": m.spec.name,
            "target": m.spec.target,
            "since": local(self, incident.started_ms),
            "until": local(self, ended_ms),
            "minutes": minutes,
            "cause": incident.cause.clone().unwrap_or_default(),
            "detail": incident.detail,
            "customer": card.as_ref().map(|c| c.card.legal_name.clone()).unwrap_or_default(),
            "url": format!("{}/staff/monitors/{}", self.public_url, m.id),
            "ticket": ticket,
        });
        if let Some(to) = alert_address(self) {
            send(self, &mut tx, "monitor-up", self.provider.default_language, &to, data.clone()).await?;
        }
        if let (Some(card), true) = (&card, m.spec.notify_customer) {
            let mut d = data.clone();
            d["url"] = serde_json::json!(format!("{}/customers/{}/monitoring", self.public_url, card.id));
            send(self, &mut tx, "monitor-up", card.card.language, &card.card.email, d).await?;
        }
        webhook(self, &mut tx, "incident.resolved", id, data).await?;
        loket_store::commit(tx).await?;
        self.wake_jobs();
        Ok(true)
    }

    /// The `monitoring.announce` job: window `id`'s next occurrence told to every card whose
    /// monitored services it concerns, each in its language. Returns how many cards.
    pub async fn announce_maintenance(&self, id: i64) -> Result<usize, AppError> {
        let tz = self.provider.tz();
        let mut tx = self.store.begin().await?;
        let windows = store::maintenance::all(&mut tx).await?;
        let Some(w) = windows.into_iter().find(|w| w.id == id) else { return Ok(0) };
        let now = self.now().as_millisecond();
        let Some((starts, ends)) = w.window.occurrences(&tz, now, now + 366 * 86_400_000).into_iter().next() else {
            store::maintenance::mark_announced(&mut tx, id).await?;
            loket_store::commit(tx).await?;
            return Ok(0);
        };
        // The cards concerned and the names of their services.
        let mut cards: std::collections::BTreeMap<i64, Vec<String>> = Default::default();
        let mut after = String::new();
        loop {
            let page = store::list(&mut tx, &store::Filter { after: Some(after.clone()), limit: 1000, ..Default::default() }).await?;
            let Some(last) = page.last() else { break };
            after = last.spec.code.clone();
            for m in page {
                if let Some(c) = m.customer_id
                    && (w.all_monitors || w.monitor_ids.contains(&m.id))
                {
                    cards.entry(c).or_default().push(m.spec.name);
                }
            }
        }
        for (card_id, services) in &cards {
            let Some(card) = loket_store::customers::customer(&mut tx, *card_id).await? else { continue };
            let data = serde_json::json!({
                "reason": w.reason,
                "starts": local(self, starts),
                "ends": local(self, ends),
                "repeat": w.window.repeat.name(),
                "services": services,
                "url": format!("{}/customers/{}/monitoring", self.public_url, card_id),
            });
            send(self, &mut tx, "maintenance-announced", card.card.language, &card.card.email, data).await?;
        }
        store::maintenance::mark_announced(&mut tx, id).await?;
        loket_store::commit(tx).await?;
        self.wake_jobs();
        Ok(cards.len())
    }
}
