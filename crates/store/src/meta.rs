//! Facts about this installation (for example when demo data was loaded), one value per key.

use crate::time::now_micros;
use crate::{Conn, StoreError};

/// Sets a value on `conn` unless the key has one; returns false when it already had (kept).
pub async fn set_meta_once(conn: &mut Conn, key: &str, value: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("INSERT INTO loket_meta (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING")
        .bind(key)
        .bind(value)
        .bind(now_micros())
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The value of `key`, if it has one.
pub async fn meta(conn: &mut Conn, key: &str) -> Result<Option<String>, StoreError> {
    use sqlx::Row;
    let row = sqlx::query("SELECT value FROM loket_meta WHERE key = $1").bind(key).fetch_optional(&mut *conn).await?;
    Ok(row.map(|r| r.try_get(0)).transpose()?)
}

/// Whether the database holds any user or customer card (is more than freshly migrated).
pub async fn holds_people(conn: &mut Conn) -> Result<bool, StoreError> {
    use sqlx::Row;
    let row =
        sqlx::query("SELECT CAST(CASE WHEN EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM customers) THEN 1 ELSE 0 END AS BIGINT)")
            .fetch_one(&mut *conn)
            .await?;
    Ok(row.try_get::<i64, _>(0)? == 1)
}
