//! Writing the catalog — terms, products, plans and the billing settings — through one path,
//! whether it comes from the API or a billing file, so both accept exactly the same: every spec
//! validated field by field, every plan priced for its terms' billing period, no change of terms
//! that would leave a plan that uses them without a price.

use loket_domain::FieldError;
use loket_domain::billing::catalog::{PlanSpec, ProductSpec, SettingsSpec, TermsSpec};
use loket_store::Conn;
use loket_store::audit::Actor;
use loket_store::billing::catalog::{self as store, load_catalog, valid_code};
use serde_json::json;

use crate::billing::ops::audit;
use crate::billing::{AppError, Billing};

/// A code's problem, if any.
fn code_error(field: &str, code: &str) -> Option<FieldError> {
    (!valid_code(code)).then(|| FieldError::new(field, "a code is 1–40 lower-case letters, digits, - or _"))
}

fn prefixed(prefix: &str, errors: Vec<FieldError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|e| FieldError::new(if prefix.is_empty() { e.field } else { format!("{prefix}.{}", e.field) }, e.message))
        .collect()
}

impl Billing {
    /// Creates or replaces the terms `code`; plans on them must have a price for their
    /// billing period. Fields are named with `prefix` (`terms.CODE` in a billing file).
    pub(crate) async fn put_terms_in(
        &self,
        tx: &mut Conn,
        prefix: &str,
        code: &str,
        spec: &TermsSpec,
        check_plans: bool,
    ) -> Result<i64, Vec<FieldError>> {
        let fail = |e: loket_store::StoreError| vec![FieldError::new(prefix, e.to_string())];
        if let Some(e) = code_error("code", code) {
            return Err(prefixed(prefix, vec![e]));
        }
        let terms = spec.validate().map_err(|e| prefixed(prefix, e))?;
        let catalog = load_catalog(tx, self.provider.currency).await.map_err(fail)?;
        if check_plans && let Some(existing) = catalog.terms_by_code(code) {
            let unpriced: Vec<&str> = catalog
                .plans
                .values()
                .filter(|p| p.terms_id == existing.id && p.price_for(terms.billing_period).is_none())
                .map(|p| p.code.as_str())
                .collect();
            if !unpriced.is_empty() {
                return Err(prefixed(
                    prefix,
                    vec![FieldError::new(
                        "billing_period",
                        format!(
                            "plans {} on these terms have no price per {}: price them first",
                            unpriced.join(", "),
                            terms.billing_period
                        ),
                    )],
                ));
            }
        }
        store::put_terms(tx, code, spec).await.map_err(fail)
    }

    pub(crate) async fn put_product_in(&self, tx: &mut Conn, prefix: &str, code: &str, spec: &ProductSpec) -> Result<i64, Vec<FieldError>> {
        if let Some(e) = code_error("code", code) {
            return Err(prefixed(prefix, vec![e]));
        }
        let product = spec.validate().map_err(|e| prefixed(prefix, e))?;
        store::put_product(tx, code, &product).await.map_err(|e| vec![FieldError::new(prefix, e.to_string())])
    }

    /// Creates or replaces the plan `code`: its product and terms must exist, and it must have a
    /// price for its terms' billing period.
    pub(crate) async fn put_plan_in(&self, tx: &mut Conn, prefix: &str, code: &str, spec: &PlanSpec) -> Result<i64, Vec<FieldError>> {
        let fail = |e: loket_store::StoreError| vec![FieldError::new(prefix, e.to_string())];
        if let Some(e) = code_error("code", code) {
            return Err(prefixed(prefix, vec![e]));
        }
        let plan = spec.validate().map_err(|e| prefixed(prefix, e))?;
        let catalog = load_catalog(tx, self.provider.currency).await.map_err(fail)?;
        let mut e = Vec::new();
        if catalog.product_by_code(&plan.product).is_none() {
            e.push(FieldError::new("product", format!("no product with the code `{}`", loket_domain::input::sample(&plan.product))));
        }
        match catalog.terms_by_code(&plan.terms) {
            None => e.push(FieldError::new("terms", format!("no terms with the code `{}`", loket_domain::input::sample(&plan.terms)))),
            Some(t) if plan.price_for(t.terms.billing_period).is_none() => e.push(FieldError::new(
                "prices",
                format!("no price for the billing period of terms `{}` ({}): add it", t.code, t.terms.billing_period),
            )),
            Some(_) => {}
        }
        if !e.is_empty() {
            return Err(prefixed(prefix, e));
        }
        store::put_plan(tx, code, spec, &plan).await.map_err(fail)
    }

