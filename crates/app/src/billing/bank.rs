//! Bank statements imported: every credit on the provider's account matched to what a customer
//! owes (`loket_domain::billing::reconcile`) and booked through the one payment path, or left
//! for staff with suggestions. A statement is checked whole before anything is booked (its
//! account must be the provider's); each entry is recorded in the transaction that books it,
//! under a key that stays the same in an overlapping statement, so importing a file twice —
//! or again after a crash half-way — books nothing twice.

use std::collections::HashSet;

use jiff::civil::Date;
use loket_bank::{Direction, Entry, Statement};
use loket_domain::billing::notice::{Applied, Notice, PaymentReceived};
use loket_domain::billing::reconcile::{self, Credit, Decision, MatchedBy, Matcher, Payable};
use loket_domain::{FieldError, Money};
use loket_store::Conn;
use loket_store::audit::Actor;
use loket_store::billing::bank::{self as store, NewEntry, NewStatement};
use loket_store::billing::booking;
use loket_store::billing::documents::{self as docs, DocKind, DocState, Document};
use loket_store::billing::payments as payments_store;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::billing::sepa::collect::Named;
use crate::billing::{AppError, Billing};
use loket_store::billing::sepa::debits::Debit;

/// The largest statement file read (50 MB).
pub const MAX_STATEMENT_BYTES: usize = loket_bank::MAX_BYTES;

/// Credits booked per transaction: the issuing lock is held this long at most.
const CHUNK: usize = 500;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub statements: usize,
    /// Credits (money in) in the file.
    pub credits: usize,
    pub booked: usize,
    /// Waiting for staff.
    pub unmatched: usize,
    /// Seen in an earlier import (the same or an overlapping statement).
    pub already_imported: usize,
    /// Money out, and credits in another currency than the provider bills in.
    pub not_for_booking: usize,
    /// The money booked, in minor units.
    pub amount_booked: i64,
    /// Direct-debit collections the bank credited (booked as payments), and those that came back.
    pub collections_credited: usize,
    pub collections_returned: usize,
}

fn invalid(message: impl Into<String>) -> AppError {
    AppError::Invalid(vec![FieldError::new("file", message)])
}

/// How money from a bank statement is recorded.
const BANK_TRANSFER: &str = "bank_transfer";

/// What a chunk of credits came to.
#[derive(Debug, Default)]
struct Booked {
    booked: i64,
    unmatched: i64,
    amount: i64,
}

/// The payment's reference: the credit's structured reference, else its end-to-end id, else
/// the bank's reference (at most 140 characters).
fn payment_reference(e: &Entry) -> Option<String> {
    let reference = e.structured_reference.as_deref().or(e.end_to_end_id.as_deref()).or(e.bank_reference.as_deref())?;
    Some(reference.chars().take(140).collect())
}

/// Whether an entry is money in that Loket books: a credit in the provider's currency that is
/// not the reversal of something.
fn bookable(e: &Entry, currency: &str) -> bool {
    e.direction == Direction::Credit && !e.reversal && e.currency == currency && e.amount > 0
}

impl Billing {
    /// Imports the statements in `bytes` (camt.053 or MT940): everything checked first, then
    /// each credit matched and booked or left for staff.
    pub async fn import_statement(&self, actor: &Actor, file_name: Option<&str>, bytes: &[u8]) -> Result<ImportReport, AppError> {
        let statements = loket_bank::parse(bytes).map_err(|e| invalid(e.to_string()))?;
        let Some(own) = self.provider.iban.as_deref().map(reconcile::normalise) else {
            return Err(invalid("the provider has no IBAN configured (provider.iban): there is no account to read statements of"));
        };
        for s in &statements {
            let account = s.account.iban.clone().or_else(|| s.account.other_id.clone()).unwrap_or_default();
            if reconcile::normalise(&account) != own {
                return Err(invalid(format!(
                    "statement {} is of account {}, not of the provider's account {own}: nothing imported",
                    s.id,
                    if account.is_empty() { "(none given)" } else { account.as_str() }
                )));
            }
        }
        let sha256 = hex::encode(Sha256::digest(bytes));
        let currency = self.provider.currency.code();
        let mut report = ImportReport { statements: statements.len(), ..ImportReport::default() };
        let mut matcher = self.matcher(&statements, currency).await?;
        let mut named = Named::load(&mut *self.store.acquire().await?, &statements).await?;
        for s in &statements {
            self.import_one(actor, s, file_name, &sha256, currency, (&mut matcher, &mut named), &mut report).await?;
        }
        Ok(report)
    }

