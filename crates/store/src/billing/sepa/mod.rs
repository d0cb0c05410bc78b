//! SEPA direct debit: the mandates customers give or staff record (this module), and the files
//! of collections with each collection ([`debits`]). The rules (a mandate's fields, FRST or
//! RCUR, expiry, collection dates) are `loket_domain::billing::sepa`'s; the service layer calls
//! these inside its transactions.

pub mod debits;

use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{date, format_date, opt_date};
use crate::time::{from_micros, now_micros};
use crate::{Conn, StoreError};

/// Ids per `IN (…)` query.
const CHUNK: usize = 500;

/// A mandate as stored, with its customer's number and name.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Mandate {
    pub id: i64,
    pub customer_id: i64,
    pub customer_number: String,
    pub customer_name: String,
    pub reference: String,
    pub debtor_name: String,
    pub iban: String,
    pub bic: Option<String>,
    pub signed_on: Date,
    /// active | revoked | expired
    pub state: String,
    /// An amendment not yet told to the bank: the reference and the account of the last collection.
    pub original_reference: Option<String>,
    pub original_iban: Option<String>,
    pub last_collected_on: Option<Date>,
    /// customer | staff
    pub given_by: String,
    pub given_by_user: Option<i64>,
    pub wording_version: String,
    pub wording_language: String,
    pub wording: String,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

const MANDATE: &str = "SELECT m.id, m.customer_id, c.number AS customer_number, c.legal_name AS customer_name, m.reference, m.debtor_name, \
                       m.iban, m.bic, m.signed_on, m.state, m.original_reference, m.original_iban, m.last_collected_on, m.given_by, \
                       m.given_by_user, m.wording_version, m.wording_language, m.wording, m.created_at, m.revoked_at \
                       FROM sepa_mandates m JOIN customers c ON c.id = m.customer_id";

fn mandate(r: &AnyRow) -> Result<Mandate, StoreError> {
    Ok(Mandate {
        id: r.try_get("id")?,
        customer_id: r.try_get("customer_id")?,
        customer_number: r.try_get("customer_number")?,
        customer_name: r.try_get("customer_name")?,
        reference: r.try_get("reference")?,
        debtor_name: r.try_get("debtor_name")?,
        iban: r.try_get("iban")?,
        bic: r.try_get("bic")?,
        signed_on: date(r, "signed_on")?,
        state: r.try_get("state")?,
        original_reference: r.try_get("original_reference")?,
        original_iban: r.try_get("original_iban")?,
        last_collected_on: opt_date(r, "last_collected_on")?,
        given_by: r.try_get("given_by")?,
        given_by_user: r.try_get("given_by_user")?,
        wording_version: r.try_get("wording_version")?,
        wording_language: r.try_get("wording_language")?,
        wording: r.try_get("wording")?,
        created_at: from_micros(r.try_get("created_at")?),
        revoked_at: r.try_get::<Option<i64>, _>("revoked_at")?.map(from_micros),
    })
}

async fn fetch(conn: &mut Conn, sql: String, binds: &[i64]) -> Result<Vec<Mandate>, StoreError> {
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for b in binds {
        q = q.bind(*b);
    }
    q.fetch_all(&mut *conn).await?.iter().map(mandate).collect()
}

/// The customer's active mandate, if any (there is at most one).
pub async fn active_mandate(conn: &mut Conn, customer_id: i64) -> Result<Option<Mandate>, StoreError> {
    Ok(fetch(conn, format!("{MANDATE} WHERE m.customer_id = $1 AND m.state = 'active'"), &[customer_id]).await?.pop())
}

/// The customer's mandates, newest first.
pub async fn mandates_of(conn: &mut Conn, customer_id: i64) -> Result<Vec<Mandate>, StoreError> {
    fetch(conn, format!("{MANDATE} WHERE m.customer_id = $1 ORDER BY m.id DESC"), &[customer_id]).await
}

pub async fn mandate_by_id(conn: &mut Conn, id: i64) -> Result<Option<Mandate>, StoreError> {
    Ok(fetch(conn, format!("{MANDATE} WHERE m.id = $1"), &[id]).await?.pop())
}

/// Whether a mandate has this reference already.
pub async fn reference_taken(conn: &mut Conn, reference: &str) -> Result<bool, StoreError> {
    Ok(sqlx::query("SELECT 1 FROM sepa_mandates WHERE reference = $1").bind(reference).fetch_optional(&mut *conn).await?.is_some())
}

/// How many mandates the customer has had (for the next one's reference).
pub async fn count_of(conn: &mut Conn, customer_id: i64) -> Result<i64, StoreError> {
    Ok(sqlx::query("SELECT COUNT(*) FROM sepa_mandates WHERE customer_id = $1")
        .bind(customer_id)
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?)
}

