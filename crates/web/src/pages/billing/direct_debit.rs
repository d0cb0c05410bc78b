//! A card's direct debit, for its users (`/customers/{id}/direct-debit`, permission to pay
//! invoices) and for staff (`/staff/customers/{id}/direct-debit`): the active mandate with its
//! reference and account, the form to give one (the customer: the SEPA mandate wording and an
//! explicit consent; staff: a signed paper mandate's date and reference), to change its account
//! or revoke it, and the collections so far. Every change is one call to `loket_app`.

use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use loket_app::billing::sepa::{GivenBy, MandateForm};
use loket_domain::access::{Permission, StaffAction};
use loket_domain::billing::sepa::consent_given;
use loket_domain::{FieldError, Money};
use loket_store::billing::sepa as store;
use loket_store::customers::Customer;
use serde::Deserialize;
use serde_json::{Value, json};

use super::customer::member_card;
use crate::http::extract::{Fields, field};
use crate::http::field_errors::field_message;
use crate::http::render::{error_page, render_page};
use crate::http::session::{SignedIn, Staff, check_csrf, user_actor};
use crate::{AppState, Lang, WebError};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers/{id}/direct-debit", get(customer_page).post(customer_give))
        .route("/customers/{id}/direct-debit/amend", post(customer_amend))
        .route("/customers/{id}/direct-debit/revoke", post(customer_revoke))
        .route("/staff/customers/{id}/direct-debit", get(staff_page).post(staff_give))
        .route("/staff/customers/{id}/direct-debit/amend", post(staff_amend))
        .route("/staff/customers/{id}/direct-debit/revoke", post(staff_revoke))
}

#[derive(Deserialize, Default)]
struct Done {
    done: Option<String>,
}

/// Who looks at the page: the card's user, or staff (and whether they may change it).
#[derive(Clone, Copy)]
enum Viewer {
    Customer { user_id: i64 },
    Staff { may_change: bool },
}

impl Viewer {
    fn base(self, id: i64) -> String {
        match self {
            Viewer::Customer { .. } => format!("/customers/{id}/direct-debit"),
            Viewer::Staff { .. } => format!("/staff/customers/{id}/direct-debit"),
        }
    }
}

/// The form's field for each field the service may name.
fn form_field(engine: &str) -> &str {
    match engine {
        "mandate_reference" => "reference",
        other => other,
    }
}

