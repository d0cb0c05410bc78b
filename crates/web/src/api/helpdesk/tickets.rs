//! Tickets over the API: `GET /api/v1/tickets` (filters, newest activity first, a page at a time
//! with `before` = the last one's `cursor`), `GET /api/v1/tickets/{id}` (with its thread),
//! `POST /api/v1/tickets` (open one: channel api) and `POST /api/v1/tickets/{id}/replies`.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Json as JsonBody, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use loket_app::helpdesk::NewTicketInput;
use loket_domain::helpdesk::ticket::{EntryKind, Priority, Status};
use loket_store::helpdesk::{self, Entry, Ticket, TicketFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{helpdesk_caller, id};
use crate::api::customers::ApiCaller;
use crate::http::error::ErrorBody;
use crate::http::extract::{body_named, query};
use crate::{ApiError, AppState, WebError};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_tickets, open_ticket)).routes(routes!(get_ticket)).routes(routes!(reply_ticket))
}

/// A ticket as lists give it.
#[derive(Serialize, ToSchema)]
pub struct TicketView {
    pub id: i64,
    /// `T-2026-00042`: the reference in every mail's subject.
    pub reference: String,
    /// The card; none for mail from an unknown sender not yet hung under one.
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    pub project_id: Option<i64>,
    pub subject: String,
    /// new, open, waiting (on the customer), escalated, resolved or closed
    pub status: String,
    /// low, normal, high or urgent
    pub priority: String,
    /// outage, technical, administrative, backup_restore, upgrade, paid_intervention or question
    pub category: String,
    /// email, portal, phone, standby or api
    pub channel: String,
    pub requester_email: String,
    pub requester_name: Option<String>,
    pub assignee_id: Option<i64>,
    pub assignee_email: Option<String>,
    pub team: Option<String>,
    /// The ticket this one was merged into.
    pub merged_into: Option<i64>,
    pub created_at: Timestamp,
    pub last_activity_at: Timestamp,
    /// Where the next page starts (give it as `before`).
    pub cursor: String,
}

impl From<Ticket> for TicketView {
    fn from(t: Ticket) -> Self {
        TicketView {
            cursor: crate::pages::tickets::cursor(&t),
            id: t.id,
            reference: t.reference,
            customer_id: t.customer_id,
            customer_name: t.customer_name,
            project_id: t.project_id,
            subject: t.subject,
            status: t.status.name().into(),
            priority: t.priority.name().into(),
            category: t.category.name().into(),
            channel: t.channel.name().into(),
            requester_email: t.requester_email,
            requester_name: t.requester_name,
            assignee_id: t.assignee_id,
            assignee_email: t.assignee_email,
            team: t.team,
            merged_into: t.merged_into,
            created_at: t.created_at,
            last_activity_at: t.last_activity_at,
        }
    }
}

/// A file attached to an entry.
#[derive(Serialize, ToSchema)]
pub struct AttachmentView {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    /// Bytes.
    pub size: i64,
}

/// One entry of a ticket's thread.
#[derive(Serialize, ToSchema)]
pub struct EntryView {
    pub id: i64,
    /// reply (public, mailed) or note (internal: staff only)
    pub kind: String,
    /// How it came: email, portal, phone, standby or api
    pub channel: String,
    pub from_staff: bool,
    pub author_email: String,
    pub author_name: Option<String>,
    /// The text shown: a mail's new part, without the quoted history.
    pub body: String,
    pub created_at: Timestamp,
    pub attachments: Vec<AttachmentView>,
}

impl From<Entry> for EntryView {
    fn from(e: Entry) -> Self {
        EntryView {
            id: e.id,
            kind: e.kind.name().into(),
            channel: e.channel.name().into(),
            from_staff: e.from_staff,
            author_email: e.author_email,
            author_name: e.author_name,
            body: e.body,
            created_at: e.created_at,
            attachments: e
                .attachments
                .into_iter()
                .map(|a| AttachmentView { id: a.id, file_name: a.file_name, content_type: a.content_type, size: a.size })
                .collect(),
        }
    }
}

