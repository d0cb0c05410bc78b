//! One `<Ntry>` of a camt.053 statement and its transactions (`<TxDtls>`) into booked entries:
//! a batch whose transactions carry their own amounts becomes one entry per transaction, and each
//! entry's counterparty is picked from the debtor and creditor.

use std::borrow::Cow;

use super::{Stmt, Text, date_of, owned, set};
use crate::values::{self, find_rf, iban_shape, is_currency, parse_amount};
use crate::{Direction, Entry, Location, ParseError, Party};

#[derive(Default)]
pub(super) struct Ntry<'a> {
    index: usize,
    amount: Option<(Cow<'a, str>, Option<String>)>,
    cdi: Text<'a>,
    reversal: Text<'a>,
    status: Text<'a>,
    booking: Text<'a>,
    value: Text<'a>,
    reference: Text<'a>,
    domain: [Text<'a>; 3],
    proprietary: Text<'a>,
    info: Text<'a>,
}

#[derive(Default)]
pub(super) struct Tx<'a> {
    end_to_end: Text<'a>,
    reference: Text<'a>,
    amount: Option<(Cow<'a, str>, Option<String>)>,
    tx_amount: Option<(Cow<'a, str>, Option<String>)>,
    cdi: Text<'a>,
    debtor: PartyParts<'a>,
    creditor: PartyParts<'a>,
    unstructured: Vec<Cow<'a, str>>,
    creditor_ref: Text<'a>,
    additional_remittance: Vec<Cow<'a, str>>,
    return_reason: Text<'a>,
    info: Text<'a>,
}

#[derive(Default)]
struct PartyParts<'a> {
    name: Text<'a>,
    ultimate: Text<'a>,
    iban: Text<'a>,
    bic: Text<'a>,
}

impl PartyParts<'_> {
    fn is_empty(&self) -> bool {
        self.name.is_none() && self.ultimate.is_none() && self.iban.is_none() && self.bic.is_none()
    }

    fn party(self) -> Party {
        Party {
            name: owned(self.name.or(self.ultimate)),
            iban: self.iban.map(|i| iban_shape(&i).unwrap_or_else(|| i.to_ascii_uppercase())),
            bic: self.bic.map(|b| b.to_ascii_uppercase()),
        }
    }
}

impl<'a> Ntry<'a> {
    /// The `index`-th `<Ntry>` of its statement, from 1.
    pub(super) fn new(index: usize) -> Self {
        Ntry { index, ..Ntry::default() }
    }

    pub(super) fn field(&mut self, rel: &str, value: Cow<'a, str>, ccy: Option<String>) {
        let slot = match rel {
            "/Amt" => {
                if self.amount.is_none() {
                    self.amount = Some((value, ccy));
                }
                return;
            }
            "/CdtDbtInd" => &mut self.cdi,
            "/RvslInd" => &mut self.reversal,
            "/Sts" | "/Sts/Cd" | "/Sts/Prtry" => &mut self.status,
            "/BookgDt/Dt" | "/BookgDt/DtTm" => &mut self.booking,
            "/ValDt/Dt" | "/ValDt/DtTm" => &mut self.value,
            "/AcctSvcrRef" => &mut self.reference,
            "/BkTxCd/Domn/Cd" => &mut self.domain[0],
            "/BkTxCd/Domn/Fmly/Cd" => &mut self.domain[1],
            "/BkTxCd/Domn/Fmly/SubFmlyCd" => &mut self.domain[2],
            "/BkTxCd/Prtry/Cd" => &mut self.proprietary,
            "/AddtlNtryInf" => &mut self.info,
            _ => return,
        };
        set(slot, value);
    }

