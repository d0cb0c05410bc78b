//! Editing a customer card: which fields a user may change, which of those the provider reviews
//! first (a change request), and that the tax identity is never edited.

use crate::Language;
use crate::customer::{CustomerCard, CustomerInput, TAX_IDENTITY_FIELDS};
use crate::provider::FieldError;

/// The fields a customer's user may edit on their card (the tax identity is not among them).
pub const EDITABLE_FIELDS: [&str; 17] = [
    "legal_name",
    "trading_name",
    "street",
    "postal_code",
    "city",
    "country",
    "email",
    "invoice_email",
    "sdi_code",
    "pec",
    "phone",
    "language",
    "payment_method",
    "iban",
    "wants_invoice_reminder",
    "wants_ubl_attachment",
    "requires_second_factor",
];

/// The fields whose change the provider reviews unless configured otherwise. The SDI code and
/// the PEC are where Italian e-invoices are delivered, so they are reviewed like the e-mail
/// address for invoices.
pub const DEFAULT_REVIEWED_FIELDS: [&str; 10] =
    ["legal_name", "street", "postal_code", "city", "country", "invoice_email", "sdi_code", "pec", "iban", "payment_method"];

/// Sets field `name` of `input` to `value` as submitted; an error for a yes/no field given
/// something else than yes or no (a form's checkbox sends `on`, or nothing).
fn set_field(input: &mut CustomerInput, name: &str, value: &str) -> Result<(), FieldError> {
    let v = Some(value.to_string()).filter(|v| !v.trim().is_empty());
    let flag = || match value.trim().to_ascii_lowercase().as_str() {
        "true" | "on" | "1" | "yes" => Ok(true),
        "false" | "off" | "0" | "no" | "" => Ok(false),
        _ => Err(FieldError::new(name, format!("`{}` is not yes or no: use true or false", crate::input::sample(value)))),
    };
    match name {
        "legal_name" => input.legal_name = v,
        "trading_name" => input.trading_name = v,
        "street" => input.street = v,
        "postal_code" => input.postal_code = v,
        "city" => input.city = v,
        "country" => input.country = v,
        "email" => input.email = v,
        "invoice_email" => input.invoice_email = v,
        "sdi_code" => input.sdi_code = v,
        "pec" => input.pec = v,
        "phone" => input.phone = v,
        "language" => input.language = v,
        "payment_method" => input.payment_method = v,
        "iban" => input.iban = v,
        "wants_invoice_reminder" => input.wants_invoice_reminder = Some(flag()?),
        "requires_second_factor" => input.requires_second_factor = Some(flag()?),
        "wants_ubl_attachment" => input.wants_ubl_attachment = Some(flag()?),
        _ => {}
    }
    Ok(())
}

/// A proposed edit of a card, split into what applies at once and what the provider reviews.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Edit {
    /// Field → (current value, new value), applied at once.
    pub immediate: std::collections::BTreeMap<String, (Option<String>, Option<String>)>,
    /// Field → (current value, proposed value), waiting for the provider.
    pub reviewed: std::collections::BTreeMap<String, (Option<String>, Option<String>)>,
}

impl Edit {
    pub fn is_empty(&self) -> bool {
        self.immediate.is_empty() && self.reviewed.is_empty()
    }
}

/// Splits the fields a user submitted into an [`Edit`]. Unchanged fields are dropped; the tax
/// identity and unknown fields are refused; the card as it would be after *all* changes must be
/// valid, so a reviewed change cannot later turn out impossible.
pub fn plan_edit(
    card: &CustomerCard,
    submitted: &[(String, String)],
    reviewed_fields: &[String],
    default_language: Language,
) -> Result<Edit, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut all = card.to_input();
    let mut edit = Edit::default();
    for (name, value) in submitted {
        if TAX_IDENTITY_FIELDS.contains(&name.as_str()) || name == "tier" {
            let current = card.field(name);
            let normalised = Some(value.trim().to_string()).filter(|v| !v.is_empty());
            if current.as_deref().map(str::to_ascii_uppercase) != normalised.as_deref().map(str::to_ascii_uppercase) {
                let msg = if name == "tier" {
                    "is set by the provider".to_string()
                } else {
                    "cannot be changed on a customer card: the provider makes a new card and moves your services to it".to_string()
                };
                errors.push(FieldError::new(name, msg));
            }
            continue;
        }
        if !EDITABLE_FIELDS.contains(&name.as_str()) {
            errors.push(FieldError::new(name, "is not a field of a customer card"));
            continue;
        }
        if let Err(e) = set_field(&mut all, name, value) {
            errors.push(e);
        }
    }
    match all.validate(default_language) {
        Err(mut e) => errors.append(&mut e),
        Ok(after) => {
            for name in EDITABLE_FIELDS {
                let (before, now) = (card.field(name), after.field(name));
                if before != now {
                    let target = if reviewed_fields.iter().any(|f| f == name) { &mut edit.reviewed } else { &mut edit.immediate };
                    target.insert(name.to_string(), (before, now));
                }
            }
        }
    }
    if errors.is_empty() { Ok(edit) } else { Err(errors) }
}

