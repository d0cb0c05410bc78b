//! The helpdesk for staff who may work on tickets (`StaffAction::ManageHelpdesk`): the queue at
//! `/staff/tickets` with its filters, keyset pages and each member's saved views; a ticket for a
//! phone call (`/staff/tickets/new`); and a ticket's page with its whole thread (internal notes
//! marked), the reply or note with the status after it, triage, time, merge, watchers, the SLA
//! clocks and a standby call-out's terms.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Form, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::civil::Date;
use loket_app::AppError;
use loket_app::helpdesk::{NewTicketInput, TriageInput, sla_of};
use loket_domain::access::StaffAction;
use loket_domain::helpdesk::sla::{Clock, ClockState};
use loket_domain::helpdesk::ticket::{Category, EntryKind, Priority, Status, TicketRef};
use loket_domain::{FieldError, Language};
use loket_store::helpdesk::{self, TicketFilter};
use serde::Deserialize;
use serde_json::{Value, json};

use super::customer::{optional_id, serve_attachment};
use super::{MAX_UPLOAD, choices, cursor, entry, errors_map, parse_cursor, read_multipart, row, settings, status_text, typed, when};
use crate::http::extract::{Fields, field};
use crate::http::render::{error_page, render_page};
use crate::http::session::{Staff, check_csrf};
use crate::{AppState, Lang, WebError};

/// What a ticket page's flash may say after a change (`tickets-staff-done-*`).
const DONE: [&str; 10] = ["opened", "reply", "note", "status", "triage", "time", "merge", "watch", "unwatch", "callout"];

/// Tickets per page of the queue.
const PAGE: i64 = 50;

const NEW_FIELDS: [&str; 9] =
    ["customer", "requester_email", "requester_name", "subject", "category", "priority", "project_id", "body", "attachments"];

/// Every field of the ticket page's forms (their names are unique across the forms).
const TICKET_FIELDS: [&str; 17] = [
    "body",
    "kind",
    "status",
    "attachments",
    "customer",
    "project_id",
    "category",
    "priority",
    "assignee_id",
    "team",
    "quote_id",
    "minutes",
    "worked_on",
    "basis",
    "note",
    "into",
    "email",
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/tickets", get(queue))
        .route("/staff/tickets/views", post(save_view))
        .route("/staff/tickets/views/{vid}/delete", post(delete_view))
        .route("/staff/tickets/new", get(new_form).post(create).layer(DefaultBodyLimit::max(MAX_UPLOAD)))
        .route("/staff/tickets/{id}", get(ticket))
        .route("/staff/tickets/{id}/reply", post(reply).layer(DefaultBodyLimit::max(MAX_UPLOAD)))
        .route("/staff/tickets/{id}/status", post(set_status))
        .route("/staff/tickets/{id}/triage", post(triage))
        .route("/staff/tickets/{id}/time", post(log_time))
        .route("/staff/tickets/{id}/merge", post(merge))
        .route("/staff/tickets/{id}/watchers", post(watchers))
        .route("/staff/tickets/{id}/attachments/{aid}", get(attachment))
}

/// Staff who may work on tickets, or 403.
fn helpdesk_staff(state: &AppState, staff: &Staff) -> Result<(), WebError> {
    settings(state)?;
    staff.require(StaffAction::ManageHelpdesk)
}

// ---- The queue ---------------------------------------------------------------------------

/// The queue's filters as the query string gives them.
#[derive(Deserialize, Default, Debug, Clone)]
struct Queue {
    /// active (default), all, or one status
    state: Option<String>,
    priority: Option<String>,
    category: Option<String>,
    /// me, unassigned, or anyone (default)
    assignee: Option<String>,
    team: Option<String>,
    /// 1: only tickets without a card
    nocard: Option<String>,
    /// only this card's tickets
    customer: Option<String>,
    before: Option<String>,
    done: Option<String>,
}

/// The filters understood, each as its canonical value.
#[derive(Debug, Clone, Default)]
struct Filters {
    state: String,
    priority: String,
    category: String,
    assignee: String,
    team: String,
    nocard: bool,
    customer: Option<i64>,
}

