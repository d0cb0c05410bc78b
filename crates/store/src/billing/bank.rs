//! Bank statements imported and what became of their entries: what may be paid (for the
//! matcher), each statement and entry recorded once, the entries waiting for staff.

use loket_domain::billing::reconcile::Payable;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::time::{from_micros, now_micros};
use crate::{Conn, StoreError};

/// Names per `IN (…)` query.
const CHUNK: usize = 500;

fn payable(r: &AnyRow) -> Result<Payable, StoreError> {
    let (gross, paid, credited): (i64, i64, i64) = (r.try_get("gross")?, r.try_get("paid")?, r.try_get("credited")?);
    let state: String = r.try_get("state")?;
    Ok(Payable {
        invoice_id: r.try_get("id")?,
        customer_id: r.try_get("customer_id")?,
        number: r.try_get("number")?,
        payment_reference: r.try_get("payment_reference")?,
        open: if state == "open" { (gross - paid - credited).max(0) } else { 0 },
    })
}

const PAYABLE: &str = "SELECT id, customer_id, number, payment_reference, gross, paid, credited, state FROM invoices";

/// Every open invoice and pro forma (not credit notes) in `currency`.
pub async fn open_payables(conn: &mut Conn, currency: &str) -> Result<Vec<Payable>, StoreError> {
    let sql = format!("{PAYABLE} WHERE state = 'open' AND kind <> 'credit_note' AND currency = $1");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(currency).fetch_all(&mut *conn).await?;
    rows.iter().map(payable).collect()
}

/// The invoices (any state) whose payment reference or number is among `names`.
pub async fn named_payables(conn: &mut Conn, references: &[String], numbers: &[String]) -> Result<Vec<Payable>, StoreError> {
    let mut out = Vec::new();
    for (column, names) in [("payment_reference", references), ("number", numbers)] {
        for chunk in names.chunks(CHUNK) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!("{PAYABLE} WHERE kind <> 'credit_note' AND {column} IN ({})", marks.join(", "));
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for n in chunk {
                q = q.bind(n);
            }
            for r in q.fetch_all(&mut *conn).await? {
                out.push(payable(&r)?);
            }
        }
    }
    Ok(out)
}

/// The accounts (IBANs, as written) customers are known to pay from: their cards.
pub async fn customer_accounts(conn: &mut Conn) -> Result<Vec<(i64, String)>, StoreError> {
    let rows = sqlx::query("SELECT id, iban FROM customers WHERE iban IS NOT NULL").fetch_all(&mut *conn).await?;
    rows.iter().map(|r| Ok((r.try_get("id")?, r.try_get("iban")?))).collect()
}

/// Which of `keys` were recorded before (an overlapping statement, the same file again).
pub async fn known_entries(conn: &mut Conn, keys: &[String]) -> Result<std::collections::HashSet<String>, StoreError> {
    let mut out = std::collections::HashSet::new();
    for chunk in keys.chunks(CHUNK) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!("SELECT entry_key FROM bank_entries WHERE entry_key IN ({})", marks.join(", "));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for k in chunk {
            q = q.bind(k);
        }
        for r in q.fetch_all(&mut *conn).await? {
            out.insert(r.try_get(0)?);
        }
    }
    Ok(out)
}

#[derive(Debug, Clone)]
pub struct NewStatement<'a> {
    pub account: &'a str,
    pub statement_ref: &'a str,
    pub format: &'a str,
    pub file_name: Option<&'a str>,
    pub sha256: &'a str,
    pub imported_by: &'a str,
}

pub async fn insert_statement(conn: &mut Conn, s: &NewStatement<'_>) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO bank_statements (account, statement_ref, format, file_name, sha256, entries, booked, unmatched, skipped, imported_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, 0, 0, 0, 0, $6, $7) RETURNING id",
    )
    .bind(s.account)
    .bind(s.statement_ref)
    .bind(s.format)
    .bind(s.file_name)
    .bind(s.sha256)
    .bind(s.imported_by)
    .bind(now_micros())
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

pub async fn set_statement_counts(
    conn: &mut Conn,
    id: i64,
    entries: i64,
    booked: i64,
    unmatched: i64,
    skipped: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE bank_statements SET entries = $1, booked = $2, unmatched = $3, skipped = $4 WHERE id = $5")
        .bind(entries)
        .bind(booked)
        .bind(unmatched)
        .bind(skipped)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A credit as recorded.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BankEntry {
    pub id: i64,
    pub statement_id: i64,
    pub entry_key: String,
    pub booking_date: String,
    pub amount: i64,
    pub currency: String,
    pub counterparty_name: Option<String>,
    pub counterparty_iban: Option<String>,
    pub reference: Option<String>,
    pub remittance: String,
    pub state: String,
    pub matched_by: Option<String>,
    pub invoice_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub payment_id: Option<i64>,
    pub suggestions: Vec<i64>,
    pub created_at: jiff::Timestamp,
}

const ENTRY: &str = "SELECT id, statement_id, entry_key, booking_date, amount, currency, counterparty_name, counterparty_iban, reference, remittance, \
                     state, matched_by, invoice_id, customer_id, payment_id, suggestions, created_at FROM bank_entries";

fn entry(r: &AnyRow) -> Result<BankEntry, StoreError> {
    let suggestions: Option<String> = r.try_get("suggestions")?;
    Ok(BankEntry {
        id: r.try_get("id")?,
        statement_id: r.try_get("statement_id")?,
        entry_key: r.try_get("entry_key")?,
        booking_date: r.try_get("booking_date")?,
        amount: r.try_get("amount")?,
        currency: r.try_get("currency")?,
        counterparty_name: r.try_get("counterparty_name")?,
        counterparty_iban: r.try_get("counterparty_iban")?,
        reference: r.try_get("reference")?,
        remittance: r.try_get("remittance")?,
        state: r.try_get("state")?,
        matched_by: r.try_get("matched_by")?,
        invoice_id: r.try_get("invoice_id")?,
        customer_id: r.try_get("customer_id")?,
        payment_id: r.try_get("payment_id")?,
        suggestions: suggestions.unwrap_or_default().split(',').filter_map(|s| s.parse().ok()).collect(),
        created_at: from_micros(r.try_get("created_at")?),
    })
}

/// A credit to record: `state` booked (with its invoice or customer and payment) or
/// unmatched (with suggestions).
#[derive(Debug, Clone, Default)]
pub struct NewEntry<'a> {
    pub statement_id: i64,
    pub entry_key: &'a str,
    pub booking_date: String,
    pub amount: i64,
    pub currency: &'a str,
    pub counterparty_name: Option<&'a str>,
    pub counterparty_iban: Option<&'a str>,
    pub reference: Option<&'a str>,
    pub remittance: &'a str,
    pub state: &'a str,
    pub matched_by: Option<&'a str>,
    pub invoice_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub payment_id: Option<i64>,
    pub suggestions: Vec<i64>,
}

