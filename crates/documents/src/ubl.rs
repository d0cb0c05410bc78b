//! Peppol BIS Billing 3.0 (EN 16931) UBL 2.1: an invoice as `Invoice`, a credit note as
//! `CreditNote` naming the invoice it corrects. Endpoint and legal identifiers carry the scheme
//! the receiver looks them up by: KvK (0106) in the Netherlands, the enterprise number (0208) in
//! Belgium, the partita IVA (0211) in Italy, a VAT-based scheme elsewhere; an Italian private
//! person by codice fiscale (0210). A private person elsewhere has no Peppol address (the e-mail
//! scheme is not one Peppol routes), so their invoice is the PDF.

use crate::xml::Xml;
use crate::{Doc, DocKind, FormatError, Party, amount, bare, decimal, trimmed};

const CUSTOMIZATION: &str = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";
const PROFILE: &str = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";
const CAC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
const CBC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

/// The UBL document for `doc`. A pro forma is a payment request, not an invoice, and a private
/// person outside Italy has no Peppol address: both refused.
pub fn write(doc: &Doc) -> Result<String, FormatError> {
    if doc.quote.is_some() {
        return Err(FormatError::NotAnInvoice("quote", "UBL invoice"));
    }
    let credit = match doc.kind {
        DocKind::Invoice => false,
        DocKind::CreditNote => true,
        DocKind::ProForma => return Err(FormatError::NotAnInvoice("pro forma", "UBL invoice")),
    };
    if doc.seller_country() == "NL" && legal_id(&doc.seller).is_none() {
        return Err(FormatError::Missing(
            "the provider's chamber of commerce number (KvK): Dutch e-invoices must carry it (provider.coc_number)".into(),
        ));
    }
    let seller_endpoint = endpoint(&doc.seller).ok_or_else(|| {
        FormatError::Missing("the provider's chamber of commerce or VAT number, its address on the Peppol network".into())
    })?;
    let buyer_endpoint = endpoint(&doc.buyer).ok_or(FormatError::NoPeppolAddress)?;
    let outside_scope = doc.breakdown.iter().any(|r| r.code == "O");
    let mut x = Xml::new();
    let (root, ns) = if credit {
        ("CreditNote", "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2")
    } else {
        ("Invoice", "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2")
    };
    x.open(root, &[("xmlns", ns), ("xmlns:cac", CAC), ("xmlns:cbc", CBC)]);
    x.leaf("cbc:CustomizationID", CUSTOMIZATION).leaf("cbc:ProfileID", PROFILE);
    x.leaf("cbc:ID", &doc.number).leaf("cbc:IssueDate", &doc.issue_date.to_string());
    if credit {
        x.leaf("cbc:CreditNoteTypeCode", "381");
    } else {
        x.leaf("cbc:DueDate", &doc.due_date.to_string()).leaf("cbc:InvoiceTypeCode", "380");
    }
    x.leaf("cbc:DocumentCurrencyCode", doc.currency.code());
    // Peppol asks for a buyer reference or an order reference: the customer number is both
    // parties' key to the account.
    x.leaf("cbc:BuyerReference", doc.buyer.number.as_deref().unwrap_or(&doc.number));
    if let Some(c) = &doc.corrects {
        x.open("cac:BillingReference", &[]).open("cac:InvoiceDocumentReference", &[]);
        x.leaf("cbc:ID", &c.number).leaf("cbc:IssueDate", &c.issue_date.to_string());
        x.close().close();
    }
    x.open("cac:AccountingSupplierParty", &[]);
    party(&mut x, &doc.seller, seller_endpoint, !outside_scope, true);
    x.close();
    x.open("cac:AccountingCustomerParty", &[]);
    party(&mut x, &doc.buyer, buyer_endpoint, !outside_scope, false);
    x.close();
    if !credit {
        payment_means(&mut x, doc);
    }
    tax_total(&mut x, doc);
    let lines_net = doc.lines.iter().map(|l| l.net).fold(0i64, i64::saturating_add);
    x.open("cac:LegalMonetaryTotal", &[]);
    let cur = [("currencyID", doc.currency.code())];
    x.leaf_with("cbc:LineExtensionAmount", &cur, &amount(doc, lines_net));
    x.leaf_with("cbc:TaxExclusiveAmount", &cur, &amount(doc, doc.net));
    x.leaf_with("cbc:TaxInclusiveAmount", &cur, &amount(doc, doc.gross));
    x.leaf_with("cbc:PayableAmount", &cur, &amount(doc, doc.gross));
    x.close();
    for (i, l) in doc.lines.iter().enumerate() {
        let (qty, price) = quantity_and_price(l.quantity_milli, l.unit_price, l.net);
        x.open(if credit { "cac:CreditNoteLine" } else { "cac:InvoiceLine" }, &[]);
        x.leaf("cbc:ID", &(i + 1).to_string());
        x.leaf_with(if credit { "cbc:CreditedQuantity" } else { "cbc:InvoicedQuantity" }, &[("unitCode", "C62")], &trimmed(qty, 3));
        x.leaf_with("cbc:LineExtensionAmount", &cur, &amount(doc, l.net));
        if let Some((from, to)) = l.period {
            x.open("cac:InvoicePeriod", &[]);
            x.leaf("cbc:StartDate", &from.to_string()).leaf("cbc:EndDate", &Doc::last_day(to).max(from).to_string());
            x.close();
        }
        x.open("cac:Item", &[]).leaf("cbc:Name", &one_line(&l.description));
        x.open("cac:ClassifiedTaxCategory", &[]).leaf("cbc:ID", &l.vat_code);
        if l.vat_code != "O" {
            x.leaf("cbc:Percent", &trimmed(l.vat_rate, 2));
        }
        x.open("cac:TaxScheme", &[]).leaf("cbc:ID", "VAT").close();
        x.close().close();
        x.open("cac:Price", &[]).leaf_with("cbc:PriceAmount", &cur, &amount(doc, price)).close();
        x.close();
    }
    Ok(x.finish())
}