impl Filters {
    fn from(q: &Queue) -> Filters {
        let clean = |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or("").to_string();
        let state = match clean(&q.state).as_str() {
            "all" => "all".to_string(),
            s if Status::parse(s).is_some() => s.to_string(),
            _ => "active".to_string(),
        };
        let priority = clean(&q.priority);
        let category = clean(&q.category);
        let assignee = clean(&q.assignee);
        Filters {
            state,
            priority: if Priority::parse(&priority).is_some() { priority } else { String::new() },
            category: if Category::parse(&category).is_some() { category } else { String::new() },
            assignee: if assignee == "me" || assignee == "unassigned" { assignee } else { String::new() },
            team: clean(&q.team).chars().take(60).collect(),
            nocard: clean(&q.nocard) == "1",
            customer: clean(&q.customer).parse().ok(),
        }
    }

    /// The canonical query string: defaults left out, keys in one order (what a view saves).
    fn query(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if self.state != "active" {
            parts.push(format!("state={}", self.state));
        }
        for (k, v) in [("priority", &self.priority), ("category", &self.category), ("assignee", &self.assignee)] {
            if !v.is_empty() {
                parts.push(format!("{k}={v}"));
            }
        }
        if !self.team.is_empty() {
            parts.push(format!("team={}", crate::http::session::urlencode(&self.team)));
        }
        if self.nocard {
            parts.push("nocard=1".into());
        }
        if let Some(c) = self.customer {
            parts.push(format!("customer={c}"));
        }
        parts.join("&")
    }

    fn ticket_filter(&self, me: i64) -> TicketFilter {
        let mut f = TicketFilter { limit: PAGE + 1, ..Default::default() };
        match self.state.as_str() {
            "active" => f.active_only = true,
            "all" => {}
            s => f.status = Status::parse(s),
        }
        f.priority = Priority::parse(&self.priority);
        f.category = Category::parse(&self.category);
        match self.assignee.as_str() {
            "me" => f.assignee_id = Some(me),
            "unassigned" => f.unassigned = true,
            _ => {}
        }
        f.team = Some(self.team.clone()).filter(|t| !t.is_empty());
        f.without_card = self.nocard;
        f.customer_id = self.customer;
        f
    }
}

async fn queue(State(state): State<AppState>, lang: Lang, staff: Staff, Query(q): Query<Queue>) -> Response {
    let result = async {
        helpdesk_staff(&state, &staff)?;
        let l = lang.lang;
        let filters = Filters::from(&q);
        let mut f = filters.ticket_filter(staff.0.user.id);
        f.before = q.before.as_deref().and_then(parse_cursor);
        let mut conn = state.store.acquire().await?;
        let mut tickets = helpdesk::list(&mut conn, &f).await?;
        let more = tickets.len() as i64 > PAGE;
        tickets.truncate(PAGE as usize);
        let query = filters.query();
        let next = more
            .then(|| {
                tickets
                    .last()
                    .map(|t| if query.is_empty() { format!("before={}", cursor(t)) } else { format!("{query}&before={}", cursor(t)) })
            })
            .flatten();
        let views: Vec<Value> = helpdesk::views::saved_views(&mut conn, staff.0.user.id)
            .await?
            .into_iter()
            .map(|v| json!({ "id": v.id, "name": v.name, "query": v.query, "current": v.query == query }))
            .collect();
        let card = match filters.customer {
            Some(c) => loket_store::customers::customer(&mut conn, c)
                .await?
                .map(|c| json!({ "id": c.id, "number": c.number, "name": c.card.legal_name })),
            None => None,
        };
        Ok::<_, WebError>(json!({
            "filters": {
                "state": filters.state, "priority": filters.priority, "category": filters.category, "assignee": filters.assignee,
                "team": filters.team, "nocard": filters.nocard, "customer": filters.customer,
            },
            "card": card,
            "query": query,
            "choices": choices(l),
            "tickets": tickets.iter().map(|t| row(&state, l, t, true)).collect::<Vec<_>>(),
            "next": next,
            "first_page": f.before.is_none(),
            "views": views,
            "done": q.done.filter(|d| d == "saved" || d == "deleted"),
        }))
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&staff.0), "tickets/staff_queue.html.j2", StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}

