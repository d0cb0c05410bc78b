//! Staff make documents by hand: a manual invoice (one-off lines, invoiced at once or with the
//! card's next invoice) from the card's billing page, and a credit note for a whole invoice or
//! some of its lines from the invoice's page. Both go through the billing engine, so numbering,
//! VAT, mail and the audit log are the same as for the billing run's documents.

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use loket_app::AppError;
use loket_app::billing::extras::ItemInput;
use loket_domain::access::StaffAction;
use serde_json::json;

use crate::http::extract::{Fields, amount_field, field};
use crate::http::field_errors::field_message;
use crate::http::render::{error_page, render_page};
use crate::http::session::{Staff, check_csrf};
use crate::{AppState, Lang, WebError};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/customers/{id}/items", post(manual_invoice))
        .route("/staff/customers/{id}/invoices/{invoice}/credit", post(credit_note))
}

/// The VAT categories staff choose from, in the order shown.
pub(super) const VAT_CATEGORIES: [&str; 5] = ["standard", "reduced", "super_reduced", "zero", "exempt"];

async fn manual_invoice(
    State(state): State<AppState>,
    lang: Lang,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    let result = async {
        check_csrf(&staff.0, field(&form, "csrf"))?;
        staff.require(StaffAction::ManageBilling)?;
        let cid: i64 = id.parse().map_err(|_| WebError::NotFound)?;
        state.store.customer(cid).await?.ok_or(WebError::NotFound)?;
        let today = state.app.today();
        let item = ItemInput {
            customer_id: cid,
            description: field(&form, "description"),
            quantity: field(&form, "quantity"),
            unit_price: &amount_field(&form, "unit_price"),
            vat_category: Some(field(&form, "vat_category")).filter(|c| !c.is_empty()),
            on: today,
            source: "manual",
        };
        let billing = state.billing();
        match billing.add_item(&staff.actor(), &item).await {
            Ok(_) => {
                let mut to = format!("/staff/customers/{cid}/billing?item=1");
                if field(&form, "invoice_now") == "true" {
                    let report = billing.invoice_customer(cid, today).await?;
                    if let Some(doc) = report.documents.first() {
                        to = format!("/staff/customers/{cid}/billing?invoiced={}", doc.number);
                    }
                }
                Ok::<_, WebError>(Redirect::to(&to).into_response())
            }
            Err(AppError::Invalid(errors)) => {
                let mut data = super::staff::staff_data(&state, lang, &staff, &id, &Vec::new(), &[], false).await?;
                data["item"] = json!({
                    "values": form.iter().cloned().collect::<std::collections::BTreeMap<String, String>>(),
                    "errors": errors.iter().map(|e| json!({ "field": e.field, "message": field_message(lang.lang, e) })).collect::<Vec<_>>(),
                });
                Ok(render_page(&state, lang, Some(&staff.0), "billing/staff.html.j2", StatusCode::BAD_REQUEST, data))
            }
            Err(e) => Err(e.into()),
        }
    }
    .await;
    result.unwrap_or_else(error_page)
}

async fn credit_note(
    State(state): State<AppState>,
    lang: Lang,
    staff: Staff,
    Path((id, invoice)): Path<(String, String)>,
    Form(form): Form<Fields>,
) -> Response {
    let result = async {
        check_csrf(&staff.0, field(&form, "csrf"))?;
        staff.require(StaffAction::ManageBilling)?;
        let cid: i64 = id.parse().map_err(|_| WebError::NotFound)?;
        let customer = state.store.customer(cid).await?.ok_or(WebError::NotFound)?;
        let doc_id: i64 = invoice.parse().map_err(|_| WebError::NotFound)?;
        state.store.document(doc_id).await?.filter(|d| d.customer_id == cid).ok_or(WebError::NotFound)?;
        let mut positions = Vec::new();
        for (k, v) in &form {
            if k == "line" {
                positions.push(
                    v.parse::<i64>().map_err(|_| AppError::from(loket_domain::FieldError::new("lines", format!("`{v}` is not a line"))))?,
                );
            }
        }
        let chosen = (field(&form, "whole") != "true").then_some(positions.as_slice());
        match state.billing().credit_note(&staff.actor(), doc_id, chosen, field(&form, "reason"), field(&form, "issue_date")).await {
            Ok(number) => Ok::<_, WebError>(Redirect::to(&format!("/staff/customers/{cid}/billing?credited={number}")).into_response()),
            Err(AppError::Invalid(errors)) => {
                let mut data = super::customer::invoice_data(&state, lang, &customer, &invoice, true).await?;
                data["today"] = json!(field(&form, "issue_date"));
                data["may_credit"] = json!(true);
                data["credit_errors"] = json!(errors.iter().map(|e| field_message(lang.lang, e)).collect::<Vec<_>>());
                Ok(render_page(&state, lang, Some(&staff.0), "billing/invoice.html.j2", StatusCode::BAD_REQUEST, data))
            }
            Err(e) => Err(e.into()),
        }
    }
    .await;
    result.unwrap_or_else(error_page)
}
