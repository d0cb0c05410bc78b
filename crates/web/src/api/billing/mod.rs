//! `/api/v1` for billing: the catalog (terms, products, plans), subscriptions and their life
//! (cancel, renew, change plan, end at once), one-off lines and projects, documents (invoices,
//! credit notes, pro formas), payments and refunds, and a card's billing overview. Staff change
//! things (`billing:write`, staff action ManageBilling); staff and a card's own users read
//! (`billing:read`; users need the permission to view invoices). Handlers parse, call the
//! engine once, and answer with a type from [`views`].

use crate::http::extract::{body, query};
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Json as JsonBody, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use loket_app::billing::Billing;
use loket_app::billing::extras::ItemInput as EngineItem;
use loket_app::billing::money::PaymentInput as EnginePayment;
use loket_app::billing::ops::SubscriptionInput;
use loket_domain::access::{Permission, StaffAction};
use loket_domain::billing::catalog::{PlanSpec, ProductSpec, SettingsSpec, TermsSpec};
use loket_store::billing::documents::{DocKind, DocState, DocumentFilter};

mod exports;
mod files;
mod views;

use crate::api::customers::ApiCaller;
use crate::http::error::ErrorBody;
use crate::{ApiError, AppState, WebError};
use views::*;

pub fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    use utoipa_axum::routes;
    utoipa_axum::router::OpenApiRouter::new()
        .routes(routes!(billing_settings))
        .routes(routes!(list_terms))
        .routes(routes!(put_terms))
        .routes(routes!(list_products))
        .routes(routes!(put_product))
        .routes(routes!(list_plans))
        .routes(routes!(put_plan))
        .routes(routes!(create_subscription))
        .routes(routes!(get_subscription))
        .routes(routes!(cancel_subscription))
        .routes(routes!(end_subscription))
        .routes(routes!(renew_subscription))
        .routes(routes!(change_plan))
        .routes(routes!(create_item))
        .routes(routes!(create_project))
        .routes(routes!(deliver_project))
        .routes(routes!(list_invoices))
        .routes(routes!(get_invoice))
        .routes(routes!(files::invoice_pdf))
        .routes(routes!(files::invoice_ubl))
        .routes(routes!(files::invoice_fatturapa))
        .routes(routes!(create_credit_note))
        .routes(routes!(create_payment))
        .routes(routes!(create_refund))
        .routes(routes!(invoice_now))
        .routes(routes!(billing_overview))
        .routes(routes!(exports::journal_csv))
        .routes(routes!(exports::journal_xlsx))
        .routes(routes!(exports::documents_zip))
}

impl AppState {
    pub fn billing(&self) -> Billing {
        self.app.billing()
    }
}

fn id(s: &str) -> Result<i64, WebError> {
    s.parse().map_err(|_| WebError::NotFound)
}

fn date_param(field: &str, s: Option<&str>, default: jiff::civil::Date) -> Result<jiff::civil::Date, ApiError> {
    match s {
        Some(d) => Ok(loket_domain::input::date(field, d)?),
        None => Ok(default),
    }
}

impl ApiCaller {
    fn billing_staff(&self) -> Result<(), ApiError> {
        self.scope("billing:write")?;
        self.staff(StaffAction::ManageBilling)
    }

    /// Staff with billing:read, or a user of `customer_id` allowed to view its invoices.
    pub(crate) async fn may_read(&self, state: &AppState, customer_id: i64) -> Result<(), ApiError> {
        self.scope("billing:read")?;
        if self.user.staff_role.is_some_and(|r| r.can(StaffAction::ViewCustomers)) {
            return Ok(());
        }
        match state.store.membership(self.user.id, customer_id).await? {
            Some(m) if m.permissions.has(Permission::ViewInvoices) => Ok(()),
            _ => Err(WebError::NotFound.into()),
        }
    }
}

