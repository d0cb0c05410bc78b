//! Monitoring against the SLA: the monitors file and single monitors (`apply`, `put_monitor`),
//! a batch of checks recorded (`record.rs`), incidents told to the provider, the card and the
//! helpdesk (`alerts.rs`), maintenance windows announced, and the monthly report with its
//! credits (`report.rs`). The checking itself (claiming slots, probing) runs in the binary and
//! hands its results to `record_checks`.

pub mod alerts;
pub mod mails;
pub mod record;
pub mod report;

use std::collections::BTreeMap;

use jiff::SignedDuration;
use loket_domain::FieldError;
use loket_domain::monitoring::availability::{Sla, parse_percent};
use loket_domain::monitoring::maintenance::WindowInput;
use loket_domain::monitoring::{Spec, SpecInput, next_slot_ms, phase_ms};
use loket_store::audit::Actor;
use loket_store::monitoring as store;
use serde::{Deserialize, Serialize};

use crate::{AppError, Services, audit, invalid};

/// `[monitoring]` in the configuration.
#[derive(Debug, Clone)]
pub struct MonitoringSettings {
    /// Where the provider hears of incidents (e-mail); none: the helpdesk's `staff_notify`.
    pub alert: Option<String>,
    /// A URL that gets each incident as JSON (signed with `webhook_secret`).
    pub webhook: Option<String>,
    pub webhook_secret: Option<String>,
    /// How long raw results are kept, and hourly roll-ups (days and months are kept).
    pub keep_raw: SignedDuration,
    pub keep_hours: SignedDuration,
    /// A failure this soon after a recovery reopens the same incident; a recovery is announced
    /// only when it held this long.
    pub flap_window: SignedDuration,
    /// Incidents of a card's service open a helpdesk ticket (when the helpdesk is on).
    pub tickets: bool,
}

impl Default for MonitoringSettings {
    fn default() -> Self {
        MonitoringSettings {
            alert: None,
            webhook: None,
            webhook_secret: None,
            keep_raw: SignedDuration::from_hours(12),
            keep_hours: SignedDuration::from_hours(366 * 24),
            flap_window: SignedDuration::from_mins(15),
            tickets: true,
        }
    }
}

/// The monitors file: `[sla]` (the provider's default and per plan), `[monitors.CODE]`,
/// `[maintenance.CODE]`. Like the billing file it changes only what it names.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonitorsFile {
    #[serde(default)]
    pub sla: Option<SlaFile>,
    #[serde(default)]
    pub monitors: BTreeMap<String, SpecInput>,
    #[serde(default)]
    pub maintenance: BTreeMap<String, MaintenanceInput>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaFile {
    /// Every monitored service's target unless its plan has its own: `"99.8 %"`.
    pub target: Option<String>,
    /// Percent of the month's price credited when a month falls short: `"10 %"`.
    pub credit: Option<String>,
    #[serde(default)]
    pub plans: BTreeMap<String, SlaPlan>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaPlan {
    pub target: String,
    pub credit: Option<String>,
}

/// A maintenance window as written: its times, why, and which monitors (`["*"]` for all).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MaintenanceInput {
    #[serde(flatten)]
    pub window: WindowInput,
    pub reason: String,
    pub monitors: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Applied {
    pub monitors_new: usize,
    pub monitors_changed: usize,
    pub maintenance: usize,
    pub sla: usize,
}

impl MonitorsFile {
    pub fn parse(text: &str) -> Result<MonitorsFile, AppError> {
        toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| text[..s.start.min(text.len())].lines().count().max(1));
            let field = line.map(|l| format!("line {l}")).unwrap_or_else(|| "file".into());
            AppError::Invalid(vec![FieldError::new(field, e.message().to_string())])
        })
    }
}

fn percent(field: &str, s: Option<&str>, default: i64, e: &mut Vec<FieldError>) -> i64 {
    match s {
        None => default,
        Some(s) => parse_percent(field, s).map_err(|x| e.push(x)).unwrap_or(default),
    }
}

fn credit_percent(field: &str, s: Option<&str>, e: &mut Vec<FieldError>) -> i64 {
    // A credit is a whole percentage (ppm / 10,000).
    let ppm = percent(field, s, 0, e);
    if ppm % 10_000 != 0 {
        e.push(FieldError::new(field, "a credit is a whole percentage, like \"10 %\""));
    }
    ppm / 10_000
}

impl Services {
    pub fn monitoring(&self) -> &MonitoringSettings {
        &self.monitoring
    }

