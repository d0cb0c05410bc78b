//! Online payments (issue 12): "Pay now" on an open invoice creates a payment at the payment
//! provider for what is open and sends the customer to its checkout. Nothing is booked from the
//! customer's return nor from a webhook's body: a webhook only asks for the payment to be
//! fetched from the provider's API (by the `payments.refresh` job), and what the API says is
//! booked once — a paid payment through the billing engine's one payment path, a confirmed
//! refund as money paid back, a chargeback by reopening the invoice and telling staff.

use std::sync::Arc;

use jiff::civil::Date;
use loket_domain::Money;
use loket_payments::{Mandate, NewPayment, NewRefund, Payment, PaymentProvider, PaymentStatus, ProviderError, RefundStatus, SequenceType};
use loket_store::audit::Actor;
use loket_store::billing::documents::{self as docs, DocKind, DocState};
use loket_store::billing::online::{self as store, NewOnlinePayment, OnlinePayment, PaymentEvent};
use loket_store::billing::payments;
use serde::Serialize;
use serde_json::json;

use crate::{AppError, Services};

mod mandate;
pub use mandate::{COLLECT_JOB, CollectReport};

/// The job that fetches payments a webhook named.
pub const REFRESH_JOB: &str = "payments.refresh";

/// How long a checkout is offered again instead of a new one.
const REUSE_MINUTES: i64 = 30;

/// The payment provider and what the provider configured for it.
pub struct OnlineSettings {
    pub provider: Arc<dyn PaymentProvider>,
    /// `mollie` (also for the local demo provider, which speaks Mollie's API).
    pub provider_name: String,
    /// Mollie's signing secret for next-gen webhooks; classic webhooks are unsigned.
    pub webhook_secret: Option<String>,
    /// Method ids offered (empty: everything the provider account has).
    pub methods: Vec<String>,
    /// Names shown instead of the provider's: (method id, label), e.g. ("ideal", "iDEAL | Wero").
    pub labels: Vec<(String, String)>,
}

/// A method as the panel offers it.
#[derive(Debug, Clone, Serialize)]
pub struct OfferedMethod {
    pub id: String,
    pub label: String,
    pub image: String,
}

/// What fetching the payments webhooks named did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RefreshReport {
    pub fetched: usize,
    pub booked: usize,
    pub failed: usize,
}

pub(super) fn provider_error(e: ProviderError) -> AppError {
    match e {
        ProviderError::Unavailable { .. } => {
            AppError::Unavailable("the payment provider cannot be reached; try again in a few minutes".into())
        }
        ProviderError::Rejected { detail, field, .. } => {
            AppError::Refused(format!("the payment provider refused it{}: {detail}", field.map(|f| format!(" ({f})")).unwrap_or_default()))
        }
        ProviderError::Invalid(m) => AppError::Unavailable(format!("the payment provider's answer could not be read: {m}")),
    }
}

pub(super) fn random_key(prefix: &str) -> String {
    use rand::Rng;
    let bytes: [u8; 12] = rand::rng().random();
    format!("{prefix}-{}", hex::encode(bytes))
}

impl Services {
    /// The online payment settings, when a provider is configured.
    pub fn online(&self) -> Option<&OnlineSettings> {
        self.online.as_deref()
    }

    fn online_or_refuse(&self) -> Result<&OnlineSettings, AppError> {
        self.online().ok_or_else(|| AppError::Refused("online payment is not set up (payments.provider)".into()))
    }

    /// The methods a customer may pay `amount` with, named as configured.
    pub async fn payment_methods(&self, amount: Money, locale: &str) -> Result<Vec<OfferedMethod>, AppError> {
        let online = self.online_or_refuse()?;
        // The provider answers in its own time: a page's kept database connection goes back first.
        loket_store::let_go();
        let methods = online.provider.list_methods(amount.minor, amount.currency.code(), Some(locale)).await.map_err(provider_error)?;
        Ok(methods
            .into_iter()
            // Direct debit is how a mandate collects, not something a customer picks at a checkout.
            .filter(|m| m.id != "directdebit" && (online.methods.is_empty() || online.methods.contains(&m.id)))
            .map(|m| {
                let label = online.labels.iter().find(|(id, _)| *id == m.id).map(|(_, l)| l.clone()).unwrap_or(m.description);
                OfferedMethod { id: m.id, label, image: m.image_svg_url }
            })
            .collect())
    }

