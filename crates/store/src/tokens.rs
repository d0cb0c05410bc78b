//! Personal API tokens: scoped, revocable, stored only as SHA-256.

use jiff::Timestamp;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::accounts::{USER_COLUMNS, User, user_from_row};
use crate::time::{from_micros, now_micros, to_micros};
use crate::{Conn, Store, StoreError};

/// An API token as its owner sees it (never the token itself).
#[derive(Debug, Clone, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub scopes: Vec<String>,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

fn token_from_row(row: &AnyRow) -> Result<ApiToken, StoreError> {
    Ok(ApiToken {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        name: row.try_get("name")?,
        scopes: row.try_get::<String, _>("scopes")?.split(',').map(str::to_string).collect(),
        created_at: from_micros(row.try_get("created_at")?),
        last_used_at: row.try_get::<Option<i64>, _>("last_used_at")?.map(from_micros),
        revoked_at: row.try_get::<Option<i64>, _>("revoked_at")?.map(from_micros),
    })
}

pub async fn create_api_token(conn: &mut Conn, user_id: i64, name: &str, token_hash: &str, scopes: &[String]) -> Result<i64, StoreError> {
    let row =
        sqlx::query("INSERT INTO api_tokens (user_id, name, token_hash, scopes, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(user_id)
            .bind(name)
            .bind(token_hash)
            .bind(scopes.join(","))
            .bind(now_micros())
            .fetch_one(&mut *conn)
            .await?;
    Ok(row.try_get(0)?)
}

impl Store {
    /// The live token with this hash and its user (not revoked, user not disabled).
    pub async fn api_token(&self, token_hash: &str) -> Result<Option<(ApiToken, User)>, StoreError> {
        // Built once: every API request runs it.
        static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            format!(
                "SELECT t.id AS token_id, t.user_id, t.name AS token_name, t.scopes, t.created_at AS token_created_at, t.last_used_at, t.revoked_at, {} \
             FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled = $2",
                crate::qualified(USER_COLUMNS, "u")
            )
        });
        let Some(row) =
            sqlx::query(sqlx::AssertSqlSafe(SQL.as_str())).bind(token_hash).bind(0i64).fetch_optional(&mut *self.acquire().await?).await?
        else {
            return Ok(None);
        };
        let token = ApiToken {
            id: row.try_get("token_id")?,
            user_id: row.try_get("user_id")?,
            name: row.try_get("token_name")?,
            scopes: row.try_get::<String, _>("scopes")?.split(',').map(str::to_string).collect(),
            created_at: from_micros(row.try_get("token_created_at")?),
            last_used_at: row.try_get::<Option<i64>, _>("last_used_at")?.map(from_micros),
            revoked_at: None,
        };
        let now = now_micros();
        if token.last_used_at.is_none_or(|t| now - to_micros(t) > 60_000_000) {
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(now)
                .bind(token.id)
                .execute(&mut *self.acquire().await?)
                .await?;
        }
        Ok(Some((token, user_from_row(&row)?)))
    }

    pub async fn api_tokens_of(&self, user_id: i64) -> Result<Vec<ApiToken>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, user_id, name, scopes, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(&mut *self.acquire().await?)
        .await?;
        rows.iter().map(token_from_row).collect()
    }

    /// Revokes a token; false when there is no such live token.
    pub async fn revoke_api_token(&self, id: i64) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now_micros())
            .bind(id)
            .execute(&mut *self.acquire().await?)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}
