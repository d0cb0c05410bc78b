//! The audit log: who changed what, when, from what to what. Append-only (the database refuses
//! updates and deletes). Written in the same transaction as the change it records.

use jiff::Timestamp;
use serde::Serialize;
use sqlx::Row;

use crate::time::{from_micros, now_micros};
use crate::{Conn, Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ActorKind {
    /// A provider employee.
    Staff,
    /// A customer's user.
    User,
    /// A background job.
    Job,
    /// Loket itself (start-up, scheduler).
    System,
    /// Someone at the server's command line.
    Cli,
    /// Someone not signed in, named by what they gave (a public form's e-mail address).
    Anonymous,
}

impl ActorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Staff => "staff",
            ActorKind::User => "user",
            ActorKind::Job => "job",
            ActorKind::System => "system",
            ActorKind::Cli => "cli",
            ActorKind::Anonymous => "anonymous",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub kind: ActorKind,
    pub id: Option<String>,
    /// The HTTP request the change came with, recorded beside it.
    #[serde(skip)]
    pub request_id: Option<String>,
}

impl Actor {
    pub fn new(kind: ActorKind, id: impl Into<String>) -> Self {
        Actor { kind, id: Some(id.into()), request_id: None }
    }

    pub fn system() -> Self {
        Actor { kind: ActorKind::System, id: None, request_id: None }
    }

    /// The same actor, acting within request `id`.
    pub fn in_request(mut self, id: Option<String>) -> Self {
        self.request_id = id;
        self
    }
}

/// `staff:12`, `user:7`, `system`: as the audit log shows who did something.
impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.id {
            Some(id) => write!(f, "{}:{id}", self.kind.as_str()),
            None => f.write_str(self.kind.as_str()),
        }
    }
}

/// One change to record.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub actor: &'a Actor,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub request_id: Option<&'a str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: Timestamp,
    pub actor_kind: String,
    pub actor_id: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub request_id: Option<String>,
}

pub async fn record(conn: &mut Conn, change: &Change<'_>) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO audit_log (at, actor_kind, actor_id, action, entity, entity_id, before_json, after_json, request_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(now_micros())
    .bind(change.actor.kind.as_str())
    .bind(&change.actor.id)
    .bind(change.action)
    .bind(change.entity)
    .bind(&change.entity_id)
    .bind(change.before.as_ref().map(|v| v.to_string()))
    .bind(change.after.as_ref().map(|v| v.to_string()))
    .bind(change.request_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

/// Filters for reading the log.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// Only entries with an id below this (for paging backwards).
    pub before_id: Option<i64>,
    pub limit: i64,
}

impl Store {
    /// Newest first.
    pub async fn audit_entries(&self, q: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, at, actor_kind, actor_id, action, entity, entity_id, before_json, after_json, request_id FROM audit_log \
             WHERE ($1 = '' OR entity = $1) AND ($2 = '' OR entity_id = $2) AND id < $3 ORDER BY id DESC LIMIT CAST($4 AS BIGINT)",
        )
        .bind(q.entity.as_deref().unwrap_or(""))
        .bind(q.entity_id.as_deref().unwrap_or(""))
        .bind(q.before_id.unwrap_or(i64::MAX))
        .bind(q.limit.clamp(1, 1000))
        .fetch_all(&mut *self.acquire().await?)
        .await?;
        rows.iter()
            .map(|row| {
                let json = |col: &str| -> Result<Option<serde_json::Value>, StoreError> {
                    let text: Option<String> = row.try_get(col)?;
                    text.map(|t| serde_json::from_str(&t).map_err(|e| StoreError::Corrupt(format!("audit {col}: {e}")))).transpose()
                };
                Ok(AuditEntry {
                    id: row.try_get("id")?,
                    at: from_micros(row.try_get("at")?),
                    actor_kind: row.try_get("actor_kind")?,
                    actor_id: row.try_get("actor_id")?,
                    action: row.try_get("action")?,
                    entity: row.try_get("entity")?,
                    entity_id: row.try_get("entity_id")?,
                    before: json("before_json")?,
                    after: json("after_json")?,
                    request_id: row.try_get("request_id")?,
                })
            })
            .collect()
    }
}
