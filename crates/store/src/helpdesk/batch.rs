//! The mail ingest's batch statements: a batch of messages read and written with a handful of
//! multi-row statements instead of a dozen per message (each statement is a round trip; on
//! SQLite a hop to its worker thread). Each list is served by a primary key or unique index.

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use loket_domain::helpdesk::ticket::{Category, Channel, EntryKind, Priority, Status, TicketRef};
use sqlx::Row;

use super::{SELECT_TICKET, Sender, Ticket, ticket_from_row};
use crate::billing::{V, bind_all, chunk_rows, insert_rows, placeholders_for};
use crate::time::to_micros;
use crate::{Conn, StoreError};

fn in_list(from: usize, n: usize) -> String {
    (from..from + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// Claims each Message-ID with its direction; returns those claimed now (the others were seen
/// before, or by another node at the same time).
pub async fn claim_many(conn: &mut Conn, rows: &[(String, &'static str)], at: Timestamp) -> Result<HashSet<String>, StoreError> {
    let mut claimed = HashSet::new();
    let at = to_micros(at);
    for chunk in rows.chunks(chunk_rows(3)) {
        let sql = format!(
            "INSERT INTO ticket_mail (message_id, direction, created_at) VALUES {} ON CONFLICT (message_id) DO NOTHING RETURNING message_id",
            placeholders_for(conn, chunk.len(), 3)
        );
        let values: Vec<V> = chunk.iter().flat_map(|(id, d)| [V::T(id.clone()), V::from(*d), V::I(at)]).collect();
        for r in bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &values).fetch_all(&mut *conn).await? {
            claimed.insert(r.try_get::<String, _>(0)?);
        }
    }
    Ok(claimed)
}

/// Sets the ticket of claimed messages: (message id, ticket id).
pub async fn set_tickets(conn: &mut Conn, rows: &[(String, i64)]) -> Result<(), StoreError> {
    for chunk in rows.chunks(chunk_rows(2)) {
        let sql = format!(
            "UPDATE ticket_mail SET ticket_id = v.column2 FROM (VALUES {}) AS v WHERE ticket_mail.message_id = v.column1",
            placeholders_for(conn, chunk.len(), 2)
        );
        let values: Vec<V> = chunk.iter().flat_map(|(m, t)| [V::T(m.clone()), V::I(*t)]).collect();
        bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &values).execute(&mut *conn).await?;
    }
    Ok(())
}

/// The tickets of known Message-IDs (threading).
pub async fn mail_tickets(conn: &mut Conn, ids: &[String]) -> Result<HashMap<String, i64>, StoreError> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(1000) {
        let sql = format!(
            "SELECT message_id, ticket_id FROM ticket_mail WHERE message_id IN ({}) AND ticket_id IS NOT NULL",
            in_list(1, chunk.len())
        );
        let values: Vec<V> = chunk.iter().map(|s| V::T(s.clone())).collect();
        for r in bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &values).fetch_all(&mut *conn).await? {
            out.insert(r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?);
        }
    }
    Ok(out)
}

pub async fn tickets_by_ids(conn: &mut Conn, ids: &[i64]) -> Result<Vec<Ticket>, StoreError> {
    let mut out = Vec::new();
    for chunk in ids.chunks(1000) {
        let sql = format!("{SELECT_TICKET} WHERE t.id IN ({})", in_list(1, chunk.len()));
        let values: Vec<V> = chunk.iter().map(|i| V::I(*i)).collect();
        for r in bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &values).fetch_all(&mut *conn).await? {
            out.push(ticket_from_row(&r)?);
        }
    }
    Ok(out)
}

pub async fn tickets_by_refs(conn: &mut Conn, refs: &[TicketRef]) -> Result<Vec<Ticket>, StoreError> {
    let mut out = Vec::new();
    for chunk in refs.chunks(500) {
        let conds: Vec<String> = (0..chunk.len()).map(|i| format!("(t.year = ${} AND t.number = ${})", 2 * i + 1, 2 * i + 2)).collect();
        let sql = format!("{SELECT_TICKET} WHERE {}", conds.join(" OR "));
        let values: Vec<V> = chunk.iter().flat_map(|r| [V::I(i64::from(r.year)), V::I(r.number)]).collect();
        for r in bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &values).fetch_all(&mut *conn).await? {
            out.push(ticket_from_row(&r)?);
        }
    }
    Ok(out)
}

/// The watchers of tickets: (ticket, e-mail, user).
pub async fn watchers_of(conn: &mut Conn, tickets: &[i64]) -> Result<Vec<(i64, String, Option<i64>)>, StoreError> {
    let mut out = Vec::new();
    for chunk in tickets.chunks(1000) {
        let sql = format!("SELECT ticket_id, email, user_id FROM ticket_watchers WHERE ticket_id IN ({})", in_list(1, chunk.len()));
        let values: Vec<V> = chunk.iter().map(|i| V::I(*i)).collect();
        for r in bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &values).fetch_all(&mut *conn).await? {
            out.push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?));
        }
    }
    Ok(out)
}

