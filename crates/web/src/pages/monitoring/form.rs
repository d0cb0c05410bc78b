//! A monitor made or changed by staff who manage monitors (`StaffAction::ManageMonitoring`):
//! `/staff/monitors/new` and `/staff/monitors/{id}/edit`, one form through
//! `Services::put_monitor` (audited); a field at fault is named beside it, what was typed kept.

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use loket_app::AppError;
use loket_domain::FieldError;
use loket_domain::access::StaffAction;
use loket_domain::monitoring::{Kind, SpecInput};
use loket_store::monitoring::{self as store, Monitor};
use serde_json::{Value, json};

use crate::http::extract::{Fields, field};
use crate::http::field_errors::field_message;
use crate::http::render::{error_page, render_page};
use crate::http::session::{Staff, check_csrf};
use crate::{AppState, Lang, WebError};

const FIELDS: [&str; 12] = [
    "code",
    "name",
    "kind",
    "target",
    "interval",
    "timeout",
    "keyword",
    "cert_days",
    "subscription",
    "public",
    "notify_customer",
    "active",
];

pub fn routes() -> Router<AppState> {
    Router::new().route("/staff/monitors/new", get(new_form).post(create)).route("/staff/monitors/{id}/edit", get(edit_form).post(update))
}

/// The form's values of a stored monitor.
fn values_of(m: &Monitor) -> Value {
    let s = &m.spec;
    json!({
        "code": s.code, "name": s.name, "kind": s.kind.name(), "target": s.target,
        "interval": format!("{} seconds", s.interval_secs), "timeout": format!("{} seconds", s.timeout_secs),
        "keyword": s.keyword.clone().unwrap_or_default(), "cert_days": s.cert_days.to_string(),
        "subscription": s.subscription.map(|x| x.to_string()).unwrap_or_default(),
        "public": s.public, "notify_customer": s.notify_customer, "active": s.active,
    })
}

/// The form's values as typed.
fn values_typed(form: &Fields) -> Value {
    let mut map = serde_json::Map::new();
    for n in FIELDS {
        let v = field(form, n);
        let value = if matches!(n, "public" | "notify_customer" | "active") { json!(v == "1") } else { json!(v) };
        map.insert(n.to_string(), value);
    }
    Value::Object(map)
}

/// What the form says, as the service reads it; a field that is not even a number is named.
fn input_of(form: &Fields) -> Result<SpecInput, Vec<FieldError>> {
    let text = |n: &str| Some(field(form, n).trim().to_string()).filter(|v| !v.is_empty());
    let number = |n: &str| -> Result<Option<i64>, FieldError> {
        match text(n) {
            None => Ok(None),
            Some(v) => {
                v.parse().map(Some).map_err(|_| FieldError::new(n, format!("`{}` is not a number", loket_domain::input::sample(&v))))
            }
        }
    };
    let (cert_days, subscription) = (number("cert_days"), number("subscription"));
    let errors: Vec<FieldError> = [&cert_days, &subscription].into_iter().filter_map(|r| r.as_ref().err().cloned()).collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(SpecInput {
        name: text("name"),
        kind: field(form, "kind").trim().to_string(),
        target: field(form, "target").to_string(),
        interval: text("interval"),
        timeout: text("timeout"),
        keyword: text("keyword"),
        cert_days: cert_days.ok().flatten(),
        subscription: subscription.ok().flatten(),
        public: field(form, "public") == "1",
        notify_customer: field(form, "notify_customer") == "1",
        active: Some(field(form, "active") == "1"),
    })
}

fn errors_map(lang: loket_domain::Language, errors: &[FieldError]) -> Value {
    let mut map = serde_json::Map::new();
    for f in FIELDS {
        let m: Vec<String> = errors.iter().filter(|e| e.field == f).map(|e| field_message(lang, e)).collect();
        map.insert(f.to_string(), if m.is_empty() { Value::Null } else { json!(m.join("; ")) });
    }
    let other: Vec<String> =
        errors.iter().filter(|e| !FIELDS.contains(&e.field.as_str())).map(|e| format!("{}: {}", e.field, field_message(lang, e))).collect();
    map.insert("other".into(), json!(other));
    Value::Object(map)
}

