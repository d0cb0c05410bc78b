//! What a bank statement says of Loket's collections. The bank credits a file in one amount
//! (its message id or a payment's id in the reference or text, for the sum of what it still
//! collects), or each collection by its end-to-end id: every collection it covers is booked as
//! a payment with the method `direct_debit` through the one payment path. A collection that
//! comes back (money out with its end-to-end id — a return, or a reversal — and the reason code)
//! is undone: a negative payment, the invoice open again, the collection `returned` with its
//! reason (a returned first collection makes the mandate's next one FRST again), the customer
//! told.
//! Each entry is recorded in the transaction that books it, so nothing is booked twice.

use std::collections::{HashMap, HashSet};

use loket_bank::{Direction, Entry, Statement};
use loket_domain::Money;
use loket_domain::billing::notice::{DirectDebitReturned, Notice};
use loket_domain::billing::sepa;
use loket_store::Conn;
use loket_store::audit::Actor;
use loket_store::billing::bank as bank_store;
use loket_store::billing::catalog::Catalog;
use loket_store::billing::documents::{self as docs, DocState};
use loket_store::billing::payments;
use loket_store::billing::sepa::debits::{self, Debit};
use serde_json::json;

use crate::billing::ops::audit;
use crate::billing::{AppError, Billing};

/// How a collection's money is booked.
pub const DIRECT_DEBIT: &str = "direct_debit";

/// The collections a statement file names, by end-to-end id, payment id and message id; each
/// is claimed by one entry at most.
#[derive(Debug, Default)]
pub struct Named {
    by_end_to_end: HashMap<String, Debit>,
    by_group: HashMap<String, Vec<Debit>>,
    claimed: HashSet<i64>,
    returned: HashSet<i64>,
}

/// The references of an entry that may name a collection, a payment or a file.
fn tokens(e: &Entry) -> impl Iterator<Item = &str> {
    [e.end_to_end_id.as_deref(), e.structured_reference.as_deref(), e.bank_reference.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|t| sepa::names_a_collection(t))
        .chain(sepa::collection_tokens(&e.remittance))
}

impl Named {
    /// Reads what the entries of `statements` name (nothing at all for a statement that names
    /// no collection: the common credit costs no query).
    pub async fn load(conn: &mut Conn, statements: &[Statement]) -> Result<Named, AppError> {
        let mut names: Vec<String> = statements.iter().flat_map(|s| &s.entries).flat_map(tokens).map(str::to_string).collect();
        names.sort();
        names.dedup();
        let mut named = Named::default();
        if names.is_empty() {
            return Ok(named);
        }
        for d in debits::by_end_to_end(conn, &names).await? {
            named.by_end_to_end.insert(d.end_to_end_id.clone(), d);
        }
        for d in debits::by_payment_info(conn, &names).await? {
            named.by_group.entry(d.payment_info_id.clone()).or_default().push(d);
        }
        for d in debits::by_message_id(conn, &names).await? {
            named.by_group.entry(d.message_id.clone()).or_default().push(d);
        }
        Ok(named)
    }

    /// The collections credit `e` pays: the one its end-to-end id names, for its amount; else
    /// those of the payment or file it names that wait for the bank's credit, for their sum.
    pub fn claim_credit(&mut self, e: &Entry) -> Option<Vec<Debit>> {
        let waiting = |d: &Debit, claimed: &HashSet<i64>| d.state == "collected" && d.payment_id.is_none() && !claimed.contains(&d.id);
        if let Some(d) = e.end_to_end_id.as_deref().and_then(|id| self.by_end_to_end.get(id.trim()))
            && waiting(d, &self.claimed)
            && d.amount == e.amount
        {
            self.claimed.insert(d.id);
            return Some(vec![d.clone()]);
        }
        for t in tokens(e) {
            let Some(group) = self.by_group.get(t) else { continue };
            let open: Vec<Debit> = group.iter().filter(|d| waiting(d, &self.claimed)).cloned().collect();
            let sum = open.iter().try_fold(0i64, |s, d| s.checked_add(d.amount));
            if !open.is_empty() && sum == Some(e.amount) {
                self.claimed.extend(open.iter().map(|d| d.id));
                return Some(open);
            }
        }
        None
    }

