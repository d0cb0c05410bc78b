//! Customer cards.

use jiff::Timestamp;
use loket_domain::customer::{CustomerCard, CustomerKind, PaymentMethod};
use loket_domain::provider::Address;
use serde::Serialize;
use sqlx::Row;

use crate::time::{from_micros, now_micros};
use crate::{Conn, Store, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct Customer {
    pub id: i64,
    /// The number people use: C000123.
    pub number: String,
    #[serde(flatten)]
    pub card: CustomerCard,
    /// The card that replaced this one (after a change of tax identity).
    pub replaced_by: Option<i64>,
    pub created_at: Timestamp,
}

pub(crate) const COLUMNS: &str = "id, number, kind, legal_name, trading_name, street, postal_code, city, country, email, invoice_email, phone, language, \
                       vat_number, coc_number, tax_code, sdi_code, pec, tier, payment_method, iban, wants_invoice_reminder, requires_second_factor, \
                       wants_ubl_attachment, replaced_by, created_at";

fn corrupt<E: std::fmt::Display>(e: E) -> StoreError {
    StoreError::Corrupt(format!("customer: {e}"))
}

pub(crate) fn from_row(row: &dyn crate::read::Columns) -> Result<Customer, StoreError> {
    let kind = match row.try_get::<String, _>("kind")?.as_str() {
        "business" => CustomerKind::Business,
        "consumer" => CustomerKind::Consumer,
        other => return Err(corrupt(other)),
    };
    let payment_method = match row.try_get::<String, _>("payment_method")?.as_str() {
        "invoice" => PaymentMethod::Invoice,
        "direct_debit" => PaymentMethod::DirectDebit,
        "online" => PaymentMethod::Online,
        other => return Err(corrupt(other)),
    };
    Ok(Customer {
        id: row.try_get("id")?,
        number: row.try_get("number")?,
        card: CustomerCard {
            kind,
            legal_name: row.try_get("legal_name")?,
            trading_name: row.try_get("trading_name")?,
            address: Address {
                street: row.try_get("street")?,
                postal_code: row.try_get("postal_code")?,
                city: row.try_get("city")?,
                country: row.try_get::<String, _>("country")?.parse().map_err(corrupt)?,
            },
            email: row.try_get("email")?,
            invoice_email: row.try_get("invoice_email")?,
            phone: row.try_get("phone")?,
            language: row.try_get::<String, _>("language")?.parse().map_err(corrupt)?,
            vat_number: row.try_get("vat_number")?,
            coc_number: row.try_get("coc_number")?,
            tax_code: row.try_get("tax_code")?,
            sdi_code: row.try_get("sdi_code")?,
            pec: row.try_get("pec")?,
            tier: row.try_get("tier")?,
            payment_method,
            iban: row.try_get("iban")?,
            wants_invoice_reminder: row.try_get::<i64, _>("wants_invoice_reminder")? != 0,
            requires_second_factor: row.try_get::<i64, _>("requires_second_factor")? != 0,
            wants_ubl_attachment: row.try_get::<i64, _>("wants_ubl_attachment")? != 0,
        },
        replaced_by: row.try_get("replaced_by")?,
        created_at: from_micros(row.try_get("created_at")?),
    })
}

/// Stores a new card and gives it its number (C + id, six digits at least). Returns (id, number).
pub async fn create_customer(conn: &mut Conn, c: &CustomerCard) -> Result<(i64, String), StoreError> {
    let now = now_micros();
    let placeholder = format!("new-{:032x}", rand_u128());
    let row = sqlx::query(
        "INSERT INTO customers (number, kind, legal_name, trading_name, street, postal_code, city, country, email, invoice_email, phone, language, \
         vat_number, coc_number, tax_code, sdi_code, pec, tier, payment_method, iban, wants_invoice_reminder, requires_second_factor, created_at, \
         updated_at, wants_ubl_attachment) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $23, $24) \
         RETURNING id",
    )
    .bind(&placeholder)
    .bind(c.kind.name())
    .bind(&c.legal_name)
    .bind(&c.trading_name)
    .bind(&c.address.street)
    .bind(&c.address.postal_code)
    .bind(&c.address.city)
    .bind(c.address.country.to_string())
    .bind(&c.email)
    .bind(&c.invoice_email)
    .bind(&c.phone)
    .bind(c.language.code())
    .bind(&c.vat_number)
    .bind(&c.coc_number)
    .bind(&c.tax_code)
    .bind(&c.sdi_code)
    .bind(&c.pec)
    .bind(&c.tier)
    .bind(c.payment_method.name())
    .bind(&c.iban)
    .bind(i64::from(c.wants_invoice_reminder))
    .bind(i64::from(c.requires_second_factor))
    .bind(now)
    .bind(i64::from(c.wants_ubl_attachment))
    .fetch_one(&mut *conn)
    .await?;
    let id: i64 = row.try_get(0)?;
    let number = format!("C{id:06}");
    sqlx::query("UPDATE customers SET number = $1 WHERE id = $2").bind(&number).bind(id).execute(&mut *conn).await?;
    index_words(conn, id, &number, c).await?;
    Ok((id, number))
}

/// The texts of a card that its search finds.
pub(crate) fn search_texts(number: &str, c: &CustomerCard) -> Vec<String> {
    let mut t = vec![
        number.to_string(),
        c.legal_name.clone(),
        c.email.clone(),
        c.invoice_email.clone(),
        c.address.city.clone(),
        c.address.postal_code.clone(),
    ];
    t.extend(c.trading_name.clone());
    t.extend(c.vat_number.clone());
    t.extend(c.coc_number.clone());
    t.extend(c.tax_code.clone());
    t.extend(c.sdi_code.clone());
    t.extend(c.pec.clone());
    t
}

async fn index_words(conn: &mut Conn, id: i64, number: &str, c: &CustomerCard) -> Result<(), StoreError> {
    let texts = search_texts(number, c);
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    crate::search::index(conn, crate::search::CUSTOMER, id, &refs).await
}

/// One card, read on `conn` (inside the caller's transaction).
pub async fn customer(conn: &mut Conn, id: i64) -> Result<Option<Customer>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM customers WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(|r| from_row(r)).transpose()
}

