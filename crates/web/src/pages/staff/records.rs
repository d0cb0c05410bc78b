//! What the back office reads but does not change here: the catalogue (products, plans with
//! their prices, and their contract terms in the words a customer reads when ordering — it is
//! changed through the billing file or the API) and the audit log (every change, who made it
//! and in which request; filtered by what was changed, paged backwards).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use loket_domain::access::StaffAction;
use loket_store::audit::AuditQuery;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::http::render::{error_page, render_page};
use crate::http::session::Staff;
use crate::pages::orders::terms_text;
use crate::{AppState, Lang, WebError};

pub async fn catalog(State(state): State<AppState>, lang: Lang, staff: Staff) -> Response {
    let result = async {
        staff.require(StaffAction::ViewCustomers)?;
        let l = lang.lang;
        let catalog = state.store.catalog(state.provider.currency).await?;
        let mut products: Vec<_> = catalog.products.values().collect();
        products.sort_by(|a, b| a.product.name.cmp(&b.product.name));
        let list: Vec<Value> = products
            .iter()
            .map(|p| {
                let mut plans: Vec<_> = catalog.plans.values().filter(|pl| pl.product_id == p.id).collect();
                plans.sort_by(|a, b| a.name.cmp(&b.name));
                let plans: Vec<Value> = plans
                    .iter()
                    .map(|pl| {
                        let terms = catalog.terms.get(&pl.terms_id);
                        json!({
                            "code": pl.code, "name": pl.name,
                            "prices": pl.prices.iter().map(|(period, m)| price_per(l, period, *m)).collect::<Vec<_>>(),
                            "setup_fee": (pl.setup_fee.minor > 0).then(|| loket_i18n::format_money(l, pl.setup_fee)),
                            "terms_code": terms.map(|t| t.code.clone()),
                        })
                    })
                    .collect();
                json!({
                    "code": p.code, "name": p.product.name, "kind": p.product.kind.name(),
                    "vat": p.product.vat_category, "pay_first": p.product.requires_prepayment, "plans": plans,
                })
            })
            .collect();
        let mut terms: Vec<_> = catalog.terms.values().collect();
        terms.sort_by(|a, b| a.code.cmp(&b.code));
        let terms: Vec<Value> = terms
            .iter()
            .map(|t| {
                json!({
                    "code": t.code,
                    "business": terms_text(l, &t.terms, false),
                    "consumer": terms_text(l, &t.terms, true),
                })
            })
            .collect();
        Ok::<_, WebError>(json!({ "products": list, "terms": terms }))
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&staff.0), "staff/catalog.html.j2", StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}

/// "€ 9,95 per year" in the reader's words; a period the catalogue does not know stays as written.
fn price_per(l: loket_domain::Language, period: &str, price: loket_domain::Money) -> String {
    let per = match loket_domain::billing::Period::parse(period) {
        Ok(p) => loket_i18n::format_per_period(l, p),
        Err(_) => format!("/ {period}"),
    };
    format!("{} {per}", loket_i18n::format_money(l, price))
}

#[derive(Deserialize)]
pub struct AuditFilter {
    entity: Option<String>,
    id: Option<String>,
    /// Entries older than this one (the next page).
    before: Option<i64>,
}

const AUDIT_PAGE: i64 = 50;

pub async fn audit(State(state): State<AppState>, lang: Lang, staff: Staff, Query(f): Query<AuditFilter>) -> Response {
    let result = async {
        staff.require(StaffAction::ViewAudit)?;
        let clean = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty() && s.len() <= 100);
        let (entity, id) = (clean(f.entity), clean(f.id));
        let q = AuditQuery { entity: entity.clone(), entity_id: id.clone(), before_id: f.before, limit: AUDIT_PAGE + 1 };
        let mut entries = state.store.audit_entries(&q).await?;
        let more = entries.len() as i64 > AUDIT_PAGE;
        entries.truncate(AUDIT_PAGE as usize);
        let tz = state.provider.tz();
        let compact = |v: &Option<Value>| v.as_ref().map(|v| v.to_string().chars().take(400).collect::<String>());
        let rows: Vec<Value> = entries
            .iter()
            .map(|e| {
                let at = e.at.to_zoned(tz.clone());
                json!({
                    "id": e.id,
                    "at": format!("{} {}", loket_i18n::format_date(lang.lang, at.date()), at.time().strftime("%H:%M:%S")),
                    "actor": match &e.actor_id { Some(a) => format!("{}:{a}", e.actor_kind), None => e.actor_kind.clone() },
                    "action": e.action, "entity": e.entity, "entity_id": e.entity_id,
                    "before": compact(&e.before), "after": compact(&e.after), "request_id": e.request_id,
                })
            })
            .collect();
        let next = more.then(|| entries.last().map(|e| e.id)).flatten();
        Ok::<_, WebError>(json!({ "entries": rows, "entity": entity, "entity_id": id, "next": next }))
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&staff.0), "staff/audit.html.j2", StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}
