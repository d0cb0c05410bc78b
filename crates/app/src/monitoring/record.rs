//! A batch of finished checks recorded in one transaction: each monitor's health moved on by
//! the domain's rule, the time since its last check cut into hours, days and months with
//! maintenance apart, the raw results kept, incidents opened, reopened (flapping) or closed,
//! and what the provider, the card and the helpdesk are told enqueued with them.

use std::collections::HashMap;

use loket_domain::monitoring::maintenance::merge;
use loket_domain::monitoring::rollup::{Buckets, Tally, cut};
use loket_domain::monitoring::state::{Change, Pace, observe};
use loket_store::monitoring::results::{NewState, Raw, Rollups};
use loket_store::monitoring::{self as store, incidents};

use super::alerts;
use crate::{AppError, Services};

/// One check as the checker finished it.
#[derive(Debug, Clone)]
pub struct CheckDone {
    pub monitor_id: i64,
    /// When it started (ms since the epoch).
    pub at_ms: i64,
    pub ok: bool,
    pub latency_ms: i64,
    /// The cause's stored name when it failed.
    pub cause: Option<String>,
    pub detail: String,
    pub cert_not_after: Option<i64>,
}

/// What a batch changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recorded {
    pub checks: usize,
    pub opened: usize,
    pub reopened: usize,
    pub closed: usize,
}

/// A maintenance window's monitors (none: every monitor) and its occurrences `[from, to)` in ms.
type Occurrences = (Option<Vec<i64>>, Vec<(i64, i64)>);

impl Services {
    /// Records `checks` (any order; several of one monitor are taken in time order). A check of
    /// a monitor that no longer exists is dropped.
    pub async fn record_checks(&self, checks: &[CheckDone]) -> Result<Recorded, AppError> {
        if checks.is_empty() {
            return Ok(Recorded::default());
        }
        let tz = self.provider.tz();
        let mut sorted: Vec<&CheckDone> = checks.iter().collect();
        sorted.sort_by_key(|c| (c.monitor_id, c.at_ms));
        let mut ids: Vec<i64> = sorted.iter().map(|c| c.monitor_id).collect();
        ids.dedup();
        let mut tx = self.store.begin().await?;
        let monitors: HashMap<i64, store::Monitor> = store::many(&mut tx, &ids).await?.into_iter().map(|m| (m.id, m)).collect();
        let windows = store::maintenance::all(&mut tx).await?;
        let (from, to) = (sorted.iter().map(|c| c.at_ms).min().unwrap_or(0), sorted.iter().map(|c| c.at_ms).max().unwrap_or(0));
        // Maintenance that could touch this batch's stretches (at most two intervals back).
        let reach = 2 * 86_400_000 + 60_000;
        let occurrences: Vec<Occurrences> = windows
            .iter()
            .map(|w| (if w.all_monitors { None } else { Some(w.monitor_ids.clone()) }, w.window.occurrences(&tz, from - reach, to + 1)))
            .filter(|(_, o)| !o.is_empty())
            .collect();
        let mut raw = Vec::with_capacity(sorted.len());
        let mut rollups = Rollups::default();
        let mut states: HashMap<i64, NewState> = HashMap::new();
        let mut recorded = Recorded { checks: sorted.len(), ..Recorded::default() };
        let flap_ms = self.monitoring.flap_window.as_millis() as i64;
        for c in sorted {
            let Some(m) = monitors.get(&c.monitor_id) else { continue };
            let current = states.get(&m.id).map(|s| s.state).unwrap_or(m.state);
            let mut incident_id = states.get(&m.id).map(|s| s.incident_id).unwrap_or(m.incident_id);
            let pace = Pace::of(m.spec.interval_secs, m.spec.timeout_secs);
            let step = observe(current, c.at_ms, c.ok, pace);
            if step.state == current {
                continue; // late: a newer check was already recorded
            }
            let maintenance: Vec<(i64, i64)> = merge(
                occurrences
                    .iter()
                    .filter(|(only, _)| only.as_ref().is_none_or(|ids| ids.contains(&m.id)))
                    .flat_map(|(_, o)| o.iter().copied())
                    .collect(),
            );
            let in_maintenance = |at: i64| maintenance.iter().any(|(f, t)| *f <= at && at < *t);
            if let Some(segment) = step.segment {
                for (b, t) in cut(&segment, &maintenance, &tz) {
                    rollups.add(m.id, b.hour, b.day, &t);
                }
            }
            let b = Buckets::of(c.at_ms, &tz);
            rollups.add(m.id, b.hour, b.day, &Tally::check(c.ok, c.latency_ms));
            raw.push(Raw { monitor_id: m.id, at_ms: c.at_ms, ok: c.ok, latency_ms: c.latency_ms, cause: c.cause.clone() });
            match step.change {
                // A failure that begins in a maintenance window is the maintenance: no incident.
                Some(Change::Failed { since }) if in_maintenance(since) || in_maintenance(c.at_ms) => {}
                Some(Change::Failed { since }) => {
                    match incidents::ended_since(&mut tx, m.id, since - flap_ms).await? {
                        Some(last) => {
                            // Flapping: the same incident goes on; nobody is told again.
                            incidents::reopen(&mut tx, last.id).await?;
                            incident_id = Some(last.id);
                            recorded.reopened += 1;
                        }
                        None => {
                            let id = incidents::open(&mut tx, m.id, since, c.cause.as_deref(), &c.detail).await?;
                            alerts::incident_opened(self, &mut tx, m, id, since, c).await?;
                            incident_id = Some(id);
                            recorded.opened += 1;
                        }
                    }
                }
                Some(Change::Recovered { at }) => {
                    if let Some(id) = incident_id.take() {
                        incidents::close(&mut tx, id, at).await?;
                        alerts::enqueue_recovery(&mut tx, id, at, at + flap_ms).await?;
                        recorded.closed += 1;
                    }
                }
                None => {}
            }
            states.insert(
                m.id,
                NewState {
                    monitor_id: m.id,
                    state: step.state,
                    latency_ms: c.latency_ms,
                    detail: Some(c.detail.clone()).filter(|d| !d.is_empty()),
                    cert_not_after: c.cert_not_after,
                    incident_id,
                    retry_at_ms: step.retry_at,
                },
            );
        }
        let states: Vec<NewState> = states.into_values().collect();
        store::results::write(&mut tx, &raw, &rollups, &states).await?;
        loket_store::commit(tx).await?;
        if recorded.opened + recorded.closed > 0 {
            self.wake_jobs();
        }
        Ok(recorded)
    }

    /// Deletes raw results and hourly roll-ups past their keeping time, a page of monitors per
    /// transaction; returns the rows deleted.
    pub async fn purge_monitoring(&self) -> Result<u64, AppError> {
        let now = self.now().as_millisecond();
        let raw_before = now - self.monitoring.keep_raw.as_millis() as i64;
        let hours_before = now - self.monitoring.keep_hours.as_millis() as i64;
        let (mut after, mut gone) = (0, 0);
        loop {
            let mut tx = self.store.begin().await?;
            let ids = store::results::ids_after(&mut tx, after, 200).await?;
            let Some(last) = ids.last().copied() else { break };
            gone += store::results::purge(&mut tx, &ids, raw_before, hours_before).await?;
            loket_store::commit(tx).await?;
            after = last;
        }
        Ok(gone)
    }
}
