//! Lost access (seed 002): the public form at `/lost-access` where a person without access to
//! their account uploads a signed request form and a scan of an identity document, and the
//! staff pages at `/staff/access` where they are checked and access is restored or refused.
//! Scans are served to staff only, as attachments with their sniffed content type.

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Form, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use loket_app::AppError;
use loket_app::lost_access::{Decision, Restored, Submission};
use loket_domain::FieldError;
use loket_domain::access::StaffAction;
use loket_domain::lost_access::MAX_FILE_BYTES;
use loket_store::lost_access::AccessRequest;
use serde_json::{Value, json};

use crate::http::extract::{Fields, field};
use crate::http::field_errors::field_message;
use crate::http::middleware::request_id;
use crate::http::render::{error_page, render_page};
use crate::http::session::{Staff, anonymous_csrf, check_anonymous_csrf, check_csrf, with_csrf_cookie};
use crate::{AppState, Lang, WebError};

/// The form's text fields, in order.
const TEXT_FIELDS: [(&str, &str); 4] = [("name", "text"), ("email", "email"), ("customer_number", "text"), ("message", "textarea")];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/lost-access", get(form_page).post(submit).layer(DefaultBodyLimit::max(2 * MAX_FILE_BYTES + 64 * 1024)))
        .route("/staff/access", get(staff_list))
        .route("/staff/access/{id}", get(staff_request).post(staff_decide))
        .route("/staff/access/{id}/{which}", get(staff_scan))
}

fn form_data(csrf: &str, l: loket_domain::Language, typed: &[(String, String)], errors: &[FieldError]) -> Value {
    let fields: Vec<Value> = TEXT_FIELDS
        .iter()
        .map(|(name, input)| {
            json!({
                "name": name, "input": input,
                "value": typed.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap_or(""),
                "error": errors.iter().find(|e| e.field == *name).map(|e| field_message(l, e)),
            })
        })
        .collect();
    let file_error = |name: &str| errors.iter().find(|e| e.field == name).map(|e| field_message(l, e));
    json!({
        "csrf": csrf, "fields": fields, "sent": false,
        "form_error": file_error("form"), "identity_error": file_error("identity"),
        "max_mb": MAX_FILE_BYTES / (1024 * 1024),
    })
}

async fn form_page(State(state): State<AppState>, lang: Lang, headers: HeaderMap) -> Response {
    let (csrf, new) = anonymous_csrf(&headers);
    let page = render_page(&state, lang, None, "access/form.html.j2", StatusCode::OK, form_data(&csrf, lang.lang, &[], &[]));
    with_csrf_cookie(&state, page, &csrf, new)
}

/// The multipart body: text fields and the two files (at most [`MAX_FILE_BYTES`] each).
async fn read_parts(mut multipart: Multipart) -> Result<(Vec<(String, String)>, Vec<u8>, Vec<u8>), WebError> {
    let (mut texts, mut form, mut identity) = (Vec::new(), Vec::new(), Vec::new());
    let bad = |e: axum::extract::multipart::MultipartError| WebError::BadRequest {
        field: None,
        message: format!("the upload could not be read: {}", e.body_text()),
    };
    while let Some(part) = multipart.next_field().await.map_err(bad)? {
        let name = part.name().unwrap_or("").to_string();
        match name.as_str() {
            "form" | "identity" => {
                let bytes = part.bytes().await.map_err(bad)?;
                if bytes.len() > MAX_FILE_BYTES {
                    return Err(
                        AppError::from(FieldError::new(name, format!("the file is larger than {} MB", MAX_FILE_BYTES >> 20))).into()
                    );
                }
                if name == "form" { form = bytes.to_vec() } else { identity = bytes.to_vec() }
            }
            _ if texts.len() < 16 => {
                let text = part.text().await.map_err(bad)?;
                texts.push((name, text.chars().take(4000).collect()));
            }
            _ => return Err(WebError::BadRequest { field: None, message: "too many fields".into() }),
        }
    }
    Ok((texts, form, identity))
}

async fn submit(State(state): State<AppState>, lang: Lang, headers: HeaderMap, multipart: Multipart) -> Response {
    let result = async {
        let (texts, form, identity) = read_parts(multipart).await?;
        let text = |n: &str| texts.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str()).unwrap_or("");
        check_anonymous_csrf(&headers, text("csrf"))?;
        let submission = Submission {
            name: text("name"),
            email: text("email"),
            customer_number: text("customer_number"),
            message: text("message"),
            form: &form,
            identity: &identity,
        };
        match loket_app::lost_access::submit(&state.app, &submission, request_id()).await {
            Ok(_) => {
                let mut data = form_data(text("csrf"), lang.lang, &[], &[]);
                data["sent"] = json!(true);
                Ok::<_, WebError>(render_page(&state, lang, None, "access/form.html.j2", StatusCode::OK, data))
            }
            Err(AppError::Invalid(errors)) => Ok(render_page(
                &state,
                lang,
                None,
                "access/form.html.j2",
                StatusCode::BAD_REQUEST,
                form_data(text("csrf"), lang.lang, &texts, &errors),
            )),
            Err(e) => Err(e.into()),
        }
    }
    .await;
    result.unwrap_or_else(error_page)
}

