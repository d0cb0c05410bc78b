//! `/api/v1` for customer cards and the caller's own account, authenticated by personal API
//! tokens (`Authorization: Bearer lkt_…`) whose scopes narrow what their user may do.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Json, extract::Json as JsonBody};
use loket_domain::access::StaffAction;
use loket_domain::customer::CustomerInput;
use loket_store::accounts::{Membership, User};
use loket_store::audit::{Actor, ActorKind};
use loket_store::customers::Customer;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::{ApiError, AppState, WebError};

pub const TOKEN_PREFIX: &str = "lkt_";

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(list_customers, create_customer))
        .routes(routes!(get_customer))
        .routes(routes!(replace_customer))
}

/// The caller of an API route: a user and the scopes of the token used.
pub struct ApiCaller {
    pub user: User,
    pub token_id: i64,
    pub scopes: Vec<String>,
}

impl ApiCaller {
    pub(crate) fn scope(&self, scope: &str) -> Result<(), ApiError> {
        if self.scopes.iter().any(|s| s == scope) {
            Ok(())
        } else {
            Err(WebError::Forbidden(format!("this token lacks the scope {scope}")).into())
        }
    }

    pub(crate) fn staff(&self, action: StaffAction) -> Result<(), ApiError> {
        match self.user.staff_role {
            Some(role) if role.can(action) => Ok(()),
            Some(role) => Err(WebError::Forbidden(format!("your role ({}) may not do this", role.name())).into()),
            None => Err(WebError::Forbidden("for the provider's staff only".into()).into()),
        }
    }

