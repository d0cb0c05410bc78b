//! Subscriptions: a customer's services on a plan, with how far each is invoiced.

use jiff::civil::Date;
use loket_domain::billing::lifecycle::{Life, Phase, SubscriptionState};
use serde::Serialize;
use sqlx::Row;

use super::{V, date, flag, opt_date, update_rows};
use crate::read::{Arg, Columns};
use crate::time::now_micros;
use crate::{Conn, Store, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct Subscription {
    pub id: i64,
    pub customer_id: i64,
    pub plan_id: i64,
    pub terms_id: Option<i64>,
    pub label: String,
    pub price: Option<i64>,
    pub phase: Phase,
    pub suspended_since: Option<Date>,
    pub start_date: Date,
    pub ordered_on: Date,
    pub invoiced_until: Option<Date>,
    pub renewed_until: Option<Date>,
    pub ends_on: Option<Date>,
    pub setup_invoiced: bool,
    pub cancel_received_on: Option<Date>,
    pub cancel_channel: Option<String>,
    pub renewal_offered_for: Option<Date>,
    /// The service this one is an add-on to.
    pub parent_id: Option<i64>,
    /// That service's start: an add-on's billing periods follow its periods, so both are
    /// invoiced together.
    pub aligned_to: Option<Date>,
    pub plan_changed_on: Option<Date>,
}

impl Subscription {
    /// Whether an add-on can be made for it: it has not ended and is no add-on itself.
    pub fn takes_add_ons(&self) -> bool {
        !self.phase.is_final() && self.parent_id.is_none()
    }

    /// What is known about its life, for the pure rules.
    pub fn life(&self) -> Life {
        Life {
            phase: self.phase,
            suspended_since: self.suspended_since,
            ends_on: self.ends_on,
            renewed_until: self.renewed_until,
            renewal_offered_for: self.renewal_offered_for,
        }
    }

    /// The state people see.
    pub fn state(&self) -> SubscriptionState {
        self.life().state()
    }

    /// Takes over a life the rules produced.
    pub fn set_life(&mut self, life: Life) {
        self.phase = life.phase;
        self.suspended_since = life.suspended_since;
        self.ends_on = life.ends_on;
        self.renewed_until = life.renewed_until;
        self.renewal_offered_for = life.renewal_offered_for;
    }
}

const COLUMNS: &str = "id, customer_id, plan_id, terms_id, label, price, state, suspended_since, start_date, ordered_on, invoiced_until, \
                       renewed_until, ends_on, setup_invoiced, cancel_received_on, cancel_channel, renewal_offered_for, parent_id, aligned_to, plan_changed_on";

/// `state NOT IN (…)` for the final phases, as placeholders from `$first` (bound by [`bind_final`]).
fn not_final(first: usize) -> String {
    format!("state NOT IN ({})", super::in_list(first, Phase::FINAL.len()))
}

fn bind_final<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    for p in Phase::FINAL {
        q = q.bind(p.name());
    }
    q
}

fn from_row(row: &dyn Columns) -> Result<Subscription, StoreError> {
    let state: String = row.try_get("state")?;
    Ok(Subscription {
        id: row.try_get("id")?,
        customer_id: row.try_get("customer_id")?,
        plan_id: row.try_get("plan_id")?,
        terms_id: row.try_get("terms_id")?,
        label: row.try_get("label")?,
        price: row.try_get("price")?,
        phase: Phase::parse(&state).ok_or_else(|| StoreError::Corrupt(format!("subscription phase {state}")))?,
        suspended_since: opt_date(row, "suspended_since")?,
        start_date: date(row, "start_date")?,
        ordered_on: date(row, "ordered_on")?,
        invoiced_until: opt_date(row, "invoiced_until")?,
        renewed_until: opt_date(row, "renewed_until")?,
        ends_on: opt_date(row, "ends_on")?,
        setup_invoiced: flag(row, "setup_invoiced")?,
        cancel_received_on: opt_date(row, "cancel_received_on")?,
        cancel_channel: row.try_get("cancel_channel")?,
        renewal_offered_for: opt_date(row, "renewal_offered_for")?,
        parent_id: row.try_get("parent_id")?,
        aligned_to: opt_date(row, "aligned_to")?,
        plan_changed_on: opt_date(row, "plan_changed_on")?,
    })
}

