//! The helpdesk's tables: tickets with their numbers, thread, history, watchers and attachments
//! (`mod.rs`); the mail that came in and went out, acknowledgements and bounces (`mail.rs`); time
//! worked and standby (`work.rs`); staff's saved views of the queue (`views.rs`). Every instant
//! is given by the caller (the service's clock).

pub mod batch;
pub mod mail;
pub mod views;
pub mod work;

use jiff::Timestamp;
use loket_domain::helpdesk::ticket::{Category, Channel, EntryKind, Priority, Status, TicketRef};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::billing::{V, bind_all};
use crate::time::{from_micros, to_micros};
use crate::{Conn, StoreError};

/// A ticket as lists and pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct Ticket {
    pub id: i64,
    pub reference: String,
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    pub project_id: Option<i64>,
    pub subject: String,
    pub status: Status,
    pub priority: Priority,
    pub category: Category,
    pub channel: Channel,
    pub requester_email: String,
    pub requester_name: Option<String>,
    pub requester_user_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub assignee_email: Option<String>,
    pub team: Option<String>,
    pub standby_id: Option<i64>,
    pub merged_into: Option<i64>,
    pub quote_id: Option<i64>,
    pub last_activity_at: Timestamp,
    pub created_at: Timestamp,
}

/// One entry of the thread.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: i64,
    pub kind: EntryKind,
    pub channel: Channel,
    pub from_staff: bool,
    pub author_user_id: Option<i64>,
    pub author_email: String,
    pub author_name: Option<String>,
    pub body: String,
    pub full_body: Option<String>,
    pub message_id: Option<String>,
    pub created_at: Timestamp,
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    pub id: i64,
    pub entry_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    #[serde(skip)]
    pub stored: String,
}

/// One event of a ticket's history.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub kind: String,
    pub value: Option<String>,
    pub actor_user_id: Option<i64>,
    pub at: Timestamp,
}

/// A new ticket.
#[derive(Debug, Clone)]
pub struct NewTicket<'a> {
    pub customer_id: Option<i64>,
    pub project_id: Option<i64>,
    pub subject: &'a str,
    pub status: Status,
    pub priority: Priority,
    pub category: Category,
    pub channel: Channel,
    pub requester_email: &'a str,
    pub requester_name: Option<&'a str>,
    pub requester_user_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub team: Option<&'a str>,
    pub standby_id: Option<i64>,
}

/// Where an entry's whole message is: `NAME:OFFSET:LENGTH` in the file store (the messages of
/// one ingested batch share one file).
pub fn raw_location(name: &str, offset: u64, len: usize) -> String {
    format!("{name}:{offset}:{len}")
}

/// The whole message an entry came from, read back from the file store.
pub async fn raw_message(files: &crate::files::FileStore, location: &str) -> Result<Option<Vec<u8>>, StoreError> {
    let mut parts = location.split(':');
    let (Some(name), Some(offset), Some(len), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(StoreError::Corrupt(format!("raw message location `{location}`")));
    };
    let (Ok(offset), Ok(len)) = (offset.parse::<u64>(), len.parse::<usize>()) else {
        return Err(StoreError::Corrupt(format!("raw message location `{location}`")));
    };
    files.get_range(name, offset, len).await
}

/// A new entry of a thread.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    pub ticket_id: i64,
    pub kind: EntryKind,
    pub channel: Channel,
    pub from_staff: bool,
    pub author_user_id: Option<i64>,
    pub author_email: &'a str,
    pub author_name: Option<&'a str>,
    pub body: &'a str,
    pub full_body: Option<&'a str>,
    pub raw_file: Option<&'a str>,
    pub message_id: Option<&'a str>,
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("ticket {what} `{value}`"))
}

fn parsed<T>(row: &AnyRow, col: &str, parse: fn(&str) -> Option<T>) -> Result<T, StoreError> {
    let s: String = row.try_get(col)?;
    parse(&s).ok_or_else(|| corrupt(col, &s))
}

const SELECT_TICKET: &str = "SELECT t.id, t.year, t.number, t.customer_id, c.legal_name, t.project_id, t.subject, t.status, t.priority, \
     t.category, t.channel, t.requester_email, t.requester_name, t.requester_user_id, t.assignee_id, u.email AS assignee_email, t.team, \
     t.standby_id, t.merged_into, t.quote_id, t.last_activity_at, t.created_at FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id \
     LEFT JOIN users u ON u.id = t.assignee_id";

