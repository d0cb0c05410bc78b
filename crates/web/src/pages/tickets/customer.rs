//! The helpdesk for a card's users with the helpdesk permission: the card's tickets
//! (`/customers/{id}/tickets`, filtered by status, a page at a time), a new ticket with
//! attachments, a ticket's thread without internal notes and the reply form, an attachment as a
//! download, and a project's progress (`/customers/{id}/projects/{pid}`). A card whose plan
//! lacks the helpdesk is told how to reach the provider instead of getting the form (seed 004).
//! A card the user is not on answers 404, like one that does not exist.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use loket_app::AppError;
use loket_app::helpdesk::NewTicketInput;
use loket_domain::FieldError;
use loket_domain::access::Permission;
use loket_domain::helpdesk::ticket::{EntryKind, Status};
use loket_store::accounts::Session;
use loket_store::customers::Customer;
use loket_store::helpdesk::{self, Ticket, TicketFilter};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    MAX_UPLOAD, choices, contact, cursor, entry, errors_map, parse_cursor, read_multipart, row, settings, status_text, tone, typed,
};
use crate::http::download;
use crate::http::extract::{Fields, field};
use crate::http::render::{error_page, render_page};
use crate::http::session::{SignedIn, check_csrf, user_actor};
use crate::{AppState, Lang, WebError};

/// Tickets per page of a card's list.
const PAGE: i64 = 25;

const NEW_FIELDS: [&str; 6] = ["subject", "category", "priority", "project_id", "body", "attachments"];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers/{id}/tickets", get(list))
        .route("/customers/{id}/tickets/new", get(new_form).post(create).layer(DefaultBodyLimit::max(MAX_UPLOAD)))
        .route("/customers/{id}/tickets/{tid}", get(thread).post(reply).layer(DefaultBodyLimit::max(MAX_UPLOAD)))
        .route("/customers/{id}/tickets/{tid}/attachments/{aid}", get(attachment))
        .route("/customers/{id}/projects/{pid}", get(project))
        .route("/customers/{id}/standby/{sid}/confirmation.pdf", get(standby_confirmation))
}

/// A standby period's confirmation, as mailed to the card.
async fn standby_confirmation(
    State(state): State<AppState>,
    SignedIn(session): SignedIn,
    Path((id, sid)): Path<(String, String)>,
) -> Response {
    let result = async {
        let customer = member(&state, &session, &id).await?;
        let sid: i64 = sid.parse().map_err(|_| WebError::NotFound)?;
        Ok::<_, WebError>(state.app.standby_confirmation_pdf(sid, Some(customer.id)).await?)
    }
    .await;
    match result {
        Ok((name, bytes)) => download::pdf(&name, "standby.pdf", bytes),
        Err(e) => error_page(e),
    }
}

/// The card, if the user is on it with the helpdesk permission (not on it: 404).
async fn member(state: &AppState, session: &Session, id: &str) -> Result<Customer, WebError> {
    settings(state)?;
    let cid: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let m = crate::http::session::membership(state, session, cid).await?.ok_or(WebError::NotFound)?;
    if !m.permissions.has(Permission::UseHelpdesk) {
        return Err(WebError::Forbidden("your role on this card does not include the helpdesk".into()));
    }
    state.store.customer(cid).await?.ok_or(WebError::NotFound)
}

/// The card's ticket `tid` (another card's, or none: 404).
async fn card_ticket(state: &AppState, customer: &Customer, tid: &str) -> Result<Ticket, WebError> {
    let tid: i64 = tid.parse().map_err(|_| WebError::NotFound)?;
    let mut conn = state.store.acquire().await?;
    helpdesk::ticket(&mut conn, tid).await?.filter(|t| t.customer_id == Some(customer.id)).ok_or(WebError::NotFound)
}

async fn projects(state: &AppState, lang: loket_domain::Language, customer_id: i64) -> Result<Vec<Value>, WebError> {
    let mut conn = state.store.acquire().await?;
    Ok(helpdesk::projects(&mut conn, customer_id)
        .await?
        .into_iter()
        .map(|(id, name, delivered)| {
            let delivered = delivered.and_then(|d| d.parse::<jiff::civil::Date>().ok()).map(|d| loket_i18n::format_date(lang, d));
            json!({ "id": id, "name": name, "delivered": delivered })
        })
        .collect())
}

#[derive(Deserialize, Default)]
struct ListQuery {
    status: Option<String>,
    before: Option<String>,
    done: Option<String>,
}

