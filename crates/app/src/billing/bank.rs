//! Bank statements imported: every credit on the provider's account matched to what a customer
//! owes (`loket_domain::billing::reconcile`) and booked through the one payment path, or left
//! for staff with suggestions. A statement is checked whole before anything is booked (its
//! account must be the provider's); each entry is recorded in the transaction that books it,
//! under a key that stays the same in an overlapping statement, so importing a file twice —
//! or again after a crash half-way — books nothing twice.

use std::collections::HashSet;

use jiff::civil::Date;
use loket_bank::{Direction, Entry, Statement};
use loket_domain::billing::reconcile::{self, Credit, Decision, Matcher, Payable};
use loket_domain::{FieldError, Money};
use loket_store::Conn;
use loket_store::audit::Actor;
use loket_store::billing::bank::{self as store, NewEntry, NewStatement};
use loket_store::billing::documents::{self as docs, DocState};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::billing::{AppError, Billing};

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
}

fn invalid(message: impl Into<String>) -> AppError {
    AppError::Invalid(vec![FieldError::new("file", message)])
}

fn normalise_iban(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect()
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
        let Some(own) = self.provider.iban.as_deref().map(normalise_iban) else {
            return Err(invalid("the provider has no IBAN configured (provider.iban): there is no account to read statements of"));
        };
        for s in &statements {
            let account = s.account.iban.clone().or_else(|| s.account.other_id.clone()).unwrap_or_default();
            if normalise_iban(&account) != own {
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
        for s in &statements {
            self.import_one(actor, s, file_name, &sha256, currency, &mut matcher, &mut report).await?;
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
        matcher: &mut Matcher,
        report: &mut ImportReport,
    ) -> Result<(), AppError> {
        let credits: Vec<&Entry> = s.entries.iter().filter(|e| bookable(e, currency)).collect();
        report.credits += credits.len();
        let not_for_booking = s.entries.len() - credits.len();
        report.not_for_booking += not_for_booking;
        let account = s.account.iban.clone().unwrap_or_default();
        let format = match &s.format {
            loket_bank::Format::Camt053 { .. } => "camt053",
            loket_bank::Format::Mt940 => "mt940",
            loket_bank::Format::Mt942 => "mt942",
        };
        let mut statement_id = None;
        let (mut booked, mut unmatched, mut seen) = (0i64, 0i64, 0i64);
        for chunk in credits.chunks(CHUNK) {
            let mut tx = self.begin_issuing().await?;
            let keys: Vec<String> = chunk.iter().map(|e| e.entry_key.clone()).collect();
            let known = store::known_entries(&mut tx, &keys).await?;
            let id = match statement_id {
                Some(id) => id,
                None => {
                    let by = actor.to_string();
                    let new = NewStatement { account: &account, statement_ref: &s.id, format, file_name, sha256, imported_by: &by };
                    store::insert_statement(&mut tx, &new).await?
                }
            };
            let catalog = self.catalog(&mut tx).await?;
            let mut in_chunk = HashSet::new();
            for e in chunk {
                if known.contains(&e.entry_key) || !in_chunk.insert(e.entry_key.clone()) {
                    seen += 1;
                    continue;
                }
                let mut sp = loket_store::savepoint(&mut tx).await?;
                match self.book_entry(&mut sp, &catalog, actor, id, e, matcher).await {
                    Ok(Some(amount)) => {
                        loket_store::release(sp).await?;
                        booked += 1;
                        report.amount_booked += amount;
                    }
                    Ok(None) => {
                        loket_store::release(sp).await?;
                        unmatched += 1;
                    }
                    Err(AppError::Store(e)) => return Err(AppError::Store(e)),
                    Err(err) => {
                        // A credit that cannot be booked waits for staff, never stopping the rest.
                        drop(sp);
                        tracing::warn!(entry = %e.entry_key, error = %err, "bank credit left for staff");
                        store::insert_entry(&mut tx, &self.entry_row(id, e, "unmatched", None, None, None, Vec::new())).await?;
                        unmatched += 1;
                    }
                }
            }
            statement_id = Some(id);
            store::set_statement_counts(&mut tx, id, s.entries.len() as i64, booked, unmatched, seen + not_for_booking as i64).await?;
            loket_store::commit(tx).await?;
        }
        report.booked += booked as usize;
        report.unmatched += unmatched as usize;
        report.already_imported += seen as usize;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn entry_row<'a>(
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

    /// Matches and books one credit; `Some(amount)` when booked, `None` when left for staff.
    async fn book_entry(
        &self,
        tx: &mut Conn,
        catalog: &loket_store::billing::catalog::Catalog,
        actor: &Actor,
        statement_id: i64,
        e: &Entry,
        matcher: &mut Matcher,
    ) -> Result<Option<i64>, AppError> {
        let credit = Credit {
            amount: e.amount,
            reference: e.structured_reference.as_deref(),
            remittance: &e.remittance,
            counterparty_iban: e.counterparty.iban.as_deref(),
        };
        let (invoice_id, customer_id, by) = match matcher.decide(&credit) {
            Decision::Invoice { invoice_id, customer_id, by } => (Some(invoice_id), customer_id, by),
            Decision::Customer { customer_id, by } => (None, customer_id, by),
            Decision::Unmatched { suggestions } => {
                store::insert_entry(tx, &self.entry_row(statement_id, e, "unmatched", None, None, None, suggestions)).await?;
                return Ok(None);
            }
        };
        let payment = self.book_credit(tx, catalog, actor, customer_id, invoice_id, e.amount, e.booking_date, e).await?;
        let mut row = self.entry_row(statement_id, e, "booked", Some(by.name()), invoice_id, Some(customer_id), Vec::new());
        row.payment_id = Some(payment);
        store::insert_entry(tx, &row).await?;
        if let Some(id) = invoice_id {
            matcher.paid(id, e.amount);
        }
        Ok(Some(e.amount))
    }

    /// Books `amount` for the customer, on `invoice_id` while it is still open.
    #[allow(clippy::too_many_arguments)]
    async fn book_credit(
        &self,
        tx: &mut Conn,
        catalog: &loket_store::billing::catalog::Catalog,
        actor: &Actor,
        customer_id: i64,
        invoice_id: Option<i64>,
        amount: i64,
        received: Date,
        e: &Entry,
    ) -> Result<i64, AppError> {
        let customer = loket_store::customers::customer(tx, customer_id).await?.ok_or(AppError::NotFound("customer"))?;
        let invoice = match invoice_id {
            Some(id) => docs::document(tx, id).await?.filter(|d| d.state == DocState::Open && d.customer_id == customer_id),
            None => None,
        };
        let reference = e.structured_reference.clone().or_else(|| e.end_to_end_id.clone()).or_else(|| e.bank_reference.clone());
        let reference = reference.map(|r| r.chars().take(140).collect::<String>());
        let money = Money::new(amount, self.provider.currency);
        let result =
            self.book_payment(tx, catalog, actor, &customer, invoice, money, "bank_transfer", received, reference.as_deref()).await?;
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
            .book_payment(&mut tx, &catalog, actor, &customer, invoice, money, "bank_transfer", received, entry.reference.as_deref())
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
