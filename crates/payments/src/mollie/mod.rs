//! The Mollie API v2 client: payments, methods, refunds, chargebacks, customers and mandates
//! over HTTPS with an API key. The same client talks to api.mollie.com and to [`crate::fake::FakeMollie`]; only the base
//! URL and the key differ.
//!
//! Requests carry `Authorization: Bearer <key>`, `User-Agent: Loket/<version>` and, on POSTs,
//! `Idempotency-Key`. Answers are HAL JSON (`_links`, `_embedded`); errors are
//! `{"status", "title", "detail", "field"?}` bodies turned into [`ProviderError::Rejected`].
//! Redirects are not followed: the API never redirects, and a bearer token should not travel on.

use std::cmp::Reverse;
use std::time::Duration;

use reqwest::{Method as HttpMethod, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::amount::format_amount;
use crate::webhook::is_token;
use crate::{
    Chargeback, Customer, Mandate, Method, NewCustomer, NewPayment, NewRefund, Payment, PaymentProvider, ProviderError, ProviderFuture,
    Refund, SequenceType,
};

mod wire;

use wire::{WireChargeback, WireCustomer, WireError, WireList, WireMandate, WireMethod, WirePayment, WireRefund};

/// How to reach Mollie.
#[derive(Clone)]
pub struct MollieConfig {
    /// `live_…` or `test_…` (or an organisation access token); sent as a bearer token.
    pub api_key: String,
    /// `https://api.mollie.com/v2` in production; FakeMollie's `api_base_url()` locally.
    pub base_url: String,
    /// Time allowed to open the connection (5 s by default).
    pub connect_timeout: Duration,
    /// Time allowed for the whole request, answer included (15 s by default).
    pub timeout: Duration,
}

impl MollieConfig {
    pub const DEFAULT_BASE_URL: &'static str = "https://api.mollie.com/v2";

    /// Mollie's own API with the default time-outs.
    pub fn new(api_key: impl Into<String>) -> Self {
        MollieConfig {
            api_key: api_key.into(),
            base_url: Self::DEFAULT_BASE_URL.into(),
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(15),
        }
    }

    /// The same, at another base URL (FakeMollie, a proxy).
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }
}

impl std::fmt::Debug for MollieConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key stays out of logs; its prefix says test or live.
        let mode = self.api_key.split('_').next().unwrap_or("");
        f.debug_struct("MollieConfig")
            .field("api_key", &format_args!("{mode}_…"))
            .field("base_url", &self.base_url)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// The largest answer read: far above any payment or page of 250 refunds.
const MAX_BODY: usize = 4 * 1024 * 1024;
/// Mollie's largest page.
const PAGE_LIMIT: &str = "250";
/// Pages followed at most for one list, so a provider that keeps linking cannot loop us.
const MAX_PAGES: usize = 100;

/// Mollie behind [`PaymentProvider`]. Cheap to clone (the connection pool is shared).
#[derive(Clone)]
pub struct MollieClient {
    http: reqwest::Client,
    base_url: String,
    api_key: String,
}

impl std::fmt::Debug for MollieClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key.
        f.debug_struct("MollieClient").field("base_url", &self.base_url).finish_non_exhaustive()
    }
}

