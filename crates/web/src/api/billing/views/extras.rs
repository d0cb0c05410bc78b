//! Work items and fixed-price projects that go on a customer's next invoice.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemInput {
    pub customer_id: i64,
    /// What the line is for, at most 300 characters.
    pub description: String,
    /// e.g. "1.5" (hours): more than zero, at most three decimals.
    #[schema(pattern = r"^[0-9]{1,7}(\.[0-9]{1,3})?$", example = "1.5")]
    pub quantity: String,
    /// Net, e.g. "85.00".
    #[schema(pattern = r"^[0-9]{1,10}(\.[0-9]{1,2})?$", example = "121.00")]
    pub unit_price: String,
    /// standard (default), reduced, super_reduced, zero or exempt
    pub vat_category: Option<String>,
    /// YYYY-MM-DD; default today.
    #[schema(format = Date)]
    pub on: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectInput {
    pub customer_id: i64,
    pub description: String,
    /// Net total, e.g. "2400.00"
    #[schema(pattern = r"^[0-9]{1,10}(\.[0-9]{1,2})?$", example = "121.00")]
    pub total: String,
    /// Invoiced at signing, 0 to 100.
    #[schema(maximum = 100)]
    pub deposit_percent: u32,
    pub vat_category: Option<String>,
    #[schema(format = Date, example = "2027-01-01")]
    pub signed_on: String,
}

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Delivery {
    #[schema(format = Date, example = "2027-01-01")]
    pub delivered_on: String,
}
