//! The helpdesk's pages (seeds 003 and 004). For a card's users with the helpdesk permission
//! (`customer.rs`): their tickets, a new one with attachments, a ticket's thread without the
//! internal notes and the reply form, an attachment, a project's progress — or, for a card whose
//! plan lacks the helpdesk, how to reach the provider instead. For staff (`staff.rs`): the queue
//! with filters and saved views, a phone ticket, a ticket with its notes, triage, time, merge,
//! watchers and SLA clocks; the standby planner with its preview and call-outs (`standby.rs`).
//! Every change is one call of `loket_app`; times are the provider's local times.

mod customer;
mod staff;
mod standby;

use axum::Router;
use axum::extract::Multipart;
use jiff::Timestamp;
use loket_app::helpdesk::Attach;
use loket_domain::helpdesk::ticket::{Category, Priority, Status};
use loket_domain::{FieldError, Language};
use loket_store::helpdesk::{Entry, Ticket};
use serde_json::{Value, json};

use crate::http::extract::Fields;
use crate::http::field_errors::field_message;
use crate::{AppState, WebError};

/// The largest request a ticket form takes (the service checks each file and the whole).
pub(crate) const MAX_UPLOAD: usize = 64 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    customer::routes().merge(staff::routes()).merge(standby::routes())
}

/// The helpdesk's settings, or 404: without `[helpdesk]` its pages do not exist.
fn settings(state: &AppState) -> Result<&loket_app::helpdesk::HelpdeskSettings, WebError> {
    state.app.helpdesk.as_deref().ok_or(WebError::NotFound)
}

/// An instant as the provider's clock shows it, in the reader's words.
pub(crate) fn when(state: &AppState, lang: Language, t: Timestamp) -> String {
    loket_i18n::format_datetime(lang, &t.to_zoned(state.provider.tz()))
}

/// The badge of a status, in the design system's colours.
fn tone(s: Status) -> &'static str {
    match s {
        Status::New | Status::Open => "open",
        Status::WaitingOnCustomer => "waiting",
        Status::Escalated => "overdue",
        Status::Resolved => "paid",
        Status::Closed => "ended",
    }
}

/// Where the next page of a list starts: the last ticket's activity and id.
pub(crate) fn cursor(t: &Ticket) -> String {
    format!("{}_{}", t.last_activity_at.as_microsecond(), t.id)
}

pub(crate) fn parse_cursor(s: &str) -> Option<(Timestamp, i64)> {
    let (at, id) = s.split_once('_')?;
    Some((Timestamp::from_microsecond(at.parse().ok()?).ok()?, id.parse().ok()?))
}

/// A ticket as a list row shows it. `staff`: the staff words for statuses.
fn row(state: &AppState, lang: Language, t: &Ticket, staff: bool) -> Value {
    json!({
        "id": t.id,
        "reference": t.reference,
        "subject": t.subject,
        "status": t.status.name(),
        "status_text": status_text(lang, t.status, staff),
        "tone": tone(t.status),
        "priority": t.priority.name(),
        "category": t.category.name(),
        "customer_id": t.customer_id,
        "customer_name": t.customer_name,
        "project_id": t.project_id,
        "assignee": t.assignee_email,
        "assignee_id": t.assignee_id,
        "team": t.team,
        "requester": t.requester_name.clone().unwrap_or_else(|| t.requester_email.clone()),
        "requester_email": t.requester_email,
        "channel": t.channel.name(),
        "merged_into": t.merged_into,
        "quote_id": t.quote_id,
        "last_activity": when(state, lang, t.last_activity_at),
        "created": when(state, lang, t.created_at),
    })
}

/// A status in the reader's words: a customer reads "waiting for your answer", staff "waiting
/// on the customer".
fn status_text(lang: Language, s: Status, staff: bool) -> String {
    if staff {
        loket_i18n::t(lang, &format!("tickets-staff-status-{}", s.name()))
    } else {
        loket_i18n::t(lang, &format!("ticket-status-{}", s.name()))
    }
}

/// An entry of the thread.
fn entry(state: &AppState, lang: Language, e: &Entry) -> Value {
    json!({
        "id": e.id,
        "note": e.kind == loket_domain::helpdesk::ticket::EntryKind::Note,
        "from_staff": e.from_staff,
        "author": e.author_name.clone().unwrap_or_else(|| e.author_email.clone()),
        "author_email": e.author_email,
        "channel": e.channel.name(),
        "when": when(state, lang, e.created_at),
        "body": e.body,
        "full_body": e.full_body,
        "attachments": e.attachments.iter().map(|a| json!({
            "id": a.id, "name": a.file_name, "size": size(a.size),
        })).collect::<Vec<_>>(),
    })
}