async fn data(
    state: &AppState,
    lang: Lang,
    customer: &Customer,
    viewer: Viewer,
    form: &Fields,
    errors: &[FieldError],
    done: Option<&str>,
) -> Result<Value, WebError> {
    let billing = state.billing();
    let settings = billing.sepa_settings();
    let offered = settings.creditor_id.is_some();
    let fmt_date = |d: jiff::civil::Date| loket_i18n::format_date(lang.lang, d);
    let money = |minor: i64| loket_i18n::format_money(lang.lang, Money::new(minor, state.provider.currency));
    let mut conn = state.store.acquire().await?;
    let mandates = store::mandates_of(&mut conn, customer.id).await?;
    let active = mandates.iter().find(|m| m.state == "active");
    let show = |m: &store::Mandate| {
        json!({ "reference": m.reference, "debtor_name": m.debtor_name, "iban": m.iban, "bic": m.bic, "state": m.state,
                "signed_on": fmt_date(m.signed_on), "given_by": m.given_by,
                "last_collected": m.last_collected_on.map(fmt_date) })
    };
    let collections: Vec<Value> = store::debits::of_customer(&mut conn, customer.id, 50)
        .await?
        .iter()
        .map(|d| {
            let state = match (d.state.as_str(), d.payment_id) {
                ("returned", _) => "returned",
                (_, Some(_)) => "paid",
                _ => "sent",
            };
            json!({ "date": fmt_date(d.collection_date), "number": d.number, "invoice_id": d.invoice_id, "amount": money(d.amount),
                    "sequence": d.sequence, "state": state, "reason": d.return_reason })
        })
        .collect();
    drop(conn);
    let reference = match (offered, active) {
        (true, None) => Some(billing.next_mandate_reference(customer.id).await?),
        _ => None,
    };
    let wording = match &reference {
        Some(r) => {
            let text = billing.mandate_wording(lang.lang, r)?;
            let (head, body) = text.split_once("\n\n").unwrap_or(("", text.as_str()));
            json!({ "head": head, "body": body })
        }
        None => Value::Null,
    };
    let value = |k: &str, default: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_else(|| default.to_string());
    let (name, iban, bic) = match active {
        Some(m) => (m.debtor_name.clone(), m.iban.clone(), m.bic.clone().unwrap_or_default()),
        None => (customer.card.legal_name.clone(), customer.card.iban.clone().unwrap_or_default(), String::new()),
    };
    let today = state.app.today().to_string();
    let values = json!({ "debtor_name": value("debtor_name", &name), "iban": value("iban", &iban), "bic": value("bic", &bic),
                         "signed_on": value("signed_on", &today), "reference": value("reference", ""),
                         "consent": consent_given(&value("consent", "")) });
    // Every field of the forms has its entry (strict templates), empty when it is fine.
    let mut field_errors: serde_json::Map<String, Value> =
        ["debtor_name", "iban", "bic", "signed_on", "reference", "consent"].iter().map(|f| (f.to_string(), Value::Null)).collect();
    for e in errors {
        field_errors.insert(form_field(&e.field).to_string(), json!(field_message(lang.lang, e)));
    }
    // The form's fields: the account, and for staff the paper's date and reference.
    let input = |name: &str, label: &str, kind: &str, required: bool, autocomplete: &str, maxlength: Option<u32>| {
        json!({ "name": name, "label": label, "type": kind, "required": required, "autocomplete": autocomplete, "maxlength": maxlength,
                "value": values[name], "error": field_errors.get(name).cloned().unwrap_or(Value::Null), "max": Value::Null,
                "placeholder": Value::Null })
    };
    let mut fields = vec![
        input("debtor_name", "sepa-label-debtor", "text", true, "name", Some(70)),
        input("iban", "sepa-label-iban", "text", true, "off", Some(42)),
        input("bic", "sepa-label-bic", "text", false, "off", Some(11)),
    ];
    if matches!(viewer, Viewer::Staff { .. }) && active.is_none() {
        let mut signed = input("signed_on", "sepa-label-signed-on", "date", true, "off", None);
        signed["max"] = json!(today);
        let mut typed = input("reference", "dd-staff-reference", "text", false, "off", Some(35));
        typed["placeholder"] = json!(reference);
        fields.push(signed);
        fields.push(typed);
    }
    let (staff, may_change) = match viewer {
        Viewer::Customer { .. } => (false, true),
        Viewer::Staff { may_change } => (true, may_change),
    };
    Ok(json!({
        "customer": customer,
        "staff": staff,
        "may_change": may_change,
        "offered": offered,
        "base": viewer.base(customer.id),
        "creditor": state.provider.legal_name,
        "creditor_id": settings.creditor_id,
        "days": settings.pre_notification_days,
        "active": active.map(show),
        "history": mandates.iter().filter(|m| m.state != "active").map(show).collect::<Vec<_>>(),
        "reference": reference,
        "wording": wording,
        "collections": collections,
        "values": values,
        "fields": fields,
        "errors": field_errors,
        "done": done.filter(|d| ["given", "amended", "revoked"].contains(d)),
        "today": today,
    }))
}

/// What a billing page says of the card's direct debit: `null` when it is not offered.
pub(super) async fn summary(state: &AppState, customer: &Customer) -> Result<Value, WebError> {
    if state.billing().sepa_settings().creditor_id.is_none() {
        return Ok(Value::Null);
    }
    let mut conn = state.store.acquire().await?;
    let active = store::active_mandate(&mut conn, customer.id).await?;
    Ok(json!({ "method": customer.card.payment_method.name(), "reference": active.map(|m| m.reference) }))
}

fn render(state: &AppState, lang: Lang, session: &loket_store::accounts::Session, status: StatusCode, data: Value) -> Response {
    render_page(state, lang, Some(session), "billing/direct_debit.html.j2", status, data)
}

async fn customer_page(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Response {
    let result = async {
        let (customer, _) = member_card(&state, &session, &id, Permission::PayInvoices).await?;
        data(&state, lang, &customer, Viewer::Customer { user_id: session.user.id }, &Vec::new(), &[], done.done.as_deref()).await
    }
    .await;
    match result {
        Ok(d) => render(&state, lang, &session, StatusCode::OK, d),
        Err(e) => error_page(e),
    }
}

/// What a form asks of the service.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Change {
    Give,
    Amend,
    Revoke,
}

impl Change {
    fn done(self) -> &'static str {
        match self {
            Change::Give => "given",
            Change::Amend => "amended",
            Change::Revoke => "revoked",
        }
    }
}

/// Who asks for a change: their session, the actor the audit log names, what they look at.
struct Caller<'a> {
    session: &'a loket_store::accounts::Session,
    actor: loket_store::audit::Actor,
    viewer: Viewer,
}

