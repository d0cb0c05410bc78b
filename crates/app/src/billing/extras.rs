//! What is billed besides subscriptions: one-off lines for the customer's next invoice (extra
//! work at the hourly rate, a fee) and web-design projects (a deposit at signing, the balance at
//! delivery or after the configured number of days).

use jiff::civil::Date;
use loket_domain::billing::catalog::parse_vat_category;
use loket_domain::input::{self, Sign};
use loket_domain::vat::{Line, Treatment};
use loket_domain::{FieldError, Money};
use loket_store::audit::Actor;
use loket_store::billing::items::{self, NewItem};
use loket_store::customers;
use serde_json::json;

use crate::billing::ops::{audit, parse_date};
use crate::billing::{AppError, Billing, invalid};

/// A one-off line as it arrives.
#[derive(Debug, Clone)]
pub struct ItemInput<'a> {
    pub customer_id: i64,
    pub description: &'a str,
    /// e.g. "1.5" (hours)
    pub quantity: &'a str,
    /// Net, e.g. "85.00"
    pub unit_price: &'a str,
    pub vat_category: Option<&'a str>,
    pub on: Date,
    /// manual, helpdesk, …
    pub source: &'a str,
}

fn category(field: &str, value: Option<&str>, e: &mut Vec<FieldError>) -> String {
    let c = value.unwrap_or("standard").trim();
    if parse_vat_category(c).is_none() {
        e.push(FieldError::new(field, "use standard, reduced, super_reduced, zero or exempt"));
    }
    c.to_string()
}

impl Billing {
    /// A one-off line for the customer's next invoice.
    pub async fn add_item(&self, actor: &Actor, i: &ItemInput<'_>) -> Result<i64, AppError> {
        let mut tx = self.store.begin().await?;
        let id = self.add_item_in(&mut tx, actor, i).await?;
        loket_store::commit(tx).await?;
        Ok(id)
    }

    /// [`Billing::add_item`] within the caller's transaction.
    pub(crate) async fn add_item_in(&self, tx: &mut loket_store::Conn, actor: &Actor, i: &ItemInput<'_>) -> Result<i64, AppError> {
        let mut e = Vec::new();
        let description = input::text("description", i.description, 300).map_err(|err| e.push(err)).ok();
        let qty = input::quantity("quantity", i.quantity).map_err(|err| e.push(err)).ok();
        let price = input::amount("unit_price", i.unit_price, self.provider.currency, Sign::NotNegative).map_err(|err| e.push(err)).ok();
        let category = category("vat_category", i.vat_category, &mut e);
        if let Err(err) = input::bounded_date("on", i.on) {
            e.push(err);
        }
        if let (Some(q), Some(p)) = (qty, price) {
            let net = Line { quantity_milli: q, unit_price: p, treatment: Treatment::Charged(0) }.net();
            if !net.is_ok_and(|n| n.minor <= input::MAX_AMOUNT_MINOR) {
                e.push(FieldError::new("quantity", "quantity × unit price is more than 1000000000.00"));
            }
        }
        if customers::customer(&mut *tx, i.customer_id).await?.is_none() {
            e.push(FieldError::new("customer_id", format!("no customer card {}", i.customer_id)));
        }
        let (Some(description), Some(qty), Some(price), true) = (description, qty, price, e.is_empty()) else {
            return Err(AppError::Invalid(e));
        };
        let id = items::create_item(
            &mut *tx,
            &NewItem {
                customer_id: i.customer_id,
                subscription_id: None,
                description: description.clone(),
                quantity_milli: qty,
                unit_price: price.minor,
                currency: price.currency,
                vat_category: category,
                period: None,
                source: i.source.into(),
                created_on: i.on,
                rate: None,
            },
        )
        .await?;
        audit(
            &mut *tx,
            actor,
            "billing.item",
            "billable_item",
            id,
            json!({"customer_id": i.customer_id, "description": description, "quantity_milli": qty, "unit_price": price.minor}),
        )
        .await?;
        Ok(id)
    }

    /// A project: the deposit is invoiced at signing, the balance at delivery or after the
    /// billing settings' `project_balance_days`.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_project(
        &self,
        actor: &Actor,
        customer_id: i64,
        description: &str,
        total: &str,
        deposit_percent: u32,
        vat_category: Option<&str>,
        signed_on: &str,
    ) -> Result<i64, AppError> {
        let mut e = Vec::new();
        let description = input::text("description", description, 300).map_err(|err| e.push(err)).ok();
        // A project of nothing would invoice a deposit and a balance of nothing.
        let total = input::amount("total", total, self.provider.currency, Sign::Positive).map_err(|err| e.push(err)).ok();
        if deposit_percent > 100 {
            e.push(FieldError::new("deposit_percent", "0 to 100"));
        }
        let category = category("vat_category", vat_category, &mut e);
        let signed = parse_date("signed_on", signed_on, &mut e);
        let mut tx = self.store.begin().await?;
        if customers::customer(&mut tx, customer_id).await?.is_none() {
            e.push(FieldError::new("customer_id", format!("no customer card {customer_id}")));
        }
        let (Some(description), Some(total), Some(signed), true) = (description, total, signed, e.is_empty()) else {
            return Err(AppError::Invalid(e));
        };
        let id = items::create_project(&mut tx, customer_id, &description, total.minor, total.currency, deposit_percent, &category, signed)
            .await?;
        audit(
            &mut tx,
            actor,
            "project.create",
            "project",
            id,
            json!({"customer_id": customer_id, "total": total.minor, "deposit_percent": deposit_percent, "signed_on": signed.to_string()}),
        )
        .await?;
        loket_store::commit(tx).await?;
        Ok(id)
    }

    pub async fn deliver_project(&self, actor: &Actor, id: i64, on: &str) -> Result<(), AppError> {
        let on = input::date("delivered_on", on)?;
        let mut tx = self.store.begin().await?;
        let p = items::project(&mut tx, id).await?.ok_or(AppError::NotFound("project"))?;
        if on < p.signed_on {
            return Err(invalid("delivered_on", format!("delivery dated {on}, before signing on {}", p.signed_on)));
        }
        if p.balance_invoice_id.is_some() {
            return Err(AppError::Conflict("the balance of this project is already invoiced".into()));
        }
        items::set_project_delivered(&mut tx, id, on).await?;
        audit(&mut tx, actor, "project.deliver", "project", id, json!({"delivered_on": on.to_string()})).await?;
        loket_store::commit(tx).await?;
        Ok(())
    }
}

/// The net of a quantity (thousandths) at a unit price, checked.
pub fn line_net(quantity_milli: i64, unit_price: Money) -> Option<Money> {
    Line { quantity_milli, unit_price, treatment: Treatment::Charged(0) }.net().ok()
}