    /// Applies a monitors file in one audited transaction, or refuses it whole naming every
    /// problem (`monitors.web-1.interval`, `maintenance.patch.starts`, `sla.plans.x.target`).
    pub async fn apply_monitors(&self, actor: &Actor, file: &MonitorsFile) -> Result<Applied, AppError> {
        let mut e = Vec::new();
        let mut slas = Vec::new();
        if let Some(sla) = &file.sla {
            if sla.target.is_some() || sla.credit.is_some() {
                let target = percent("sla.target", sla.target.as_deref(), 0, &mut e);
                let credit = credit_percent("sla.credit", sla.credit.as_deref(), &mut e);
                slas.push((String::new(), Sla { target, credit_percent: credit }));
            }
            for (plan, p) in &sla.plans {
                let f = format!("sla.plans.{plan}");
                let target = percent(&format!("{f}.target"), Some(&p.target), 0, &mut e);
                let credit = credit_percent(&format!("{f}.credit"), p.credit.as_deref(), &mut e);
                slas.push((plan.clone(), Sla { target, credit_percent: credit }));
            }
        }
        let mut specs = Vec::new();
        for (code, input) in &file.monitors {
            match input.check(&format!("monitors.{code}"), code) {
                Ok(s) => specs.push(s),
                Err(errs) => e.extend(errs),
            }
        }
        let mut windows = Vec::new();
        for (code, m) in &file.maintenance {
            let f = format!("maintenance.{code}");
            if code.is_empty() || code.len() > 64 || !code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
                e.push(FieldError::new(f.clone(), "a window's code has 1 to 64 letters, digits, '-', '_' or '.'"));
            }
            let reason = loket_domain::input::text(&format!("{f}.reason"), &m.reason, 300).map_err(|x| e.push(x)).ok();
            match m.window.check(&f) {
                Ok(w) => windows.push((code.clone(), reason.unwrap_or_default(), w, m.monitors.clone())),
                Err(errs) => e.extend(errs),
            }
            if m.monitors.is_empty() {
                e.push(FieldError::new(format!("{f}.monitors"), "name the monitors it concerns, or [\"*\"] for all"));
            }
        }
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        let mut tx = self.store.begin().await?;
        let mut applied = Applied::default();
        for (plan, sla) in &slas {
            store::maintenance::put_sla(&mut tx, plan, *sla).await?;
            applied.sla += 1;
        }
        for spec in &specs {
            match self.put_monitor_in(&mut tx, spec, &format!("monitors.{}.", spec.code)).await {
                Ok(true) => applied.monitors_new += 1,
                Ok(false) => applied.monitors_changed += 1,
                Err(AppError::Invalid(errs)) => e.extend(errs),
                Err(other) => return Err(other),
            }
        }
        for (code, reason, window, monitors) in &windows {
            let all = monitors.iter().any(|m| m == "*");
            let mut ids = Vec::new();
            for m in monitors.iter().filter(|m| *m != "*") {
                match store::by_code(&mut tx, m).await? {
                    Some(found) => ids.push(found.id),
                    None => e.push(FieldError::new(
                        format!("maintenance.{code}.monitors"),
                        format!("there is no monitor `{}`", loket_domain::input::sample(m)),
                    )),
                }
            }
            let (id, changed) = store::maintenance::put(&mut tx, code, reason, window, all, &ids).await?;
            if changed {
                alerts::enqueue_announcement(&mut tx, id).await?;
            }
            applied.maintenance += 1;
        }
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        let after = serde_json::to_value(&applied).ok();
        audit(&mut tx, actor, "monitoring.apply", ("monitors", None), None, after).await?;
        loket_store::commit(tx).await?;
        self.wake_jobs();
        Ok(applied)
    }

    /// One monitor, new or changed (the panel and the API); returns its id.
    pub async fn put_monitor(&self, actor: &Actor, code: &str, input: &SpecInput) -> Result<i64, AppError> {
        let spec = input.check("", code).map_err(AppError::Invalid)?;
        let mut tx = self.store.begin().await?;
        let new = self.put_monitor_in(&mut tx, &spec, "").await?;
        let id = store::by_code(&mut tx, &spec.code).await?.map(|m| m.id).ok_or(AppError::NotFound("monitor"))?;
        let after = serde_json::to_value(&spec).ok();
        audit(&mut tx, actor, if new { "monitor.create" } else { "monitor.update" }, ("monitor", Some(id.to_string())), None, after)
            .await?;
        loket_store::commit(tx).await?;
        Ok(id)
    }

    async fn put_monitor_in(&self, tx: &mut loket_store::Conn, spec: &Spec, prefix: &str) -> Result<bool, AppError> {
        let customer_id = match spec.subscription {
            None => None,
            Some(s) => match store::subscription_card(tx, s).await? {
                Some((c, _)) => Some(c),
                None => return Err(invalid(&format!("{prefix}subscription"), format!("there is no subscription {s}"))),
            },
        };
        let now_ms = self.now().as_millisecond();
        let phase = phase_ms(&spec.code, spec.interval_secs);
        let next = next_slot_ms(&spec.code, spec.interval_secs, now_ms);
        let (_, new) = store::put(tx, spec, customer_id, phase, next).await?;
        Ok(new)
    }

    /// The SLA of each plan ('' the default).
    pub async fn slas(&self) -> Result<Vec<(String, Sla)>, AppError> {
        let mut conn = self.store.acquire().await?;
        Ok(store::maintenance::slas(&mut conn).await?)
    }
}