async fn save_view(State(state): State<AppState>, staff: Staff, Form(form): Form<Fields>) -> Response {
    let result = async {
        check_csrf(&staff.0, field(&form, "csrf"))?;
        helpdesk_staff(&state, &staff)?;
        // Only the filters the queue understands are kept, in their canonical form.
        let q: Queue = serde_urlencoded::from_str(field(&form, "query")).unwrap_or_default();
        let query = Filters::from(&q).query();
        state.app.save_ticket_view(&staff.actor(), &staff.0.user, field(&form, "name"), &query).await?;
        Ok::<_, WebError>(query)
    }
    .await;
    match result {
        Ok(query) => {
            Redirect::to(&format!("/staff/tickets?{}{}done=saved", query, if query.is_empty() { "" } else { "&" })).into_response()
        }
        Err(e) => error_page(e),
    }
}

async fn delete_view(State(state): State<AppState>, staff: Staff, Path(vid): Path<String>, Form(form): Form<Fields>) -> Response {
    let result = async {
        check_csrf(&staff.0, field(&form, "csrf"))?;
        helpdesk_staff(&state, &staff)?;
        let vid: i64 = vid.parse().map_err(|_| WebError::NotFound)?;
        state.app.delete_ticket_view(&staff.actor(), &staff.0.user, vid).await?;
        Ok::<_, WebError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/staff/tickets?done=deleted").into_response(),
        Err(e) => error_page(e),
    }
}

// ---- A phone ticket ------------------------------------------------------------------------

/// The card typed into a form: its number (`C000001`) or id; nothing when left empty.
async fn card_of(state: &AppState, name: &str, text: &str) -> Result<Option<loket_store::customers::Customer>, WebError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let found = match text.parse::<i64>() {
        Ok(id) => state.store.customer(id).await?,
        Err(_) => state.store.customer_by_number(&text.to_uppercase()).await?,
    };
    match found {
        Some(c) => Ok(Some(c)),
        None => Err(FieldError::new(name, format!("no customer card `{}`", loket_domain::input::sample(text))).into()),
    }
}

/// Field errors of the service named as the form names them.
fn renamed(errors: Vec<FieldError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|mut e| {
            if e.field == "customer_id" {
                e.field = "customer".into();
            }
            e
        })
        .collect()
}

#[derive(Deserialize, Default)]
struct Prefill {
    customer: Option<String>,
}

async fn new_page(state: &AppState, lang: Lang, staff: &Staff, form: &Fields, errors: &[FieldError], status: StatusCode) -> Response {
    let result = async {
        helpdesk_staff(state, staff)?;
        let mut values = typed(form, &NEW_FIELDS);
        if values["priority"] == "" {
            values["priority"] = json!("normal");
        }
        if values["category"] == "" {
            values["category"] = json!("question");
        }
        let card = card_of(state, "customer", field(form, "customer")).await.ok().flatten();
        let projects = match &card {
            Some(c) => {
                let mut conn = state.store.acquire().await?;
                helpdesk::projects(&mut conn, c.id).await?.into_iter().map(|(id, name, _)| json!({ "id": id, "name": name })).collect()
            }
            None => Vec::new(),
        };
        Ok::<_, WebError>(json!({
            "form": values,
            "card": card.map(|c| json!({ "id": c.id, "number": c.number, "name": c.card.legal_name, "email": c.card.email })),
            "projects": projects,
            "choices": choices(lang.lang),
            "errors": errors_map(lang.lang, errors, &NEW_FIELDS),
            "max_mb": settings(state)?.max_attachment_bytes / (1024 * 1024),
        }))
    }
    .await;
    match result {
        Ok(data) => render_page(state, lang, Some(&staff.0), "tickets/staff_new.html.j2", status, data),
        Err(e) => error_page(e),
    }
}

async fn new_form(State(state): State<AppState>, lang: Lang, staff: Staff, Query(q): Query<Prefill>) -> Response {
    let form: Fields = q.customer.map(|c| vec![("customer".to_string(), c)]).unwrap_or_default();
    new_page(&state, lang, &staff, &form, &[], StatusCode::OK).await
}

