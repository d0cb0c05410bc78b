//! The order form (seed 001: "order e.g. an extra hosting package or a domain name"): every plan
//! with its price (with VAT for private customers) and its contract terms in plain words — first
//! term, renewal, notice period and how to cancel, invoicing — then a review step where a private
//! customer chooses whether the service starts at once (giving up the 14-day withdrawal period
//! once it is performed) or after it.

use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use loket_app::AppError;
use loket_domain::access::Permission;
use loket_domain::billing::{Anchor, Notice, RenewalMode, Terms};
use loket_domain::customer::CustomerKind;
use loket_domain::{FieldError, Language};
use loket_i18n::{format_per, format_period, t, t_args};
use loket_store::accounts::Session;
use loket_store::billing::catalog::{Catalog, PlanRow};
use loket_store::customers::Customer;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::http::extract::{Fields, field};
use crate::http::render::{error_page, render_page};
use crate::http::session::{SignedIn, check_csrf, user_actor};
use crate::{AppState, Lang, WebError};

pub fn routes() -> Router<AppState> {
    Router::new().route("/customers/{id}/order", get(catalog_page).post(place)).route("/customers/{id}/order/{plan}", get(review))
}

/// A plan's contract terms as sentences in the reader's language.
pub fn terms_text(lang: Language, terms: &Terms, consumer: bool) -> Vec<String> {
    let p = |period| format_period(lang, period);
    let mut out = vec![t_args(lang, "order-first-term", &[("period", &p(terms.first_term))])];
    out.push(match terms.renewal_mode(consumer) {
        RenewalMode::Tacit => t_args(lang, "order-renews", &[("period", &p(terms.renewal_term))]),
        RenewalMode::OptIn => t_args(lang, "order-opt-in", &[("period", &p(terms.renewal_term))]),
    });
    if let Anchor::YearlyOn { month, day } = terms.anchor
        && let Ok(d) = jiff::civil::Date::new(2026, month, day)
    {
        let text = loket_i18n::format_date(lang, d);
        out.push(t_args(lang, "order-anchor", &[("date", text.trim_end_matches(" 2026"))]));
    }
    let channels: Vec<String> = terms.channels.iter().map(|c| t(lang, &format!("billing-channel-{}", c.name())).to_lowercase()).collect();
    let notice = match terms.notice {
        Notice::Days(n) => t_args(lang, "order-notice-days", &[("n", &n.to_string())]),
        Notice::CalendarMonths(n) => t_args(lang, "order-notice-months", &[("n", &n.to_string())]),
    };
    out.push(t_args(lang, "order-notice", &[("notice", &notice), ("channels", &channels.join(", "))]));
    out.push(t_args(
        lang,
        "order-invoiced",
        &[("period", &format_per(lang, terms.billing_period)), ("days", &terms.payment_term_days.to_string())],
    ));
    out
}

fn plan_data(state: &AppState, lang: Language, catalog: &Catalog, customer: &Customer, plan: &PlanRow) -> Option<Value> {
    let terms = catalog.terms.get(&plan.terms_id)?;
    let product = catalog.products.get(&plan.product_id)?;
    let net = plan.price_for(terms.terms.billing_period)?;
    let consumer = customer.card.kind == CustomerKind::Consumer;
    let shown = if consumer {
        loket_app::billing::with_vat(state.provider.address.country, customer, product.product.vat_category, net)
    } else {
        net
    };
    let money = |m| loket_i18n::format_money(lang, m);
    let period = format_per(lang, terms.terms.billing_period);
    Some(json!({
        "code": plan.code,
        "name": plan.name,
        "product": product.product.name,
        "kind": product.product.kind.name(),
        "price": t_args(lang, if consumer { "order-price-gross" } else { "order-price-net" }, &[("amount", &money(shown)), ("period", &period)]),
        "setup_fee": (plan.setup_fee.minor > 0).then(|| {
            let fee = if consumer { loket_app::billing::with_vat(state.provider.address.country, customer, product.product.vat_category, plan.setup_fee) } else { plan.setup_fee };
            t_args(lang, "quote-setup-fee", &[("amount", &money(fee))])
        }),
        "terms": terms_text(lang, &terms.terms, consumer),
        "pay_first": product.product.requires_prepayment,
    }))
}

/// The card's services an add-on can be made for, as (id, "plan — label") for a choice; shared
/// by the order form and staff's new subscription.
pub(crate) async fn add_on_choices(state: &AppState, catalog: &Catalog, customer_id: i64) -> Result<Vec<(i64, String)>, WebError> {
    let services = state.store.customer_subscriptions(customer_id).await?;
    Ok(services
        .into_iter()
        .filter(|s| s.takes_add_ons())
        .map(|s| {
            let plan = catalog.plans.get(&s.plan_id).map(|p| p.name.as_str()).unwrap_or_default();
            (s.id, if s.label.is_empty() { plan.to_string() } else { format!("{plan} — {}", s.label) })
        })
        .collect())
}