fn ticket_from_row(row: &AnyRow) -> Result<Ticket, StoreError> {
    let year: i64 = row.try_get("year")?;
    let number: i64 = row.try_get("number")?;
    Ok(Ticket {
        id: row.try_get("id")?,
        reference: TicketRef { year: year as i16, number }.to_string(),
        customer_id: row.try_get("customer_id")?,
        customer_name: row.try_get("legal_name")?,
        project_id: row.try_get("project_id")?,
        subject: row.try_get("subject")?,
        status: parsed(row, "status", Status::parse)?,
        priority: parsed(row, "priority", Priority::parse)?,
        category: parsed(row, "category", Category::parse)?,
        channel: parsed(row, "channel", Channel::parse)?,
        requester_email: row.try_get("requester_email")?,
        requester_name: row.try_get("requester_name")?,
        requester_user_id: row.try_get("requester_user_id")?,
        assignee_id: row.try_get("assignee_id")?,
        assignee_email: row.try_get("assignee_email")?,
        team: row.try_get("team")?,
        standby_id: row.try_get("standby_id")?,
        merged_into: row.try_get("merged_into")?,
        quote_id: row.try_get("quote_id")?,
        last_activity_at: from_micros(row.try_get("last_activity_at")?),
        created_at: from_micros(row.try_get("created_at")?),
    })
}

/// Takes the next `n` numbers of `year`'s series and returns the first (gap-free; the row lock
/// serialises writers on PostgreSQL).
pub async fn reserve_numbers(conn: &mut Conn, year: i16, n: i64) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO ticket_numbers (year, last) VALUES ($1, $2) ON CONFLICT (year) DO UPDATE SET last = ticket_numbers.last + $2 RETURNING last",
    )
    .bind(i64::from(year))
    .bind(n)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get::<i64, _>(0)? - n + 1)
}

/// Inserts a ticket numbered in the year of `at` (UTC year is close enough for a reference;
/// the caller passes the provider's local year) and records its `created` event.
pub async fn insert_ticket(conn: &mut Conn, t: &NewTicket<'_>, year: i16, at: Timestamp) -> Result<(i64, TicketRef), StoreError> {
    let number = reserve_numbers(conn, year, 1).await?;
    let at = to_micros(at);
    let row = sqlx::query(
        "INSERT INTO tickets (year, number, customer_id, project_id, subject, status, priority, category, channel, requester_email, \
         requester_name, requester_user_id, assignee_id, team, standby_id, active, last_activity_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $17) RETURNING id",
    )
    .bind(i64::from(year))
    .bind(number)
    .bind(t.customer_id)
    .bind(t.project_id)
    .bind(t.subject)
    .bind(t.status.name())
    .bind(t.priority.name())
    .bind(t.category.name())
    .bind(t.channel.name())
    .bind(t.requester_email)
    .bind(t.requester_name)
    .bind(t.requester_user_id)
    .bind(t.assignee_id)
    .bind(t.team)
    .bind(t.standby_id)
    .bind(i64::from(t.status.is_active()))
    .bind(at)
    .fetch_one(&mut *conn)
    .await?;
    let id: i64 = row.try_get(0)?;
    insert_event(conn, id, "created", Some(t.priority.name()), t.requester_user_id, from_micros(at)).await?;
    Ok((id, TicketRef { year, number }))
}

