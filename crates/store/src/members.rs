//! Who is on a customer card: invitations by e-mail, roles and permissions, removal.

use jiff::Timestamp;
use loket_domain::access::{MemberRole, Permissions};
use serde::Serialize;
use sqlx::Row;

use crate::time::{now_micros, to_micros};
use crate::{Conn, Store, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct Invitation {
    pub customer_id: i64,
    pub customer_number: String,
    pub customer_name: String,
    pub email: String,
    pub role: MemberRole,
    #[serde(skip)]
    pub permissions: Permissions,
}

pub struct NewInvitation<'a> {
    pub token_hash: &'a str,
    pub customer_id: i64,
    pub email: &'a str,
    pub role: MemberRole,
    pub permissions: Permissions,
    pub invited_by: i64,
    pub expires: Timestamp,
}

pub async fn create_invitation(conn: &mut Conn, i: &NewInvitation<'_>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO invitations (token_hash, customer_id, email, role, permissions, invited_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(i.token_hash)
    .bind(i.customer_id)
    .bind(crate::accounts::normalise_email(i.email))
    .bind(i.role.name())
    .bind(i.permissions.to_string())
    .bind(i.invited_by)
    .bind(now_micros())
    .bind(to_micros(i.expires))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

const SELECT: &str = "SELECT i.customer_id, c.number, c.legal_name, i.email, i.role, i.permissions FROM invitations i JOIN customers c ON c.id = i.customer_id";

fn from_row(row: &sqlx::any::AnyRow) -> Result<Invitation, StoreError> {
    Ok(Invitation {
        customer_id: row.try_get(0)?,
        customer_number: row.try_get(1)?,
        customer_name: row.try_get(2)?,
        email: row.try_get(3)?,
        role: row.try_get::<String, _>(4)?.parse().map_err(StoreError::Corrupt)?,
        permissions: row.try_get::<String, _>(5)?.parse().map_err(StoreError::Corrupt)?,
    })
}

/// Marks an open invitation accepted and returns it; `None` if it is unknown, used or expired.
pub async fn accept_invitation(conn: &mut Conn, token_hash: &str, now: Timestamp) -> Result<Option<Invitation>, StoreError> {
    let done = sqlx::query("UPDATE invitations SET accepted_at = $1 WHERE token_hash = $2 AND accepted_at IS NULL AND expires_at > $1")
        .bind(to_micros(now))
        .bind(token_hash)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() != 1 {
        return Ok(None);
    }
    let sql = format!("{SELECT} WHERE i.token_hash = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(token_hash).fetch_one(&mut *conn).await?;
    Ok(Some(from_row(&row)?))
}

pub async fn remove_membership(conn: &mut Conn, user_id: i64, customer_id: i64) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM memberships WHERE user_id = $1 AND customer_id = $2")
        .bind(user_id)
        .bind(customer_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Locks card `customer_id` for a change of its users until the transaction ends, so that
/// checks such as "the card keeps an owner" hold when two changes meet (PostgreSQL; on SQLite
/// the write transaction already is the lock).
pub async fn lock_card(conn: &mut Conn, backend: crate::Backend, customer_id: i64) -> Result<(), StoreError> {
    if backend == crate::Backend::Postgres {
        sqlx::query("SELECT id FROM customers WHERE id = $1 FOR UPDATE").bind(customer_id).fetch_optional(&mut *conn).await?;
    }
    Ok(())
}

/// The owners of a card, read on `conn` (inside the transaction that changes them).
pub async fn owner_count(conn: &mut Conn, customer_id: i64) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT COUNT(*) FROM memberships WHERE customer_id = $1 AND role = $2")
        .bind(customer_id)
        .bind(MemberRole::Owner.name())
        .fetch_one(&mut *conn)
        .await?;
    Ok(row.try_get(0)?)
}

/// A user's role and permissions on a card, read on `conn`.
pub async fn member_role(conn: &mut Conn, customer_id: i64, user_id: i64) -> Result<Option<(String, String)>, StoreError> {
    let row = sqlx::query("SELECT role, permissions FROM memberships WHERE customer_id = $1 AND user_id = $2")
        .bind(customer_id)
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
}

impl Store {
    /// An open invitation (not accepted, not expired).
    pub async fn invitation(&self, token_hash: &str, now: Timestamp) -> Result<Option<Invitation>, StoreError> {
        let sql = format!("{SELECT} WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.expires_at > $2");
        let row =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(token_hash).bind(to_micros(now)).fetch_optional(&mut *self.acquire().await?).await?;
        row.as_ref().map(from_row).transpose()
    }
}
