//! Many payments booked at once, for the bank-statement import: the reads that decide which
//! credits can take the short way (an open invoice paid in part or in full, nothing waiting on
//! it) and the multi-row writes that book them. Every read takes `IN (…)` lists of at most
//! [`CHUNK`] names, every write as few statements as the databases' parameter limits allow.

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;
use loket_domain::money::Currency;
use sqlx::Row;

use super::documents::{COLUMNS, Document, from_row};
use super::{V, insert_rows, placeholders_for};
use crate::time::now_micros;
use crate::{Conn, StoreError};

/// Names per `IN (…)` query.
const CHUNK: usize = 500;

/// Runs `sql` (with `{}` where the `IN` list goes) for every chunk of `ids`.
async fn by_ids(conn: &mut Conn, sql: &str, ids: &[i64]) -> Result<Vec<sqlx::any::AnyRow>, StoreError> {
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let marks = super::in_list(1, chunk.len());
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.replace("{}", &marks)));
        for id in chunk {
            q = q.bind(*id);
        }
        out.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}

/// The documents with these ids.
pub async fn documents(conn: &mut Conn, ids: &[i64]) -> Result<HashMap<i64, Document>, StoreError> {
    let rows = by_ids(conn, &format!("SELECT {COLUMNS} FROM invoices WHERE id IN ({{}})"), ids).await?;
    rows.iter().map(|r| from_row(r).map(|d| (d.id, d))).collect()
}

/// Which of these invoices have a line of a subscription that waits for its payment to start.
pub async fn awaiting_payment(conn: &mut Conn, invoice_ids: &[i64]) -> Result<HashSet<i64>, StoreError> {
    let sql = "SELECT DISTINCT l.invoice_id FROM invoice_lines l JOIN subscriptions s ON s.id = l.subscription_id \
               WHERE s.state = 'pending_payment' AND l.invoice_id IN ({})";
    by_ids(conn, sql, invoice_ids).await?.iter().map(|r| Ok(r.try_get(0)?)).collect()
}

/// Which of these customers have services suspended (a suspension not lifted).
pub async fn suspended(conn: &mut Conn, customer_ids: &[i64]) -> Result<HashSet<i64>, StoreError> {
    let sql = "SELECT DISTINCT customer_id FROM suspensions WHERE lifted_on IS NULL AND customer_id IN ({})";
    by_ids(conn, sql, customer_ids).await?.iter().map(|r| Ok(r.try_get(0)?)).collect()
}

/// The customer numbers of these customers.
pub async fn customer_numbers(conn: &mut Conn, ids: &[i64]) -> Result<HashMap<i64, String>, StoreError> {
    let rows = by_ids(conn, "SELECT id, number FROM customers WHERE id IN ({})", ids).await?;
    rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
}

/// A payment on one invoice, as the import books it.
#[derive(Debug, Clone)]
pub struct InvoicePayment<'a> {
    pub customer_id: i64,
    pub invoice_id: i64,
    pub amount: i64,
    pub received_on: Date,
    pub reference: Option<&'a str>,
}

/// Inserts the payments, each on a different invoice, and returns their ids by invoice id.
pub async fn insert_invoice_payments(
    conn: &mut Conn,
    currency: Currency,
    method: &str,
    rows: &[InvoicePayment<'_>],
) -> Result<HashMap<i64, i64>, StoreError> {
    let now = now_micros();
    let mut ids = HashMap::with_capacity(rows.len());
    for chunk in rows.chunks(super::chunk_rows(8)) {
        let sql = format!(
            "INSERT INTO payments (customer_id, invoice_id, amount, currency, method, received_on, reference, created_at) VALUES {} \
             RETURNING id, invoice_id",
            placeholders_for(conn, chunk.len(), 8)
        );
        let flat: Vec<V> = chunk
            .iter()
            .flat_map(|p| {
                [
                    V::I(p.customer_id),
                    V::I(p.invoice_id),
                    V::I(p.amount),
                    V::from(currency.code()),
                    V::from(method),
                    V::from(p.received_on),
                    V::from(p.reference.map(str::to_string)),
                    V::I(now),
                ]
            })
            .collect();
        for r in super::bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &flat).fetch_all(&mut *conn).await? {
            let (id, invoice): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
            if ids.insert(invoice, id).is_some() {
                return Err(StoreError::Corrupt(format!("two payments on invoice {invoice} in one batch")));
            }
        }
    }
    Ok(ids)
}

/// Records many audit entries of one actor at once.
pub async fn audit_many(
    conn: &mut Conn,
    actor: &crate::audit::Actor,
    action: &str,
    entity: &str,
    entries: &[(i64, serde_json::Value)],
) -> Result<(), StoreError> {
    let now = now_micros();
    let rows: Vec<Vec<V>> = entries
        .iter()
        .map(|(id, after)| {
            vec![
                V::I(now),
                V::from(actor.kind.as_str()),
                V::from(actor.id.clone()),
                V::from(action),
                V::from(entity),
                V::T(id.to_string()),
                V::T(after.to_string()),
                V::from(actor.request_id.clone()),
            ]
        })
        .collect();
    insert_rows(conn, "audit_log", &["at", "actor_kind", "actor_id", "action", "entity", "entity_id", "after_json", "request_id"], &rows)
        .await
}
