//! `/api/v1` for billing: the catalog (terms, products, plans), subscriptions and their life
//! (cancel, renew, change plan), one-off lines and projects, documents (invoices, credit notes,
//! pro formas), payments and refunds, and a card's billing overview. Staff change things
//! (`billing:write`, staff action ManageBilling); staff and a card's own users read
//! (`billing:read`; users need the permission to view invoices).

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Json as JsonBody, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use loket_billing::ops::SubscriptionInput;
use loket_billing::overview::Overview;
use loket_billing::{Billing, BillingError};
use loket_domain::access::{Permission, StaffAction};
use loket_domain::billing::catalog::{PlanSpec, ProductSpec, TermsSpec};
use loket_store::billing::catalog::{self as cat, valid_code};
use loket_store::billing::documents::{Document, Line};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api_customers::ApiCaller;
use crate::{AppState, WebError};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_terms))
        .routes(routes!(put_terms))
        .routes(routes!(list_products))
        .routes(routes!(put_product))
        .routes(routes!(list_plans))
        .routes(routes!(put_plan))
        .routes(routes!(create_subscription))
        .routes(routes!(get_subscription))
        .routes(routes!(cancel_subscription))
        .routes(routes!(renew_subscription))
        .routes(routes!(change_plan))
        .routes(routes!(create_item))
        .routes(routes!(create_project))
        .routes(routes!(deliver_project))
        .routes(routes!(list_invoices))
        .routes(routes!(get_invoice))
        .routes(routes!(create_credit_note))
        .routes(routes!(create_payment))
        .routes(routes!(create_refund))
        .routes(routes!(invoice_now))
        .routes(routes!(billing_overview))
}

impl From<BillingError> for WebError {
    fn from(e: BillingError) -> Self {
        match e {
            BillingError::Invalid(errors) => WebError::Invalid(errors),
            BillingError::NotFound(_) => WebError::NotFound,
            BillingError::Conflict(m) => WebError::Conflict(m),
            BillingError::Store(loket_store::StoreError::Invalid(m)) => WebError::BadRequest { field: None, message: m },
            BillingError::Store(s) => WebError::Store(s),
        }
    }
}

impl AppState {
    pub fn billing(&self) -> Billing {
        Billing::new(self.store.clone(), (*self.provider).clone())
    }
}

fn body<T>(b: Result<JsonBody<T>, JsonRejection>) -> Result<T, WebError> {
    b.map(|JsonBody(t)| t).map_err(|e| WebError::BadRequest { field: None, message: e.body_text() })
}

fn id(s: &str) -> Result<i64, WebError> {
    s.parse().map_err(|_| WebError::NotFound)
}

impl ApiCaller {
    fn billing_staff(&self) -> Result<(), WebError> {
        self.scope("billing:write")?;
        self.staff(StaffAction::ManageBilling)
    }

    /// Staff with billing:read, or a user of `customer_id` allowed to view its invoices.
    async fn may_read(&self, state: &AppState, customer_id: i64) -> Result<(), WebError> {
        self.scope("billing:read")?;
        if self.user.staff_role.is_some_and(|r| r.can(StaffAction::ViewCustomers)) {
            return Ok(());
        }
        match state.store.membership(self.user.id, customer_id).await? {
            Some(m) if m.permissions.has(Permission::ViewInvoices) => Ok(()),
            _ => Err(WebError::NotFound),
        }
    }
}

fn check_code(code: &str) -> Result<(), WebError> {
    if valid_code(code) {
        Ok(())
    } else {
        Err(WebError::BadRequest { field: Some("code".into()), message: "code: 1–40 lower-case letters, digits, - or _".into() })
    }
}