    /// The collection money out `e` returns: a debit (a return, or a reversal of the file's
    /// credit, which the bank books as money out) with its end-to-end id. As read before the
    /// import: the caller reads it again in the transaction that undoes it.
    pub fn claim_return(&mut self, e: &Entry) -> Option<Debit> {
        if e.direction != Direction::Debit {
            return None;
        }
        let d = self.by_end_to_end.get(e.end_to_end_id.as_deref()?.trim())?;
        self.returned.insert(d.id).then(|| d.clone())
    }
}

impl Billing {
    /// Books the collections a credit covers, each as a payment on its invoice (or, when that
    /// was settled otherwise meanwhile, on the customer); returns how many.
    pub(crate) async fn book_collections(
        &self,
        tx: &mut Conn,
        catalog: &Catalog,
        actor: &Actor,
        e: &Entry,
        collections: &[Debit],
    ) -> Result<usize, AppError> {
        for d in collections {
            let customer = loket_store::customers::customer(tx, d.customer_id).await?.ok_or(AppError::NotFound("customer"))?;
            let invoice = docs::document(tx, d.invoice_id).await?.filter(|i| i.state == DocState::Open && i.customer_id == d.customer_id);
            let money = Money::new(d.amount, self.provider.currency);
            let paid = self
                .book_payment(tx, catalog, actor, &customer, invoice, money, DIRECT_DEBIT, e.booking_date, Some(&d.end_to_end_id))
                .await?;
            if !debits::set_paid(tx, d.id, paid.payment_id).await? {
                return Err(AppError::Conflict(format!("collection {} was booked meanwhile", d.end_to_end_id)));
            }
        }
        Ok(collections.len())
    }

    /// Undoes the collection `e` returns, read again in `tx`; returns it with the negative
    /// payment, if the credit had been booked (a collection returned before the bank credited
    /// it has nothing to undo), or `None` when it came back before.
    pub(crate) async fn return_collection(
        &self,
        tx: &mut Conn,
        actor: &Actor,
        e: &Entry,
    ) -> Result<Option<(Debit, Option<i64>)>, AppError> {
        let Some(e2e) = e.end_to_end_id.as_deref().map(str::trim) else { return Ok(None) };
        let Some(d) = debits::by_end_to_end(tx, &[e2e.to_string()]).await?.pop().filter(|d| d.state == "collected") else {
            return Ok(None);
        };
        let reason = sepa::return_reason(e.return_reason.as_deref());
        let currency = self.provider.currency;
        let mut reversed = None;
        if d.payment_id.is_some() {
            // What the collection paid on the invoice is open again; what went to the credit
            // balance (the invoice was settled otherwise meanwhile) is taken back from it.
            let id = crate::billing::money::take_back(
                tx,
                currency,
                d.customer_id,
                d.invoice_id,
                d.amount,
                DIRECT_DEBIT,
                e.booking_date,
                &d.end_to_end_id,
                "direct_debit_return",
            )
            .await?;
            reversed = Some(id);
        }
        if !debits::set_returned(tx, d.id, &reason, e.booking_date, reversed).await? {
            return Err(AppError::Conflict(format!("collection {} came back already", d.end_to_end_id)));
        }
        loket_store::billing::sepa::restore_amendment(tx, d.mandate_id, d.original_reference.as_deref(), d.original_iban.as_deref())
            .await?;
        let notice = DirectDebitReturned {
            number: d.number.clone(),
            amount: d.amount,
            reason: reason.clone(),
            returned: e.booking_date,
            invoice_id: d.invoice_id,
        };
        payments::notify(tx, &[(d.customer_id, Notice::DirectDebitReturned(notice))]).await?;
        audit(
            tx,
            actor,
            "sepa.return",
            "direct_debit",
            d.id,
            json!({"invoice": d.number, "amount": d.amount, "reason": reason, "end_to_end_id": d.end_to_end_id,
                   "returned_on": e.booking_date.to_string(), "payment": reversed}),
        )
        .await?;
        Ok(Some((d, reversed)))
    }
}

