//! The EPC069-12 "SEPA credit transfer" QR payload (GiroCode): the scanning banking app fills in
//! beneficiary, IBAN, amount and the structured (RF) reference.

use crate::{Doc, DocKind, bare, decimal};

/// The payload for paying `open` (minor units) of `doc`, or `None` where a QR code does not
/// apply: not euro, nothing open, a credit note, no IBAN, or an amount outside EPC's range.
pub fn payload(doc: &Doc, open: i64) -> Option<String> {
    if doc.kind == DocKind::CreditNote || doc.quote.is_some() || doc.currency.code() != "EUR" || open <= 0 || open > 99_999_999_999 {
        return None;
    }
    let iban = bare(doc.seller.iban.as_deref()?, "");
    if iban.len() < 15 || iban.len() > 34 {
        return None;
    }
    let bic = doc.seller.bic.as_deref().map(|b| bare(b, "")).unwrap_or_default();
    let name: String = doc.seller.legal_name.as_deref().unwrap_or_default().chars().filter(|c| !c.is_control()).take(70).collect();
    let reference = &doc.payment_reference;
    let structured = reference.starts_with("RF") && reference.len() <= 25;
    // Version 002 makes the BIC optional inside the EEA; character set 1 is UTF-8.
    let lines = [
        "BCD",
        "002",
        "1",
        "SCT",
        &bic,
        &name,
        &iban,
        &format!("EUR{}", decimal(open, 2)),
        "",
        if structured { reference } else { "" },
        if structured { "" } else { &doc.number },
    ];
    Some(lines.join("\n").trim_end().to_string())
}
