//! Loket over HTTP: pages for people, the JSON API under `/api/v1` (documented at
//! `/api/openapi.json`), `/health` and `/metrics` for operators.
//!
//! Handlers are thin: they turn requests into calls on `loket-store` and domain types, and
//! results into pages or JSON. Every response passes one middleware that sets the security
//! headers, a request id, a structured log line and the Prometheus metrics.

mod api;
mod error;
mod lang;
mod metrics;
mod middleware;
mod pages;

use std::sync::Arc;

use axum::Router;
use loket_domain::ProviderIdentity;
use loket_store::Store;

pub use error::WebError;
pub use lang::Lang;
pub use metrics::Metrics;

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub provider: Arc<ProviderIdentity>,
    pub metrics: Arc<Metrics>,
    pub pages: Arc<pages::Pages>,
    /// The address customers use to reach Loket, e.g. `https://mijn.example.nl`.
    pub public_url: String,
}

impl AppState {
    pub fn new(store: Store, provider: ProviderIdentity, public_url: String) -> Result<AppState, WebError> {
        Ok(AppState {
            store,
            provider: Arc::new(provider),
            metrics: Arc::new(Metrics::default()),
            pages: Arc::new(pages::Pages::new()?),
            public_url,
        })
    }
}

/// The whole application as one router.
pub fn router(state: AppState) -> Router {
    api::mark_started();
    let (api_router, openapi) = api::routes().split_for_parts();
    let openapi = Arc::new(openapi);
    Router::new()
        .merge(pages::routes())
        .merge(api_router)
        .route(
            "/api/openapi.json",
            axum::routing::get(move || {
                let doc = openapi.clone();
                async move { axum::Json(doc.as_ref().clone()) }
            }),
        )
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::observe))
        .with_state(state)
}

/// Serves `state` on `listener` until `shutdown` completes, then finishes open requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state).into_make_service()).with_graceful_shutdown(shutdown).await
}
