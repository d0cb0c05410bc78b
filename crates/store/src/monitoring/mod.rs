//! Monitors: their configuration, the claim that gives each slot to one node, and their state.
//!
//! - this file: monitors written from a `Spec` and read back; `claim` (the due monitors of a
//!   node: their next slot moved forward in the same statement, so a slot is checked once across
//!   nodes, `FOR UPDATE SKIP LOCKED` on PostgreSQL);
//! - `results.rs`: a batch of checks written at once — raw results, roll-ups added into their
//!   hour, day and month, each monitor's new state;
//! - `incidents.rs`, `maintenance.rs` (windows and the SLA per plan), `reports.rs` (the month per
//!   monitor, cards with monitored services, reports sent and credits given once).

pub mod incidents;
pub mod maintenance;
pub mod reports;
pub mod results;

use loket_domain::monitoring::state::{Health, MonitorState};
use loket_domain::monitoring::{Kind, Spec};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::Backend;
use crate::time::now_micros;
use crate::{Conn, StoreError};

/// A monitor as stored.
#[derive(Debug, Clone)]
pub struct Monitor {
    pub id: i64,
    pub spec: Spec,
    pub customer_id: Option<i64>,
    pub state: MonitorState,
    pub next_ms: i64,
    pub last_latency_ms: Option<i64>,
    pub last_detail: Option<String>,
    pub cert_not_after: Option<i64>,
    pub incident_id: Option<i64>,
}

const COLUMNS: &str = "id, code, name, kind, target, interval_secs, timeout_secs, keyword, cert_days, subscription_id, customer_id, \
     public, notify_customer, active, next_ms, health, last_ms, failed_since_ms, last_latency_ms, last_detail, cert_not_after, incident_id";

fn monitor(r: &AnyRow) -> Result<Monitor, StoreError> {
    let kind: String = r.try_get("kind")?;
    let health: String = r.try_get("health")?;
    Ok(Monitor {
        id: r.try_get("id")?,
        spec: Spec {
            code: r.try_get("code")?,
            name: r.try_get("name")?,
            kind: Kind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("monitor kind `{kind}`")))?,
            target: r.try_get("target")?,
            interval_secs: r.try_get("interval_secs")?,
            timeout_secs: r.try_get("timeout_secs")?,
            keyword: r.try_get("keyword")?,
            cert_days: r.try_get("cert_days")?,
            subscription: r.try_get("subscription_id")?,
            public: r.try_get::<i64, _>("public")? != 0,
            notify_customer: r.try_get::<i64, _>("notify_customer")? != 0,
            active: r.try_get::<i64, _>("active")? != 0,
        },
        customer_id: r.try_get("customer_id")?,
        state: MonitorState {
            health: Health::parse(&health).unwrap_or(Health::Unknown),
            last_at: r.try_get("last_ms")?,
            failed_since: r.try_get("failed_since_ms")?,
        },
        next_ms: r.try_get("next_ms")?,
        last_latency_ms: r.try_get("last_latency_ms")?,
        last_detail: r.try_get("last_detail")?,
        cert_not_after: r.try_get("cert_not_after")?,
        incident_id: r.try_get("incident_id")?,
    })
}

