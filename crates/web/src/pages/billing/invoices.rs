//! All of a card's invoices, credit notes and pro formas (seed 001: "all invoices … print,
//! search"): newest first, a page at a time, searched by number, issue date range, amount and
//! state. Every filter is a condition on the card's own index range, so a card with years of
//! invoices answers as fast as a new one.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use loket_domain::FieldError;
use loket_domain::access::{Permission, StaffAction};
use loket_domain::input::{self, Sign};
use loket_store::billing::documents::{DocState, DocumentFilter};
use loket_store::customers::Customer;
use serde::{Deserialize, Serialize};

use super::customer::{Fmt, document, member_card};
use crate::http::render::{error_page, render_page};
use crate::http::session::{SignedIn, Staff};
use crate::{AppState, Lang, WebError};

const PAGE: i64 = 25;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/customers/{id}/invoices", get(customer_list)).route("/staff/customers/{id}/invoices", get(staff_list))
}

/// The search as typed; every field optional.
#[derive(Deserialize, Default)]
struct Search {
    q: Option<String>,
    state: Option<String>,
    from: Option<String>,
    to: Option<String>,
    min: Option<String>,
    max: Option<String>,
    before: Option<String>,
}

async fn customer_list(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path(id): Path<String>,
    Query(search): Query<Search>,
) -> Response {
    let result = async {
        let (customer, _) = member_card(&state, &session, &id, Permission::ViewInvoices).await?;
        list(&state, lang, &customer, &search, false).await
    }
    .await;
    match result {
        Ok((status, data)) => render_page(&state, lang, Some(&session), "billing/invoices.html.j2", status, data),
        Err(e) => error_page(e),
    }
}

async fn staff_list(
    State(state): State<AppState>,
    lang: Lang,
    staff: Staff,
    Path(id): Path<String>,
    Query(search): Query<Search>,
) -> Response {
    let result = async {
        staff.require(StaffAction::ViewCustomers)?;
        let cid: i64 = id.parse().map_err(|_| WebError::NotFound)?;
        let customer = state.store.customer(cid).await?.ok_or(WebError::NotFound)?;
        list(&state, lang, &customer, &search, true).await
    }
    .await;
    match result {
        Ok((status, data)) => render_page(&state, lang, Some(&staff.0), "billing/invoices.html.j2", status, data),
        Err(e) => error_page(e),
    }
}

fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The filter the search asks for, or every wrong field.
fn filter_of(search: &Search, customer: i64, currency: loket_domain::Currency) -> Result<DocumentFilter, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut filter = DocumentFilter { customer_id: Some(customer), limit: PAGE + 1, ..Default::default() };
    if let Some(q) = given(&search.q) {
        match input::text("q", q, 40) {
            Ok(q) => filter.number_prefix = Some(q.to_uppercase()),
            Err(e) => errors.push(e),
        }
    }
    if let Some(s) = given(&search.state) {
        match DocState::parse(s) {
            Some(s) => filter.state = Some(s),
            None => errors.push(FieldError::new("state", "choose a state from the list")),
        }
    }
    filter.issued_from = given(&search.from).and_then(|d| input::date("from", d).map_err(|e| errors.push(e)).ok());
    filter.issued_to = given(&search.to).and_then(|d| input::date("to", d).map_err(|e| errors.push(e)).ok());
    let amount = |field: &str, s: Option<&str>, errors: &mut Vec<FieldError>| {
        s.and_then(|a| input::amount(field, &a.replace(',', "."), currency, Sign::NotNegative).map_err(|e| errors.push(e)).ok())
            .map(|m| m.minor)
    };
    filter.gross_min = amount("min", given(&search.min), &mut errors);
    filter.gross_max = amount("max", given(&search.max), &mut errors);
    if let Some(b) = given(&search.before) {
        let cursor = b.split_once('_').and_then(|(d, i)| Some((d.parse().ok()?, i.parse().ok()?)));
        match cursor {
            Some(c) => filter.before = Some(c),
            None => errors.push(FieldError::new("before", "this page link is broken: start again from the first page")),
        }
    }
    if errors.is_empty() { Ok(filter) } else { Err(errors) }
}

