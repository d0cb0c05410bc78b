//! The customer and provider data frozen on a document when it is issued.

use loket_domain::customer::CustomerKind;
use loket_domain::vat::Buyer;
use loket_domain::{ProviderIdentity, vat};
use loket_store::billing::documents::{Party, VatRow};
use loket_store::customers::Customer;

pub fn customer(c: &Customer) -> Party {
    let card = &c.card;
    Party {
        number: Some(c.number.clone()),
        kind: Some(card.kind.name().into()),
        legal_name: Some(card.legal_name.clone()),
        trading_name: card.trading_name.clone(),
        street: Some(card.address.street.clone()),
        postal_code: Some(card.address.postal_code.clone()),
        city: Some(card.address.city.clone()),
        country: Some(card.address.country.code().into()),
        email: Some(card.invoice_email.clone()),
        vat_number: card.vat_number.clone(),
        coc_number: card.coc_number.clone(),
        tax_code: card.tax_code.clone(),
        payment_method: Some(card.payment_method.name().into()),
        iban: card.iban.clone(),
        bic: None,
        sdi_code: card.sdi_code.clone(),
        pec: card.pec.clone(),
    }
}

pub fn provider(p: &ProviderIdentity) -> Party {
    Party {
        legal_name: Some(p.legal_name.clone()),
        trading_name: Some(p.trading_name.clone()),
        street: Some(p.address.street.clone()),
        postal_code: Some(p.address.postal_code.clone()),
        city: Some(p.address.city.clone()),
        country: Some(p.address.country.code().into()),
        vat_number: p.vat_number.clone(),
        coc_number: p.coc_number.clone(),
        iban: p.iban.clone(),
        bic: p.bic.clone(),
        email: Some(p.email.clone()),
        ..Party::default()
    }
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
pub fn breakdown(t: &vat::Totals) -> Vec<VatRow> {
    t.breakdown
        .iter()
        .map(|b| VatRow {
            code: b.treatment.code().into(),
            rate: i64::from(b.treatment.rate()),
            taxable: b.taxable.minor,
            vat: b.vat.minor,
        })
        .collect()
}