    /// Adds the entry's booked entries to `out`, made with its transactions `txs` (taken): one, or
    /// one per transaction of a batch. `false` when the entry is not booked.
    pub(super) fn finish(self, stmt: &Stmt<'_>, txs: &mut Vec<Tx<'a>>, out: &mut Vec<Entry>) -> Result<bool, ParseError> {
        let bad = |what: String| ParseError::invalid(Location::Entry { statement: stmt.label(), entry: self.index }, what);
        let status = self.status.as_deref().ok_or_else(|| bad("the entry has no status (Sts)".into()))?;
        if !status.eq_ignore_ascii_case("BOOK") {
            return Ok(false);
        }
        let (text, ccy) = self.amount.as_ref().ok_or_else(|| bad("the entry has no amount".into()))?;
        let ccy = ccy.clone().filter(|c| is_currency(c)).ok_or_else(|| bad("the amount has no currency".into()))?;
        let amount = parse_amount(text, '.', &ccy).map_err(|e| bad(e.explain(text, &ccy)))?;
        let direction = direction_of(self.cdi.as_deref()).ok_or_else(|| bad(format!("CdtDbtInd is {:?}, not CRDT or DBIT", self.cdi)))?;
        let reversal = matches!(self.reversal.as_deref(), Some("true" | "1"));
        let booking = self.booking.as_ref().or(self.value.as_ref()).ok_or_else(|| bad("the entry has no booking date".into()))?;
        let booking_date = date_of(booking).ok_or_else(|| bad(format!("booking date \"{}\" is not a date", values::sample(booking))))?;
        let value_date = match &self.value {
            Some(v) => Some(date_of(v).ok_or_else(|| bad(format!("value date \"{}\" is not a date", values::sample(v))))?),
            None => None,
        };
        let bank_code = match &self.domain {
            [Some(d), Some(f), Some(s)] => Some([d.as_ref(), f, s].join("-")),
            _ => self.proprietary.clone().map(Cow::into_owned),
        };
        let base = Entry {
            amount,
            direction,
            currency: ccy,
            booking_date,
            value_date,
            bank_reference: owned(self.reference),
            end_to_end_id: None,
            structured_reference: None,
            remittance: String::new(),
            counterparty: Party::default(),
            reversal,
            return_reason: None,
            bank_code,
            entry_key: String::new(),
        };
        let split = if txs.len() > 1 { split_amounts(txs, &base).map_err(bad)? } else { None };
        let own = stmt.iban.as_deref();
        let info = self.info.as_deref();
        match split {
            Some(parts) => {
                for (tx, (amount, direction)) in txs.drain(..).zip(parts) {
                    out.push(with_details(Entry { amount, direction, ..base.clone() }, tx, own, info));
                }
            }
            None if txs.len() == 1 => out.extend(txs.pop().map(|tx| with_details(base, tx, own, info))),
            None => {
                // No details, or a batch without per-transaction amounts: one entry for the sum,
                // with every transaction's text but no single counterparty or reference.
                let batch = !txs.is_empty();
                let texts: Vec<String> = txs.drain(..).map(|mut tx| remittance_of(&mut tx)).filter(|t| !t.is_empty()).collect();
                let remittance = if texts.is_empty() { info.unwrap_or_default().to_string() } else { texts.join("\n") };
                let structured_reference = if batch { None } else { find_rf(&remittance) };
                out.push(Entry { remittance, structured_reference, ..base });
            }
        }
        Ok(true)
    }
}

fn direction_of(cdi: Option<&str>) -> Option<Direction> {
    match cdi {
        Some("CRDT") => Some(Direction::Credit),
        Some("DBIT") => Some(Direction::Debit),
        _ => None,
    }
}

