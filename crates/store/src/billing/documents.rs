//! Documents (invoices, credit notes, pro formas) with their lines and gap-free numbers, and
//! the things that end up on them: one-off billable lines and project instalments.

use jiff::civil::Date;
use loket_domain::Currency;
use loket_domain::billing::catalog::{document_number, payment_reference};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{V, date, insert_rows, opt_date, update_rows};
use crate::time::now_micros;
use crate::{Conn, Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    Invoice,
    CreditNote,
    ProForma,
}

impl DocKind {
    pub fn name(self) -> &'static str {
        match self {
            DocKind::Invoice => "invoice",
            DocKind::CreditNote => "credit_note",
            DocKind::ProForma => "pro_forma",
        }
    }
    pub fn parse(s: &str) -> Option<DocKind> {
        [DocKind::Invoice, DocKind::CreditNote, DocKind::ProForma].into_iter().find(|k| k.name() == s)
    }
}

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
    pub vat_breakdown: serde_json::Value,
    pub customer_snapshot: serde_json::Value,
    pub provider_snapshot: serde_json::Value,
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
    for (d, seq) in docs.iter().zip(&seqs) {
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
            V::T(d.vat_breakdown.to_string()),
            V::T(d.customer_snapshot.to_string()),
            V::T(d.provider_snapshot.to_string()),
            V::from(d.language.as_str()),
            V::T(payment_reference(&number)),
            V::OI(d.credits_invoice_id),
            V::OI(d.pro_forma_id),
            V::from(if d.gross == 0 && d.kind == DocKind::Invoice { "paid" } else { "open" }),
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
    pub vat_breakdown: serde_json::Value,
    pub customer: serde_json::Value,
    pub provider: serde_json::Value,
    pub language: String,
    pub payment_reference: String,
    pub credits_invoice_id: Option<i64>,
    pub pro_forma_id: Option<i64>,
    /// open, paid, converted (a paid pro forma) or settled (a credit note)
    pub state: String,
    pub paid: i64,
    pub credited: i64,
    pub paid_on: Option<Date>,
}

impl Document {
    /// What is still to be paid.
    pub fn open_amount(&self) -> i64 {
        (self.gross - self.paid - self.credited).max(0)
    }
}

const COLUMNS: &str = "id, kind, number, customer_id, issue_date, due_date, currency, net, vat, gross, vat_breakdown, customer_snapshot, \
                       provider_snapshot, language, payment_reference, credits_invoice_id, pro_forma_id, state, paid, credited, paid_on";

fn json(row: &AnyRow, col: &str) -> Result<serde_json::Value, StoreError> {
    serde_json::from_str(&row.try_get::<String, _>(col)?).map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
}

fn from_row(row: &AnyRow) -> Result<Document, StoreError> {
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
        state: row.try_get("state")?,
        paid: row.try_get("paid")?,
        credited: row.try_get("credited")?,
        paid_on: opt_date(row, "paid_on")?,
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
}

pub async fn document(conn: &mut Conn, id: i64) -> Result<Option<Document>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM invoices WHERE id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?.map(|r| from_row(&r)).transpose()
}

pub async fn lines(conn: &mut Conn, invoice_id: i64) -> Result<Vec<Line>, StoreError> {
    let rows = sqlx::query(
        "SELECT position, description, period_from, period_to, quantity_milli, unit_price, net, vat_code, vat_rate, subscription_id \
         FROM invoice_lines WHERE invoice_id = $1 ORDER BY position",
    )
    .bind(invoice_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
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
            })
        })
        .collect()
}

/// Documents, newest first: of one customer, and/or matching `search` (number or customer name).
pub async fn documents(conn: &mut Conn, customer_id: Option<i64>, search: Option<&str>, limit: i64) -> Result<Vec<Document>, StoreError> {
    let pattern = format!("%{}%", search.unwrap_or("").to_lowercase());
    let sql = format!(
        "SELECT {COLUMNS} FROM invoices WHERE ($1 < 0 OR customer_id = $1) AND (LOWER(number) LIKE $2 OR LOWER(customer_snapshot) LIKE $2) \
         ORDER BY issue_date DESC, id DESC LIMIT $3"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(customer_id.unwrap_or(-1))
        .bind(pattern)
        .bind(limit.clamp(1, 1000))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

/// Open invoices (and pro formas) due before `date`, oldest first.
pub async fn overdue(conn: &mut Conn, date: Date) -> Result<Vec<Document>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM invoices WHERE state = 'open' AND kind = 'invoice' AND due_date < $1 ORDER BY customer_id, due_date"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(date.to_string()).fetch_all(&mut *conn).await?.iter().map(from_row).collect()
}

/// Open documents of a customer, oldest first.
pub async fn open_documents(conn: &mut Conn, customer_id: i64) -> Result<Vec<Document>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM invoices WHERE customer_id = $1 AND state = 'open' ORDER BY due_date, id");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(customer_id).fetch_all(&mut *conn).await?.iter().map(from_row).collect()
}