async fn orderer(state: &AppState, session: &Session, id: &str) -> Result<Customer, WebError> {
    let cid: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let m = crate::http::session::membership(state, session, cid).await?.ok_or(WebError::NotFound)?;
    if !m.permissions.has(Permission::ManageServices) {
        return Err(WebError::Forbidden("you may not order services for this card".into()));
    }
    state.store.customer(cid).await?.filter(|c| c.replaced_by.is_none()).ok_or(WebError::NotFound)
}

async fn catalog_page(State(state): State<AppState>, lang: Lang, SignedIn(session): SignedIn, Path(id): Path<String>) -> Response {
    let result = async {
        let customer = orderer(&state, &session, &id).await?;
        let catalog = state.store.catalog(state.provider.currency).await?;
        let mut plans: Vec<&PlanRow> = catalog.plans.values().collect();
        plans.sort_by(|a, b| (a.product_id, &a.name).cmp(&(b.product_id, &b.name)));
        let plans: Vec<Value> = plans.iter().filter_map(|p| plan_data(&state, lang.lang, &catalog, &customer, p)).collect();
        Ok::<_, WebError>(json!({ "customer": customer, "plans": plans, "consumer": customer.card.kind == CustomerKind::Consumer }))
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&session), "orders/catalog.html.j2", StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}

#[derive(Deserialize)]
struct ReviewQuery {
    label: Option<String>,
}

async fn review_data(
    state: &AppState,
    lang: Language,
    customer: &Customer,
    plan: &str,
    label: &str,
    parent: &str,
) -> Result<Value, WebError> {
    let catalog = state.store.catalog(state.provider.currency).await?;
    let plan = catalog.plan_by_code(plan).ok_or(WebError::NotFound)?;
    let data = plan_data(state, lang, &catalog, customer, plan).ok_or(WebError::NotFound)?;
    // An add-on is ordered for one of the card's running services, and invoiced with it.
    let parents = if data["kind"] == "add_on" { add_on_choices(state, &catalog, customer.id).await? } else { Vec::new() };
    let today = state.app.today();
    let later = loket_app::orders::start_date(today, true, false);
    Ok(json!({
        "customer": customer,
        "plan": data,
        "label": label,
        "parents": parents,
        "parent": parent,
        "consumer": customer.card.kind == CustomerKind::Consumer,
        "today": loket_i18n::format_date(lang, today),
        "later": loket_i18n::format_date(lang, later),
        // One order per confirmation of this page, however often it is sent.
        "order_key": loket_app::orders::new_order_key(),
    }))
}

async fn review(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path((id, plan)): Path<(String, String)>,
    Query(q): Query<ReviewQuery>,
) -> Response {
    let result = async {
        let customer = orderer(&state, &session, &id).await?;
        review_data(&state, lang.lang, &customer, &plan, q.label.as_deref().unwrap_or(""), "").await
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&session), "orders/review.html.j2", StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}

async fn place(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    let result = async {
        check_csrf(&session, field(&form, "csrf"))?;
        let customer = orderer(&state, &session, &id).await?;
        let (plan, label, parent) = (field(&form, "plan"), field(&form, "label"), field(&form, "parent_id").trim());
        let start_now = field(&form, "start") == "now";
        let placed = match parent.parse::<i64>() {
            Ok(p) => Ok(Some(p)),
            Err(_) if parent.is_empty() => Ok(None),
            Err(_) => Err(AppError::Invalid(vec![FieldError::new("parent_id", loket_app::orders::CHOOSE_SERVICE)])),
        };
        let placed = match placed {
            Ok(parent) => {
                let key = Some(field(&form, "order_key"));
                loket_app::orders::order(&state.app, &user_actor(&session), &session.user, &customer, plan, label, parent, start_now, key)
                    .await
            }
            Err(e) => Err(e),
        };
        match placed {
            Ok(done) => {
                let service = state.store.subscription(done.subscription_id).await?.ok_or(WebError::NotFound)?;
                Ok::<_, WebError>(render_page(
                    &state,
                    lang,
                    Some(&session),
                    "orders/done.html.j2",
                    StatusCode::OK,
                    json!({ "customer": customer, "label": service.label, "start": loket_i18n::format_date(lang.lang, done.start_date),
                            "pay_first": done.pay_first, "subscription": done.subscription_id }),
                ))
            }
            Err(AppError::Invalid(errors)) => {
                let mut data = review_data(&state, lang.lang, &customer, plan, label, parent).await?;
                data["errors"] = json!(errors.iter().map(|e| crate::http::field_errors::field_message(lang.lang, e)).collect::<Vec<_>>());
                Ok(render_page(&state, lang, Some(&session), "orders/review.html.j2", StatusCode::BAD_REQUEST, data))
            }
            Err(e) => Err(e.into()),
        }
    }
    .await;
    result.unwrap_or_else(error_page)
}
