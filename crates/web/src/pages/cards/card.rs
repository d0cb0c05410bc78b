//! A customer's own card in the panel: view it, edit it (confirmed with the password), follow
//! its change requests. Fields the provider reviews become a change request; the rest apply at
//! once. Every change is audited; documents already issued keep the data they were made with.

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use loket_domain::Language;
use loket_domain::access::Permission;
use loket_domain::card_edit::EDITABLE_FIELDS;
use loket_domain::customer::CustomerKind;
use loket_store::accounts::{Membership, Session};
use loket_store::customers::Customer;

use crate::http::render::{error_page, push_escaped, render_page};
use crate::http::session::{SignedIn, check_csrf, user_actor};
use crate::{AppState, Lang, WebError};

pub fn routes() -> Router<AppState> {
    Router::new().route("/customers/{id}", get(card)).route("/customers/{id}/edit", get(edit_form).post(edit))
}

/// The card and the caller's membership of it; anyone else gets "not found", so that ids reveal
/// nothing.
async fn member_card(state: &AppState, session: &Session, id: &str) -> Result<(Customer, Membership), WebError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let membership = crate::http::session::membership(state, session, id).await?.ok_or(WebError::NotFound)?;
    let customer = state.store.customer(id).await?.ok_or(WebError::NotFound)?;
    Ok((customer, membership))
}

async fn card(State(state): State<AppState>, lang: Lang, SignedIn(session): SignedIn, Path(id): Path<String>) -> Response {
    let result = async {
        let (customer, membership) = member_card(&state, &session, &id).await?;
        let changes = state.store.change_requests(None, Some(customer.id), 50).await?;
        Ok::<_, WebError>(serde_json::json!({
            "customer": customer,
            "can_edit": membership.permissions.has(Permission::EditCompany),
            "can_manage_users": membership.permissions.has(Permission::ManageUsers),
            "can_view_billing": membership.permissions.has(Permission::ViewInvoices),
            "changes": changes,
        }))
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&session), "cards/card.html.j2", StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}

fn form_data(
    state: &AppState,
    lang: Language,
    customer: &Customer,
    values: &[(String, String)],
    errors: &[loket_domain::FieldError],
    notice: Option<&str>,
) -> serde_json::Value {
    let consumer = customer.card.kind == CustomerKind::Consumer;
    let italian = customer.card.address.country == loket_domain::Country::IT;
    let fields: Vec<_> = EDITABLE_FIELDS
        .iter()
        // A private person has no trading name.
        .filter(|name| !(consumer && **name == "trading_name"))
        // Nor an e-invoice, unless one was asked for (to say why not).
        .filter(|name| {
            !(consumer
                && **name == "wants_ubl_attachment"
                && customer.card.field(name).as_deref() != Some("true")
                && !errors.iter().any(|e| e.field == **name))
        })
        // The addresses of Italian e-invoices are for a card in Italy; elsewhere they show only
        // when the card has one (to clear it) or one was sent (to name what is wrong with it).
        .filter(|name| {
            italian
                || !matches!(**name, "sdi_code" | "pec")
                || customer.card.field(name).is_some()
                || values.iter().any(|(k, v)| k == *name && !v.trim().is_empty())
                || errors.iter().any(|e| e.field == **name)
        })
        .map(|name| {
            let submitted = values.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone());
            let value = submitted.or_else(|| customer.card.field(name)).unwrap_or_default();
            let options = options_html(lang, name, &value);
            let label = if consumer && *name == "legal_name" { "field-name".to_string() } else { format!("field-{name}") };
            serde_json::json!({
                "name": name,
                "label": label,
                "value": value,
                "flag": name.starts_with("wants_") || name.starts_with("requires_"),
                "options": options,
                "input": match *name { "email" | "invoice_email" | "pec" => "email", "phone" => "tel", _ => "text" },
                "autocomplete": match *name {
                    "legal_name" if consumer => "name",
                    "legal_name" | "trading_name" => "organization",
                    "street" => "street-address",
                    "postal_code" => "postal-code",
                    "city" => "address-level2",
                    "email" | "invoice_email" => "email",
                    "phone" => "tel",
                    _ => "off",
                },
                "reviewed": state.reviewed_fields.iter().any(|f| f == name),
                "error": errors.iter().find(|e| e.field == *name).map(|e| crate::http::field_errors::field_message(lang, e)),
            })
        })
        .collect();
    let other: Vec<_> = errors.iter().filter(|e| !EDITABLE_FIELDS.contains(&e.field.as_str())).map(|e| e.to_string()).collect();
    serde_json::json!({ "customer": customer, "fields": fields, "other_errors": other, "notice": notice })
}

/// The choices of a card field people pick rather than type, as the `<option>` elements of its
/// `<select>` in the reader's language, `current` selected; `None` for a field people type. A
/// stored value outside the list stays selectable, first. Also the staff's new-card form and a
/// domain's contact forms.
pub(crate) fn options_html(lang: Language, name: &str, current: &str) -> Option<String> {
    let small: Vec<(String, String)> = match name {
        "kind" => ["business", "consumer"].iter().map(|k| (k.to_string(), loket_i18n::t(lang, &format!("customer-kind-{k}")))).collect(),
        // The country list is the same for every form in a language: it is built once.
        "country" => return Some(select(country_options(lang), current)),
        "language" => Language::ALL.iter().map(|l| (l.code().to_string(), l.native_name().to_string())).collect(),
        "payment_method" => ["invoice", "direct_debit", "online"]
            .iter()
            .map(|m| (m.to_string(), loket_i18n::t(lang, &format!("card-payment-{m}"))))
            .collect(),
        _ => return None,
    };
    let mut html = String::new();
    for (value, label) in &small {
        push_option(&mut html, value, label);
    }
    Some(select(&html, current))
}

