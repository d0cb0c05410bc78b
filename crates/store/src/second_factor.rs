//! Two-step sign-in state of a user: the TOTP secret, the last used step, recovery codes.

use sqlx::Row;

use crate::accounts::User;
use crate::time::now_micros;
use crate::{Conn, Store, StoreError};

/// A user's two-step sign-in state.
#[derive(Debug, Clone, Default)]
pub struct SecondFactor {
    /// Hex of the secret: set (pending) during set-up, kept while enabled.
    pub secret: Option<String>,
    pub enabled: bool,
    pub last_step: Option<u64>,
    /// SHA-256 of each unused recovery code.
    pub recovery_hashes: Vec<String>,
}

impl Store {
    pub async fn second_factor(&self, user_id: i64) -> Result<SecondFactor, StoreError> {
        let row = sqlx::query("SELECT totp_secret, totp_enabled, totp_last_step, recovery_codes FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&mut *self.acquire().await?)
            .await?;
        let codes: Option<String> = row.try_get(3)?;
        Ok(SecondFactor {
            secret: row.try_get(0)?,
            enabled: row.try_get::<i64, _>(1)? != 0,
            last_step: row.try_get::<Option<i64>, _>(2)?.map(|s| s as u64),
            recovery_hashes: codes.map(|c| serde_json::from_str(&c).unwrap_or_default()).unwrap_or_default(),
        })
    }

    /// Whether this user must use two-step sign-in: staff when the provider says so, and
    /// anyone on a customer card that asks for it.
    pub async fn second_factor_required(&self, user: &User, for_staff: bool) -> Result<bool, StoreError> {
        if user.staff_role.is_some() && for_staff {
            return Ok(true);
        }
        let row = sqlx::query("SELECT COUNT(*) FROM memberships m JOIN customers c ON c.id = m.customer_id WHERE m.user_id = $1 AND c.requires_second_factor = $2")
            .bind(user.id)
            .bind(1i64)
            .fetch_one(&mut *self.acquire().await?)
            .await?;
        Ok(row.try_get::<i64, _>(0)? > 0)
    }

    /// Marks a session's second step done.
    pub async fn complete_second_factor(&self, id_hash: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE sessions SET second_factor_done = $1 WHERE id_hash = $2")
            .bind(1i64)
            .bind(id_hash)
            .execute(&mut *self.acquire().await?)
            .await?;
        Ok(())
    }
}

/// Starts (or restarts) set-up with a new pending secret; two-step sign-in stays off until a
/// code made with it is confirmed.
pub async fn set_pending_totp(conn: &mut Conn, user_id: i64, secret_hex: &str) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE users SET totp_secret = $1, totp_enabled = $2, totp_last_step = NULL, recovery_codes = NULL, updated_at = $3 WHERE id = $4",
    )
    .bind(secret_hex)
    .bind(0i64)
    .bind(now_micros())
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn enable_totp(conn: &mut Conn, user_id: i64, step: u64, recovery_hashes: &[String]) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET totp_enabled = $1, totp_last_step = $2, recovery_codes = $3, updated_at = $4 WHERE id = $5")
        .bind(1i64)
        .bind(step as i64)
        .bind(serde_json::to_string(recovery_hashes).unwrap_or_default())
        .bind(now_micros())
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn disable_totp(conn: &mut Conn, user_id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET totp_enabled = $1, totp_secret = NULL, totp_last_step = NULL, recovery_codes = NULL, updated_at = $2 WHERE id = $3")
        .bind(0i64)
        .bind(now_micros())
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Records that the code of `step` was used; false if that (or a later) step was used already,
/// so two requests with one code cannot both pass.
pub async fn use_totp_step(conn: &mut Conn, user_id: i64, step: u64) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)")
        .bind(step as i64)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Uses up a recovery code; false if it is not one of the user's unused codes.
pub async fn use_recovery_code(conn: &mut Conn, user_id: i64, hash: &str) -> Result<bool, StoreError> {
    let row = sqlx::query("SELECT recovery_codes FROM users WHERE id = $1").bind(user_id).fetch_one(&mut *conn).await?;
    let codes: Option<String> = row.try_get(0)?;
    let mut hashes: Vec<String> = codes.as_deref().map(|c| serde_json::from_str(c).unwrap_or_default()).unwrap_or_default();
    let before = hashes.len();
    hashes.retain(|h| h != hash);
    if hashes.len() == before {
        return Ok(false);
    }
    let done = sqlx::query("UPDATE users SET recovery_codes = $1 WHERE id = $2 AND recovery_codes = $3")
        .bind(serde_json::to_string(&hashes).unwrap_or_default())
        .bind(user_id)
        .bind(codes)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