/// What the direct-debit entries of a statement came to.
#[derive(Debug, Default)]
pub(crate) struct CollectionEntries {
    pub booked: i64,
    pub unmatched: i64,
    pub seen: i64,
    pub amount: i64,
    pub collections: usize,
    pub returned: usize,
}

impl Billing {
    /// Books the credits of collections and undoes the collections that came back, in the
    /// caller's issuing transaction: each entry once (by its key), each in a savepoint, so that
    /// one that cannot be booked waits for staff without stopping the rest.
    pub(crate) async fn book_collection_entries(
        &self,
        tx: &mut Conn,
        actor: &Actor,
        statement_id: i64,
        collected: &[(&Entry, Vec<Debit>)],
        returns: &[&Entry],
    ) -> Result<CollectionEntries, AppError> {
        let keys: Vec<String> =
            collected.iter().map(|(e, _)| e.entry_key.clone()).chain(returns.iter().map(|e| e.entry_key.clone())).collect();
        let known = bank_store::known_entries(tx, &keys).await?;
        let mut fresh = HashSet::new();
        let mut is_new = |e: &Entry| !known.contains(&e.entry_key) && fresh.insert(e.entry_key.clone());
        let catalog = self.catalog(tx).await?;
        let mut out = CollectionEntries::default();
        let mut rows = Vec::new();
        for (e, collections) in collected {
            if !is_new(e) {
                out.seen += 1;
                continue;
            }
            let single = |f: fn(&Debit) -> i64| (collections.len() == 1).then(|| f(&collections[0]));
            let mut sp = loket_store::savepoint(tx).await?;
            match self.book_collections(&mut sp, &catalog, actor, e, collections).await {
                Ok(n) => {
                    loket_store::release(sp).await?;
                    let (invoice, customer) = (single(|d| d.invoice_id), single(|d| d.customer_id));
                    rows.push(self.entry_row(statement_id, e, "booked", Some(DIRECT_DEBIT), invoice, customer, Vec::new()));
                    out.booked += 1;
                    out.amount += e.amount;
                    out.collections += n;
                }
                Err(AppError::Store(err)) => return Err(AppError::Store(err)),
                Err(err) => {
                    drop(sp);
                    tracing::warn!(entry = %e.entry_key, error = %err, "direct-debit credit left for staff");
                    let suggestions = collections.iter().map(|d| d.invoice_id).collect();
                    rows.push(self.entry_row(statement_id, e, "unmatched", None, None, None, suggestions));
                    out.unmatched += 1;
                }
            }
        }
        for e in returns {
            if !is_new(e) {
                out.seen += 1;
                continue;
            }
            let mut sp = loket_store::savepoint(tx).await?;
            match self.return_collection(&mut sp, actor, e).await {
                Ok(Some((d, reversed))) => {
                    loket_store::release(sp).await?;
                    let mut row = self.entry_row(
                        statement_id,
                        e,
                        "booked",
                        Some("direct_debit_return"),
                        Some(d.invoice_id),
                        Some(d.customer_id),
                        Vec::new(),
                    );
                    row.payment_id = reversed;
                    rows.push(row);
                    out.booked += 1;
                    out.returned += 1;
                }
                // Came back before (another entry said so): nothing to book.
                Ok(None) => {
                    loket_store::release(sp).await?;
                    out.seen += 1;
                }
                Err(AppError::Store(err)) => return Err(AppError::Store(err)),
                Err(err) => {
                    drop(sp);
                    tracing::warn!(entry = %e.entry_key, error = %err, "direct-debit return not booked");
                    out.seen += 1;
                }
            }
        }
        bank_store::insert_entries(tx, &rows).await?;
        Ok(out)
    }
}
