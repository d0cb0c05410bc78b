//! A service of a customer card (a hosting package, a VPS): its plan, state and term, and its use
//! of storage and data traffic against the quota as charts over time (seed 001). The card's own
//! users see it at `/customers/{id}/services/{sid}`, staff at `/staff/customers/{id}/services/{sid}`.

mod chart;
mod domain;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use jiff::civil::Date;
use loket_domain::Language;
use loket_domain::access::{Permission, StaffAction};
use loket_domain::usage::UsagePoint;
use loket_i18n::format_megabytes;
use loket_store::accounts::Session;
use serde::Deserialize;

use crate::http::layout::{Chrome, Translate};
use crate::http::render::error_page;
use crate::http::session::{SignedIn, Staff};
use crate::{AppState, Lang, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers/{id}/services/{sid}", get(customer_service))
        .route("/staff/customers/{id}/services/{sid}", get(staff_service))
        .merge(domain::routes())
}

/// How far back the charts look.
#[derive(Deserialize)]
struct Range {
    days: Option<u32>,
    /// Set after a contact change was requested: the page thanks the user.
    sent: Option<u8>,
}

const RANGES: [u32; 3] = [30, 90, 365];

async fn customer_service(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path((id, sid)): Path<(String, String)>,
    Query(range): Query<Range>,
) -> Response {
    let result = async {
        let cid: i64 = id.parse().map_err(|_| WebError::NotFound)?;
        let m = crate::http::session::membership(&state, &session, cid).await?.ok_or(WebError::NotFound)?;
        if !m.permissions.has(Permission::ViewInvoices) && !m.permissions.has(Permission::ManageServices) {
            return Err(WebError::Forbidden("you may not see this card's services".into()));
        }
        let mut data = service_data(&state, lang, cid, &sid, range.days, false, None).await?;
        data.sent = range.sent.is_some();
        data.can_request = m.permissions.has(Permission::ManageServices);
        Ok(data)
    }
    .await;
    match result {
        Ok(data) => render(&state, lang, &session, StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}

async fn staff_service(
    State(state): State<AppState>,
    lang: Lang,
    staff: Staff,
    Path((id, sid)): Path<(String, String)>,
    Query(range): Query<Range>,
) -> Response {
    let result = async {
        staff.require(StaffAction::ViewCustomers)?;
        let cid: i64 = id.parse().map_err(|_| WebError::NotFound)?;
        service_data(&state, lang, cid, &sid, range.days, true, None).await
    }
    .await;
    match result {
        Ok(data) => render(&state, lang, &staff.0, StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}

/// The service page (`templates/services/service.html`), compiled by askama: with a year of
/// usage it was the dearest page to render through minijinja.
#[derive(askama::Template)]
#[template(path = "services/service.html")]
struct ServiceView {
    chrome: Chrome,
    p: ServicePage,
}

impl Translate for ServiceView {
    fn lang(&self) -> Language {
        self.chrome.lang
    }
}

impl ServiceView {
    /// The signed-in user's form token.
    fn csrf(&self) -> &str {
        self.chrome.user.as_ref().map_or("", |u| u.csrf.as_str())
    }

    /// Where the page's links start: the back office's pages for staff.
    fn prefix(&self) -> &'static str {
        if self.p.staff { "/staff" } else { "" }
    }
}

/// `data` as the page for `session`, with `status`.
fn render(state: &AppState, lang: Lang, session: &Session, status: StatusCode, data: ServicePage) -> Response {
    let path = crate::http::middleware::request_path();
    let view = ServiceView { chrome: Chrome::new(state, lang.lang, Some(session), &path), p: data };
    crate::http::render::render_compiled(lang, status, "services/service.html", &view)
}

/// A service's page: its facts, its usage and, for a domain, its contacts.
struct ServicePage {
    customer: crate::pages::CardName,
    staff: bool,
    /// A contact change was just requested (the customer's page only).
    sent: bool,
    /// The reader may request a contact change.
    can_request: bool,
    service: ServiceFacts,
    days: u32,
    ranges: [u32; 3],
    latest: Option<Latest>,
    months: Vec<Month>,
    storage_chart: String,
    traffic_chart: String,
    /// The charts draw each week's highest day, not every day.
    weekly: bool,
    storage_peak: String,
    storage_quota: Option<String>,
    traffic_peak: String,
    from: String,
    to: String,
    has_points: bool,
    domain: Option<domain::Section>,
}

struct ServiceFacts {
    id: i64,
    label: String,
    plan: Option<String>,
    state: &'static str,
    start_date: String,
    term: Option<String>,
    last_day: Option<String>,
}

/// The latest day's use, against the quotas.
struct Latest {
    day: String,
    storage: String,
    storage_quota: Option<String>,
    storage_percent: Option<i64>,
    traffic: String,
}

/// A calendar month's peak storage and total traffic.
struct Month {
    month: String,
    storage: String,
    traffic: String,
    days: usize,
}

/// The page's data; `form` is a contact form sent back with its errors.
async fn service_data(
    state: &AppState,
    lang: Lang,
    cid: i64,
    sid: &str,
    days: Option<u32>,
    staff: bool,
    form: Option<&domain::SentForm<'_>>,
) -> Result<ServicePage, WebError> {
    let sid: i64 = sid.parse().map_err(|_| WebError::NotFound)?;
    let customer = state.store.customer(cid).await?.ok_or(WebError::NotFound)?;
    let today = state.app.today();
    let days = days.filter(|d| RANGES.contains(d)).unwrap_or(90);
    let from = loket_domain::billing::plus_days(today, -i64::from(days - 1));
    let service = state.billing().service(&customer, sid, today, from).await?.ok_or(WebError::NotFound)?;
    let (s, points) = (&service.subscription, &service.usage);
    let o = service.overview.as_ref();
    let l = lang.lang;
    let date = |d: Date| loket_i18n::format_date(l, d);
    let latest = points.last();
    // Each point's day counted in days after `from`, once for both charts.
    let span = loket_domain::billing::days_between(from, today);
    let (mut prev, mut after) = (from, 0);
    let mut storage: Vec<(i64, i64)> = Vec::with_capacity(points.len());
    let mut traffic: Vec<(i64, i64)> = Vec::with_capacity(points.len());
    for p in points {
        after += loket_domain::billing::days_between(prev, p.day);
        prev = p.day;
        storage.push((after, p.storage_mb));
        traffic.push((after, p.traffic_mb));
    }
    let storage_quota = latest.and_then(|p| p.storage_quota_mb);
    let peak = |v: &[(i64, i64)]| v.iter().map(|p| p.1).max().unwrap_or(0);
    let storage_title = loket_i18n::t(l, "service-storage");
    let traffic_title = loket_i18n::t(l, "service-traffic");
    let domain =
        if o.is_some_and(|o| o.product_kind == "domain") { Some(domain::section(state, l, &customer, sid, form).await?) } else { None };
    Ok(ServicePage {
        staff,
        sent: false,
        can_request: false,
        service: ServiceFacts {
            id: s.id,
            label: s.label.clone(),
            plan: o.map(|o| o.plan.clone()),
            state: s.state().name(),
            start_date: date(s.start_date),
            term: o.and_then(|o| o.term_start.zip(o.term_end)).map(|(a, b)| format!("{} – {}", date(a), date(b.yesterday().unwrap_or(b)))),
            last_day: o.and_then(|o| o.last_day).map(date),
        },
        days,
        ranges: RANGES,
        latest: latest.map(|p| summary(l, p)),
        months: months(l, points),
        storage_chart: chart::line(&chart::peaks(&storage, span), storage_quota, span, &storage_title),
        traffic_chart: chart::line(&chart::peaks(&traffic, span), None, span, &traffic_title),
        weekly: i64::from(days) > chart::DAILY_UP_TO,
        storage_peak: format_megabytes(l, peak(&storage)),
        storage_quota: storage_quota.map(|q| format_megabytes(l, q)),
        traffic_peak: format_megabytes(l, peak(&traffic)),
        from: date(from),
        to: date(today),
        has_points: !points.is_empty(),
        domain,
        customer: (&customer).into(),
    })
}

fn summary(l: Language, p: &UsagePoint) -> Latest {
    let percent = |used: i64, quota: Option<i64>| quota.filter(|q| *q > 0).map(|q| (used.saturating_mul(100) / q).min(999));
    Latest {
        day: loket_i18n::format_date(l, p.day),
        storage: format_megabytes(l, p.storage_mb),
        storage_quota: p.storage_quota_mb.map(|q| format_megabytes(l, q)),
        storage_percent: percent(p.storage_mb, p.storage_quota_mb),
        traffic: format_megabytes(l, p.traffic_mb),
    }
}

/// Per calendar month: the peak storage and the sum of traffic, newest first.
fn months(l: Language, points: &[UsagePoint]) -> Vec<Month> {
    let mut out: Vec<(Date, i64, i64, usize)> = Vec::new();
    for p in points {
        match out.last_mut() {
            // The same year and month, compared without building the month's first day.
            Some((m, storage, traffic, n)) if m.month() == p.day.month() && m.year() == p.day.year() => {
                *storage = (*storage).max(p.storage_mb);
                *traffic = traffic.saturating_add(p.traffic_mb);
                *n += 1;
            }
            _ => out.push((p.day.first_of_month(), p.storage_mb, p.traffic_mb, 1)),
        }
    }
    out.iter()
        .rev()
        .map(|(m, storage, traffic, n)| Month {
            month: loket_i18n::format_month(l, *m),
            storage: format_megabytes(l, *storage),
            traffic: format_megabytes(l, *traffic),
            days: *n,
        })
        .collect()
}