/// Named contract terms.
#[utoipa::path(get, path = "/api/v1/terms", tag = "billing", security(("token" = [])), responses((status = 200, body = Object)))]
async fn list_terms(State(state): State<AppState>, caller: ApiCaller) -> Result<Json<Value>, WebError> {
    caller.scope("billing:read")?;
    let catalog = state.store.catalog(state.provider.currency).await?;
    let mut list: Vec<_> = catalog.terms.values().map(|t| json!({"id": t.id, "code": t.code, "spec": t.spec})).collect();
    list.sort_by_key(|v| v["code"].as_str().unwrap_or("").to_string());
    Ok(Json(Value::Array(list)))
}

/// Creates or replaces the terms `code` (staff). Every wrong field is named.
#[utoipa::path(put, path = "/api/v1/terms/{code}", tag = "billing", params(("code" = String, Path)), request_body = Object,
    security(("token" = [])), responses((status = 200, body = Object), (status = 400, body = crate::error::ErrorBody)))]
async fn put_terms(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(code): Path<String>,
    b: Result<JsonBody<TermsSpec>, JsonRejection>,
) -> Result<Json<Value>, WebError> {
    caller.billing_staff()?;
    check_code(&code)?;
    let spec = body(b)?;
    spec.validate().map_err(WebError::Invalid)?;
    let mut tx = state.store.begin().await?;
    let id = cat::put_terms(&mut tx, &code, &spec).await?;
    audit(&mut tx, &caller, "terms.put", "terms", &code, serde_json::to_value(&spec).unwrap_or_default()).await?;
    loket_store::commit(tx).await?;
    Ok(Json(json!({"id": id, "code": code, "spec": spec})))
}

async fn audit(tx: &mut loket_store::Conn, caller: &ApiCaller, action: &str, entity: &str, id: &str, after: Value) -> Result<(), WebError> {
    let change = loket_store::audit::Change {
        actor: &caller.actor(),
        action,
        entity,
        entity_id: Some(id.to_string()),
        before: None,
        after: Some(after),
        request_id: None,
    };
    loket_store::audit::record(tx, &change).await?;
    Ok(())
}

/// Products.
#[utoipa::path(get, path = "/api/v1/products", tag = "billing", security(("token" = [])), responses((status = 200, body = Object)))]
async fn list_products(State(state): State<AppState>, caller: ApiCaller) -> Result<Json<Value>, WebError> {
    caller.scope("billing:read")?;
    let catalog = state.store.catalog(state.provider.currency).await?;
    let mut list: Vec<_> = catalog.products.values().map(|p| serde_json::to_value(p).unwrap_or_default()).collect();
    list.sort_by_key(|v| v["code"].as_str().unwrap_or("").to_string());
    Ok(Json(Value::Array(list)))
}

/// Creates or replaces the product `code` (staff).
#[utoipa::path(put, path = "/api/v1/products/{code}", tag = "billing", params(("code" = String, Path)), request_body = Object,
    security(("token" = [])), responses((status = 200, body = Object), (status = 400, body = crate::error::ErrorBody)))]
async fn put_product(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(code): Path<String>,
    b: Result<JsonBody<ProductSpec>, JsonRejection>,
) -> Result<Json<Value>, WebError> {
    caller.billing_staff()?;
    check_code(&code)?;
    let spec = body(b)?;
    let product = spec.validate().map_err(WebError::Invalid)?;
    let mut tx = state.store.begin().await?;
    let id = cat::put_product(&mut tx, &code, &product).await?;
    audit(&mut tx, &caller, "product.put", "product", &code, serde_json::to_value(&spec).unwrap_or_default()).await?;
    loket_store::commit(tx).await?;
    Ok(Json(json!({"id": id, "code": code, "product": product})))
}

