//! Documents (invoices, credit notes, pro formas) with their lines and gap-free numbers: issued
//! once, never changed, only paid, credited, converted or voided; and the lists and searches
//! over them.

use jiff::civil::Date;
use loket_domain::Currency;
use loket_domain::billing::Rate;
use loket_domain::billing::catalog::{document_number, payment_reference};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::items::rate;
use super::{V, date, insert_rows, opt_date, update_rows};
use crate::time::now_micros;
use crate::{Conn, Store, StoreError};

pub use super::lists::{DocumentFilter, DocumentSummary, Overdue, list, overdue_page};
pub use loket_domain::billing::document::{DocKind, DocState, Party, VatRow};

#[derive(Debug, Clone, Serialize)]
pub struct NewLine {
    pub description: String,
    pub period: Option<(Date, Date)>,
    pub quantity_milli: i64,
    pub unit_price: i64,
    pub net: i64,
    pub vat_code: String,
    pub vat_rate: u32,
    pub subscription_id: Option<i64>,
    pub item_id: Option<i64>,
    /// For a period of service: the whole billing period and price it is part of.
    pub rate: Option<Rate>,
    /// On a credit note: the position of the line it corrects on the credited invoice.
    pub credits_position: Option<i64>,
}

/// A document to issue; its number is given by [`issue`].
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub kind: DocKind,
    pub series: String,
    pub customer_id: i64,
    pub issue_date: Date,
    pub due_date: Date,
    pub currency: Currency,
    pub net: i64,
    pub vat: i64,
    pub gross: i64,
    pub vat_breakdown: Vec<VatRow>,
    pub customer_snapshot: Party,
    pub provider_snapshot: Party,
    pub language: String,
    pub credits_invoice_id: Option<i64>,
    pub pro_forma_id: Option<i64>,
    pub lines: Vec<NewLine>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Issued {
    pub id: i64,
    pub number: String,
}

/// Issues `docs` on `conn` (a transaction that holds [`super::lock_issuing`]): numbers follow on
/// from the last one of each series and year, without gaps; the documents and their lines are
/// written, and the result lists them in the order given.
pub async fn issue(conn: &mut Conn, docs: &[NewDocument]) -> Result<Vec<Issued>, StoreError> {
    let refs: Vec<&NewDocument> = docs.iter().collect();
    issue_refs(conn, &refs).await
}