/// Applies changes (field → new value) to a card and validates the result.
pub fn apply_changes(
    card: &CustomerCard,
    changes: &std::collections::BTreeMap<String, Option<String>>,
    default_language: Language,
) -> Result<CustomerCard, Vec<FieldError>> {
    let mut input = card.to_input();
    for (name, value) in changes {
        if !EDITABLE_FIELDS.contains(&name.as_str()) {
            return Err(vec![FieldError::new(name, "is not an editable field")]);
        }
        set_field(&mut input, name, value.as_deref().unwrap_or("")).map_err(|e| vec![e])?;
    }
    input.validate(default_language)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card() -> CustomerCard {
        CustomerInput {
            kind: Some("business".into()),
            legal_name: Some("Bakkerij De Vries B.V.".into()),
            street: Some("Dorpsstraat 1".into()),
            postal_code: Some("6711 AA".into()),
            city: Some("Ede".into()),
            country: Some("NL".into()),
            email: Some("info@bakkerij.test".into()),
            vat_number: Some("NL123456789B13".into()),
            ..CustomerInput::default()
        }
        .validate(Language::Nl)
        .unwrap()
    }

    fn s(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn reviewed() -> Vec<String> {
        DEFAULT_REVIEWED_FIELDS.iter().map(|f| f.to_string()).collect()
    }

    #[test]
    fn splits_immediate_from_reviewed_and_drops_unchanged() {
        let edit =
            plan_edit(&card(), &s(&[("phone", "+31 318 123456"), ("street", "Dorpsstraat 2"), ("city", "Ede")]), &reviewed(), Language::Nl)
                .unwrap();
        assert_eq!(edit.immediate.keys().collect::<Vec<_>>(), ["phone"]);
        assert_eq!(edit.reviewed.keys().collect::<Vec<_>>(), ["street"]);
        assert_eq!(edit.reviewed["street"], (Some("Dorpsstraat 1".into()), Some("Dorpsstraat 2".into())));
    }

    #[test]
    fn a_yes_or_no_field_takes_yes_or_no_only() {
        let on = plan_edit(&card(), &s(&[("requires_second_factor", "on")]), &reviewed(), Language::Nl).unwrap();
        assert_eq!(on.immediate["requires_second_factor"].1.as_deref(), Some("true"));
        for nonsense in ["banana", "maybe", "2"] {
            let err = plan_edit(&card(), &s(&[("requires_second_factor", nonsense)]), &reviewed(), Language::Nl).unwrap_err();
            assert_eq!(err[0].field, "requires_second_factor", "{nonsense}");
        }
        assert!(plan_edit(&card(), &s(&[("wants_invoice_reminder", "no")]), &reviewed(), Language::Nl).is_ok());
    }

    #[test]
    fn the_tax_identity_is_never_edited() {
        let err = plan_edit(&card(), &s(&[("vat_number", "NL987654321B94"), ("kind", "consumer")]), &reviewed(), Language::Nl).unwrap_err();
        assert_eq!(err.len(), 2);
        assert!(err[0].message.contains("new card"));
        // Submitting the same value (as a form does) is not a change.
        assert!(plan_edit(&card(), &s(&[("vat_number", "nl123456789b13")]), &reviewed(), Language::Nl).unwrap().is_empty());
    }

    #[test]
    fn the_result_must_be_a_valid_card() {
        let err =
            plan_edit(&card(), &s(&[("email", "nope"), ("payment_method", "direct_debit"), ("bogus", "x")]), &reviewed(), Language::Nl)
                .unwrap_err();
        let fields: Vec<_> = err.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["bogus", "email", "iban"]);
    }

    #[test]
    fn the_e_invoice_address_is_reviewed_like_the_invoice_e_mail() {
        let italian = CustomerInput {
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
        .validate(Language::It)
        .unwrap();
        let edit = plan_edit(&italian, &s(&[("sdi_code", "m5uxcr1"), ("pec", "rossiweb@pec.it")]), &reviewed(), Language::It).unwrap();
        assert!(edit.immediate.is_empty());
        assert_eq!(edit.reviewed["sdi_code"], (None, Some("M5UXCR1".into())), "normalised");
        assert_eq!(edit.reviewed["pec"], (None, Some("rossiweb@pec.it".into())));
        let changes = edit.reviewed.iter().map(|(k, (_, v))| (k.clone(), v.clone())).collect();
        let after = apply_changes(&italian, &changes, Language::It).unwrap();
        assert_eq!((after.sdi_code.as_deref(), after.pec.as_deref()), (Some("M5UXCR1"), Some("rossiweb@pec.it")));
        // The same code typed differently is no change.
        assert!(plan_edit(&after, &s(&[("sdi_code", "M5UX CR1")]), &reviewed(), Language::It).unwrap().is_empty());
        // A card that leaves Italy must drop its SDI code in the same edit.
        let err = plan_edit(&after, &s(&[("country", "NL"), ("postal_code", "6711 AA")]), &reviewed(), Language::It).unwrap_err();
        assert_eq!(err.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["sdi_code", "vat_number"]);
        // Not on a Dutch card at all.
        let err = plan_edit(&card(), &s(&[("sdi_code", "M5UXCR1")]), &reviewed(), Language::Nl).unwrap_err();
        assert_eq!(err[0].field, "sdi_code");
    }

    #[test]
    fn applying_approved_changes() {
        let mut changes = std::collections::BTreeMap::new();
        changes.insert("street".to_string(), Some("Dorpsstraat 2".to_string()));
        let after = apply_changes(&card(), &changes, Language::Nl).unwrap();
        assert_eq!(after.address.street, "Dorpsstraat 2");
        assert_eq!(after.vat_number, card().vat_number);
    }
}

/// The card that replaces `old` when its tax identity changes (a staff action): the old card's
/// data with `overrides` applied, which must change at least one tax-identity field.
pub fn replacement_card(
    old: &CustomerCard,
    overrides: &[(String, String)],
    default_language: Language,
) -> Result<CustomerCard, Vec<FieldError>> {
    let mut input = old.to_input();
    let mut errors = Vec::new();
    for (name, value) in overrides {
        let v = Some(value.trim().to_string()).filter(|v| !v.is_empty());
        match name.as_str() {
            "kind" => input.kind = v,
            "vat_number" => input.vat_number = v,
            "coc_number" => input.coc_number = v,
            "tax_code" => input.tax_code = v,
            "tier" => input.tier = v,
            other if EDITABLE_FIELDS.contains(&other) => {
                if let Err(e) = set_field(&mut input, other, value) {
                    errors.push(e);
                }
            }
            other => errors.push(FieldError::new(other, "is not a field of a customer card")),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let new = input.validate(default_language)?;
    let same =
        TAX_IDENTITY_FIELDS.iter().all(|f| old.field(f).map(|v| v.to_ascii_uppercase()) == new.field(f).map(|v| v.to_ascii_uppercase()));
    if same {
        return Err(vec![FieldError::new("vat_number", "the tax identity does not change: edit the card instead of making a new one")]);
    }
    Ok(new)
}

#[cfg(test)]
mod replacement_tests {
    use super::*;

    #[test]
    fn a_new_card_needs_a_new_tax_identity() {
        let old = CustomerInput {
            kind: Some("consumer".into()),
            legal_name: Some("Jan Jansen".into()),
            street: Some("Kerkstraat 12".into()),
            postal_code: Some("3511 LK".into()),
            city: Some("Utrecht".into()),
            country: Some("NL".into()),
            email: Some("jan@jansen.test".into()),
            ..CustomerInput::default()
        }
        .validate(Language::Nl)
        .unwrap();
        let pairs = |p: &[(&str, &str)]| p.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>();
        let new = replacement_card(
            &old,
            &pairs(&[("kind", "business"), ("legal_name", "Jansen Webdesign"), ("vat_number", "NL123456789B13")]),
            Language::Nl,
        )
        .unwrap();
        assert_eq!(new.vat_number.as_deref(), Some("NL123456789B13"));
        assert_eq!(new.address, old.address, "the rest is copied");
        assert!(replacement_card(&old, &pairs(&[("legal_name", "Jan")]), Language::Nl).unwrap_err()[0].message.contains("does not change"));
        assert!(replacement_card(&old, &pairs(&[("vat_number", "NL123456789B01")]), Language::Nl).is_err(), "still validated");
    }
}