/// Carries out `change` for `who` on `customer`: back to the page with the result, or the page
/// again with every wrong field named (400).
async fn change(state: &AppState, lang: Lang, who: Caller<'_>, customer: &Customer, change: Change, form: &Fields) -> Response {
    let Caller { session, actor, viewer } = who;
    let billing = state.billing();
    let text = |k: &str| Some(field(form, k)).filter(|v| !v.trim().is_empty());
    let mandate = MandateForm {
        debtor_name: field(form, "debtor_name"),
        iban: field(form, "iban"),
        bic: text("bic"),
        signed_on: text("signed_on"),
        reference: text("reference"),
        consent: consent_given(field(form, "consent")),
    };
    let result = match change {
        Change::Give => {
            let given_by = match viewer {
                Viewer::Customer { user_id } => GivenBy::Customer { user_id },
                Viewer::Staff { .. } => GivenBy::Staff,
            };
            billing.give_mandate(&actor, customer.id, given_by, lang.lang, &mandate).await.map(|_| ())
        }
        Change::Amend => billing.amend_mandate(&actor, customer.id, &mandate).await.map(|_| ()),
        Change::Revoke => billing.revoke_mandate(&actor, customer.id).await.map(|_| ()),
    };
    match result.map_err(WebError::from) {
        Ok(()) => {
            state.wake_jobs();
            Redirect::to(&format!("{}?done={}", viewer.base(customer.id), change.done())).into_response()
        }
        Err(WebError::Invalid(errors)) => match data(state, lang, customer, viewer, form, &errors, None).await {
            Ok(d) => render(state, lang, session, StatusCode::BAD_REQUEST, d),
            Err(e) => error_page(e),
        },
        Err(e) => error_page(e),
    }
}

async fn customer_change(
    state: AppState,
    lang: Lang,
    session: loket_store::accounts::Session,
    id: String,
    form: Fields,
    c: Change,
) -> Response {
    if let Err(e) = check_csrf(&session, field(&form, "csrf")) {
        return error_page(e);
    }
    match member_card(&state, &session, &id, Permission::PayInvoices).await {
        Ok((customer, _)) => {
            let who = Caller { session: &session, actor: user_actor(&session), viewer: Viewer::Customer { user_id: session.user.id } };
            change(&state, lang, who, &customer, c, &form).await
        }
        Err(e) => error_page(e),
    }
}

async fn customer_give(
    State(s): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Response {
    customer_change(s, lang, session, id, f, Change::Give).await
}

async fn customer_amend(
    State(s): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Response {
    customer_change(s, lang, session, id, f, Change::Amend).await
}

async fn customer_revoke(
    State(s): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Response {
    customer_change(s, lang, session, id, f, Change::Revoke).await
}

async fn staff_customer(state: &AppState, staff: &Staff, id: &str) -> Result<Customer, WebError> {
    staff.require(StaffAction::ViewCustomers)?;
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    state.store.customer(id).await?.ok_or(WebError::NotFound)
}

async fn staff_page(State(state): State<AppState>, lang: Lang, staff: Staff, Path(id): Path<String>, Query(done): Query<Done>) -> Response {
    let result = async {
        let customer = staff_customer(&state, &staff, &id).await?;
        let viewer = Viewer::Staff { may_change: staff.1.can(StaffAction::ManageBilling) };
        data(&state, lang, &customer, viewer, &Vec::new(), &[], done.done.as_deref()).await
    }
    .await;
    match result {
        Ok(d) => render(&state, lang, &staff.0, StatusCode::OK, d),
        Err(e) => error_page(e),
    }
}

async fn staff_change(state: AppState, lang: Lang, staff: Staff, id: String, form: Fields, c: Change) -> Response {
    if let Err(e) = check_csrf(&staff.0, field(&form, "csrf")).and_then(|_| staff.require(StaffAction::ManageBilling)) {
        return error_page(e);
    }
    match staff_customer(&state, &staff, &id).await {
        Ok(customer) => {
            let who = Caller { session: &staff.0, actor: staff.actor(), viewer: Viewer::Staff { may_change: true } };
            change(&state, lang, who, &customer, c, &form).await
        }
        Err(e) => error_page(e),
    }
}

async fn staff_give(State(s): State<AppState>, lang: Lang, staff: Staff, Path(id): Path<String>, Form(f): Form<Fields>) -> Response {
    staff_change(s, lang, staff, id, f, Change::Give).await
}

async fn staff_amend(State(s): State<AppState>, lang: Lang, staff: Staff, Path(id): Path<String>, Form(f): Form<Fields>) -> Response {
    staff_change(s, lang, staff, id, f, Change::Amend).await
}

async fn staff_revoke(State(s): State<AppState>, lang: Lang, staff: Staff, Path(id): Path<String>, Form(f): Form<Fields>) -> Response {
    staff_change(s, lang, staff, id, f, Change::Revoke).await
}
