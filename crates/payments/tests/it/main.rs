//! The Mollie client against FakeMollie over real HTTP on 127.0.0.1, webhooks against a small
//! receiver, and the checkout pages. One test binary, one link.

mod checkout;
mod client;
mod recurring;
mod webhooks;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use loket_payments::fake::FakeMollie;
use loket_payments::{MollieClient, MollieConfig, NewPayment};
use tokio::net::TcpListener;

/// A fake on its own port and a client for it.
async fn setup() -> (FakeMollie, MollieClient) {
    let fake = FakeMollie::start().await.expect("start FakeMollie");
    let client = MollieClient::new(MollieConfig::new("test_loket").with_base_url(fake.api_base_url())).expect("client");
    (fake, client)
}

fn new_payment(key: &str) -> NewPayment {
    NewPayment {
        amount_cents: 12_100,
        currency: "EUR".into(),
        description: "Invoice 2026-0042".into(),
        redirect_url: "https://loket.example/invoices/42/paid".into(),
        webhook_url: None,
        metadata: serde_json::json!({ "invoice_id": 42 }),
        method: None,
        locale: Some("nl_NL".into()),
        idempotency_key: key.into(),
        ..Default::default()
    }
}

/// What a webhook receiver was sent.
#[derive(Clone, Debug)]
struct Received {
    headers: HeaderMap,
    body: Bytes,
}

/// A webhook endpoint on 127.0.0.1 that answers 500 to its first `failures` calls, then 200,
/// and keeps what it was sent.
#[derive(Clone)]
struct Receiver {
    url: String,
    calls: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    async fn start(failures: usize) -> Receiver {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let left = Arc::new(AtomicUsize::new(failures));
        let recorded = calls.clone();
        let router = Router::new().route(
            "/hook",
            post(move |headers: HeaderMap, body: Bytes| {
                let (recorded, left) = (recorded.clone(), left.clone());
                async move {
                    recorded.lock().unwrap().push(Received { headers, body });
                    let failing = left.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok();
                    if failing { StatusCode::INTERNAL_SERVER_ERROR } else { StatusCode::OK }
                }
            }),
        );
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        Receiver { url, calls }
    }

    fn calls(&self) -> Vec<Received> {
        self.calls.lock().unwrap().clone()
    }
}

/// An address nothing listens on.
async fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{address}")
}
