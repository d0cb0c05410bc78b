//! The Mollie API v2 client: payments, methods, refunds and chargebacks over HTTPS with an API
//! key. The same client talks to api.mollie.com and to [`crate::fake::FakeMollie`]; only the base
//! URL and the key differ.
//!
//! Requests carry `Authorization: Bearer <key>`, `User-Agent: Loket/<version>` and, on POSTs,
//! `Idempotency-Key`. Answers are HAL JSON (`_links`, `_embedded`); errors are
//! `{"status", "title", "detail", "field"?}` bodies turned into [`ProviderError::Rejected`].
//! Redirects are not followed: the API never redirects, and a bearer token should not travel on.

use std::time::Duration;

use jiff::Timestamp;
use reqwest::{Method as HttpMethod, RequestBuilder, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::amount::{check_currency, format_amount, parse_amount};
use crate::webhook::is_token;
use crate::{
    Chargeback, Method, NewPayment, NewRefund, Payment, PaymentProvider, PaymentStatus, ProviderError, ProviderFuture, Refund, RefundStatus,
};

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
            "redirectUrl": new.redirect_url,
        });
        let fields = [("webhookUrl", &new.webhook_url), ("method", &new.method), ("locale", &new.locale)];
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
            return serde_json::from_slice(&body).map_err(|e| ProviderError::Invalid(format!("{status}: {e}")));
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

/// An id goes into the URL path only if it is one: `tr_` and letters or digits. Anything else
/// is answered as Mollie answers an id it does not know, without sending it.
fn checked_id<'a>(id: &'a str, prefix: &str, what: &str) -> Result<&'a str, ProviderError> {
    match id.strip_prefix(prefix) {
        Some(rest) if is_token(rest) => Ok(id),
        _ => Err(ProviderError::not_found(what, id)),
    }
}

fn parse_time(field: &str, value: &str) -> Result<Timestamp, ProviderError> {
    value.parse().map_err(|_| ProviderError::Invalid(format!("{field} is not a time: {:?}", value.chars().take(40).collect::<String>())))
}

fn invalid_amount(field: &str, e: crate::amount::AmountError) -> ProviderError {
    ProviderError::Invalid(format!("{field}: {e}"))
}

#[derive(Deserialize)]
struct WireAmount {
    currency: String,
    value: String,
}

impl WireAmount {
    fn cents(&self, field: &str) -> Result<i64, ProviderError> {
        check_currency(&self.currency).map_err(|e| invalid_amount(field, e))?;
        parse_amount(&self.value, &self.currency).map_err(|e| invalid_amount(field, e))
    }

    /// An amount that must be in `currency` and not negative.
    fn cents_in(&self, field: &str, currency: &str) -> Result<i64, ProviderError> {
        if self.currency != currency {
            return Err(ProviderError::Invalid(format!("{field} is in {} where {currency} was expected", self.currency)));
        }
        match self.cents(field)? {
            cents if cents < 0 => Err(ProviderError::Invalid(format!("{field} is negative"))),
            cents => Ok(cents),
        }
    }
}

#[derive(Deserialize)]
struct WireLink {
    href: String,
}

#[derive(Deserialize)]
struct WireError {
    title: String,
    #[serde(default)]
    detail: String,
    field: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WirePayment {
    id: String,
    status: String,
    amount: WireAmount,
    amount_refunded: Option<WireAmount>,
    amount_charged_back: Option<WireAmount>,
    method: Option<String>,
    #[serde(default)]
    metadata: Value,
    paid_at: Option<String>,
    #[serde(rename = "_links")]
    links: Option<WirePaymentLinks>,
}

#[derive(Deserialize)]
struct WirePaymentLinks {
    checkout: Option<WireLink>,
}

impl WirePayment {
    fn into_payment(self) -> Result<Payment, ProviderError> {
        let status = PaymentStatus::parse(&self.status)
            .ok_or_else(|| ProviderError::Invalid(format!("unknown payment status {:?}", self.status)))?;
        let amount_cents = self.amount.cents_in("amount", &self.amount.currency)?;
        let currency = self.amount.currency;
        let optional = |amount: Option<WireAmount>, field: &str| amount.map_or(Ok(0), |a| a.cents_in(field, &currency));
        Ok(Payment {
            id: self.id,
            status,
            amount_cents,
            amount_refunded_cents: optional(self.amount_refunded, "amountRefunded")?,
            amount_charged_back_cents: optional(self.amount_charged_back, "amountChargedBack")?,
            currency: currency.clone(),
            method: self.method,
            checkout_url: self.links.and_then(|l| l.checkout).map(|l| l.href),
            metadata: self.metadata,
            paid_at: self.paid_at.map(|t| parse_time("paidAt", &t)).transpose()?,
        })
    }
}

#[derive(Deserialize)]
struct WireMethod {
    id: String,
    description: String,
    image: WireImage,
}

#[derive(Deserialize)]
struct WireImage {
    svg: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireRefund {
    id: String,
    payment_id: String,
    amount: WireAmount,
    status: String,
    created_at: String,
}

impl WireRefund {
    fn into_refund(self) -> Result<Refund, ProviderError> {
        let status =
            RefundStatus::parse(&self.status).ok_or_else(|| ProviderError::Invalid(format!("unknown refund status {:?}", self.status)))?;
        Ok(Refund {
            amount_cents: self.amount.cents_in("refund amount", &self.amount.currency)?,
            currency: self.amount.currency,
            id: self.id,
            payment_id: self.payment_id,
            status,
            created_at: parse_time("createdAt", &self.created_at)?,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireChargeback {
    id: String,
    payment_id: String,
    amount: WireAmount,
    reason: Option<WireReason>,
    created_at: String,
    reversed_at: Option<String>,
}

#[derive(Deserialize)]
struct WireReason {
    code: String,
    description: String,
}

impl WireChargeback {
    fn into_chargeback(self) -> Result<Chargeback, ProviderError> {
        Ok(Chargeback {
            amount_cents: self.amount.cents_in("chargeback amount", &self.amount.currency)?,
            currency: self.amount.currency,
            id: self.id,
            payment_id: self.payment_id,
            reason: self.reason.map(|r| format!("{} ({})", r.description, r.code)),
            created_at: parse_time("createdAt", &self.created_at)?,
            reversed_at: self.reversed_at.map(|t| parse_time("reversedAt", &t)).transpose()?,
        })
    }
}

/// A page of a list: `{"count", "_embedded": {"<key>": [...]}, "_links": {"next": …}}`.
#[derive(Deserialize)]
struct WireList<T> {
    #[serde(rename = "_embedded")]
    embedded: WireEmbedded<T>,
    #[serde(rename = "_links")]
    links: Option<WireListLinks>,
}

#[derive(Deserialize)]
struct WireEmbedded<T> {
    #[serde(alias = "methods", alias = "refunds", alias = "chargebacks")]
    items: Option<Vec<T>>,
}

impl<T> WireEmbedded<T> {
    fn items(self, key: &str) -> Result<Vec<T>, ProviderError> {
        self.items.ok_or_else(|| ProviderError::Invalid(format!("no _embedded.{key} in the list")))
    }
}

#[derive(Deserialize)]
struct WireListLinks {
    next: Option<WireLink>,
}