/// Records credits: each `booked` (with its invoice or customer and payment) or `unmatched`
/// (with suggestions), as many rows to a statement as the parameter limits allow.
pub async fn insert_entries(conn: &mut Conn, entries: &[NewEntry<'_>]) -> Result<(), StoreError> {
    use super::V;
    let now = now_micros();
    let rows: Vec<Vec<V>> = entries
        .iter()
        .map(|e| {
            let suggestions = (!e.suggestions.is_empty()).then(|| e.suggestions.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
            vec![
                V::I(e.statement_id),
                V::from(e.entry_key),
                V::T(e.booking_date.clone()),
                V::I(e.amount),
                V::from(e.currency),
                V::from(e.counterparty_name.map(str::to_string)),
                V::from(e.counterparty_iban.map(str::to_string)),
                V::from(e.reference.map(str::to_string)),
                V::from(e.remittance),
                V::from(e.state),
                V::from(e.matched_by.map(str::to_string)),
                V::OI(e.invoice_id),
                V::OI(e.customer_id),
                V::OI(e.payment_id),
                V::from(suggestions),
                V::I(now),
                V::I(now),
            ]
        })
        .collect();
    super::insert_rows(
        conn,
        "bank_entries",
        &[
            "statement_id",
            "entry_key",
            "booking_date",
            "amount",
            "currency",
            "counterparty_name",
            "counterparty_iban",
            "reference",
            "remittance",
            "state",
            "matched_by",
            "invoice_id",
            "customer_id",
            "payment_id",
            "suggestions",
            "created_at",
            "updated_at",
        ],
        &rows,
    )
    .await
}

/// Credits waiting for staff, oldest first, after `after_id` (paging).
pub async fn unmatched(conn: &mut Conn, after_id: i64, limit: i64) -> Result<Vec<BankEntry>, StoreError> {
    let sql = format!("{ENTRY} WHERE state = 'unmatched' AND id > $1 ORDER BY id LIMIT CAST($2 AS BIGINT)");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(after_id).bind(limit).fetch_all(&mut *conn).await?;
    rows.iter().map(entry).collect()
}

pub async fn entry_by_id(conn: &mut Conn, id: i64) -> Result<Option<BankEntry>, StoreError> {
    let sql = format!("{ENTRY} WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(entry).transpose()
}

/// Staff booked or dismissed a waiting credit. False when it was not waiting any more.
pub async fn resolve_entry(
    conn: &mut Conn,
    id: i64,
    state: &str,
    invoice_id: Option<i64>,
    customer_id: Option<i64>,
    payment_id: Option<i64>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE bank_entries SET state = $1, matched_by = 'staff', invoice_id = $2, customer_id = $3, payment_id = $4, updated_at = $5 \
         WHERE id = $6 AND state = 'unmatched'",
    )
    .bind(state)
    .bind(invoice_id)
    .bind(customer_id)
    .bind(payment_id)
    .bind(now_micros())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How many credits wait for staff.
pub async fn count_unmatched(conn: &mut Conn) -> Result<i64, StoreError> {
    Ok(sqlx::query("SELECT COUNT(*) FROM bank_entries WHERE state = 'unmatched'").fetch_one(&mut *conn).await?.try_get(0)?)
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct StatementRow {
    pub id: i64,
    pub account: String,
    pub statement_ref: String,
    pub format: String,
    pub file_name: Option<String>,
    pub entries: i64,
    pub booked: i64,
    pub unmatched: i64,
    pub skipped: i64,
    pub imported_by: String,
    pub created_at: jiff::Timestamp,
}

/// The latest imported statements, newest first.
pub async fn statements(conn: &mut Conn, limit: i64) -> Result<Vec<StatementRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, account, statement_ref, format, file_name, entries, booked, unmatched, skipped, imported_by, created_at FROM bank_statements \
         ORDER BY created_at DESC, id DESC LIMIT CAST($1 AS BIGINT)",
    )
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StatementRow {
                id: r.try_get("id")?,
                account: r.try_get("account")?,
                statement_ref: r.try_get("statement_ref")?,
                format: r.try_get("format")?,
                file_name: r.try_get("file_name")?,
                entries: r.try_get("entries")?,
                booked: r.try_get("booked")?,
                unmatched: r.try_get("unmatched")?,
                skipped: r.try_get("skipped")?,
                imported_by: r.try_get("imported_by")?,
                created_at: from_micros(r.try_get("created_at")?),
            })
        })
        .collect()
}