/// Who each address is (see [`super::sender`]), for many at once.
pub async fn senders(conn: &mut Conn, emails: &[String]) -> Result<HashMap<String, Sender>, StoreError> {
    let mut out: HashMap<String, Sender> = HashMap::new();
    let mut user_of: HashMap<i64, String> = HashMap::new();
    for chunk in emails.chunks(1000) {
        let sql =
            format!("SELECT id, email, language, staff_role FROM users WHERE disabled = 0 AND email IN ({})", in_list(1, chunk.len()));
        let values: Vec<V> = chunk.iter().map(|s| V::T(s.clone())).collect();
        for r in bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &values).fetch_all(&mut *conn).await? {
            let email: String = r.try_get("email")?;
            let id: i64 = r.try_get("id")?;
            user_of.insert(id, email.clone());
            out.insert(
                email,
                Sender {
                    user_id: Some(id),
                    language: Some(r.try_get("language")?),
                    staff: r.try_get::<Option<String>, _>("staff_role")?.is_some(),
                    cards: Vec::new(),
                },
            );
        }
    }
    let users: Vec<i64> = user_of.keys().copied().collect();
    for chunk in users.chunks(1000) {
        let sql = format!(
            "SELECT user_id, customer_id, permissions FROM memberships WHERE user_id IN ({}) ORDER BY customer_id",
            in_list(1, chunk.len())
        );
        let values: Vec<V> = chunk.iter().map(|i| V::I(*i)).collect();
        for r in bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &values).fetch_all(&mut *conn).await? {
            let perms: String = r.try_get("permissions")?;
            if let Some(s) = user_of.get(&r.try_get::<i64, _>("user_id")?).and_then(|e| out.get_mut(e)) {
                s.cards.push((r.try_get("customer_id")?, perms.split(',').any(|p| p.trim() == "helpdesk.use")));
            }
        }
    }
    let without: Vec<String> = emails.iter().filter(|e| out.get(*e).is_none_or(|s| s.cards.is_empty())).cloned().collect();
    for chunk in without.chunks(1000) {
        let sql = format!("SELECT id, email, language FROM customers WHERE email IN ({}) ORDER BY id", in_list(1, chunk.len()));
        let values: Vec<V> = chunk.iter().map(|s| V::T(s.clone())).collect();
        for r in bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &values).fetch_all(&mut *conn).await? {
            let s = out.entry(r.try_get("email")?).or_default();
            s.cards.push((r.try_get("id")?, true));
            if s.language.is_none() {
                s.language = Some(r.try_get("language")?);
            }
        }
    }
    Ok(out)
}

/// Which of `cards` have a running subscription on one of `plans`.
pub async fn entitled_cards(conn: &mut Conn, cards: &[i64], plans: &[String]) -> Result<HashSet<i64>, StoreError> {
    let mut out = HashSet::new();
    for chunk in cards.chunks(500) {
        let sql = format!(
            "SELECT DISTINCT s.customer_id FROM subscriptions s JOIN plans p ON p.id = s.plan_id WHERE s.customer_id IN ({}) \
             AND p.code IN ({}) AND s.state IN ('active', 'renewal_offered', 'cancellation_requested', 'suspended')",
            in_list(1, chunk.len()),
            in_list(chunk.len() + 1, plans.len())
        );
        let values: Vec<V> = chunk.iter().map(|i| V::I(*i)).chain(plans.iter().map(|p| V::T(p.clone()))).collect();
        for r in bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &values).fetch_all(&mut *conn).await? {
            out.insert(r.try_get::<i64, _>(0)?);
        }
    }
    Ok(out)
}

/// When each address was last acknowledged (microseconds).
pub async fn acks(conn: &mut Conn, emails: &[String]) -> Result<HashMap<String, i64>, StoreError> {
    let mut out = HashMap::new();
    for chunk in emails.chunks(1000) {
        let sql = format!("SELECT email, last_at FROM helpdesk_acks WHERE email IN ({})", in_list(1, chunk.len()));
        let values: Vec<V> = chunk.iter().map(|s| V::T(s.clone())).collect();
        for r in bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &values).fetch_all(&mut *conn).await? {
            out.insert(r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?);
        }
    }
    Ok(out)
}