async fn create(State(state): State<AppState>, lang: Lang, staff: Staff, multipart: Multipart) -> Response {
    let result = async {
        helpdesk_staff(&state, &staff)?;
        let (form, attachments) = read_multipart(multipart, settings(&state)?.max_message_bytes).await?;
        check_csrf(&staff.0, field(&form, "csrf"))?;
        let card = match card_of(&state, "customer", field(&form, "customer")).await {
            Ok(c) => c,
            Err(WebError::Invalid(e)) => return Ok(Err((form, e))),
            Err(e) => return Err(e),
        };
        let project_id = match optional_id(&form, "project_id") {
            Ok(p) => p,
            Err(e) => return Ok(Err((form, vec![e]))),
        };
        let opt = |n: &str| Some(field(&form, n).to_string()).filter(|v| !v.trim().is_empty());
        let input = NewTicketInput {
            customer_id: card.map(|c| c.id),
            project_id,
            subject: field(&form, "subject").to_string(),
            body: field(&form, "body").to_string(),
            category: opt("category"),
            priority: opt("priority"),
            channel: Some("phone".into()),
            requester_email: opt("requester_email"),
            requester_name: opt("requester_name"),
            attachments,
        };
        match state.app.open_ticket(&staff.actor(), &staff.0.user, &input).await {
            Ok((id, _)) => Ok(Ok(id)),
            Err(AppError::Invalid(errors)) => Ok(Err((form, renamed(errors)))),
            Err(e) => Err(WebError::from(e)),
        }
    }
    .await;
    match result {
        Ok(Ok(id)) => Redirect::to(&format!("/staff/tickets/{id}?done=opened")).into_response(),
        Ok(Err((form, errors))) => new_page(&state, lang, &staff, &form, &errors, StatusCode::BAD_REQUEST).await,
        Err(WebError::Invalid(errors)) => new_page(&state, lang, &staff, &Vec::new(), &errors, StatusCode::BAD_REQUEST).await,
        Err(e) => error_page(e),
    }
}

// ---- A ticket ------------------------------------------------------------------------------

/// `seconds` of office time in hours and minutes: `30 min`, `8 h`, `2 h 30 min`.
fn duration(lang: Language, seconds: i64) -> String {
    let minutes = seconds.max(0) / 60;
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => loket_i18n::t_args(lang, "tickets-minutes", &[("n", &m.to_string())]),
        (h, 0) => loket_i18n::t_args(lang, "tickets-hours", &[("n", &h.to_string())]),
        (h, m) => format!(
            "{} {}",
            loket_i18n::t_args(lang, "tickets-hours", &[("n", &h.to_string())]),
            loket_i18n::t_args(lang, "tickets-minutes", &[("n", &m.to_string())])
        ),
    }
}

/// One SLA clock as staff read it: its state, deadline and when it stopped or breached.
fn clock(state: &AppState, lang: Language, name: &str, c: &Clock) -> Value {
    let at = |t: Option<jiff::Timestamp>| t.map(|t| when(state, lang, t));
    let (key, tone) = match c.state {
        ClockState::NotApplicable => ("na", ""),
        ClockState::Running => ("running", "open"),
        ClockState::Warning => ("warning", "waiting"),
        ClockState::Paused => ("paused", ""),
        ClockState::Met => ("met", "paid"),
        ClockState::Breached { .. } => ("breached", "overdue"),
    };
    let breached = match c.state {
        ClockState::Breached { at: b } => Some(b),
        _ => c.breached_at,
    };
    json!({
        "name": name,
        "state": key,
        "tone": tone,
        "target": c.target.map(|s| duration(lang, s)),
        "elapsed": duration(lang, c.elapsed),
        "due": at(c.due_at),
        "warn": at(c.warn_at),
        "breached": at(breached),
        "stopped": at(c.stopped_at),
    })
}

#[derive(Deserialize, Default)]
struct Done {
    done: Option<String>,
}