/// Appends `<option value="…">…</option>`.
fn push_option(html: &mut String, value: &str, label: &str) {
    html.push_str("<option value=\"");
    push_escaped(html, value);
    html.push_str("\">");
    push_escaped(html, label);
    html.push_str("</option>");
}

/// `options` with the one of value `current` selected, or with `current` added first (and
/// selected) when it is not among them; unchanged when `current` is empty.
fn select(options: &str, current: &str) -> String {
    if current.is_empty() {
        return options.to_string();
    }
    let mut value = String::with_capacity(current.len() + 10);
    value.push_str("value=\"");
    push_escaped(&mut value, current);
    value.push('"');
    let mut html = String::with_capacity(options.len() + value.len() + 30);
    match options.find(&value) {
        Some(at) => {
            let end = at + value.len();
            html.push_str(&options[..end]);
            html.push_str(" selected");
            html.push_str(&options[end..]);
        }
        None => {
            html.push_str("<option ");
            html.push_str(&value);
            html.push_str(" selected>");
            push_escaped(&mut html, current);
            html.push_str("</option>");
            html.push_str(options);
        }
    }
    html
}

/// The `<option>`s of every named country in `lang`, sorted by name: built once per language
/// and process, as the names are compiled in. A domain's page has three such lists; building
/// them on every view was a third of its cost.
fn country_options(lang: Language) -> &'static str {
    static BUILT: [std::sync::OnceLock<String>; 3] = [const { std::sync::OnceLock::new() }; 3];
    BUILT[lang.index()].get_or_init(|| {
        let mut list: Vec<(&str, String)> = loket_i18n::NAMED_COUNTRIES.iter().map(|c| (*c, loket_i18n::country_name(lang, c))).collect();
        list.sort_by(|a, b| a.1.cmp(&b.1));
        let mut html = String::new();
        for (code, name) in list {
            push_option(&mut html, code, &name);
        }
        html
    })
}

async fn edit_form(State(state): State<AppState>, lang: Lang, SignedIn(session): SignedIn, Path(id): Path<String>) -> Response {
    match member_card(&state, &session, &id).await {
        Ok((customer, m)) if m.permissions.has(Permission::EditCompany) => render_page(
            &state,
            lang,
            Some(&session),
            "cards/card_edit.html.j2",
            StatusCode::OK,
            form_data(&state, lang.lang, &customer, &[], &[], None),
        ),
        Ok(_) => error_page(WebError::Forbidden("you may not edit this company's data".into())),
        Err(e) => error_page(e),
    }
}

async fn edit(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    if let Err(e) = check_csrf(&session, &get("csrf")) {
        return error_page(e);
    }
    let (customer, membership) = match member_card(&state, &session, &id).await {
        Ok(found) => found,
        Err(e) => return error_page(e),
    };
    if !membership.permissions.has(Permission::EditCompany) {
        return error_page(WebError::Forbidden("you may not edit this company's data".into()));
    }
    let submitted: Vec<(String, String)> = form.iter().filter(|(k, _)| k != "csrf" && k != "password").cloned().collect();
    let rerender = |status: StatusCode, errors: &[loket_domain::FieldError]| {
        render_page(
            &state,
            lang,
            Some(&session),
            "cards/card_edit.html.j2",
            status,
            form_data(&state, lang.lang, &customer, &submitted, errors, None),
        )
    };
    let actor = user_actor(&session);
    match loket_app::cards::edit_by_member(&state.app, &actor, &session.user, &customer, &submitted, &get("password")).await {
        Ok(loket_app::cards::Edited::Nothing) => rerender(StatusCode::OK, &[]),
        Ok(loket_app::cards::Edited::Saved { .. }) => Redirect::to(&format!("/customers/{}", customer.id)).into_response(),
        Err(loket_app::AppError::Invalid(mut errors)) => {
            for e in errors.iter_mut().filter(|e| e.field == "password") {
                e.message = loket_i18n::t(lang.lang, "card-wrong-password");
            }
            rerender(StatusCode::BAD_REQUEST, &errors)
        }
        Err(e) => error_page(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_is_written_with_the_current_value_selected() {
        let html = options_html(Language::En, "country", "NL").unwrap();
        assert_eq!(html.matches("<option ").count(), loket_i18n::NAMED_COUNTRIES.len());
        assert_eq!(html.matches(" selected").count(), 1);
        assert!(html.contains("<option value=\"NL\" selected>Netherlands</option>"), "{html}");
        // Sorted by the name in the reader's language, not by code.
        assert!(html.find(">Germany<").unwrap() < html.find(">Netherlands<").unwrap());
        let nl = options_html(Language::Nl, "country", "").unwrap();
        assert!(nl.contains(">Nederland<") && !nl.contains(" selected"), "{nl}");
        // A value outside the list stays selectable, first, and escaped.
        let odd = options_html(Language::En, "country", "X\"<").unwrap();
        assert!(odd.starts_with("<option value=\"X&quot;&lt;\" selected>X&quot;&lt;</option>"), "{odd}");
        assert_eq!(odd.matches("<option ").count(), loket_i18n::NAMED_COUNTRIES.len() + 1);
        // "N" is not "NL": only a whole value is selected.
        let n = options_html(Language::En, "country", "N").unwrap();
        assert!(n.starts_with("<option value=\"N\" selected>"), "{n}");
        assert_eq!(n.matches(" selected").count(), 1);
        let kind = options_html(Language::En, "kind", "consumer").unwrap();
        assert!(kind.contains("value=\"consumer\" selected") && kind.contains("value=\"business\">"), "{kind}");
        assert_eq!(options_html(Language::En, "city", "Utrecht"), None);
    }
}