    /// Everything the file's credits may pay: the open invoices, the invoices they name, and
    /// the accounts customers pay from.
    async fn matcher(&self, statements: &[Statement], currency: &str) -> Result<Matcher, AppError> {
        let mut conn = self.store.acquire().await?;
        let mut payables = store::open_payables(&mut conn, currency).await?;
        let mut references: Vec<String> = Vec::new();
        for e in statements.iter().flat_map(|s| &s.entries).filter(|e| bookable(e, currency)) {
            references.extend(e.structured_reference.iter().map(|r| reconcile::normalise(r)));
            references.extend(reconcile::rf_tokens(&e.remittance));
        }
        // Stored references are written without spaces, in capitals: as normalised.
        references.sort();
        references.dedup();
        let open: HashSet<i64> = payables.iter().map(|p| p.invoice_id).collect();
        let named: Vec<Payable> = store::named_payables(&mut conn, &references, &[]).await?;
        payables.extend(named.into_iter().filter(|p| !open.contains(&p.invoice_id)));
        // (A paid invoice named only by its number in the text is for staff: numbers are
        // written every which way in remittances.)
        let accounts = store::customer_accounts(&mut conn).await?;
        Ok(Matcher::new(payables, &accounts))
    }

    #[allow(clippy::too_many_arguments)]
    async fn import_one(
        &self,
        actor: &Actor,
        s: &Statement,
        file_name: Option<&str>,
        sha256: &str,
        currency: &str,
        (matcher, named): (&mut Matcher, &mut Named),
        report: &mut ImportReport,
    ) -> Result<(), AppError> {
        // The bank's credits of direct-debit collections, and the collections that came back,
        // go their own way; every other credit through the matcher.
        let (mut credits, mut collected): (Vec<&Entry>, Vec<(&Entry, Vec<Debit>)>) = (Vec::new(), Vec::new());
        for e in s.entries.iter().filter(|e| bookable(e, currency)) {
            match named.claim_credit(e) {
                Some(d) => collected.push((e, d)),
                None => credits.push(e),
            }
        }
        let returns: Vec<&Entry> =
            s.entries.iter().filter(|e| !bookable(e, currency) && e.currency == currency && named.claim_return(e).is_some()).collect();
        report.credits += credits.len() + collected.len();
        let not_for_booking = s.entries.len() - credits.len() - collected.len() - returns.len();
        report.not_for_booking += not_for_booking;
        let account = s.account.iban.clone().unwrap_or_default();
        let format = match &s.format {
            loket_bank::Format::Camt053 { .. } => "camt053",
            loket_bank::Format::Mt940 => "mt940",
            loket_bank::Format::Mt942 => "mt942",
        };
        let mut statement_id = None;
        let by = actor.to_string();
        let new = NewStatement { account: &account, statement_ref: &s.id, format, file_name, sha256, imported_by: &by };
        let (mut booked, mut unmatched, mut seen) = (0i64, 0i64, 0i64);
        for chunk in credits.chunks(CHUNK) {
            let mut tx = self.begin_issuing().await?;
            let keys: Vec<String> = chunk.iter().map(|e| e.entry_key.clone()).collect();
            let known = store::known_entries(&mut tx, &keys).await?;
            let id = match statement_id {
                Some(id) => id,
                None => store::insert_statement(&mut tx, &new).await?,
            };
            let mut in_chunk = HashSet::new();
            let fresh: Vec<&Entry> = chunk
                .iter()
                .copied()
                .filter(|e| {
                    let new = !known.contains(&e.entry_key) && in_chunk.insert(e.entry_key.clone());
                    seen += i64::from(!new);
                    new
                })
                .collect();
            let done = self.book_chunk(&mut tx, actor, id, &fresh, matcher).await?;
            booked += done.booked;
            unmatched += done.unmatched;
            report.amount_booked += done.amount;
            statement_id = Some(id);
            store::set_statement_counts(&mut tx, id, s.entries.len() as i64, booked, unmatched, seen + not_for_booking as i64).await?;
            loket_store::commit(tx).await?;
        }
        if !collected.is_empty() || !returns.is_empty() {
            let mut tx = self.begin_issuing().await?;
            let id = match statement_id {
                Some(id) => id,
                None => store::insert_statement(&mut tx, &new).await?,
            };
            let done = self.book_collection_entries(&mut tx, actor, id, &collected, &returns).await?;
            (booked, unmatched, seen) = (booked + done.booked, unmatched + done.unmatched, seen + done.seen);
            report.amount_booked += done.amount;
            report.collections_credited += done.collections;
            report.collections_returned += done.returned;
            store::set_statement_counts(&mut tx, id, s.entries.len() as i64, booked, unmatched, seen + not_for_booking as i64).await?;
            loket_store::commit(tx).await?;
        }
        report.booked += booked as usize;
        report.unmatched += unmatched as usize;
        report.already_imported += seen as usize;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn entry_row<'a>(
        &self,
        statement_id: i64,
        e: &'a Entry,
        state: &'a str,
        matched_by: Option<&'a str>,
        invoice_id: Option<i64>,
        customer_id: Option<i64>,
        suggestions: Vec<i64>,
    ) -> NewEntry<'a> {
        NewEntry {
            statement_id,
            entry_key: &e.entry_key,
            booking_date: e.booking_date.to_string(),
            amount: e.amount,
            currency: &e.currency,
            counterparty_name: e.counterparty.name.as_deref(),
            counterparty_iban: e.counterparty.iban.as_deref(),
            reference: e.structured_reference.as_deref(),
            remittance: &e.remittance,
            state,
            matched_by,
            invoice_id,
            customer_id,
            payment_id: None,
            suggestions,
        }
    }

    /// Matches and books a chunk of new credits in the caller's issuing transaction. The
    /// common case — an open invoice paid in part or in full, with no service waiting for the
    /// payment and no suspension to lift — is booked for the whole chunk with a few multi-row
    /// statements; the rest (a pro forma to convert, a service to start or bring back, money
    /// beyond what is open, a payment on the customer) goes one by one through
    /// [`Billing::book_payment`], each in a savepoint so that one that cannot be booked waits
    /// for staff without stopping the others.
    async fn book_chunk(
        &self,
        tx: &mut Conn,
        actor: &Actor,
        statement_id: i64,
        fresh: &[&Entry],
        matcher: &mut Matcher,
    ) -> Result<Booked, AppError> {
        let decided: Vec<(&Entry, Decision)> = fresh
            .iter()
            .map(|e| {
                let credit = Credit {
                    amount: e.amount,
                    reference: e.structured_reference.as_deref(),
                    remittance: &e.remittance,
                    counterparty_iban: e.counterparty.iban.as_deref(),
                };
                let decision = matcher.decide(&credit);
                if let Decision::Invoice { invoice_id, .. } = decision {
                    matcher.paid(invoice_id, e.amount);
                }
                (*e, decision)
            })
            .collect();
        let mut invoice_ids: Vec<i64> = decided
            .iter()
            .filter_map(|(_, d)| if let Decision::Invoice { invoice_id, .. } = d { Some(*invoice_id) } else { None })
            .collect();
        invoice_ids.sort_unstable();
        invoice_ids.dedup();
        let documents = booking::documents(tx, &invoice_ids).await?;
        let awaiting = booking::awaiting_payment(tx, &invoice_ids).await?;
        let mut customer_ids: Vec<i64> = documents.values().map(|d| d.customer_id).collect();
        customer_ids.sort_unstable();
        customer_ids.dedup();
        let suspended = booking::suspended(tx, &customer_ids).await?;
        let numbers = booking::customer_numbers(tx, &customer_ids).await?;

        let mut done = Booked::default();
        let mut rows: Vec<NewEntry<'_>> = Vec::new();
        let mut quick: Vec<(&Entry, &Document, MatchedBy)> = Vec::new();
        let mut slow: Vec<(&Entry, Option<i64>, i64, MatchedBy)> = Vec::new();
        let mut taken = HashSet::new();
        for (e, decision) in &decided {
            match decision {
                Decision::Unmatched { suggestions } => {
                    rows.push(self.entry_row(statement_id, e, "unmatched", None, None, None, suggestions.clone()));
                    done.unmatched += 1;
                }
                Decision::Customer { customer_id, by } => slow.push((e, None, *customer_id, *by)),
                Decision::Invoice { invoice_id, customer_id, by } => match documents.get(invoice_id) {
                    Some(d)
                        if d.kind == DocKind::Invoice
                            && d.state == DocState::Open
                            && d.customer_id == *customer_id
                            && e.amount <= d.open_amount()
                            && !awaiting.contains(invoice_id)
                            && !suspended.contains(customer_id)
                            && taken.insert(*invoice_id) =>
                    {
                        quick.push((e, d, *by));
                    }
                    _ => slow.push((e, Some(*invoice_id), *customer_id, *by)),
                },
            }
        }

        // The common case, a few statements for the whole chunk.
        let references: Vec<Option<String>> = quick.iter().map(|(e, _, _)| payment_reference(e)).collect();
        let payments: Vec<booking::InvoicePayment<'_>> = quick
            .iter()
            .zip(&references)
            .map(|((e, d, _), reference)| booking::InvoicePayment {
                customer_id: d.customer_id,
                invoice_id: d.id,
                amount: e.amount,
                received_on: e.booking_date,
                reference: reference.as_deref(),
            })
            .collect();
        let payment_ids = booking::insert_invoice_payments(tx, self.provider.currency, BANK_TRANSFER, &payments).await?;
        let settled: Vec<(i64, i64, bool, Date)> =
            quick.iter().map(|(e, d, _)| (d.id, e.amount, e.amount == d.open_amount(), e.booking_date)).collect();
        docs::settle_many(tx, &settled).await?;
        let notices: Vec<(i64, Notice)> = quick
            .iter()
            .map(|(e, d, _)| {
                let applied = vec![Applied { number: d.number.clone(), amount: e.amount }];
                (
                    d.customer_id,
                    Notice::PaymentReceived(PaymentReceived { amount: e.amount, received: e.booking_date, applied, to_credit: 0 }),
                )
            })
            .collect();
        payments_store::notify(tx, &notices).await?;
        let mut audits = Vec::with_capacity(quick.len());
        for (e, d, by) in &quick {
            let payment = *payment_ids.get(&d.id).ok_or(AppError::Conflict(format!("the payment on {} was not recorded", d.number)))?;
            audits.push((
                payment,
                crate::billing::money::payment_audit(
                    numbers.get(&d.customer_id).map(String::as_str).unwrap_or_default(),
                    e.amount,
                    BANK_TRANSFER,
                    e.booking_date,
                    &[(d.number.clone(), e.amount)],
                    0,
                ),
            ));
            let mut row = self.entry_row(statement_id, e, "booked", Some(by.name()), Some(d.id), Some(d.customer_id), Vec::new());
            row.payment_id = Some(payment);
            rows.push(row);
            done.booked += 1;
            done.amount += e.amount;
        }
        booking::audit_many(tx, actor, "payment.record", "payment", &audits).await?;

        // The rest, one by one through the billing engine's payment path.
        if !slow.is_empty() {
            let catalog = self.catalog(tx).await?;
            for (e, invoice_id, customer_id, by) in slow {
                let mut sp = loket_store::savepoint(tx).await?;
                match self.book_credit(&mut sp, &catalog, actor, customer_id, invoice_id, e).await {
                    Ok(payment) => {
                        loket_store::release(sp).await?;
                        let mut row = self.entry_row(statement_id, e, "booked", Some(by.name()), invoice_id, Some(customer_id), Vec::new());
                        row.payment_id = Some(payment);
                        rows.push(row);
                        done.booked += 1;
                        done.amount += e.amount;
                    }
                    Err(AppError::Store(err)) => return Err(AppError::Store(err)),
                    Err(err) => {
                        // A credit that cannot be booked waits for staff, never stopping the rest.
                        drop(sp);
                        tracing::warn!(entry = %e.entry_key, error = %err, "bank credit left for staff");
                        let suggestions = invoice_id.into_iter().collect();
                        rows.push(self.entry_row(statement_id, e, "unmatched", None, None, None, suggestions));
                        done.unmatched += 1;
                    }
                }
            }
        }
        store::insert_entries(tx, &rows).await?;
        Ok(done)
    }

    /// Books credit `e` for the customer, on `invoice_id` while it is still open.
    async fn book_credit(
        &self,
        tx: &mut Conn,
        catalog: &loket_store::billing::catalog::Catalog,
        actor: &Actor,
        customer_id: i64,
        invoice_id: Option<i64>,
        e: &Entry,
    ) -> Result<i64, AppError> {
        let customer = loket_store::customers::customer(tx, customer_id).await?.ok_or(AppError::NotFound("customer"))?;
        let invoice = match invoice_id {
            Some(id) => docs::document(tx, id).await?.filter(|d| d.state == DocState::Open && d.customer_id == customer_id),
            None => None,
        };
        let money = Money::new(e.amount, self.provider.currency);
        let reference = payment_reference(e);
        let result =
            self.book_payment(tx, catalog, actor, &customer, invoice, money, BANK_TRANSFER, e.booking_date, reference.as_deref()).await?;
        Ok(result.payment_id)
    }

    /// Staff book a waiting credit: on an invoice (its customer's) or on a customer.
    pub async fn book_waiting_entry(
        &self,
        actor: &Actor,
        entry_id: i64,
        invoice_id: Option<i64>,
        customer_id: Option<i64>,
    ) -> Result<i64, AppError> {
        let mut tx = self.begin_issuing().await?;
        let entry = store::entry_by_id(&mut tx, entry_id).await?.ok_or(AppError::NotFound("bank entry"))?;
        if entry.state != "unmatched" {
            return Err(AppError::Conflict(format!("this credit is {} already", entry.state)));
        }
        let invoice = match invoice_id {
            Some(id) => Some(
                docs::document(&mut tx, id)
                    .await?
                    .ok_or_else(|| AppError::Invalid(vec![FieldError::new("invoice_id", "no such invoice")]))?,
            ),
            None => None,
        };
        let customer_id = match (&invoice, customer_id) {
            (Some(i), Some(c)) if i.customer_id != c => {
                return Err(AppError::Invalid(vec![FieldError::new("invoice_id", format!("{} belongs to another customer", i.number))]));
            }
            (Some(i), _) => i.customer_id,
            (None, Some(c)) => c,
            (None, None) => {
                return Err(AppError::Invalid(vec![FieldError::new("invoice_id", "name the invoice or the customer this credit pays")]));
            }
        };
        let customer = loket_store::customers::customer(&mut tx, customer_id)
            .await?
            .ok_or_else(|| AppError::Invalid(vec![FieldError::new("customer_id", "no such customer")]))?;
        let received: Date = entry.booking_date.parse().map_err(|_| AppError::Conflict("the entry's booking date is unreadable".into()))?;
        let catalog = self.catalog(&mut tx).await?;
        let invoice = invoice.filter(|d| d.state == DocState::Open);
        let invoice_id = invoice.as_ref().map(|d| d.id);
        let money = Money::new(entry.amount, self.provider.currency);
        let result = self
            .book_payment(&mut tx, &catalog, actor, &customer, invoice, money, BANK_TRANSFER, received, entry.reference.as_deref())
            .await?;
        if !store::resolve_entry(&mut tx, entry_id, "booked", invoice_id, Some(customer_id), Some(result.payment_id)).await? {
            return Err(AppError::Conflict("this credit was handled meanwhile".into()));
        }
        loket_store::commit(tx).await?;
        Ok(result.payment_id)
    }

    /// Staff say a waiting credit is not a customer's payment (it stays recorded, booked on no one).
    pub async fn dismiss_waiting_entry(&self, actor: &Actor, entry_id: i64) -> Result<(), AppError> {
        let mut tx = self.store.begin().await?;
        if !store::resolve_entry(&mut tx, entry_id, "dismissed", None, None, None).await? {
            return Err(AppError::Conflict("this credit is not waiting (handled already, or there is no such credit)".into()));
        }
        crate::billing::ops::audit(&mut tx, actor, "bank.dismiss", "bank_entry", entry_id, serde_json::json!({})).await?;
        loket_store::commit(tx).await?;
        Ok(())
    }
}
