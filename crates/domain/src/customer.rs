//! The customer card: who the provider bills. Input from forms, the API and the CLI becomes a
//! [`CustomerCard`] here, or a list of [`FieldError`]s naming every field at fault.

use serde::{Deserialize, Serialize};

use crate::provider::{Address, FieldError, check};
use crate::{Country, Language, taxid};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CustomerKind {
    Business,
    /// A private person: consumer law applies (opt-in renewal, Wet Van Dam).
    Consumer,
}

impl CustomerKind {
    pub fn name(self) -> &'static str {
        match self {
            CustomerKind::Business => "business",
            CustomerKind::Consumer => "consumer",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    /// Invoice paid by bank transfer.
    Invoice,
    /// SEPA direct debit (needs an IBAN and a mandate).
    DirectDebit,
    /// iDEAL, PayPal, card… through a payment provider.
    Online,
}

impl PaymentMethod {
    pub fn name(self) -> &'static str {
        match self {
            PaymentMethod::Invoice => "invoice",
            PaymentMethod::DirectDebit => "direct_debit",
            PaymentMethod::Online => "online",
        }
    }
}

/// A customer card as stored: every field valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerCard {
    pub kind: CustomerKind,
    pub legal_name: String,
    pub trading_name: Option<String>,
    pub address: Address,
    pub email: String,
    pub invoice_email: String,
    pub phone: Option<String>,
    pub language: Language,
    pub vat_number: Option<String>,
    pub coc_number: Option<String>,
    pub tax_code: Option<String>,
    /// The SDI recipient code (Codice Destinatario) Italian e-invoices are addressed to: 7
    /// letters and digits, or 6 for a public administration office. Italy only.
    pub sdi_code: Option<String>,
    /// The certified e-mail address (PEC) Italian e-invoices may be delivered to.
    pub pec: Option<String>,
    pub tier: String,
    pub payment_method: PaymentMethod,
    pub iban: Option<String>,
    pub wants_invoice_reminder: bool,
    pub requires_second_factor: bool,
    /// A business asks for the e-invoice (UBL, Peppol BIS 3) beside the PDF in every invoice
    /// e-mail, to book it without typing.
    pub wants_ubl_attachment: bool,
}

/// A customer card as it arrives: text fields, any of them missing or wrong.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct CustomerInput {
    pub kind: Option<String>,
    pub legal_name: Option<String>,
    pub trading_name: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub email: Option<String>,
    pub invoice_email: Option<String>,
    pub phone: Option<String>,
    pub language: Option<String>,
    pub vat_number: Option<String>,
    pub coc_number: Option<String>,
    pub tax_code: Option<String>,
    pub sdi_code: Option<String>,
    pub pec: Option<String>,
    pub tier: Option<String>,
    pub payment_method: Option<String>,
    pub iban: Option<String>,
    pub wants_invoice_reminder: Option<bool>,
    pub requires_second_factor: Option<bool>,
    pub wants_ubl_attachment: Option<bool>,
}

/// The fields that make up a card's tax identity: never changed on an existing card.
pub const TAX_IDENTITY_FIELDS: [&str; 4] = ["kind", "vat_number", "coc_number", "tax_code"];

fn blank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// An Italian SDI recipient code (Codice Destinatario), spaces removed and in upper case: 7
/// letters and digits for a business or a private person (`0000000` when the invoice goes to
/// a PEC or the recipient's own tax drawer), or 6 for a public administration office (the IPA
/// Codice Univoco Ufficio).
pub fn sdi_code(value: &str) -> Result<String, String> {
    let v: String = value.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    if matches!(v.len(), 6 | 7) && v.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(v)
    } else {
        Err(format!(
            "`{}` is not an SDI recipient code: 7 letters and digits, or 6 for a public administration office",
            crate::input::sample(value)
        ))
    }
}

/// The message for an SDI code on a card outside Italy (`country`: the card's country).
/// Why a private person's card cannot ask for the UBL with its invoices.
pub const UBL_FOR_BUSINESSES: &str = "the e-invoice (UBL) is for businesses: a private person's invoices come as PDF";

pub fn sdi_code_outside_italy(country: Country) -> String {
    format!("an SDI recipient code is only for a customer in Italy, and the card's country is {country}")
}

impl CustomerInput {
    /// Checks every field; returns the card, or every problem at once.
    pub fn validate(&self, default_language: Language) -> Result<CustomerCard, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut field =
            |name: &str, r: Result<String, String>| -> Option<String> { r.map_err(|m| errors.push(FieldError::new(name, m))).ok() };
        let required = |v: &Option<String>| blank(v).map(str::to_string).ok_or_else(|| "is required".to_string());