/// The card with customer number `number` (e.g. `C000001`; case as stored).
pub async fn customer_by_number(conn: &mut Conn, number: &str) -> Result<Option<Customer>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM customers WHERE number = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(number.trim().to_ascii_uppercase()).fetch_optional(&mut *conn).await?;
    row.as_ref().map(|r| from_row(r)).transpose()
}

/// Gives every card with an id above `after` that has no words its words (cards made in bulk,
/// or before the search came in).
pub async fn index_unindexed(conn: &mut Conn, mut after: i64) -> Result<u64, StoreError> {
    let mut n = 0u64;
    loop {
        let sql = format!(
            "SELECT {COLUMNS} FROM customers c WHERE id > $1 AND NOT EXISTS (SELECT 1 FROM search_words w WHERE w.kind = $2 AND w.entity_id = c.id) \
             ORDER BY id LIMIT 1000"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(after).bind(crate::search::CUSTOMER).fetch_all(&mut *conn).await?;
        let cards: Vec<Customer> = rows.iter().map(|r| from_row(r)).collect::<Result<_, _>>()?;
        let Some(last) = cards.last() else { return Ok(n) };
        after = last.id;
        let records: Vec<(i64, Vec<String>)> = cards.iter().map(|c| (c.id, search_texts(&c.number, &c.card))).collect();
        crate::search::index_many(conn, crate::search::CUSTOMER, &records).await?;
        n += cards.len() as u64;
    }
}

fn rand_u128() -> u128 {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    nanos ^ (u128::from(std::process::id()) << 64)
}

impl Store {
    /// One card, on the pages' read path.
    pub async fn customer(&self, id: i64) -> Result<Option<Customer>, StoreError> {
        static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| format!("SELECT {COLUMNS} FROM customers WHERE id = $1"));
        self.read_one(SQL.as_str(), &[crate::read::Arg::Int(id)], from_row).await
    }

    /// See [`customer_by_number`].
    pub async fn customer_by_number(&self, number: &str) -> Result<Option<Customer>, StoreError> {
        customer_by_number(&mut *self.acquire().await?, number).await
    }

    /// Cards whose words start with the words of `search` (number, names, e-mail, city, postal
    /// code, VAT and chamber-of-commerce number, tax code, SDI code and PEC), by name; without a
    /// search the newest first. On the pages' read path.
    pub async fn customers(&self, search: Option<&str>, limit: i64) -> Result<Vec<Customer>, StoreError> {
        use crate::read::Arg;
        let limit = limit.clamp(1, 1000);
        let Some(q) = search.map(str::trim).filter(|q| !q.is_empty()) else {
            static NEWEST: std::sync::LazyLock<String> =
                std::sync::LazyLock::new(|| format!("SELECT {COLUMNS} FROM customers ORDER BY id DESC LIMIT CAST($1 AS BIGINT)"));
            return self.read(NEWEST.as_str(), &[Arg::Int(limit)], from_row).await;
        };
        let ids = crate::search::find(self, crate::search::CUSTOMER, q, limit as usize).await?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql =
            format!("SELECT {COLUMNS} FROM customers WHERE id IN ({}) ORDER BY legal_name, id", crate::billing::in_list(1, ids.len()));
        let args: Vec<Arg<'_>> = ids.iter().map(|id| Arg::Int(*id)).collect();
        self.read(&sql, &args, from_row).await
    }
}