/// A ticket's page for staff; after a refused form, `failed` names it, with what was typed and
/// what was wrong.
async fn ticket_page(
    state: &AppState,
    lang: Lang,
    staff: &Staff,
    id: &str,
    failed: Option<(&str, &Fields, &[FieldError])>,
    done: Option<String>,
    status: StatusCode,
) -> Response {
    let result = async {
        helpdesk_staff(state, staff)?;
        let l = lang.lang;
        let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
        let mut conn = state.store.acquire().await?;
        let t = helpdesk::ticket(&mut conn, id).await?.ok_or(WebError::NotFound)?;
        let entries: Vec<Value> = helpdesk::entries(&mut conn, id, true).await?.iter().map(|e| entry(state, l, e)).collect();
        let sla = sla_of(&state.app, &mut conn, &t, state.app.now()).await?;
        let card = match t.customer_id {
            Some(c) => loket_store::customers::customer(&mut conn, c).await?,
            None => None,
        };
        let projects: Vec<Value> = match t.customer_id {
            Some(c) => helpdesk::projects(&mut conn, c).await?.into_iter().map(|(id, name, _)| json!({ "id": id, "name": name })).collect(),
            None => Vec::new(),
        };
        let project = t.project_id.and_then(|p| projects.iter().find(|x| x["id"] == p).cloned());
        let merged = match t.merged_into {
            Some(m) => helpdesk::ticket(&mut conn, m).await?.map(|m| json!({ "id": m.id, "reference": m.reference })),
            None => None,
        };
        let callout = match helpdesk::work::callout_of(&mut conn, id).await? {
            Some((_, standby_id, called, respond_by, item)) => {
                let period = helpdesk::work::standby(&mut conn, standby_id).await?;
                Some(json!({
                    "called": when(state, l, called),
                    "respond_by": when(state, l, respond_by),
                    "billed": item.is_some(),
                    "period": period.map(|p| format!("{} – {}", p.starts_local.replace('T', " "), p.ends_local.replace('T', " "))),
                }))
            }
            None => None,
        };
        let watchers: Vec<Value> = helpdesk::watchers(&mut conn, id).await?.into_iter().map(|(email, user)| json!({ "email": email, "user": user.is_some() })).collect();
        let times = helpdesk::work::time_entries(&mut conn, id).await?;
        let total: i64 = times.iter().map(|x| x.minutes).sum();
        let billed: i64 = times.iter().filter(|x| x.item_id.is_some()).map(|x| x.billed_minutes).sum();
        let times: Vec<Value> = times
            .iter()
            .map(|x| {
                json!({
                    "worked_on": x.worked_on.parse::<Date>().map(|d| loket_i18n::format_date(l, d)).unwrap_or_else(|_| x.worked_on.clone()),
                    "who": x.user_email, "minutes": x.minutes, "billed": x.billed_minutes,
                    "basis": loket_i18n::t(l, &format!("tickets-basis-{}", x.basis)), "note": x.note, "invoiced": x.item_id.is_some(),
                })
            })
            .collect();
        let assignees: Vec<Value> = helpdesk::staff_users(&mut conn)
            .await?
            .into_iter()
            .filter(|u| u.staff_role.is_some_and(|r| r.can(StaffAction::ManageHelpdesk)))
            .map(|u| json!({ "id": u.id, "name": if u.name.is_empty() { u.email.clone() } else { u.name.clone() } }))
            .collect();
        drop(conn);
        let next_statuses: Vec<Value> = Status::ALL
            .iter()
            .filter(|s| t.status.may_become(**s))
            .map(|s| json!({ "value": s.name(), "text": status_text(l, *s, true) }))
            .collect();
        let empty = Vec::new();
        let (form_name, form, errors) = failed.unwrap_or(("", &empty, &[]));
        let mut values = typed(form, &TICKET_FIELDS);
        if form_name != "time" || values["worked_on"] == "" {
            values["worked_on"] = json!(state.app.today().to_string());
        }
        if form_name != "reply" {
            values["kind"] = json!("reply");
        }
        Ok::<_, WebError>(json!({
            "staff": true,
            "ticket": row(state, l, &t, true),
            "closed": t.status == Status::Closed,
            "texts": {
                "category": loket_i18n::t(l, &format!("tickets-category-{}", t.category.name())),
                "priority": loket_i18n::t(l, &format!("tickets-priority-{}", t.priority.name())),
                "channel": loket_i18n::t(l, &format!("tickets-channel-{}", t.channel.name())),
            },
            "card": card.map(|c| json!({ "id": c.id, "number": c.number, "name": c.card.legal_name })),
            "project": project,
            "projects": projects,
            "merged": merged,
            "callout": callout,
            "sla": {
                "around_the_clock": sla.around_the_clock,
                "clocks": [clock(state, l, "first_response", &sla.clocks.first_response), clock(state, l, "resolution", &sla.clocks.resolution)],
            },
            "entries": entries,
            "watchers": watchers,
            "times": times,
            "time_total": total,
            "time_billed": billed,
            "assignees": assignees,
            "statuses": next_statuses,
            "choices": choices(l),
            "failed": form_name,
            "form": values,
            "errors": errors_map(l, errors, &TICKET_FIELDS),
            "done": done.filter(|d| DONE.contains(&d.as_str())),
            "max_mb": settings(state)?.max_attachment_bytes / (1024 * 1024),
        }))
    }
    .await;
    match result {
        Ok(data) => render_page(state, lang, Some(&staff.0), "tickets/staff_ticket.html.j2", status, data),
        Err(e) => error_page(e),
    }
}