/// A new subscription.
#[derive(Debug, Clone)]
pub struct NewSubscription {
    pub customer_id: i64,
    pub plan_id: i64,
    pub terms_id: Option<i64>,
    pub label: String,
    pub price: Option<i64>,
    pub life: Life,
    pub start_date: Date,
    pub ordered_on: Date,
    /// The service this one is an add-on to, and that service's start (see [`Subscription::aligned_to`]).
    pub parent_id: Option<i64>,
    pub aligned_to: Option<Date>,
}

pub async fn create_subscription(conn: &mut Conn, s: &NewSubscription) -> Result<i64, StoreError> {
    let now = now_micros();
    let row = sqlx::query(
        "INSERT INTO subscriptions (customer_id, plan_id, terms_id, label, price, state, start_date, ordered_on, renewed_until, setup_invoiced, \
         parent_id, aligned_to, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10, $11, $12, $12) RETURNING id",
    )
    .bind(s.customer_id)
    .bind(s.plan_id)
    .bind(s.terms_id)
    .bind(&s.label)
    .bind(s.price)
    .bind(s.life.phase.name())
    .bind(s.start_date.to_string())
    .bind(s.ordered_on.to_string())
    .bind(s.life.renewed_until.map(|d| d.to_string()))
    .bind(s.parent_id)
    .bind(s.aligned_to.map(|d| d.to_string()))
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    let id: i64 = row.try_get(0)?;
    // A new id has no words yet to replace: they are only added.
    crate::search::index_many(conn, crate::search::SERVICE, &[(id, vec![s.label.clone()])]).await?;
    Ok(id)
}

/// Gives every subscription with an id above `after` that has no words the words of its label
/// (subscriptions made in bulk, or before services were searchable).
pub async fn index_unindexed(conn: &mut Conn, mut after: i64) -> Result<u64, StoreError> {
    let mut n = 0u64;
    loop {
        let rows = sqlx::query(
            "SELECT id, label FROM subscriptions s WHERE id > $1 AND NOT EXISTS \
             (SELECT 1 FROM search_words w WHERE w.kind = $2 AND w.entity_id = s.id) ORDER BY id LIMIT 5000",
        )
        .bind(after)
        .bind(crate::search::SERVICE)
        .fetch_all(&mut *conn)
        .await?;
        let records: Vec<(i64, Vec<String>)> =
            rows.iter().map(|r| Ok((r.try_get::<i64, _>(0)?, vec![r.try_get::<String, _>(1)?]))).collect::<Result<_, StoreError>>()?;
        let Some((last, _)) = records.last() else { return Ok(n) };
        after = *last;
        crate::search::index_many(conn, crate::search::SERVICE, &records).await?;
        n += records.len() as u64;
    }
}

pub async fn subscription(conn: &mut Conn, id: i64) -> Result<Option<Subscription>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM subscriptions WHERE id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?.map(|r| from_row(&r)).transpose()
}

/// Subscriptions of the customers with ids in `[from, to]` that may still need something
/// (not ended, lapsed or terminated), ordered by customer and id.
pub async fn live_subscriptions(conn: &mut Conn, from: i64, to: i64) -> Result<Vec<Subscription>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM subscriptions WHERE customer_id >= $1 AND customer_id <= $2 AND {} ORDER BY customer_id, id",
        not_final(3)
    );
    bind_final(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(from).bind(to)).fetch_all(&mut *conn).await?.iter().map(|r| from_row(r)).collect()
}

pub async fn customer_subscriptions(conn: &mut Conn, customer_id: i64) -> Result<Vec<Subscription>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM subscriptions WHERE customer_id = $1 ORDER BY id");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(customer_id).fetch_all(&mut *conn).await?.iter().map(|r| from_row(r)).collect()
}

/// A customer's subscriptions with the catalog's stamp (`catalog::STAMP`) read in the same
/// statement, for pages that price them with the cached catalog; the stamp is `None` when the
/// customer has none.
pub async fn customer_subscriptions_stamped(conn: &mut Conn, customer_id: i64) -> Result<(Vec<Subscription>, Option<i64>), StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(STAMPED.as_str())).bind(customer_id).fetch_all(&mut *conn).await?;
    let stamp = rows.first().map(|r| r.try_get::<i64, _>("catalog_stamp")).transpose()?;
    Ok((rows.iter().map(|r| from_row(r)).collect::<Result<_, _>>()?, stamp))
}