/// [`issue`] for documents held elsewhere.
pub async fn issue_refs(conn: &mut Conn, docs: &[&NewDocument]) -> Result<Vec<Issued>, StoreError> {
    let mut seqs: Vec<i64> = vec![0; docs.len()];
    let mut groups: Vec<((String, i16), Vec<usize>)> = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        let key = (d.series.clone(), d.issue_date.year());
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(i),
            None => groups.push((key, vec![i])),
        }
    }
    for ((series, year), idx) in &groups {
        sqlx::query("INSERT INTO document_numbers (series, year, last_seq) VALUES ($1, $2, 0) ON CONFLICT (series, year) DO NOTHING")
            .bind(series.as_str())
            .bind(i64::from(*year))
            .execute(&mut *conn)
            .await?;
        let last: i64 =
            sqlx::query("UPDATE document_numbers SET last_seq = last_seq + $1 WHERE series = $2 AND year = $3 RETURNING last_seq")
                .bind(idx.len() as i64)
                .bind(series.as_str())
                .bind(i64::from(*year))
                .fetch_one(&mut *conn)
                .await?
                .try_get(0)?;
        let first = last - idx.len() as i64 + 1;
        for (k, i) in idx.iter().enumerate() {
            seqs[*i] = first + k as i64;
        }
    }
    let now = now_micros();
    let mut rows = Vec::with_capacity(docs.len());
    let mut numbers = Vec::with_capacity(docs.len());
    // Documents of one run share the provider: its frozen data is written out once.
    let mut provider_json: Option<(&Party, String)> = None;
    for (d, seq) in docs.iter().zip(&seqs) {
        let provider = match &provider_json {
            Some((p, json)) if **p == d.provider_snapshot => json.clone(),
            _ => {
                let json = to_json(&d.provider_snapshot)?;
                provider_json = Some((&d.provider_snapshot, json.clone()));
                json
            }
        };
        let number = document_number(&d.series, d.issue_date.year(), *seq);
        rows.push(vec![
            V::from(d.kind.name()),
            V::from(d.series.as_str()),
            V::I(i64::from(d.issue_date.year())),
            V::I(*seq),
            V::from(number.as_str()),
            V::I(d.customer_id),
            V::from(d.issue_date),
            V::from(d.due_date),
            V::from(d.currency.code()),
            V::I(d.net),
            V::I(d.vat),
            V::I(d.gross),
            V::T(to_json(&d.vat_breakdown)?),
            V::T(to_json(&d.customer_snapshot)?),
            V::T(provider),
            V::from(d.language.as_str()),
            V::T(payment_reference(&number)),
            V::OI(d.credits_invoice_id),
            V::OI(d.pro_forma_id),
            V::from(match d.kind {
                DocKind::CreditNote => DocState::Settled.name(),
                DocKind::Invoice if d.gross == 0 => DocState::Paid.name(),
                _ => DocState::Open.name(),
            }),
            V::I(0),
            V::I(0),
            V::I(now),
        ]);
        numbers.push(number);
    }
    insert_rows(
        conn,
        "invoices",
        &[
            "kind",
            "series",
            "year",
            "seq",
            "number",
            "customer_id",
            "issue_date",
            "due_date",
            "currency",
            "net",
            "vat",
            "gross",
            "vat_breakdown",
            "customer_snapshot",
            "provider_snapshot",
            "language",
            "payment_reference",
            "credits_invoice_id",
            "pro_forma_id",
            "state",
            "paid",
            "credited",
            "created_at",
        ],
        &rows,
    )
    .await?;
    // Find the ids by number range per series and year (one query per group).
    let mut ids = vec![0i64; docs.len()];
    for ((series, year), idx) in &groups {
        let (lo, hi) = (seqs[idx[0]], seqs[*idx.last().unwrap_or(&idx[0])]);
        let found = sqlx::query("SELECT id, seq FROM invoices WHERE series = $1 AND year = $2 AND seq >= $3 AND seq <= $4")
            .bind(series.as_str())
            .bind(i64::from(*year))
            .bind(lo)
            .bind(hi)
            .fetch_all(&mut *conn)
            .await?;
        for r in found {
            let seq: i64 = r.try_get("seq")?;
            ids[idx[(seq - lo) as usize]] = r.try_get("id")?;
        }
    }
    let mut line_rows = Vec::new();
    for (d, id) in docs.iter().zip(&ids) {
        for (pos, l) in d.lines.iter().enumerate() {
            line_rows.push(vec![
                V::I(*id),
                V::I(pos as i64 + 1),
                V::from(l.description.as_str()),
                V::from(l.period.map(|p| p.0)),
                V::from(l.period.map(|p| p.1)),
                V::I(l.quantity_milli),
                V::I(l.unit_price),
                V::I(l.net),
                V::from(l.vat_code.as_str()),
                V::I(i64::from(l.vat_rate)),
                V::OI(l.subscription_id),
                V::OI(l.item_id),
                V::from(l.rate.map(|r| r.from)),
                V::from(l.rate.map(|r| r.to)),
                V::OI(l.rate.map(|r| i64::from(r.months))),
                V::OI(l.rate.map(|r| r.price.minor)),
                V::OI(l.credits_position),
            ]);
        }
    }
    insert_rows(
        conn,
        "invoice_lines",
        &[
            "invoice_id",
            "position",
            "description",
            "period_from",
            "period_to",
            "quantity_milli",
            "unit_price",
            "net",
            "vat_code",
            "vat_rate",
            "subscription_id",
            "item_id",
            "rate_from",
            "rate_to",
            "rate_months",
            "rate_price",
            "credits_position",
        ],
        &line_rows,
    )
    .await?;
    Ok(ids.into_iter().zip(numbers).map(|(id, number)| Issued { id, number }).collect())
}

/// An issued document as read back.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub id: i64,
    pub kind: DocKind,
    pub number: String,
    pub customer_id: i64,
    pub issue_date: Date,
    pub due_date: Date,
    pub currency: Currency,
    pub net: i64,
    pub vat: i64,
    pub gross: i64,
    pub vat_breakdown: Vec<VatRow>,
    pub customer: Party,
    pub provider: Party,
    pub language: String,
    pub payment_reference: String,
    pub credits_invoice_id: Option<i64>,
    pub pro_forma_id: Option<i64>,
    pub state: DocState,
    pub paid: i64,
    pub credited: i64,
    pub paid_on: Option<Date>,
    /// Brought in from the provider's history (`loket documents import`), not issued by Loket.
    pub imported: bool,
}

impl Document {
    /// What is still to be paid.
    pub fn open_amount(&self) -> i64 {
        open_amount(self.kind, self.gross, self.paid, self.credited)
    }
}

/// What is still to be paid on a document of `kind`. A credit note is money owed to the
/// customer, settled against its invoice or their credit balance when issued: nothing on it is
/// ever to be paid.
pub(super) fn open_amount(kind: DocKind, gross: i64, paid: i64, credited: i64) -> i64 {
    if kind == DocKind::CreditNote { 0 } else { (gross - paid - credited).max(0) }
}

