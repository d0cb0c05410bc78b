//! Monitoring's pages (issue 14). The public status page (`status.rs`: the provider's public
//! monitors, their last 30 days, open incidents and the maintenance to come); a card's monitors
//! and its monthly availability report with the PDF (`customer.rs`); for staff the monitors with
//! their counts per health, one monitor's history, its form, and the incidents (`staff.rs`,
//! `form.rs`). Times are the provider's local times; every state is said in words beside its
//! symbol, never by colour alone.

mod customer;
mod form;
mod staff;
mod status;

use axum::Router;
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use loket_domain::Language;
use loket_domain::monitoring::availability::{Ppm, availability, format_ppm};
use loket_domain::monitoring::rollup::Tally;
use loket_domain::monitoring::state::Health;
use loket_store::monitoring::Monitor;
use serde_json::{Value, json};

use crate::AppState;
use crate::http::layout::Translate;

pub fn routes() -> Router<AppState> {
    status::routes().merge(customer::routes()).merge(staff::routes()).merge(form::routes())
}

/// Healths in the order the counts are shown: what needs attention first.
pub(crate) const PROBLEMS_FIRST: [Health; 4] = [Health::Down, Health::Suspect, Health::Up, Health::Unknown];

/// A health as the design system shows it: the badge's class, a symbol (hidden from screen
/// readers, which read the words) and the words.
pub(crate) fn health(lang: Language, h: Health) -> Value {
    let b = health_badge(lang, h);
    json!({ "name": h.name(), "tone": b.tone, "symbol": b.symbol, "text": &*b.text })
}

/// A health as the monitoring block shows it (see [`health`]).
pub(crate) struct HealthBadge {
    tone: &'static str,
    symbol: &'static str,
    text: std::sync::Arc<str>,
}

fn health_badge(lang: Language, h: Health) -> HealthBadge {
    let (tone, symbol) = match h {
        Health::Up => ("paid", "✓"),
        Health::Suspect => ("waiting", "!"),
        Health::Down => ("overdue", "✕"),
        Health::Unknown => ("ended", "?"),
    };
    HealthBadge { tone, symbol, text: loket_i18n::t_shared(lang, &format!("monitoring-health-{}", h.name())) }
}

/// An open incident as the monitoring block lists it.
struct OpenIncident {
    monitor: String,
    since: String,
    cause: String,
}

/// The home pages' monitoring block (`templates/monitoring/block.html`), compiled: it is on
/// the dashboards, the pages served most.
#[derive(askama::Template)]
#[template(path = "monitoring/block.html")]
struct Block {
    lang: Language,
    link: String,
    total: i64,
    problems: i64,
    healths: Vec<(HealthBadge, i64)>,
    incidents: Vec<OpenIncident>,
    incidents_count: usize,
}

impl Translate for Block {
    fn lang(&self) -> Language {
        self.lang
    }
}

/// The home pages' monitoring block as HTML, linking to `link`: how many monitors are in each
/// health and the open incidents (of card `customer_id`, or all); none when there are no
/// monitors to speak of. The counts (`(health, monitors)`) come with the page's own counts (a
/// card's attention, the work queue's); the open incidents are read only when there are
/// monitors.
pub(crate) async fn block_of(
    state: &AppState,
    lang: Language,
    customer_id: Option<i64>,
    counts: &[(String, i64)],
    link: String,
) -> Result<Option<String>, crate::WebError> {
    use askama::Template;
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return Ok(None);
    }
    let open = loket_store::monitoring::incidents::open_now(&mut *state.store.acquire().await?, customer_id).await?;
    let count = |h: Health| counts.iter().filter(|(n, _)| n == h.name()).map(|(_, c)| *c).sum::<i64>();
    let block = Block {
        lang,
        link,
        total,
        problems: count(Health::Down) + count(Health::Suspect),
        healths: PROBLEMS_FIRST.iter().map(|h| (health_badge(lang, *h), count(*h))).filter(|(_, n)| *n != 0).collect(),
        incidents: open
            .iter()
            .take(5)
            .map(|i| OpenIncident {
                monitor: i.monitor_name.clone(),
                since: when_ms(state, lang, i.started_ms),
                cause: cause(lang, i.cause.as_deref()),
            })
            .collect(),
        incidents_count: open.len(),
    };
    block.render().map(Some).map_err(|e| crate::WebError::Template(format!("monitoring/block.html: {e}")))
}

/// A percentage with the reader's decimal sign (`99,950 %`), or "not measured".
pub(crate) fn percent(lang: Language, ppm: Option<Ppm>) -> String {
    match ppm {
        Some(p) => format!("{} %", loket_i18n::format_decimal(lang, &format_ppm(p))),
        None => loket_i18n::t(lang, "monitoring-not-measured"),
    }
}

/// An instant (ms since the epoch) as the provider's clock shows it.
pub(crate) fn when_ms(state: &AppState, lang: Language, ms: i64) -> String {
    Timestamp::from_millisecond(ms).map(|t| crate::pages::tickets::when(state, lang, t)).unwrap_or_default()
}

/// A length of time as `h:mm`.
pub(crate) fn hours_minutes(ms: i64) -> String {
    let minutes = ms.max(0) / 60_000;
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

/// The words of a stored cause (`timeout`, `status`, …), or none.
pub(crate) fn cause(lang: Language, cause: Option<&str>) -> String {
    match cause {
        Some(c) if !c.is_empty() => loket_i18n::t(lang, &format!("monitor-cause-{c}")),
        _ => String::new(),
    }
}

/// A monitor's row in a list: its state, last check and response time.
pub(crate) fn monitor_row(state: &AppState, lang: Language, m: &Monitor) -> Value {
    json!({
        "id": m.id,
        "code": m.spec.code,
        "name": m.spec.name,
        "kind": m.spec.kind.name(),
        "target": m.spec.target,
        "active": m.spec.active,
        "public": m.spec.public,
        "customer_id": m.customer_id,
        "health": health(lang, if m.spec.active { m.state.health } else { Health::Unknown }),
        "last": m.state.last_at.map(|t| when_ms(state, lang, t)),
        "latency": m.last_latency_ms.filter(|_| m.state.last_at.is_some()),
        "detail": m.last_detail,
    })
}

/// Days from `from` to `to` as cells of a strip: each with its class and its words.
pub(crate) fn day_cells(lang: Language, from: Date, to: Date, days: &[(Date, Tally)]) -> Vec<Value> {
    let mut out = Vec::new();
    let mut d = from;
    while d <= to {
        let a = days.iter().find(|(day, _)| *day == d).and_then(|(_, t)| availability(t.up_ms, t.down_ms));
        let level = match a {
            None => "none",
            Some(p) if p >= 999_000 => "up",
            Some(p) if p >= 990_000 => "warn",
            Some(_) => "down",
        };
        out.push(json!({ "level": level, "text": format!("{}: {}", loket_i18n::format_date(lang, d), percent(lang, a)) }));
        match d.checked_add(1.day()) {
            Ok(next) => d = next,
            Err(_) => break,
        }
    }
    out
}

/// The availability of the days in `[from, to]`.
pub(crate) fn over(days: &[(Date, Tally)], from: Date, to: Date) -> Option<Ppm> {
    let mut t = Tally::default();
    for (_, day) in days.iter().filter(|(d, _)| *d >= from && *d <= to) {
        t.add(day);
    }
    availability(t.up_ms, t.down_ms)
}