/// A ticket with its thread, oldest entry first (for a card's users without internal notes).
#[derive(Serialize, ToSchema)]
pub struct TicketThreadView {
    pub ticket: TicketView,
    pub thread: Vec<EntryView>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TicketSearch {
    /// new, open, waiting, escalated, resolved or closed
    pub status: Option<String>,
    /// low, normal, high or urgent
    pub priority: Option<String>,
    /// Only this card's tickets (required for a card's users).
    pub customer_id: Option<i64>,
    /// Only tickets assigned to this member of staff.
    pub assignee_id: Option<i64>,
    /// true: only tickets that still need work (not resolved or closed).
    pub active: Option<bool>,
    /// The next page: the `cursor` of the previous page's last ticket.
    pub before: Option<String>,
    /// 1 to 200; default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

fn bad(field: &str, message: impl Into<String>) -> WebError {
    WebError::BadRequest { field: Some(field.into()), message: message.into() }
}

/// Tickets, newest activity first, a page at a time: staff who work on tickets see all of them;
/// a card's users with the helpdesk give `customer_id` and see that card's.
#[utoipa::path(get, path = "/api/v1/tickets", tag = "helpdesk", params(TicketSearch), security(("token" = [])),
    responses((status = 200, body = [TicketView]), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_tickets(
    State(state): State<AppState>,
    caller: ApiCaller,
    q: Result<Query<TicketSearch>, QueryRejection>,
) -> Result<Json<Vec<TicketView>>, ApiError> {
    let q = query(q)?;
    if caller.user.staff_role.is_none() && q.customer_id.is_none() {
        caller.scope("helpdesk:read")?;
        return Err(bad("customer_id", "customer_id: give the card whose tickets to list").into());
    }
    helpdesk_caller(&state, &caller, "helpdesk:read", q.customer_id).await?;
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(bad("limit", "limit: 1 to 200").into());
    }
    let mut f = TicketFilter {
        customer_id: q.customer_id,
        assignee_id: q.assignee_id,
        active_only: q.active == Some(true),
        limit,
        ..Default::default()
    };
    if let Some(s) = q.status.as_deref() {
        f.status = Some(Status::parse(s).ok_or_else(|| bad("status", format!("status: use one of {}", Status::names())))?);
    }
    if let Some(p) = q.priority.as_deref() {
        f.priority = Some(Priority::parse(p).ok_or_else(|| bad("priority", format!("priority: use one of {}", Priority::names())))?);
    }
    if let Some(b) = q.before.as_deref() {
        f.before = Some(crate::pages::tickets::parse_cursor(b).ok_or_else(|| bad("before", "before: give the cursor of the last ticket"))?);
    }
    let mut conn = state.store.acquire().await?;
    let tickets = helpdesk::list(&mut conn, &f).await?;
    Ok(Json(tickets.into_iter().map(Into::into).collect()))
}

/// The ticket `tid` with its thread for `caller` (internal notes only for staff).
async fn thread(state: &AppState, caller: &ApiCaller, tid: i64) -> Result<TicketThreadView, ApiError> {
    let mut conn = state.store.acquire().await?;
    let t = helpdesk::ticket(&mut conn, tid).await?.ok_or(WebError::NotFound)?;
    drop(conn);
    let staff = helpdesk_caller(state, caller, "helpdesk:read", t.customer_id).await?;
    let mut conn = state.store.acquire().await?;
    let entries = helpdesk::entries(&mut conn, t.id, staff).await?;
    Ok(TicketThreadView { ticket: t.into(), thread: entries.into_iter().map(Into::into).collect() })
}

/// One ticket with its thread. A card's users see their cards' tickets without internal notes.
#[utoipa::path(get, path = "/api/v1/tickets/{id}", tag = "helpdesk", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 200, body = TicketThreadView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_ticket(State(state): State<AppState>, caller: ApiCaller, Path(tid): Path<String>) -> Result<Json<TicketThreadView>, ApiError> {
    caller.scope("helpdesk:read")?;
    Ok(Json(thread(&state, &caller, id(&tid)?).await?))
}

/// A new ticket.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTicket {
    /// The card (required for a card's users; staff may leave it out for someone without one).
    pub customer_id: Option<i64>,
    /// One of the card's projects.
    pub project_id: Option<i64>,
    /// At most 200 characters.
    pub subject: String,
    /// The question or report, at most 20,000 characters.
    pub body: String,
    /// outage, technical, administrative, backup_restore, upgrade, paid_intervention or question (default)
    pub category: Option<String>,
    /// low, normal (default), high; urgent for staff
    pub priority: Option<String>,
    /// Staff: who asked (default: the card's e-mail address).
    pub requester_email: Option<String>,
    pub requester_name: Option<String>,
}