/// Each transaction's own amount and direction, when every transaction of the batch has one in
/// the entry's currency and they add up to the entry; otherwise `None` (the batch stays whole).
fn split_amounts(txs: &[Tx<'_>], entry: &Entry) -> Result<Option<Vec<(i64, Direction)>>, String> {
    let mut parts = Vec::with_capacity(txs.len());
    let mut sum: i64 = 0;
    for (i, tx) in txs.iter().enumerate() {
        let Some((text, Some(ccy))) = tx.amount.as_ref().or(tx.tx_amount.as_ref()) else { return Ok(None) };
        if *ccy != entry.currency {
            return Ok(None);
        }
        let amount = parse_amount(text, '.', ccy).map_err(|e| format!("transaction {}: {}", i + 1, e.explain(text, ccy)))?;
        let direction = direction_of(tx.cdi.as_deref()).unwrap_or(entry.direction);
        let signed = if direction == Direction::Credit { amount } else { -amount };
        sum = sum.checked_add(signed).ok_or("the transactions add up beyond any real amount")?;
        parts.push((amount, direction));
    }
    Ok((sum == entry.signed_amount()).then_some(parts))
}

/// The `Ustrd` lines, else the structured block's additional text, else the transaction's.
fn remittance_of(tx: &mut Tx<'_>) -> String {
    let lines = if tx.unstructured.is_empty() { &mut tx.additional_remittance } else { &mut tx.unstructured };
    match lines.len() {
        0 => tx.info.take().map(Cow::into_owned).unwrap_or_default(),
        1 => lines.pop().map(Cow::into_owned).unwrap_or_default(),
        _ => lines.join("\n"),
    }
}

fn with_details(mut entry: Entry, mut tx: Tx<'_>, own_iban: Option<&str>, entry_info: Option<&str>) -> Entry {
    entry.remittance = remittance_of(&mut tx);
    if entry.remittance.is_empty() {
        entry.remittance = entry_info.unwrap_or_default().to_string();
    }
    entry.end_to_end_id = owned(tx.end_to_end.filter(|e| !e.eq_ignore_ascii_case("NOTPROVIDED")));
    entry.structured_reference = owned(tx.creditor_ref).or_else(|| find_rf(&entry.remittance));
    entry.return_reason = owned(tx.return_reason);
    if let Some(reference) = tx.reference {
        entry.bank_reference = Some(reference.into_owned());
    }
    let returned = entry.reversal || entry.return_reason.is_some();
    let debtor_side = counterparty_is_debtor(&tx.debtor, &tx.creditor, entry.direction, returned, own_iban);
    entry.counterparty = if debtor_side { tx.debtor.party() } else { tx.creditor.party() };
    entry
}

/// The payer of a credit, the payee of a debit; for a return or reversal the parties keep their
/// roles in the original payment, so the other one. A party whose account is this statement's own
/// is never the counterparty when the other side says who it is.
fn counterparty_is_debtor(
    debtor: &PartyParts<'_>,
    creditor: &PartyParts<'_>,
    direction: Direction,
    returned: bool,
    own: Option<&str>,
) -> bool {
    if let Some(own) = own {
        let is_own = |p: &PartyParts<'_>| p.iban.as_deref().is_some_and(|i| same_iban(i, own));
        let (d_own, c_own) = (is_own(debtor), is_own(creditor));
        if d_own && !c_own && !creditor.is_empty() {
            return false;
        }
        if c_own && !d_own && !debtor.is_empty() {
            return true;
        }
    }
    (direction == Direction::Credit) != returned
}

/// `raw` (as written) is the normalised IBAN `iban`.
fn same_iban(raw: &str, iban: &str) -> bool {
    raw.bytes().filter(|b| !b.is_ascii_whitespace()).map(|b| b.to_ascii_uppercase()).eq(iban.bytes())
}

impl<'a> Tx<'a> {
    pub(super) fn field(&mut self, rel: &str, value: Cow<'a, str>, ccy: Option<String>) {
        let slot = match rel {
            "/Refs/EndToEndId" => &mut self.end_to_end,
            "/Refs/AcctSvcrRef" => &mut self.reference,
            "/Amt" => {
                if self.amount.is_none() {
                    self.amount = Some((value, ccy));
                }
                return;
            }
            "/AmtDtls/TxAmt/Amt" => {
                if self.tx_amount.is_none() {
                    self.tx_amount = Some((value, ccy));
                }
                return;
            }
            "/CdtDbtInd" => &mut self.cdi,
            "/RltdPties/Dbtr/Nm" | "/RltdPties/Dbtr/Pty/Nm" => &mut self.debtor.name,
            "/RltdPties/UltmtDbtr/Nm" | "/RltdPties/UltmtDbtr/Pty/Nm" => &mut self.debtor.ultimate,
            "/RltdPties/DbtrAcct/Id/IBAN" => &mut self.debtor.iban,
            "/RltdAgts/DbtrAgt/FinInstnId/BIC" | "/RltdAgts/DbtrAgt/FinInstnId/BICFI" => &mut self.debtor.bic,
            "/RltdPties/Cdtr/Nm" | "/RltdPties/Cdtr/Pty/Nm" => &mut self.creditor.name,
            "/RltdPties/UltmtCdtr/Nm" | "/RltdPties/UltmtCdtr/Pty/Nm" => &mut self.creditor.ultimate,
            "/RltdPties/CdtrAcct/Id/IBAN" => &mut self.creditor.iban,
            "/RltdAgts/CdtrAgt/FinInstnId/BIC" | "/RltdAgts/CdtrAgt/FinInstnId/BICFI" => &mut self.creditor.bic,
            "/RmtInf/Ustrd" | "/RmtInf/Strd/AddtlRmtInf" => {
                if !value.is_empty() {
                    let list = if rel == "/RmtInf/Ustrd" { &mut self.unstructured } else { &mut self.additional_remittance };
                    list.push(value);
                }
                return;
            }
            "/RmtInf/Strd/CdtrRefInf/Ref" => &mut self.creditor_ref,
            "/RtrInf/Rsn/Cd" | "/RtrInf/Rsn/Prtry" => &mut self.return_reason,
            "/AddtlTxInf" => &mut self.info,
            _ => return,
        };
        set(slot, value);
    }
}