/// Adds to what was paid and credited on a document and sets its state.
pub async fn settle(conn: &mut Conn, id: i64, paid: i64, credited: i64, state: &str, paid_on: Option<Date>) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE invoices SET paid = paid + $1, credited = credited + $2, state = $3, paid_on = COALESCE($4, paid_on) WHERE id = $5",
    )
    .bind(paid)
    .bind(credited)
    .bind(state)
    .bind(paid_on.map(|d| d.to_string()))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Marks many documents paid in full from credit at issue: (id, amount, paid on).
pub async fn settle_many(conn: &mut Conn, rows: &[(i64, i64, bool, Date)]) -> Result<u64, StoreError> {
    let values: Vec<Vec<V>> = rows
        .iter()
        .map(|(id, amount, full, on)| vec![V::I(*id), V::I(*amount), V::from(if *full { "paid" } else { "open" }), V::from(*on)])
        .collect();
    update_rows(
        conn,
        "invoices",
        "paid = invoices.paid + v.column2, state = v.column3, paid_on = CASE WHEN v.column3 = 'paid' THEN v.column4 ELSE invoices.paid_on END",
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
    pub async fn documents(&self, customer_id: Option<i64>, search: Option<&str>, limit: i64) -> Result<Vec<Document>, StoreError> {
        documents(&mut *self.acquire().await?, customer_id, search, limit).await
    }
}

/// A one-off billable line waiting for the next invoice.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub id: i64,
    pub customer_id: i64,
    pub subscription_id: Option<i64>,
    pub description: String,
    pub quantity_milli: i64,
    pub unit_price: i64,
    pub currency: Currency,
    pub vat_category: String,
    pub period_from: Option<Date>,
    pub period_to: Option<Date>,
    pub source: String,
    pub created_on: Date,
    pub invoice_id: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewItem {
    pub customer_id: i64,
    pub subscription_id: Option<i64>,
    pub description: String,
    pub quantity_milli: i64,
    pub unit_price: i64,
    pub currency: Currency,
    pub vat_category: String,
    pub period: Option<(Date, Date)>,
    pub source: String,
    pub created_on: Date,
}

pub async fn create_item(conn: &mut Conn, i: &NewItem) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO billable_items (customer_id, subscription_id, description, quantity_milli, unit_price, currency, vat_category, period_from, \
         period_to, source, created_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(i.customer_id)
    .bind(i.subscription_id)
    .bind(&i.description)
    .bind(i.quantity_milli)
    .bind(i.unit_price)
    .bind(i.currency.code())
    .bind(&i.vat_category)
    .bind(i.period.map(|p| p.0.to_string()))
    .bind(i.period.map(|p| p.1.to_string()))
    .bind(&i.source)
    .bind(i.created_on.to_string())
    .bind(now_micros())
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

fn item_from_row(r: &AnyRow) -> Result<Item, StoreError> {
    Ok(Item {
        id: r.try_get("id")?,
        customer_id: r.try_get("customer_id")?,
        subscription_id: r.try_get("subscription_id")?,
        description: r.try_get("description")?,
        quantity_milli: r.try_get("quantity_milli")?,
        unit_price: r.try_get("unit_price")?,
        currency: r.try_get::<String, _>("currency")?.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))?,
        vat_category: r.try_get("vat_category")?,
        period_from: opt_date(r, "period_from")?,
        period_to: opt_date(r, "period_to")?,
        source: r.try_get("source")?,
        created_on: date(r, "created_on")?,
        invoice_id: r.try_get("invoice_id")?,
    })
}

const ITEM_COLUMNS: &str = "id, customer_id, subscription_id, description, quantity_milli, unit_price, currency, vat_category, period_from, \
                            period_to, source, created_on, invoice_id";

