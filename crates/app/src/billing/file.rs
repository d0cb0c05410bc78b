//! The billing file: a provider's billing configuration in one TOML document — `[billing]`
//! settings, `[terms.CODE]`, `[products.CODE]` and `[plans.CODE]` — applied with
//! `loket billing apply FILE` (or the demo). A file changes only what it names: the keys of its
//! `[billing]` section over the stored settings, and the terms, products and plans it lists
//! (upserted by code, each replaced whole). Applying is one audited transaction through the
//! same checks as the API ([`crate::billing::catalog`]), and refuses the whole file when any part is
//! wrong, naming every problem. Examples: `examples/providers/*.billing.toml`.

use std::collections::BTreeMap;

use loket_domain::FieldError;
use loket_domain::billing::catalog::{PlanSpec, ProductSpec, SettingsSpec, TermsSpec};
use loket_store::audit::{self, Actor, Change};
use loket_store::billing::catalog::{put_settings, valid_code};
use serde::{Deserialize, Serialize};

use crate::billing::catalog::{merge_settings, unpriced_plans};
use crate::billing::{AppError, Billing};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BillingFile {
    /// Only the keys given change; see `SettingsSpec` for them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing: Option<toml::Table>,
    #[serde(default)]
    pub terms: BTreeMap<String, TermsSpec>,
    #[serde(default)]
    pub products: BTreeMap<String, ProductSpec>,
    #[serde(default)]
    pub plans: BTreeMap<String, PlanSpec>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Applied {
    /// The settings named in `[billing]` (the others were kept).
    pub settings: Vec<String>,
    pub terms: usize,
    pub products: usize,
    pub plans: usize,
}

impl BillingFile {
    /// Reads a billing file; a syntax error or unknown key is reported with its line.
    pub fn parse(text: &str) -> Result<BillingFile, AppError> {
        toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| text[..s.start.min(text.len())].lines().count().max(1));
            let field = line.map(|l| format!("line {l}")).unwrap_or_else(|| "file".into());
            AppError::Invalid(vec![FieldError::new(field, e.message().to_string())])
        })
    }

    /// Every problem the file shows by itself, each named `terms.CODE.field` and so on. Codes
    /// it refers to but does not define are looked up when it is applied.
    pub fn check(&self, currency: loket_domain::Currency) -> Vec<FieldError> {
        let mut e = Vec::new();
        let prefix = |p: String, errs: Vec<FieldError>, e: &mut Vec<FieldError>| {
            e.extend(errs.into_iter().map(|x| FieldError::new(format!("{p}.{}", x.field), x.message)));
        };
        if let Some(patch) = &self.billing {
            match merge_settings(&SettingsSpec::default(), patch) {
                Err(errs) => e.extend(errs),
                Ok(spec) => {
                    if let Err(errs) = spec.validate(currency) {
                        prefix("billing".into(), errs, &mut e);
                    }
                }
            }
        }
        let sections: [(&str, Vec<&String>); 3] =
            [("terms", self.terms.keys().collect()), ("products", self.products.keys().collect()), ("plans", self.plans.keys().collect())];
        for (section, codes) in sections {
            for code in codes {
                if !valid_code(code) {
                    e.push(FieldError::new(
                        format!("{section}.{}", loket_domain::input::sample(code)),
                        "a code is 1–40 lower-case letters, digits, - or _",
                    ));
                }
            }
        }
        for (code, t) in &self.terms {
            if let Err(errs) = t.validate() {
                prefix(format!("terms.{code}"), errs, &mut e);
            }
        }
        for (code, p) in &self.products {
            if let Err(errs) = p.validate() {
                prefix(format!("products.{code}"), errs, &mut e);
            }
        }
        for (code, p) in &self.plans {
            match p.validate() {
                Err(errs) => prefix(format!("plans.{code}"), errs, &mut e),
                Ok(plan) => {
                    if let Some(Ok(t)) = self.terms.get(&plan.terms).map(|t| t.validate())
                        && plan.price_for(t.billing_period).is_none()
                    {
                        e.push(FieldError::new(
                            format!("plans.{code}.prices"),
                            format!("no price for the billing period of terms `{}` ({})", plan.terms, t.billing_period),
                        ));
                    }
                }
            }
        }
        e
    }
}

impl Billing {
    /// Applies a billing file in one transaction: what it names, nothing else.
    pub async fn apply(&self, actor: &Actor, file: &BillingFile) -> Result<Applied, AppError> {
        let problems = file.check(self.provider.currency);
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        let mut tx = self.store.begin().await?;
        let mut e = Vec::new();
        let mut applied = Applied::default();
        if let Some(patch) = &file.billing {
            match self.settings_with(&mut tx, patch).await {
                Ok(spec) => {
                    put_settings(&mut tx, &spec).await?;
                    applied.settings = patch.keys().cloned().collect();
                }
                Err(errs) => e.extend(errs),
            }
        }
        for (code, t) in &file.terms {
            match self.put_terms_in(&mut tx, &format!("terms.{code}"), code, t, false).await {
                Ok(_) => applied.terms += 1,
                Err(errs) => e.extend(errs),
            }
        }
        for (code, p) in &file.products {
            match self.put_product_in(&mut tx, &format!("products.{code}"), code, p).await {
                Ok(_) => applied.products += 1,
                Err(errs) => e.extend(errs),
            }
        }
        for (code, p) in &file.plans {
            match self.put_plan_in(&mut tx, &format!("plans.{code}"), code, p).await {
                Ok(_) => applied.plans += 1,
                Err(errs) => e.extend(errs),
            }
        }
        if e.is_empty() {
            e = unpriced_plans(&mut tx, self.provider.currency).await?;
        }
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        audit::record(
            &mut tx,
            &Change {
                actor,
                action: "billing.apply",
                entity: "catalog",
                entity_id: None,
                before: None,
                after: Some(serde_json::to_value(file).unwrap_or_default()),
                request_id: actor.request_id.as_deref(),
            },
        )
        .await?;
        loket_store::commit(tx).await?;
        Ok(applied)
    }
}
