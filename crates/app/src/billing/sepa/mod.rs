//! SEPA direct debit: mandates (this module) — given by a card's user in the panel with the
//! mandate's wording and an explicit consent, or recorded by staff from a signed paper form;
//! amended when the debtor moves account; revoked by either; expired after 36 months unused —,
//! the files of collections for the bank with the debtors' pre-notification ([`export`]), and
//! what the bank's statement says of them: the credit of a file, and the collections that came
//! back ([`collect`]). The rules are `loket_domain::billing::sepa`'s.

pub mod collect;
pub mod export;

use jiff::civil::Date;
use loket_bank::Pain008Version;
use loket_domain::billing::notice::{MandateEnded, MandateGiven, Notice};
use loket_domain::billing::sepa::{self, CollectRule, MandateInput};
use loket_domain::customer::PaymentMethod;
use loket_domain::{FieldError, Language, input};
use loket_store::Conn;
use loket_store::audit::Actor;
use loket_store::billing::payments;
use loket_store::billing::sepa::{self as store, Mandate, NewMandate};
use loket_store::customers;
use loket_store::members::lock_card;
use serde_json::json;

use crate::billing::ops::audit;
use crate::billing::{AppError, Billing};

/// The provider's direct-debit settings (`[sepa]` in `loket.toml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SepaSettings {
    /// The SEPA creditor identifier; without it nothing is collected and no mandate is taken.
    pub creditor_id: Option<String>,
    /// The pain.008 version the bank takes.
    pub pain_version: Pain008Version,
    /// TARGET business days between handing in the file and the collection.
    pub lead_days: u8,
    /// Calendar days before a collection by which the debtor is told of it.
    pub pre_notification_days: u8,
    /// Which open invoices a file collects.
    pub collect: CollectRule,
}

impl Default for SepaSettings {
    fn default() -> Self {
        SepaSettings {
            creditor_id: None,
            pain_version: Pain008Version::V08,
            lead_days: 2,
            pre_notification_days: sepa::DEFAULT_PRE_NOTIFICATION_DAYS,
            collect: CollectRule::Due,
        }
    }
}

impl SepaSettings {
    /// The first collection date a file made on `today` may ask for.
    pub fn first_collection_date(&self, today: Date) -> Date {
        sepa::first_collection_date(today, self.lead_days, self.pre_notification_days)
    }
}

/// `001.02` or `001.08` (also written in full, `pain.008.001.08`).
pub fn parse_pain_version(s: &str) -> Result<Pain008Version, String> {
    match s.trim().trim_start_matches("pain.008.") {
        "001.02" => Ok(Pain008Version::V02),
        "001.08" => Ok(Pain008Version::V08),
        other => Err(format!("`{}` is not a pain.008 version: write \"001.02\" or \"001.08\"", input::sample(other))),
    }
}

/// Who gave a mandate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GivenBy {
    /// A user of the card, in the panel, on the day it is given.
    Customer { user_id: i64 },
    /// Staff, from a signed paper mandate.
    Staff,
}

/// A mandate as a form sends it. The customer's form sends no signature date (it is today) and
/// no reference (Loket gives one); staff give the paper's date and may give its reference.
#[derive(Debug, Clone, Default)]
pub struct MandateForm<'a> {
    pub debtor_name: &'a str,
    pub iban: &'a str,
    pub bic: Option<&'a str>,
    pub signed_on: Option<&'a str>,
    pub reference: Option<&'a str>,
    /// The box "I give this mandate" (the customer's form).
    pub consent: bool,
}

impl Billing {
    /// Direct debits with these settings.
    pub fn with_sepa(mut self, settings: SepaSettings) -> Self {
        self.sepa = std::sync::Arc::new(settings);
        self
    }

    pub fn sepa_settings(&self) -> &SepaSettings {
        &self.sepa
    }

    /// The creditor identifier, or why direct debit is not offered.
    pub fn creditor_id(&self) -> Result<&str, AppError> {
        self.sepa.creditor_id.as_deref().ok_or_else(|| {
            AppError::Refused("direct debit is not offered: the provider has no SEPA creditor identifier (sepa.creditor_id)".into())
        })
    }