pub async fn ticket(conn: &mut Conn, id: i64) -> Result<Option<Ticket>, StoreError> {
    let sql = format!("{SELECT_TICKET} WHERE t.id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(ticket_from_row).transpose()
}

pub async fn ticket_by_ref(conn: &mut Conn, r: TicketRef) -> Result<Option<Ticket>, StoreError> {
    let sql = format!("{SELECT_TICKET} WHERE t.year = $1 AND t.number = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(i64::from(r.year)).bind(r.number).fetch_optional(&mut *conn).await?;
    row.as_ref().map(ticket_from_row).transpose()
}

/// What to list: newest activity first; every filter optional.
#[derive(Debug, Clone, Default)]
pub struct TicketFilter {
    pub customer_id: Option<i64>,
    /// Only tickets that need work (not resolved or closed).
    pub active_only: bool,
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    pub category: Option<Category>,
    pub assignee_id: Option<i64>,
    /// Tickets nobody is assigned to.
    pub unassigned: bool,
    pub team: Option<String>,
    pub project_id: Option<i64>,
    /// Only tickets without a card (unknown senders).
    pub without_card: bool,
    /// Continue after this (last activity, id) of the previous page's last ticket.
    pub before: Option<(Timestamp, i64)>,
    pub limit: i64,
}

/// Tickets as `filter` says, by last activity, newest first. The conditions are only those
/// given; the index chosen leads with the most selective of card, assignee, or the active queue.
pub async fn list(conn: &mut Conn, f: &TicketFilter) -> Result<Vec<Ticket>, StoreError> {
    let mut conds: Vec<String> = Vec::new();
    let mut binds: Vec<V> = Vec::new();
    let next = |v: V, binds: &mut Vec<V>| {
        binds.push(v);
        format!("${}", binds.len())
    };
    if let Some(c) = f.customer_id {
        conds.push(format!("t.customer_id = {}", next(V::I(c), &mut binds)));
    }
    if f.without_card {
        conds.push("t.customer_id IS NULL".into());
    }
    // A status that needs work is read through the active queue's partial index.
    if f.active_only || f.status.is_some_and(Status::is_active) {
        conds.push("t.active = 1".into());
    }
    if let Some(s) = f.status {
        conds.push(format!("t.status = {}", next(V::from(s.name()), &mut binds)));
    }
    if let Some(p) = f.priority {
        conds.push(format!("t.priority = {}", next(V::from(p.name()), &mut binds)));
    }
    if let Some(c) = f.category {
        conds.push(format!("t.category = {}", next(V::from(c.name()), &mut binds)));
    }
    if let Some(a) = f.assignee_id {
        conds.push(format!("t.assignee_id = {}", next(V::I(a), &mut binds)));
    }
    if f.unassigned {
        conds.push("t.assignee_id IS NULL".into());
    }
    if let Some(team) = &f.team {
        conds.push(format!("t.team = {}", next(V::T(team.clone()), &mut binds)));
    }
    if let Some(p) = f.project_id {
        conds.push(format!("t.project_id = {}", next(V::I(p), &mut binds)));
    }
    if let Some((at, id)) = f.before {
        let at = to_micros(at);
        let (a1, a2, i) = (next(V::I(at), &mut binds), next(V::I(at), &mut binds), next(V::I(id), &mut binds));
        conds.push(format!("(t.last_activity_at < {a1} OR (t.last_activity_at = {a2} AND t.id < {i}))"));
    }
    let limit = next(V::I(f.limit.clamp(1, 500)), &mut binds);
    let sql = format!(
        "{SELECT_TICKET}{} ORDER BY t.last_activity_at DESC, t.id DESC LIMIT CAST({limit} AS BIGINT)",
        if conds.is_empty() { String::new() } else { format!(" WHERE {}", conds.join(" AND ")) }
    );
    let rows = bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &binds).fetch_all(&mut *conn).await?;
    rows.iter().map(ticket_from_row).collect()
}

/// Counts of a card's (or project's) tickets per status, for its overview.
pub async fn counts(conn: &mut Conn, customer_id: i64, project_id: Option<i64>) -> Result<Vec<(Status, i64)>, StoreError> {
    let rows = match project_id {
        Some(p) => {
            sqlx::query("SELECT status, COUNT(*) AS n FROM tickets WHERE project_id = $1 AND customer_id = $2 GROUP BY status")
                .bind(p)
                .bind(customer_id)
                .fetch_all(&mut *conn)
                .await?
        }
        None => {
            sqlx::query("SELECT status, COUNT(*) AS n FROM tickets WHERE customer_id = $1 GROUP BY status")
                .bind(customer_id)
                .fetch_all(&mut *conn)
                .await?
        }
    };
    rows.iter().map(|r| Ok((parsed(r, "status", Status::parse)?, r.try_get("n")?))).collect()
}

pub async fn insert_entry(conn: &mut Conn, e: &NewEntry<'_>, at: Timestamp) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO ticket_entries (ticket_id, kind, channel, from_staff, author_user_id, author_email, author_name, body, full_body, \
         raw_file, message_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(e.ticket_id)
    .bind(e.kind.name())
    .bind(e.channel.name())
    .bind(i64::from(e.from_staff))
    .bind(e.author_user_id)
    .bind(e.author_email)
    .bind(e.author_name)
    .bind(e.body)
    .bind(e.full_body)
    .bind(e.raw_file)
    .bind(e.message_id)
    .bind(to_micros(at))
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

/// The thread of a ticket, oldest first, with attachments; internal notes only for staff.
pub async fn entries(conn: &mut Conn, ticket_id: i64, with_notes: bool) -> Result<Vec<Entry>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, kind, channel, from_staff, author_user_id, author_email, author_name, body, full_body, message_id, created_at \
         FROM ticket_entries WHERE ticket_id = $1 ORDER BY id",
    )
    .bind(ticket_id)
    .fetch_all(&mut *conn)
    .await?;
    let files = attachments(conn, ticket_id).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let kind = parsed(r, "kind", EntryKind::parse)?;
        if kind == EntryKind::Note && !with_notes {
            continue;
        }
        let id: i64 = r.try_get("id")?;
        out.push(Entry {
            id,
            kind,
            channel: parsed(r, "channel", Channel::parse)?,
            from_staff: r.try_get::<i64, _>("from_staff")? == 1,
            author_user_id: r.try_get("author_user_id")?,
            author_email: r.try_get("author_email")?,
            author_name: r.try_get("author_name")?,
            body: r.try_get("body")?,
            full_body: r.try_get("full_body")?,
            message_id: r.try_get("message_id")?,
            created_at: from_micros(r.try_get("created_at")?),
            attachments: files.iter().filter(|a| a.entry_id == id).cloned().collect(),
        });
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_attachment(
    conn: &mut Conn,
    ticket_id: i64,
    entry_id: i64,
    file_name: &str,
    content_type: &str,
    size: i64,
    stored: &str,
    at: Timestamp,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO ticket_attachments (ticket_id, entry_id, file_name, content_type, size, stored, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(ticket_id)
    .bind(entry_id)
    .bind(file_name)
    .bind(content_type)
    .bind(size)
    .bind(stored)
    .bind(to_micros(at))
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

pub async fn attachments(conn: &mut Conn, ticket_id: i64) -> Result<Vec<Attachment>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, entry_id, file_name, content_type, size, stored FROM ticket_attachments WHERE ticket_id = $1 ORDER BY entry_id, id",
    )
    .bind(ticket_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Attachment {
                id: r.try_get("id")?,
                entry_id: r.try_get("entry_id")?,
                file_name: r.try_get("file_name")?,
                content_type: r.try_get("content_type")?,
                size: r.try_get("size")?,
                stored: r.try_get("stored")?,
            })
        })
        .collect()
}