fn summary(state: &AppState, l: loket_domain::Language, r: &AccessRequest) -> Value {
    let tz = state.provider.tz();
    let date = |t: jiff::Timestamp| loket_i18n::format_date(l, t.to_zoned(tz.clone()).date());
    json!({
        "id": r.id, "name": r.name, "email": r.email, "customer_number": r.customer_number, "message": r.message,
        "state": r.state, "reason": r.reason, "when": date(r.created_at),
        "decided": r.decided_at.map(date), "files_deleted": r.files_deleted_at.map(date),
        "has_files": r.form_file.is_some() || r.id_file.is_some(),
    })
}

#[derive(serde::Deserialize)]
struct Done {
    done: Option<String>,
}

async fn staff_list(
    State(state): State<AppState>,
    lang: Lang,
    staff: Staff,
    axum::extract::Query(q): axum::extract::Query<Done>,
) -> Response {
    let result = async {
        staff.require(StaffAction::EditCustomers)?;
        let l = lang.lang;
        let pending: Vec<Value> = state.store.access_requests(true, 200).await?.iter().map(|r| summary(&state, l, r)).collect();
        let decided: Vec<Value> = state.store.access_requests(false, 20).await?.iter().map(|r| summary(&state, l, r)).collect();
        let done = q.done.filter(|d| ["reset", "invited", "rejected"].contains(&d.as_str()));
        Ok::<_, WebError>(json!({ "pending": pending, "decided": decided, "done": done }))
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&staff.0), "access/staff_list.html.j2", StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}

async fn request_page(state: &AppState, lang: Lang, staff: &Staff, id: &str, errors: &[FieldError], status: StatusCode) -> Response {
    let result = async {
        staff.require(StaffAction::EditCustomers)?;
        let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
        let r = state.store.access_request(id).await?.ok_or(WebError::NotFound)?;
        let card = match &r.customer_number {
            Some(n) => state.store.customer_by_number(n).await?,
            None => None,
        };
        let mut data = summary(state, lang.lang, &r);
        data["card"] = json!(card.map(|c| json!({ "id": c.id, "number": c.number, "name": c.card.legal_name, "email": c.card.email })));
        data["errors"] = json!(errors.iter().map(|e| field_message(lang.lang, e)).collect::<Vec<_>>());
        Ok::<_, WebError>(data)
    }
    .await;
    match result {
        Ok(data) => render_page(state, lang, Some(&staff.0), "access/staff_request.html.j2", status, data),
        Err(e) => error_page(e),
    }
}

async fn staff_request(State(state): State<AppState>, lang: Lang, staff: Staff, Path(id): Path<String>) -> Response {
    request_page(&state, lang, &staff, &id, &[], StatusCode::OK).await
}

async fn staff_decide(
    State(state): State<AppState>,
    lang: Lang,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    let result = async {
        check_csrf(&staff.0, field(&form, "csrf"))?;
        staff.require(StaffAction::EditCustomers)?;
        let rid: i64 = id.parse().map_err(|_| WebError::NotFound)?;
        let decision = match field(&form, "decision") {
            "restore" => Decision::Restore { customer_number: field(&form, "customer_number") },
            "reject" => Decision::Reject { reason: field(&form, "reason") },
            other => return Err(AppError::from(FieldError::new("decision", format!("`{other}` is not restore or reject"))).into()),
        };
        loket_app::lost_access::decide(&state.app, &staff.actor(), staff.0.user.id, rid, decision).await.map_err(WebError::from)
    }
    .await;
    match result {
        Ok(outcome) => {
            let done = match outcome {
                Restored::ResetLink => "reset",
                Restored::Invited => "invited",
                Restored::Rejected => "rejected",
            };
            Redirect::to(&format!("/staff/access?done={done}")).into_response()
        }
        Err(WebError::Invalid(errors)) => request_page(&state, lang, &staff, &id, &errors, StatusCode::BAD_REQUEST).await,
        Err(e) => error_page(e),
    }
}

async fn staff_scan(State(state): State<AppState>, staff: Staff, Path((id, which)): Path<(String, String)>) -> Response {
    let result = async {
        staff.require(StaffAction::EditCustomers)?;
        let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
        let (bytes, kind) = loket_app::lost_access::scan(&state.app, id, &which)
            .await?
            .ok_or_else(|| WebError::Conflict("the file was deleted after its retention period".into()))?;
        Ok::<_, WebError>(
            (
                [
                    (header::CONTENT_TYPE, kind.content_type().to_string()),
                    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"request-{id}-{which}.{}\"", kind.extension())),
                    (header::CACHE_CONTROL, "no-store".to_string()),
                    (header::HeaderName::from_static("x-content-type-options"), "nosniff".to_string()),
                ],
                Body::from(bytes),
            )
                .into_response(),
        )
    }
    .await;
    result.unwrap_or_else(error_page)
}
