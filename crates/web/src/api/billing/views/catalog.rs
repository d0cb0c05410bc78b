//! Terms, products and plans as the API shows them, and what a change stored.

use std::collections::BTreeMap;

use loket_domain::billing::catalog::TermsSpec;
use loket_store::billing::catalog::{Catalog, PlanRow, ProductRow, TermsRow};
use serde::Serialize;
use utoipa::ToSchema;

/// Named contract terms.
#[derive(Serialize, ToSchema)]
pub struct TermsView {
    pub id: i64,
    pub code: String,
    pub spec: TermsSpec,
}

impl From<&TermsRow> for TermsView {
    fn from(t: &TermsRow) -> Self {
        TermsView { id: t.id, code: t.code.clone(), spec: t.spec.clone() }
    }
}

/// A product.
#[derive(Serialize, ToSchema)]
pub struct ProductView {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// hosting, domain, mail, showcase, banner, project, support, standby or add_on
    pub kind: String,
    /// standard, reduced, super_reduced, zero or exempt
    pub vat_category: String,
    pub requires_prepayment: bool,
}

impl From<&ProductRow> for ProductView {
    fn from(p: &ProductRow) -> Self {
        ProductView {
            id: p.id,
            code: p.code.clone(),
            name: p.product.name.clone(),
            kind: p.product.kind.name().into(),
            vat_category: loket_domain::billing::catalog::vat_category_name(p.product.vat_category).into(),
            requires_prepayment: p.product.requires_prepayment,
        }
    }
}

/// A plan: a product on named terms, with a net price per billing period.
#[derive(Serialize, ToSchema)]
pub struct PlanView {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// The product's code.
    pub product: Option<String>,
    /// The terms' code.
    pub terms: Option<String>,
    pub currency: String,
    /// Net price per billing period as written (`month`, `quarter`, `year`, …), minor units.
    pub prices: BTreeMap<String, i64>,
    /// Net, once, on the first invoice; minor units.
    pub setup_fee: i64,
}

impl PlanView {
    pub fn new(p: &PlanRow, catalog: &Catalog) -> Self {
        PlanView {
            id: p.id,
            code: p.code.clone(),
            name: p.name.clone(),
            product: catalog.products.get(&p.product_id).map(|x| x.code.clone()),
            terms: catalog.terms.get(&p.terms_id).map(|t| t.code.clone()),
            currency: p.currency.code().into(),
            prices: p.prices.iter().map(|(k, m)| (k.clone(), m.minor)).collect(),
            setup_fee: p.setup_fee.minor,
        }
    }
}

/// What was created or replaced.
#[derive(Serialize, ToSchema)]
pub struct Stored {
    pub id: i64,
    pub code: String,
}

/// Something created, by its id.
#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}
