//! Mail and tickets one at a time: a Message-ID claimed with its ticket, a ticket's thread of
//! Message-IDs, whether an address bounced for good. The ingest's batch statements (claims,
//! acknowledgements, bounces) are in `batch.rs`.

use jiff::Timestamp;
use sqlx::Row;

use crate::time::to_micros;
use crate::{Conn, StoreError};

/// What became of a message that came in, recorded under its Message-ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    In,
    Out,
    /// An auto-reply, bounce or list message: no ticket, no reply.
    Ignored,
    /// From an unknown sender, refused by the provider's rule.
    Refused,
}

impl Direction {
    pub fn name(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
            Direction::Ignored => "ignored",
            Direction::Refused => "refused",
        }
    }
}

/// Records `message_id`; false when it was recorded before (the same message again).
pub async fn claim(
    conn: &mut Conn,
    message_id: &str,
    ticket_id: Option<i64>,
    direction: Direction,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "INSERT INTO ticket_mail (message_id, ticket_id, direction, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (message_id) DO NOTHING",
    )
    .bind(message_id)
    .bind(ticket_id)
    .bind(direction.name())
    .bind(to_micros(at))
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The Message-IDs of a ticket's mail in and out, oldest first (at most the first and the
/// latest 20): the threading headers of its next mail.
pub async fn thread_ids(conn: &mut Conn, ticket_id: i64) -> Result<Vec<String>, StoreError> {
    let first = sqlx::query(
        "SELECT message_id FROM ticket_mail WHERE ticket_id = $1 AND direction IN ('in', 'out') ORDER BY created_at, message_id LIMIT 1",
    )
    .bind(ticket_id)
    .fetch_optional(&mut *conn)
    .await?;
    let rows = sqlx::query(
        "SELECT message_id FROM ticket_mail WHERE ticket_id = $1 AND direction IN ('in', 'out') ORDER BY created_at DESC, message_id DESC LIMIT 20",
    )
    .bind(ticket_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut ids: Vec<String> = rows.iter().rev().map(|r| r.try_get(0)).collect::<Result<_, _>>()?;
    if let Some(f) = first {
        let f: String = f.try_get(0)?;
        if !ids.contains(&f) {
            ids.insert(0, f);
        }
    }
    Ok(ids)
}

/// Whether mail to `email` bounced permanently (Loket then stops mailing it).
pub async fn bounced_permanently(conn: &mut Conn, email: &str) -> Result<bool, StoreError> {
    let row =
        sqlx::query("SELECT 1 FROM mail_bounces WHERE email = $1 AND permanent = 1 LIMIT 1").bind(email).fetch_optional(&mut *conn).await?;
    Ok(row.is_some())
}

/// Changes what a claimed message became (a message first taken in, then refused).
pub async fn set_direction(conn: &mut Conn, message_id: &str, direction: Direction) -> Result<(), StoreError> {
    sqlx::query("UPDATE ticket_mail SET direction = $1 WHERE message_id = $2")
        .bind(direction.name())
        .bind(message_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