        let kind = match blank(&self.kind) {
            Some("business") => Some(CustomerKind::Business),
            Some("consumer") => Some(CustomerKind::Consumer),
            Some(other) => field("kind", Err(format!("`{other}` is not business or consumer"))).and(None),
            None => field("kind", Err("is required: business or consumer".into())).and(None),
        };
        let legal_name = field("legal_name", required(&self.legal_name).and_then(|v| check::text(&v, 200)));
        let trading_name = blank(&self.trading_name).and_then(|v| field("trading_name", check::text(v, 200)));
        let street = field("street", required(&self.street).and_then(|v| check::text(&v, 200)));
        let postal_code = field("postal_code", required(&self.postal_code).and_then(|v| check::text(&v, 20)));
        let city = field("city", required(&self.city).and_then(|v| check::text(&v, 100)));
        let country =
            field("country", required(&self.country).and_then(|v| v.parse::<Country>().map(|c| c.to_string()).map_err(|e| e.to_string())))
                .and_then(|c| c.parse::<Country>().ok());
        let email = field("email", required(&self.email).and_then(|v| check::email(&v)));
        let invoice_email = match blank(&self.invoice_email) {
            Some(v) => field("invoice_email", check::email(v)),
            None => email.clone(),
        };
        let phone = blank(&self.phone).and_then(|v| field("phone", check::phone(v)));
        let language = match blank(&self.language) {
            Some(v) => field("language", v.parse::<Language>().map(|l| l.code().to_string()).map_err(|e| e.to_string()))
                .and_then(|l| l.parse().ok()),
            None => Some(default_language),
        };
        let vat_number = blank(&self.vat_number).and_then(|v| field("vat_number", taxid::vat_number(v)));
        let coc_number = blank(&self.coc_number).and_then(|v| {
            let r = if country == Some(Country::NL) { taxid::kvk(v) } else { check::text(v, 40) };
            field("coc_number", r)
        });
        let tax_code = blank(&self.tax_code).and_then(|v| {
            let r = match country.map(|c| c.to_string()).as_deref() {
                Some("IT") => taxid::codice_fiscale(v),
                Some("ES") => taxid::nif(v).or_else(|_| taxid::cif(v)),
                _ => check::text(v, 40),
            };
            field("tax_code", r)
        });
        let sdi_code = blank(&self.sdi_code).and_then(|v| {
            let r = sdi_code(v).and_then(|code| match country {
                Some(c) if c != Country::IT => Err(sdi_code_outside_italy(c)),
                _ => Ok(code),
            });
            field("sdi_code", r)
        });
        let pec = blank(&self.pec).and_then(|v| field("pec", check::email(v)));
        let tier = match blank(&self.tier) {
            Some(v) if v.len() <= 20 && v.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') => Some(v.to_string()),
            Some(v) => field("tier", Err(format!("`{v}` is not a tier name: lower-case letters, digits and -"))),
            None => Some("standard".into()),
        };
        let payment_method = match blank(&self.payment_method) {
            None | Some("invoice") => Some(PaymentMethod::Invoice),
            Some("direct_debit") => Some(PaymentMethod::DirectDebit),
            Some("online") => Some(PaymentMethod::Online),
            Some(other) => field("payment_method", Err(format!("`{other}` is not invoice, direct_debit or online"))).and(None),
        };
        let iban = blank(&self.iban).and_then(|v| field("iban", check::iban(v)));

        // Rules across fields.
        if payment_method == Some(PaymentMethod::DirectDebit) && iban.is_none() && blank(&self.iban).is_none() {
            errors.push(FieldError::new("iban", "is required for direct debit"));
        }
        if kind == Some(CustomerKind::Consumer) && vat_number.is_some() {
            errors.push(FieldError::new("vat_number", "a private person has no VAT number: make the card a business"));
        }
        if kind == Some(CustomerKind::Consumer) && self.wants_ubl_attachment == Some(true) {
            errors.push(FieldError::new("wants_ubl_attachment", UBL_FOR_BUSINESSES));
        }
        if country.map(|c| c.to_string()).as_deref() == Some("IT")
            && kind == Some(CustomerKind::Consumer)
            && blank(&self.tax_code).is_none()
        {
            errors.push(FieldError::new("tax_code", "an Italian private customer needs a codice fiscale"));
        }
        if let (Some(vat), Some(c)) = (&vat_number, country)
            && c.is_eu()
            && taxid::vat_country(vat) != Some(c)
            && kind == Some(CustomerKind::Business)
            && c.to_string() != "GR"
        {
            errors.push(FieldError::new("vat_number", format!("{vat} is not a VAT number of {c}, the card's country")));
        }