    /// Starts paying what is open on invoice `invoice_id` of card `customer_id` and returns the
    /// checkout URL to send the customer to. A checkout started in the last half hour for the
    /// same amount is offered again instead of a second payment.
    pub async fn start_online_payment(
        &self,
        actor: &Actor,
        customer_id: i64,
        invoice_id: i64,
        method: Option<&str>,
        locale: &str,
    ) -> Result<String, AppError> {
        self.start_checkout(actor, customer_id, invoice_id, method, locale, None).await
    }

    /// A checkout for what is open on the invoice: a one-off payment, or with `first` (the
    /// card's customer at the provider) the first payment that gives a mandate.
    async fn start_checkout(
        &self,
        actor: &Actor,
        customer_id: i64,
        invoice_id: i64,
        method: Option<&str>,
        locale: &str,
        first: Option<&str>,
    ) -> Result<String, AppError> {
        let online = self.online_or_refuse()?;
        mandate::check_method(method)?;
        let sequence = if first.is_some() { SequenceType::First } else { SequenceType::OneOff };
        let mut conn = self.store.acquire().await?;
        let invoice =
            docs::document(&mut conn, invoice_id).await?.filter(|d| d.customer_id == customer_id).ok_or(AppError::NotFound("invoice"))?;
        if invoice.kind == DocKind::CreditNote || invoice.state != DocState::Open || invoice.open_amount() <= 0 {
            return Err(AppError::Conflict(format!("{} is {}: there is nothing to pay", invoice.number, invoice.state.name())));
        }
        let open = invoice.open_amount();
        let recent = self.now() - jiff::SignedDuration::from_mins(REUSE_MINUTES);
        if let Some(p) = store::for_invoice(&mut conn, invoice_id).await?.into_iter().find(|p| {
            p.status == "open"
                && p.amount == open
                && p.created_at > recent
                && p.checkout_url.is_some()
                && method.is_none()
                && p.sequence == sequence.as_str()
        }) {
            return Ok(p.checkout_url.unwrap_or_default());
        }
        drop(conn);
        let key = random_key("loket-pay");
        let by = actor.to_string();
        let id = {
            let mut tx = self.store.begin().await?;
            let new = NewOnlinePayment {
                invoice_id,
                customer_id,
                provider: &online.provider_name,
                idempotency_key: &key,
                amount: open,
                currency: invoice.currency.code(),
                started_by: &by,
                sequence: sequence.as_str(),
            };
            let id = store::insert(&mut tx, &new).await?;
            crate::audit(
                &mut tx,
                actor,
                "payment.online.start",
                ("online_payment", Some(id.to_string())),
                None,
                Some(json!({"invoice": invoice.number, "amount": open, "sequence": sequence.as_str()})),
            )
            .await?;
            loket_store::commit(tx).await?;
            id
        };
        let base = self.public_url.trim_end_matches('/');
        let new = NewPayment {
            amount_cents: open,
            currency: invoice.currency.code().to_string(),
            description: format!("{} {}", invoice.number, self.provider.trading_name),
            redirect_url: format!("{base}/customers/{customer_id}/invoices/{invoice_id}?payment={id}"),
            webhook_url: Some(format!("{base}/webhooks/payments")),
            metadata: json!({"invoice_id": invoice_id, "online_payment_id": id}),
            method: method.map(str::to_string),
            locale: Some(locale.to_string()),
            idempotency_key: key,
            sequence_type: sequence,
            customer_id: first.map(str::to_string),
            mandate_id: None,
        };
        let p = self.create_at_provider(online, id, &new).await?;
        p.checkout_url.ok_or_else(|| AppError::Unavailable("the payment provider gave no checkout page".into()))
    }