/// Mandates newest first, in `state` or all, after `before_id` (paging; 0 for the first page).
pub async fn mandates(conn: &mut Conn, state: Option<&str>, before_id: i64, limit: i64) -> Result<Vec<Mandate>, StoreError> {
    let before = if before_id > 0 { before_id } else { i64::MAX };
    let rows = match state {
        Some(s) => {
            let sql = format!("{MANDATE} WHERE m.state = $1 AND m.id < $2 ORDER BY m.id DESC LIMIT CAST($3 AS BIGINT)");
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(s).bind(before).bind(limit).fetch_all(&mut *conn).await?
        }
        None => {
            let sql = format!("{MANDATE} WHERE m.id < $1 ORDER BY m.id DESC LIMIT CAST($2 AS BIGINT)");
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(before).bind(limit).fetch_all(&mut *conn).await?
        }
    };
    rows.iter().map(mandate).collect()
}

/// Active mandates after `after_id`, oldest first (the daily expiry check, a page at a time).
pub async fn active_page(conn: &mut Conn, after_id: i64, limit: i64) -> Result<Vec<Mandate>, StoreError> {
    let sql = format!("{MANDATE} WHERE m.state = 'active' AND m.id > $1 ORDER BY m.id LIMIT CAST($2 AS BIGINT)");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(after_id).bind(limit).fetch_all(&mut *conn).await?;
    rows.iter().map(mandate).collect()
}

/// A mandate to record.
#[derive(Debug, Clone)]
pub struct NewMandate<'a> {
    pub customer_id: i64,
    pub reference: &'a str,
    pub debtor_name: &'a str,
    pub iban: &'a str,
    pub bic: Option<&'a str>,
    pub signed_on: Date,
    pub given_by: &'a str,
    pub given_by_user: Option<i64>,
    pub wording_version: &'a str,
    pub wording_language: &'a str,
    pub wording: &'a str,
}

pub async fn insert_mandate(conn: &mut Conn, m: &NewMandate<'_>) -> Result<i64, StoreError> {
    let now = now_micros();
    let row = sqlx::query(
        "INSERT INTO sepa_mandates (customer_id, reference, debtor_name, iban, bic, signed_on, state, given_by, given_by_user, \
         wording_version, wording_language, wording, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(m.customer_id)
    .bind(m.reference)
    .bind(m.debtor_name)
    .bind(m.iban)
    .bind(m.bic)
    .bind(format_date(m.signed_on))
    .bind(m.given_by)
    .bind(m.given_by_user)
    .bind(m.wording_version)
    .bind(m.wording_language)
    .bind(m.wording)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

/// The debtor moved account (or changed name): the new details, and the amendment to tell the
/// bank with the next collection (`None` for nothing to tell).
pub async fn amend_mandate(
    conn: &mut Conn,
    id: i64,
    debtor_name: &str,
    iban: &str,
    bic: Option<&str>,
    original_iban: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE sepa_mandates SET debtor_name = $1, iban = $2, bic = $3, original_iban = $4, updated_at = $5 WHERE id = $6")
        .bind(debtor_name)
        .bind(iban)
        .bind(bic)
        .bind(original_iban)
        .bind(now_micros())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Ends an active mandate (`revoked` or `expired`); false when it was not active any more.
pub async fn end_mandate(conn: &mut Conn, id: i64, state: &str) -> Result<bool, StoreError> {
    let now = now_micros();
    let done = sqlx::query("UPDATE sepa_mandates SET state = $1, revoked_at = $2, updated_at = $2 WHERE id = $3 AND state = 'active'")
        .bind(state)
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The mandates collected on in a file on `on`: their amendment is told, so forgotten.
pub async fn collected(conn: &mut Conn, ids: &[i64], on: Date) -> Result<(), StoreError> {
    let now = now_micros();
    for chunk in ids.chunks(CHUNK) {
        let marks: Vec<String> = (3..chunk.len() + 3).map(|i| format!("${i}")).collect();
        let sql = format!(
            "UPDATE sepa_mandates SET last_collected_on = $1, original_reference = NULL, original_iban = NULL, updated_at = $2 \
             WHERE id IN ({})",
            marks.join(", ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(format_date(on)).bind(now);
        for id in chunk {
            q = q.bind(*id);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// A collection that told an amendment came back: the amendment is told again with the next
/// one, unless the mandate has a newer one to tell.
pub async fn restore_amendment(
    conn: &mut Conn,
    id: i64,
    original_reference: Option<&str>,
    original_iban: Option<&str>,
) -> Result<(), StoreError> {
    if original_reference.is_none() && original_iban.is_none() {
        return Ok(());
    }
    sqlx::query(
        "UPDATE sepa_mandates SET original_reference = $1, original_iban = $2, updated_at = $3 \
         WHERE id = $4 AND original_reference IS NULL AND original_iban IS NULL",
    )
    .bind(original_reference)
    .bind(original_iban)
    .bind(now_micros())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
