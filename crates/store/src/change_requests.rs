//! Change requests: edits of reviewed fields of a customer card, waiting for staff.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::time::{from_micros, now_micros};
use crate::{Conn, Store, StoreError};

pub type Fields = BTreeMap<String, Option<String>>;

#[derive(Debug, Clone, Serialize)]
pub struct ChangeRequest {
    pub id: i64,
    pub customer_id: i64,
    pub customer_number: String,
    pub customer_name: String,
    pub requested_by: i64,
    pub requester_email: String,
    /// Field → proposed value.
    pub proposed: Fields,
    /// Field → value when the request was made.
    pub current: Fields,
    /// pending | approved | rejected
    pub state: String,
    pub reason: Option<String>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

fn from_row(row: &AnyRow) -> Result<ChangeRequest, StoreError> {
    let json = |col: &str| -> Result<Fields, StoreError> {
        serde_json::from_str(&row.try_get::<String, _>(col)?).map_err(|e| StoreError::Corrupt(format!("change request {col}: {e}")))
    };
    Ok(ChangeRequest {
        id: row.try_get("id")?,
        customer_id: row.try_get("customer_id")?,
        customer_number: row.try_get("number")?,
        customer_name: row.try_get("legal_name")?,
        requested_by: row.try_get("requested_by")?,
        requester_email: row.try_get("email")?,
        proposed: json("proposed_json")?,
        current: json("current_json")?,
        state: row.try_get("state")?,
        reason: row.try_get("reason")?,
        decided_by: row.try_get("decided_by")?,
        decided_at: row.try_get::<Option<i64>, _>("decided_at")?.map(from_micros),
        created_at: from_micros(row.try_get("created_at")?),
    })
}

const SELECT: &str = "SELECT r.id, r.customer_id, c.number, c.legal_name, r.requested_by, u.email, r.proposed_json, r.current_json, r.state, r.reason, \
                      r.decided_by, r.decided_at, r.created_at FROM change_requests r JOIN customers c ON c.id = r.customer_id JOIN users u ON u.id = r.requested_by";

pub async fn create_change_request(
    conn: &mut Conn,
    customer_id: i64,
    user_id: i64,
    proposed: &Fields,
    current: &Fields,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO change_requests (customer_id, requested_by, proposed_json, current_json, state, created_at) VALUES ($1, $2, $3, $4, 'pending', $5) RETURNING id",
    )
    .bind(customer_id)
    .bind(user_id)
    .bind(serde_json::to_string(proposed).unwrap_or_default())
    .bind(serde_json::to_string(current).unwrap_or_default())
    .bind(now_micros())
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

/// Records a decision, once: false when the request was no longer pending.
pub async fn decide_change_request(
    conn: &mut Conn,
    id: i64,
    approve: bool,
    reason: Option<&str>,
    staff_id: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE change_requests SET state = $1, reason = $2, decided_by = $3, decided_at = $4 WHERE id = $5 AND state = 'pending'",
    )
    .bind(if approve { "approved" } else { "rejected" })
    .bind(reason)
    .bind(staff_id)
    .bind(now_micros())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

impl Store {
    pub async fn change_request(&self, id: i64) -> Result<Option<ChangeRequest>, StoreError> {
        let sql = format!("{SELECT} WHERE r.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *self.acquire().await?).await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Newest first; filtered by state (`pending`, …) and/or customer card.
    pub async fn change_requests(
        &self,
        state: Option<&str>,
        customer_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<ChangeRequest>, StoreError> {
        let sql = format!(
            "{SELECT} WHERE ($1 = '' OR r.state = $1) AND ($2 = 0 OR r.customer_id = $2) ORDER BY r.id DESC LIMIT CAST($3 AS BIGINT)"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(state.unwrap_or(""))
            .bind(customer_id.unwrap_or(0))
            .bind(limit.clamp(1, 1000))
            .fetch_all(&mut *self.acquire().await?)
            .await?;
        rows.iter().map(from_row).collect()
    }
}
