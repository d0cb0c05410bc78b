//! The demo's hosting usage: for every hosting package and VPS of the demo cards, a daily point
//! of storage and traffic over the last 120 days (or since the service started), with the
//! quota of its package, fed through the same service as `POST /api/v1/usage`.

use jiff::ToSpan;
use loket_domain::usage::UsagePoint;
use loket_store::audit::Actor;

use crate::app::App;

/// Days of history per service.
const DAYS: i64 = 120;

pub async fn load(app: &App, cards: &[i64]) -> anyhow::Result<()> {
    let services = app.services();
    let today = services.today();
    let catalog = app.store.catalog(app.config.provider.currency).await?;
    let mut points = Vec::new();
    for (n, card) in cards.iter().enumerate() {
        for s in app.store.customer_subscriptions(*card).await? {
            let Some(plan) = catalog.plans.get(&s.plan_id) else { continue };
            // Storage quota (MB) of the demo's packages.
            let quota = match plan.code.as_str() {
                c if c.starts_with("hosting-start") => 5_120,
                c if c.starts_with("hosting") => 10_240,
                c if c.starts_with("vps") => 51_200,
                _ => continue,
            };
            let last = s.ends_on.map(|e| e.yesterday().unwrap_or(e)).unwrap_or(today).min(today);
            let mut day = (today - DAYS.days()).max(s.start_date);
            let mut i = 0i64;
            while day <= last {
                // A site that slowly grows, with weekly rhythm in its traffic and a busy month.
                let storage = quota / 7 + (n as i64 + 1) * 9 * i + (i % 11) * 13;
                let weekday = i64::from(day.weekday().to_monday_zero_offset());
                let traffic =
                    180 + (n as i64) * 120 + if weekday >= 5 { 90 } else { 0 } + (i % 17) * 7 + if day.month() == 11 { 60 } else { 0 };
                points.push(UsagePoint {
                    subscription_id: s.id,
                    day,
                    storage_mb: storage,
                    traffic_mb: traffic,
                    storage_quota_mb: Some(quota),
                    traffic_quota_mb: Some(quota * 10 / 30),
                });
                day = day.tomorrow()?;
                i += 1;
            }
        }
    }
    let at = |i: usize| format!("demo point {i}: ");
    loket_app::usage::record(&services, &Actor::system(), &points, &at).await.map_err(|e| anyhow::anyhow!("demo usage: {e}"))?;
    Ok(())
}
