//! Lost-access requests: what a person sent (the files themselves are in the
//! [`crate::files::FileStore`]), staff's decision, and when the files were deleted.

use jiff::Timestamp;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::time::{from_micros, now_micros, to_micros};
use crate::{Conn, Store, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct AccessRequest {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub customer_number: Option<String>,
    pub message: Option<String>,
    /// File names in the file store; `None` once deleted.
    pub form_file: Option<String>,
    pub form_type: String,
    pub id_file: Option<String>,
    pub id_type: String,
    /// pending | restored | rejected
    pub state: String,
    pub customer_id: Option<i64>,
    pub reason: Option<String>,
    pub decided_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub files_deleted_at: Option<Timestamp>,
}

/// A new request as sent.
pub struct NewAccessRequest<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub customer_number: Option<&'a str>,
    pub message: Option<&'a str>,
    pub form_file: &'a str,
    pub form_type: &'a str,
    pub id_file: &'a str,
    pub id_type: &'a str,
}

const SELECT: &str = "SELECT id, name, email, customer_number, message, form_file, form_type, id_file, id_type, state, customer_id, reason, \
                      decided_at, created_at, files_deleted_at FROM access_requests";

fn from_row(row: &AnyRow) -> Result<AccessRequest, StoreError> {
    let ts = |col: &str| -> Result<Option<Timestamp>, StoreError> { Ok(row.try_get::<Option<i64>, _>(col)?.map(from_micros)) };
    Ok(AccessRequest {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        customer_number: row.try_get("customer_number")?,
        message: row.try_get("message")?,
        form_file: row.try_get("form_file")?,
        form_type: row.try_get("form_type")?,
        id_file: row.try_get("id_file")?,
        id_type: row.try_get("id_type")?,
        state: row.try_get("state")?,
        customer_id: row.try_get("customer_id")?,
        reason: row.try_get("reason")?,
        decided_at: ts("decided_at")?,
        created_at: from_micros(row.try_get("created_at")?),
        files_deleted_at: ts("files_deleted_at")?,
    })
}

pub async fn create(conn: &mut Conn, r: &NewAccessRequest<'_>) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO access_requests (name, email, customer_number, message, form_file, form_type, id_file, id_type, state, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9) RETURNING id",
    )
    .bind(r.name)
    .bind(r.email)
    .bind(r.customer_number)
    .bind(r.message)
    .bind(r.form_file)
    .bind(r.form_type)
    .bind(r.id_file)
    .bind(r.id_type)
    .bind(now_micros())
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

/// Requests from `email` since `since` that are still pending.
pub async fn pending_from(conn: &mut Conn, email: &str, since: Timestamp) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT COUNT(*) FROM access_requests WHERE email = $1 AND created_at >= $2 AND state = 'pending'")
        .bind(email)
        .bind(to_micros(since))
        .fetch_one(&mut *conn)
        .await?;
    Ok(row.try_get::<i64, _>(0)?)
}

pub async fn request(conn: &mut Conn, id: i64) -> Result<Option<AccessRequest>, StoreError> {
    let sql = format!("{SELECT} WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(from_row).transpose()
}

/// Records a decision once: false when the request was no longer pending.
pub async fn decide(
    conn: &mut Conn,
    id: i64,
    restored: bool,
    customer_id: Option<i64>,
    reason: Option<&str>,
    staff_id: i64,
) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE access_requests SET state = $1, customer_id = $2, reason = $3, decided_by = $4, decided_at = $5 WHERE id = $6 AND state = 'pending'",
    )
    .bind(if restored { "restored" } else { "rejected" })
    .bind(customer_id)
    .bind(reason)
    .bind(staff_id)
    .bind(now_micros())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Requests whose files are due for deletion (sent before `before`), oldest first.
pub async fn files_due(conn: &mut Conn, before: Timestamp, limit: i64) -> Result<Vec<AccessRequest>, StoreError> {
    let sql = format!("{SELECT} WHERE files_deleted_at IS NULL AND created_at < $1 ORDER BY created_at LIMIT CAST($2 AS BIGINT)");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(to_micros(before)).bind(limit).fetch_all(&mut *conn).await?;
    rows.iter().map(from_row).collect()
}

/// Marks a request's files deleted.
pub async fn files_deleted(conn: &mut Conn, id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE access_requests SET form_file = NULL, id_file = NULL, files_deleted_at = $1 WHERE id = $2")
        .bind(now_micros())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl Store {
    pub async fn access_request(&self, id: i64) -> Result<Option<AccessRequest>, StoreError> {
        let mut conn = self.acquire().await?;
        request(&mut conn, id).await
    }

    /// Pending requests oldest first, then the latest decided ones.
    pub async fn access_requests(&self, pending: bool, limit: i64) -> Result<Vec<AccessRequest>, StoreError> {
        let sql = if pending {
            format!("{SELECT} WHERE state = 'pending' ORDER BY created_at, id LIMIT CAST($1 AS BIGINT)")
        } else {
            format!("{SELECT} WHERE state IN ('restored', 'rejected') ORDER BY created_at DESC, id DESC LIMIT CAST($1 AS BIGINT)")
        };
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(limit.clamp(1, 500)).fetch_all(&mut *self.acquire().await?).await?;
        rows.iter().map(from_row).collect()
    }
}