/// Writes `spec` as monitor `spec.code`: new, or its configuration changed (its state and
/// history kept). `customer_id` is the card of `spec.subscription`. Returns its id and whether
/// it is new.
pub async fn put(conn: &mut Conn, spec: &Spec, customer_id: Option<i64>, phase_ms: i64, next_ms: i64) -> Result<(i64, bool), StoreError> {
    let now = now_micros();
    let existing: Option<(i64, i64)> =
        sqlx::query_as("SELECT id, interval_secs FROM monitors WHERE code = $1").bind(&spec.code).fetch_optional(&mut *conn).await?;
    let q = match existing {
        Some((id, interval)) => {
            let q = sqlx::query(
                "UPDATE monitors SET name = $1, kind = $2, target = $3, interval_secs = $4, timeout_secs = $5, keyword = $6, \
                 cert_days = $7, subscription_id = $8, customer_id = $9, public = $10, notify_customer = $11, active = $12, \
                 phase_ms = $13, next_ms = CASE WHEN $14 = 1 THEN $15 ELSE next_ms END, updated_at = $16 WHERE id = $17",
            );
            let changed = i64::from(interval != spec.interval_secs);
            bind_spec(q, spec, customer_id).bind(phase_ms).bind(changed).bind(next_ms).bind(now).bind(id).execute(&mut *conn).await?;
            return Ok((id, false));
        }
        None => sqlx::query(
            "INSERT INTO monitors (name, kind, target, interval_secs, timeout_secs, keyword, cert_days, subscription_id, customer_id, \
             public, notify_customer, active, phase_ms, next_ms, code, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) RETURNING id",
        ),
    };
    let id: i64 =
        bind_spec(q, spec, customer_id).bind(phase_ms).bind(next_ms).bind(&spec.code).bind(now).fetch_one(&mut *conn).await?.try_get(0)?;
    Ok((id, true))
}

fn bind_spec<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    spec: &'q Spec,
    customer_id: Option<i64>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    q.bind(&spec.name)
        .bind(spec.kind.name())
        .bind(&spec.target)
        .bind(spec.interval_secs)
        .bind(spec.timeout_secs)
        .bind(spec.keyword.as_deref())
        .bind(spec.cert_days)
        .bind(spec.subscription)
        .bind(customer_id)
        .bind(i64::from(spec.public))
        .bind(i64::from(spec.notify_customer))
        .bind(i64::from(spec.active))
}

pub async fn by_code(conn: &mut Conn, code: &str) -> Result<Option<Monitor>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM monitors WHERE code = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(code).fetch_optional(&mut *conn).await?.as_ref().map(monitor).transpose()
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<Monitor>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM monitors WHERE id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?.as_ref().map(monitor).transpose()
}

/// Several monitors by id (for a batch of results), in no particular order.
pub async fn many(conn: &mut Conn, ids: &[i64]) -> Result<Vec<Monitor>, StoreError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let sql = format!("SELECT {COLUMNS} FROM monitors WHERE id IN ({})", crate::billing::in_list(1, chunk.len()));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(*id);
        }
        for r in q.fetch_all(&mut *conn).await? {
            out.push(monitor(&r)?);
        }
    }
    Ok(out)
}

/// Which monitors a list shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub customer_id: Option<i64>,
    pub public_only: bool,
    /// Only those not up (down, suspect, unknown).
    pub trouble_only: bool,
    /// Codes after this one (keyset page).
    pub after: Option<String>,
    pub limit: i64,
}

/// Monitors by code, filtered; served by the unique code index (or the customer's or the
/// public partial index).
pub async fn list(conn: &mut Conn, f: &Filter) -> Result<Vec<Monitor>, StoreError> {
    let mut sql = format!("SELECT {COLUMNS} FROM monitors WHERE 1 = 1");
    let mut n = 0;
    let mut next = || {
        n += 1;
        n
    };
    let mut texts: Vec<String> = Vec::new();
    let mut ints: Vec<i64> = Vec::new();
    let mut order: Vec<bool> = Vec::new(); // true: text
    if let Some(c) = f.customer_id {
        sql.push_str(&format!(" AND customer_id = ${}", next()));
        ints.push(c);
        order.push(false);
    }
    if f.public_only {
        sql.push_str(" AND public = 1");
    }
    if f.trouble_only {
        sql.push_str(" AND health <> 'up' AND active = 1");
    }
    if let Some(a) = &f.after {
        sql.push_str(&format!(" AND code > ${}", next()));
        texts.push(a.clone());
        order.push(true);
    }
    sql.push_str(&format!(" ORDER BY code LIMIT CAST(${} AS BIGINT)", next()));
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    let (mut ti, mut ii) = (texts.into_iter(), ints.into_iter());
    for is_text in order {
        q = if is_text { q.bind(ti.next()) } else { q.bind(ii.next()) };
    }
    q = q.bind(f.limit.clamp(1, 1000));
    q.fetch_all(&mut *conn).await?.iter().map(monitor).collect()
}

