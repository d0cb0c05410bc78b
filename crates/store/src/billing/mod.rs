//! Billing storage: the catalog (settings, terms, products, plans), subscriptions, documents
//! (invoices, credit notes, pro formas), payments and the credit ledger, dunning steps and
//! notifications. The rules are in `loket_domain::billing`; the orchestration (billing run,
//! payments, dunning) in the `loket-app` crate, which calls these functions inside its
//! transactions.

pub mod bank;
pub mod booking;
pub mod bulk;
pub mod catalog;
pub mod documents;
pub mod dunning;
pub mod files;
pub mod history;
pub mod items;
pub mod journal;
pub mod lists;
pub mod online;
pub mod payments;
pub mod sepa;
pub mod subscriptions;
pub mod transmissions;

use jiff::civil::Date;

use crate::read::Columns;
use crate::{Backend, Conn, StoreError};

/// Serialises everything that issues documents (billing runs on several nodes, a payment that
/// turns a pro forma into an invoice, a credit note): held until the transaction ends. On
/// SQLite the write transaction (`BEGIN IMMEDIATE`) already is this lock.
pub async fn lock_issuing(conn: &mut Conn, backend: Backend) -> Result<(), StoreError> {
    if backend == Backend::Postgres {
        sqlx::query("SELECT CAST(pg_advisory_xact_lock(7405119) AS TEXT)").execute(&mut *conn).await?;
    }
    Ok(())
}

pub(crate) fn date(row: &dyn Columns, col: &str) -> Result<Date, StoreError> {
    let s = row.text(col)?.ok_or_else(|| StoreError::Corrupt(format!("{col}: no date")))?;
    parse_date(s).ok_or_else(|| StoreError::Corrupt(format!("{col}: `{}` is not a date", loket_domain::input::sample(s))))
}

pub(crate) fn opt_date(row: &dyn Columns, col: &str) -> Result<Option<Date>, StoreError> {
    let s = row.text(col)?;
    s.map(|s| parse_date(s).ok_or_else(|| StoreError::Corrupt(format!("{col}: `{}` is not a date", loket_domain::input::sample(s)))))
        .transpose()
}

/// A stored date, `YYYY-MM-DD`: read directly (the general ISO 8601 parser costs the billing
/// run a noticeable share of its time over a million rows).
pub(crate) fn parse_date(s: &str) -> Option<Date> {
    parse_date_bytes(s.as_bytes())
}

/// [`parse_date`] of bytes: a stored date is ASCII, so its bytes are read without checking
/// them as UTF-8 first (a year's usage page reads 365 of them).
pub(crate) fn parse_date_bytes(b: &[u8]) -> Option<Date> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return std::str::from_utf8(b).ok()?.parse().ok();
    }
    let num = |r: std::ops::Range<usize>| -> Option<i32> {
        b[r].iter().try_fold(0i32, |acc, c| c.is_ascii_digit().then(|| acc * 10 + i32::from(c - b'0')))
    };
    Date::new(i16::try_from(num(0..4)?).ok()?, i8::try_from(num(5..7)?).ok()?, i8::try_from(num(8..10)?).ok()?).ok()
}

/// A date as stored, `YYYY-MM-DD` (for the years Loket accepts).
pub(crate) fn format_date(d: Date) -> String {
    if !(0..=9999).contains(&d.year()) {
        return d.to_string();
    }
    let mut out = String::with_capacity(10);
    let (y, m, day) = (d.year() as u16, d.month() as u8, d.day() as u8);
    for digit in [y / 1000, y / 100 % 10, y / 10 % 10, y % 10] {
        out.push(char::from(b'0' + digit as u8));
    }
    out.push('-');
    out.push(char::from(b'0' + m / 10));
    out.push(char::from(b'0' + m % 10));
    out.push('-');
    out.push(char::from(b'0' + day / 10));
    out.push(char::from(b'0' + day % 10));
    out
}

pub(crate) fn flag(row: &dyn Columns, col: &str) -> Result<bool, StoreError> {
    Ok(row.try_get::<i64, _>(col)? != 0)
}

/// A value for a multi-row statement.
#[derive(Debug, Clone)]
pub enum V {
    I(i64),
    OI(Option<i64>),
    T(String),
    OT(Option<String>),
}

impl<'a> From<&'a V> for crate::read::Arg<'a> {
    fn from(v: &'a V) -> Self {
        use crate::read::Arg;
        match v {
            V::I(i) => Arg::Int(*i),
            V::OI(i) => Arg::OptInt(*i),
            V::T(s) => Arg::Text(s),
            V::OT(s) => Arg::OptText(s.as_deref()),
        }
    }
}

