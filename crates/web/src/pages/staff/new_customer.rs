//! Staff make a customer card: a business or a private person, with choices for country,
//! language and payment method; every wrong field is named beside it and what was typed stays.

use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use loket_app::AppError;
use loket_domain::access::StaffAction;
use loket_domain::customer::CustomerInput;
use loket_domain::{FieldError, Language};
use serde_json::{Value, json};

use crate::http::extract::{Fields, field};
use crate::http::render::{error_page, render_page};
use crate::http::session::{Staff, check_csrf};
use crate::{AppState, Lang, WebError};

/// The form's fields, in order: (name, kind of input).
const FIELDS: [(&str, &str); 18] = [
    ("kind", "choice"),
    ("legal_name", "text"),
    ("trading_name", "text"),
    ("street", "text"),
    ("postal_code", "text"),
    ("city", "text"),
    ("country", "choice"),
    ("email", "email"),
    ("invoice_email", "email"),
    ("phone", "tel"),
    ("language", "choice"),
    ("vat_number", "text"),
    ("coc_number", "text"),
    ("tax_code", "text"),
    ("sdi_code", "text"),
    ("pec", "email"),
    ("payment_method", "choice"),
    ("iban", "text"),
];

fn form_data(state: &AppState, lang: Language, form: &Fields, errors: &[FieldError]) -> Value {
    let defaults = |name: &str| match name {
        "kind" => "business".to_string(),
        "country" => state.provider.address.country.code().to_string(),
        "language" => state.provider.default_language.code().to_string(),
        "payment_method" => "invoice".to_string(),
        _ => String::new(),
    };
    let fields: Vec<Value> = FIELDS
        .iter()
        .map(|(name, input)| {
            let value = if form.is_empty() { defaults(name) } else { field(form, name).to_string() };
            json!({
                "name": name,
                "input": input,
                "options": crate::pages::cards::card::options_html(lang, name, &value),
                "value": value,
                "error": errors.iter().find(|e| e.field == *name).map(|e| crate::http::field_errors::field_message(lang, e)),
            })
        })
        .collect();
    let other: Vec<String> = errors.iter().filter(|e| !FIELDS.iter().any(|(n, _)| *n == e.field)).map(|e| e.to_string()).collect();
    json!({ "fields": fields, "other_errors": other })
}

pub async fn new_form(State(state): State<AppState>, lang: Lang, staff: Staff) -> Response {
    if let Err(e) = staff.require(StaffAction::EditCustomers) {
        return error_page(e);
    }
    render_page(&state, lang, Some(&staff.0), "staff/new_customer.html.j2", StatusCode::OK, form_data(&state, lang.lang, &Vec::new(), &[]))
}

pub async fn create(State(state): State<AppState>, lang: Lang, staff: Staff, Form(form): Form<Fields>) -> Response {
    let result = async {
        check_csrf(&staff.0, field(&form, "csrf"))?;
        staff.require(StaffAction::EditCustomers)?;
        let opt = |n: &str| Some(field(&form, n).to_string()).filter(|v| !v.trim().is_empty());
        let input = CustomerInput {
            kind: opt("kind"),
            legal_name: opt("legal_name"),
            trading_name: opt("trading_name"),
            street: opt("street"),
            postal_code: opt("postal_code"),
            city: opt("city"),
            country: opt("country"),
            email: opt("email"),
            invoice_email: opt("invoice_email"),
            phone: opt("phone"),
            language: opt("language"),
            vat_number: opt("vat_number"),
            coc_number: opt("coc_number"),
            tax_code: opt("tax_code"),
            sdi_code: opt("sdi_code"),
            pec: opt("pec"),
            payment_method: opt("payment_method"),
            iban: opt("iban"),
            ..CustomerInput::default()
        };
        match loket_app::cards::create(&state.app, &staff.actor(), input).await {
            Ok(c) => Ok::<_, WebError>(Redirect::to(&format!("/staff/customers/{}", c.id)).into_response()),
            Err(AppError::Invalid(errors)) => Ok(render_page(
                &state,
                lang,
                Some(&staff.0),
                "staff/new_customer.html.j2",
                StatusCode::BAD_REQUEST,
                form_data(&state, lang.lang, &form, &errors),
            )),
            Err(e) => Err(e.into()),
        }
    }
    .await;
    result.unwrap_or_else(error_page)
}