    /// The reference the customer's next mandate gets.
    pub async fn next_mandate_reference(&self, customer_id: i64) -> Result<String, AppError> {
        let mut conn = self.store.acquire().await?;
        next_reference(&mut conn, customer_id).await
    }

    /// The mandate's wording in `lang`, with the creditor and the mandate's reference: what the
    /// customer agrees to, stored with the mandate.
    pub fn mandate_wording(&self, lang: Language, reference: &str) -> Result<String, AppError> {
        let creditor_id = self.creditor_id()?;
        let creditor = self.provider.legal_name.as_str();
        let head = loket_i18n::t_args(
            lang,
            "sepa-wording-head",
            &[("reference", reference), ("creditor", creditor), ("creditor_id", creditor_id)],
        );
        // The wording's sentences end with the creditor's name: "B.V." gets no second full stop.
        let body = loket_i18n::t_args(lang, "sepa-wording", &[("creditor", creditor), ("creditor_end", creditor.trim_end_matches('.'))]);
        Ok(format!("{head}\n\n{body}"))
    }

    /// A mandate given: checked field by field (and the consent, in the panel), recorded with the
    /// wording in `lang`; the card pays by direct debit from the mandate's account from now on;
    /// the customer gets the confirmation with the reference and wording.
    pub async fn give_mandate(
        &self,
        actor: &Actor,
        customer_id: i64,
        given_by: GivenBy,
        lang: Language,
        form: &MandateForm<'_>,
    ) -> Result<Mandate, AppError> {
        let creditor_id = self.creditor_id()?.to_string();
        let today = self.today();
        let mut errors = Vec::new();
        let signed_on = match given_by {
            GivenBy::Customer { .. } => Some(today),
            GivenBy::Staff => match form.signed_on.map(str::trim).filter(|s| !s.is_empty()) {
                Some(s) => input::date("signed_on", s).map_err(|e| errors.push(e)).ok(),
                None => {
                    errors.push(FieldError::new("signed_on", "fill this in"));
                    None
                }
            },
        };
        if matches!(given_by, GivenBy::Customer { .. }) && !form.consent {
            errors.push(FieldError::new("consent", sepa::CONSENT_MISSING));
        }
        let mut tx = self.store.begin().await?;
        lock_card(&mut tx, self.store.backend(), customer_id).await?;
        let customer = customers::customer(&mut tx, customer_id).await?.ok_or(AppError::NotFound("customer"))?;
        if let Some(active) = store::active_mandate(&mut tx, customer_id).await? {
            return Err(AppError::Conflict(format!(
                "this card has an active mandate ({}): change its account or revoke it first",
                active.reference
            )));
        }
        let reference = match form.reference.map(str::trim).filter(|r| !r.is_empty()) {
            Some(r) if given_by == GivenBy::Staff => r.to_string(),
            _ => next_reference(&mut tx, customer_id).await?,
        };
        let mandate = MandateInput {
            mandate_reference: reference,
            debtor_name: form.debtor_name.to_string(),
            iban: form.iban.to_string(),
            bic: form.bic.map(str::to_string),
            signed_on,
        };
        let valid = match mandate.validate(today) {
            Ok(m) if errors.is_empty() => m,
            Ok(_) => return Err(AppError::Invalid(errors)),
            Err(e) => {
                // The signature date of the customer's form is today: no field to name.
                errors.extend(e.into_iter().filter(|e| e.field != "signed_on" || given_by == GivenBy::Staff));
                return Err(AppError::Invalid(errors));
            }
        };
        if store::reference_taken(&mut tx, &valid.mandate_reference).await? {
            return Err(AppError::Invalid(vec![FieldError::new(
                "mandate_reference",
                format!("{} is the reference of another mandate", valid.mandate_reference),
            )]));
        }
        let wording = self.mandate_wording(lang, &valid.mandate_reference)?;
        let (by, user) = match given_by {
            GivenBy::Customer { user_id } => ("customer", Some(user_id)),
            // The member of staff who recorded the paper mandate, when the actor is one.
            GivenBy::Staff => ("staff", actor.id.as_deref().and_then(|id| id.parse::<i64>().ok())),
        };
        let id = store::insert_mandate(
            &mut tx,
            &NewMandate {
                customer_id,
                reference: &valid.mandate_reference,
                debtor_name: &valid.debtor_name,
                iban: &valid.iban,
                bic: valid.bic.as_deref(),
                signed_on: valid.signed_on,
                given_by: by,
                given_by_user: user,
                wording_version: sepa::MANDATE_WORDING_VERSION,
                wording_language: lang.code(),
                wording: &wording,
            },
        )
        .await?;
        set_payment(&mut tx, &customer, PaymentMethod::DirectDebit, Some(&valid.iban)).await?;
        let notice = MandateGiven {
            reference: valid.mandate_reference.clone(),
            debtor_name: valid.debtor_name.clone(),
            iban: sepa::short_iban(&valid.iban),
            signed_on: valid.signed_on,
            creditor_name: self.provider.legal_name.clone(),
            creditor_id,
            amended: false,
        };
        payments::notify(&mut tx, &[(customer_id, Notice::MandateGiven(notice))]).await?;
        audit(
            &mut tx,
            actor,
            "sepa.mandate.give",
            "sepa_mandate",
            id,
            json!({"customer": customer.number, "reference": valid.mandate_reference, "iban": valid.iban, "bic": valid.bic,
                   "signed_on": valid.signed_on.to_string(), "given_by": by, "wording_version": sepa::MANDATE_WORDING_VERSION,
                   "wording_language": lang.code()}),
        )
        .await?;
        let stored = store::mandate_by_id(&mut tx, id).await?.ok_or(AppError::NotFound("mandate"))?;
        loket_store::commit(tx).await?;
        Ok(stored)
    }

