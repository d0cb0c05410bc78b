//! A file of collections for the bank: the open invoices of customers who pay by direct debit
//! under an active mandate, each collected once (again only after it came back), FRST or RCUR
//! per mandate (an amendment told once, with the first collection after it), written as
//! pain.008 and recorded with every collection in one transaction holding the issuing lock (so
//! two exports at once never collect an invoice twice); every debtor gets the pre-notification.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use loket_bank::pain008::{
    DirectDebitBatch, DirectDebitTransaction, MandateAmendment, OriginalDebtorAccount, PaymentInfo, SequenceType as Seq,
};
use loket_bank::{Pain008Version, write_pain008};
use loket_domain::billing::notice::{Applied, DirectDebitAnnounced, Notice};
use loket_domain::billing::sepa::{self, Amendment, OriginalAccount, SequenceType};
use loket_domain::{Currency, Language, input};
use loket_store::audit::Actor;
use loket_store::billing::payments;
use loket_store::billing::sepa::debits::{self, Collectable, NewBatch, NewDebit};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::billing::ops::audit;
use crate::billing::{AppError, Billing, invalid};

/// What a file collects.
#[derive(Debug, Clone, Serialize)]
pub struct ExportSummary {
    pub batch_id: i64,
    pub message_id: String,
    pub collection_date: Date,
    pub pain_version: &'static str,
    pub file_name: String,
    pub collections: usize,
    /// In euro cents.
    pub total: i64,
    /// Collections presented as FRST and as RCUR.
    pub first: usize,
    pub recurring: usize,
    /// Debtors told of their collection (one pre-notification each).
    pub debtors: usize,
    /// Open invoices left out because their mandate expired (36 months unused).
    pub expired_mandates: usize,
}

fn bank_sequence(s: SequenceType) -> Seq {
    match s {
        SequenceType::First => Seq::First,
        SequenceType::Recurring => Seq::Recurring,
        SequenceType::Final => Seq::Final,
        SequenceType::OneOff => Seq::OneOff,
    }
}

/// One collection as decided, before it is written.
struct Planned<'a> {
    row: &'a Collectable,
    sequence: SequenceType,
    amendment: Option<MandateAmendment>,
    end_to_end_id: String,
}