        if !errors.is_empty() {
            return Err(errors);
        }
        match (kind, legal_name, street, postal_code, city, country, email, invoice_email, language, tier, payment_method) {
            (
                Some(kind),
                Some(legal_name),
                Some(street),
                Some(postal_code),
                Some(city),
                Some(country),
                Some(email),
                Some(invoice_email),
                Some(language),
                Some(tier),
                Some(payment_method),
            ) => Ok(CustomerCard {
                kind,
                legal_name,
                trading_name,
                address: Address { street, postal_code, city, country },
                email,
                invoice_email,
                phone,
                language,
                vat_number,
                coc_number,
                tax_code,
                sdi_code,
                pec,
                tier,
                payment_method,
                iban,
                wants_invoice_reminder: self.wants_invoice_reminder.unwrap_or(false),
                requires_second_factor: self.requires_second_factor.unwrap_or(false),
                wants_ubl_attachment: self.wants_ubl_attachment.unwrap_or(false),
            }),
            _ => Err(vec![FieldError::new("customer", "incomplete")]),
        }
    }
}

impl CustomerCard {
    /// The card as input, to change some fields and validate the whole again.
    pub fn to_input(&self) -> CustomerInput {
        CustomerInput {
            kind: Some(self.kind.name().into()),
            legal_name: Some(self.legal_name.clone()),
            trading_name: self.trading_name.clone(),
            street: Some(self.address.street.clone()),
            postal_code: Some(self.address.postal_code.clone()),
            city: Some(self.address.city.clone()),
            country: Some(self.address.country.to_string()),
            email: Some(self.email.clone()),
            invoice_email: Some(self.invoice_email.clone()),
            phone: self.phone.clone(),
            language: Some(self.language.code().into()),
            vat_number: self.vat_number.clone(),
            coc_number: self.coc_number.clone(),
            tax_code: self.tax_code.clone(),
            sdi_code: self.sdi_code.clone(),
            pec: self.pec.clone(),
            tier: Some(self.tier.clone()),
            payment_method: Some(self.payment_method.name().into()),
            iban: self.iban.clone(),
            wants_invoice_reminder: Some(self.wants_invoice_reminder),
            requires_second_factor: Some(self.requires_second_factor),
            wants_ubl_attachment: Some(self.wants_ubl_attachment),
        }
    }