async fn ticket(State(state): State<AppState>, lang: Lang, staff: Staff, Path(id): Path<String>, Query(q): Query<Done>) -> Response {
    ticket_page(&state, lang, &staff, &id, None, q.done, StatusCode::OK).await
}

/// After a form of the ticket page: back to the ticket (or `to`), or the page again with the
/// form's errors.
async fn after(
    state: &AppState,
    lang: Lang,
    staff: &Staff,
    id: &str,
    form_name: &str,
    form: &Fields,
    outcome: Result<String, WebError>,
) -> Response {
    match outcome {
        Ok(to) => Redirect::to(&to).into_response(),
        Err(WebError::Invalid(errors)) => {
            let errors = renamed(errors);
            ticket_page(state, lang, staff, id, Some((form_name, form, &errors)), None, StatusCode::BAD_REQUEST).await
        }
        Err(WebError::Conflict(m)) => {
            let errors = [FieldError::new(form_name, m)];
            ticket_page(state, lang, staff, id, Some((form_name, form, &errors)), None, StatusCode::CONFLICT).await
        }
        Err(e) => error_page(e),
    }
}

/// The ticket id of a path, or 404.
fn ticket_id(id: &str) -> Result<i64, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

async fn reply(State(state): State<AppState>, lang: Lang, staff: Staff, Path(id): Path<String>, multipart: Multipart) -> Response {
    let mut form: Fields = Vec::new();
    let outcome = async {
        helpdesk_staff(&state, &staff)?;
        let tid = ticket_id(&id)?;
        let (f, attachments) = read_multipart(multipart, settings(&state)?.max_message_bytes).await?;
        form = f;
        check_csrf(&staff.0, field(&form, "csrf"))?;
        let kind = if field(&form, "kind") == "note" { EntryKind::Note } else { EntryKind::Reply };
        let status = Some(field(&form, "status")).filter(|s| !s.is_empty());
        state.app.ticket_reply(&staff.actor(), &staff.0.user, tid, kind, field(&form, "body"), status, &attachments).await?;
        Ok(format!("/staff/tickets/{tid}?done={}", if kind == EntryKind::Note { "note" } else { "reply" }))
    }
    .await;
    after(&state, lang, &staff, &id, "reply", &form, outcome).await
}

async fn set_status(State(state): State<AppState>, lang: Lang, staff: Staff, Path(id): Path<String>, Form(form): Form<Fields>) -> Response {
    let outcome = async {
        check_csrf(&staff.0, field(&form, "csrf"))?;
        helpdesk_staff(&state, &staff)?;
        let tid = ticket_id(&id)?;
        state.app.ticket_status(&staff.actor(), &staff.0.user, tid, field(&form, "status")).await?;
        Ok(format!("/staff/tickets/{tid}?done=status"))
    }
    .await;
    after(&state, lang, &staff, &id, "status", &form, outcome).await
}

async fn triage(State(state): State<AppState>, lang: Lang, staff: Staff, Path(id): Path<String>, Form(form): Form<Fields>) -> Response {
    let outcome = async {
        check_csrf(&staff.0, field(&form, "csrf"))?;
        helpdesk_staff(&state, &staff)?;
        let tid = ticket_id(&id)?;
        let t = {
            let mut conn = state.store.acquire().await?;
            helpdesk::ticket(&mut conn, tid).await?.ok_or(WebError::NotFound)?
        };
        let card = card_of(&state, "customer", field(&form, "customer")).await?;
        let customer_id = card.map(|c| c.id);
        let chosen = optional_id(&form, "project_id")?;
        let card_changed = customer_id.is_some() && customer_id != t.customer_id;
        // A new card: the old card's project goes with the old card (None clears it then).
        let project_id =
            if card_changed && (matches!(chosen, None | Some(0)) || chosen == t.project_id) { None } else { Some(chosen.unwrap_or(0)) };
        let number = |name: &str| optional_id(&form, name);
        let input = TriageInput {
            customer_id,
            project_id,
            category: Some(field(&form, "category").to_string()).filter(|c| !c.is_empty()),
            priority: Some(field(&form, "priority").to_string()).filter(|p| !p.is_empty()),
            assignee_id: Some(number("assignee_id")?.unwrap_or(0)),
            team: Some(field(&form, "team").to_string()),
            quote_id: number("quote_id")?,
        };
        state.app.ticket_triage(&staff.actor(), &staff.0.user, tid, &input).await?;
        Ok(format!("/staff/tickets/{tid}?done=triage"))
    }
    .await;
    after(&state, lang, &staff, &id, "triage", &form, outcome).await
}