/// Plans, with their prices per billing period (minor units).
#[utoipa::path(get, path = "/api/v1/plans", tag = "billing", security(("token" = [])), responses((status = 200, body = Object)))]
async fn list_plans(State(state): State<AppState>, caller: ApiCaller) -> Result<Json<Value>, WebError> {
    caller.scope("billing:read")?;
    let catalog = state.store.catalog(state.provider.currency).await?;
    let mut list: Vec<_> = catalog
        .plans
        .values()
        .map(|p| {
            json!({"id": p.id, "code": p.code, "name": p.name, "product": catalog.products.get(&p.product_id).map(|x| x.code.clone()),
                   "terms": catalog.terms.get(&p.terms_id).map(|t| t.code.clone()), "currency": p.currency.code(),
                   "prices": p.prices.iter().map(|(k, m)| (k.clone(), json!(m.minor))).collect::<serde_json::Map<_, _>>(),
                   "setup_fee": p.setup_fee.minor})
        })
        .collect();
    list.sort_by_key(|v| v["code"].as_str().unwrap_or("").to_string());
    Ok(Json(Value::Array(list)))
}

/// Creates or replaces the plan `code` (staff). Prices are decimal text ("9.95"), never negative;
/// the currency is EUR.
#[utoipa::path(put, path = "/api/v1/plans/{code}", tag = "billing", params(("code" = String, Path)), request_body = Object,
    security(("token" = [])), responses((status = 200, body = Object), (status = 400, body = crate::error::ErrorBody)))]
async fn put_plan(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(code): Path<String>,
    b: Result<JsonBody<PlanSpec>, JsonRejection>,
) -> Result<Json<Value>, WebError> {
    caller.billing_staff()?;
    check_code(&code)?;
    let spec = body(b)?;
    let plan = spec.validate().map_err(WebError::Invalid)?;
    let mut tx = state.store.begin().await?;
    let id = cat::put_plan(&mut tx, &code, &spec, &plan).await.map_err(|e| match e {
        loket_store::StoreError::Invalid(m) => {
            let field = m.split(':').next().unwrap_or("plan").to_string();
            WebError::Invalid(vec![loket_domain::FieldError::new(field, m)])
        }
        other => WebError::Store(other),
    })?;
    audit(&mut tx, &caller, "plan.put", "plan", &code, serde_json::to_value(&spec).unwrap_or_default()).await?;
    loket_store::commit(tx).await?;
    Ok(Json(json!({"id": id, "code": code})))
}

/// Orders a subscription (staff). A product that must be paid first starts as pending payment
/// and gets a pro forma (or invoice) from the next billing run.
#[utoipa::path(post, path = "/api/v1/subscriptions", tag = "billing", request_body = Object, security(("token" = [])),
    responses((status = 201, body = Object), (status = 400, body = crate::error::ErrorBody)))]
async fn create_subscription(
    State(state): State<AppState>,
    caller: ApiCaller,
    b: Result<JsonBody<SubscriptionInput>, JsonRejection>,
) -> Result<Response, WebError> {
    caller.billing_staff()?;
    let input = body(b)?;
    let id = state.billing().subscribe(&caller.actor(), &input).await?;
    let s = state.store.subscription(id).await?.ok_or(WebError::NotFound)?;
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/api/v1/subscriptions/{id}"))], Json(s)).into_response())
}