/// How many monitors are in each health (active ones), for the home page and the metrics.
pub async fn health_counts(conn: &mut Conn, customer_id: Option<i64>) -> Result<Vec<(String, i64)>, StoreError> {
    let rows: Vec<(String, i64)> = match customer_id {
        Some(c) => {
            sqlx::query_as("SELECT health, COUNT(*) FROM monitors WHERE customer_id = $1 AND active = 1 GROUP BY health")
                .bind(c)
                .fetch_all(&mut *conn)
                .await?
        }
        None => sqlx::query_as("SELECT health, COUNT(*) FROM monitors WHERE active = 1 GROUP BY health").fetch_all(&mut *conn).await?,
    };
    Ok(rows)
}

/// A slot a node claimed.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub spec: Spec,
    /// When it was due (ms): the check's lateness is measured from here.
    pub slot_ms: i64,
}

/// Claims up to `limit` monitors due at `now_ms` for this node: each one's next slot moves to
/// the first after `now_ms` in the same statement, so no other node checks this slot.
pub async fn claim(conn: &mut Conn, backend: Backend, now_ms: i64, limit: i64) -> Result<Vec<Claimed>, StoreError> {
    let lock = match backend {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE monitors SET slot_ms = next_ms, \
         next_ms = phase_ms + (($1 - phase_ms) / (interval_secs * 1000) + 1) * (interval_secs * 1000) \
         WHERE id IN (SELECT id FROM monitors WHERE active = 1 AND next_ms <= $1 ORDER BY next_ms LIMIT CAST($2 AS BIGINT){lock}) \
         RETURNING {COLUMNS}, slot_ms"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now_ms).bind(limit).fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            let m = monitor(r)?;
            Ok(Claimed { id: m.id, spec: m.spec, slot_ms: r.try_get("slot_ms")? })
        })
        .collect()
}

/// The earliest next slot of an active monitor (how long a node may sleep).
pub async fn next_due(conn: &mut Conn) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar("SELECT MIN(next_ms) FROM monitors WHERE active = 1").fetch_one(&mut *conn).await?)
}

/// Monitors of subscription `id` (a service's page).
pub async fn of_subscription(conn: &mut Conn, id: i64) -> Result<Vec<Monitor>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM monitors WHERE subscription_id = $1 ORDER BY code");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_all(&mut *conn).await?.iter().map(monitor).collect()
}

/// The card of subscription `id`, and its plan's code.
pub async fn subscription_card(conn: &mut Conn, id: i64) -> Result<Option<(i64, String)>, StoreError> {
    Ok(sqlx::query_as("SELECT s.customer_id, p.code FROM subscriptions s JOIN plans p ON p.id = s.plan_id WHERE s.id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?)
}

/// What `/metrics` says of one monitor.
#[derive(Debug, Clone)]
pub struct Sample {
    pub code: String,
    pub health: Health,
    pub last_latency_ms: Option<i64>,
    /// Unix seconds of the certificate's expiry, when a check saw one.
    pub cert_not_after: Option<i64>,
}

/// Every active monitor's state in one statement, by code (the scrape of `/metrics`).
pub async fn samples(conn: &mut Conn) -> Result<Vec<Sample>, StoreError> {
    let rows: Vec<(String, String, Option<i64>, Option<i64>)> =
        sqlx::query_as("SELECT code, health, last_latency_ms, cert_not_after FROM monitors WHERE active = 1 ORDER BY code")
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(code, health, last_latency_ms, cert_not_after)| Sample {
            code,
            health: Health::parse(&health).unwrap_or(Health::Unknown),
            last_latency_ms,
            cert_not_after,
        })
        .collect())
}
