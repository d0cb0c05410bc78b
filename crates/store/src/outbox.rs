//! The mail outbox. A message is written here in the same transaction as the change that
//! caused it, together with the job that will deliver it: if the change rolls back, no mail
//! exists; if it commits, exactly one delivery job does.

use jiff::Timestamp;
use serde::Serialize;
use sqlx::Row;

use crate::jobs::{Enqueued, NewJob, enqueue};
use crate::time::{from_micros, now_micros};
use crate::{Conn, Store, StoreError};

/// The job kind that delivers an outbox message.
pub const DELIVER_JOB: &str = "mail.deliver";

/// A fully composed message, ready to be stored and sent.
#[derive(Debug, Clone)]
pub struct OutgoingMail {
    pub message_id: String,
    pub template: String,
    pub language: String,
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    pub subject: String,
    pub raw: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StoredMail {
    pub id: i64,
    pub message_id: String,
    pub template: String,
    pub language: String,
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    pub subject: String,
    pub state: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
    #[serde(skip)]
    pub raw: String,
}

/// Stores `mail` and its delivery job on `conn` (the caller's transaction). Returns the outbox id.
pub async fn enqueue_mail(conn: &mut Conn, mail: &OutgoingMail) -> Result<i64, StoreError> {
    if mail.rcpt_to.is_empty() {
        return Err(StoreError::Invalid("a mail needs at least one recipient".into()));
    }
    let row = sqlx::query(
        "INSERT INTO outbox (message_id, template, language, mail_from, rcpt_to, subject, raw, state, attempts, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', 0, $8) RETURNING id",
    )
    .bind(&mail.message_id)
    .bind(&mail.template)
    .bind(&mail.language)
    .bind(&mail.mail_from)
    .bind(mail.rcpt_to.join("\n"))
    .bind(&mail.subject)
    .bind(&mail.raw)
    .bind(now_micros())
    .fetch_one(&mut *conn)
    .await?;
    let id: i64 = row.try_get(0)?;
    let job = NewJob::new(DELIVER_JOB, serde_json::json!({ "outbox_id": id })).key(format!("{DELIVER_JOB}:{id}")).attempts(10);
    match enqueue(conn, &job).await? {
        Enqueued::New(_) | Enqueued::Duplicate => Ok(id),
    }
}

/// [`enqueue_mail`] for many messages at once: the messages in one multi-row statement, their
/// delivery jobs in another (for the mail ingest, which acknowledges many senders per batch).
pub async fn enqueue_many(conn: &mut Conn, mails: &[OutgoingMail]) -> Result<(), StoreError> {
    use crate::billing::{V, bind_all, chunk_rows, placeholders_for};
    if mails.iter().any(|m| m.rcpt_to.is_empty()) {
        return Err(StoreError::Invalid("a mail needs at least one recipient".into()));
    }
    let now = now_micros();
    for chunk in mails.chunks(chunk_rows(10)) {
        let sql = format!(
            "INSERT INTO outbox (message_id, template, language, mail_from, rcpt_to, subject, raw, state, attempts, created_at) VALUES {} \
             RETURNING id",
            placeholders_for(conn, chunk.len(), 10)
        );
        let values: Vec<V> = chunk
            .iter()
            .flat_map(|m| {
                [
                    V::T(m.message_id.clone()),
                    V::T(m.template.clone()),
                    V::T(m.language.clone()),
                    V::T(m.mail_from.clone()),
                    V::T(m.rcpt_to.join("\n")),
                    V::T(m.subject.clone()),
                    V::T(m.raw.clone()),
                    V::from("queued"),
                    V::I(0),
                    V::I(now),
                ]
            })
            .collect();
        let ids: Vec<i64> = bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &values)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, _>>()?;
        let jobs: Vec<Vec<V>> = ids
            .iter()
            .map(|id| {
                vec![
                    V::from(DELIVER_JOB),
                    V::T(serde_json::json!({ "outbox_id": id }).to_string()),
                    V::T(format!("{DELIVER_JOB}:{id}")),
                    V::from("queued"),
                    V::I(0),
                    V::I(10),
                    V::I(now),
                    V::I(now),
                    V::I(now),
                ]
            })
            .collect();
        crate::billing::insert_rows(
            conn,
            "jobs",
            &["kind", "payload", "idempotency_key", "state", "attempts", "max_attempts", "run_at", "created_at", "updated_at"],
            &jobs,
        )
        .await?;
    }
    Ok(())
}

const MAIL_COLUMNS: &str =
    "id, message_id, template, language, mail_from, rcpt_to, subject, raw, state, attempts, last_error, created_at, sent_at";

fn mail_from_row(row: &sqlx::any::AnyRow) -> Result<StoredMail, StoreError> {
    let rcpt: String = row.try_get("rcpt_to")?;
    Ok(StoredMail {
        id: row.try_get("id")?,
        message_id: row.try_get("message_id")?,
        template: row.try_get("template")?,
        language: row.try_get("language")?,
        mail_from: row.try_get("mail_from")?,
        rcpt_to: rcpt.lines().map(str::to_string).collect(),
        subject: row.try_get("subject")?,
        raw: row.try_get("raw")?,
        state: row.try_get("state")?,
        attempts: row.try_get::<i64, _>("attempts")?,
        last_error: row.try_get("last_error")?,
        created_at: from_micros(row.try_get("created_at")?),
        sent_at: row.try_get::<Option<i64>, _>("sent_at")?.map(from_micros),
    })
}

impl Store {
    pub async fn mail(&self, id: i64) -> Result<Option<StoredMail>, StoreError> {
        let sql = format!("SELECT {MAIL_COLUMNS} FROM outbox WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *self.acquire().await?).await?;
        row.as_ref().map(mail_from_row).transpose()
    }

    /// Newest first.
    pub async fn mails(&self, limit: i64) -> Result<Vec<StoredMail>, StoreError> {
        let sql = format!("SELECT {MAIL_COLUMNS} FROM outbox ORDER BY id DESC LIMIT CAST($1 AS BIGINT)");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(limit).fetch_all(&mut *self.acquire().await?).await?;
        rows.iter().map(mail_from_row).collect()
    }
}

/// Records a delivery attempt on `conn`: `Ok(())` marks the mail sent; an error is kept for
/// staff, and `final_failure` marks the mail failed for good.
pub async fn record_delivery(conn: &mut Conn, id: i64, outcome: Result<(), &str>, final_failure: bool) -> Result<(), StoreError> {
    let now = now_micros();
    match outcome {
        Ok(()) => {
            sqlx::query("UPDATE outbox SET state = 'sent', sent_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2")
                .bind(now)
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
        Err(error) => {
            sqlx::query("UPDATE outbox SET state = $1, attempts = attempts + 1, last_error = $2 WHERE id = $3")
                .bind(if final_failure { "failed" } else { "queued" })
                .bind(error)
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}
