//! A staff member's saved views of the ticket queue: a name and the queue's filters as the query
//! string the queue page reads. Each is the member's own.

use jiff::Timestamp;
use serde::Serialize;
use sqlx::Row;

use crate::time::to_micros;
use crate::{Conn, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct SavedView {
    pub id: i64,
    pub name: String,
    /// The queue's filters: `state=active&assignee=me`.
    pub query: String,
}

/// `user_id`'s views, by name.
pub async fn saved_views(conn: &mut Conn, user_id: i64) -> Result<Vec<SavedView>, StoreError> {
    let rows = sqlx::query("SELECT id, name, query FROM ticket_views WHERE user_id = $1 ORDER BY name, id")
        .bind(user_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| Ok(SavedView { id: r.try_get("id")?, name: r.try_get("name")?, query: r.try_get("query")? })).collect()
}

/// Saves `query` under `name` for `user_id`; a view of the same name is replaced. Returns its id.
pub async fn save_view(conn: &mut Conn, user_id: i64, name: &str, query: &str, at: Timestamp) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO ticket_views (user_id, name, query, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, name) DO UPDATE SET query = excluded.query RETURNING id",
    )
    .bind(user_id)
    .bind(name)
    .bind(query)
    .bind(to_micros(at))
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

/// Deletes `user_id`'s view `id` and returns it; `None` when they have no such view.
pub async fn delete_view(conn: &mut Conn, user_id: i64, id: i64) -> Result<Option<SavedView>, StoreError> {
    let row = sqlx::query("DELETE FROM ticket_views WHERE id = $1 AND user_id = $2 RETURNING id, name, query")
        .bind(id)
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| Ok(SavedView { id: r.try_get("id")?, name: r.try_get("name")?, query: r.try_get("query")? })).transpose()
}
