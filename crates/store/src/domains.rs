//! Domain names' registry contacts and the requests to change them (seed 002). A contact is
//! stored whole as JSON per domain service and role; requests wait for staff, who carry them
//! out at the registry and record them.

use jiff::Timestamp;
use loket_domain::registry::{ContactRole, RegistryContact};
use serde::Serialize;
use sqlx::Row;

use crate::time::{from_micros, now_micros};
use crate::{Conn, Store, StoreError};

/// A request to change one contact of one domain.
#[derive(Debug, Clone, Serialize)]
pub struct ContactRequest {
    pub id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub subscription_id: i64,
    pub domain: String,
    pub role: ContactRole,
    pub proposed: RegistryContact,
    /// pending | done | rejected
    pub state: String,
    pub reason: Option<String>,
    pub requested_by: i64,
    pub requester_email: String,
    pub decided_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

fn contact(json: &str, what: &str) -> Result<RegistryContact, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

fn role(s: &str) -> Result<ContactRole, StoreError> {
    ContactRole::parse(s).ok_or_else(|| StoreError::Corrupt(format!("domain contact role `{s}`")))
}

fn request_from_row(row: &dyn crate::read::Columns) -> Result<ContactRequest, StoreError> {
    Ok(ContactRequest {
        id: row.try_get("id")?,
        customer_id: row.try_get("customer_id")?,
        customer_name: row.try_get("legal_name")?,
        subscription_id: row.try_get("subscription_id")?,
        domain: row.try_get("label")?,
        role: role(&row.try_get::<String, _>("role")?)?,
        proposed: contact(&row.try_get::<String, _>("proposed_json")?, "domain contact request")?,
        state: row.try_get("state")?,
        reason: row.try_get("reason")?,
        requested_by: row.try_get("requested_by")?,
        requester_email: row.try_get("email")?,
        decided_at: row.try_get::<Option<i64>, _>("decided_at")?.map(from_micros),
        created_at: from_micros(row.try_get("created_at")?),
    })
}

const SELECT_REQUEST: &str = "SELECT r.id, r.customer_id, c.legal_name, r.subscription_id, s.label, r.role, r.proposed_json, r.state, r.reason, \
     r.requested_by, u.email, r.decided_at, r.created_at FROM domain_contact_requests r JOIN customers c ON c.id = r.customer_id \
     JOIN subscriptions s ON s.id = r.subscription_id JOIN users u ON u.id = r.requested_by";

/// Sets (or replaces) one contact of a domain.
pub async fn put_contact(conn: &mut Conn, subscription_id: i64, role: ContactRole, c: &RegistryContact) -> Result<(), StoreError> {
    let json = serde_json::to_string(c).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    sqlx::query(
        "INSERT INTO domain_contacts (subscription_id, role, contact_json, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (subscription_id, role) DO UPDATE SET contact_json = excluded.contact_json, updated_at = excluded.updated_at",
    )
    .bind(subscription_id)
    .bind(role.name())
    .bind(json)
    .bind(now_micros())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn create_request(
    conn: &mut Conn,
    customer_id: i64,
    subscription_id: i64,
    role: ContactRole,
    proposed: &RegistryContact,
    user_id: i64,
) -> Result<i64, StoreError> {
    let json = serde_json::to_string(proposed).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let row = sqlx::query(
        "INSERT INTO domain_contact_requests (customer_id, subscription_id, role, proposed_json, state, requested_by, created_at) \
         VALUES ($1, $2, $3, $4, 'pending', $5, $6) RETURNING id",
    )
    .bind(customer_id)
    .bind(subscription_id)
    .bind(role.name())
    .bind(json)
    .bind(user_id)
    .bind(now_micros())
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

/// One request, read on `conn` (its decision is made once by [`decide_request`]).
pub async fn request(conn: &mut Conn, id: i64) -> Result<Option<ContactRequest>, StoreError> {
    let sql = format!("{SELECT_REQUEST} WHERE r.id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(|r| request_from_row(r)).transpose()
}

/// Records a decision once: false when the request was no longer pending.
pub async fn decide_request(conn: &mut Conn, id: i64, done: bool, reason: Option<&str>, staff_id: i64) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE domain_contact_requests SET state = $1, reason = $2, decided_by = $3, decided_at = $4 WHERE id = $5 AND state = 'pending'",
    )
    .bind(if done { "done" } else { "rejected" })
    .bind(reason)
    .bind(staff_id)
    .bind(now_micros())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The card and product kind (`domain`, `hosting`, …) of a subscription, read on `conn`.
pub async fn service_kind(conn: &mut Conn, subscription_id: i64) -> Result<Option<(i64, String, String)>, StoreError> {
    let row = sqlx::query(
        "SELECT s.customer_id, p.kind, s.label FROM subscriptions s JOIN plans pl ON pl.id = s.plan_id JOIN products p ON p.id = pl.product_id \
         WHERE s.id = $1",
    )
    .bind(subscription_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))).transpose()
}

impl Store {
    /// A domain's contacts as recorded, in role order.
    pub async fn domain_contacts(&self, subscription_id: i64) -> Result<Vec<(ContactRole, RegistryContact)>, StoreError> {
        let mut out = self
            .read(
                "SELECT role, contact_json FROM domain_contacts WHERE subscription_id = $1",
                &[crate::read::Arg::Int(subscription_id)],
                |r| Ok((role(&r.try_get::<String, _>(0usize)?)?, contact(&r.try_get::<String, _>(1usize)?, "domain contact")?)),
            )
            .await?;
        out.sort_by_key(|(r, _)| *r);
        Ok(out)
    }

    /// A domain's change requests, newest first.
    pub async fn domain_requests(&self, subscription_id: i64, limit: i64) -> Result<Vec<ContactRequest>, StoreError> {
        static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            format!("{SELECT_REQUEST} WHERE r.subscription_id = $1 ORDER BY r.id DESC LIMIT CAST($2 AS BIGINT)")
        });
        let args = [crate::read::Arg::Int(subscription_id), crate::read::Arg::Int(limit.clamp(1, 200))];
        self.read(SQL.as_str(), &args, request_from_row).await
    }

    /// Requests waiting for staff, oldest first.
    pub async fn pending_domain_requests(&self, limit: i64) -> Result<Vec<ContactRequest>, StoreError> {
        let sql = format!("{SELECT_REQUEST} WHERE r.state = 'pending' ORDER BY r.created_at, r.id LIMIT CAST($1 AS BIGINT)");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(limit.clamp(1, 500)).fetch_all(&mut *self.acquire().await?).await?;
        rows.iter().map(|r| request_from_row(r)).collect()
    }
}
