//! Durable jobs: a table that several `loket` nodes share.
//!
//! A job is *queued* until a worker leases it (*running*, with a lease that the worker keeps
//! extending while it works). It ends *done*, or goes back to *queued* with a backoff after a
//! failure, or becomes *dead* after its last attempt — a dead letter that staff can see and retry.
//! A worker that dies (SIGKILL, power loss) stops extending its lease; when the lease runs out any
//! node puts the job back in the queue. On PostgreSQL workers lease with `FOR UPDATE SKIP LOCKED`,
//! on SQLite the single writer lock serialises them; either way a job is leased by one worker at
//! a time, and a worker whose lease was taken over cannot mark the job done.
//!
//! Jobs must be idempotent (a crash after the work but before "done" repeats the attempt); a job
//! whose work is in this database can make it exactly-once by checking its own result first, as
//! mail delivery does with the outbox row.

mod worker;

use jiff::Timestamp;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

pub use worker::{BoxFuture, JobError, JobHandler, Registry, WorkerConfig, drain, run_worker};

use crate::time::{from_micros, now_micros, to_micros};
use crate::{Backend, Conn, Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    Queued,
    Running,
    Done,
    Dead,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Dead => "dead",
        }
    }

    pub fn parse(s: &str) -> Result<JobState, StoreError> {
        Ok(match s {
            "queued" => JobState::Queued,
            "running" => JobState::Running,
            "done" => JobState::Done,
            "dead" => JobState::Dead,
            other => return Err(StoreError::Invalid(format!("unknown job state `{other}`: use queued, running, done or dead"))),
        })
    }
}

/// A job to put in the queue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: String,
    pub payload: serde_json::Value,
    pub idempotency_key: Option<String>,
    pub run_at: Option<Timestamp>,
    pub max_attempts: u32,
}

impl NewJob {
    pub fn new(kind: impl Into<String>, payload: serde_json::Value) -> Self {
        NewJob { kind: kind.into(), payload, idempotency_key: None, run_at: None, max_attempts: 8 }
    }

    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    pub fn at(mut self, run_at: Timestamp) -> Self {
        self.run_at = Some(run_at);
        self
    }

    pub fn attempts(mut self, max: u32) -> Self {
        self.max_attempts = max.max(1);
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enqueued {
    New(i64),
    /// A job with the same idempotency key exists (queued, running, done or dead).
    Duplicate,
}

/// A job as a worker or staff sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: serde_json::Value,
    pub idempotency_key: Option<String>,
    pub state: JobState,
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_at: Timestamp,
    pub lease_owner: Option<String>,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub finished_at: Option<Timestamp>,
}

const JOB_COLUMNS: &str =
    "id, kind, payload, idempotency_key, state, attempts, max_attempts, run_at, lease_owner, last_error, created_at, finished_at";

fn job_from_row(row: &AnyRow) -> Result<Job, StoreError> {
    let payload: String = row.try_get("payload")?;
    Ok(Job {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        payload: serde_json::from_str(&payload).map_err(|e| StoreError::Corrupt(format!("job payload: {e}")))?,
        idempotency_key: row.try_get("idempotency_key")?,
        state: JobState::parse(&row.try_get::<String, _>("state")?)?,
        attempts: row.try_get::<i64, _>("attempts")?,
        max_attempts: row.try_get::<i64, _>("max_attempts")?,
        run_at: from_micros(row.try_get("run_at")?),
        lease_owner: row.try_get("lease_owner")?,
        last_error: row.try_get("last_error")?,
        created_at: from_micros(row.try_get("created_at")?),
        finished_at: row.try_get::<Option<i64>, _>("finished_at")?.map(from_micros),
    })
}

/// Puts a job in the queue on `conn` — inside the caller's transaction when the job must exist
/// if and only if the caller's change commits.
pub async fn enqueue(conn: &mut Conn, job: &NewJob) -> Result<Enqueued, StoreError> {
    let now = now_micros();
    let run_at = job.run_at.map(to_micros).unwrap_or(now);
    let row = sqlx::query(
        "INSERT INTO jobs (kind, payload, idempotency_key, state, attempts, max_attempts, run_at, created_at, updated_at) \
         VALUES ($1, $2, $3, 'queued', 0, $4, $5, $6, $6) \
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
    )
    .bind(&job.kind)
    .bind(job.payload.to_string())
    .bind(&job.idempotency_key)
    .bind(i64::from(job.max_attempts))
    .bind(run_at)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match row {
        Some(r) => Enqueued::New(r.try_get(0)?),
        None => Enqueued::Duplicate,
    })
}

