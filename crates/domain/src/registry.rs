//! Domain names at their registry (seed 002): every domain has its own registrant, admin and
//! tech contact at the central registry, apart from the customer card — changing the card does
//! not change them. A customer asks for a change of one contact; staff carry it out at the
//! registry and then record it.

use serde::{Deserialize, Serialize};

use crate::Country;
use crate::provider::{FieldError, check};

/// Which contact of a domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactRole {
    /// The domain's holder.
    Registrant,
    Admin,
    Tech,
}

impl ContactRole {
    pub const ALL: [ContactRole; 3] = [ContactRole::Registrant, ContactRole::Admin, ContactRole::Tech];

    /// The stored and written name.
    pub fn name(self) -> &'static str {
        match self {
            ContactRole::Registrant => "registrant",
            ContactRole::Admin => "admin",
            ContactRole::Tech => "tech",
        }
    }

    pub fn parse(s: &str) -> Option<ContactRole> {
        ContactRole::ALL.into_iter().find(|r| r.name() == s.trim())
    }
}

/// One contact as the registry holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryContact {
    pub name: String,
    pub organisation: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub country: Country,
}

/// A contact as typed in a form or an API body: every field optional until checked.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ContactInput {
    pub name: Option<String>,
    pub organisation: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
}

/// The fields of a contact, in form order.
pub const CONTACT_FIELDS: [&str; 8] = ["name", "organisation", "email", "phone", "street", "postal_code", "city", "country"];

fn blank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl ContactInput {
    /// Sets a field by its name (a form's key); unknown names are ignored.
    pub fn set(&mut self, name: &str, value: &str) {
        let v = Some(value.to_string());
        match name {
            "name" => self.name = v,
            "organisation" => self.organisation = v,
            "email" => self.email = v,
            "phone" => self.phone = v,
            "street" => self.street = v,
            "postal_code" => self.postal_code = v,
            "city" => self.city = v,
            "country" => self.country = v,
            _ => {}
        }
    }

    /// A field by its name (a form's key); unknown names have none.
    pub fn get(&self, name: &str) -> Option<&str> {
        match name {
            "name" => self.name.as_deref(),
            "organisation" => self.organisation.as_deref(),
            "email" => self.email.as_deref(),
            "phone" => self.phone.as_deref(),
            "street" => self.street.as_deref(),
            "postal_code" => self.postal_code.as_deref(),
            "city" => self.city.as_deref(),
            "country" => self.country.as_deref(),
            _ => None,
        }
    }

    /// Checks every field; returns the contact or every problem at once, each named by
    /// `prefix` and the field (`registrant.email`).
    pub fn validate(&self, prefix: &str) -> Result<RegistryContact, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut field = |name: &str, r: Result<String, String>| -> Option<String> {
            r.map_err(|m| errors.push(FieldError::new(format!("{prefix}{name}"), m))).ok()
        };
        let required = |v: &Option<String>| blank(v).map(str::to_string).ok_or_else(|| "is required".to_string());
        let name = field("name", required(&self.name).and_then(|v| check::text(&v, 200)));
        let organisation = blank(&self.organisation).and_then(|v| field("organisation", check::text(v, 200)));
        let email = field("email", required(&self.email).and_then(|v| check::email(&v)));
        let phone = blank(&self.phone).and_then(|v| field("phone", check::phone(v)));
        let street = field("street", required(&self.street).and_then(|v| check::text(&v, 200)));
        let postal_code = field("postal_code", required(&self.postal_code).and_then(|v| check::text(&v, 20)));
        let city = field("city", required(&self.city).and_then(|v| check::text(&v, 100)));
        let country = field(
            "country",
            required(&self.country).and_then(|v| v.trim().parse::<Country>().map(|c| c.to_string()).map_err(|e| e.to_string())),
        )
        .and_then(|c| c.parse::<Country>().ok());
        match (name, email, street, postal_code, city, country) {
            (Some(name), Some(email), Some(street), Some(postal_code), Some(city), Some(country)) if errors.is_empty() => {
                Ok(RegistryContact { name, organisation, email, phone, street, postal_code, city, country })
            }
            _ => Err(errors),
        }
    }
}

impl RegistryContact {
    /// The contact as input, to show in a form or to change some fields.
    pub fn to_input(&self) -> ContactInput {
        ContactInput {
            name: Some(self.name.clone()),
            organisation: self.organisation.clone(),
            email: Some(self.email.clone()),
            phone: self.phone.clone(),
            street: Some(self.street.clone()),
            postal_code: Some(self.postal_code.clone()),
            city: Some(self.city.clone()),
            country: Some(self.country.to_string()),
        }
    }

    /// The fields whose value differs from `other`, in form order.
    pub fn changed_fields(&self, other: &RegistryContact) -> Vec<&'static str> {
        let (a, b) = (self.to_input(), other.to_input());
        CONTACT_FIELDS.into_iter().filter(|f| a.get(f) != b.get(f)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ContactInput {
        ContactInput {
            name: Some(" Anna de Vries ".into()),
            organisation: Some("".into()),
            email: Some("anna@bakkerij.test".into()),
            phone: None,
            street: Some("Dorpsstraat 1".into()),
            postal_code: Some("1234 AB".into()),
            city: Some("Utrecht".into()),
            country: Some("NL".into()),
        }
    }

    #[test]
    fn a_valid_contact_is_trimmed() {
        let c = input().validate("").unwrap();
        assert_eq!(c.name, "Anna de Vries");
        assert_eq!(c.organisation, None);
        assert_eq!(c.country.to_string(), "NL");
    }

    #[test]
    fn every_wrong_field_is_named_with_its_role() {
        let mut i = input();
        i.email = Some("anna".into());
        i.country = Some("XX".into());
        i.city = None;
        i.phone = Some("call me".into());
        let e = i.validate("admin.").unwrap_err();
        let fields: Vec<_> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["admin.email", "admin.phone", "admin.city", "admin.country"]);
    }

    #[test]
    fn roles_round_trip_and_changes_are_listed() {
        for r in ContactRole::ALL {
            assert_eq!(ContactRole::parse(r.name()), Some(r));
        }
        assert_eq!(ContactRole::parse("owner"), None);
        let mut i = ContactInput::default();
        for f in CONTACT_FIELDS {
            i.set(f, f);
            assert_eq!(i.get(f), Some(f), "set and get agree on {f}");
        }
        let a = input().validate("").unwrap();
        let mut b = a.clone();
        b.email = "new@bakkerij.test".into();
        b.city = "Zeist".into();
        assert_eq!(a.changed_fields(&b), ["email", "city"]);
    }
}