impl From<i64> for V {
    fn from(v: i64) -> V {
        V::I(v)
    }
}
impl From<Option<i64>> for V {
    fn from(v: Option<i64>) -> V {
        V::OI(v)
    }
}
impl From<String> for V {
    fn from(v: String) -> V {
        V::T(v)
    }
}
impl From<&str> for V {
    fn from(v: &str) -> V {
        V::T(v.to_string())
    }
}
impl From<Option<String>> for V {
    fn from(v: Option<String>) -> V {
        V::OT(v)
    }
}
impl From<Date> for V {
    fn from(v: Date) -> V {
        V::T(format_date(v))
    }
}
impl From<Option<Date>> for V {
    fn from(v: Option<Date>) -> V {
        V::OT(v.map(format_date))
    }
}

pub(crate) fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    values: &'q [V],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    for v in values {
        q = match v {
            V::I(i) => q.bind(*i),
            V::OI(i) => q.bind(*i),
            V::T(s) => q.bind(s.as_str()),
            V::OT(s) => q.bind(s.as_deref()),
        };
    }
    q
}

/// `(…), (…)` placeholders for `rows` rows of `cols` values: `$1, $2, …` on PostgreSQL, `?` on
/// SQLite, whose lookup of numbered parameters takes time in proportion to their number (so a
/// statement of n numbered parameters costs n² — anonymous ones bind in order at no cost).
pub(crate) fn placeholders_for(conn: &Conn, rows: usize, cols: usize) -> String {
    if conn.backend_name() == "SQLite" {
        let row = format!("({})", vec!["?"; cols].join(", "));
        return vec![row; rows].join(", ");
    }
    placeholders(rows, cols)
}

/// `(…), (…)` placeholders for `rows` rows of `cols` values, numbered from `$1`.
fn placeholders(rows: usize, cols: usize) -> String {
    let mut s = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        if r > 0 {
            s.push_str(", ");
        }
        s.push('(');
        for c in 0..cols {
            if c > 0 {
                s.push_str(", ");
            }
            s.push('$');
            s.push_str(&(r * cols + c + 1).to_string());
        }
        s.push(')');
    }
    s
}

/// Rows per statement: about 5,000 parameters, well below the databases' limits.
pub(crate) fn chunk_rows(cols: usize) -> usize {
    (5_000 / cols.max(1)).clamp(1, 1000)
}

/// Inserts `rows` (each `cols.len()` values) with as few statements as possible.
pub(crate) async fn insert_rows(conn: &mut Conn, table: &str, cols: &[&str], rows: &[Vec<V>]) -> Result<(), StoreError> {
    for chunk in rows.chunks(chunk_rows(cols.len())) {
        let sql = format!("INSERT INTO {table} ({}) VALUES {}", cols.join(", "), placeholders_for(conn, chunk.len(), cols.len()));
        let flat: Vec<V> = chunk.iter().flat_map(|r| r.iter().cloned()).collect();
        bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &flat).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Updates many rows of `table` by id at once: `set` uses `v.column2`, `v.column3`, … for the
/// values after the id in each row.
pub(crate) async fn update_rows(conn: &mut Conn, table: &str, set: &str, rows: &[Vec<V>]) -> Result<u64, StoreError> {
    let Some(first) = rows.first() else { return Ok(0) };
    let cols = first.len();
    let mut n = 0;
    for chunk in rows.chunks(chunk_rows(cols)) {
        let sql = format!(
            "UPDATE {table} SET {set} FROM (VALUES {}) AS v WHERE {table}.id = v.column1",
            placeholders_for(conn, chunk.len(), cols)
        );
        let flat: Vec<V> = chunk.iter().flat_map(|r| r.iter().cloned()).collect();
        n += bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &flat).execute(&mut *conn).await?.rows_affected();
    }
    Ok(n)
}

/// `$from, $from+1, …` for an `IN (…)` list of `n` values.
pub(crate) fn in_list(from: usize, n: usize) -> String {
    (from..from + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_and_write_as_stored() {
        for d in [
            jiff::civil::date(2026, 11, 30),
            jiff::civil::date(2000, 1, 1),
            jiff::civil::date(2099, 12, 31),
            jiff::civil::date(2024, 2, 29),
        ] {
            assert_eq!(format_date(d), d.to_string());
            assert_eq!(parse_date(&format_date(d)), Some(d));
        }
        for bad in ["2026-02-30", "2026-13-01", "20x6-01-01", "not a date", ""] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