fn form_page(
    state: &AppState,
    lang: Lang,
    staff: &Staff,
    id: Option<i64>,
    values: Value,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let data = json!({
        "id": id,
        "form": values,
        "errors": errors_map(lang.lang, errors),
        "kinds": Kind::ALL.iter().map(|k| k.name()).collect::<Vec<_>>(),
    });
    render_page(state, lang, Some(&staff.0), "monitoring/staff_form.html.j2", status, data)
}

async fn stored(state: &AppState, id: &str) -> Result<Monitor, WebError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let mut conn = state.store.acquire().await?;
    store::get(&mut conn, id).await?.ok_or(WebError::NotFound)
}

async fn new_form(State(state): State<AppState>, lang: Lang, staff: Staff) -> Response {
    if let Err(e) = staff.require(StaffAction::ManageMonitoring) {
        return error_page(e);
    }
    let values = json!({
        "code": "", "name": "", "kind": "http", "target": "https://", "interval": "60 seconds", "timeout": "10 seconds",
        "keyword": "", "cert_days": "14", "subscription": "", "public": false, "notify_customer": false, "active": true,
    });
    form_page(&state, lang, &staff, None, values, &[], StatusCode::OK)
}

async fn edit_form(State(state): State<AppState>, lang: Lang, staff: Staff, Path(id): Path<String>) -> Response {
    let result = async {
        staff.require(StaffAction::ManageMonitoring)?;
        stored(&state, &id).await
    }
    .await;
    match result {
        Ok(m) => form_page(&state, lang, &staff, Some(m.id), values_of(&m), &[], StatusCode::OK),
        Err(e) => error_page(e),
    }
}

/// Saves the form as monitor `code`: to its page, or the form again with the fields at fault.
async fn save(state: &AppState, lang: Lang, staff: &Staff, id: Option<i64>, code: &str, form: &Fields) -> Response {
    let input = match input_of(form) {
        Ok(i) => i,
        Err(errors) => return form_page(state, lang, staff, id, values_typed(form), &errors, StatusCode::BAD_REQUEST),
    };
    match state.app.put_monitor(&staff.actor(), code, &input).await {
        Ok(saved) => Redirect::to(&format!("/staff/monitors/{saved}?done=saved")).into_response(),
        Err(AppError::Invalid(errors)) => form_page(state, lang, staff, id, values_typed(form), &errors, StatusCode::BAD_REQUEST),
        Err(e) => error_page(e),
    }
}

async fn create(State(state): State<AppState>, lang: Lang, staff: Staff, Form(form): Form<Fields>) -> Response {
    let checked = async {
        check_csrf(&staff.0, field(&form, "csrf"))?;
        staff.require(StaffAction::ManageMonitoring)?;
        let mut conn = state.store.acquire().await?;
        Ok::<_, WebError>(store::by_code(&mut conn, field(&form, "code").trim()).await?.is_some())
    }
    .await;
    match checked {
        // A new monitor never overwrites another one silently.
        Ok(true) => {
            let taken = FieldError::new("code", "a monitor with this code exists: change that one instead");
            form_page(&state, lang, &staff, None, values_typed(&form), &[taken], StatusCode::BAD_REQUEST)
        }
        Ok(false) => save(&state, lang, &staff, None, field(&form, "code"), &form).await,
        Err(e) => error_page(e),
    }
}

async fn update(State(state): State<AppState>, lang: Lang, staff: Staff, Path(id): Path<String>, Form(form): Form<Fields>) -> Response {
    let result = async {
        check_csrf(&staff.0, field(&form, "csrf"))?;
        staff.require(StaffAction::ManageMonitoring)?;
        stored(&state, &id).await
    }
    .await;
    match result {
        // The code is the monitor's name for the file and the API: it stays.
        Ok(m) => save(&state, lang, &staff, Some(m.id), &m.spec.code, &form).await,
        Err(e) => error_page(e),
    }
}
