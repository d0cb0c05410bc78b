//! Automatic payment through the payment provider (Mollie's recurring payments, the seeds'
//! "automatic direct debit switched on in the panel"): the card becomes a customer at the
//! provider, the customer pays one open invoice through the checkout as a *first* payment,
//! which gives a mandate; from then on the `payments.collect` job collects each open invoice
//! with that mandate, no checkout. What is booked is still only what the provider's API says
//! (see the parent module); a collection the provider refused or that failed is not tried again
//! but left to dunning. One that never reached the provider is sent again, with the same
//! idempotency key, when the job is retried within [`UNREACHED_RETRY`].

use loket_domain::FieldError;
use loket_payments::{NewCustomer, NewPayment, SequenceType};
use loket_store::audit::Actor;
use loket_store::billing::online::{self as store, NewOnlinePayment, OnlineCustomer};
use serde::Serialize;
use serde_json::json;

use super::{OnlineSettings, provider_error, random_key};
use crate::{AppError, Services};

/// The job that collects open invoices with the cards' mandates.
pub const COLLECT_JOB: &str = "payments.collect";

/// Invoices collected per page of the job.
const PAGE: i64 = 200;

/// How long a collection that never reached the provider is sent again with its idempotency
/// key. A provider remembers a key only for a limited time: while it does, a payment it did
/// create and whose answer was lost comes back instead of a second charge; once it forgot, a
/// second request would charge twice. The window is kept deliberately short; the job's retries
/// (after 30 s, 1, 2, 4, 8 and 16 minutes) fall inside it, and what is still unreached after it
/// is left to dunning and staff.
pub const UNREACHED_RETRY: std::time::Duration = std::time::Duration::from_secs(45 * 60);

/// What a collection round did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CollectReport {
    pub started: usize,
    /// Refused or failed: left to dunning.
    pub failed: usize,
    /// The provider could not be reached: sent again when the job is retried.
    pub unreached: usize,
}

impl Services {
    /// A card's automatic payment, if it has a provider customer.
    pub async fn automatic_payment(&self, customer_id: i64) -> Result<Option<OnlineCustomer>, AppError> {
        Ok(store::online_customer(&mut *self.store.acquire().await?, customer_id).await?)
    }

    /// The card's customer at the provider, made the first time.
    async fn provider_customer(&self, online: &OnlineSettings, actor: &Actor, customer_id: i64) -> Result<String, AppError> {
        if let Some(c) = self.automatic_payment(customer_id).await? {
            return Ok(c.provider_customer_id);
        }
        let card = loket_store::customers::customer(&mut *self.store.acquire().await?, customer_id)
            .await?
            .ok_or(AppError::NotFound("customer"))?;
        let new = NewCustomer {
            name: card.card.legal_name.clone(),
            email: card.card.invoice_email.clone(),
            locale: None,
            metadata: json!({"customer_id": customer_id, "number": card.number}),
            // One card, one customer at the provider, however often this is retried.
            idempotency_key: format!("loket-customer-{}", card.number),
        };
        let made = online.provider.create_customer(&new).await.map_err(provider_error)?;
        let mut tx = self.store.begin().await?;
        store::insert_online_customer(&mut tx, customer_id, &online.provider_name, &made.id).await?;
        crate::audit(
            &mut tx,
            actor,
            "payment.online.customer",
            crate::customer_entity(customer_id),
            None,
            Some(json!({"provider_customer": made.id})),
        )
        .await?;
        loket_store::commit(tx).await?;
        // Another request may have recorded one first: that one counts.
        Ok(self.automatic_payment(customer_id).await?.map(|c| c.provider_customer_id).unwrap_or(made.id))
    }

    /// Switches on automatic payment: the open invoice `invoice_id` is paid through the checkout
    /// as the first payment, which gives the mandate later invoices are collected with.
    pub async fn start_automatic_payment(
        &self,
        actor: &Actor,
        customer_id: i64,
        invoice_id: i64,
        method: Option<&str>,
        locale: &str,
    ) -> Result<String, AppError> {
        let online = self.online_or_refuse()?;
        let provider_customer = self.provider_customer(online, actor, customer_id).await?;
        self.start_checkout(actor, customer_id, invoice_id, method, locale, Some(&provider_customer)).await
    }

    /// Switches automatic payment off: the mandate is revoked at the provider and no invoice is
    /// collected with it any more.
    pub async fn stop_automatic_payment(&self, actor: &Actor, customer_id: i64) -> Result<(), AppError> {
        let online = self.online_or_refuse()?;
        let Some(c) = self.automatic_payment(customer_id).await?.filter(|c| c.mandate_state.as_deref() == Some("valid")) else {
            return Err(AppError::Conflict("this card has no automatic payment to stop".into()));
        };
        if let Some(mandate) = &c.mandate_id {
            online.provider.revoke_mandate(&c.provider_customer_id, mandate).await.map_err(provider_error)?;
        }
        let mut tx = self.store.begin().await?;
        store::set_mandate(&mut tx, customer_id, None, "revoked", None, None).await?;
        crate::audit(
            &mut tx,
            actor,
            "payment.online.mandate_revoked",
            crate::customer_entity(customer_id),
            None,
            Some(json!({"mandate": c.mandate_id})),
        )
        .await?;
        loket_store::commit(tx).await?;
        Ok(())
    }