async fn log_time(State(state): State<AppState>, lang: Lang, staff: Staff, Path(id): Path<String>, Form(form): Form<Fields>) -> Response {
    let outcome = async {
        check_csrf(&staff.0, field(&form, "csrf"))?;
        helpdesk_staff(&state, &staff)?;
        let tid = ticket_id(&id)?;
        let mut errors = Vec::new();
        let minutes = match field(&form, "minutes").trim().parse::<u32>() {
            Ok(m) => m,
            Err(_) => {
                errors.push(FieldError::new("minutes", "between 1 and 1440 minutes"));
                0
            }
        };
        let worked_on = loket_domain::input::date("worked_on", field(&form, "worked_on")).map_err(|e| errors.push(e)).ok();
        if !errors.is_empty() {
            return Err(WebError::Invalid(errors));
        }
        let basis = Some(field(&form, "basis")).filter(|b| !b.is_empty());
        let on = worked_on.unwrap_or_else(|| state.app.today());
        state.app.log_time(&staff.actor(), &staff.0.user, tid, minutes, on, basis, field(&form, "note")).await?;
        Ok(format!("/staff/tickets/{tid}?done=time#time"))
    }
    .await;
    after(&state, lang, &staff, &id, "time", &form, outcome).await
}

async fn merge(State(state): State<AppState>, lang: Lang, staff: Staff, Path(id): Path<String>, Form(form): Form<Fields>) -> Response {
    let outcome = async {
        check_csrf(&staff.0, field(&form, "csrf"))?;
        helpdesk_staff(&state, &staff)?;
        let tid = ticket_id(&id)?;
        let text = field(&form, "into").trim();
        let into = match TicketRef::parse(text) {
            Some(r) => {
                let mut conn = state.store.acquire().await?;
                helpdesk::ticket_by_ref(&mut conn, r).await?.map(|t| t.id)
            }
            None => text.parse::<i64>().ok(),
        };
        let into = into.ok_or_else(|| {
            FieldError::new("into", format!("no ticket `{}`: give its reference, e.g. T-2026-00042", loket_domain::input::sample(text)))
        })?;
        state.app.ticket_merge(&staff.actor(), &staff.0.user, tid, into).await?;
        Ok(format!("/staff/tickets/{into}?done=merge"))
    }
    .await;
    after(&state, lang, &staff, &id, "merge", &form, outcome).await
}

async fn watchers(State(state): State<AppState>, lang: Lang, staff: Staff, Path(id): Path<String>, Form(form): Form<Fields>) -> Response {
    let outcome = async {
        check_csrf(&staff.0, field(&form, "csrf"))?;
        helpdesk_staff(&state, &staff)?;
        let tid = ticket_id(&id)?;
        let add = field(&form, "action") != "remove";
        state.app.ticket_watcher(&staff.actor(), tid, field(&form, "email"), add).await?;
        Ok(format!("/staff/tickets/{tid}?done={}#watchers", if add { "watch" } else { "unwatch" }))
    }
    .await;
    after(&state, lang, &staff, &id, "watchers", &form, outcome).await
}

async fn attachment(State(state): State<AppState>, staff: Staff, Path((id, aid)): Path<(String, String)>) -> Response {
    let result = async {
        helpdesk_staff(&state, &staff)?;
        let tid = ticket_id(&id)?;
        let aid: i64 = aid.parse().map_err(|_| WebError::NotFound)?;
        serve_attachment(&state, tid, aid, true).await
    }
    .await;
    result.unwrap_or_else(error_page)
}