/// The provider's billing settings as they apply now (series, dunning, fees, lead times): what a
/// billing file's `[billing]` section changes, key by key.
#[utoipa::path(get, path = "/api/v1/billing-settings", tag = "billing", security(("token" = [])),
    responses((status = 200, body = SettingsSpec), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn billing_settings(State(state): State<AppState>, caller: ApiCaller) -> Result<Json<SettingsSpec>, ApiError> {
    caller.scope("billing:read")?;
    caller.staff(StaffAction::ViewCustomers)?;
    Ok(Json(state.store.catalog(state.provider.currency).await?.settings_spec))
}

/// Named contract terms.
#[utoipa::path(get, path = "/api/v1/terms", tag = "billing", security(("token" = [])),
    responses((status = 200, body = [TermsView]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_terms(State(state): State<AppState>, caller: ApiCaller) -> Result<Json<Vec<TermsView>>, ApiError> {
    caller.scope("billing:read")?;
    let catalog = state.store.catalog(state.provider.currency).await?;
    let mut list: Vec<TermsView> = catalog.terms.values().map(TermsView::from).collect();
    list.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(Json(list))
}

/// Creates or replaces the terms `code` (staff). Every wrong field is named; terms that plans use
/// cannot get a billing period those plans have no price for.
#[utoipa::path(put, path = "/api/v1/terms/{code}", tag = "billing", params(("code" = String, Path)), request_body = TermsSpec,
    security(("token" = [])), responses((status = 200, body = Stored), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody)))]
async fn put_terms(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(code): Path<String>,
    b: Result<JsonBody<TermsSpec>, JsonRejection>,
) -> Result<Json<Stored>, ApiError> {
    caller.billing_staff()?;
    let spec = body(b)?;
    let id = state.billing().put_terms(&caller.actor(), &code, &spec).await?;
    Ok(Json(Stored { id, code }))
}

/// Products.
#[utoipa::path(get, path = "/api/v1/products", tag = "billing", security(("token" = [])),
    responses((status = 200, body = [ProductView]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_products(State(state): State<AppState>, caller: ApiCaller) -> Result<Json<Vec<ProductView>>, ApiError> {
    caller.scope("billing:read")?;
    let catalog = state.store.catalog(state.provider.currency).await?;
    let mut list: Vec<ProductView> = catalog.products.values().map(ProductView::from).collect();
    list.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(Json(list))
}

/// Creates or replaces the product `code` (staff).
#[utoipa::path(put, path = "/api/v1/products/{code}", tag = "billing", params(("code" = String, Path)), request_body = ProductSpec,
    security(("token" = [])), responses((status = 200, body = Stored), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody)))]
async fn put_product(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(code): Path<String>,
    b: Result<JsonBody<ProductSpec>, JsonRejection>,
) -> Result<Json<Stored>, ApiError> {
    caller.billing_staff()?;
    let spec = body(b)?;
    let id = state.billing().put_product(&caller.actor(), &code, &spec).await?;
    Ok(Json(Stored { id, code }))
}

/// Plans, with their net prices per billing period (minor units).
#[utoipa::path(get, path = "/api/v1/plans", tag = "billing", security(("token" = [])),
    responses((status = 200, body = [PlanView]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_plans(State(state): State<AppState>, caller: ApiCaller) -> Result<Json<Vec<PlanView>>, ApiError> {
    caller.scope("billing:read")?;
    let catalog = state.store.catalog(state.provider.currency).await?;
    let mut list: Vec<PlanView> = catalog.plans.values().map(|p| PlanView::new(p, &catalog)).collect();
    list.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(Json(list))
}

/// Creates or replaces the plan `code` (staff). Prices are decimal text ("9.95"), never negative;
/// the plan needs a price for its terms' billing period, as in a billing file.
#[utoipa::path(put, path = "/api/v1/plans/{code}", tag = "billing", params(("code" = String, Path)), request_body = PlanSpec,
    security(("token" = [])), responses((status = 200, body = Stored), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody)))]
async fn put_plan(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(code): Path<String>,
    b: Result<JsonBody<PlanSpec>, JsonRejection>,
) -> Result<Json<Stored>, ApiError> {
    caller.billing_staff()?;
    let spec = body(b)?;
    let id = state.billing().put_plan(&caller.actor(), &code, &spec).await?;
    Ok(Json(Stored { id, code }))
}

/// Orders a subscription (staff). A product that must be paid first starts as pending payment
/// and gets a pro forma (or invoice) from the next billing run.
#[utoipa::path(post, path = "/api/v1/subscriptions", tag = "billing", request_body = SubscriptionInput, security(("token" = [])),
    responses((status = 201, body = SubscriptionView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody)))]
async fn create_subscription(
    State(state): State<AppState>,
    caller: ApiCaller,
    b: Result<JsonBody<SubscriptionInput>, JsonRejection>,
) -> Result<Response, ApiError> {
    caller.billing_staff()?;
    let input = body(b)?;
    let id = state.billing().subscribe(&caller.actor(), &input).await?;
    let s = state.store.subscription(id).await?.ok_or(WebError::NotFound)?;
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/api/v1/subscriptions/{id}"))], Json(SubscriptionView::from(s))).into_response())
}

