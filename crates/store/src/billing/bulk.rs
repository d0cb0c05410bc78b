//! Many rows at once, for imports and the billing benchmark: customer cards with given numbers
//! and subscriptions with a known billing state, by multi-row statements.

use loket_domain::customer::CustomerCard;

use super::subscriptions::NewSubscription;
use super::{V, insert_rows};
use crate::time::now_micros;
use crate::{Conn, StoreError};

/// Inserts cards with the numbers given (ids follow on from the last), with their search words.
pub async fn insert_customers(conn: &mut Conn, cards: &[(String, CustomerCard)]) -> Result<(), StoreError> {
    use sqlx::Row;
    let before: i64 = sqlx::query("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM customers").fetch_one(&mut *conn).await?.try_get(0)?;
    insert_cards(conn, cards).await?;
    crate::customers::index_unindexed(conn, before).await?;
    Ok(())
}

async fn insert_cards(conn: &mut Conn, cards: &[(String, CustomerCard)]) -> Result<(), StoreError> {
    let now = now_micros();
    let rows: Vec<Vec<V>> = cards
        .iter()
        .map(|(number, c)| {
            vec![
                V::from(number.as_str()),
                V::from(c.kind.name()),
                V::from(c.legal_name.as_str()),
                V::from(c.trading_name.clone()),
                V::from(c.address.street.as_str()),
                V::from(c.address.postal_code.as_str()),
                V::from(c.address.city.as_str()),
                V::T(c.address.country.to_string()),
                V::from(c.email.as_str()),
                V::from(c.invoice_email.as_str()),
                V::from(c.phone.clone()),
                V::from(c.language.code()),
                V::from(c.vat_number.clone()),
                V::from(c.coc_number.clone()),
                V::from(c.tax_code.clone()),
                V::from(c.sdi_code.clone()),
                V::from(c.pec.clone()),
                V::from(c.tier.as_str()),
                V::from(c.payment_method.name()),
                V::from(c.iban.clone()),
                V::I(i64::from(c.wants_invoice_reminder)),
                V::I(i64::from(c.requires_second_factor)),
                V::I(i64::from(c.wants_ubl_attachment)),
                V::I(now),
                V::I(now),
            ]
        })
        .collect();
    insert_rows(
        conn,
        "customers",
        &[
            "number",
            "kind",
            "legal_name",
            "trading_name",
            "street",
            "postal_code",
            "city",
            "country",
            "email",
            "invoice_email",
            "phone",
            "language",
            "vat_number",
            "coc_number",
            "tax_code",
            "sdi_code",
            "pec",
            "tier",
            "payment_method",
            "iban",
            "wants_invoice_reminder",
            "requires_second_factor",
            "wants_ubl_attachment",
            "created_at",
            "updated_at",
        ],
        &rows,
    )
    .await
}

/// Inserts subscriptions, each already invoiced until the date given (if any), with the search
/// words of their labels.
pub async fn insert_subscriptions(conn: &mut Conn, subs: &[(NewSubscription, Option<jiff::civil::Date>)]) -> Result<(), StoreError> {
    use sqlx::Row;
    let before: i64 =
        sqlx::query("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM subscriptions").fetch_one(&mut *conn).await?.try_get(0)?;
    let now = now_micros();
    let rows: Vec<Vec<V>> = subs
        .iter()
        .map(|(s, until)| {
            vec![
                V::I(s.customer_id),
                V::I(s.plan_id),
                V::OI(s.terms_id),
                V::from(s.label.as_str()),
                V::OI(s.price),
                V::from(s.life.phase.name()),
                V::from(s.start_date),
                V::from(s.ordered_on),
                V::from(*until),
                V::from(s.life.renewed_until),
                V::I(i64::from(until.is_some())),
                V::I(now),
                V::I(now),
            ]
        })
        .collect();
    insert_rows(
        conn,
        "subscriptions",
        &[
            "customer_id",
            "plan_id",
            "terms_id",
            "label",
            "price",
            "state",
            "start_date",
            "ordered_on",
            "invoiced_until",
            "renewed_until",
            "setup_invoiced",
            "created_at",
            "updated_at",
        ],
        &rows,
    )
    .await?;
    super::subscriptions::index_unindexed(conn, before).await?;
    Ok(())
}

/// The number of documents and their gross total, per kind (for checks).
pub async fn document_totals(conn: &mut Conn, kind: &str) -> Result<(i64, i64), StoreError> {
    use sqlx::Row;
    let row = sqlx::query("SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(gross), 0) AS BIGINT) FROM invoices WHERE kind = $1")
        .bind(kind)
        .fetch_one(&mut *conn)
        .await?;
    Ok((row.try_get(0)?, row.try_get(1)?))
}
