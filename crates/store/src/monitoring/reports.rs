//! A month per monitor (one read of its month roll-up), the cards that have monitored services,
//! and the reports and credits of a month, each given once.

use loket_domain::monitoring::rollup::Tally;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::time::now_micros;
use crate::{Conn, StoreError};

/// One monitor's month.
#[derive(Debug, Clone)]
pub struct MonitorMonth {
    pub monitor_id: i64,
    pub code: String,
    pub name: String,
    pub subscription_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub tally: Tally,
}

const SELECT: &str = "SELECT m.id, m.code, m.name, m.subscription_id, m.customer_id, \
     COALESCE(mm.up_ms, 0), COALESCE(mm.down_ms, 0), COALESCE(mm.maintenance_ms, 0), COALESCE(mm.checks, 0), COALESCE(mm.failures, 0), \
     COALESCE(mm.latency_sum_ms, 0), COALESCE(mm.latency_max_ms, 0) \
     FROM monitors m LEFT JOIN monitor_months mm ON mm.monitor_id = m.id AND mm.month = $1";

fn row(r: &AnyRow) -> Result<MonitorMonth, StoreError> {
    Ok(MonitorMonth {
        monitor_id: r.try_get(0)?,
        code: r.try_get(1)?,
        name: r.try_get(2)?,
        subscription_id: r.try_get(3)?,
        customer_id: r.try_get(4)?,
        tally: Tally {
            up_ms: r.try_get(5)?,
            down_ms: r.try_get(6)?,
            maintenance_ms: r.try_get(7)?,
            checks: r.try_get(8)?,
            failures: r.try_get(9)?,
            latency_sum_ms: r.try_get(10)?,
            latency_max_ms: r.try_get(11)?,
        },
    })
}

/// The month (`YYYY-MM`) of every monitor of card `customer_id`.
pub async fn of_card(conn: &mut Conn, customer_id: i64, month: &str) -> Result<Vec<MonitorMonth>, StoreError> {
    let sql = format!("{SELECT} WHERE m.customer_id = $2 ORDER BY m.code");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(month).bind(customer_id).fetch_all(&mut *conn).await?.iter().map(row).collect()
}

/// The month of the provider's own monitors (no card).
pub async fn of_provider(conn: &mut Conn, month: &str) -> Result<Vec<MonitorMonth>, StoreError> {
    let sql = format!("{SELECT} WHERE m.customer_id IS NULL ORDER BY m.code LIMIT 1000");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(month).fetch_all(&mut *conn).await?.iter().map(row).collect()
}

/// The month of every monitor, in pages by id.
pub async fn all(conn: &mut Conn, month: &str, after_id: i64, limit: i64) -> Result<Vec<MonitorMonth>, StoreError> {
    let sql = format!("{SELECT} WHERE m.id > $2 ORDER BY m.id LIMIT CAST($3 AS BIGINT)");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(month).bind(after_id).bind(limit).fetch_all(&mut *conn).await?.iter().map(row).collect()
}

/// Cards with at least one monitor, after `after`, in order.
pub async fn cards(conn: &mut Conn, after: i64, limit: i64) -> Result<Vec<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT customer_id FROM monitors WHERE customer_id IS NOT NULL AND customer_id > $1 ORDER BY customer_id LIMIT CAST($2 AS BIGINT)",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}

/// Records card `customer_id`'s report for `month` as sent; false when it already was.
pub async fn claim_report(conn: &mut Conn, customer_id: i64, month: &str) -> Result<bool, StoreError> {
    let n = sqlx::query("INSERT INTO availability_reports (customer_id, month, sent_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(customer_id)
        .bind(month)
        .bind(now_micros())
        .execute(&mut *conn)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// Records a credit for subscription `id`'s `month`; false when one already was.
pub async fn claim_credit(conn: &mut Conn, subscription_id: i64, month: &str, amount: i64) -> Result<bool, StoreError> {
    let n = sqlx::query(
        "INSERT INTO availability_credits (subscription_id, month, amount, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(subscription_id)
    .bind(month)
    .bind(amount)
    .bind(now_micros())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

pub async fn set_credit_item(conn: &mut Conn, subscription_id: i64, month: &str, item_id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE availability_credits SET item_id = $1 WHERE subscription_id = $2 AND month = $3")
        .bind(item_id)
        .bind(subscription_id)
        .bind(month)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The credit given for subscription `id`'s `month`, if any.
pub async fn credit(conn: &mut Conn, subscription_id: i64, month: &str) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar("SELECT amount FROM availability_credits WHERE subscription_id = $1 AND month = $2")
        .bind(subscription_id)
        .bind(month)
        .fetch_optional(&mut *conn)
        .await?)
}

/// Rows of monitoring's tables — results, hours, days, months, incidents — for the benchmark.
pub async fn row_counts(conn: &mut Conn) -> Result<[i64; 5], StoreError> {
    let mut out = [0; 5];
    for (i, table) in ["monitor_results", "monitor_hours", "monitor_days", "monitor_months", "incidents"].iter().enumerate() {
        out[i] = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}"))).fetch_one(&mut *conn).await?;
    }
    Ok(out)
}

/// The bytes `table` takes with its indexes (SQLite through `dbstat`, PostgreSQL
/// `pg_total_relation_size`), for the benchmark; `None` where the database cannot say.
pub async fn table_bytes(conn: &mut Conn, backend: crate::db::Backend, table: &str) -> Option<i64> {
    let sql = match backend {
        crate::db::Backend::Sqlite => {
            "SELECT CAST(SUM(pgsize) AS BIGINT) FROM dbstat WHERE name = $1 OR name IN (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = $1)"
        }
        crate::db::Backend::Postgres => "SELECT CAST(pg_total_relation_size(CAST($1 AS regclass)) AS BIGINT)",
    };
    sqlx::query_scalar::<_, Option<i64>>(sql).bind(table).fetch_one(&mut *conn).await.ok().flatten()
}

/// Rewrites `table` compactly on PostgreSQL (`VACUUM FULL`), as the hours past their last update
/// are once autovacuum has been; nothing on SQLite, whose `WITHOUT ROWID` rows change in place.
/// For the benchmark's figures only.
pub async fn compact(conn: &mut Conn, backend: crate::db::Backend, table: &str) -> Result<(), StoreError> {
    if backend == crate::db::Backend::Postgres && ["monitor_results", "monitor_hours", "monitor_days", "monitor_months"].contains(&table) {
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("VACUUM FULL {table}"))).execute(&mut *conn).await?;
    }
    Ok(())
}