/// A file's size for people: `812 B`, `14 kB`, `2.3 MB`.
fn size(bytes: i64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{} kB", (b + 512) / 1024),
        b => format!("{}.{} MB", b / (1024 * 1024), (b % (1024 * 1024)) * 10 / (1024 * 1024)),
    }
}

/// The choices of a form's selects, each with its words.
fn choices(lang: Language) -> Value {
    let named = |prefix: &str, names: Vec<&'static str>| -> Vec<Value> {
        names.into_iter().map(|n| json!({ "value": n, "text": loket_i18n::t(lang, &format!("{prefix}-{n}")) })).collect()
    };
    json!({
        "categories": named("tickets-category", Category::ALL.iter().map(|c| c.name()).collect()),
        "priorities": named("tickets-priority", Priority::ALL.iter().map(|p| p.name()).collect()),
        "customer_priorities": named("tickets-priority", [Priority::Low, Priority::Normal, Priority::High].iter().map(|p| p.name()).collect()),
        "statuses": Status::ALL.iter().map(|s| json!({ "value": s.name(), "text": status_text(lang, *s, true) })).collect::<Vec<_>>(),
    })
}

/// Field errors as a map from each of `fields` to its message (or null), and the messages of any
/// other field under `other`: templates look a field up without guessing.
fn errors_map(lang: Language, errors: &[FieldError], fields: &[&str]) -> Value {
    let mut map = serde_json::Map::new();
    for f in fields {
        let m: Vec<String> = errors.iter().filter(|e| e.field == *f).map(|e| field_message(lang, e)).collect();
        map.insert((*f).to_string(), if m.is_empty() { Value::Null } else { json!(m.join("; ")) });
    }
    let other: Vec<String> =
        errors.iter().filter(|e| !fields.contains(&e.field.as_str())).map(|e| format!("{}: {}", e.field, field_message(lang, e))).collect();
    map.insert("other".into(), json!(other));
    Value::Object(map)
}

/// The values typed into a form, by name, for showing it again.
fn typed(form: &Fields, names: &[&str]) -> Value {
    let mut map = serde_json::Map::new();
    for n in names {
        map.insert((*n).to_string(), json!(crate::http::extract::field(form, n)));
    }
    Value::Object(map)
}

/// A ticket form sent as `multipart/form-data`: its text fields and the files under
/// `attachments` (an empty file input sends a nameless empty part, which is skipped). The whole
/// is bounded by `max_total` bytes of files.
async fn read_multipart(mut multipart: Multipart, max_total: usize) -> Result<(Fields, Vec<Attach>), WebError> {
    let (mut texts, mut files): (Fields, Vec<Attach>) = (Vec::new(), Vec::new());
    let mut total = 0usize;
    let bad = |e: axum::extract::multipart::MultipartError| WebError::BadRequest {
        field: Some("attachments".into()),
        message: format!("the form could not be read: {}", e.body_text()),
    };
    while let Some(part) = multipart.next_field().await.map_err(bad)? {
        let name = part.name().unwrap_or("").to_string();
        if name == "attachments" {
            let file_name = part.file_name().unwrap_or("").to_string();
            let content_type = part.content_type().unwrap_or("application/octet-stream").to_string();
            let bytes = part.bytes().await.map_err(bad)?;
            if file_name.is_empty() && bytes.is_empty() {
                continue;
            }
            total += bytes.len();
            if total > max_total || files.len() >= 20 {
                return Err(FieldError::new("attachments", format!("the file is larger than {} MB", max_total >> 20)).into());
            }
            files.push(Attach {
                file_name: crate::http::download::clean_file_name(&file_name, "attachment"),
                content_type,
                bytes: bytes.to_vec(),
            });
        } else if texts.len() < 32 {
            let text = part.text().await.map_err(bad)?;
            texts.push((name, text.chars().take(40_000).collect()));
        } else {
            return Err(WebError::BadRequest { field: None, message: "too many fields".into() });
        }
    }
    Ok((texts, files))
}

/// How a card without the helpdesk reaches the provider: the configured words, else the
/// provider's e-mail and phone.
fn contact(state: &AppState) -> Value {
    let configured = state.app.helpdesk.as_ref().map(|h| h.contact.trim().to_string()).filter(|c| !c.is_empty());
    json!({
        "text": configured,
        "email": state.provider.email,
        "phone": state.provider.phone,
    })
}