static STAMPED: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!("SELECT {COLUMNS}, {} AS catalog_stamp FROM subscriptions WHERE customer_id = $1 ORDER BY id", super::catalog::STAMP)
});

/// Subscription `$1` with the catalog's stamp and its usage points of months `$2` to `$3`
/// (`YYYY-MM`) as one packed text, all read in one statement: a service's page is one round
/// trip for all three. (Reading the months as rows instead, by a join, cost the year's page more:
/// each row repeats the subscription's columns, and SQLite extracts them again for every row.)
static SERVICE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "SELECT {COLUMNS}, {} AS catalog_stamp, \
         {} AS usage_points FROM subscriptions WHERE id = $1",
        super::catalog::STAMP,
        crate::usage::MONTHS
    )
});

/// A row of [`SERVICE`].
fn stamped_service(r: &dyn Columns, id: i64, from: Date, to: Date) -> Result<StampedService, StoreError> {
    Ok(StampedService {
        subscription: from_row(r)?,
        catalog_stamp: r.try_get("catalog_stamp")?,
        usage: crate::usage::unpack_all(id, r.text("usage_points")?, from, to)?,
    })
}

/// What [`Store::service_stamped`] reads.
#[derive(Debug, Clone)]
pub struct StampedService {
    pub subscription: Subscription,
    pub catalog_stamp: i64,
    pub usage: Vec<loket_domain::usage::UsagePoint>,
}

impl Store {
    /// A card's subscriptions with the catalog's stamp, as [`customer_subscriptions_stamped`],
    /// on the pages' read path.
    pub async fn card_subscriptions_stamped(&self, customer_id: i64) -> Result<(Vec<Subscription>, Option<i64>), StoreError> {
        let rows =
            self.read(STAMPED.as_str(), &[Arg::Int(customer_id)], |r| Ok((from_row(r)?, r.try_get::<i64, _>("catalog_stamp")?))).await?;
        let stamp = rows.first().map(|(_, stamp)| *stamp);
        Ok((rows.into_iter().map(|(s, _)| s).collect(), stamp))
    }

    /// Subscription `id` with the catalog's stamp and its usage points from `from` up to and
    /// including `to` (oldest first), in one statement, on the pages' read path.
    pub async fn service_stamped(&self, id: i64, from: Date, to: Date) -> Result<Option<StampedService>, StoreError> {
        let (from_month, to_month) = (crate::usage::month_of(from), crate::usage::month_of(to));
        let args = [Arg::Int(id), Arg::Text(&from_month), Arg::Text(&to_month)];
        self.read_one(SERVICE.as_str(), &args, |r| stamped_service(r, id, from, to)).await
    }

    pub async fn subscription(&self, id: i64) -> Result<Option<Subscription>, StoreError> {
        subscription(&mut *self.acquire().await?, id).await
    }
    pub async fn customer_subscriptions(&self, customer_id: i64) -> Result<Vec<Subscription>, StoreError> {
        customer_subscriptions(&mut *self.acquire().await?, customer_id).await
    }
}

/// Records that the subscriptions in `rows` (id, invoiced until) are invoiced that far, and
/// their set-up fee with them.
pub async fn set_invoiced_until(conn: &mut Conn, rows: &[(i64, Date)]) -> Result<u64, StoreError> {
    let now = now_micros();
    let values: Vec<Vec<V>> = rows.iter().map(|(id, d)| vec![V::I(*id), V::from(*d)]).collect();
    update_rows(conn, "subscriptions", &format!("invoiced_until = v.column2, setup_invoiced = 1, updated_at = {now}"), &values).await
}

/// Writes what the life-cycle rules decided for subscription `id`: its phase and the facts
/// that go with it.
pub async fn save_life(conn: &mut Conn, id: i64, life: &Life) -> Result<(), StoreError> {
    save_lives(conn, &[(id, *life)]).await.map(|_| ())
}

/// [`save_life`] for many subscriptions at once.
pub async fn save_lives(conn: &mut Conn, lives: &[(i64, Life)]) -> Result<u64, StoreError> {
    let now = now_micros();
    let rows: Vec<Vec<V>> = lives
        .iter()
        .map(|(id, l)| {
            vec![
                V::I(*id),
                V::from(l.phase.name()),
                V::from(l.suspended_since),
                V::from(l.ends_on),
                V::from(l.renewed_until),
                V::from(l.renewal_offered_for),
            ]
        })
        .collect();
    update_rows(
        conn,
        "subscriptions",
        &format!(
            "state = v.column2, suspended_since = v.column3, ends_on = v.column4, renewed_until = v.column5, \
             renewal_offered_for = v.column6, updated_at = {now}"
        ),
        &rows,
    )
    .await
}

