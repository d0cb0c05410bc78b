//! The files of collections handed to the bank (`direct_debit_batches`, the file kept byte for
//! byte) and each collection in them (`direct_debits`): what a new file may collect, what a
//! bank credit or return names, the history staff and customers see.

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use jiff::civil::Date;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::CHUNK;
use crate::billing::{V, date, format_date, insert_rows, opt_date};
use crate::time::{from_micros, now_micros};
use crate::{Conn, StoreError};

/// An open invoice a file may collect, with the customer's active mandate.
#[derive(Debug, Clone)]
pub struct Collectable {
    pub invoice_id: i64,
    pub number: String,
    pub customer_id: i64,
    pub customer_number: String,
    pub language: String,
    pub issue_date: Date,
    pub due_date: Date,
    /// What is open on it: gross − paid − credited.
    pub open: i64,
    pub mandate_id: i64,
    pub reference: String,
    pub debtor_name: String,
    pub iban: String,
    pub bic: Option<String>,
    pub signed_on: Date,
    pub original_reference: Option<String>,
    pub original_iban: Option<String>,
    pub last_collected_on: Option<Date>,
}

/// Open invoices in `currency` whose `column` (`due_date` or `issue_date`) is on or before
/// `until`, of customers who pay by direct debit under an active mandate, and in no earlier file
/// unless that collection came back; by customer, then invoice.
pub async fn collectable(conn: &mut Conn, column: &str, until: Date, currency: &str) -> Result<Vec<Collectable>, StoreError> {
    let column = if column == "issue_date" { "issue_date" } else { "due_date" };
    let sql = format!(
        "SELECT i.id, i.number, i.customer_id, c.number AS customer_number, c.language, i.issue_date, i.due_date, i.gross, i.paid, \
         i.credited, m.id AS mandate_id, m.reference, m.debtor_name, m.iban, m.bic, m.signed_on, m.original_reference, \
         m.original_iban, m.last_collected_on \
         FROM invoices i JOIN customers c ON c.id = i.customer_id \
         JOIN sepa_mandates m ON m.customer_id = i.customer_id AND m.state = 'active' \
         WHERE i.state = 'open' AND i.kind = 'invoice' AND i.{column} <= $1 AND i.currency = $2 AND c.payment_method = 'direct_debit' \
         AND NOT EXISTS (SELECT 1 FROM direct_debits d WHERE d.invoice_id = i.id AND d.state <> 'returned') \
         ORDER BY i.customer_id, i.id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(format_date(until)).bind(currency).fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            let (gross, paid, credited): (i64, i64, i64) = (r.try_get("gross")?, r.try_get("paid")?, r.try_get("credited")?);
            Ok(Collectable {
                invoice_id: r.try_get("id")?,
                number: r.try_get("number")?,
                customer_id: r.try_get("customer_id")?,
                customer_number: r.try_get("customer_number")?,
                language: r.try_get("language")?,
                issue_date: date(r, "issue_date")?,
                due_date: date(r, "due_date")?,
                open: gross.saturating_sub(paid).saturating_sub(credited),
                mandate_id: r.try_get("mandate_id")?,
                reference: r.try_get("reference")?,
                debtor_name: r.try_get("debtor_name")?,
                iban: r.try_get("iban")?,
                bic: r.try_get("bic")?,
                signed_on: date(r, "signed_on")?,
                original_reference: r.try_get("original_reference")?,
                original_iban: r.try_get("original_iban")?,
                last_collected_on: opt_date(r, "last_collected_on")?,
            })
        })
        .collect()
}

/// `SELECT … WHERE column IN (…)` over `ids` in chunks, each row read by `read`.
async fn in_chunks<K, T>(
    conn: &mut Conn,
    sql_head: &str,
    ids: &[K],
    read: impl Fn(&AnyRow) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError>
where
    K: for<'q> sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any> + Clone + Send + Sync + 'static,
{
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!("{sql_head} ({})", marks.join(", "));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(id.clone());
        }
        for r in q.fetch_all(&mut *conn).await? {
            out.push(read(&r)?);
        }
    }
    Ok(out)
}

