//! The customer and provider data frozen on a document when it is issued.

use loket_domain::customer::CustomerKind;
use loket_domain::vat::Buyer;
use loket_domain::{ProviderIdentity, vat};
use loket_store::customers::Customer;
use serde_json::{Value, json};

pub fn customer(c: &Customer) -> Value {
    let card = &c.card;
    json!({
        "number": c.number,
        "kind": card.kind.name(),
        "legal_name": card.legal_name,
        "trading_name": card.trading_name,
        "street": card.address.street,
        "postal_code": card.address.postal_code,
        "city": card.address.city,
        "country": card.address.country.code(),
        "email": card.invoice_email,
        "vat_number": card.vat_number,
        "coc_number": card.coc_number,
        "tax_code": card.tax_code,
        "payment_method": card.payment_method.name(),
        "iban": card.iban,
    })
}

pub fn provider(p: &ProviderIdentity) -> Value {
    json!({
        "trading_name": p.trading_name,
        "legal_name": p.legal_name,
        "street": p.address.street,
        "postal_code": p.address.postal_code,
        "city": p.address.city,
        "country": p.address.country.code(),
        "vat_number": p.vat_number,
        "coc_number": p.coc_number,
        "iban": p.iban,
        "bic": p.bic,
        "email": p.email,
    })
}

/// The buyer as VAT sees it: a business card's VAT number was validated when it was entered.
pub fn buyer(c: &Customer) -> Buyer {
    Buyer {
        country: c.card.address.country,
        business: c.card.kind == CustomerKind::Business,
        has_valid_vat_number: c.card.kind == CustomerKind::Business && c.card.vat_number.is_some(),
    }
}

/// The VAT breakdown as stored on the document.
pub fn breakdown(t: &vat::Totals) -> Value {
    Value::Array(
        t.breakdown
            .iter()
            .map(|b| json!({"code": b.treatment.code(), "rate": b.treatment.rate(), "taxable": b.taxable.minor, "vat": b.vat.minor}))
            .collect(),
    )
}
