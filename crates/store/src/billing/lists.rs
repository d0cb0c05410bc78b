//! Lists of documents: the pages of invoices people browse and search, and the overdue
//! invoices dunning works through. Each list is one index range.

use jiff::civil::Date;
use loket_domain::Currency;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::documents::{DocKind, DocState, currency_of, doc_state};
use super::{V, date};
use crate::{Conn, Store, StoreError};

/// What to list: every filter optional; newest first, `before` continuing a previous page.
#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    pub customer_id: Option<i64>,
    /// Documents of these customers (a search by name); empty: none.
    pub customers: Option<Vec<i64>>,
    /// The number starts with this (upper case).
    pub number_prefix: Option<String>,
    pub state: Option<DocState>,
    pub kind: Option<DocKind>,
    /// Issued on or after this day.
    pub issued_from: Option<Date>,
    /// Issued on or before this day.
    pub issued_to: Option<Date>,
    /// The total (with VAT, minor units) at least this.
    pub gross_min: Option<i64>,
    /// The total at most this.
    pub gross_max: Option<i64>,
    /// Continue after this (issue date, id) of the last document of the previous page.
    pub before: Option<(Date, i64)>,
    pub limit: i64,
}

/// A document in a list: no frozen data, the customer's current name.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentSummary {
    pub id: i64,
    pub kind: DocKind,
    pub number: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub issue_date: Date,
    pub due_date: Date,
    pub currency: Currency,
    pub net: i64,
    pub vat: i64,
    pub gross: i64,
    pub state: DocState,
    pub paid: i64,
    pub credited: i64,
    pub payment_reference: String,
    pub credits_invoice_id: Option<i64>,
}

impl DocumentSummary {
    /// What is still to be paid.
    pub fn open_amount(&self) -> i64 {
        super::documents::open_amount(self.kind, self.gross, self.paid, self.credited)
    }
}

/// Documents as `filter` says, newest first. The statement has only the conditions given, so
/// each list is one index range: per customer `invoices_customer`, all `invoices_issued`, a
/// number prefix the number's unique index. Across customers, the customer's name is a
/// subquery, not a join: PostgreSQL plans such a list with a prefix or without conditions again
/// on every run, and the join doubled that planning (406 µs against a run of 47 µs for a number
/// prefix).
pub async fn list(conn: &mut Conn, filter: &DocumentFilter) -> Result<Vec<DocumentSummary>, StoreError> {
    let Some((sql, binds)) = list_statement(filter) else { return Ok(Vec::new()) };
    let rows = super::bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &binds).fetch_all(&mut *conn).await?;
    rows.iter().map(|r| summary(r)).collect()
}

/// The statement of [`list`] and its values; `None` when nothing can match.
fn list_statement(filter: &DocumentFilter) -> Option<(String, Vec<V>)> {
    let mut conds: Vec<String> = Vec::new();
    let mut binds: Vec<V> = Vec::new();
    let next = |v: V, binds: &mut Vec<V>| {
        binds.push(v);
        format!("${}", binds.len())
    };
    if let Some(c) = filter.customer_id {
        conds.push(format!("i.customer_id = {}", next(V::I(c), &mut binds)));
    }
    if let Some(list) = &filter.customers {
        if list.is_empty() {
            return None;
        }
        let ps: Vec<String> = list.iter().map(|c| next(V::I(*c), &mut binds)).collect();
        conds.push(format!("i.customer_id IN ({})", ps.join(", ")));
    }
    if let Some(p) = &filter.number_prefix {
        let lo = next(V::T(p.clone()), &mut binds);
        let hi = next(V::T(format!("{p}\u{10FFFF}")), &mut binds);
        if filter.customer_id.is_some() {
            // One customer's documents are few: the prefix filters them.
            conds.push(format!("i.number >= {lo} AND i.number < {hi}"));
        } else {
            // Through the number's own index first, whatever the planner thinks of the rest.
            conds.push(format!("i.id IN (SELECT id FROM invoices WHERE number >= {lo} AND number < {hi} ORDER BY number LIMIT 5000)"));
        }
    }
    if let Some(s) = filter.state {
        conds.push(format!("i.state = {}", next(V::from(s.name()), &mut binds)));
    }
    if let Some(k) = filter.kind {
        conds.push(format!("i.kind = {}", next(V::from(k.name()), &mut binds)));
    }
    if let Some(d) = filter.issued_from {
        conds.push(format!("i.issue_date >= {}", next(V::from(d), &mut binds)));
    }
    if let Some(d) = filter.issued_to {
        conds.push(format!("i.issue_date <= {}", next(V::from(d), &mut binds)));
    }
    if let Some(m) = filter.gross_min {
        conds.push(format!("i.gross >= {}", next(V::I(m), &mut binds)));
    }
    if let Some(m) = filter.gross_max {
        conds.push(format!("i.gross <= {}", next(V::I(m), &mut binds)));
    }
    if let Some((d, id)) = filter.before {
        let (d1, d2, i) = (next(V::from(d), &mut binds), next(V::from(d), &mut binds), next(V::I(id), &mut binds));
        conds.push(format!("(i.issue_date < {d1} OR (i.issue_date = {d2} AND i.id < {i}))"));
    }
    let limit = next(V::I(filter.limit.clamp(1, 1000)), &mut binds);
    // One customer's list keeps one plan on PostgreSQL, and SQLite reads its one name cheaper
    // by a join; a list across customers reads each name by a subquery (see above).
    let (name, join) = match filter.customer_id {
        Some(_) => ("c.legal_name", " JOIN customers c ON c.id = i.customer_id"),
        None => ("(SELECT c.legal_name FROM customers c WHERE c.id = i.customer_id) AS legal_name", ""),
    };
    let sql = format!(
        "SELECT i.id, i.kind, i.number, i.customer_id, {name}, i.issue_date, i.due_date, i.currency, i.net, i.vat, i.gross, i.state, \
         i.paid, i.credited, i.payment_reference, i.credits_invoice_id FROM invoices i{join}{} \
         ORDER BY i.issue_date DESC, i.id DESC LIMIT CAST({limit} AS BIGINT)",
        if conds.is_empty() { String::new() } else { format!(" WHERE {}", conds.join(" AND ")) }
    );
    Some((sql, binds))
}