/// Uninvoiced lines of the customers with ids in `[from, to]` created on or before `until`.
pub async fn open_items(conn: &mut Conn, from: i64, to: i64, until: Date) -> Result<Vec<Item>, StoreError> {
    let sql = format!(
        "SELECT {ITEM_COLUMNS} FROM billable_items WHERE invoice_id IS NULL AND customer_id >= $1 AND customer_id <= $2 AND created_on <= $3 \
         ORDER BY customer_id, id"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(from)
        .bind(to)
        .bind(until.to_string())
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(item_from_row)
        .collect()
}

pub async fn customer_items(conn: &mut Conn, customer_id: i64) -> Result<Vec<Item>, StoreError> {
    let sql = format!("SELECT {ITEM_COLUMNS} FROM billable_items WHERE customer_id = $1 ORDER BY id");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(customer_id).fetch_all(&mut *conn).await?.iter().map(item_from_row).collect()
}

/// Records which invoice each item went on: (item id, invoice id).
pub async fn mark_items(conn: &mut Conn, rows: &[(i64, i64)]) -> Result<u64, StoreError> {
    let values: Vec<Vec<V>> = rows.iter().map(|(item, inv)| vec![V::I(*item), V::I(*inv)]).collect();
    update_rows(conn, "billable_items", "invoice_id = v.column2", &values).await
}

/// A web-design project: deposit at signing, balance at delivery (or the deadline).
#[derive(Debug, Clone, Serialize)]
pub struct Project {
    pub id: i64,
    pub customer_id: i64,
    pub description: String,
    pub total: i64,
    pub currency: Currency,
    pub deposit_percent: i64,
    pub vat_category: String,
    pub signed_on: Date,
    pub delivered_on: Option<Date>,
    pub deposit_invoice_id: Option<i64>,
    pub balance_invoice_id: Option<i64>,
}

const PROJECT_COLUMNS: &str = "id, customer_id, description, total, currency, deposit_percent, vat_category, signed_on, delivered_on, deposit_invoice_id, balance_invoice_id";

fn project_from_row(r: &AnyRow) -> Result<Project, StoreError> {
    Ok(Project {
        id: r.try_get("id")?,
        customer_id: r.try_get("customer_id")?,
        description: r.try_get("description")?,
        total: r.try_get("total")?,
        currency: r.try_get::<String, _>("currency")?.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))?,
        deposit_percent: r.try_get("deposit_percent")?,
        vat_category: r.try_get("vat_category")?,
        signed_on: date(r, "signed_on")?,
        delivered_on: opt_date(r, "delivered_on")?,
        deposit_invoice_id: r.try_get("deposit_invoice_id")?,
        balance_invoice_id: r.try_get("balance_invoice_id")?,
    })
}

#[allow(clippy::too_many_arguments)]
pub async fn create_project(
    conn: &mut Conn,
    customer_id: i64,
    description: &str,
    total: i64,
    currency: Currency,
    deposit_percent: u32,
    vat_category: &str,
    signed_on: Date,
) -> Result<i64, StoreError> {
    let now = now_micros();
    let row = sqlx::query(
        "INSERT INTO projects (customer_id, description, total, currency, deposit_percent, vat_category, signed_on, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(customer_id)
    .bind(description)
    .bind(total)
    .bind(currency.code())
    .bind(i64::from(deposit_percent))
    .bind(vat_category)
    .bind(signed_on.to_string())
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

pub async fn project(conn: &mut Conn, id: i64) -> Result<Option<Project>, StoreError> {
    let sql = format!("SELECT {PROJECT_COLUMNS} FROM projects WHERE id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?.map(|r| project_from_row(&r)).transpose()
}

/// Projects of the customers in `[from, to]` whose balance is not invoiced yet.
pub async fn open_projects(conn: &mut Conn, from: i64, to: i64) -> Result<Vec<Project>, StoreError> {
    let sql = format!(
        "SELECT {PROJECT_COLUMNS} FROM projects WHERE balance_invoice_id IS NULL AND customer_id >= $1 AND customer_id <= $2 ORDER BY customer_id, id"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(from).bind(to).fetch_all(&mut *conn).await?.iter().map(project_from_row).collect()
}

pub async fn set_project_invoice(conn: &mut Conn, id: i64, deposit: bool, invoice_id: i64) -> Result<(), StoreError> {
    let col = if deposit { "deposit_invoice_id" } else { "balance_invoice_id" };
    sqlx::query(sqlx::AssertSqlSafe(format!("UPDATE projects SET {col} = $1, updated_at = $2 WHERE id = $3")))
        .bind(invoice_id)
        .bind(now_micros())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn set_project_delivered(conn: &mut Conn, id: i64, on: Date) -> Result<(), StoreError> {
    sqlx::query("UPDATE projects SET delivered_on = $1, updated_at = $2 WHERE id = $3")
        .bind(on.to_string())
        .bind(now_micros())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