pub async fn insert_event(
    conn: &mut Conn,
    ticket_id: i64,
    kind: &str,
    value: Option<&str>,
    actor_user_id: Option<i64>,
    at: Timestamp,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO ticket_events (ticket_id, kind, value, actor_user_id, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(ticket_id)
        .bind(kind)
        .bind(value)
        .bind(actor_user_id)
        .bind(to_micros(at))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn events(conn: &mut Conn, ticket_id: i64) -> Result<Vec<Event>, StoreError> {
    let rows = sqlx::query("SELECT kind, value, actor_user_id, at FROM ticket_events WHERE ticket_id = $1 ORDER BY id")
        .bind(ticket_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Event {
                kind: r.try_get("kind")?,
                value: r.try_get("value")?,
                actor_user_id: r.try_get("actor_user_id")?,
                at: from_micros(r.try_get("at")?),
            })
        })
        .collect()
}

/// The ticket's status (and whether it is active) and its last activity.
pub async fn set_status(conn: &mut Conn, id: i64, status: Status, at: Timestamp) -> Result<(), StoreError> {
    sqlx::query("UPDATE tickets SET status = $1, active = $2, last_activity_at = $3, updated_at = $3 WHERE id = $4")
        .bind(status.name())
        .bind(i64::from(status.is_active()))
        .bind(to_micros(at))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Marks new activity (an entry) on the ticket.
pub async fn touch(conn: &mut Conn, id: i64, at: Timestamp) -> Result<(), StoreError> {
    sqlx::query("UPDATE tickets SET last_activity_at = $1, updated_at = $1 WHERE id = $2")
        .bind(to_micros(at))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Changes the fields staff triage: priority, category, assignee, team, project, card.
#[derive(Debug, Clone)]
pub struct Triage<'a> {
    pub priority: Priority,
    pub category: Category,
    pub assignee_id: Option<i64>,
    pub team: Option<&'a str>,
    pub project_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub quote_id: Option<i64>,
}

pub async fn set_triage(conn: &mut Conn, id: i64, t: &Triage<'_>, at: Timestamp) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE tickets SET priority = $1, category = $2, assignee_id = $3, team = $4, project_id = $5, customer_id = $6, quote_id = $7, \
         updated_at = $8 WHERE id = $9",
    )
    .bind(t.priority.name())
    .bind(t.category.name())
    .bind(t.assignee_id)
    .bind(t.team)
    .bind(t.project_id)
    .bind(t.customer_id)
    .bind(t.quote_id)
    .bind(to_micros(at))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// `from` merged into `into`: its entries, attachments and watchers move; it is closed.
pub async fn merge(conn: &mut Conn, from: i64, into: i64, at: Timestamp) -> Result<(), StoreError> {
    for sql in [
        "UPDATE ticket_entries SET ticket_id = $1 WHERE ticket_id = $2",
        "UPDATE ticket_attachments SET ticket_id = $1 WHERE ticket_id = $2",
    ] {
        sqlx::query(sql).bind(into).bind(from).execute(&mut *conn).await?;
    }
    sqlx::query("UPDATE ticket_mail SET ticket_id = $1 WHERE ticket_id = $2").bind(into).bind(from).execute(&mut *conn).await?;
    sqlx::query(
        "INSERT INTO ticket_watchers (ticket_id, email, user_id) SELECT $1, email, user_id FROM ticket_watchers WHERE ticket_id = $2 \
         ON CONFLICT (ticket_id, email) DO NOTHING",
    )
    .bind(into)
    .bind(from)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE tickets SET merged_into = $1, status = 'closed', active = 0, updated_at = $2 WHERE id = $3")
        .bind(into)
        .bind(to_micros(at))
        .bind(from)
        .execute(&mut *conn)
        .await?;
    touch(conn, into, at).await
}

pub async fn add_watcher(conn: &mut Conn, ticket_id: i64, email: &str, user_id: Option<i64>) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO ticket_watchers (ticket_id, email, user_id) VALUES ($1, $2, $3) ON CONFLICT (ticket_id, email) DO NOTHING")
        .bind(ticket_id)
        .bind(email)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn remove_watcher(conn: &mut Conn, ticket_id: i64, email: &str) -> Result<bool, StoreError> {
    let r = sqlx::query("DELETE FROM ticket_watchers WHERE ticket_id = $1 AND email = $2")
        .bind(ticket_id)
        .bind(email)
        .execute(&mut *conn)
        .await?;
    Ok(r.rows_affected() > 0)
}

pub async fn watchers(conn: &mut Conn, ticket_id: i64) -> Result<Vec<(String, Option<i64>)>, StoreError> {
    let rows = sqlx::query("SELECT email, user_id FROM ticket_watchers WHERE ticket_id = $1 ORDER BY email")
        .bind(ticket_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| Ok((r.try_get("email")?, r.try_get("user_id")?))).collect()
}

/// The active tickets whose SLA may need a look (escalation), a page at a time by id.
pub async fn active_ids(conn: &mut Conn, after_id: i64, limit: i64) -> Result<Vec<i64>, StoreError> {
    let rows = sqlx::query("SELECT id FROM tickets WHERE active = 1 AND id > $1 ORDER BY id LIMIT CAST($2 AS BIGINT)")
        .bind(after_id)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
}

/// A card's projects (the billing engine's), for hanging tickets under them.
pub async fn projects(conn: &mut Conn, customer_id: i64) -> Result<Vec<(i64, String, Option<String>)>, StoreError> {
    let rows = sqlx::query("SELECT id, description, delivered_on FROM projects WHERE customer_id = $1 ORDER BY id DESC")
        .bind(customer_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| Ok((r.try_get("id")?, r.try_get("description")?, r.try_get("delivered_on")?))).collect()
}

/// The provider's staff who are not disabled, by name: who a ticket may be assigned to (the
/// caller keeps those whose role may work on tickets).
pub async fn staff_users(conn: &mut Conn) -> Result<Vec<crate::accounts::User>, StoreError> {
    let sql =
        format!("SELECT {} FROM users WHERE staff_role IS NOT NULL AND disabled = 0 ORDER BY name, id", crate::accounts::USER_COLUMNS);
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *conn).await?;
    rows.iter().map(|r| crate::accounts::user_from_row(r)).collect()
}

