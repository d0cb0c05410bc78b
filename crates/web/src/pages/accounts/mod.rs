//! A person's own account: signing in and out, a forgotten password, the profile, and
//! two-step sign-in.

pub mod second_factor;
pub mod sign_in;

use axum::Router;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().merge(sign_in::routes()).merge(second_factor::routes())
}