/// Quantity (thousandths) and unit price such that quantity × price is the line's net amount,
/// with a price that is never negative (EN 16931 BR-27): the sign goes on the quantity. A line
/// whose stored quantity and price do not multiply to its amount exactly (a prorated part of a
/// period) is written as one unit at its amount.
fn quantity_and_price(quantity_milli: i64, unit_price: i64, net: i64) -> (i64, i64) {
    let (q, p) = if unit_price < 0 { (-quantity_milli, -unit_price) } else { (quantity_milli, unit_price) };
    let product = i128::from(q) * i128::from(p);
    // Round half away from zero, as the line amount was.
    let rounded = (product + product.signum() * 500) / 1000;
    if q != 0 && rounded == i128::from(net) {
        (q, p)
    } else if net < 0 {
        (-1000, -net)
    } else {
        (1000, net)
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Peppol's scheme for a VAT number by country (the EAS code list), where one exists.
fn vat_scheme(country: &str) -> Option<&'static str> {
    Some(match country {
        "AT" => "9914",
        "BE" => "9925",
        "BG" => "9926",
        "CH" => "9927",
        "CY" => "9928",
        "CZ" => "9929",
        "DE" => "9930",
        "EE" => "9931",
        "ES" => "9920",
        "FR" => "9957",
        "GB" => "9932",
        "GR" => "9933",
        "HR" => "9934",
        "HU" => "9910",
        "IE" => "9935",
        "IT" => "0211",
        "LT" => "9937",
        "LU" => "9938",
        "LV" => "9939",
        "MT" => "9943",
        "NL" => "9944",
        "PL" => "9945",
        "PT" => "9946",
        "RO" => "9947",
        "SI" => "9949",
        "SK" => "9950",
        _ => return None,
    })
}

/// The legal registration identifier with its scheme: KvK for a Dutch, the enterprise number
/// for a Belgian party.
fn legal_id(p: &Party) -> Option<(&'static str, String)> {
    let country = p.country.as_deref().unwrap_or("");
    match country {
        "NL" => p
            .coc_number
            .as_deref()
            .map(|c| bare(c, ""))
            .filter(|c| c.len() == 8 && c.chars().all(|d| d.is_ascii_digit()))
            .map(|c| ("0106", c)),
        "BE" => p
            .coc_number
            .as_deref()
            .map(|c| bare(c, "BE"))
            .or_else(|| p.vat_number.as_deref().map(|v| bare(v, "BE")))
            .filter(|c| c.len() == 10 && c.chars().all(|d| d.is_ascii_digit()))
            .map(|c| ("0208", c)),
        _ => None,
    }
}

/// Whether `p` can be addressed on the Peppol network (see [`endpoint`]).
pub fn addressable(p: &Party) -> bool {
    endpoint(p).is_some()
}

/// Where the party receives e-invoices on the Peppol network: its legal identifier, an Italian
/// public office's IPA code, its VAT number, or an Italian's codice fiscale. A private person
/// elsewhere has no Peppol address.
fn endpoint(p: &Party) -> Option<(&'static str, String)> {
    let country = p.country.as_deref().unwrap_or("");
    if country == "IT"
        && let Some(ipa) = p.sdi_code.as_deref().map(|c| bare(c, "")).filter(|c| c.len() == 6)
    {
        return Some(("0201", ipa));
    }
    if p.kind.as_deref() != Some("consumer") {
        if let Some(id) = legal_id(p) {
            return Some(id);
        }
        if let (Some(v), Some(scheme)) = (p.vat_number.as_deref(), vat_scheme(country)) {
            let id = if scheme == "0211" { format!("IT{}", bare(v, "IT")) } else { format!("{country}{}", bare(v, country)) };
            return Some((scheme, id));
        }
    }
    let cf = p.tax_code.as_deref().map(|c| bare(c, "")).filter(|c| c.len() == 16 || c.len() == 11);
    match cf {
        Some(cf) if country == "IT" => Some(("0210", cf)),
        _ => None,
    }
}

fn party(x: &mut Xml, p: &Party, (scheme, id): (&str, String), with_vat: bool, seller: bool) {
    x.open("cac:Party", &[]);
    x.leaf_with("cbc:EndpointID", &[("schemeID", scheme)], &id);
    let legal = p.legal_name.as_deref().unwrap_or_default();
    if let Some(t) = p.trading_name.as_deref().filter(|t| !t.trim().is_empty() && *t != legal) {
        x.open("cac:PartyName", &[]).leaf("cbc:Name", t).close();
    }
    x.open("cac:PostalAddress", &[]);
    x.opt("cbc:StreetName", p.street.as_deref()).opt("cbc:CityName", p.city.as_deref()).opt("cbc:PostalZone", p.postal_code.as_deref());
    x.open("cac:Country", &[]).leaf("cbc:IdentificationCode", p.country.as_deref().unwrap_or("")).close();
    x.close();
    if let Some(v) = p.vat_number.as_deref().filter(|v| !v.trim().is_empty()) {
        let cc = p.country.as_deref().unwrap_or("");
        let vat = format!("{cc}{}", bare(v, cc));
        if with_vat {
            x.open("cac:PartyTaxScheme", &[]).leaf("cbc:CompanyID", &vat);
            x.open("cac:TaxScheme", &[]).leaf("cbc:ID", "VAT").close().close();
        } else if seller {
            // Outside the scope of VAT the seller's VAT identifier may not appear (BR-O-02);
            // its tax registration identifier still names it.
            x.open("cac:PartyTaxScheme", &[]).leaf("cbc:CompanyID", &vat);
            x.open("cac:TaxScheme", &[]).leaf("cbc:ID", "TAX").close().close();
        }
    }
    x.open("cac:PartyLegalEntity", &[]).leaf("cbc:RegistrationName", legal);
    if let Some((scheme, id)) = legal_id(p) {
        x.leaf_with("cbc:CompanyID", &[("schemeID", scheme)], &id);
    }
    x.close();
    if let Some(e) = p.email.as_deref().filter(|e| !e.is_empty()) {
        x.open("cac:Contact", &[]).leaf("cbc:ElectronicMail", e).close();
    }
    x.close();
}

fn payment_means(x: &mut Xml, doc: &Doc) {
    x.open("cac:PaymentMeans", &[]);
    match doc.seller.iban.as_deref().filter(|i| !i.trim().is_empty()) {
        Some(iban) => {
            x.leaf_with("cbc:PaymentMeansCode", &[("name", "SEPA credit transfer")], "58");
            x.leaf("cbc:PaymentID", &doc.payment_reference);
            x.open("cac:PayeeFinancialAccount", &[]).leaf("cbc:ID", &bare(iban, ""));
            x.opt("cbc:Name", doc.seller.legal_name.as_deref());
            if let Some(bic) = doc.seller.bic.as_deref().filter(|b| !b.trim().is_empty()) {
                x.open("cac:FinancialInstitutionBranch", &[]).leaf("cbc:ID", &bare(bic, "")).close();
            }
            x.close();
        }
        None => {
            x.leaf("cbc:PaymentMeansCode", "1");
            x.leaf("cbc:PaymentID", &doc.payment_reference);
        }
    }
    x.close();
}

/// The reason EN 16931 wants for a category that charges no VAT.
fn exemption(code: &str) -> Option<(&'static str, &'static str)> {
    match code {
        "AE" => Some(("VATEX-EU-AE", "Reverse charge")),
        "O" => Some(("VATEX-EU-O", "Not subject to VAT")),
        "E" => Some(("", "Exempt from VAT")),
        _ => None,
    }
}

fn tax_total(x: &mut Xml, doc: &Doc) {
    let cur = [("currencyID", doc.currency.code())];
    x.open("cac:TaxTotal", &[]).leaf_with("cbc:TaxAmount", &cur, &amount(doc, doc.vat));
    for r in &doc.breakdown {
        x.open("cac:TaxSubtotal", &[]);
        x.leaf_with("cbc:TaxableAmount", &cur, &amount(doc, r.taxable));
        x.leaf_with("cbc:TaxAmount", &cur, &amount(doc, r.vat));
        x.open("cac:TaxCategory", &[]).leaf("cbc:ID", &r.code);
        if r.code != "O" {
            x.leaf("cbc:Percent", &decimal(r.rate, 2));
        }
        if let Some((code, text)) = exemption(&r.code) {
            if !code.is_empty() {
                x.leaf("cbc:TaxExemptionReasonCode", code);
            }
            x.leaf("cbc:TaxExemptionReason", text);
        }
        x.open("cac:TaxScheme", &[]).leaf("cbc:ID", "VAT").close();
        x.close().close();
    }
    x.close();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantity_times_price_is_the_line_amount() {
        assert_eq!(quantity_and_price(2000, 1250, 2500), (2000, 1250));
        assert_eq!(quantity_and_price(1000, -500, -500), (-1000, 500));
        // A prorated month: 1 × 10.00 charged as 3.23 → one unit at 3.23.
        assert_eq!(quantity_and_price(1000, 1000, 323), (1000, 323));
        assert_eq!(quantity_and_price(0, 1000, 0), (1000, 0));
    }

    #[test]
    fn endpoints_take_the_receivers_scheme() {
        let nl = Party { country: Some("NL".into()), coc_number: Some("12345678".into()), ..Party::default() };
        assert_eq!(endpoint(&nl), Some(("0106", "12345678".into())));
        let be = Party { country: Some("BE".into()), vat_number: Some("BE0123456749".into()), ..Party::default() };
        assert_eq!(endpoint(&be), Some(("0208", "0123456749".into())));
        let it = Party { country: Some("IT".into()), vat_number: Some("IT01234567890".into()), ..Party::default() };
        assert_eq!(endpoint(&it), Some(("0211", "IT01234567890".into())));
        let de = Party { country: Some("DE".into()), vat_number: Some("DE 123456789".into()), ..Party::default() };
        assert_eq!(endpoint(&de), Some(("9930", "DE123456789".into())));
        let consumer = Party { kind: Some("consumer".into()), country: Some("NL".into()), ..Party::default() };
        assert_eq!(endpoint(&consumer), None);
        let it_consumer = Party { tax_code: Some("BNCMRA80A01H501U".into()), ..consumer.clone() };
        assert_eq!(endpoint(&Party { country: Some("IT".into()), ..it_consumer }), Some(("0210", "BNCMRA80A01H501U".into())));
    }
}