    /// Asks the provider for online payment `id` (recorded before, with `new`'s idempotency key)
    /// and records its answer: the provider's id, status and checkout — or that it could not
    /// be made, and why (unreachable, or refused).
    async fn create_at_provider(&self, online: &OnlineSettings, id: i64, new: &NewPayment) -> Result<Payment, AppError> {
        self.create_recorded(online, id, new).await?.map_err(provider_error)
    }

    /// Asks the provider to create online payment `id` and records its answer: the payment, or
    /// `unavailable` (the provider could not be reached or answered 5xx) or `failed`. The outer
    /// error is the database's; the inner one the provider's.
    pub(super) async fn create_recorded(
        &self,
        online: &OnlineSettings,
        id: i64,
        new: &NewPayment,
    ) -> Result<Result<Payment, ProviderError>, AppError> {
        let answer = online.provider.create_payment(new).await;
        let mut conn = self.store.acquire().await?;
        match answer {
            Ok(p) => {
                store::set_created(&mut conn, id, Some(&p.id), p.status.as_str(), p.checkout_url.as_deref()).await?;
                Ok(Ok(p))
            }
            Err(e) => {
                tracing::warn!(online_payment = id, error = %e, "creating an online payment failed");
                store::set_created(&mut conn, id, None, if e.is_temporary() { "unavailable" } else { "failed" }, None).await?;
                Ok(Err(e))
            }
        }
    }

    /// A webhook named payment `provider_payment_id`: if it is one of ours, it is fetched from
    /// the provider soon (the `payments.refresh` job). Returns whether it is ours; either way
    /// nothing else changes here.
    pub async fn online_payment_webhook(&self, provider_payment_id: &str) -> Result<bool, AppError> {
        let mut tx = self.store.begin().await?;
        let Some(p) = store::by_provider_id(&mut tx, provider_payment_id).await? else { return Ok(false) };
        self.ask_refresh(tx, p.id).await?;
        Ok(true)
    }

    /// The customer came back from the checkout of online payment `id` and it is not settled
    /// here yet: it is fetched from the provider too, in case no webhook reaches Loket (a
    /// firewall, a provider's hiccup). What is booked is still only what the API says.
    pub async fn online_payment_returned(&self, id: i64) -> Result<(), AppError> {
        let mut tx = self.store.begin().await?;
        match store::by_id(&mut tx, id).await? {
            Some(p) if p.payment_id.is_none() && p.provider_payment_id.is_some() && p.refresh_requested_at.is_none() => {
                self.ask_refresh(tx, p.id).await
            }
            _ => Ok(()),
        }
    }

    pub(super) async fn ask_refresh(&self, mut tx: loket_store::Tx, id: i64) -> Result<(), AppError> {
        store::request_refresh(&mut tx, id).await?;
        loket_store::jobs::enqueue_unless_queued(&mut tx, REFRESH_JOB, json!({})).await?;
        loket_store::commit(tx).await?;
        self.wake_jobs();
        Ok(())
    }

    /// The job: fetches every payment a webhook named and books what changed. A payment the
    /// provider cannot give now stays asked for (the job fails and is retried); the others are
    /// done.
    pub async fn refresh_online_payments(&self) -> Result<RefreshReport, AppError> {
        let online = self.online_or_refuse()?;
        let mut report = RefreshReport::default();
        let mut last_error = None;
        // Bounded: a payment asked for again while it was fetched comes round once more, and a
        // storm of webhooks cannot keep the job running.
        for _ in 0..100 {
            let batch = store::to_refresh(&mut *self.store.acquire().await?, 50).await?;
            if batch.is_empty() {
                break;
            }
            for p in batch {
                report.fetched += 1;
                match self.refresh_one(online, &p).await {
                    Ok(booked) => report.booked += usize::from(booked),
                    Err(e) => {
                        tracing::warn!(online_payment = p.id, error = %e, "fetching an online payment failed");
                        report.failed += 1;
                        last_error = Some(e);
                        continue;
                    }
                }
                let requested = p.refresh_requested_at.unwrap_or_default();
                store::clear_refresh(&mut *self.store.acquire().await?, p.id, requested).await?;
            }
            if report.failed > 0 {
                break;
            }
        }
        match last_error {
            Some(e) => Err(e),
            None => Ok(report),
        }
    }