pub async fn put_acks(conn: &mut Conn, emails: &[String], at: Timestamp) -> Result<(), StoreError> {
    let at = to_micros(at);
    for chunk in emails.chunks(chunk_rows(2)) {
        let sql = format!(
            "INSERT INTO helpdesk_acks (email, last_at) VALUES {} ON CONFLICT (email) DO UPDATE SET last_at = excluded.last_at",
            placeholders_for(conn, chunk.len(), 2)
        );
        let values: Vec<V> = chunk.iter().flat_map(|e| [V::T(e.clone()), V::I(at)]).collect();
        bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &values).execute(&mut *conn).await?;
    }
    Ok(())
}

/// A ticket the batch opens.
#[derive(Debug, Clone)]
pub struct NewMailTicket {
    pub customer_id: Option<i64>,
    pub subject: String,
    pub requester_email: String,
    pub requester_name: Option<String>,
    pub requester_user_id: Option<i64>,
}

/// Opens `tickets` (status new, from e-mail) numbered on in `year`; returns their ids and
/// references in order, and records each one's `created` event.
pub async fn open_tickets(
    conn: &mut Conn,
    year: i16,
    tickets: &[NewMailTicket],
    at: Timestamp,
) -> Result<Vec<(i64, TicketRef)>, StoreError> {
    let Some(n) = i64::try_from(tickets.len()).ok().filter(|n| *n > 0) else { return Ok(Vec::new()) };
    let first = super::reserve_numbers(conn, year, n).await?;
    let at_us = to_micros(at);
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
        "requester_name",
        "requester_user_id",
        "active",
        "last_activity_at",
        "created_at",
        "updated_at",
    ];
    let rows: Vec<Vec<V>> = tickets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            vec![
                V::I(i64::from(year)),
                V::I(first + i as i64),
                V::OI(t.customer_id),
                V::T(t.subject.clone()),
                V::from(Status::New.name()),
                V::from(Priority::Normal.name()),
                V::from(Category::Question.name()),
                V::from(Channel::Email.name()),
                V::T(t.requester_email.clone()),
                V::OT(t.requester_name.clone()),
                V::OI(t.requester_user_id),
                V::I(1),
                V::I(at_us),
                V::I(at_us),
                V::I(at_us),
            ]
        })
        .collect();
    insert_rows(conn, "tickets", &cols, &rows).await?;
    // The numbers are this batch's alone: read the ids back by them.
    let found = sqlx::query("SELECT id, number FROM tickets WHERE year = $1 AND number >= $2 AND number <= $3 ORDER BY number")
        .bind(i64::from(year))
        .bind(first)
        .bind(first + n - 1)
        .fetch_all(&mut *conn)
        .await?;
    let ids: Vec<(i64, TicketRef)> = found
        .iter()
        .map(|r| Ok((r.try_get::<i64, _>(0)?, TicketRef { year, number: r.try_get::<i64, _>(1)? })))
        .collect::<Result<_, StoreError>>()?;
    if ids.len() != tickets.len() {
        return Err(StoreError::Corrupt(format!("opened {} tickets, found {}", tickets.len(), ids.len())));
    }
    let events: Vec<(i64, &'static str, Option<String>, Option<i64>)> = ids
        .iter()
        .zip(tickets)
        .map(|((id, _), t)| (*id, "created", Some(Priority::Normal.name().to_string()), t.requester_user_id))
        .collect();
    insert_events(conn, &events, at).await?;
    Ok(ids)
}

/// An entry of a thread from a mail (no attachments: those go one by one with their entry).
#[derive(Debug, Clone)]
pub struct MailEntry {
    pub ticket_id: i64,
    pub from_staff: bool,
    pub author_user_id: Option<i64>,
    pub author_email: String,
    pub author_name: Option<String>,
    pub body: String,
    pub full_body: Option<String>,
    pub raw_file: Option<String>,
    pub message_id: String,
}

/// Inserts `entries`; returns each one's id by its Message-ID.
pub async fn insert_entries(conn: &mut Conn, entries: &[MailEntry], at: Timestamp) -> Result<HashMap<String, i64>, StoreError> {
    let at = to_micros(at);
    let cols = [
        "ticket_id",
        "kind",
        "channel",
        "from_staff",
        "author_user_id",
        "author_email",
        "author_name",
        "body",
        "full_body",
        "raw_file",
        "message_id",
        "created_at",
    ];
    let mut ids = HashMap::new();
    for chunk in entries.chunks(chunk_rows(cols.len())) {
        let sql = format!(
            "INSERT INTO ticket_entries ({}) VALUES {} RETURNING id, message_id",
            cols.join(", "),
            placeholders_for(conn, chunk.len(), cols.len())
        );
        let values: Vec<V> = chunk
            .iter()
            .flat_map(|e| {
                [
                    V::I(e.ticket_id),
                    V::from(EntryKind::Reply.name()),
                    V::from(Channel::Email.name()),
                    V::I(i64::from(e.from_staff)),
                    V::OI(e.author_user_id),
                    V::T(e.author_email.clone()),
                    V::OT(e.author_name.clone()),
                    V::T(e.body.clone()),
                    V::OT(e.full_body.clone()),
                    V::OT(e.raw_file.clone()),
                    V::T(e.message_id.clone()),
                    V::I(at),
                ]
            })
            .collect();
        for r in bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &values).fetch_all(&mut *conn).await? {
            ids.insert(r.try_get::<String, _>(1)?, r.try_get::<i64, _>(0)?);
        }
    }
    Ok(ids)
}

