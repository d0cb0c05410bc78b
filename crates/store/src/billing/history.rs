//! Documents from the provider's history (`loket documents import`): kept under the reserved
//! series `history` with their original numbers, each with one line and its amounts as they
//! were, so the panel's list, search and PDF treat them like Loket's own.

use loket_domain::Currency;
use loket_domain::billing::catalog::payment_reference;
use loket_domain::history::{HISTORY_SERIES, HistoricalDocument};
use sqlx::Row;

use super::documents::{DocKind, Party, VatRow};
use crate::time::now_micros;
use crate::{Conn, StoreError};

/// Those of `numbers` some document already carries.
pub async fn taken_numbers(conn: &mut Conn, numbers: &[&str]) -> Result<Vec<String>, StoreError> {
    let mut taken = Vec::new();
    for n in numbers {
        if sqlx::query("SELECT 1 FROM invoices WHERE number = $1").bind(*n).fetch_optional(&mut *conn).await?.is_some() {
            taken.push((*n).to_string());
        }
    }
    Ok(taken)
}

/// The customer and provider as the imported document shows them, and its language.
pub struct Parties<'a> {
    pub customer_id: i64,
    pub customer: &'a Party,
    pub provider: &'a Party,
    pub language: &'a str,
    pub currency: Currency,
}

/// Stores one imported document; returns its id.
pub async fn insert(conn: &mut Conn, doc: &HistoricalDocument, parties: &Parties<'_>) -> Result<i64, StoreError> {
    let year = i64::from(doc.issue_date.year());
    sqlx::query("INSERT INTO document_numbers (series, year, last_seq) VALUES ($1, $2, 0) ON CONFLICT (series, year) DO NOTHING")
        .bind(HISTORY_SERIES)
        .bind(year)
        .execute(&mut *conn)
        .await?;
    let seq: i64 = sqlx::query("UPDATE document_numbers SET last_seq = last_seq + 1 WHERE series = $1 AND year = $2 RETURNING last_seq")
        .bind(HISTORY_SERIES)
        .bind(year)
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?;
    // What the amounts say: VAT charged (S), or none (Z) when there was none.
    let code = if doc.vat == 0 { "Z" } else { "S" };
    let breakdown = vec![VatRow { code: code.into(), rate: doc.vat_rate, taxable: doc.net, vat: doc.vat }];
    let state = match (doc.kind, doc.paid) {
        (DocKind::CreditNote, _) => "settled",
        (_, true) => "paid",
        (_, false) => "open",
    };
    let paid = if doc.paid && doc.kind == DocKind::Invoice { doc.gross } else { 0 };
    let id: i64 = sqlx::query(
        "INSERT INTO invoices (kind, series, year, seq, number, customer_id, issue_date, due_date, currency, net, vat, gross, \
         vat_breakdown, customer_snapshot, provider_snapshot, language, payment_reference, state, paid, credited, paid_on, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, 0, $20, $21) RETURNING id",
    )
    .bind(doc.kind.name())
    .bind(HISTORY_SERIES)
    .bind(year)
    .bind(seq)
    .bind(&doc.number)
    .bind(parties.customer_id)
    .bind(doc.issue_date.to_string())
    .bind(doc.due_date.to_string())
    .bind(parties.currency.code())
    .bind(doc.net)
    .bind(doc.vat)
    .bind(doc.gross)
    .bind(json(&breakdown)?)
    .bind(json(&parties.customer)?)
    .bind(json(&parties.provider)?)
    .bind(parties.language)
    .bind(payment_reference(&doc.number))
    .bind(state)
    .bind(paid)
    .bind(doc.paid_on.map(|d| d.to_string()))
    .bind(now_micros())
    .fetch_one(&mut *conn)
    .await?
    .try_get(0)?;
    let description = doc.description.clone().unwrap_or_else(|| doc.number.clone());
    sqlx::query(
        "INSERT INTO invoice_lines (invoice_id, position, description, quantity_milli, unit_price, net, vat_code, vat_rate) \
         VALUES ($1, 1, $2, 1000, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(description)
    .bind(doc.net)
    .bind(doc.net)
    .bind(code)
    .bind(doc.vat_rate)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// The JSON text a snapshot column holds.
fn json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Invalid(e.to_string()))
}