pub(super) const COLUMNS: &str = "id, kind, series, number, customer_id, issue_date, due_date, currency, net, vat, gross, vat_breakdown, customer_snapshot, \
                       provider_snapshot, language, payment_reference, credits_invoice_id, pro_forma_id, state, paid, credited, paid_on";

fn json<T: serde::de::DeserializeOwned>(row: &AnyRow, col: &str) -> Result<T, StoreError> {
    serde_json::from_str(&row.try_get::<String, _>(col)?).map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
}

fn to_json<T: Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Invalid(e.to_string()))
}

pub(super) fn doc_state(row: &dyn crate::read::Columns) -> Result<DocState, StoreError> {
    let s: String = row.try_get("state")?;
    DocState::parse(&s).ok_or_else(|| StoreError::Corrupt(format!("document state {s}")))
}

pub(super) fn from_row(row: &AnyRow) -> Result<Document, StoreError> {
    let kind: String = row.try_get("kind")?;
    Ok(Document {
        id: row.try_get("id")?,
        kind: DocKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("document kind {kind}")))?,
        number: row.try_get("number")?,
        customer_id: row.try_get("customer_id")?,
        issue_date: date(row, "issue_date")?,
        due_date: date(row, "due_date")?,
        currency: row.try_get::<String, _>("currency")?.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))?,
        net: row.try_get("net")?,
        vat: row.try_get("vat")?,
        gross: row.try_get("gross")?,
        vat_breakdown: json(row, "vat_breakdown")?,
        customer: json(row, "customer_snapshot")?,
        provider: json(row, "provider_snapshot")?,
        language: row.try_get("language")?,
        payment_reference: row.try_get("payment_reference")?,
        credits_invoice_id: row.try_get("credits_invoice_id")?,
        pro_forma_id: row.try_get("pro_forma_id")?,
        state: doc_state(row)?,
        paid: row.try_get("paid")?,
        credited: row.try_get("credited")?,
        paid_on: opt_date(row, "paid_on")?,
        imported: row.try_get::<String, _>("series")? == loket_domain::history::HISTORY_SERIES,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub position: i64,
    pub description: String,
    pub period_from: Option<Date>,
    pub period_to: Option<Date>,
    pub quantity_milli: i64,
    pub unit_price: i64,
    pub net: i64,
    pub vat_code: String,
    pub vat_rate: i64,
    pub subscription_id: Option<i64>,
    /// The one-off line it was made from, if any (a settled price change, extra work).
    pub item_id: Option<i64>,
    pub rate: Option<Rate>,
    pub credits_position: Option<i64>,
}

const LINE_COLUMNS: &str = "invoice_id, position, description, period_from, period_to, quantity_milli, unit_price, net, vat_code, vat_rate, \
                            subscription_id, item_id, rate_from, rate_to, rate_months, rate_price, credits_position";

fn line_from_row(r: &AnyRow, currency: Currency) -> Result<Line, StoreError> {
    Ok(Line {
        position: r.try_get("position")?,
        description: r.try_get("description")?,
        period_from: opt_date(r, "period_from")?,
        period_to: opt_date(r, "period_to")?,
        quantity_milli: r.try_get("quantity_milli")?,
        unit_price: r.try_get("unit_price")?,
        net: r.try_get("net")?,
        vat_code: r.try_get("vat_code")?,
        vat_rate: r.try_get("vat_rate")?,
        subscription_id: r.try_get("subscription_id")?,
        item_id: r.try_get("item_id")?,
        rate: rate(r, currency)?,
        credits_position: r.try_get("credits_position")?,
    })
}

pub async fn document(conn: &mut Conn, id: i64) -> Result<Option<Document>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM invoices WHERE id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?.map(|r| from_row(&r)).transpose()
}

/// The net already credited on each line of invoice `inv`, by its position, over all its credit
/// notes. A credit note is never dated before its invoice, so the customer's documents from the
/// invoice's date on are all that is read (`invoices_customer`).
pub async fn credited_by_line(conn: &mut Conn, inv: &Document) -> Result<std::collections::BTreeMap<i64, i64>, StoreError> {
    let rows = sqlx::query(
        "SELECT l.credits_position, CAST(SUM(l.net) AS BIGINT) FROM invoices c JOIN invoice_lines l ON l.invoice_id = c.id \
         WHERE c.customer_id = $1 AND c.issue_date >= $2 AND c.credits_invoice_id = $3 AND l.credits_position IS NOT NULL \
         GROUP BY l.credits_position",
    )
    .bind(inv.customer_id)
    .bind(inv.issue_date.to_string())
    .bind(inv.id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok((r.try_get::<i64, _>(0)?, r.try_get::<i64, _>(1)?))).collect()
}

