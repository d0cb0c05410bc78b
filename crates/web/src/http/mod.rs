//! What every area's routes share: errors ([`error`]), reading bodies and queries ([`extract`]), the session, CSRF and staff extractors
//! ([`session`]), the reader's language ([`lang`]), the middleware around every request
//! ([`middleware`]), page rendering and static assets ([`render`]) and the metrics
//! ([`metrics`]).

pub mod brand;
pub mod download;
pub mod error;
pub mod extract;
pub mod field_errors;
pub mod lang;
pub mod layout;
pub mod metrics;
pub mod middleware;
pub mod qr;
pub mod render;
pub mod session;
