//! `/api/v1` for the helpdesk: tickets (`tickets.rs`: list with filters and keyset pages, one
//! with its thread, open one, reply) for staff who work on tickets and for a card's users with
//! the helpdesk permission (their cards' tickets only, never the internal notes); and the
//! standby regime for staff (`standby.rs`: a span priced part by part in the provider's local
//! time, and agreed with a card). Scopes: `helpdesk:read` to read and preview, `helpdesk:write`
//! to change.

mod standby;
mod tickets;

use loket_domain::access::{Permission, StaffAction};
use utoipa_axum::router::OpenApiRouter;

use crate::api::customers::ApiCaller;
use crate::{ApiError, AppState, WebError};

pub fn routes() -> OpenApiRouter<AppState> {
    tickets::routes().merge(standby::routes())
}

/// Who reads or changes tickets: staff who work on them (true), or a user of card `customer_id`
/// with the helpdesk permission (false). Anyone else finds nothing (404), like a ticket that
/// does not exist.
async fn helpdesk_caller(state: &AppState, caller: &ApiCaller, scope: &str, customer_id: Option<i64>) -> Result<bool, ApiError> {
    caller.scope(scope)?;
    if state.app.helpdesk.is_none() {
        return Err(WebError::NotFound.into());
    }
    if caller.user.staff_role.is_some() {
        caller.staff(StaffAction::ManageHelpdesk)?;
        return Ok(true);
    }
    let Some(c) = customer_id else { return Err(WebError::NotFound.into()) };
    match state.store.membership(caller.user.id, c).await? {
        Some(m) if m.permissions.has(Permission::UseHelpdesk) => Ok(false),
        _ => Err(WebError::NotFound.into()),
    }
}

/// A path's id, or 404.
fn id(s: &str) -> Result<i64, WebError> {
    s.parse().map_err(|_| WebError::NotFound)
}