    /// Fetches one payment (with its refunds and chargebacks) and books what it says.
    async fn refresh_one(&self, online: &OnlineSettings, p: &OnlinePayment) -> Result<bool, AppError> {
        let Some(provider_id) = p.provider_payment_id.as_deref() else { return Ok(false) };
        let fetched = online.provider.get_payment(provider_id).await.map_err(provider_error)?;
        if fetched.id != provider_id || fetched.amount_cents != p.amount || fetched.currency != p.currency {
            return Err(AppError::Conflict(format!(
                "payment {provider_id} at the provider is {} {} {}, not {} {}: nothing booked",
                fetched.id, fetched.amount_cents, fetched.currency, p.amount, p.currency
            )));
        }
        let mut conn = self.store.acquire().await?;
        let events = store::events(&mut conn, p.id).await?;
        drop(conn);
        let pending_refund = events.iter().any(|e| e.kind == "refund" && e.payment_id.is_none());
        let refunds = if fetched.amount_refunded_cents > 0 || pending_refund {
            online.provider.list_refunds(provider_id).await.map_err(provider_error)?
        } else {
            Vec::new()
        };
        let chargebacks = if fetched.amount_charged_back_cents > 0 || fetched.amount_charged_back_cents != p.charged_back {
            online.provider.list_chargebacks(provider_id).await.map_err(provider_error)?
        } else {
            Vec::new()
        };
        // A first payment paid gave a mandate: read it, to collect later invoices with it.
        let mandate = match (&fetched.mandate_id, &fetched.customer_id) {
            (Some(m), Some(c)) if fetched.sequence_type == SequenceType::First && fetched.status == PaymentStatus::Paid => {
                online.provider.list_mandates(c).await.map_err(provider_error)?.into_iter().find(|x| x.id == *m)
            }
            _ => None,
        };
        self.apply_fetched(p, &fetched, &refunds, &chargebacks, mandate.as_ref()).await
    }

