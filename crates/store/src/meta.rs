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