    /// The job: every open invoice of a card with a valid mandate, collected once. A page of
    /// invoices at a time; one the provider refuses is counted and the others go on.
    pub async fn collect_with_mandates(&self) -> Result<CollectReport, AppError> {
        let online = self.online_or_refuse()?;
        let mut report = CollectReport::default();
        let mut after = 0;
        // Measured by the clock that stamped the collection (the store's, the system's), not
        // the app's: a replay running ahead of the clock must not close the window at once.
        let retry = i64::try_from(UNREACHED_RETRY.as_micros()).unwrap_or(i64::MAX);
        let since = loket_store::time::now_micros().saturating_sub(retry);
        loop {
            let page = store::collectable(&mut *self.store.acquire().await?, after, PAGE, since).await?;
            let Some(last) = page.last() else { break };
            after = last.invoice_id;
            for c in page {
                if c.open <= 0 {
                    continue;
                }
                match self.collect_one(online, &c).await {
                    Ok(Ok(())) => report.started += 1,
                    Ok(Err(e)) => {
                        tracing::warn!(invoice = %c.number, error = %e, "collection with the mandate did not reach the provider");
                        report.unreached += 1;
                    }
                    Err(AppError::Store(e)) => return Err(AppError::Store(e)),
                    Err(e) => {
                        tracing::warn!(invoice = %c.number, error = %e, "collection with the mandate not started");
                        report.failed += 1;
                    }
                }
            }
        }
        Ok(report)
    }

    /// Collects `c`: `Ok(Err(_))` when the provider could not be reached (the collection stays
    /// `unavailable`, to be sent again), `Err(_)` when it was refused or failed otherwise.
    async fn collect_one(&self, online: &OnlineSettings, c: &store::Collectable) -> Result<Result<(), AppError>, AppError> {
        let (id, key) = match &c.unreached {
            // Sent again as it was: the same amount under the same key.
            Some(u) if u.amount == c.open => {
                let mut tx = self.store.begin().await?;
                if !store::retake_unreached(&mut tx, u.id).await? {
                    return Err(AppError::Conflict("the collection was taken by another run".into()));
                }
                loket_store::commit(tx).await?;
                (u.id, u.idempotency_key.clone())
            }
            // What is open changed since: a new amount under the old key could be refused, or
            // answered with the old payment; left to dunning and staff like a failed one.
            Some(_) => return Err(AppError::Refused("the open amount changed since a collection that did not reach the provider".into())),
            None => {
                let key = random_key("loket-collect");
                let mut tx = self.store.begin().await?;
                let new = NewOnlinePayment {
                    invoice_id: c.invoice_id,
                    customer_id: c.customer_id,
                    provider: &online.provider_name,
                    idempotency_key: &key,
                    amount: c.open,
                    currency: &c.currency,
                    started_by: "system",
                    sequence: "recurring",
                };
                let id = store::insert(&mut tx, &new).await?;
                loket_store::commit(tx).await?;
                (id, key)
            }
        };
        let base = self.public_url.trim_end_matches('/');
        let new = NewPayment {
            amount_cents: c.open,
            currency: c.currency.clone(),
            description: format!("{} {}", c.number, self.provider.trading_name),
            webhook_url: Some(format!("{base}/webhooks/payments")),
            metadata: json!({"invoice_id": c.invoice_id, "online_payment_id": id}),
            idempotency_key: key,
            sequence_type: SequenceType::Recurring,
            customer_id: Some(c.provider_customer_id.clone()),
            mandate_id: Some(c.mandate_id.clone()),
            ..NewPayment::default()
        };
        match self.create_recorded(online, id, &new).await? {
            Ok(_) => {}
            Err(e) if e.is_temporary() => return Ok(Err(provider_error(e))),
            Err(e) => return Err(provider_error(e)),
        }
        // A collection by card is paid at once: fetch it like a webhook would.
        self.ask_refresh(self.store.begin().await?, id).await.map(Ok)
    }

    /// After a first payment was paid: its mandate recorded for the card (valid), or nothing.
    pub(super) async fn record_mandate(
        &self,
        tx: &mut loket_store::Conn,
        p: &store::OnlinePayment,
        mandate: &loket_payments::Mandate,
    ) -> Result<(), AppError> {
        if mandate.status != loket_payments::MandateStatus::Valid {
            return Ok(());
        }
        let account = mandate.consumer_account.as_deref();
        store::set_mandate(tx, p.customer_id, Some(&mandate.id), "valid", Some(&mandate.method), account).await?;
        crate::audit(
            tx,
            &Actor::system(),
            "payment.online.mandate",
            crate::customer_entity(p.customer_id),
            None,
            Some(json!({"mandate": mandate.id, "method": mandate.method})),
        )
        .await
    }
}

/// A method id as a form may send it.
pub(super) fn check_method(method: Option<&str>) -> Result<(), AppError> {
    match method {
        Some(m) if m.is_empty() || m.len() > 40 || !m.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
            Err(AppError::Invalid(vec![FieldError::new("method", "is not a payment method")]))
        }
        _ => Ok(()),
    }
}