impl MollieClient {
    pub fn new(config: MollieConfig) -> Result<Self, ProviderError> {
        let base_url = config.base_url.trim_end_matches('/').to_owned();
        if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
            return Err(ProviderError::Invalid(format!("not an http(s) base URL: {base_url:?}")));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Loket/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ProviderError::Invalid(format!("cannot set up the HTTP client: {e}")))?;
        Ok(MollieClient { http, base_url, api_key: config.api_key })
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    async fn create_payment(&self, new: &NewPayment) -> Result<Payment, ProviderError> {
        let value = format_amount(new.amount_cents, &new.currency).map_err(refused_amount)?;
        let mut body = json!({
            "amount": { "currency": new.currency, "value": value },
            "description": new.description,
        });
        // A recurring payment has no checkout to come back from; Mollie takes it without one.
        if !new.redirect_url.is_empty() {
            body["redirectUrl"] = json!(new.redirect_url);
        }
        // Mollie's default, left out so a one-off request reads as it always did.
        if new.sequence_type != SequenceType::OneOff {
            body["sequenceType"] = json!(new.sequence_type.as_str());
        }
        let fields = [
            ("webhookUrl", &new.webhook_url),
            ("method", &new.method),
            ("locale", &new.locale),
            ("customerId", &new.customer_id),
            ("mandateId", &new.mandate_id),
        ];
        for (name, field) in fields {
            if let Some(field) = field {
                body[name] = json!(field);
            }
        }
        if !new.metadata.is_null() {
            body["metadata"] = new.metadata.clone();
        }
        let request = self.request(HttpMethod::POST, &self.url("payments")).header("Idempotency-Key", &new.idempotency_key).json(&body);
        let wire: WirePayment = self.send(request).await?;
        wire.into_payment()
    }

    async fn get_payment(&self, payment_id: &str) -> Result<Payment, ProviderError> {
        let url = self.url(&format!("payments/{}", checked_id(payment_id, "tr_", "payment")?));
        let wire: WirePayment = self.send(self.request(HttpMethod::GET, &url)).await?;
        wire.into_payment()
    }

    async fn list_methods(&self, amount_cents: i64, currency: &str, locale: Option<&str>) -> Result<Vec<Method>, ProviderError> {
        let value = format_amount(amount_cents, currency).map_err(refused_amount)?;
        let mut query = vec![("amount[value]", value.as_str()), ("amount[currency]", currency)];
        if let Some(locale) = locale {
            query.push(("locale", locale));
        }
        let request = self.request(HttpMethod::GET, &self.url("methods")).query(&query);
        let list: WireList<WireMethod> = self.send(request).await?;
        let methods = list.embedded.items("methods")?;
        Ok(methods.into_iter().map(|m| Method { id: m.id, description: m.description, image_svg_url: m.image.svg }).collect())
    }

    async fn create_refund(&self, payment_id: &str, refund: &NewRefund) -> Result<Refund, ProviderError> {
        let url = self.url(&format!("payments/{}/refunds", checked_id(payment_id, "tr_", "payment")?));
        let value = format_amount(refund.amount_cents, &refund.currency).map_err(refused_amount)?;
        let body = json!({
            "amount": { "currency": refund.currency, "value": value },
            "description": refund.description,
        });
        let request = self.request(HttpMethod::POST, &url).header("Idempotency-Key", &refund.idempotency_key).json(&body);
        let wire: WireRefund = self.send(request).await?;
        wire.into_refund()
    }

    async fn list_refunds(&self, payment_id: &str) -> Result<Vec<Refund>, ProviderError> {
        let url = self.url(&format!("payments/{}/refunds", checked_id(payment_id, "tr_", "payment")?));
        let wires: Vec<WireRefund> = self.list_all(url, "refunds").await?;
        let mut refunds = wires.into_iter().map(WireRefund::into_refund).collect::<Result<Vec<_>, _>>()?;
        // Stable: refunds made within the same second keep the provider's order.
        refunds.sort_by_key(|r| r.created_at);
        Ok(refunds)
    }

    async fn list_chargebacks(&self, payment_id: &str) -> Result<Vec<Chargeback>, ProviderError> {
        let url = self.url(&format!("payments/{}/chargebacks", checked_id(payment_id, "tr_", "payment")?));
        let wires: Vec<WireChargeback> = self.list_all(url, "chargebacks").await?;
        let mut chargebacks = wires.into_iter().map(WireChargeback::into_chargeback).collect::<Result<Vec<_>, _>>()?;
        chargebacks.sort_by_key(|c| c.created_at);
        Ok(chargebacks)
    }