/// Whether card `customer_id` has a running subscription on one of `plans` (by code).
pub async fn entitled(conn: &mut Conn, customer_id: i64, plans: &[String]) -> Result<bool, StoreError> {
    Ok(batch::entitled_cards(conn, &[customer_id], plans).await?.contains(&customer_id))
}

/// Who an address is: the login with that e-mail (id, language) and the cards it may use the
/// helpdesk of; or, without a login, the cards whose own e-mail it is.
#[derive(Debug, Clone, Default)]
pub struct Sender {
    pub user_id: Option<i64>,
    pub language: Option<String>,
    pub staff: bool,
    /// (card, may use the helpdesk)
    pub cards: Vec<(i64, bool)>,
}

pub async fn sender(conn: &mut Conn, email: &str) -> Result<Sender, StoreError> {
    Ok(batch::senders(conn, &[email.to_string()]).await?.remove(email).unwrap_or_default())
}

/// The users of a card who may use the helpdesk: (user id, e-mail, language).
pub async fn helpdesk_users(conn: &mut Conn, customer_id: i64) -> Result<Vec<(i64, String, String)>, StoreError> {
    let rows = sqlx::query(
        "SELECT u.id, u.email, u.language, m.permissions FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.customer_id = $1 AND u.disabled = 0 ORDER BY u.id",
    )
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for r in &rows {
        let perms: String = r.try_get("permissions")?;
        if perms.split(',').any(|p| p.trim() == "helpdesk.use") {
            out.push((r.try_get("id")?, r.try_get("email")?, r.try_get("language")?));
        }
    }
    Ok(out)
}