pub async fn lines(conn: &mut Conn, invoice_id: i64) -> Result<Vec<Line>, StoreError> {
    let sql = format!(
        "SELECT l.{}, i.currency FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id WHERE l.invoice_id = $1 ORDER BY l.position",
        LINE_COLUMNS.replace(", ", ", l.")
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(invoice_id).fetch_all(&mut *conn).await?;
    rows.iter().map(|r| line_from_row(r, currency_of(r)?)).collect()
}

pub(super) fn currency_of(r: &dyn crate::read::Columns) -> Result<Currency, StoreError> {
    r.try_get::<String, _>("currency")?.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))
}

/// A line of a subscription's period on an issued invoice or credit note.
#[derive(Debug, Clone)]
pub struct SubscriptionLine {
    pub invoice_id: i64,
    pub kind: DocKind,
    pub state: DocState,
    /// For a credit note: the invoice it corrects.
    pub credits_invoice_id: Option<i64>,
    pub line: Line,
}

/// Every line for a period of subscription `id` on invoices and credit notes (not pro formas)
/// whose period ends after `after`: what a change of its end or price may have to settle.
pub async fn subscription_lines(conn: &mut Conn, subscription_id: i64, after: Date) -> Result<Vec<SubscriptionLine>, StoreError> {
    let sql = format!(
        "SELECT l.{}, i.currency, i.kind, i.state, i.credits_invoice_id FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id \
         WHERE l.subscription_id = $1 AND l.period_to > $2 AND i.kind <> $3 ORDER BY l.invoice_id, l.position",
        LINE_COLUMNS.replace(", ", ", l.")
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(subscription_id)
        .bind(after.to_string())
        .bind(DocKind::ProForma.name())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            Ok(SubscriptionLine {
                invoice_id: r.try_get("invoice_id")?,
                kind: DocKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("document kind {kind}")))?,
                state: doc_state(r)?,
                credits_invoice_id: r.try_get("credits_invoice_id")?,
                line: line_from_row(r, currency_of(r)?)?,
            })
        })
        .collect()
}

/// Open pro formas with a line of subscription `id`.
pub async fn open_pro_formas_of(conn: &mut Conn, subscription_id: i64) -> Result<Vec<i64>, StoreError> {
    let rows = sqlx::query(
        "SELECT DISTINCT i.id FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id \
         WHERE l.subscription_id = $1 AND i.kind = $2 AND i.state = $3",
    )
    .bind(subscription_id)
    .bind(DocKind::ProForma.name())
    .bind(DocState::Open.name())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
}

/// Open documents of a customer, oldest first.
pub async fn open_documents(conn: &mut Conn, customer_id: i64) -> Result<Vec<Document>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM invoices WHERE state = $1 AND customer_id = $2 ORDER BY due_date, id");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(DocState::Open.name())
        .bind(customer_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// Adds to what was paid and credited on a document and sets its state.
pub async fn settle(conn: &mut Conn, id: i64, paid: i64, credited: i64, state: DocState, paid_on: Option<Date>) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE invoices SET paid = paid + $1, credited = credited + $2, state = $3, paid_on = COALESCE($4, paid_on) WHERE id = $5",
    )
    .bind(paid)
    .bind(credited)
    .bind(state.name())
    .bind(paid_on.map(|d| d.to_string()))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Takes `amount` back off what was paid on an invoice (a chargeback, a returned direct
/// debit): it is open again.
pub async fn reopen(conn: &mut Conn, id: i64, amount: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE invoices SET paid = paid - $1, state = $2, paid_on = NULL WHERE id = $3 AND paid >= $1")
        .bind(amount)
        .bind(DocState::Open.name())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Marks many documents paid in full from credit at issue: (id, amount, paid on).
pub async fn settle_many(conn: &mut Conn, rows: &[(i64, i64, bool, Date)]) -> Result<u64, StoreError> {
    let values: Vec<Vec<V>> = rows
        .iter()
        .map(|(id, amount, full, on)| {
            vec![
                V::I(*id),
                V::I(*amount),
                V::from(if *full { DocState::Paid } else { DocState::Open }.name()),
                V::from(full.then_some(*on)),
            ]
        })
        .collect();
    update_rows(
        conn,
        "invoices",
        "paid = invoices.paid + v.column2, state = v.column3, paid_on = COALESCE(v.column4, invoices.paid_on)",
        &values,
    )
    .await
}

impl Store {
    pub async fn document(&self, id: i64) -> Result<Option<Document>, StoreError> {
        document(&mut *self.acquire().await?, id).await
    }
    pub async fn document_lines(&self, id: i64) -> Result<Vec<Line>, StoreError> {
        lines(&mut *self.acquire().await?, id).await
    }
}