/// One subscription.
#[utoipa::path(get, path = "/api/v1/subscriptions/{id}", tag = "billing", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody)))]
async fn get_subscription(State(state): State<AppState>, caller: ApiCaller, Path(sid): Path<String>) -> Result<Response, WebError> {
    let s = state.store.subscription(id(&sid)?).await?.ok_or(WebError::NotFound)?;
    caller.may_read(&state, s.customer_id).await?;
    Ok(Json(s).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancellationInput {
    /// The day the cancellation reached the provider, YYYY-MM-DD.
    received_on: String,
    /// email, portal, letter, registered_letter or phone — the terms say which count.
    channel: String,
}

/// Records a cancellation; answers when it takes effect. A late notice moves to the next
/// term's end; a channel the terms do not accept, or a date before the start, is refused.
#[utoipa::path(post, path = "/api/v1/subscriptions/{id}/cancellation", tag = "billing", params(("id" = i64, Path)),
    request_body = CancellationInput, security(("token" = [])),
    responses((status = 200, body = Object), (status = 400, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn cancel_subscription(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(sid): Path<String>,
    b: Result<JsonBody<CancellationInput>, JsonRejection>,
) -> Result<Response, WebError> {
    caller.billing_staff()?;
    let input = body(b)?;
    let c = state.billing().cancel(&caller.actor(), id(&sid)?, &input.received_on, &input.channel).await?;
    Ok(Json(c).into_response())
}

/// Renews an opt-in subscription for one more term.
#[utoipa::path(post, path = "/api/v1/subscriptions/{id}/renewal", tag = "billing", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 200, body = Object), (status = 409, body = crate::error::ErrorBody)))]
async fn renew_subscription(State(state): State<AppState>, caller: ApiCaller, Path(sid): Path<String>) -> Result<Json<Value>, WebError> {
    caller.billing_staff()?;
    let until = state.billing().renew(&caller.actor(), id(&sid)?).await?;
    Ok(Json(json!({"renewed_until": until.to_string()})))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanChange {
    /// The new plan's code.
    plan: String,
    /// From this day, YYYY-MM-DD.
    on: String,
}

/// Upgrades or downgrades: the difference for the invoiced part of the period is settled to
/// the day on the next invoice.
#[utoipa::path(post, path = "/api/v1/subscriptions/{id}/plan-change", tag = "billing", params(("id" = i64, Path)),
    request_body = PlanChange, security(("token" = [])), responses((status = 200, body = Object), (status = 400, body = crate::error::ErrorBody)))]
async fn change_plan(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(sid): Path<String>,
    b: Result<JsonBody<PlanChange>, JsonRejection>,
) -> Result<Json<Value>, WebError> {
    caller.billing_staff()?;
    let input = body(b)?;
    let item = state.billing().change_plan(&caller.actor(), id(&sid)?, &input.plan, &input.on).await?;
    Ok(Json(json!({"settlement_item": item})))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemInput {
    customer_id: i64,
    description: String,
    /// e.g. "1.5" (hours)
    quantity: String,
    /// Net, e.g. "85.00"
    unit_price: String,
    vat_category: Option<String>,
    /// YYYY-MM-DD; default today.
    on: Option<String>,
}

/// A one-off line (extra work at the hourly rate, a fee) for the customer's next invoice.
#[utoipa::path(post, path = "/api/v1/items", tag = "billing", request_body = ItemInput, security(("token" = [])),
    responses((status = 201, body = Object), (status = 400, body = crate::error::ErrorBody)))]
async fn create_item(
    State(state): State<AppState>,
    caller: ApiCaller,
    b: Result<JsonBody<ItemInput>, JsonRejection>,
) -> Result<Response, WebError> {
    caller.billing_staff()?;
    let i = body(b)?;
    let billing = state.billing();
    let on = match &i.on {
        Some(d) => d.parse().map_err(|_| WebError::BadRequest { field: Some("on".into()), message: "on: write YYYY-MM-DD".into() })?,
        None => billing.today(),
    };
    let id = billing
        .add_item(&caller.actor(), i.customer_id, &i.description, &i.quantity, &i.unit_price, i.vat_category.as_deref(), on, "manual")
        .await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectInput {
    customer_id: i64,
    description: String,
    /// Net total, e.g. "2400.00"
    total: String,
    /// Invoiced at signing.
    deposit_percent: u32,
    vat_category: Option<String>,
    signed_on: String,
}

/// A project: the deposit is invoiced at signing, the balance at delivery or after the
/// configured number of days (180) at the latest.
#[utoipa::path(post, path = "/api/v1/projects", tag = "billing", request_body = ProjectInput, security(("token" = [])),
    responses((status = 201, body = Object), (status = 400, body = crate::error::ErrorBody)))]
async fn create_project(
    State(state): State<AppState>,
    caller: ApiCaller,
    b: Result<JsonBody<ProjectInput>, JsonRejection>,
) -> Result<Response, WebError> {
    caller.billing_staff()?;
    let p = body(b)?;
    let id = state
        .billing()
        .create_project(
            &caller.actor(),
            p.customer_id,
            &p.description,
            &p.total,
            p.deposit_percent,
            p.vat_category.as_deref(),
            &p.signed_on,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Delivery {
    delivered_on: String,
}

/// Records the delivery of a project (its balance is invoiced by the next run).
#[utoipa::path(post, path = "/api/v1/projects/{id}/delivery", tag = "billing", params(("id" = i64, Path)), request_body = Delivery,
    security(("token" = [])), responses((status = 200, body = Object), (status = 400, body = crate::error::ErrorBody)))]
async fn deliver_project(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(pid): Path<String>,
    b: Result<JsonBody<Delivery>, JsonRejection>,
) -> Result<Json<Value>, WebError> {
    caller.billing_staff()?;
    let d = body(b)?;
    state.billing().deliver_project(&caller.actor(), id(&pid)?, &d.delivered_on).await?;
    Ok(Json(json!({"delivered_on": d.delivered_on})))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct InvoiceSearch {
    /// Only this customer's documents (required for customers' users).
    customer_id: Option<i64>,
    /// Part of the number or the customer's frozen name.
    q: Option<String>,
    limit: Option<i64>,
}

#[derive(Serialize)]
struct DocumentView {
    #[serde(flatten)]
    doc: Document,
    open: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    lines: Option<Vec<Line>>,
}

/// Documents, newest first: staff see all (searchable), a card's users their card's.
#[utoipa::path(get, path = "/api/v1/invoices", tag = "billing", params(InvoiceSearch), security(("token" = [])),
    responses((status = 200, body = Object)))]