/// The mandates among `ids` with a collection that did not come back: their next one is `RCUR`.
pub async fn used_before(conn: &mut Conn, ids: &[i64]) -> Result<HashSet<i64>, StoreError> {
    let head = "SELECT DISTINCT mandate_id FROM direct_debits WHERE state = 'collected' AND mandate_id IN";
    Ok(in_chunks(conn, head, ids, |r| Ok(r.try_get::<i64, _>(0)?)).await?.into_iter().collect())
}

/// How many collections each of the invoices `ids` had before (for the next end-to-end id).
pub async fn attempts(conn: &mut Conn, ids: &[i64]) -> Result<HashMap<i64, i64>, StoreError> {
    let head = "SELECT invoice_id, COUNT(*) FROM direct_debits WHERE invoice_id IN";
    let mut out = HashMap::new();
    // GROUP BY after the list: the chunks are built by hand here.
    for chunk in ids.chunks(CHUNK) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!("{head} ({}) GROUP BY invoice_id", marks.join(", "));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(*id);
        }
        for r in q.fetch_all(&mut *conn).await? {
            out.insert(r.try_get::<i64, _>(0)?, r.try_get::<i64, _>(1)?);
        }
    }
    Ok(out)
}

/// The number of the next file (call holding the issuing lock).
pub async fn next_batch_number(conn: &mut Conn) -> Result<i64, StoreError> {
    let n: Option<i64> = sqlx::query("SELECT MAX(id) FROM direct_debit_batches").fetch_one(&mut *conn).await?.try_get(0)?;
    Ok(n.unwrap_or(0) + 1)
}

/// A file to record.
#[derive(Debug, Clone)]
pub struct NewBatch<'a> {
    pub message_id: &'a str,
    pub collection_date: Date,
    pub pain_version: &'a str,
    pub collections: i64,
    pub total: i64,
    pub file_name: &'a str,
    pub content: &'a str,
    pub sha256: &'a str,
    pub created_by: &'a str,
}

pub async fn insert_batch(conn: &mut Conn, b: &NewBatch<'_>) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO direct_debit_batches (message_id, collection_date, pain_version, collections, total, file_name, content, sha256, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(b.message_id)
    .bind(format_date(b.collection_date))
    .bind(b.pain_version)
    .bind(b.collections)
    .bind(b.total)
    .bind(b.file_name)
    .bind(b.content)
    .bind(b.sha256)
    .bind(b.created_by)
    .bind(now_micros())
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

/// A collection to record.
#[derive(Debug, Clone)]
pub struct NewDebit {
    pub invoice_id: i64,
    pub mandate_id: i64,
    pub customer_id: i64,
    pub amount: i64,
    pub sequence: &'static str,
    pub payment_info_id: String,
    pub end_to_end_id: String,
    pub original_reference: Option<String>,
    pub original_iban: Option<String>,
}

pub async fn insert_debits(conn: &mut Conn, batch_id: i64, debits: &[NewDebit]) -> Result<(), StoreError> {
    let now = now_micros();
    let rows: Vec<Vec<V>> = debits
        .iter()
        .map(|d| {
            vec![
                V::I(batch_id),
                V::I(d.invoice_id),
                V::I(d.mandate_id),
                V::I(d.customer_id),
                V::I(d.amount),
                V::from(d.sequence),
                V::T(d.payment_info_id.clone()),
                V::T(d.end_to_end_id.clone()),
                V::OT(d.original_reference.clone()),
                V::OT(d.original_iban.clone()),
                V::from("collected"),
                V::I(now),
                V::I(now),
            ]
        })
        .collect();
    let cols = [
        "batch_id",
        "invoice_id",
        "mandate_id",
        "customer_id",
        "amount",
        "sequence",
        "payment_info_id",
        "end_to_end_id",
        "original_reference",
        "original_iban",
        "state",
        "created_at",
        "updated_at",
    ];
    insert_rows(conn, "direct_debits", &cols, &rows).await
}

/// A file as recorded (without its content).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Batch {
    pub id: i64,
    pub message_id: String,
    pub collection_date: Date,
    pub pain_version: String,
    pub collections: i64,
    pub total: i64,
    pub file_name: String,
    pub created_by: String,
    pub created_at: Timestamp,
    /// Collections the bank credited, and those that came back.
    pub credited: i64,
    pub returned: i64,
}