/// Opens a ticket (channel api). A card's user opens one for a card they use the helpdesk of,
/// if its plan includes the helpdesk; staff for any card or none. The requester and everyone
/// involved are mailed.
#[utoipa::path(post, path = "/api/v1/tickets", tag = "helpdesk", request_body = NewTicket, security(("token" = [])),
    responses((status = 201, body = TicketThreadView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn open_ticket(
    State(state): State<AppState>,
    caller: ApiCaller,
    b: Result<JsonBody<NewTicket>, JsonRejection>,
) -> Result<Response, ApiError> {
    caller.scope("helpdesk:write")?;
    let n = body_named(b)?;
    if caller.user.staff_role.is_none() && n.customer_id.is_none() {
        return Err(bad("customer_id", "customer_id: give the card this ticket is for").into());
    }
    helpdesk_caller(&state, &caller, "helpdesk:write", n.customer_id).await?;
    let input = NewTicketInput {
        customer_id: n.customer_id,
        project_id: n.project_id,
        subject: n.subject,
        body: n.body,
        category: n.category,
        priority: n.priority,
        channel: Some("api".into()),
        requester_email: n.requester_email,
        requester_name: n.requester_name,
        attachments: Vec::new(),
    };
    let (tid, _) = state.app.open_ticket(&caller.actor(), &caller.user, &input).await?;
    let view = thread(&state, &caller, tid).await?;
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/api/v1/tickets/{tid}"))], Json(view)).into_response())
}

/// A reply on a ticket.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReply {
    /// At most 20,000 characters.
    pub body: String,
    /// Staff: true makes it an internal note, which nobody outside the staff sees or is mailed.
    #[serde(default)]
    pub note: bool,
    /// Staff: the status after it (e.g. waiting: on the customer).
    pub status: Option<String>,
}

/// Replies on a ticket: mailed to the requester and everyone involved. A card's user replies on
/// their cards' tickets (a ticket waiting on them opens again); a closed ticket answers 409.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/replies", tag = "helpdesk", params(("id" = i64, Path)), request_body = NewReply,
    security(("token" = [])), responses((status = 201, body = TicketThreadView), (status = 400, body = ErrorBody),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn reply_ticket(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(tid): Path<String>,
    b: Result<JsonBody<NewReply>, JsonRejection>,
) -> Result<Response, ApiError> {
    caller.scope("helpdesk:write")?;
    let tid = id(&tid)?;
    let t = {
        let mut conn = state.store.acquire().await?;
        helpdesk::ticket(&mut conn, tid).await?.ok_or(WebError::NotFound)?
    };
    let staff = helpdesk_caller(&state, &caller, "helpdesk:write", t.customer_id).await?;
    let r = body_named(b)?;
    if !staff && (r.note || r.status.is_some()) {
        return Err(WebError::Forbidden("only staff write internal notes or set the status".into()).into());
    }
    let kind = if r.note { EntryKind::Note } else { EntryKind::Reply };
    state.app.ticket_reply(&caller.actor(), &caller.user, tid, kind, &r.body, r.status.as_deref(), &[]).await?;
    let view = thread(&state, &caller, tid).await?;
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/api/v1/tickets/{tid}"))], Json(view)).into_response())
}