async fn list_invoices(State(state): State<AppState>, caller: ApiCaller, Query(q): Query<InvoiceSearch>) -> Result<Response, WebError> {
    match q.customer_id {
        Some(c) => caller.may_read(&state, c).await?,
        None => {
            caller.scope("billing:read")?;
            caller.staff(StaffAction::ViewCustomers)?;
        }
    }
    let docs = state.store.documents(q.customer_id, q.q.as_deref(), q.limit.unwrap_or(100)).await?;
    let list: Vec<DocumentView> = docs.into_iter().map(|d| DocumentView { open: d.open_amount(), doc: d, lines: None }).collect();
    Ok(Json(list).into_response())
}

/// One document with its lines, as issued.
#[utoipa::path(get, path = "/api/v1/invoices/{id}", tag = "billing", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody)))]
async fn get_invoice(State(state): State<AppState>, caller: ApiCaller, Path(iid): Path<String>) -> Result<Response, WebError> {
    let doc = state.store.document(id(&iid)?).await?.ok_or(WebError::NotFound)?;
    caller.may_read(&state, doc.customer_id).await?;
    let lines = state.store.document_lines(doc.id).await?;
    Ok(Json(DocumentView { open: doc.open_amount(), doc, lines: Some(lines) }).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditNoteInput {
    /// Positions of the lines to credit; default: all.
    lines: Option<Vec<i64>>,
    reason: String,
    /// YYYY-MM-DD; default today.
    issue_date: Option<String>,
}

/// Credits an invoice (all of it or some lines) with a credit note: the correction of an
/// issued invoice, which itself never changes.
#[utoipa::path(post, path = "/api/v1/invoices/{id}/credit-notes", tag = "billing", params(("id" = i64, Path)),
    request_body = CreditNoteInput, security(("token" = [])),
    responses((status = 201, body = Object), (status = 400, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn create_credit_note(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(iid): Path<String>,
    b: Result<JsonBody<CreditNoteInput>, JsonRejection>,
) -> Result<Response, WebError> {
    caller.billing_staff()?;
    let c = body(b)?;
    let billing = state.billing();
    let on = c.issue_date.unwrap_or_else(|| billing.today().to_string());
    let number = billing.credit_note(&caller.actor(), id(&iid)?, c.lines.as_deref(), &c.reason, &on).await?;
    Ok((StatusCode::CREATED, Json(json!({"number": number}))).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentInput {
    /// The customer; may be left out when `invoice_id` is given.
    customer_id: Option<i64>,
    /// The invoice or pro forma paid; left out: the oldest open ones.
    invoice_id: Option<i64>,
    /// e.g. "121.00"; more than is open goes to the credit balance.
    amount: String,
    /// bank_transfer, direct_debit, online or credit
    method: String,
    received_on: String,
    reference: Option<String>,
}

/// Records a payment.
#[utoipa::path(post, path = "/api/v1/payments", tag = "billing", request_body = PaymentInput, security(("token" = [])),
    responses((status = 201, body = Object), (status = 400, body = crate::error::ErrorBody)))]
async fn create_payment(
    State(state): State<AppState>,
    caller: ApiCaller,
    b: Result<JsonBody<PaymentInput>, JsonRejection>,
) -> Result<Response, WebError> {
    caller.billing_staff()?;
    let p = body(b)?;
    let r = state
        .billing()
        .record_payment(&caller.actor(), p.customer_id, p.invoice_id, &p.amount, &p.method, &p.received_on, p.reference.as_deref())
        .await?;
    state.wake_jobs();
    Ok((StatusCode::CREATED, Json(r)).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundInput {
    customer_id: i64,
    amount: String,
    paid_on: String,
    reference: Option<String>,
}

/// Pays back money from the customer's credit balance.
#[utoipa::path(post, path = "/api/v1/refunds", tag = "billing", request_body = RefundInput, security(("token" = [])),
    responses((status = 201, body = Object), (status = 400, body = crate::error::ErrorBody)))]
async fn create_refund(
    State(state): State<AppState>,
    caller: ApiCaller,
    b: Result<JsonBody<RefundInput>, JsonRejection>,
) -> Result<Response, WebError> {
    caller.billing_staff()?;
    let r = body(b)?;
    let id = state.billing().refund(&caller.actor(), r.customer_id, &r.amount, &r.paid_on, r.reference.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))).into_response())
}

/// Invoices everything due for one customer today, now (on demand).
#[utoipa::path(post, path = "/api/v1/customers/{id}/invoice-now", tag = "billing", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody)))]
async fn invoice_now(State(state): State<AppState>, caller: ApiCaller, Path(cid): Path<String>) -> Result<Response, WebError> {
    caller.billing_staff()?;
    let billing = state.billing();
    let report = billing.invoice_customer(id(&cid)?, billing.today()).await?;
    state.wake_jobs();
    Ok(Json(report).into_response())
}

/// A card's billing at a glance: subscriptions with next invoice and "cancel before", credit
/// balance, repeatedly late.
#[utoipa::path(get, path = "/api/v1/customers/{id}/billing", tag = "billing", params(("id" = i64, Path), OverviewQuery), security(("token" = [])),
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody)))]
async fn billing_overview(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(cid): Path<String>,
    Query(q): Query<OverviewQuery>,
) -> Result<Json<Overview>, WebError> {
    let cid = id(&cid)?;
    caller.may_read(&state, cid).await?;
    let billing = state.billing();
    let on = match q.on.as_deref() {
        Some(d) => d.parse().map_err(|_| WebError::BadRequest { field: Some("on".into()), message: "on: write YYYY-MM-DD".into() })?,
        None => billing.today(),
    };
    Ok(Json(billing.overview(cid, on).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct OverviewQuery {
    /// The day to look from, YYYY-MM-DD; default today in the provider's time zone.
    on: Option<String>,
}