/// The list's page. Typed, not a `json!` tree: the page is shown often, and a tree of maps
/// was built only to be converted again for the template.
#[derive(Serialize)]
struct ListPage<'a> {
    /// The card, by what the page shows of it.
    customer: crate::pages::CardName,
    staff: bool,
    documents: Vec<super::customer::DocumentRow>,
    search: SearchForm<'a>,
    states: [&'static str; DocState::ALL.len()],
    errors: Vec<FieldError>,
    next: Option<String>,
}

/// The search as typed, for the form; `active` when any field is set.
#[derive(Serialize)]
struct SearchForm<'a> {
    q: &'a str,
    state: &'a str,
    from: &'a str,
    to: &'a str,
    min: &'a str,
    max: &'a str,
    active: bool,
    first_page: bool,
}

async fn list<'a>(
    state: &AppState,
    lang: Lang,
    customer: &Customer,
    search: &'a Search,
    staff: bool,
) -> Result<(StatusCode, ListPage<'a>), WebError> {
    let f = Fmt::new(lang, state.provider.currency);
    let (status, docs, errors, next) = match filter_of(search, customer.id, state.provider.currency) {
        Ok(filter) => {
            let mut docs = state.store.documents(&filter).await?;
            let more = docs.len() as i64 > PAGE;
            docs.truncate(PAGE as usize);
            let next = more.then(|| docs.last().map(|d| format!("{}_{}", d.issue_date, d.id))).flatten();
            (StatusCode::OK, docs, Vec::new(), next)
        }
        Err(errors) => (StatusCode::BAD_REQUEST, Vec::new(), errors, None),
    };
    let value = |s: &'a Option<String>| given(s).unwrap_or("");
    // The next page keeps the search.
    let mut query: Vec<(&str, &str)> = [
        ("q", &search.q),
        ("state", &search.state),
        ("from", &search.from),
        ("to", &search.to),
        ("min", &search.min),
        ("max", &search.max),
    ]
    .iter()
    .filter_map(|(k, v)| given(v).map(|v| (*k, v)))
    .collect();
    let next_link = next.as_deref().map(|cursor| {
        query.push(("before", cursor));
        serde_urlencoded::to_string(&query).unwrap_or_default()
    });
    let active = [&search.q, &search.state, &search.from, &search.to, &search.min, &search.max].iter().any(|v| given(v).is_some());
    let page = ListPage {
        customer: customer.into(),
        staff,
        documents: docs.iter().map(|d| document(f, d)).collect(),
        search: SearchForm {
            q: value(&search.q),
            state: value(&search.state),
            from: value(&search.from),
            to: value(&search.to),
            min: value(&search.min),
            max: value(&search.max),
            active,
            first_page: given(&search.before).is_none(),
        },
        states: DocState::ALL.map(|s| s.name()),
        errors,
        next: next_link,
    };
    Ok((status, page))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(pairs: &[(&str, &str)]) -> Search {
        let get = |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string());
        Search {
            q: get("q"),
            state: get("state"),
            from: get("from"),
            to: get("to"),
            min: get("min"),
            max: get("max"),
            before: get("before"),
        }
    }

    #[test]
    fn a_search_becomes_one_filter_or_names_every_wrong_field() {
        let f = filter_of(
            &search(&[("q", "f2026"), ("from", "2026-01-01"), ("min", "12,50"), ("state", "open")]),
            7,
            loket_domain::Currency::Eur,
        )
        .unwrap();
        assert_eq!(f.number_prefix.as_deref(), Some("F2026"));
        assert_eq!(f.gross_min, Some(1250));
        assert_eq!(f.state, Some(DocState::Open));
        assert_eq!(f.customer_id, Some(7));
        let errors = filter_of(
            &search(&[("from", "2026-02-30"), ("max", "-1"), ("state", "lost"), ("before", "x")]),
            7,
            loket_domain::Currency::Eur,
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["state", "from", "max", "before"]);
    }
}