impl Billing {
    /// Makes the file of collections on `collection_date` in `version` (the settings' by
    /// default): the pain.008 document's bytes and what it collects. The date must be a TARGET
    /// day `sepa.lead_days` TARGET days ahead and leave `sepa.pre_notification_days` for the
    /// pre-notification; every refusal names `collection_date`.
    pub async fn export_direct_debits(
        &self,
        actor: &Actor,
        collection_date: Date,
        version: Option<Pain008Version>,
    ) -> Result<(Vec<u8>, ExportSummary), AppError> {
        let settings = self.sepa_settings().clone();
        let creditor_id = self.creditor_id()?.to_string();
        let version = version.unwrap_or(settings.pain_version);
        if self.provider.currency != Currency::Eur {
            return Err(AppError::Refused(format!(
                "SEPA direct debits collect euros, and the provider bills in {}",
                self.provider.currency.code()
            )));
        }
        let Some(creditor_iban) = self.provider.iban.clone() else {
            return Err(AppError::Refused("the provider has no IBAN (provider.iban): there is no account to collect to".into()));
        };
        let today = self.today();
        input::bounded_date("collection_date", collection_date)?;
        sepa::collection_date_ok(today, collection_date, settings.lead_days)
            .map_err(|m| invalid("collection_date", format!("{m} (sepa.lead_days = {})", settings.lead_days)))?;
        sepa::pre_notification_ok(today, collection_date, settings.pre_notification_days).map_err(|m| invalid("collection_date", m))?;

        let mut tx = self.begin_issuing().await?;
        let found = debits::collectable(&mut tx, settings.collect.column(), collection_date, Currency::Eur.code()).await?;
        let (rows, expired): (Vec<&Collectable>, Vec<&Collectable>) = found
            .iter()
            .filter(|r| r.open > 0)
            .partition(|r| !sepa::mandate_expired(r.last_collected_on.unwrap_or(r.signed_on), collection_date));
        let rows: Vec<&Collectable> = rows
            .into_iter()
            .filter(|r| r.signed_on <= collection_date && settings.collect.collects(r.issue_date, r.due_date, collection_date))
            .collect();
        if rows.is_empty() {
            return Err(AppError::Refused(format!(
                "nothing to collect on {collection_date}: no open invoice {} then of a customer paying by direct debit under an active mandate that is not in an earlier file",
                if settings.collect == sepa::CollectRule::Due { "due by" } else { "issued by" }
            )));
        }
        let mut mandate_ids: Vec<i64> = rows.iter().map(|r| r.mandate_id).collect();
        mandate_ids.sort_unstable();
        mandate_ids.dedup();
        let used = debits::used_before(&mut tx, &mandate_ids).await?;
        let invoice_ids: Vec<i64> = rows.iter().map(|r| r.invoice_id).collect();
        let attempts = debits::attempts(&mut tx, &invoice_ids).await?;

        // Per mandate: its first collection in this file as the rules say (FRST, or RCUR with
        // an amendment told once), the others RCUR.
        let mut planned: Vec<Planned<'_>> = Vec::with_capacity(rows.len());
        let mut seen_mandates = std::collections::HashSet::new();
        for r in &rows {
            let (sequence, amendment) = if seen_mandates.insert(r.mandate_id) {
                let told = Amendment { original_mandate_reference: r.original_reference.clone(), original_iban: r.original_iban.clone() };
                let a = sepa::after_amendment(&told, &r.reference, &r.iban, used.contains(&r.mandate_id));
                let amendment = a.amended.then(|| MandateAmendment {
                    original_mandate_id: a.original_mandate_reference.clone(),
                    original_debtor_account: a.original_account.as_ref().map(|o| match o {
                        OriginalAccount::Iban(iban) => OriginalDebtorAccount::Iban(iban.clone()),
                        OriginalAccount::NewAccount => OriginalDebtorAccount::NewDebtorAccount,
                    }),
                });
                (a.sequence, amendment)
            } else {
                (SequenceType::Recurring, None)
            };
            let attempt = attempts.get(&r.invoice_id).copied().unwrap_or(0) + 1;
            planned.push(Planned { row: r, sequence, amendment, end_to_end_id: sepa::end_to_end_id(&r.number, r.invoice_id, attempt) });
        }

        let number = debits::next_batch_number(&mut tx).await?;
        let message_id = sepa::message_id(collection_date, number);
        let mut by_sequence: BTreeMap<&'static str, (SequenceType, Vec<DirectDebitTransaction>)> = BTreeMap::new();
        let mut total: i64 = 0;
        for p in &planned {
            total =
                total.checked_add(p.row.open).ok_or_else(|| AppError::Conflict("the collections add up beyond any real amount".into()))?;
            let lang: Language = p.row.language.parse().unwrap_or(self.provider.default_language);
            let tx = DirectDebitTransaction {
                end_to_end_id: p.end_to_end_id.clone(),
                amount_cents: p.row.open,
                mandate_reference: p.row.reference.clone(),
                mandate_signed_on: p.row.signed_on,
                amendment: p.amendment.clone(),
                debtor_name: p.row.debtor_name.clone(),
                debtor_iban: p.row.iban.clone(),
                debtor_bic: p.row.bic.clone(),
                remittance: format!("{} {}", loket_i18n::t(lang, "billing-kind-invoice"), p.row.number),
            };
            by_sequence.entry(p.sequence.code()).or_insert_with(|| (p.sequence, Vec::new())).1.push(tx);
        }
        // FRST before RCUR (BTreeMap order of the codes).
        let payments: Vec<PaymentInfo> = by_sequence
            .into_values()
            .map(|(sequence, transactions)| PaymentInfo {
                payment_info_id: sepa::payment_info_id(&message_id, sequence),
                sequence: bank_sequence(sequence),
                collection_date,
                transactions,
            })
            .collect();
        let batch = DirectDebitBatch {
            message_id: message_id.clone(),
            created_at: self.clock.now(),
            initiating_party: self.provider.legal_name.clone(),
            creditor_name: self.provider.legal_name.clone(),
            creditor_iban,
            creditor_bic: self.provider.bic.clone(),
            creditor_id: creditor_id.clone(),
            payments,
        };
        let xml = write_pain008(&batch, version).map_err(|e| {
            let who = collection_at(&planned, &batch, e.field());
            AppError::Conflict(format!("the direct-debit file cannot be written{who}: {e}"))
        })?;
        let file_name = format!("{message_id}.xml");
        let sha256 = hex::encode(Sha256::digest(xml.as_bytes()));
        let by = actor.to_string();
        let batch_id = debits::insert_batch(
            &mut tx,
            &NewBatch {
                message_id: &message_id,
                collection_date,
                pain_version: version.name(),
                collections: planned.len() as i64,
                total,
                file_name: &file_name,
                content: &xml,
                sha256: &sha256,
                created_by: &by,
            },
        )
        .await?;
        let new: Vec<NewDebit> = planned
            .iter()
            .map(|p| NewDebit {
                invoice_id: p.row.invoice_id,
                mandate_id: p.row.mandate_id,
                customer_id: p.row.customer_id,
                amount: p.row.open,
                sequence: p.sequence.code(),
                payment_info_id: sepa::payment_info_id(&message_id, p.sequence),
                end_to_end_id: p.end_to_end_id.clone(),
                original_reference: p.amendment.as_ref().and(p.row.original_reference.clone()),
                original_iban: p.amendment.as_ref().and(p.row.original_iban.clone()),
            })
            .collect();
        debits::insert_debits(&mut tx, batch_id, &new).await?;
        loket_store::billing::sepa::collected(&mut tx, &mandate_ids, collection_date).await?;

        // The pre-notification: per debtor, what is collected, when, under which mandate.
        let mut per_customer: HashMap<i64, DirectDebitAnnounced> = HashMap::new();
        for p in &planned {
            let n = per_customer.entry(p.row.customer_id).or_insert_with(|| DirectDebitAnnounced {
                amount: 0,
                collection_date,
                mandate_reference: p.row.reference.clone(),
                creditor_id: creditor_id.clone(),
                iban: sepa::short_iban(&p.row.iban),
                invoices: Vec::new(),
            });
            n.amount = n
                .amount
                .checked_add(p.row.open)
                .ok_or_else(|| AppError::Conflict("a debtor's collections add up beyond any real amount".into()))?;
            n.invoices.push(Applied { number: p.row.number.clone(), amount: p.row.open });
        }
        let mut notices: Vec<(i64, Notice)> = per_customer.into_iter().map(|(c, n)| (c, Notice::DirectDebitAnnounced(n))).collect();
        notices.sort_by_key(|(c, _)| *c);
        payments::notify(&mut tx, &notices).await?;

        let first = planned.iter().filter(|p| p.sequence == SequenceType::First).count();
        let summary = ExportSummary {
            batch_id,
            message_id,
            collection_date,
            pain_version: version.name(),
            file_name,
            collections: planned.len(),
            total,
            first,
            recurring: planned.len() - first,
            debtors: notices.len(),
            expired_mandates: expired.len(),
        };
        audit(&mut tx, actor, "sepa.export", "direct_debit_batch", batch_id, serde_json::to_value(&summary).unwrap_or(json!({}))).await?;
        loket_store::commit(tx).await?;
        tracing::info!(message_id = %summary.message_id, collections = summary.collections, total = summary.total, "direct-debit file made");
        Ok((xml.into_bytes(), summary))
    }
}

/// " (invoice F…, customer C…)" for a path like `payments[1].transactions[0].debtor_iban`.
fn collection_at(planned: &[Planned<'_>], batch: &DirectDebitBatch, field: &str) -> String {
    let index = |key: &str| -> Option<usize> { field.split(key).nth(1)?.split(']').next()?.parse().ok() };
    let (Some(p), Some(t)) = (index("payments["), index("transactions[")) else { return String::new() };
    let Some(e2e) = batch.payments.get(p).and_then(|p| p.transactions.get(t)).map(|t| &t.end_to_end_id) else { return String::new() };
    planned
        .iter()
        .find(|x| &x.end_to_end_id == e2e)
        .map(|x| format!(" (invoice {}, customer {})", x.row.number, x.row.customer_number))
        .unwrap_or_default()
}