fn summary(r: &dyn crate::read::Columns) -> Result<DocumentSummary, StoreError> {
    let kind: String = r.try_get("kind")?;
    Ok(DocumentSummary {
        id: r.try_get("id")?,
        kind: DocKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("document kind {kind}")))?,
        number: r.try_get("number")?,
        customer_id: r.try_get("customer_id")?,
        customer_name: r.try_get("legal_name")?,
        issue_date: date(r, "issue_date")?,
        due_date: date(r, "due_date")?,
        currency: currency_of(r)?,
        net: r.try_get("net")?,
        vat: r.try_get("vat")?,
        gross: r.try_get("gross")?,
        state: doc_state(r)?,
        paid: r.try_get("paid")?,
        credited: r.try_get("credited")?,
        payment_reference: r.try_get("payment_reference")?,
        credits_invoice_id: r.try_get("credits_invoice_id")?,
    })
}

/// An overdue invoice, as dunning needs it.
#[derive(Debug, Clone)]
pub struct Overdue {
    pub id: i64,
    pub number: String,
    pub customer_id: i64,
    pub issue_date: Date,
    pub due_date: Date,
    pub open: i64,
}

/// Open invoices due before `date` of the customers after `after_customer`, in customer order,
/// for at most `customers` customers: dunning takes the backlog in pages.
pub async fn overdue_page(conn: &mut Conn, date: Date, after_customer: i64, customers: i64) -> Result<Vec<Overdue>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, number, customer_id, issue_date, due_date, gross - paid - credited AS open FROM invoices \
         WHERE state = $1 AND kind = $2 AND due_date < $3 AND customer_id > $4 AND customer_id <= COALESCE( \
           (SELECT MAX(customer_id) FROM (SELECT DISTINCT customer_id FROM invoices WHERE state = $1 AND kind = $2 AND due_date < $3 \
              AND customer_id > $4 ORDER BY customer_id LIMIT CAST($5 AS BIGINT)) AS page), $4) \
         ORDER BY customer_id, due_date, id",
    )
    .bind(DocState::Open.name())
    .bind(DocKind::Invoice.name())
    .bind(date.to_string())
    .bind(after_customer)
    .bind(customers)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Overdue {
                id: r.try_get("id")?,
                number: r.try_get("number")?,
                customer_id: r.try_get("customer_id")?,
                issue_date: date_col(r, "issue_date")?,
                due_date: date_col(r, "due_date")?,
                open: r.try_get("open")?,
            })
        })
        .collect()
}

fn date_col(r: &AnyRow, col: &str) -> Result<Date, StoreError> {
    date(r, col)
}

impl Store {
    /// Documents as `filter` says (see [`list`]), on the pages' read path.
    pub async fn documents(&self, filter: &DocumentFilter) -> Result<Vec<DocumentSummary>, StoreError> {
        let Some((sql, binds)) = list_statement(filter) else { return Ok(Vec::new()) };
        let args: Vec<crate::read::Arg<'_>> = binds.iter().map(Into::into).collect();
        self.read(&sql, &args, summary).await
    }
}
