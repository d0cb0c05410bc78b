//! The keys of orders placed in the panel: one order per confirmation (see migration 0025).

use sqlx::Row;

use crate::time::now_micros;
use crate::{Conn, StoreError};

/// Claims `key` for an order of `customer_id`, inside the order's transaction. False when an
/// order with this key exists: on PostgreSQL a second transaction with the same key waits here
/// for the first to commit, then finds it.
pub async fn claim_key(conn: &mut Conn, key: &str, customer_id: i64) -> Result<bool, StoreError> {
    let done =
        sqlx::query("INSERT INTO order_keys (order_key, customer_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (order_key) DO NOTHING")
            .bind(key)
            .bind(customer_id)
            .bind(now_micros())
            .execute(&mut *conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Records the subscription the order with `key` placed.
pub async fn placed(conn: &mut Conn, key: &str, subscription_id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE order_keys SET subscription_id = $1 WHERE order_key = $2")
        .bind(subscription_id)
        .bind(key)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The (customer, subscription) an order with `key` placed, if one did.
pub async fn by_key(conn: &mut Conn, key: &str) -> Result<Option<(i64, Option<i64>)>, StoreError> {
    let row = sqlx::query("SELECT customer_id, subscription_id FROM order_keys WHERE order_key = $1")
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| Ok((r.try_get::<i64, _>(0)?, r.try_get::<Option<i64>, _>(1)?))).transpose()
}