    /// The billing settings after `patch` (the keys of a `[billing]` section) over what is
    /// stored: what the patch does not name stays as it is.
    pub(crate) async fn settings_with(&self, tx: &mut Conn, patch: &toml::Table) -> Result<SettingsSpec, Vec<FieldError>> {
        let catalog = load_catalog(tx, self.provider.currency).await.map_err(|e| vec![FieldError::new("billing", e.to_string())])?;
        let spec = merge_settings(&catalog.settings_spec, patch)?;
        spec.validate(self.provider.currency).map_err(|e| prefixed("billing", e))?;
        Ok(spec)
    }

    pub async fn put_terms(&self, actor: &Actor, code: &str, spec: &TermsSpec) -> Result<i64, AppError> {
        let mut tx = self.store.begin().await?;
        let id = self.put_terms_in(&mut tx, "", code, spec, true).await.map_err(AppError::Invalid)?;
        audit(&mut tx, actor, "terms.put", "terms", id, json!({"code": code, "spec": spec})).await?;
        loket_store::commit(tx).await?;
        Ok(id)
    }

    pub async fn put_product(&self, actor: &Actor, code: &str, spec: &ProductSpec) -> Result<i64, AppError> {
        let mut tx = self.store.begin().await?;
        let id = self.put_product_in(&mut tx, "", code, spec).await.map_err(AppError::Invalid)?;
        audit(&mut tx, actor, "product.put", "product", id, json!({"code": code, "spec": spec})).await?;
        loket_store::commit(tx).await?;
        Ok(id)
    }

    pub async fn put_plan(&self, actor: &Actor, code: &str, spec: &PlanSpec) -> Result<i64, AppError> {
        let mut tx = self.store.begin().await?;
        let id = self.put_plan_in(&mut tx, "", code, spec).await.map_err(AppError::Invalid)?;
        audit(&mut tx, actor, "plan.put", "plan", id, json!({"code": code, "spec": spec})).await?;
        loket_store::commit(tx).await?;
        Ok(id)
    }
}

/// Plans that cannot be billed: no price for their terms' billing period (after a billing file
/// changed terms and plans together).
pub(crate) async fn unpriced_plans(conn: &mut Conn, currency: loket_domain::Currency) -> Result<Vec<FieldError>, AppError> {
    let catalog = load_catalog(conn, currency).await?;
    let mut e = Vec::new();
    for p in catalog.plans.values() {
        if let Some(t) = catalog.terms.get(&p.terms_id)
            && p.price_for(t.terms.billing_period).is_none()
        {
            e.push(FieldError::new(
                format!("plans.{}.prices", p.code),
                format!("no price per {} (the billing period of terms `{}`)", t.terms.billing_period, t.code),
            ));
        }
    }
    Ok(e)
}

/// `patch` over `base`, field by field; an unknown or mistyped key is named.
pub fn merge_settings(base: &SettingsSpec, patch: &toml::Table) -> Result<SettingsSpec, Vec<FieldError>> {
    let mut value = serde_json::to_value(base).map_err(|e| vec![FieldError::new("billing", e.to_string())])?;
    if let Some(obj) = value.as_object_mut() {
        for (k, v) in patch {
            let v = serde_json::to_value(v).map_err(|e| vec![FieldError::new(format!("billing.{k}"), e.to_string())])?;
            obj.insert(k.clone(), v);
        }
    }
    serde_json::from_value(value).map_err(|e| {
        let message = e.to_string();
        let field =
            patch.keys().find(|k| message.contains(&format!("`{k}`"))).map(|k| format!("billing.{k}")).unwrap_or_else(|| "billing".into());
        vec![FieldError::new(field, message)]
    })
}