/// Records how a cancellation arrived; its effect is in the life saved with it.
pub async fn record_cancellation(conn: &mut Conn, id: i64, received: Date, channel: &str, life: &Life) -> Result<(), StoreError> {
    sqlx::query("UPDATE subscriptions SET cancel_received_on = $1, cancel_channel = $2, updated_at = $3 WHERE id = $4")
        .bind(received.to_string())
        .bind(channel)
        .bind(now_micros())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    save_life(conn, id, life).await
}

/// Sets how far a subscription is invoiced (lowered when what was invoiced ahead is credited,
/// moved on when a prepaid service paid late runs from its payment).
pub async fn set_invoiced_until_to(conn: &mut Conn, id: i64, until: Option<Date>) -> Result<(), StoreError> {
    sqlx::query("UPDATE subscriptions SET invoiced_until = $1, updated_at = $2 WHERE id = $3")
        .bind(until.map(|d| d.to_string()))
        .bind(now_micros())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn set_renewal_token(conn: &mut Conn, id: i64, token_hash: Option<&str>) -> Result<(), StoreError> {
    sqlx::query("UPDATE subscriptions SET renewal_token_hash = $1 WHERE id = $2").bind(token_hash).bind(id).execute(&mut *conn).await?;
    Ok(())
}

pub async fn subscription_by_renewal_token(conn: &mut Conn, token_hash: &str) -> Result<Option<Subscription>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM subscriptions WHERE renewal_token_hash = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(token_hash).fetch_optional(&mut *conn).await?.map(|r| from_row(&r)).transpose()
}

/// Moves a subscription to another plan (and price) from `on`.
pub async fn set_plan(conn: &mut Conn, id: i64, plan_id: i64, price: Option<i64>, on: Date) -> Result<(), StoreError> {
    sqlx::query("UPDATE subscriptions SET plan_id = $1, price = $2, plan_changed_on = $3, updated_at = $4 WHERE id = $5")
        .bind(plan_id)
        .bind(price)
        .bind(on.to_string())
        .bind(now_micros())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Subscriptions `ids` that still wait for their first payment are to be asked for it again
/// (their payment request was voided): nothing of them counts as invoiced.
pub async fn ask_payment_again(conn: &mut Conn, ids: &[i64]) -> Result<(), StoreError> {
    for id in ids {
        sqlx::query("UPDATE subscriptions SET invoiced_until = NULL, setup_invoiced = 0, updated_at = $1 WHERE id = $2 AND state = $3")
            .bind(now_micros())
            .bind(id)
            .bind(Phase::PendingPayment.name())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The add-ons of service `parent` that have not ended.
pub async fn live_add_ons(conn: &mut Conn, parent: i64) -> Result<Vec<Subscription>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM subscriptions WHERE parent_id = $1 AND {} ORDER BY id", not_final(2));
    let rows = bind_final(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(parent)).fetch_all(&mut *conn).await?;
    rows.iter().map(|r| from_row(r)).collect()
}

/// Moves the live subscriptions, open one-off lines and projects of a replaced customer card to
/// its successor (issue 3's "new customer card"). Documents stay with the card they were issued to.
pub async fn move_to_card(conn: &mut Conn, old: i64, new: i64) -> Result<u64, StoreError> {
    let now = now_micros();
    let sql = format!("UPDATE subscriptions SET customer_id = $1, updated_at = $2 WHERE customer_id = $3 AND {}", not_final(4));
    let mut n = bind_final(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(new).bind(now).bind(old)).execute(&mut *conn).await?.rows_affected();
    n += sqlx::query("UPDATE billable_items SET customer_id = $1 WHERE customer_id = $2 AND invoice_id IS NULL")
        .bind(new)
        .bind(old)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    n += sqlx::query("UPDATE projects SET customer_id = $1 WHERE customer_id = $2 AND balance_invoice_id IS NULL")
        .bind(new)
        .bind(old)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    Ok(n)
}
