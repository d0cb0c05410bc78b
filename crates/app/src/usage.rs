//! Recording the use of hosting services. A batch (an API request, a usage file) is checked
//! whole — every point valid, every subscription known and measured while it ran, no service
//! twice on one day — and then
//! written in one transaction, so a bad row means nothing of the batch is stored. A day fed
//! again replaces the earlier figures.

use std::collections::HashMap;

use loket_domain::FieldError;
use loket_domain::billing::catalog::ProductKind;
use loket_domain::usage::{self, UsagePoint};
use loket_store::audit::Actor;
use serde::Serialize;

use crate::{AppError, Services, audit};

/// What a batch stored.
#[derive(Debug, Clone, Serialize)]
pub struct Recorded {
    /// Points written (new days and days fed again).
    pub points: usize,
    /// Distinct services they belong to.
    pub services: usize,
}

/// Problems named per batch: the first hundred say what is wrong with it.
const MAX_ERRORS: usize = 100;

/// What is wrong with `points` as a batch and against the services they are for: a service
/// twice on one day, a subscription that does not exist, one that has nothing to measure (a
/// domain name), a day before it started or after it ended. All problems at once (up to a
/// hundred), so a file is corrected in one round; `at(i)` names point `i`.
pub async fn check(
    conn: &mut loket_store::Conn,
    points: &[UsagePoint],
    at: &(dyn Fn(usize) -> String + Sync),
) -> Result<Vec<FieldError>, AppError> {
    let mut errors = Vec::new();
    let mut seen: HashMap<(i64, jiff::civil::Date), usize> = HashMap::new();
    for (i, p) in points.iter().enumerate() {
        if let Some(first) = seen.insert((p.subscription_id, p.day), i) {
            errors.push(FieldError::new(
                format!("{}date", at(i)),
                format!("subscription {} on {} is given at {} too", p.subscription_id, p.day, at(first).trim_end_matches([':', ' ', '.'])),
            ));
        }
    }
    let ids: Vec<i64> = points.iter().map(|p| p.subscription_id).collect();
    let services = loket_store::usage::measured(conn, &ids).await?;
    for (i, p) in points.iter().enumerate() {
        if errors.len() >= MAX_ERRORS {
            break;
        }
        match services.get(&p.subscription_id) {
            None => {
                errors.push(FieldError::new(format!("{}subscription_id", at(i)), format!("there is no subscription {}", p.subscription_id)))
            }
            Some(s) => {
                let kind = ProductKind::parse(&s.kind);
                if let Err((field, why)) = usage::fits(p, kind, s.start_date, s.ends_on) {
                    errors.push(FieldError::new(format!("{}{field}", at(i)), why));
                }
            }
        }
    }
    Ok(errors)
}

/// Stores `points`; `at(i)` names point `i` in errors (`points[3].` or `line 4: `).
pub async fn record(
    app: &Services,
    actor: &Actor,
    points: &[UsagePoint],
    at: &(dyn Fn(usize) -> String + Sync),
) -> Result<Recorded, AppError> {
    let mut tx = app.store.begin().await?;
    let errors = check(&mut tx, points, at).await?;
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    loket_store::usage::record(&mut tx, points).await?;
    let services = {
        let mut ids: Vec<i64> = points.iter().map(|p| p.subscription_id).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.len()
    };
    let from = points.iter().map(|p| p.day).min();
    let to = points.iter().map(|p| p.day).max();
    let after = serde_json::json!({ "points": points.len(), "services": services, "from": from, "to": to });
    audit(&mut tx, actor, "usage.record", ("usage", None), None, Some(after)).await?;
    loket_store::commit(tx).await?;
    Ok(Recorded { points: points.len(), services })
}