    /// The debtor moved account (or changed its name): the mandate keeps its reference, and the
    /// next collection tells the bank the account it was collected from before.
    pub async fn amend_mandate(&self, actor: &Actor, customer_id: i64, form: &MandateForm<'_>) -> Result<Mandate, AppError> {
        let creditor_id = self.creditor_id()?.to_string();
        let mut tx = self.store.begin().await?;
        lock_card(&mut tx, self.store.backend(), customer_id).await?;
        let customer = customers::customer(&mut tx, customer_id).await?.ok_or(AppError::NotFound("customer"))?;
        let m = store::active_mandate(&mut tx, customer_id)
            .await?
            .ok_or_else(|| AppError::Conflict("this card has no active mandate".into()))?;
        let input = MandateInput {
            mandate_reference: m.reference.clone(),
            debtor_name: form.debtor_name.to_string(),
            iban: form.iban.to_string(),
            bic: form.bic.map(str::to_string),
            signed_on: Some(m.signed_on),
        };
        let valid = input.validate(self.today().max(m.signed_on)).map_err(AppError::Invalid)?;
        if valid.iban == m.iban && valid.debtor_name == m.debtor_name && valid.bic == m.bic {
            return Ok(m);
        }
        // The account the bank knows the mandate by: the last one collected from, while that
        // change has not been told yet.
        let known = m.original_iban.clone().unwrap_or_else(|| m.iban.clone());
        let original_iban = (known != valid.iban && m.last_collected_on.is_some()).then_some(known);
        store::amend_mandate(&mut tx, m.id, &valid.debtor_name, &valid.iban, valid.bic.as_deref(), original_iban.as_deref()).await?;
        set_payment(&mut tx, &customer, PaymentMethod::DirectDebit, Some(&valid.iban)).await?;
        let notice = MandateGiven {
            reference: m.reference.clone(),
            debtor_name: valid.debtor_name.clone(),
            iban: sepa::short_iban(&valid.iban),
            signed_on: m.signed_on,
            creditor_name: self.provider.legal_name.clone(),
            creditor_id,
            amended: true,
        };
        payments::notify(&mut tx, &[(customer_id, Notice::MandateGiven(notice))]).await?;
        audit(
            &mut tx,
            actor,
            "sepa.mandate.amend",
            "sepa_mandate",
            m.id,
            json!({"customer": customer.number, "reference": m.reference, "from": {"iban": m.iban, "debtor_name": m.debtor_name, "bic": m.bic},
                   "to": {"iban": valid.iban, "debtor_name": valid.debtor_name, "bic": valid.bic}, "original_iban": original_iban}),
        )
        .await?;
        let stored = store::mandate_by_id(&mut tx, m.id).await?.ok_or(AppError::NotFound("mandate"))?;
        loket_store::commit(tx).await?;
        Ok(stored)
    }