    async fn create_customer(&self, new: &NewCustomer) -> Result<Customer, ProviderError> {
        let mut body = json!({});
        for (name, field) in [("name", &new.name), ("email", &new.email)] {
            if !field.is_empty() {
                body[name] = json!(field);
            }
        }
        if let Some(locale) = &new.locale {
            body["locale"] = json!(locale);
        }
        if !new.metadata.is_null() {
            body["metadata"] = new.metadata.clone();
        }
        let request = self.request(HttpMethod::POST, &self.url("customers")).header("Idempotency-Key", &new.idempotency_key).json(&body);
        let wire: WireCustomer = self.send(request).await?;
        Ok(wire.into_customer())
    }

    async fn list_mandates(&self, customer_id: &str) -> Result<Vec<Mandate>, ProviderError> {
        let url = self.url(&format!("customers/{}/mandates", checked_id(customer_id, "cst_", "customer")?));
        let wires: Vec<WireMandate> = self.list_all(url, "mandates").await?;
        let mut mandates = wires.into_iter().map(|m| m.into_mandate(customer_id)).collect::<Result<Vec<_>, _>>()?;
        // Mollie's own order, newest first; stable, so mandates of the same second keep it.
        mandates.sort_by_key(|m| Reverse(m.created_at));
        Ok(mandates)
    }

    async fn revoke_mandate(&self, customer_id: &str, mandate_id: &str) -> Result<(), ProviderError> {
        let customer_id = checked_id(customer_id, "cst_", "customer")?;
        let mandate_id = checked_id(mandate_id, "mdt_", "mandate")?;
        let url = self.url(&format!("customers/{customer_id}/mandates/{mandate_id}"));
        match self.send_for_status(self.request(HttpMethod::DELETE, &url)).await {
            // 410 Gone: revoked before, by an earlier try whose answer was lost or by the
            // customer at their bank. What was asked for is true.
            Ok(_) | Err(ProviderError::Rejected { status: 410, .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Every item of a paginated list: the first page asks for Mollie's largest page, the next
    /// ones are `_links.next.href`, followed only while they stay under the base URL (the
    /// bearer token goes nowhere else).
    async fn list_all<T: DeserializeOwned>(&self, first: String, key: &str) -> Result<Vec<T>, ProviderError> {
        let mut items = Vec::new();
        let mut request = self.request(HttpMethod::GET, &first).query(&[("limit", PAGE_LIMIT)]);
        for _ in 0..MAX_PAGES {
            let page: WireList<T> = self.send(request).await?;
            items.extend(page.embedded.items(key)?);
            let Some(next) = page.links.and_then(|l| l.next).map(|l| l.href) else {
                return Ok(items);
            };
            if !next.starts_with(&format!("{}/", self.base_url)) {
                return Err(ProviderError::Invalid(format!("a next page outside the API: {next:?}")));
            }
            request = self.request(HttpMethod::GET, &next);
        }
        Err(ProviderError::Invalid(format!("more than {MAX_PAGES} pages of {key}")))
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.base_url)
    }

    fn request(&self, method: HttpMethod, url: &str) -> RequestBuilder {
        self.http.request(method, url).bearer_auth(&self.api_key).header("Accept", "application/hal+json")
    }

    /// Sends, then sorts the answer into the three kinds of [`ProviderError`] or reads it as `T`.
    async fn send<T: DeserializeOwned>(&self, request: RequestBuilder) -> Result<T, ProviderError> {
        let (status, body) = self.send_for_status(request).await?;
        serde_json::from_slice(&body).map_err(|e| ProviderError::Invalid(format!("{status}: {e}")))
    }

    /// Sends; a 2xx answer's status and body, anything else as a [`ProviderError`]. For answers
    /// without a body to read (a DELETE's 204).
    async fn send_for_status(&self, request: RequestBuilder) -> Result<(StatusCode, Vec<u8>), ProviderError> {
        let mut response = request.send().await.map_err(unreachable)?;
        let status = response.status();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(unreachable)? {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(ProviderError::Invalid(format!("an answer larger than {MAX_BODY} bytes")));
            }
            body.extend_from_slice(&chunk);
        }
        if status.is_success() {
            return Ok((status, body));
        }
        let error = serde_json::from_slice::<WireError>(&body).ok();
        let title = error.as_ref().map_or_else(|| status.canonical_reason().unwrap_or("").to_owned(), |e| e.title.clone());
        if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
            return Err(ProviderError::Unavailable { reason: format!("{} {title}", status.as_u16()) });
        }
        if status.is_client_error() {
            let (detail, field) = error.map_or_else(|| (String::new(), None), |e| (e.detail, e.field));
            return Err(ProviderError::Rejected { status: status.as_u16(), title, detail, field });
        }
        Err(ProviderError::Invalid(format!("unexpected answer {status}")))
    }
}

impl PaymentProvider for MollieClient {
    fn create_payment<'a>(&'a self, new: &'a NewPayment) -> ProviderFuture<'a, Payment> {
        Box::pin(MollieClient::create_payment(self, new))
    }

