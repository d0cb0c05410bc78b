//! What the accountant's exports read: a period's documents in issue order and its payments,
//! each in pages continuing after the last one read, so a period of a million documents is
//! never in memory at once.

use jiff::civil::Date;
use loket_domain::Currency;
use sqlx::Row;

use super::documents::{COLUMNS, DocKind, Document, from_row};
use super::{V, bind_all, date};
use crate::{Conn, StoreError};

/// Which documents of a period to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kinds {
    /// Every document, pro formas too (the files of `loket documents export`).
    All,
    /// Invoices and credit notes: what the books hold (a pro forma is a payment request).
    Booked,
}

/// An issued document with the number of the invoice it corrects (a credit note's).
#[derive(Debug, Clone)]
pub struct IssuedDocument {
    pub doc: Document,
    pub corrects_number: Option<String>,
}

fn conditions(from: Date, to: Date, kinds: Kinds, binds: &mut Vec<V>) -> String {
    binds.push(V::from(from));
    binds.push(V::from(to));
    let mut sql = "i.issue_date >= $1 AND i.issue_date <= $2".to_string();
    if kinds == Kinds::Booked {
        binds.push(V::from(DocKind::ProForma.name()));
        sql.push_str(&format!(" AND i.kind <> ${}", binds.len()));
    }
    sql
}

/// The documents issued in `[from, to]`, oldest first (issue date, then id), after `after` (the
/// issue date and id of the last one of the previous page): one range of `invoices_issued`.
pub async fn issued(
    conn: &mut Conn,
    from: Date,
    to: Date,
    kinds: Kinds,
    after: Option<(Date, i64)>,
    limit: i64,
) -> Result<Vec<IssuedDocument>, StoreError> {
    let mut binds = Vec::new();
    let mut conds = conditions(from, to, kinds, &mut binds);
    if let Some((d, id)) = after {
        binds.push(V::from(d));
        let d1 = binds.len();
        binds.push(V::from(d));
        binds.push(V::I(id));
        conds.push_str(&format!(" AND (i.issue_date > ${d1} OR (i.issue_date = ${} AND i.id > ${}))", d1 + 1, d1 + 2));
    }
    binds.push(V::I(limit.clamp(1, 5000)));
    let sql = format!(
        "SELECT i.{}, r.number AS corrects_number FROM invoices i LEFT JOIN invoices r ON r.id = i.credits_invoice_id \
         WHERE {conds} ORDER BY i.issue_date, i.id LIMIT CAST(${} AS BIGINT)",
        COLUMNS.replace(", ", ", i."),
        binds.len()
    );
    let rows = bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &binds).fetch_all(&mut *conn).await?;
    rows.iter().map(|r| Ok(IssuedDocument { doc: from_row(r)?, corrects_number: r.try_get("corrects_number")? })).collect()
}

/// How many documents [`issued`] reads for the period (for a progress bar).
pub async fn count_issued(conn: &mut Conn, from: Date, to: Date, kinds: Kinds) -> Result<i64, StoreError> {
    let mut binds = Vec::new();
    let conds = conditions(from, to, kinds, &mut binds);
    let sql = format!("SELECT COUNT(*) FROM invoices i WHERE {conds}");
    Ok(bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &binds).fetch_one(&mut *conn).await?.try_get::<i64, _>(0)?)
}

/// A payment (or, with a negative amount, a refund) with what the journal shows of it.
#[derive(Debug, Clone)]
pub struct PaymentEntry {
    pub id: i64,
    pub customer_id: i64,
    pub customer_number: String,
    pub customer_name: String,
    pub vat_number: Option<String>,
    pub invoice_number: Option<String>,
    pub amount: i64,
    pub currency: Currency,
    pub method: String,
    pub received_on: Date,
    pub reference: Option<String>,
}

/// The payments received in `[from, to]` with an id above `after_id`, in id order (the order
/// they were recorded in). Payments have no index by date: the pages walk the primary key
/// once over the whole export, which costs one pass over the table, never one per page.
pub async fn payments(conn: &mut Conn, from: Date, to: Date, after_id: i64, limit: i64) -> Result<Vec<PaymentEntry>, StoreError> {
    let rows = sqlx::query(
        "SELECT p.id, p.customer_id, c.number AS customer_number, c.legal_name, c.vat_number, i.number AS invoice_number, \
         p.amount, p.currency, p.method, p.received_on, p.reference \
         FROM payments p JOIN customers c ON c.id = p.customer_id LEFT JOIN invoices i ON i.id = p.invoice_id \
         WHERE p.id > $1 AND p.received_on >= $2 AND p.received_on <= $3 ORDER BY p.id LIMIT CAST($4 AS BIGINT)",
    )
    .bind(after_id)
    .bind(from.to_string())
    .bind(to.to_string())
    .bind(limit.clamp(1, 5000))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PaymentEntry {
                id: r.try_get("id")?,
                customer_id: r.try_get("customer_id")?,
                customer_number: r.try_get("customer_number")?,
                customer_name: r.try_get("legal_name")?,
                vat_number: r.try_get("vat_number")?,
                invoice_number: r.try_get("invoice_number")?,
                amount: r.try_get("amount")?,
                currency: r.try_get::<String, _>("currency")?.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))?,
                method: r.try_get("method")?,
                received_on: date(r, "received_on")?,
                reference: r.try_get("reference")?,
            })
        })
        .collect()
}