/// A ticket as the page benchmark writes it (many at once, no thread).
#[derive(Debug, Clone)]
pub struct BulkTicket {
    pub customer_id: Option<i64>,
    pub subject: String,
    pub status: Status,
    pub priority: Priority,
    pub category: Category,
    pub channel: Channel,
    pub requester_email: String,
    pub assignee_id: Option<i64>,
    pub last_activity_at: Timestamp,
}

/// Writes `tickets` numbered on from `year`'s last number in multi-row statements: for `loket
/// bench tickets`, which fills a database for the page benchmark.
pub async fn insert_bulk(conn: &mut Conn, year: i16, tickets: &[BulkTicket]) -> Result<(), StoreError> {
    let Some(n) = i64::try_from(tickets.len()).ok().filter(|n| *n > 0) else { return Ok(()) };
    let first = reserve_numbers(conn, year, n).await?;
    let cols = [
        "year",
        "number",
        "customer_id",
        "subject",
        "status",
        "priority",
        "category",
        "channel",
        "requester_email",
        "assignee_id",
        "active",
        "last_activity_at",
        "created_at",
        "updated_at",
    ];
    let rows: Vec<Vec<V>> = tickets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let at = to_micros(t.last_activity_at);
            vec![
                V::I(i64::from(year)),
                V::I(first + i as i64),
                V::OI(t.customer_id),
                V::T(t.subject.clone()),
                V::from(t.status.name()),
                V::from(t.priority.name()),
                V::from(t.category.name()),
                V::from(t.channel.name()),
                V::T(t.requester_email.clone()),
                V::OI(t.assignee_id),
                V::I(i64::from(t.status.is_active())),
                V::I(at),
                V::I(at),
                V::I(at),
            ]
        })
        .collect();
    crate::billing::insert_rows(conn, "tickets", &cols, &rows).await
}