    fn get_payment<'a>(&'a self, payment_id: &'a str) -> ProviderFuture<'a, Payment> {
        Box::pin(MollieClient::get_payment(self, payment_id))
    }

    fn list_methods<'a>(&'a self, amount_cents: i64, currency: &'a str, locale: Option<&'a str>) -> ProviderFuture<'a, Vec<Method>> {
        Box::pin(MollieClient::list_methods(self, amount_cents, currency, locale))
    }

    fn create_refund<'a>(&'a self, payment_id: &'a str, refund: &'a NewRefund) -> ProviderFuture<'a, Refund> {
        Box::pin(MollieClient::create_refund(self, payment_id, refund))
    }

    fn list_refunds<'a>(&'a self, payment_id: &'a str) -> ProviderFuture<'a, Vec<Refund>> {
        Box::pin(MollieClient::list_refunds(self, payment_id))
    }

    fn list_chargebacks<'a>(&'a self, payment_id: &'a str) -> ProviderFuture<'a, Vec<Chargeback>> {
        Box::pin(MollieClient::list_chargebacks(self, payment_id))
    }

    fn create_customer<'a>(&'a self, new: &'a NewCustomer) -> ProviderFuture<'a, Customer> {
        Box::pin(MollieClient::create_customer(self, new))
    }

    fn list_mandates<'a>(&'a self, customer_id: &'a str) -> ProviderFuture<'a, Vec<Mandate>> {
        Box::pin(MollieClient::list_mandates(self, customer_id))
    }

    fn revoke_mandate<'a>(&'a self, customer_id: &'a str, mandate_id: &'a str) -> ProviderFuture<'a, ()> {
        Box::pin(MollieClient::revoke_mandate(self, customer_id, mandate_id))
    }
}

fn unreachable(e: reqwest::Error) -> ProviderError {
    if e.is_builder() {
        // A header that cannot be sent (an idempotency key with a line break): no network error.
        return ProviderError::Invalid(format!("the request cannot be made: {}", e.without_url()));
    }
    ProviderError::Unavailable { reason: e.without_url().to_string() }
}

/// An amount Loket cannot even write is refused as Mollie would refuse it.
fn refused_amount(e: crate::amount::AmountError) -> ProviderError {
    ProviderError::Rejected { status: 422, title: "Unprocessable Entity".into(), detail: e.to_string(), field: Some("amount".into()) }
}

/// An id goes into the URL path only if it is one: its prefix (`tr_`, `cst_`, `mdt_`) and
/// letters or digits. Anything else
/// is answered as Mollie answers an id it does not know, without sending it.
fn checked_id<'a>(id: &'a str, prefix: &str, what: &str) -> Result<&'a str, ProviderError> {
    match id.strip_prefix(prefix) {
        Some(rest) if is_token(rest) => Ok(id),
        _ => Err(ProviderError::not_found(what, id)),
    }
}