/// Queues a job of `kind` unless one is already waiting (a job that is running may have missed
/// what the caller just did, so it does not count). For work that takes whatever is pending
/// when it runs, such as mailing notifications or sending e-invoices.
pub async fn enqueue_unless_queued(conn: &mut Conn, kind: &str, payload: serde_json::Value) -> Result<(), StoreError> {
    let queued = sqlx::query("SELECT id FROM jobs WHERE state = $1 AND kind = $2 LIMIT 1")
        .bind(JobState::Queued.as_str())
        .bind(kind)
        .fetch_optional(&mut *conn)
        .await?;
    if queued.is_none() {
        enqueue(conn, &NewJob::new(kind, payload)).await?;
    }
    Ok(())
}

/// A leased job, handed to a worker.
#[derive(Debug, Clone)]
pub struct Lease {
    pub id: i64,
    pub kind: String,
    pub payload: serde_json::Value,
    pub attempt: i64,
    pub max_attempts: i64,
    pub owner: String,
}

impl Store {
    pub async fn enqueue(&self, job: &NewJob) -> Result<Enqueued, StoreError> {
        let mut conn = self.acquire().await?;
        enqueue(&mut conn, job).await
    }

    /// Leases up to `limit` due jobs for `owner` until `now + lease`.
    pub async fn claim_jobs(&self, owner: &str, limit: i64, lease: std::time::Duration, now: Timestamp) -> Result<Vec<Lease>, StoreError> {
        let sql = match self.backend() {
            Backend::Postgres => {
                "UPDATE jobs SET state = 'running', lease_owner = $1, lease_until = $2, attempts = attempts + 1, updated_at = $3 \
                 WHERE id IN (SELECT id FROM jobs WHERE state = 'queued' AND run_at <= $3 ORDER BY run_at, id LIMIT CAST($4 AS BIGINT) FOR UPDATE SKIP LOCKED) \
                 RETURNING id, kind, payload, attempts, max_attempts"
            }
            // SQLite has one writer at a time: the statement is atomic by itself.
            Backend::Sqlite => {
                "UPDATE jobs SET state = 'running', lease_owner = $1, lease_until = $2, attempts = attempts + 1, updated_at = $3 \
                 WHERE id IN (SELECT id FROM jobs WHERE state = 'queued' AND run_at <= $3 ORDER BY run_at, id LIMIT CAST($4 AS BIGINT)) \
                 RETURNING id, kind, payload, attempts, max_attempts"
            }
        };
        let now_us = to_micros(now);
        let until = now_us + lease.as_micros() as i64;
        let rows = sqlx::query(sql).bind(owner).bind(until).bind(now_us).bind(limit).fetch_all(&mut *self.acquire().await?).await?;
        let mut leases = rows
            .iter()
            .map(|row| {
                let payload: String = row.try_get("payload")?;
                Ok(Lease {
                    id: row.try_get("id")?,
                    kind: row.try_get("kind")?,
                    payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
                    attempt: row.try_get::<i64, _>("attempts")?,
                    max_attempts: row.try_get::<i64, _>("max_attempts")?,
                    owner: owner.to_string(),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        leases.sort_by_key(|l| l.id);
        Ok(leases)
    }

    /// Keeps all of `owner`'s leases alive while their work goes on (one statement per node).
    pub async fn extend_leases(&self, owner: &str, until: Timestamp) -> Result<u64, StoreError> {
        let done = sqlx::query("UPDATE jobs SET lease_until = $1, updated_at = $2 WHERE lease_owner = $3 AND state = 'running'")
            .bind(to_micros(until))
            .bind(now_micros())
            .bind(owner)
            .execute(&mut *self.acquire().await?)
            .await?;
        Ok(done.rows_affected())
    }

    /// Marks leased jobs done, one statement per hundred. A job counts only if its lease is
    /// still this one (same owner, same attempt): a job taken over after its lease expired is
    /// left to its new owner. Returns how many were marked.
    pub async fn complete_jobs(&self, leases: &[Lease]) -> Result<u64, StoreError> {
        let mut marked = 0;
        for chunk in leases.chunks(100) {
            let Some(first) = chunk.first() else { continue };
            // Only placeholders are formatted into the statement; every value is bound.
            let mut sql = String::from(
                "UPDATE jobs SET state = 'done', finished_at = $1, updated_at = $1, lease_owner = NULL, lease_until = NULL, last_error = NULL \
                 WHERE lease_owner = $2 AND state = 'running' AND (",
            );
            for k in 0..chunk.len() {
                let (a, b) = (3 + 2 * k, 4 + 2 * k);
                sql.push_str(&format!("{}(id = ${a} AND attempts = ${b})", if k == 0 { "" } else { " OR " }));
            }
            sql.push(')');
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now_micros()).bind(&first.owner);
            for l in chunk {
                q = q.bind(l.id).bind(l.attempt);
            }
            marked += q.execute(&mut *self.acquire().await?).await?.rows_affected();
        }
        Ok(marked)
    }

    /// Records a failed attempt: back to the queue at `retry_at`, or dead when `retry_at` is
    /// `None` or the attempts are used up.
    pub async fn fail_job(&self, lease: &Lease, error: &str, retry_at: Option<Timestamp>) -> Result<JobState, StoreError> {
        let now = now_micros();
        let state = match retry_at {
            Some(_) if lease.attempt < lease.max_attempts => JobState::Queued,
            _ => JobState::Dead,
        };
        let error: String = error.chars().take(4000).collect();
        sqlx::query(
            "UPDATE jobs SET state = $1, run_at = $2, last_error = $3, updated_at = $4, lease_owner = NULL, lease_until = NULL \
             WHERE id = $5 AND lease_owner = $6 AND state = 'running'",
        )
        .bind(state.as_str())
        .bind(retry_at.map(to_micros).unwrap_or(now))
        .bind(error)
        .bind(now)
        .bind(lease.id)
        .bind(&lease.owner)
        .execute(&mut *self.acquire().await?)
        .await?;
        Ok(state)
    }

    /// Puts jobs whose lease ran out (their worker died) back in the queue, or buries them if
    /// that was their last attempt. Returns how many were recovered.
    pub async fn recover_expired_leases(&self, now: Timestamp) -> Result<u64, StoreError> {
        let now_us = to_micros(now);
        let requeued = sqlx::query(
            "UPDATE jobs SET state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END, \
             last_error = 'lease expired: the worker ' || COALESCE(lease_owner, '?') || ' stopped during attempt ' || CAST(attempts AS TEXT), \
             lease_owner = NULL, lease_until = NULL, run_at = $1, updated_at = $1 \
             WHERE state = 'running' AND lease_until < $1",
        )
        .bind(now_us)
        .execute(&mut *self.acquire().await?)
        .await?;
        Ok(requeued.rows_affected())
    }

    pub async fn job(&self, id: i64) -> Result<Option<Job>, StoreError> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *self.acquire().await?).await?;
        row.as_ref().map(job_from_row).transpose()
    }

    /// Newest first; `state` filters.
    pub async fn jobs(&self, state: Option<JobState>, limit: i64) -> Result<Vec<Job>, StoreError> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE ($1 = '' OR state = $1) ORDER BY id DESC LIMIT CAST($2 AS BIGINT)");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(state.map(JobState::as_str).unwrap_or(""))
            .bind(limit)
            .fetch_all(&mut *self.acquire().await?)
            .await?;
        rows.iter().map(job_from_row).collect()
    }