    /// The value of an editable field as text (for comparing and showing changes).
    pub fn field(&self, name: &str) -> Option<String> {
        let i = self.to_input();
        match name {
            "legal_name" => i.legal_name,
            "trading_name" => i.trading_name,
            "street" => i.street,
            "postal_code" => i.postal_code,
            "city" => i.city,
            "country" => i.country,
            "email" => i.email,
            "invoice_email" => i.invoice_email,
            "sdi_code" => i.sdi_code,
            "pec" => i.pec,
            "phone" => i.phone,
            "language" => i.language,
            "payment_method" => i.payment_method,
            "iban" => i.iban,
            "wants_invoice_reminder" => i.wants_invoice_reminder.map(|b| b.to_string()),
            "requires_second_factor" => i.requires_second_factor.map(|b| b.to_string()),
            "wants_ubl_attachment" => i.wants_ubl_attachment.map(|b| b.to_string()),
            "kind" => i.kind,
            "vat_number" => i.vat_number,
            "coc_number" => i.coc_number,
            "tax_code" => i.tax_code,
            "tier" => i.tier,
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn business() -> CustomerInput {
        CustomerInput {
            kind: Some("business".into()),
            legal_name: Some("Bakkerij De Vries B.V.".into()),
            street: Some("Dorpsstraat 1".into()),
            postal_code: Some("1234 AB".into()),
            city: Some("Ede".into()),
            country: Some("nl".into()),
            email: Some("info@bakkerijdevries.nl".into()),
            vat_number: Some("NL123456789B13".into()),
            coc_number: Some("34123456".into()),
            ..CustomerInput::default()
        }
    }

    #[test]
    fn a_valid_business_card() {
        let card = business().validate(Language::Nl).unwrap();
        assert_eq!(card.invoice_email, "info@bakkerijdevries.nl", "defaults to the e-mail");
        assert_eq!(card.address.country, Country::NL);
        assert_eq!(card.tier, "standard");
        assert_eq!(card.payment_method, PaymentMethod::Invoice);
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let input = CustomerInput {
            kind: Some("company".into()),
            legal_name: Some("x".repeat(201)),
            country: Some("XX".into()),
            email: Some("not-an-address".into()),
            vat_number: Some("NL123456789B01".into()),
            iban: Some("NL00ABNA0000000000".into()),
            payment_method: Some("cash".into()),
            ..CustomerInput::default()
        };
        let errors = input.validate(Language::Nl).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        for f in ["kind", "legal_name", "street", "postal_code", "city", "country", "email", "vat_number", "payment_method", "iban"] {
            assert!(fields.contains(&f), "{f} missing in {errors:?}");
        }
    }

    #[test]
    fn cross_field_rules() {
        let mut dd = business();
        dd.payment_method = Some("direct_debit".into());
        assert_eq!(dd.validate(Language::Nl).unwrap_err()[0].field, "iban");
        let mut consumer = business();
        consumer.kind = Some("consumer".into());
        assert!(consumer.validate(Language::Nl).unwrap_err().iter().any(|e| e.field == "vat_number"));
        let italian = CustomerInput {
            kind: Some("consumer".into()),
            legal_name: Some("Mario Rossi".into()),
            street: Some("Via Roma 1".into()),
            postal_code: Some("00100".into()),
            city: Some("Roma".into()),
            country: Some("IT".into()),
            email: Some("mario@example.it".into()),
            ..CustomerInput::default()
        };
        assert_eq!(italian.validate(Language::It).unwrap_err()[0].field, "tax_code");
        let ok = CustomerInput { tax_code: Some("RSSMRA85T10A562S".into()), ..italian };
        assert_eq!(ok.validate(Language::It).unwrap().tax_code.as_deref(), Some("RSSMRA85T10A562S"));
        let mut foreign_vat = business();
        foreign_vat.vat_number = Some("IT01234567897".into());
        assert!(foreign_vat.validate(Language::Nl).unwrap_err()[0].message.contains("not a VAT number of NL"));
    }

    fn italian_business() -> CustomerInput {
        CustomerInput {
            kind: Some("business".into()),
            legal_name: Some("Rossi Web S.r.l.".into()),
            street: Some("Via Garibaldi 5".into()),
            postal_code: Some("10122".into()),
            city: Some("Torino".into()),
            country: Some("IT".into()),
            email: Some("amministrazione@rossiweb.test".into()),
            vat_number: Some("IT00743110157".into()),
            ..CustomerInput::default()
        }
    }

    fn with_sdi(input: &CustomerInput, code: &str) -> Result<CustomerCard, Vec<FieldError>> {
        CustomerInput { sdi_code: Some(code.into()), ..input.clone() }.validate(Language::It)
    }

    #[test]
    fn an_sdi_code_has_7_characters_or_6_for_a_public_office() {
        let it = italian_business();
        assert_eq!(with_sdi(&it, "M5UXCR1").unwrap().sdi_code.as_deref(), Some("M5UXCR1"), "a business");
        assert_eq!(with_sdi(&it, "UFY9MH").unwrap().sdi_code.as_deref(), Some("UFY9MH"), "a public administration office");
        assert_eq!(with_sdi(&it, " m5ux cr1 ").unwrap().sdi_code.as_deref(), Some("M5UXCR1"), "upper case, no spaces");
        assert_eq!(with_sdi(&it, "0000000").unwrap().sdi_code.as_deref(), Some("0000000"));
        for bad in ["M5UXC", "M5UXCR12", "M5UX-R1", "M5UXCRÈ"] {
            let errors = with_sdi(&it, bad).unwrap_err();
            assert_eq!(errors.len(), 1, "{bad}: {errors:?}");
            assert_eq!(errors[0].field, "sdi_code");
            assert!(errors[0].message.contains("is not an SDI recipient code"), "{bad}: {}", errors[0].message);
        }
        assert_eq!(it.validate(Language::It).unwrap().sdi_code, None, "optional");
        assert_eq!(with_sdi(&it, "  ").unwrap().sdi_code, None, "blank is none");
    }

    #[test]
    fn an_sdi_code_is_only_for_a_customer_in_italy() {
        let mut dutch = business();
        dutch.sdi_code = Some("M5UXCR1".into());
        let errors = dutch.validate(Language::Nl).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].field, "sdi_code");
        assert_eq!(errors[0].message, sdi_code_outside_italy(Country::NL));
        // A card without a valid country is refused for its country alone.
        dutch.country = Some("XX".into());
        let fields: Vec<_> = dutch.validate(Language::Nl).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["country"]);
    }

    #[test]
    fn a_pec_is_an_e_mail_address() {
        let it = CustomerInput { pec: Some(" rossiweb@pec.it ".into()), ..italian_business() };
        let card = it.validate(Language::It).unwrap();
        assert_eq!(card.pec.as_deref(), Some("rossiweb@pec.it"));
        assert_eq!(card.field("pec").as_deref(), Some("rossiweb@pec.it"));
        assert_eq!(card.to_input().validate(Language::It).unwrap(), card, "the card round-trips through its input");
        let bad = CustomerInput { pec: Some("rossiweb at pec.it".into()), ..italian_business() };
        let errors = bad.validate(Language::It).unwrap_err();
        assert_eq!((errors.len(), errors[0].field.as_str()), (1, "pec"));
        assert!(errors[0].message.contains("is not an e-mail address"));
    }
}