/// History events: (ticket, kind, value, actor).
pub async fn insert_events(
    conn: &mut Conn,
    events: &[(i64, &'static str, Option<String>, Option<i64>)],
    at: Timestamp,
) -> Result<(), StoreError> {
    let at = to_micros(at);
    let rows: Vec<Vec<V>> = events.iter().map(|(t, k, v, a)| vec![V::I(*t), V::from(*k), V::OT(v.clone()), V::OI(*a), V::I(at)]).collect();
    insert_rows(conn, "ticket_events", &["ticket_id", "kind", "value", "actor_user_id", "at"], &rows).await
}

/// Watchers: (ticket, e-mail, user); one already watching stays.
pub async fn insert_watchers(conn: &mut Conn, rows: &[(i64, String, Option<i64>)]) -> Result<(), StoreError> {
    for chunk in rows.chunks(chunk_rows(3)) {
        let sql = format!(
            "INSERT INTO ticket_watchers (ticket_id, email, user_id) VALUES {} ON CONFLICT (ticket_id, email) DO NOTHING",
            placeholders_for(conn, chunk.len(), 3)
        );
        let values: Vec<V> = chunk.iter().flat_map(|(t, e, u)| [V::I(*t), V::T(e.clone()), V::OI(*u)]).collect();
        bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &values).execute(&mut *conn).await?;
    }
    Ok(())
}

/// New activity on tickets: (id, status); the status's active flag follows it.
pub async fn touch_many(conn: &mut Conn, rows: &[(i64, Status)], at: Timestamp) -> Result<(), StoreError> {
    let at = to_micros(at);
    let rows: Vec<Vec<V>> =
        rows.iter().map(|(id, s)| vec![V::I(*id), V::from(s.name()), V::I(i64::from(s.is_active())), V::I(at)]).collect();
    crate::billing::update_rows(
        conn,
        "tickets",
        "status = v.column2, active = v.column3, last_activity_at = v.column4, updated_at = v.column4",
        &rows,
    )
    .await?;
    Ok(())
}

/// Bounces: (address, permanent, original Message-ID).
pub async fn insert_bounces(conn: &mut Conn, rows: &[(String, bool, Option<String>)], at: Timestamp) -> Result<(), StoreError> {
    let at = to_micros(at);
    let rows: Vec<Vec<V>> = rows.iter().map(|(e, p, o)| vec![V::T(e.clone()), V::I(i64::from(*p)), V::OT(o.clone()), V::I(at)]).collect();
    insert_rows(conn, "mail_bounces", &["email", "permanent", "original_message_id", "at"], &rows).await
}

/// Attachments: (ticket, entry, file name, content type, size, stored name).
pub async fn insert_attachments(
    conn: &mut Conn,
    rows: &[(i64, i64, String, String, i64, String)],
    at: Timestamp,
) -> Result<(), StoreError> {
    let at = to_micros(at);
    let rows: Vec<Vec<V>> = rows
        .iter()
        .map(|(t, e, n, k, s, st)| vec![V::I(*t), V::I(*e), V::T(n.clone()), V::T(k.clone()), V::I(*s), V::T(st.clone()), V::I(at)])
        .collect();
    insert_rows(conn, "ticket_attachments", &["ticket_id", "entry_id", "file_name", "content_type", "size", "stored", "created_at"], &rows)
        .await
}

/// Records the Message-IDs of mail Loket sends about tickets: (message id, ticket).
pub async fn record_out(conn: &mut Conn, rows: &[(String, i64)], at: Timestamp) -> Result<(), StoreError> {
    let at = to_micros(at);
    for chunk in rows.chunks(chunk_rows(4)) {
        let sql = format!(
            "INSERT INTO ticket_mail (message_id, ticket_id, direction, created_at) VALUES {} ON CONFLICT (message_id) DO NOTHING",
            placeholders_for(conn, chunk.len(), 4)
        );
        let values: Vec<V> = chunk.iter().flat_map(|(m, t)| [V::T(m.clone()), V::I(*t), V::from("out"), V::I(at)]).collect();
        bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &values).execute(&mut *conn).await?;
    }
    Ok(())
}