    /// The customer (or staff for it) revokes the mandate: nothing more is collected, and the
    /// card pays by invoice again. Collections already handed to the bank are not recalled.
    pub async fn revoke_mandate(&self, actor: &Actor, customer_id: i64) -> Result<Mandate, AppError> {
        let mut tx = self.store.begin().await?;
        lock_card(&mut tx, self.store.backend(), customer_id).await?;
        let customer = customers::customer(&mut tx, customer_id).await?.ok_or(AppError::NotFound("customer"))?;
        let m = store::active_mandate(&mut tx, customer_id)
            .await?
            .ok_or_else(|| AppError::Conflict("this card has no active mandate".into()))?;
        self.end(&mut tx, actor, &customer, &m, "revoked").await?;
        let stored = store::mandate_by_id(&mut tx, m.id).await?.ok_or(AppError::NotFound("mandate"))?;
        loket_store::commit(tx).await?;
        Ok(stored)
    }

    /// The daily housekeeping: mandates without a collection for 36 months expire (SDD Core
    /// rulebook); their cards pay by invoice again. Returns how many expired.
    pub async fn expire_mandates(&self, actor: &Actor) -> Result<usize, AppError> {
        let today = self.today();
        let (mut after, mut expired) = (0i64, 0usize);
        loop {
            let mut tx = self.store.begin().await?;
            let page = store::active_page(&mut tx, after, 500).await?;
            let Some(last) = page.last() else { break };
            after = last.id;
            for m in page.iter().filter(|m| sepa::mandate_expired(m.last_collected_on.unwrap_or(m.signed_on), today)) {
                let Some(customer) = customers::customer(&mut tx, m.customer_id).await? else { continue };
                self.end(&mut tx, actor, &customer, m, "expired").await?;
                expired += 1;
            }
            loket_store::commit(tx).await?;
        }
        Ok(expired)
    }

    async fn end(&self, tx: &mut Conn, actor: &Actor, customer: &customers::Customer, m: &Mandate, state: &str) -> Result<(), AppError> {
        if !store::end_mandate(tx, m.id, state).await? {
            return Err(AppError::Conflict(format!("mandate {} is not active any more", m.reference)));
        }
        if customer.card.payment_method == PaymentMethod::DirectDebit {
            set_payment(tx, customer, PaymentMethod::Invoice, customer.card.iban.as_deref()).await?;
        }
        let notice = MandateEnded { reference: m.reference.clone(), ended: self.today(), reason: state.to_string() };
        payments::notify(tx, &[(customer.id, Notice::MandateEnded(notice))]).await?;
        let action = if state == "expired" { "sepa.mandate.expire" } else { "sepa.mandate.revoke" };
        audit(tx, actor, action, "sepa_mandate", m.id, json!({"customer": customer.number, "reference": m.reference})).await?;
        Ok(())
    }
}

/// The reference of the customer's next mandate.
async fn next_reference(conn: &mut Conn, customer_id: i64) -> Result<String, AppError> {
    let customer = customers::customer(conn, customer_id).await?.ok_or(AppError::NotFound("customer"))?;
    let mut n = store::count_of(conn, customer_id).await? + 1;
    loop {
        let reference = sepa::mandate_reference_for(&customer.number, customer_id, n);
        if !store::reference_taken(conn, &reference).await? {
            return Ok(reference);
        }
        n += 1;
    }
}

/// The card pays by `method` (from `iban`); the rest of the card stays as it is.
async fn set_payment(tx: &mut Conn, customer: &customers::Customer, method: PaymentMethod, iban: Option<&str>) -> Result<(), AppError> {
    let mut input = customer.card.to_input();
    input.payment_method = Some(method.name().into());
    input.iban = iban.map(str::to_string);
    let card = input.validate(customer.card.language).map_err(AppError::Invalid)?;
    if card != customer.card {
        customers::update_customer(tx, customer.id, &card).await?;
    }
    Ok(())
}
