//! Loket over HTTP: pages for people, the JSON API under `/api/v1` (documented at
//! `/api/openapi.json`), `/health` and `/metrics` for operators.
//!
//! Handlers are thin: they turn requests into calls on `loket-store` and domain types, and
//! results into pages or JSON. Every response passes one middleware that sets the security
//! headers, a request id, a structured log line and the Prometheus metrics.

mod account;
mod api;
mod api_changes;
mod api_customers;
mod auth;
mod billing_pages;
mod cards;
mod error;
mod lang;
mod members;
mod metrics;
mod middleware;
mod pages;
mod second_factor;
mod staff;

use std::sync::Arc;

use axum::Router;
use loket_domain::ProviderIdentity;
use loket_mail::Composer;
use loket_store::Store;
use loket_store::outbox::OutgoingMail;
use tokio::sync::Notify;

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
    pub composer: Composer,
    /// Wakes this node's job worker after a request enqueued work (mail), skipping its poll.
    pub wake: Arc<Notify>,
    /// Customer-card fields whose change staff review first.
    pub reviewed_fields: Arc<Vec<String>>,
    /// Staff must use two-step sign-in.
    pub staff_require_second_factor: bool,
    /// Behind a reverse proxy: the client's address is the last in `X-Forwarded-For`.
    pub trust_forwarded_for: bool,
}

impl AppState {
    pub fn new(
        store: Store,
        provider: ProviderIdentity,
        public_url: String,
        composer: Composer,
        wake: Arc<Notify>,
    ) -> Result<AppState, WebError> {
        Ok(AppState {
            store,
            provider: Arc::new(provider),
            metrics: Arc::new(Metrics::default()),
            pages: Arc::new(pages::Pages::new()?),
            public_url,
            composer,
            wake,
            reviewed_fields: Arc::new(loket_domain::card_edit::DEFAULT_REVIEWED_FIELDS.iter().map(|f| f.to_string()).collect()),
            staff_require_second_factor: false,
            trust_forwarded_for: false,
        })
    }

    pub fn with_reviewed_fields(mut self, fields: Vec<String>) -> Self {
        self.reviewed_fields = Arc::new(fields);
        self
    }

    pub fn with_staff_second_factor(mut self, required: bool) -> Self {
        self.staff_require_second_factor = required;
        self
    }

    pub fn with_trusted_proxy(mut self, trust_forwarded_for: bool) -> Self {
        self.trust_forwarded_for = trust_forwarded_for;
        self
    }

    /// The client's address: the peer's, or behind a trusted proxy the last `X-Forwarded-For`
    /// entry (the one the proxy added; earlier ones are the client's own claims).
    pub fn client_ip(&self, headers: &axum::http::HeaderMap, peer: std::net::SocketAddr) -> String {
        if self.trust_forwarded_for
            && let Some(last) = headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .rfind(|s| !s.is_empty())
            && last.parse::<std::net::IpAddr>().is_ok()
        {
            return last.to_string();
        }
        peer.ip().to_string()
    }

    pub fn wake_jobs(&self) {
        self.wake.notify_one();
    }
}

/// A composed message as the outbox stores it.
pub fn outgoing(m: loket_mail::Message) -> OutgoingMail {
    OutgoingMail {
        message_id: m.message_id,
        template: m.template,
        language: m.language.code().to_string(),
        mail_from: m.from,
        rcpt_to: m.to,
        subject: m.subject,
        raw: m.raw,
    }
}

/// The whole application as one router.
pub fn router(state: AppState) -> Router {
    api::mark_started();
    let (api_router, mut openapi) = api::routes().split_for_parts();
    utoipa::Modify::modify(&api::ErrorResponses, &mut openapi);
    let openapi = Arc::new(openapi);
    Router::new()
        .merge(pages::routes())
        .merge(account::routes())
        .merge(staff::routes())
        .merge(cards::routes())
        .merge(second_factor::routes())
        .merge(members::routes())
        .merge(billing_pages::routes())
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
    axum::serve(listener, router(state).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