    async fn apply_fetched(
        &self,
        p: &OnlinePayment,
        fetched: &Payment,
        refunds: &[loket_payments::Refund],
        chargebacks: &[loket_payments::Chargeback],
        mandate: Option<&Mandate>,
    ) -> Result<bool, AppError> {
        let billing = self.billing();
        let actor = Actor::system();
        let mut tx = billing.begin_issuing().await?;
        // Read again under the issuing lock: another node may have booked it meanwhile.
        let p = store::by_id(&mut tx, p.id).await?.ok_or(AppError::NotFound("online payment"))?;
        store::set_fetched(
            &mut tx,
            p.id,
            fetched.status.as_str(),
            fetched.method.as_deref(),
            fetched.amount_refunded_cents,
            fetched.amount_charged_back_cents,
        )
        .await?;
        let mut booked = false;
        if fetched.status == PaymentStatus::Paid && p.payment_id.is_none() {
            let received = fetched.paid_at.map(|t| t.to_zoned(self.provider.tz()).date()).unwrap_or_else(|| self.today());
            let payment_id = self.book_online(&mut tx, &billing, &actor, &p, received).await?;
            booked = store::mark_booked(&mut tx, p.id, payment_id).await?;
        }
        if let Some(m) = mandate {
            self.record_mandate(&mut tx, &p, m).await?;
        }
        let events = store::events(&mut tx, p.id).await?;
        for r in refunds {
            let known = events.iter().find(|e| e.provider_id.as_deref() == Some(r.id.as_str()));
            let event_id = match known {
                Some(e) => {
                    store::set_event(&mut tx, e.id, None, r.status.as_str()).await?;
                    Some(e.id)
                }
                // A refund made at the provider's dashboard: recorded and booked all the same.
                None => store::insert_event(&mut tx, p.id, "refund", Some(&r.id), None, r.amount_cents, r.status.as_str(), None).await?,
            };
            if let Some(event_id) = event_id
                && r.status == RefundStatus::Refunded
                && known.is_none_or(|e| e.payment_id.is_none())
            {
                let on = r.created_at.to_zoned(self.provider.tz()).date();
                let id = crate::billing::money::pay_back(
                    &mut tx,
                    self.provider.currency,
                    p.customer_id,
                    Some(p.invoice_id),
                    r.amount_cents,
                    on,
                    Some(&r.id),
                )
                .await?;
                if store::book_event(&mut tx, event_id, id).await? {
                    crate::audit(
                        &mut tx,
                        &actor,
                        "payment.online.refunded",
                        ("payment", Some(id.to_string())),
                        None,
                        Some(json!({"refund": r.id, "amount": r.amount_cents})),
                    )
                    .await?;
                }
            }
        }
        for c in chargebacks {
            let reason = c.reason.as_deref();
            if let Some(event_id) =
                store::insert_event(&mut tx, p.id, "chargeback", Some(&c.id), None, c.amount_cents, "received", reason).await?
            {
                self.book_chargeback(&mut tx, &actor, &p, event_id, c).await?;
            }
        }
        loket_store::commit(tx).await?;
        Ok(booked)
    }

    /// Books a paid online payment on its invoice (or, paid meanwhile, on the customer).
    async fn book_online(
        &self,
        tx: &mut loket_store::Conn,
        billing: &crate::billing::Billing,
        actor: &Actor,
        p: &OnlinePayment,
        received: Date,
    ) -> Result<i64, AppError> {
        let customer = loket_store::customers::customer(tx, p.customer_id).await?.ok_or(AppError::NotFound("customer"))?;
        let invoice = docs::document(tx, p.invoice_id).await?.filter(|d| d.state == DocState::Open);
        let catalog = billing.catalog(tx).await?;
        let money = Money::new(p.amount, self.provider.currency);
        let result = billing
            .book_payment(tx, &catalog, actor, &customer, invoice, money, "online", received, p.provider_payment_id.as_deref())
            .await?;
        Ok(result.payment_id)
    }

    /// The payer's bank took money back: the invoice is open again for that much (what is more
    /// than the invoice had paid comes off the credit balance) and staff are told.
    async fn book_chargeback(
        &self,
        tx: &mut loket_store::Tx,
        actor: &Actor,
        p: &OnlinePayment,
        event_id: i64,
        c: &loket_payments::Chargeback,
    ) -> Result<(), AppError> {
        let on = c.created_at.to_zoned(self.provider.tz()).date();
        let id = crate::billing::money::take_back(
            tx,
            self.provider.currency,
            p.customer_id,
            p.invoice_id,
            c.amount_cents,
            "chargeback",
            on,
            &c.id,
            "chargeback",
        )
        .await?;
        let invoice = docs::document(tx, p.invoice_id).await?.ok_or(AppError::NotFound("invoice"))?;
        store::book_event(tx, event_id, id).await?;
        let customer = loket_store::customers::customer(tx, p.customer_id).await?.ok_or(AppError::NotFound("customer"))?;
        crate::audit(
            tx,
            actor,
            "payment.online.chargeback",
            ("payment", Some(id.to_string())),
            None,
            Some(json!({"chargeback": c.id, "invoice": invoice.number, "amount": c.amount_cents, "reason": c.reason})),
        )
        .await?;
        let url = format!("{}/staff/customers/{}/invoices/{}", self.public_url.trim_end_matches('/'), p.customer_id, p.invoice_id);
        let data = json!({
            "customer": customer.card.legal_name, "number": invoice.number,
            "amount": Money::new(c.amount_cents, self.provider.currency).to_string(),
            "reason": c.reason.clone().unwrap_or_default(), "url": url,
        });
        self.mail(tx, "payment-chargeback-staff", self.provider.default_language, &self.provider.email, data).await
    }

