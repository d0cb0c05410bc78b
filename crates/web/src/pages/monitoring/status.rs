//! The public status page `/status`: no sign-in. The provider's public, active monitors as one
//! list — state in words, the last 30 days a cell each, this month — their open incidents and
//! the maintenance of the next 14 days. The summary says only what is true: every service up,
//! how many have a problem, or that nothing is measured yet. Cached for 30 seconds.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use jiff::ToSpan;
use loket_domain::monitoring::state::Health;
use loket_store::monitoring::{self as store, Filter, incidents, maintenance, results};
use serde_json::{Value, json};

use super::{cause, day_cells, health, over, percent, when_ms};
use crate::http::render::{error_page, render_page};
use crate::{AppState, Lang, WebError};

/// How far ahead maintenance is announced on the page.
const AHEAD_MS: i64 = 14 * 86_400_000;

pub fn routes() -> Router<AppState> {
    Router::new().route("/status", get(status))
}

/// The summary line: (message id, count with a problem, total).
fn summary(healths: &[Health]) -> (&'static str, usize, usize) {
    let total = healths.len();
    let problems = healths.iter().filter(|h| matches!(h, Health::Down | Health::Suspect)).count();
    let up = healths.iter().filter(|h| **h == Health::Up).count();
    if total == 0 || up + problems == 0 {
        ("monitoring-status-not-measured", 0, total)
    } else if problems > 0 {
        ("monitoring-status-problems", problems, total)
    } else if up == total {
        ("monitoring-status-all-up", 0, total)
    } else {
        ("monitoring-status-partly-measured", total - up, total)
    }
}

async fn status(State(state): State<AppState>, lang: Lang) -> Response {
    let result = async {
        let l = lang.lang;
        let today = state.app.today();
        let now_ms = state.app.now().as_millisecond();
        let first_day = today.checked_sub(29.days()).unwrap_or(today);
        let month_start = today.first_of_month();
        let mut conn = state.store.acquire().await?;
        let monitors: Vec<_> = store::list(&mut conn, &Filter { public_only: true, limit: 1000, ..Default::default() })
            .await?
            .into_iter()
            .filter(|m| m.spec.active)
            .collect();
        let mut rows = Vec::with_capacity(monitors.len());
        for m in &monitors {
            let days = results::days(&mut conn, m.id, first_day.min(month_start), today).await?;
            rows.push(json!({
                "name": m.spec.name,
                "health": health(l, m.state.health),
                "days": day_cells(l, first_day, today, &days),
                "days30": percent(l, over(&days, first_day, today)),
                "month": percent(l, over(&days, month_start, today)),
            }));
        }
        let ids: Vec<i64> = monitors.iter().map(|m| m.id).collect();
        let open: Vec<Value> = incidents::open_now(&mut conn, None)
            .await?
            .into_iter()
            .filter(|i| ids.contains(&i.monitor_id))
            .map(|i| json!({ "monitor": i.monitor_name, "since": when_ms(&state, l, i.started_ms), "cause": cause(l, i.cause.as_deref()) }))
            .collect();
        let tz = state.provider.tz();
        let mut upcoming = Vec::new();
        for w in maintenance::all(&mut conn).await? {
            if !w.all_monitors && !w.monitor_ids.iter().any(|m| ids.contains(m)) {
                continue;
            }
            for (s, e) in w.window.occurrences(&tz, now_ms, now_ms + AHEAD_MS) {
                upcoming.push((s, json!({ "reason": w.reason, "starts": when_ms(&state, l, s), "ends": when_ms(&state, l, e) })));
            }
        }
        upcoming.sort_by_key(|(s, _)| *s);
        let healths: Vec<Health> = monitors.iter().map(|m| m.state.health).collect();
        let (key, problems, total) = summary(&healths);
        Ok::<_, WebError>(json!({
            "summary": { "key": key, "problems": problems, "total": total, "bad": problems > 0 },
            "monitors": rows,
            "incidents": open,
            "maintenance": upcoming.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
            "from": loket_i18n::format_date(l, first_day),
            "to": loket_i18n::format_date(l, today),
            "month": loket_i18n::format_month(l, today),
            "updated": when_ms(&state, l, now_ms),
        }))
    }
    .await;
    match result {
        // Rendered without the session: the page is the same for everyone, so it may be cached.
        Ok(data) => {
            let mut res = render_page(&state, lang, None, "monitoring/status.html.j2", StatusCode::OK, data);
            let shared = !res.headers().contains_key(header::SET_COOKIE);
            let cache = if shared { "public, max-age=30" } else { "private, max-age=30" };
            res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
            res
        }
        Err(e) => error_page(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_claims_only_what_is_true() {
        use Health::*;
        assert_eq!(summary(&[]).0, "monitoring-status-not-measured");
        assert_eq!(summary(&[Unknown, Unknown]).0, "monitoring-status-not-measured");
        assert_eq!(summary(&[Up, Up]).0, "monitoring-status-all-up");
        assert_eq!(summary(&[Up, Down, Suspect]), ("monitoring-status-problems", 2, 3));
        assert_eq!(summary(&[Up, Unknown]), ("monitoring-status-partly-measured", 1, 2));
    }
}