/// One subscription.
#[utoipa::path(get, path = "/api/v1/subscriptions/{id}", tag = "billing", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 200, body = SubscriptionView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody)))]
async fn get_subscription(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(sid): Path<String>,
) -> Result<Json<SubscriptionView>, ApiError> {
    caller.scope("billing:read")?;
    let s = state.store.subscription(id(&sid)?).await?.ok_or(WebError::NotFound)?;
    caller.may_read(&state, s.customer_id).await?;
    Ok(Json(s.into()))
}

/// Records a cancellation; answers when it takes effect. A late notice moves to a later term's
/// end; a channel the terms do not accept, or a date before the start, is refused. What was
/// invoiced beyond the end is credited at once.
#[utoipa::path(post, path = "/api/v1/subscriptions/{id}/cancellation", tag = "billing", params(("id" = i64, Path)),
    request_body = CancellationInput, security(("token" = [])),
    responses((status = 200, body = CancellationView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn cancel_subscription(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(sid): Path<String>,
    b: Result<JsonBody<CancellationInput>, JsonRejection>,
) -> Result<Json<CancellationView>, ApiError> {
    caller.billing_staff()?;
    let sid = id(&sid)?;
    let input = body(b)?;
    let c = state.billing().cancel(&caller.actor(), sid, &input.received_on, &input.channel, input.sent_on.as_deref()).await?;
    state.wake_jobs();
    Ok(Json(c.into()))
}

/// Ends a subscription at once (the provider interrupts the service). What was invoiced beyond
/// is credited as its terms say: the rest of the begun term only with a pro-rata refund.
#[utoipa::path(post, path = "/api/v1/subscriptions/{id}/end", tag = "billing", params(("id" = i64, Path)),
    request_body = EndInput, security(("token" = [])),
    responses((status = 200, body = EndedView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn end_subscription(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(sid): Path<String>,
    b: Result<JsonBody<EndInput>, JsonRejection>,
) -> Result<Json<EndedView>, ApiError> {
    caller.billing_staff()?;
    let sid = id(&sid)?;
    let input = body(b)?;
    let e = state.billing().end_now(&caller.actor(), sid, &input.on).await?;
    state.wake_jobs();
    Ok(Json(e.into()))
}

/// Renews an opt-in subscription for the term after the current one. Sent again before that
/// term begins, it changes nothing and answers the same date.
#[utoipa::path(post, path = "/api/v1/subscriptions/{id}/renewal", tag = "billing", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 200, body = RenewalView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn renew_subscription(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(sid): Path<String>,
) -> Result<Json<RenewalView>, ApiError> {
    caller.billing_staff()?;
    let until = state.billing().renew(&caller.actor(), id(&sid)?).await?;
    state.wake_jobs();
    Ok(Json(RenewalView { renewed_until: until, last_day: until.yesterday().unwrap_or(until) }))
}

/// Upgrades or downgrades from a day: for what is already invoiced, a dearer plan's difference
/// goes on the next invoice, a cheaper plan's is credited at once.
#[utoipa::path(post, path = "/api/v1/subscriptions/{id}/plan-change", tag = "billing", params(("id" = i64, Path)),
    request_body = PlanChangeInput, security(("token" = [])), responses((status = 200, body = PlanChangeView), (status = 400, body = ErrorBody),
    (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn change_plan(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(sid): Path<String>,
    b: Result<JsonBody<PlanChangeInput>, JsonRejection>,
) -> Result<Json<PlanChangeView>, ApiError> {
    caller.billing_staff()?;
    let sid = id(&sid)?;
    let input = body(b)?;
    let changed = state.billing().change_plan(&caller.actor(), sid, &input.plan, &input.on).await?;
    state.wake_jobs();
    Ok(Json(changed.into()))
}

/// A one-off line (extra work at the hourly rate, a fee) for the customer's next invoice.
#[utoipa::path(post, path = "/api/v1/items", tag = "billing", request_body = ItemInput, security(("token" = [])),
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn create_item(
    State(state): State<AppState>,
    caller: ApiCaller,
    b: Result<JsonBody<ItemInput>, JsonRejection>,
) -> Result<Response, ApiError> {
    caller.billing_staff()?;
    let i = body(b)?;
    let billing = state.billing();
    let on = date_param("on", i.on.as_deref(), billing.today())?;
    let item = EngineItem {
        customer_id: i.customer_id,
        description: &i.description,
        quantity: &i.quantity,
        unit_price: &i.unit_price,
        vat_category: i.vat_category.as_deref(),
        on,
        source: "manual",
    };
    let id = billing.add_item(&caller.actor(), &item).await?;
    Ok((StatusCode::CREATED, Json(Created { id })).into_response())
}

/// A project: the deposit is invoiced at signing, the balance at delivery or after the
/// configured number of days (180) at the latest.
#[utoipa::path(post, path = "/api/v1/projects", tag = "billing", request_body = ProjectInput, security(("token" = [])),
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn create_project(
    State(state): State<AppState>,
    caller: ApiCaller,
    b: Result<JsonBody<ProjectInput>, JsonRejection>,
) -> Result<Response, ApiError> {
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
    Ok((StatusCode::CREATED, Json(Created { id })).into_response())
}

/// Records the delivery of a project (its balance is invoiced by the next run).
#[utoipa::path(post, path = "/api/v1/projects/{id}/delivery", tag = "billing", params(("id" = i64, Path)), request_body = Delivery,
    security(("token" = [])), responses((status = 200, body = Delivery), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn deliver_project(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(pid): Path<String>,
    b: Result<JsonBody<Delivery>, JsonRejection>,
) -> Result<Json<Delivery>, ApiError> {
    caller.billing_staff()?;
    let pid = id(&pid)?;
    let d = body(b)?;
    state.billing().deliver_project(&caller.actor(), pid, &d.delivered_on).await?;
    Ok(Json(d))
}

/// Documents, newest first, a page at a time (`before` = the `cursor` of the last one): staff
/// see all and search by number or name, a card's users their card's.
#[utoipa::path(get, path = "/api/v1/invoices", tag = "billing", params(InvoiceSearch), security(("token" = [])),
    responses((status = 200, body = [InvoiceSummaryView]), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_invoices(
    State(state): State<AppState>,
    caller: ApiCaller,
    q: Result<Query<InvoiceSearch>, QueryRejection>,
) -> Result<Json<Vec<InvoiceSummaryView>>, ApiError> {
    let q = query(q)?;
    match q.customer_id {
        Some(c) => caller.may_read(&state, c).await?,
        None => {
            caller.scope("billing:read")?;
            caller.staff(StaffAction::ViewCustomers)?;
        }
    }
    let mut filter = DocumentFilter { customer_id: q.customer_id, limit: q.limit.unwrap_or(100).clamp(1, 1000), ..Default::default() };
    if let Some(s) = q.state.as_deref() {
        filter.state = Some(DocState::parse(s).ok_or_else(|| WebError::BadRequest {
            field: Some("state".into()),
            message: "state: use open, paid, credited, converted, settled or void".into(),
        })?);
    }
    if let Some(k) = q.kind.as_deref() {
        filter.kind = Some(DocKind::parse(k).ok_or_else(|| WebError::BadRequest {
            field: Some("kind".into()),
            message: "kind: use invoice, credit_note or pro_forma".into(),
        })?);
    }
    if let Some(b) = q.before.as_deref() {
        let bad = || WebError::BadRequest { field: Some("before".into()), message: "before: give the cursor of the last document".into() };
        let (d, i) = b.split_once('_').ok_or_else(bad)?;
        filter.before = Some((d.parse().map_err(|_| bad())?, i.parse().map_err(|_| bad())?));
    }
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        loket_domain::input::text("q", text, 100)?;
        if text.chars().any(|c| c.is_ascii_digit()) && !text.contains(' ') {
            filter.number_prefix = Some(text.to_uppercase());
            let found = state.store.documents(&filter).await?;
            if !found.is_empty() {
                return Ok(Json(found.into_iter().map(Into::into).collect()));
            }
            filter.number_prefix = None;
        }
        let ids = loket_store::search::find(&state.store, loket_store::search::CUSTOMER, text, 200).await?;
        filter.customers = Some(ids);
        let found = state.store.documents(&filter).await?;
        return Ok(Json(found.into_iter().map(Into::into).collect()));
    }
    let docs = state.store.documents(&filter).await?;
    Ok(Json(docs.into_iter().map(Into::into).collect()))
}

/// One document with its lines, as issued.
#[utoipa::path(get, path = "/api/v1/invoices/{id}", tag = "billing", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 200, body = InvoiceView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_invoice(State(state): State<AppState>, caller: ApiCaller, Path(iid): Path<String>) -> Result<Json<InvoiceView>, ApiError> {
    caller.scope("billing:read")?;
    let doc = state.store.document(id(&iid)?).await?.ok_or(WebError::NotFound)?;
    caller.may_read(&state, doc.customer_id).await?;
    let lines = state.store.document_lines(doc.id).await?;
    Ok(Json(InvoiceView::new(doc, lines)))
}

/// Credits an invoice (all of it or some lines) with a credit note: the correction of an
/// issued invoice, which itself never changes.
#[utoipa::path(post, path = "/api/v1/invoices/{id}/credit-notes", tag = "billing", params(("id" = i64, Path)),
    request_body = CreditNoteInput, security(("token" = [])),
    responses((status = 201, body = NumberView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn create_credit_note(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(iid): Path<String>,
    b: Result<JsonBody<CreditNoteInput>, JsonRejection>,
) -> Result<Response, ApiError> {
    caller.billing_staff()?;
    let iid = id(&iid)?;
    let c = body(b)?;
    let billing = state.billing();
    let on = c.issue_date.unwrap_or_else(|| billing.today().to_string());
    let number = billing.credit_note(&caller.actor(), iid, c.lines.as_deref(), &c.reason, &on).await?;
    state.wake_jobs();
    Ok((StatusCode::CREATED, Json(NumberView { number })).into_response())
}

/// Records a payment.
#[utoipa::path(post, path = "/api/v1/payments", tag = "billing", request_body = PaymentInput, security(("token" = [])),
    responses((status = 201, body = PaymentView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn create_payment(
    State(state): State<AppState>,
    caller: ApiCaller,
    b: Result<JsonBody<PaymentInput>, JsonRejection>,
) -> Result<Response, ApiError> {
    caller.billing_staff()?;
    let p = body(b)?;
    let input = EnginePayment {
        customer_id: p.customer_id,
        invoice_id: p.invoice_id,
        amount: &p.amount,
        method: &p.method,
        received_on: &p.received_on,
        reference: p.reference.as_deref(),
    };
    let r = state.billing().record_payment(&caller.actor(), &input).await?;
    state.wake_jobs();
    Ok((StatusCode::CREATED, Json(PaymentView::from(r))).into_response())
}

/// Pays back money from the customer's credit balance.
#[utoipa::path(post, path = "/api/v1/refunds", tag = "billing", request_body = RefundInput, security(("token" = [])),
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    (status = 404, body = ErrorBody)))]
async fn create_refund(
    State(state): State<AppState>,
    caller: ApiCaller,
    b: Result<JsonBody<RefundInput>, JsonRejection>,
) -> Result<Response, ApiError> {
    caller.billing_staff()?;
    let r = body(b)?;
    let id = state.billing().refund(&caller.actor(), r.customer_id, &r.amount, &r.paid_on, r.reference.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(Created { id })).into_response())
}

/// Invoices everything due for one customer today, now (on demand).
#[utoipa::path(post, path = "/api/v1/customers/{id}/invoice-now", tag = "billing", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 200, body = ReportView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn invoice_now(State(state): State<AppState>, caller: ApiCaller, Path(cid): Path<String>) -> Result<Json<ReportView>, ApiError> {
    caller.billing_staff()?;
    let billing = state.billing();
    let report = billing.invoice_customer(id(&cid)?, billing.today()).await?;
    state.wake_jobs();
    Ok(Json(report.into()))
}

/// A card's billing at a glance: subscriptions with next invoice and "cancel on or before",
/// credit balance, repeatedly late.
#[utoipa::path(get, path = "/api/v1/customers/{id}/billing", tag = "billing", params(("id" = i64, Path), OverviewQuery), security(("token" = [])),
    responses((status = 200, body = OverviewView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn billing_overview(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(cid): Path<String>,
    q: Result<Query<OverviewQuery>, QueryRejection>,
) -> Result<Json<OverviewView>, ApiError> {
    let cid = id(&cid)?;
    let q = query(q)?;
    caller.may_read(&state, cid).await?;
    let billing = state.billing();
    let on = date_param("on", q.on.as_deref(), billing.today())?;
    Ok(Json(billing.overview(cid, on).await?.into()))
}