/// Writes a card's changed data. The tax identity (kind, VAT, chamber of commerce, tax code) is
/// deliberately not among the columns written: it never changes on an existing card.
pub async fn update_customer(conn: &mut Conn, id: i64, c: &CustomerCard) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE customers SET legal_name = $1, trading_name = $2, street = $3, postal_code = $4, city = $5, country = $6, email = $7, \
         invoice_email = $8, sdi_code = $9, pec = $10, phone = $11, language = $12, tier = $13, payment_method = $14, iban = $15, \
         wants_invoice_reminder = $16, requires_second_factor = $17, updated_at = $18, wants_ubl_attachment = $20 WHERE id = $19",
    )
    .bind(&c.legal_name)
    .bind(&c.trading_name)
    .bind(&c.address.street)
    .bind(&c.address.postal_code)
    .bind(&c.address.city)
    .bind(c.address.country.to_string())
    .bind(&c.email)
    .bind(&c.invoice_email)
    .bind(&c.sdi_code)
    .bind(&c.pec)
    .bind(&c.phone)
    .bind(c.language.code())
    .bind(&c.tier)
    .bind(c.payment_method.name())
    .bind(&c.iban)
    .bind(i64::from(c.wants_invoice_reminder))
    .bind(i64::from(c.requires_second_factor))
    .bind(now_micros())
    .bind(id)
    .bind(i64::from(c.wants_ubl_attachment))
    .execute(&mut *conn)
    .await?;
    let number: String = sqlx::query("SELECT number FROM customers WHERE id = $1").bind(id).fetch_one(&mut *conn).await?.try_get(0)?;
    index_words(conn, id, &number, c).await
}

/// Marks `old` as replaced by `new` (after a change of tax identity) and moves the given users'
/// memberships to the new card; its live subscriptions, open one-off lines and projects move
/// too. Returns how many memberships moved.
pub async fn replace_customer(conn: &mut Conn, old: i64, new: i64, user_ids: &[i64]) -> Result<u64, StoreError> {
    sqlx::query("UPDATE customers SET replaced_by = $1, updated_at = $2 WHERE id = $3")
        .bind(new)
        .bind(now_micros())
        .bind(old)
        .execute(&mut *conn)
        .await?;
    let mut moved = 0;
    for user in user_ids {
        moved += sqlx::query("UPDATE memberships SET customer_id = $1 WHERE customer_id = $2 AND user_id = $3")
            .bind(new)
            .bind(old)
            .bind(user)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    // Services, open one-off lines and unfinished projects go with the customer to the new
    // card; issued documents stay with the card they were issued to.
    crate::billing::subscriptions::move_to_card(conn, old, new).await?;
    Ok(moved)
}

/// A user on a customer card, as staff see it.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub permissions: String,
}

impl Store {
    pub async fn members(&self, customer_id: i64) -> Result<Vec<Member>, StoreError> {
        members(&mut *self.acquire().await?, customer_id).await
    }
}

/// The users on a card, read on `conn`.
pub async fn members(conn: &mut Conn, customer_id: i64) -> Result<Vec<Member>, StoreError> {
    {
        let rows = sqlx::query(
            "SELECT u.id, u.email, u.name, m.role, m.permissions FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.customer_id = $1 ORDER BY u.email",
        )
        .bind(customer_id)
        .fetch_all(&mut *conn)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Member {
                    user_id: r.try_get(0)?,
                    email: r.try_get(1)?,
                    name: r.try_get(2)?,
                    role: r.try_get(3)?,
                    permissions: r.try_get(4)?,
                })
            })
            .collect()
    }
}

/// Up to `limit` customer cards with an id above `after`, in id order (for runs over all cards).
pub async fn customers_page(conn: &mut Conn, after: i64, limit: i64) -> Result<Vec<Customer>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM customers WHERE id > $1 ORDER BY id LIMIT CAST($2 AS BIGINT)");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(after).bind(limit).fetch_all(&mut *conn).await?;
    rows.iter().map(|r| from_row(r)).collect()
}

/// Up to `limit` card ids above `after`, in order (when a page of cards cannot be read whole).
pub async fn customer_ids_page(conn: &mut Conn, after: i64, limit: i64) -> Result<Vec<i64>, StoreError> {
    let rows = sqlx::query("SELECT id FROM customers WHERE id > $1 ORDER BY id LIMIT CAST($2 AS BIGINT)")
        .bind(after)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
}

/// How many cards there are.
pub async fn count(conn: &mut Conn) -> Result<i64, StoreError> {
    Ok(sqlx::query("SELECT CAST(COUNT(*) AS BIGINT) FROM customers").fetch_one(&mut *conn).await?.try_get(0)?)
}
