//! The billing file: a provider's whole billing configuration in one TOML document —
//! `[billing]` settings, `[terms.CODE]`, `[products.CODE]` and `[plans.CODE]` — applied with
//! `loket billing apply FILE` (or the demo). Applying is an upsert by code, in one audited
//! transaction, and refuses the whole file when any part is wrong, naming every problem.
//! Examples for the seed providers: `examples/providers/*.billing.toml`.

use std::collections::BTreeMap;

use loket_domain::FieldError;
use loket_domain::billing::catalog::{PlanSpec, ProductSpec, SettingsSpec, TermsSpec};
use loket_store::audit::{self, Actor, Change};
use loket_store::billing::catalog::{put_plan, put_product, put_settings, put_terms, valid_code};
use serde::{Deserialize, Serialize};

use crate::{Billing, BillingError};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BillingFile {
    #[serde(default)]
    pub billing: SettingsSpec,
    #[serde(default)]
    pub terms: BTreeMap<String, TermsSpec>,
    #[serde(default)]
    pub products: BTreeMap<String, ProductSpec>,
    #[serde(default)]
    pub plans: BTreeMap<String, PlanSpec>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Applied {
    pub terms: usize,
    pub products: usize,
    pub plans: usize,
}

impl BillingFile {
    /// Reads a billing file; a syntax error or unknown key is reported with its line.
    pub fn parse(text: &str) -> Result<BillingFile, BillingError> {
        toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| text[..s.start.min(text.len())].lines().count().max(1));
            let field = line.map(|l| format!("line {l}")).unwrap_or_else(|| "file".into());
            BillingError::Invalid(vec![FieldError::new(field, e.message().to_string())])
        })
    }

    /// Every problem in the file, each named `terms.CODE.field` and so on.
    pub fn check(&self, currency: loket_domain::Currency) -> Vec<FieldError> {
        let mut e = Vec::new();
        let prefix = |p: String, errs: Vec<FieldError>, e: &mut Vec<FieldError>| {
            e.extend(errs.into_iter().map(|x| FieldError::new(format!("{p}.{}", x.field), x.message)));
        };
        if let Err(errs) = self.billing.validate(currency) {
            prefix("billing".into(), errs, &mut e);
        }
        let sections: [(&str, Vec<&String>); 3] =
            [("terms", self.terms.keys().collect()), ("products", self.products.keys().collect()), ("plans", self.plans.keys().collect())];
        for (section, codes) in sections {
            for code in codes {
                if !valid_code(code) {
                    e.push(FieldError::new(format!("{section}.{code}"), "a code is 1–40 lower-case letters, digits, - or _"));
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
                    if !self.products.contains_key(&plan.product) {
                        e.push(FieldError::new(format!("plans.{code}.product"), format!("no product `{}` in this file", plan.product)));
                    }
                    match self.terms.get(&plan.terms).and_then(|t| t.validate().ok()) {
                        None => e.push(FieldError::new(format!("plans.{code}.terms"), format!("no terms `{}` in this file", plan.terms))),
                        Some(t) if plan.price_for(t.billing_period).is_none() => e.push(FieldError::new(
                            format!("plans.{code}.prices"),
                            format!("no price for the billing period of terms `{}`", plan.terms),
                        )),
                        Some(_) => {}
                    }
                }
            }
        }
        e
    }
}

impl Billing {
    /// Applies a billing file: settings, terms, products and plans, in one transaction.
    pub async fn apply(&self, actor: &Actor, file: &BillingFile) -> Result<Applied, BillingError> {
        let problems = file.check(self.provider.currency);
        if !problems.is_empty() {
            return Err(BillingError::Invalid(problems));
        }
        let mut tx = self.store.begin().await?;
        put_settings(&mut tx, &file.billing).await?;
        for (code, t) in &file.terms {
            put_terms(&mut tx, code, t).await?;
        }
        for (code, p) in &file.products {
            put_product(&mut tx, code, &p.validate().map_err(BillingError::Invalid)?).await?;
        }
        for (code, p) in &file.plans {
            put_plan(&mut tx, code, p, &p.validate().map_err(BillingError::Invalid)?).await?;
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
                request_id: None,
            },
        )
        .await?;
        loket_store::commit(tx).await?;
        Ok(Applied { terms: file.terms.len(), products: file.products.len(), plans: file.plans.len() })
    }
}