    pub(crate) fn actor(&self) -> Actor {
        let kind = if self.user.staff_role.is_some() { ActorKind::Staff } else { ActorKind::User };
        Actor::new(kind, format!("{} (token {})", self.user.id, self.token_id)).in_request(crate::http::middleware::request_id())
    }
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let header = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or("");
        let token =
            header.strip_prefix("Bearer ").map(str::trim).filter(|t| t.starts_with(TOKEN_PREFIX) && t.len() == TOKEN_PREFIX.len() + 64);
        let Some(token) = token else {
            return Err(WebError::Unauthorized("send a personal API token: Authorization: Bearer lkt_…".into()).into());
        };
        match state.store.api_token(&loket_auth::token_hash(token)).await? {
            Some((t, user)) => Ok(ApiCaller { user, token_id: t.id, scopes: t.scopes }),
            None => Err(WebError::Unauthorized("this API token is unknown or revoked".into()).into()),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AddressView {
    street: String,
    postal_code: String,
    city: String,
    country: String,
}

/// A customer card.
#[derive(Serialize, ToSchema)]
pub struct CustomerView {
    id: i64,
    /// The customer number people use, e.g. C000123.
    number: String,
    /// business or consumer
    kind: String,
    legal_name: String,
    trading_name: Option<String>,
    address: AddressView,
    email: String,
    invoice_email: String,
    phone: Option<String>,
    language: String,
    vat_number: Option<String>,
    coc_number: Option<String>,
    tax_code: Option<String>,
    /// Italian SDI recipient code (Codice Destinatario) for e-invoices: 7 letters and digits, or
    /// 6 for a public administration office.
    sdi_code: Option<String>,
    /// Certified e-mail address (PEC) for Italian e-invoices.
    pec: Option<String>,
    tier: String,
    /// invoice, direct_debit or online
    payment_method: String,
    iban: Option<String>,
    wants_invoice_reminder: bool,
    requires_second_factor: bool,
    /// The UBL e-invoice (Peppol BIS 3) is attached to every invoice e-mail beside the PDF.
    wants_ubl_attachment: bool,
    replaced_by: Option<i64>,
}

impl From<Customer> for CustomerView {
    fn from(c: Customer) -> Self {
        let card = c.card;
        CustomerView {
            id: c.id,
            number: c.number,
            kind: card.kind.name().into(),
            legal_name: card.legal_name,
            trading_name: card.trading_name,
            address: AddressView {
                street: card.address.street,
                postal_code: card.address.postal_code,
                city: card.address.city,
                country: card.address.country.to_string(),
            },
            email: card.email,
            invoice_email: card.invoice_email,
            phone: card.phone,
            language: card.language.code().into(),
            vat_number: card.vat_number,
            coc_number: card.coc_number,
            tax_code: card.tax_code,
            sdi_code: card.sdi_code,
            pec: card.pec,
            tier: card.tier,
            payment_method: card.payment_method.name().into(),
            iban: card.iban,
            wants_invoice_reminder: card.wants_invoice_reminder,
            requires_second_factor: card.requires_second_factor,
            wants_ubl_attachment: card.wants_ubl_attachment,
            replaced_by: c.replaced_by,
        }
    }
}

/// A new customer card. Unknown fields are refused.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct NewCustomer {
    /// business or consumer
    kind: Option<String>,
    legal_name: Option<String>,
    trading_name: Option<String>,
    street: Option<String>,
    postal_code: Option<String>,
    city: Option<String>,
    /// ISO 3166-1 alpha-2
    country: Option<String>,
    email: Option<String>,
    /// Default: `email`.
    invoice_email: Option<String>,
    phone: Option<String>,
    /// nl, it or en; default: the provider's language
    language: Option<String>,
    /// With country prefix; checked by check digits where the country has them.
    vat_number: Option<String>,
    /// Chamber of commerce number (KvK: 8 digits).
    coc_number: Option<String>,
    /// Codice fiscale (IT) or NIF/NIE/CIF (ES).
    tax_code: Option<String>,
    /// Italian SDI recipient code (Codice Destinatario) for e-invoices: 7 letters and digits, or
    /// 6 for a public administration office; spaces are removed, letters upper-cased. Only for
    /// a card in Italy (country IT).
    sdi_code: Option<String>,
    /// Certified e-mail address (PEC) for Italian e-invoices.
    pec: Option<String>,
    /// Default: standard.
    tier: Option<String>,
    /// invoice (default), direct_debit or online
    payment_method: Option<String>,
    iban: Option<String>,
    wants_invoice_reminder: Option<bool>,
    requires_second_factor: Option<bool>,
    /// Attach the UBL e-invoice to every invoice e-mail (businesses only). Default: false.
    wants_ubl_attachment: Option<bool>,
}

impl From<NewCustomer> for CustomerInput {
    fn from(n: NewCustomer) -> Self {
        CustomerInput {
            kind: n.kind,
            legal_name: n.legal_name,
            trading_name: n.trading_name,
            street: n.street,
            postal_code: n.postal_code,
            city: n.city,
            country: n.country,
            email: n.email,
            invoice_email: n.invoice_email,
            phone: n.phone,
            language: n.language,
            vat_number: n.vat_number,
            coc_number: n.coc_number,
            tax_code: n.tax_code,
            sdi_code: n.sdi_code,
            pec: n.pec,
            tier: n.tier,
            payment_method: n.payment_method,
            iban: n.iban,
            wants_invoice_reminder: n.wants_invoice_reminder,
            requires_second_factor: n.requires_second_factor,
            wants_ubl_attachment: n.wants_ubl_attachment,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MembershipView {
    customer_id: i64,
    customer_number: String,
    customer_name: String,
    /// owner, billing, technical or contact
    role: String,
    /// What the user may do on this card.
    permissions: Vec<String>,
}

impl From<Membership> for MembershipView {
    fn from(m: Membership) -> Self {
        MembershipView {
            customer_id: m.customer_id,
            customer_number: m.customer_number,
            customer_name: m.customer_name,
            role: m.role.name().into(),
            permissions: m.permissions.iter().map(|p| p.name().to_string()).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    id: i64,
    email: String,
    name: String,
    language: String,
    /// admin, billing, support or sales for the provider's staff.
    staff_role: Option<String>,
    memberships: Vec<MembershipView>,
}

/// The caller: user, staff role and the customer cards they belong to.
#[utoipa::path(get, path = "/api/v1/me", tag = "account", security(("token" = [])),
    responses((status = 200, body = Me), (status = 401, body = crate::http::error::ErrorBody)))]
async fn me(State(state): State<AppState>, caller: ApiCaller) -> Result<Json<Me>, ApiError> {
    caller.scope("account:read")?;
    let memberships = state.store.memberships(caller.user.id).await?;
    let u = caller.user;
    Ok(Json(Me {
        id: u.id,
        email: u.email,
        name: u.name,
        language: u.language.code().into(),
        staff_role: u.staff_role.map(|r| r.name().into()),
        memberships: memberships.into_iter().map(Into::into).collect(),
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct CustomerSearch {
    /// Part of the number, name, e-mail or VAT number.
    q: Option<String>,
    /// At most this many (1–1000, default 100).
    limit: Option<i64>,
}

/// Customer cards, newest first (staff).
#[utoipa::path(get, path = "/api/v1/customers", tag = "customers", params(CustomerSearch), security(("token" = [])),
    responses((status = 200, body = [CustomerView]), (status = 401, body = crate::http::error::ErrorBody), (status = 403, body = crate::http::error::ErrorBody)))]
async fn list_customers(
    State(state): State<AppState>,
    caller: ApiCaller,
    q: Result<Query<CustomerSearch>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<CustomerView>>, ApiError> {
    let q = crate::http::extract::query(q)?;
    caller.scope("customers:read")?;
    caller.staff(StaffAction::ViewCustomers)?;
    if q.q.as_deref().is_some_and(|s| s.chars().count() > 100) {
        return Err(WebError::BadRequest { field: Some("q".into()), message: "q: longer than 100 characters".into() }.into());
    }
    let list = state.store.customers(q.q.as_deref(), q.limit.unwrap_or(100)).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

/// Creates a customer card (staff). Every wrong field is named in `errors`.
#[utoipa::path(post, path = "/api/v1/customers", tag = "customers", request_body = NewCustomer, security(("token" = [])),
    responses((status = 201, body = CustomerView), (status = 400, body = crate::http::error::ErrorBody), (status = 403, body = crate::http::error::ErrorBody)))]
async fn create_customer(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<JsonBody<NewCustomer>, JsonRejection>,
) -> Result<Response, ApiError> {
    caller.scope("customers:write")?;
    caller.staff(StaffAction::EditCustomers)?;
    let body = crate::http::extract::body(body)?;
    let created = loket_app::cards::create(&state.app, &caller.actor(), CustomerInput::from(body)).await?;
    let id = created.id;
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/api/v1/customers/{id}"))], Json(CustomerView::from(created))).into_response())
}

/// One customer card: for staff, and for the card's own users. Anyone else gets 404.
#[utoipa::path(get, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = i64, Path)), security(("token" = [])),
    responses((status = 200, body = CustomerView), (status = 404, body = crate::http::error::ErrorBody)))]
async fn get_customer(State(state): State<AppState>, caller: ApiCaller, Path(id): Path<String>) -> Result<Json<CustomerView>, ApiError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let allowed = match caller.user.staff_role {
        Some(role) => {
            caller.scope("customers:read")?;
            role.can(StaffAction::ViewCustomers)
        }
        None => {
            caller.scope("account:read")?;
            state.store.membership(caller.user.id, id).await?.is_some()
        }
    };
    if !allowed {
        return Err(WebError::NotFound.into());
    }
    Ok(Json(state.store.customer(id).await?.ok_or(WebError::NotFound)?.into()))
}

/// A new card for a change of tax identity.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Replacement {
    /// Fields of the new card that differ from the old one; at least one of kind, vat_number,
    /// coc_number, tax_code must change.
    changes: std::collections::BTreeMap<String, String>,
    /// Users (ids) whose access moves to the new card; the others keep the old card.
    #[serde(default)]
    move_users: Vec<i64>,
}

/// Replaces a card whose tax identity changes (staff): a new card with the old one's data and
/// the changes, the chosen users moved, the old card marked `replaced_by`. The old card and its
/// history stay.
#[utoipa::path(post, path = "/api/v1/customers/{id}/replacement", tag = "customers", params(("id" = i64, Path)), request_body = Replacement,
    security(("token" = [])), responses((status = 201, body = CustomerView), (status = 400, body = crate::http::error::ErrorBody), (status = 404, body = crate::http::error::ErrorBody)))]
async fn replace_customer(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: Result<JsonBody<Replacement>, JsonRejection>,
) -> Result<Response, ApiError> {
    caller.scope("customers:write")?;
    caller.staff(StaffAction::ReviewChanges)?;
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let body = crate::http::extract::body(body)?;
    let overrides: Vec<(String, String)> = body.changes.into_iter().collect();
    let new = loket_app::cards::replace(&state.app, &caller.actor(), id, &overrides, &body.move_users).await?;
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/api/v1/customers/{}", new.id))], Json(CustomerView::from(new))).into_response())
}