/// The latest files, newest first, with how many of their collections were credited or came back.
pub async fn batches(conn: &mut Conn, limit: i64) -> Result<Vec<Batch>, StoreError> {
    let rows = sqlx::query(
        "SELECT b.id, b.message_id, b.collection_date, b.pain_version, b.collections, b.total, b.file_name, b.created_by, b.created_at, \
         (SELECT COUNT(*) FROM direct_debits d WHERE d.batch_id = b.id AND d.payment_id IS NOT NULL) AS credited, \
         (SELECT COUNT(*) FROM direct_debits d WHERE d.batch_id = b.id AND d.state = 'returned') AS returned \
         FROM direct_debit_batches b ORDER BY b.created_at DESC, b.id DESC LIMIT CAST($1 AS BIGINT)",
    )
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Batch {
                id: r.try_get("id")?,
                message_id: r.try_get("message_id")?,
                collection_date: date(r, "collection_date")?,
                pain_version: r.try_get("pain_version")?,
                collections: r.try_get("collections")?,
                total: r.try_get("total")?,
                file_name: r.try_get("file_name")?,
                created_by: r.try_get("created_by")?,
                created_at: from_micros(r.try_get("created_at")?),
                credited: r.try_get("credited")?,
                returned: r.try_get("returned")?,
            })
        })
        .collect()
}

/// A file's name and content, as handed to the bank.
pub async fn batch_file(conn: &mut Conn, id: i64) -> Result<Option<(String, String)>, StoreError> {
    let row = sqlx::query("SELECT file_name, content FROM direct_debit_batches WHERE id = $1").bind(id).fetch_optional(&mut *conn).await?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
}

/// A collection as recorded, with its file's message id and date and its invoice's number.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Debit {
    pub id: i64,
    pub batch_id: i64,
    pub message_id: String,
    pub collection_date: Date,
    pub invoice_id: i64,
    pub number: String,
    pub mandate_id: i64,
    pub customer_id: i64,
    pub amount: i64,
    pub sequence: String,
    pub payment_info_id: String,
    pub end_to_end_id: String,
    pub original_reference: Option<String>,
    pub original_iban: Option<String>,
    /// collected | returned
    pub state: String,
    pub return_reason: Option<String>,
    pub returned_on: Option<Date>,
    pub payment_id: Option<i64>,
    pub return_payment_id: Option<i64>,
}

const DEBIT: &str = "SELECT d.id, d.batch_id, b.message_id, b.collection_date, d.invoice_id, i.number, d.mandate_id, d.customer_id, \
                     d.amount, d.sequence, d.payment_info_id, d.end_to_end_id, d.original_reference, d.original_iban, d.state, \
                     d.return_reason, d.returned_on, d.payment_id, d.return_payment_id \
                     FROM direct_debits d JOIN direct_debit_batches b ON b.id = d.batch_id JOIN invoices i ON i.id = d.invoice_id";

