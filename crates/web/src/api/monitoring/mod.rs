//! `/api/v1` for monitoring (issue 14): monitors (`monitors.rs`: a page of them by code, one,
//! one made or changed through `Services::put_monitor`), incidents, and a card's availability
//! report of a month (`availability.rs`). Scopes: `monitoring:read` to read, `monitoring:write`
//! to change. Staff who may see monitoring read all of it, those who manage monitors change it;
//! a card's users who see its services read that card's monitors, incidents and report. Anyone
//! else finds nothing (404), like a monitor that does not exist.

mod availability;
mod monitors;

use loket_domain::access::{Permission, StaffAction};
use utoipa_axum::router::OpenApiRouter;

use crate::api::customers::ApiCaller;
use crate::{ApiError, AppState, WebError};

pub fn routes() -> OpenApiRouter<AppState> {
    monitors::routes().merge(availability::routes())
}

/// Whether `caller` reads monitoring as staff (true) or as a user of card `customer_id` who sees
/// its services (false); 404 for anyone else.
async fn reader(state: &AppState, caller: &ApiCaller, customer_id: Option<i64>) -> Result<bool, ApiError> {
    caller.scope("monitoring:read")?;
    if caller.user.staff_role.is_some() {
        caller.staff(StaffAction::ViewMonitoring)?;
        return Ok(true);
    }
    let Some(c) = customer_id else { return Err(WebError::NotFound.into()) };
    match state.store.membership(caller.user.id, c).await? {
        Some(m) if m.permissions.has(Permission::ViewInvoices) || m.permissions.has(Permission::ManageServices) => Ok(false),
        _ => Err(WebError::NotFound.into()),
    }
}