/// The status filter: "" (every ticket), `active`, or one status.
fn status_filter(f: &mut TicketFilter, status: &str) -> &'static str {
    match status {
        "active" => {
            f.active_only = true;
            "active"
        }
        s => match Status::parse(s) {
            Some(st) => {
                f.status = Some(st);
                st.name()
            }
            None => "",
        },
    }
}

async fn list(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Response {
    let result = async {
        let customer = member(&state, &session, &id).await?;
        let l = lang.lang;
        let mut filter = TicketFilter { customer_id: Some(customer.id), limit: PAGE + 1, ..Default::default() };
        let status = status_filter(&mut filter, q.status.as_deref().unwrap_or(""));
        filter.before = q.before.as_deref().and_then(parse_cursor);
        let mut conn = state.store.acquire().await?;
        let mut tickets = helpdesk::list(&mut conn, &filter).await?;
        drop(conn);
        let more = tickets.len() as i64 > PAGE;
        tickets.truncate(PAGE as usize);
        let next = more.then(|| tickets.last().map(|t| format!("status={status}&before={}", cursor(t)))).flatten();
        let entitled = state.app.helpdesk_entitled(customer.id).await?;
        let statuses: Vec<Value> = Status::ALL.iter().map(|s| json!({ "value": s.name(), "text": status_text(l, *s, false) })).collect();
        Ok::<_, WebError>(json!({
            "customer": customer,
            "entitled": entitled,
            "contact": contact(&state),
            "status": status,
            "statuses": statuses,
            "tickets": tickets.iter().map(|t| row(&state, l, t, false)).collect::<Vec<_>>(),
            "next": next,
            "first_page": filter.before.is_none(),
            "projects": projects(&state, l, customer.id).await?,
            "standby": super::standby::periods(&state, l, Some(customer.id), 20).await?,
            "done": q.done.filter(|d| d == "opened"),
        }))
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&session), "tickets/list.html.j2", StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}

/// The new-ticket page: the form (with what was typed and what was wrong), or the way to reach
/// the provider for a card without the helpdesk.
async fn new_page(
    state: &AppState,
    lang: Lang,
    session: &Session,
    customer: &Customer,
    form: &Fields,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let result = async {
        let entitled = state.app.helpdesk_entitled(customer.id).await?;
        let max = settings(state)?.max_attachment_bytes;
        let mut values = typed(form, &NEW_FIELDS);
        if values["priority"] == "" {
            values["priority"] = json!("normal");
        }
        if values["category"] == "" {
            values["category"] = json!("question");
        }
        Ok::<_, WebError>(json!({
            "customer": customer,
            "entitled": entitled,
            "contact": contact(state),
            "choices": choices(lang.lang),
            "projects": projects(state, lang.lang, customer.id).await?,
            "form": values,
            "errors": errors_map(lang.lang, errors, &NEW_FIELDS),
            "max_mb": max / (1024 * 1024),
        }))
    }
    .await;
    match result {
        Ok(data) => render_page(state, lang, Some(session), "tickets/new.html.j2", status, data),
        Err(e) => error_page(e),
    }
}

async fn new_form(State(state): State<AppState>, lang: Lang, SignedIn(session): SignedIn, Path(id): Path<String>) -> Response {
    match member(&state, &session, &id).await {
        Ok(customer) => new_page(&state, lang, &session, &customer, &Vec::new(), &[], StatusCode::OK).await,
        Err(e) => error_page(e),
    }
}

/// A whole number typed into `name`, or nothing when it was left empty.
pub(super) fn optional_id(form: &Fields, name: &str) -> Result<Option<i64>, FieldError> {
    match field(form, name).trim() {
        "" => Ok(None),
        v => v.parse().map(Some).map_err(|_| FieldError::new(name, format!("`{}` is not a number", loket_domain::input::sample(v)))),
    }
}

async fn create(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Response {
    let customer = match member(&state, &session, &id).await {
        Ok(c) => c,
        Err(e) => return error_page(e),
    };
    let result = async {
        let max = settings(&state)?.max_message_bytes;
        let (form, attachments) = read_multipart(multipart, max).await?;
        check_csrf(&session, field(&form, "csrf"))?;
        let project_id = match optional_id(&form, "project_id") {
            Ok(p) => p,
            Err(e) => return Ok(Err((form, vec![e]))),
        };
        let input = NewTicketInput {
            customer_id: Some(customer.id),
            project_id,
            subject: field(&form, "subject").to_string(),
            body: field(&form, "body").to_string(),
            category: Some(field(&form, "category").to_string()),
            priority: Some(field(&form, "priority").to_string()),
            channel: None,
            requester_email: None,
            requester_name: None,
            attachments,
        };
        match state.app.open_ticket(&user_actor(&session), &session.user, &input).await {
            Ok((tid, _)) => Ok(Ok(tid)),
            Err(AppError::Invalid(errors)) => Ok(Err((form, errors))),
            Err(e) => Err(WebError::from(e)),
        }
    }
    .await;
    match result {
        Ok(Ok(tid)) => Redirect::to(&format!("/customers/{}/tickets/{tid}?done=opened", customer.id)).into_response(),
        Ok(Err((form, errors))) => new_page(&state, lang, &session, &customer, &form, &errors, StatusCode::BAD_REQUEST).await,
        Err(WebError::Invalid(errors)) => new_page(&state, lang, &session, &customer, &Vec::new(), &errors, StatusCode::BAD_REQUEST).await,
        Err(e) => error_page(e),
    }
}

#[derive(Deserialize, Default)]
struct Done {
    done: Option<String>,
}

/// A ticket's page for the card's users: its thread without the internal notes, and the reply
/// form unless it is closed.
#[allow(clippy::too_many_arguments)]
async fn thread_page(
    state: &AppState,
    lang: Lang,
    session: &Session,
    customer: &Customer,
    t: &Ticket,
    body: &str,
    error: Option<String>,
    done: Option<String>,
    status: StatusCode,
) -> Response {
    let result = async {
        let l = lang.lang;
        let mut conn = state.store.acquire().await?;
        let entries: Vec<Value> = helpdesk::entries(&mut conn, t.id, false).await?.iter().map(|e| entry(state, l, e)).collect();
        let project = match t.project_id {
            Some(p) => helpdesk::projects(&mut conn, customer.id)
                .await?
                .into_iter()
                .find(|(id, ..)| *id == p)
                .map(|(id, name, _)| json!({"id": id, "name": name})),
            None => None,
        };
        let merged = match t.merged_into {
            Some(m) => helpdesk::ticket(&mut conn, m)
                .await?
                .filter(|m| m.customer_id == Some(customer.id))
                .map(|m| json!({"id": m.id, "reference": m.reference})),
            None => None,
        };
        Ok::<_, WebError>(json!({
            "staff": false,
            "customer": customer,
            "ticket": row(state, l, t, false),
            "category_text": loket_i18n::t(l, &format!("tickets-category-{}", t.category.name())),
            "priority_text": loket_i18n::t(l, &format!("tickets-priority-{}", t.priority.name())),
            "project": project,
            "merged": merged,
            "entries": entries,
            "closed": t.status == Status::Closed,
            "body": body,
            "error": error,
            "done": done.filter(|d| d == "opened" || d == "sent"),
            "max_mb": settings(state)?.max_attachment_bytes / (1024 * 1024),
        }))
    }
    .await;
    match result {
        Ok(data) => render_page(state, lang, Some(session), "tickets/thread.html.j2", status, data),
        Err(e) => error_page(e),
    }
}

async fn thread(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path((id, tid)): Path<(String, String)>,
    Query(q): Query<Done>,
) -> Response {
    let result = async {
        let customer = member(&state, &session, &id).await?;
        let t = card_ticket(&state, &customer, &tid).await?;
        Ok::<_, WebError>((customer, t))
    }
    .await;
    match result {
        Ok((customer, t)) => {
            let done = q.done;
            thread_page(&state, lang, &session, &customer, &t, "", None, done, StatusCode::OK).await
        }
        Err(e) => error_page(e),
    }
}

async fn reply(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path((id, tid)): Path<(String, String)>,
    multipart: Multipart,
) -> Response {
    let found = async {
        let customer = member(&state, &session, &id).await?;
        let t = card_ticket(&state, &customer, &tid).await?;
        Ok::<_, WebError>((customer, t))
    }
    .await;
    let (customer, t) = match found {
        Ok(f) => f,
        Err(e) => return error_page(e),
    };
    let result = async {
        let (form, attachments) = read_multipart(multipart, settings(&state)?.max_message_bytes).await?;
        check_csrf(&session, field(&form, "csrf"))?;
        let body = field(&form, "body").to_string();
        match state.app.ticket_reply(&user_actor(&session), &session.user, t.id, EntryKind::Reply, &body, None, &attachments).await {
            Ok(entry) => Ok(Ok(entry)),
            Err(AppError::Invalid(errors)) => Ok(Err((
                body,
                errors.iter().map(|e| crate::http::field_errors::field_message(lang.lang, e)).collect::<Vec<_>>().join("; "),
                StatusCode::BAD_REQUEST,
            ))),
            Err(AppError::Conflict(_)) => Ok(Err((body, loket_i18n::t(lang.lang, "tickets-closed-text"), StatusCode::CONFLICT))),
            Err(e) => Err(WebError::from(e)),
        }
    }
    .await;
    match result {
        Ok(Ok(entry)) => Redirect::to(&format!("/customers/{}/tickets/{}?done=sent#entry-{entry}", customer.id, t.id)).into_response(),
        Ok(Err((body, error, status))) => {
            // The ticket as it is now (a reply may have changed nothing, but the page reads it fresh).
            let t = card_ticket(&state, &customer, &t.id.to_string()).await.unwrap_or(t);
            thread_page(&state, lang, &session, &customer, &t, &body, Some(error), None, status).await
        }
        Err(WebError::Invalid(errors)) => {
            let error = errors.iter().map(|e| crate::http::field_errors::field_message(lang.lang, e)).collect::<Vec<_>>().join("; ");
            thread_page(&state, lang, &session, &customer, &t, "", Some(error), None, StatusCode::BAD_REQUEST).await
        }
        Err(e) => error_page(e),
    }
}

/// An attachment of a public entry of the card's ticket (never one of an internal note).
async fn attachment(
    State(state): State<AppState>,
    SignedIn(session): SignedIn,
    Path((id, tid, aid)): Path<(String, String, String)>,
) -> Response {
    let result = async {
        let customer = member(&state, &session, &id).await?;
        let t = card_ticket(&state, &customer, &tid).await?;
        let aid: i64 = aid.parse().map_err(|_| WebError::NotFound)?;
        serve_attachment(&state, t.id, aid, false).await
    }
    .await;
    result.unwrap_or_else(error_page)
}

/// Attachment `aid` of ticket `ticket_id` as a download; `with_notes`: also one of an internal
/// note (staff).
pub(super) async fn serve_attachment(state: &AppState, ticket_id: i64, aid: i64, with_notes: bool) -> Result<Response, WebError> {
    let mut conn = state.store.acquire().await?;
    let entries = helpdesk::entries(&mut conn, ticket_id, with_notes).await?;
    drop(conn);
    let a = entries.iter().flat_map(|e| e.attachments.iter()).find(|a| a.id == aid).ok_or(WebError::NotFound)?;
    let bytes = state.app.files.get(&a.stored).await?.ok_or(WebError::NotFound)?;
    Ok(download::uploaded(bytes, &a.file_name, &a.content_type))
}

#[derive(Deserialize, Default)]
struct Before {
    before: Option<String>,
}

/// A project's progress for everyone on the card with the helpdesk: its tickets per status and
/// the tickets themselves.
async fn project(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path((id, pid)): Path<(String, String)>,
    Query(q): Query<Before>,
) -> Response {
    let result = async {
        let customer = member(&state, &session, &id).await?;
        let l = lang.lang;
        let pid: i64 = pid.parse().map_err(|_| WebError::NotFound)?;
        let project = projects(&state, l, customer.id).await?.into_iter().find(|p| p["id"] == pid).ok_or(WebError::NotFound)?;
        let mut conn = state.store.acquire().await?;
        let counts = helpdesk::counts(&mut conn, customer.id, Some(pid)).await?;
        let total: i64 = counts.iter().map(|(_, n)| n).sum();
        let done: i64 = counts.iter().filter(|(s, _)| !s.is_active()).map(|(_, n)| n).sum();
        let per_status: Vec<Value> = Status::ALL
            .iter()
            .map(|s| {
                let n = counts.iter().find(|(c, _)| c == s).map(|(_, n)| *n).unwrap_or(0);
                json!({ "status": s.name(), "text": status_text(l, *s, false), "n": n, "tone": tone(*s) })
            })
            .collect();
        let before = q.before.as_deref().and_then(parse_cursor);
        let filter = TicketFilter { customer_id: Some(customer.id), project_id: Some(pid), before, limit: PAGE + 1, ..Default::default() };
        let mut tickets = helpdesk::list(&mut conn, &filter).await?;
        let more = tickets.len() as i64 > PAGE;
        tickets.truncate(PAGE as usize);
        let next = more.then(|| tickets.last().map(cursor)).flatten();
        Ok::<_, WebError>(json!({
            "customer": customer,
            "project": project,
            "counts": per_status,
            "total": total,
            "done": done,
            "percent": if total > 0 { done * 100 / total } else { 0 },
            "tickets": tickets.iter().map(|t| row(&state, l, t, false)).collect::<Vec<_>>(),
            "next": next,
        }))
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&session), "tickets/project.html.j2", StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}