fn debit(r: &AnyRow) -> Result<Debit, StoreError> {
    Ok(Debit {
        id: r.try_get("id")?,
        batch_id: r.try_get("batch_id")?,
        message_id: r.try_get("message_id")?,
        collection_date: date(r, "collection_date")?,
        invoice_id: r.try_get("invoice_id")?,
        number: r.try_get("number")?,
        mandate_id: r.try_get("mandate_id")?,
        customer_id: r.try_get("customer_id")?,
        amount: r.try_get("amount")?,
        sequence: r.try_get("sequence")?,
        payment_info_id: r.try_get("payment_info_id")?,
        end_to_end_id: r.try_get("end_to_end_id")?,
        original_reference: r.try_get("original_reference")?,
        original_iban: r.try_get("original_iban")?,
        state: r.try_get("state")?,
        return_reason: r.try_get("return_reason")?,
        returned_on: opt_date(r, "returned_on")?,
        payment_id: r.try_get("payment_id")?,
        return_payment_id: r.try_get("return_payment_id")?,
    })
}

/// The collections with these end-to-end ids.
pub async fn by_end_to_end(conn: &mut Conn, ids: &[String]) -> Result<Vec<Debit>, StoreError> {
    in_chunks(conn, &format!("{DEBIT} WHERE d.end_to_end_id IN"), ids, debit).await
}

/// The collections of the payments (`PmtInfId`) with these ids.
pub async fn by_payment_info(conn: &mut Conn, ids: &[String]) -> Result<Vec<Debit>, StoreError> {
    in_chunks(conn, &format!("{DEBIT} WHERE d.payment_info_id IN"), ids, debit).await
}

/// The collections of the files with these message ids.
pub async fn by_message_id(conn: &mut Conn, ids: &[String]) -> Result<Vec<Debit>, StoreError> {
    in_chunks(conn, &format!("{DEBIT} WHERE b.message_id IN"), ids, debit).await
}

/// A customer's collections, newest first.
pub async fn of_customer(conn: &mut Conn, customer_id: i64, limit: i64) -> Result<Vec<Debit>, StoreError> {
    let sql = format!("{DEBIT} WHERE d.customer_id = $1 ORDER BY d.id DESC LIMIT CAST($2 AS BIGINT)");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(customer_id).bind(limit).fetch_all(&mut *conn).await?;
    rows.iter().map(debit).collect()
}

/// The latest collections that came back, newest first.
pub async fn returns(conn: &mut Conn, limit: i64) -> Result<Vec<Debit>, StoreError> {
    let sql = format!("{DEBIT} WHERE d.state = 'returned' ORDER BY d.updated_at DESC, d.id DESC LIMIT CAST($1 AS BIGINT)");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(limit).fetch_all(&mut *conn).await?;
    rows.iter().map(debit).collect()
}

/// The bank credited a collection, booked as `payment_id`; false when it was booked already or
/// came back.
pub async fn set_paid(conn: &mut Conn, id: i64, payment_id: i64) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE direct_debits SET payment_id = $1, updated_at = $2 WHERE id = $3 AND state = 'collected' AND payment_id IS NULL",
    )
    .bind(payment_id)
    .bind(now_micros())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A collection came back on `on` for `reason`; `return_payment_id` reversed its payment. False
/// when it had come back already.
pub async fn set_returned(conn: &mut Conn, id: i64, reason: &str, on: Date, return_payment_id: Option<i64>) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE direct_debits SET state = 'returned', return_reason = $1, returned_on = $2, return_payment_id = $3, updated_at = $4 \
         WHERE id = $5 AND state = 'collected'",
    )
    .bind(reason)
    .bind(format_date(on))
    .bind(return_payment_id)
    .bind(now_micros())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Of the invoices `ids`, those in a file the bank has not credited yet, with its collection date.
pub async fn being_collected(conn: &mut Conn, ids: &[i64]) -> Result<HashMap<i64, Date>, StoreError> {
    let head = "SELECT d.invoice_id, b.collection_date FROM direct_debits d JOIN direct_debit_batches b ON b.id = d.batch_id \
                WHERE d.state = 'collected' AND d.payment_id IS NULL AND d.invoice_id IN";
    Ok(in_chunks(conn, head, ids, |r| Ok((r.try_get::<i64, _>(0)?, date(r, "collection_date")?))).await?.into_iter().collect())
}