    /// Staff pay money back through the provider, from the customer's credit balance (credit
    /// the invoice first). Booked when the provider confirms it.
    pub async fn refund_online_payment(&self, actor: &Actor, online_payment_id: i64, amount: &str) -> Result<PaymentEvent, AppError> {
        let online = self.online_or_refuse()?;
        let amount = loket_domain::input::amount("amount", amount, self.provider.currency, loket_domain::input::Sign::Positive)?;
        let mut tx = self.store.begin().await?;
        let p = store::by_id(&mut tx, online_payment_id).await?.ok_or(AppError::NotFound("online payment"))?;
        let Some(provider_id) = p.provider_payment_id.clone().filter(|_| p.payment_id.is_some()) else {
            return Err(AppError::Conflict("only a paid online payment can be refunded".into()));
        };
        let events = store::events(&mut tx, p.id).await?;
        let refunding: i64 =
            events.iter().filter(|e| e.kind == "refund" && !matches!(e.status.as_str(), "failed" | "canceled")).map(|e| e.amount).sum();
        let charged_back: i64 = events.iter().filter(|e| e.kind == "chargeback").map(|e| e.amount).sum();
        let refundable = p.amount - refunding - charged_back;
        if amount.minor > refundable {
            return Err(loket_domain::FieldError::new(
                "amount",
                format!("at most {} can still be refunded", Money::new(refundable.max(0), amount.currency)),
            )
            .into());
        }
        let balance = payments::credit_balance(&mut tx, p.customer_id).await?;
        if amount.minor > balance {
            return Err(loket_domain::FieldError::new(
                "amount",
                format!("the credit balance is {}: credit the invoice first, then refund", Money::new(balance, amount.currency)),
            )
            .into());
        }
        let key = random_key("loket-refund");
        let event_id = store::insert_event(&mut tx, p.id, "refund", None, Some(&key), amount.minor, "creating", None)
            .await?
            .ok_or_else(|| AppError::Conflict("this refund was recorded already".into()))?;
        crate::audit(
            &mut tx,
            actor,
            "payment.online.refund",
            ("online_payment", Some(p.id.to_string())),
            None,
            Some(json!({"amount": amount.minor})),
        )
        .await?;
        loket_store::commit(tx).await?;
        let new = NewRefund {
            amount_cents: amount.minor,
            currency: p.currency.clone(),
            description: format!("{} {}", self.provider.trading_name, p.provider_payment_id.as_deref().unwrap_or_default()),
            idempotency_key: key,
        };
        let mut conn = self.store.acquire().await?;
        match online.provider.create_refund(&provider_id, &new).await {
            Ok(r) => {
                store::set_event(&mut conn, event_id, Some(&r.id), r.status.as_str()).await?;
            }
            Err(e) => {
                store::set_event(&mut conn, event_id, None, "failed").await?;
                return Err(provider_error(e));
            }
        }
        let events = store::events(&mut conn, p.id).await?;
        events.into_iter().find(|e| e.id == event_id).ok_or(AppError::NotFound("refund"))
    }

    /// An invoice's online payments with their refunds and chargebacks, newest first.
    pub async fn online_payments_of(&self, invoice_id: i64) -> Result<Vec<(OnlinePayment, Vec<PaymentEvent>)>, AppError> {
        let mut conn = self.store.acquire().await?;
        let mut out = Vec::new();
        for p in store::for_invoice(&mut conn, invoice_id).await? {
            let events = store::events(&mut conn, p.id).await?;
            out.push((p, events));
        }
        Ok(out)
    }
}