    /// Gives a dead job a fresh set of attempts. False if the job is not dead.
    pub async fn retry_dead_job(&self, id: i64) -> Result<bool, StoreError> {
        let now = now_micros();
        let done =
            sqlx::query("UPDATE jobs SET state = 'queued', attempts = 0, run_at = $1, updated_at = $1 WHERE id = $2 AND state = 'dead'")
                .bind(now)
                .bind(id)
                .execute(&mut *self.acquire().await?)
                .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Jobs per state, for `/metrics` and staff.
    pub async fn job_counts(&self) -> Result<JobCounts, StoreError> {
        let rows = sqlx::query("SELECT state, COUNT(*) FROM jobs WHERE state <> 'done' GROUP BY state")
            .fetch_all(&mut *self.acquire().await?)
            .await?;
        let mut counts = JobCounts::default();
        for row in rows {
            let n: i64 = row.try_get(1)?;
            match row.try_get::<String, _>(0)?.as_str() {
                "queued" => counts.queued = n,
                "running" => counts.running = n,
                "dead" => counts.dead = n,
                _ => {}
            }
        }
        Ok(counts)
    }
}

/// Removes finished jobs older than `before` on `conn` (their idempotency keys become free again).
pub async fn purge_done(conn: &mut Conn, before: Timestamp) -> Result<u64, StoreError> {
    let done =
        sqlx::query("DELETE FROM jobs WHERE state = 'done' AND finished_at < $1").bind(to_micros(before)).execute(&mut *conn).await?;
    Ok(done.rows_affected())
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct JobCounts {
    pub queued: i64,
    pub running: i64,
    pub dead: i64,
}
