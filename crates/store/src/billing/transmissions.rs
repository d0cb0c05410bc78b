//! The outbound e-invoice queue: which issued documents go out through which channel (the SDI,
//! a Peppol access point), and how far each got. A row is queued once per document and
//! channel (the unique key is the transmitter's idempotency key), claimed before it is handed
//! to a transmitter so two nodes never send it at once, and ends sent or failed.

use jiff::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::time::{from_micros, now_micros};
use crate::{Conn, StoreError};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Transmission {
    pub id: i64,
    pub invoice_id: i64,
    /// The document's number.
    pub number: String,
    /// sdi | peppol
    pub channel: String,
    /// queued | sending | sent | failed
    pub state: String,
    pub attempts: i64,
    /// Where the file went (when sent) or the last error.
    pub detail: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const COLUMNS: &str = "t.id, t.invoice_id, i.number, t.channel, t.state, t.attempts, t.detail, t.created_at, t.updated_at FROM document_transmissions t \
     JOIN invoices i ON i.id = t.invoice_id";

fn from_row(r: &AnyRow) -> Result<Transmission, StoreError> {
    Ok(Transmission {
        id: r.try_get("id")?,
        invoice_id: r.try_get("invoice_id")?,
        number: r.try_get("number")?,
        channel: r.try_get("channel")?,
        state: r.try_get("state")?,
        attempts: r.try_get("attempts")?,
        detail: r.try_get("detail")?,
        created_at: from_micros(r.try_get("created_at")?),
        updated_at: from_micros(r.try_get("updated_at")?),
    })
}

/// The last invoice id `channel` has looked at (0 before the first look).
pub async fn cursor(conn: &mut Conn, channel: &str) -> Result<i64, StoreError> {
    let row =
        sqlx::query("SELECT last_invoice_id FROM transmission_cursors WHERE channel = $1").bind(channel).fetch_optional(&mut *conn).await?;
    Ok(match row {
        Some(r) => r.try_get(0)?,
        None => 0,
    })
}

pub async fn set_cursor(conn: &mut Conn, channel: &str, last_invoice_id: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO transmission_cursors (channel, last_invoice_id) VALUES ($1, $2) \
         ON CONFLICT (channel) DO UPDATE SET last_invoice_id = excluded.last_invoice_id",
    )
    .bind(channel)
    .bind(last_invoice_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The ids of the documents after `after`, oldest first (the primary key serves it).
pub async fn documents_after(conn: &mut Conn, after: i64, limit: i64) -> Result<Vec<i64>, StoreError> {
    let rows = sqlx::query("SELECT id FROM invoices WHERE id > $1 ORDER BY id LIMIT CAST($2 AS BIGINT)")
        .bind(after)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
}

/// Queues `invoice_id` for `channel` unless it was queued before. Returns whether it is new.
pub async fn queue(conn: &mut Conn, invoice_id: i64, channel: &str) -> Result<bool, StoreError> {
    let now = now_micros();
    let done = sqlx::query(
        "INSERT INTO document_transmissions (invoice_id, channel, state, attempts, created_at, updated_at) \
         VALUES ($1, $2, 'queued', 0, $3, $3) ON CONFLICT (invoice_id, channel) DO NOTHING",
    )
    .bind(invoice_id)
    .bind(channel)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Up to `limit` transmissions in `state`, oldest first.
pub async fn in_state(conn: &mut Conn, state: &str, limit: i64) -> Result<Vec<Transmission>, StoreError> {
    let sql = format!("SELECT {COLUMNS} WHERE t.state = $1 ORDER BY t.id LIMIT CAST($2 AS BIGINT)");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(state).bind(limit).fetch_all(&mut *conn).await?;
    rows.iter().map(from_row).collect()
}

/// The newest transmissions (every state), newest first.
pub async fn latest(conn: &mut Conn, limit: i64) -> Result<Vec<Transmission>, StoreError> {
    let sql = format!("SELECT {COLUMNS} ORDER BY t.id DESC LIMIT CAST($1 AS BIGINT)");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(limit).fetch_all(&mut *conn).await?;
    rows.iter().map(from_row).collect()
}

/// A document's transmissions.
pub async fn of_invoice(conn: &mut Conn, invoice_id: i64) -> Result<Vec<Transmission>, StoreError> {
    let sql = format!("SELECT {COLUMNS} WHERE t.invoice_id = $1 ORDER BY t.channel");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(invoice_id).fetch_all(&mut *conn).await?;
    rows.iter().map(from_row).collect()
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<Transmission>, StoreError> {
    let sql = format!("SELECT {COLUMNS} WHERE t.id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(from_row).transpose()
}

/// Claims a queued transmission for sending: true for exactly one caller.
pub async fn claim(conn: &mut Conn, id: i64) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE document_transmissions SET state = 'sending', attempts = attempts + 1, updated_at = $1 WHERE id = $2 AND state = 'queued'",
    )
    .bind(now_micros())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records the outcome of a claimed transmission: `sent`, `failed`, or `queued` to try again.
pub async fn finish(conn: &mut Conn, id: i64, state: &str, detail: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE document_transmissions SET state = $1, detail = $2, updated_at = $3 WHERE id = $4")
        .bind(state)
        .bind(detail)
        .bind(now_micros())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Puts a failed transmission back in the queue (staff fixed the cause). False when it was not
/// failed.
pub async fn retry(conn: &mut Conn, id: i64) -> Result<bool, StoreError> {
    let done =
        sqlx::query("UPDATE document_transmissions SET state = 'queued', attempts = 0, updated_at = $1 WHERE id = $2 AND state = 'failed'")
            .bind(now_micros())
            .bind(id)
            .execute(&mut *conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Transmissions claimed before `before` whose node never said how it went (it stopped):
/// back to the queue. Sending again is safe, the transmitter keys on the document.
pub async fn release_stale(conn: &mut Conn, before: Timestamp) -> Result<u64, StoreError> {
    let done =
        sqlx::query("UPDATE document_transmissions SET state = 'queued', updated_at = $1 WHERE state = 'sending' AND updated_at < $2")
            .bind(now_micros())
            .bind(crate::time::to_micros(before))
            .execute(&mut *conn)
            .await?;
    Ok(done.rows_affected())
}

/// How many transmissions are in each state.
pub async fn counts(conn: &mut Conn) -> Result<Vec<(String, i64)>, StoreError> {
    let rows =
        sqlx::query("SELECT state, COUNT(*) AS n FROM document_transmissions GROUP BY state ORDER BY state").fetch_all(&mut *conn).await?;
    rows.iter().map(|r| Ok((r.try_get("state")?, r.try_get("n")?))).collect()
}
