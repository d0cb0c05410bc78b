//! The catalog: billing settings, named terms, products and plans. Written by `loket billing
//! apply FILE` and the API (upsert by code), read whole into a [`Catalog`] by every billing
//! operation (it is small).

use std::collections::HashMap;

use loket_domain::billing::catalog::{
    Plan, PlanSpec, Product, ProductKind, Settings, SettingsSpec, TermsSpec, parse_vat_category, vat_category_name,
};
use loket_domain::billing::{Period, Terms};
use loket_domain::{Currency, Money};
use serde::Serialize;
use sqlx::Row;

use crate::time::now_micros;
use crate::{Conn, Store, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct TermsRow {
    pub id: i64,
    pub code: String,
    pub spec: TermsSpec,
    #[serde(skip)]
    pub terms: Terms,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProductRow {
    pub id: i64,
    pub code: String,
    #[serde(flatten)]
    pub product: Product,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanRow {
    pub id: i64,
    pub code: String,
    pub product_id: i64,
    pub terms_id: i64,
    pub name: String,
    pub currency: Currency,
    /// (period as written, net price)
    pub prices: Vec<(String, Money)>,
    pub setup_fee: Money,
}

impl PlanRow {
    pub fn price_for(&self, period: Period) -> Option<Money> {
        self.prices.iter().find(|(p, _)| Period::parse(p).ok() == Some(period)).map(|(_, m)| *m)
    }
}

/// Everything the engine needs to know about what is sold.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub settings: Option<Settings>,
    pub settings_spec: SettingsSpec,
    pub terms: HashMap<i64, TermsRow>,
    pub products: HashMap<i64, ProductRow>,
    pub plans: HashMap<i64, PlanRow>,
}

impl Catalog {
    pub fn terms_by_code(&self, code: &str) -> Option<&TermsRow> {
        self.terms.values().find(|t| t.code == code)
    }
    pub fn product_by_code(&self, code: &str) -> Option<&ProductRow> {
        self.products.values().find(|p| p.code == code)
    }
    pub fn plan_by_code(&self, code: &str) -> Option<&PlanRow> {
        self.plans.values().find(|p| p.code == code)
    }
    /// The settings, or the defaults when none were applied.
    pub fn settings(&self, currency: Currency) -> Settings {
        self.settings.clone().unwrap_or_else(|| SettingsSpec::default().validate(currency).expect("defaults are valid"))
    }
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

fn field_errors(what: &str, e: Vec<loket_domain::FieldError>) -> StoreError {
    corrupt(what, e.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))
}

pub async fn load_catalog(conn: &mut Conn, currency: Currency) -> Result<Catalog, StoreError> {
    let mut c = Catalog::default();
    if let Some(row) = sqlx::query("SELECT spec FROM billing_settings WHERE id = 1").fetch_optional(&mut *conn).await? {
        let spec: SettingsSpec = serde_json::from_str(&row.try_get::<String, _>(0)?).map_err(|e| corrupt("billing settings", e))?;
        c.settings = Some(spec.validate(currency).map_err(|e| field_errors("billing settings", e))?);
        c.settings_spec = spec;
    }
    for row in sqlx::query("SELECT id, code, spec FROM terms").fetch_all(&mut *conn).await? {
        let spec: TermsSpec = serde_json::from_str(&row.try_get::<String, _>("spec")?).map_err(|e| corrupt("terms", e))?;
        let terms = spec.validate().map_err(|e| field_errors("terms", e))?;
        let id: i64 = row.try_get("id")?;
        c.terms.insert(id, TermsRow { id, code: row.try_get("code")?, spec, terms });
    }
    for row in sqlx::query("SELECT id, code, name, kind, vat_category, requires_prepayment FROM products").fetch_all(&mut *conn).await? {
        let id: i64 = row.try_get("id")?;
        let kind = ProductKind::parse(&row.try_get::<String, _>("kind")?).ok_or_else(|| corrupt("product", "kind"))?;
        let vat_category = parse_vat_category(&row.try_get::<String, _>("vat_category")?).ok_or_else(|| corrupt("product", "vat"))?;
        let product = Product {
            name: row.try_get("name")?,
            kind,
            vat_category,
            requires_prepayment: row.try_get::<i64, _>("requires_prepayment")? != 0,
        };
        c.products.insert(id, ProductRow { id, code: row.try_get("code")?, product });
    }
    for row in
        sqlx::query("SELECT id, code, name, product_id, terms_id, currency, prices, setup_fee FROM plans").fetch_all(&mut *conn).await?
    {
        let id: i64 = row.try_get("id")?;
        let currency: Currency = row.try_get::<String, _>("currency")?.parse().map_err(|e| corrupt("plan", e))?;
        let prices: std::collections::BTreeMap<String, i64> =
            serde_json::from_str(&row.try_get::<String, _>("prices")?).map_err(|e| corrupt("plan", e))?;
        c.plans.insert(
            id,
            PlanRow {
                id,
                code: row.try_get("code")?,
                product_id: row.try_get("product_id")?,
                terms_id: row.try_get("terms_id")?,
                name: row.try_get("name")?,
                currency,
                prices: prices.into_iter().map(|(p, m)| (p, Money::new(m, currency))).collect(),
                setup_fee: Money::new(row.try_get("setup_fee")?, currency),
            },
        );
    }
    Ok(c)
}

/// Which catalog is current, as one SQL expression: the stamp that the triggers of migration
/// 0027 move on with every change to the terms, products, plans or billing settings, in the
/// changing transaction. A statement that reads what the catalog prices carries it as a column
/// (see `subscriptions::customer_subscriptions_stamped`), so that a page checks its cached
/// catalog without a round trip of its own.
pub(crate) const STAMP: &str = "(SELECT stamp FROM catalog_stamp WHERE id = 1)";

async fn catalog_stamp(conn: &mut Conn) -> Result<i64, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {STAMP}"))).fetch_one(&mut *conn).await?;
    Ok(row.try_get(0)?)
}

impl Store {
    pub async fn catalog(&self, currency: Currency) -> Result<Catalog, StoreError> {
        let mut conn = self.acquire().await?;
        load_catalog(&mut conn, currency).await
    }

    /// The catalog's current stamp (see [`STAMP`]).
    pub async fn catalog_stamp(&self) -> Result<i64, StoreError> {
        catalog_stamp(&mut *self.acquire().await?).await
    }

    /// The catalog for reading pages and lists: the copy this process read last, as long as
    /// nothing in it changed since (one small query instead of reading and checking it all).
    /// Work that changes data reads the catalog in its own transaction instead.
    pub async fn catalog_shared(&self, conn: &mut Conn, currency: Currency) -> Result<std::sync::Arc<Catalog>, StoreError> {
        let stamp = catalog_stamp(conn).await?;
        self.catalog_at(conn, stamp, currency).await
    }

    /// The catalog as of `stamp` (read with [`STAMP`] by a statement of the caller's): the
    /// cached copy when it is that one, otherwise read again.
    pub async fn catalog_at(&self, conn: &mut Conn, stamp: i64, currency: Currency) -> Result<std::sync::Arc<Catalog>, StoreError> {
        if let Some(cached) = self.cached_catalog(stamp) {
            return Ok(cached);
        }
        let fresh = std::sync::Arc::new(load_catalog(conn, currency).await?);
        if let Ok(mut cache) = self.catalog_cache.lock() {
            *cache = Some((stamp, fresh.clone()));
        }
        Ok(fresh)
    }

    /// The catalog as of `stamp` (see [`Store::catalog_at`]), taking a connection only when
    /// it has to be read.
    pub async fn catalog_stamped(&self, stamp: i64, currency: Currency) -> Result<std::sync::Arc<Catalog>, StoreError> {
        match self.cached_catalog(stamp) {
            Some(cached) => Ok(cached),
            None => self.catalog_at(&mut *self.acquire().await?, stamp, currency).await,
        }
    }

    fn cached_catalog(&self, stamp: i64) -> Option<std::sync::Arc<Catalog>> {
        let cache = self.catalog_cache.lock().ok()?;
        let (s, c) = cache.as_ref()?;
        (*s == stamp).then(|| c.clone())
    }
}

pub async fn put_settings(conn: &mut Conn, spec: &SettingsSpec) -> Result<(), StoreError> {
    let json = serde_json::to_string(spec).map_err(|e| StoreError::Invalid(e.to_string()))?;
    sqlx::query(
        "INSERT INTO billing_settings (id, spec, updated_at) VALUES (1, $1, $2) \
         ON CONFLICT (id) DO UPDATE SET spec = excluded.spec, updated_at = excluded.updated_at",
    )
    .bind(json)
    .bind(now_micros())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Creates or replaces the terms `code`. Returns the id.
pub async fn put_terms(conn: &mut Conn, code: &str, spec: &TermsSpec) -> Result<i64, StoreError> {
    let json = serde_json::to_string(spec).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let now = now_micros();
    let row = sqlx::query(
        "INSERT INTO terms (code, name, spec, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) \
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, spec = excluded.spec, updated_at = excluded.updated_at RETURNING id",
    )
    .bind(code)
    .bind(spec.name.trim())
    .bind(json)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

pub async fn put_product(conn: &mut Conn, code: &str, p: &Product) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO products (code, name, kind, vat_category, requires_prepayment, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) \
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, vat_category = excluded.vat_category, \
         requires_prepayment = excluded.requires_prepayment, updated_at = excluded.updated_at RETURNING id",
    )
    .bind(code)
    .bind(&p.name)
    .bind(p.kind.name())
    .bind(vat_category_name(p.vat_category))
    .bind(i64::from(p.requires_prepayment))
    .bind(now_micros())
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

/// Creates or replaces the plan `code`; its product and terms must exist (by code).
pub async fn put_plan(conn: &mut Conn, code: &str, spec: &PlanSpec, plan: &Plan) -> Result<i64, StoreError> {
    let product: Option<i64> =
        sqlx::query("SELECT id FROM products WHERE code = $1").bind(&plan.product).fetch_optional(&mut *conn).await?.map(|r| r.get(0));
    let terms: Option<i64> =
        sqlx::query("SELECT id FROM terms WHERE code = $1").bind(&plan.terms).fetch_optional(&mut *conn).await?.map(|r| r.get(0));
    let product = product.ok_or_else(|| StoreError::Invalid(format!("product: no product with the code `{}`", plan.product)))?;
    let terms = terms.ok_or_else(|| StoreError::Invalid(format!("terms: no terms with the code `{}`", plan.terms)))?;
    let prices: std::collections::BTreeMap<String, i64> =
        spec.prices.keys().cloned().zip(plan.prices.iter().map(|(_, m)| m.minor)).collect();
    let currency = plan.setup_fee.currency.code();
    let row = sqlx::query(
        "INSERT INTO plans (code, name, product_id, terms_id, currency, prices, setup_fee, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, product_id = excluded.product_id, terms_id = excluded.terms_id, \
         currency = excluded.currency, prices = excluded.prices, setup_fee = excluded.setup_fee, updated_at = excluded.updated_at RETURNING id",
    )
    .bind(code)
    .bind(&plan.name)
    .bind(product)
    .bind(terms)
    .bind(currency)
    .bind(serde_json::to_string(&prices).unwrap_or_default())
    .bind(plan.setup_fee.minor)
    .bind(now_micros())
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

/// A code for terms, products and plans: 1–40 lower-case letters, digits, `-` and `_`.
pub fn valid_code(code: &str) -> bool {
    !code.is_empty() && code.len() <= 40 && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}
