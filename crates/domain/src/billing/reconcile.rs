//! Matching money that arrived on the provider's account to what customers owe: first by the
//! structured payment reference Loket prints on every invoice (ISO 11649 "RF…", checked by
//! the customer's bank), then by an invoice number in the free remittance text, then by the
//! amount from an account a customer is known to pay from. What matches none of these, or
//! more than one invoice, is left for staff with the likely invoices as suggestions.

use std::collections::HashMap;

/// An invoice that may be paid, as the matcher sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payable {
    pub invoice_id: i64,
    pub customer_id: i64,
    pub number: String,
    pub payment_reference: String,
    /// Still to pay, in minor units; 0 once paid (it can still be named by a second payment).
    pub open: i64,
}

/// Money that arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credit<'a> {
    pub amount: i64,
    /// The structured reference the payer gave, if any.
    pub reference: Option<&'a str>,
    /// The free remittance text.
    pub remittance: &'a str,
    /// The account it came from.
    pub counterparty_iban: Option<&'a str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedBy {
    Reference,
    Number,
    AmountAndAccount,
}

impl MatchedBy {
    pub fn name(self) -> &'static str {
        match self {
            MatchedBy::Reference => "reference",
            MatchedBy::Number => "number",
            MatchedBy::AmountAndAccount => "amount_and_account",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Book on this invoice (a part, the whole, or more than is open: the billing engine puts
    /// the rest on the customer's credit).
    Invoice { invoice_id: i64, customer_id: i64, by: MatchedBy },
    /// The invoice it names is paid already: the money is the customer's (oldest open
    /// documents first, the rest on credit).
    Customer { customer_id: i64, by: MatchedBy },
    /// For staff, with the invoices it most likely pays (best first).
    Unmatched { suggestions: Vec<i64> },
}

/// Letters and digits only, upper case: `F2026-00042` and `f2026 00042` are the same.
pub fn normalise(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}

/// Everything known that a credit can be matched against, indexed once for a whole
/// statement. Bookings made while going through it are told with [`Matcher::paid`], so a
/// second payment of the same invoice in the same file is not taken for the first.
#[derive(Debug, Default)]
pub struct Matcher {
    payables: Vec<Payable>,
    by_id: HashMap<i64, usize>,
    by_reference: HashMap<String, usize>,
    by_number: HashMap<String, usize>,
    /// (amount, account) → open invoices of customers who paid from that account before.
    by_amount_account: HashMap<(i64, String), Vec<usize>>,
    by_amount: HashMap<i64, Vec<usize>>,
}

impl Matcher {
    /// `payables`: the open invoices and any others a credit may name; `accounts`: the IBANs
    /// each customer is known to pay from (its card, its mandates, earlier payments).
    pub fn new(payables: Vec<Payable>, accounts: &[(i64, String)]) -> Matcher {
        let mut m = Matcher { payables, ..Matcher::default() };
        let mut customer_accounts: HashMap<i64, Vec<String>> = HashMap::new();
        for (customer, iban) in accounts {
            customer_accounts.entry(*customer).or_default().push(normalise(iban));
        }
        for (i, p) in m.payables.iter().enumerate() {
            m.by_id.insert(p.invoice_id, i);
            m.by_reference.insert(normalise(&p.payment_reference), i);
            m.by_number.insert(normalise(&p.number), i);
            if p.open > 0 {
                m.by_amount.entry(p.open).or_default().push(i);
                for iban in customer_accounts.get(&p.customer_id).into_iter().flatten() {
                    m.by_amount_account.entry((p.open, iban.clone())).or_default().push(i);
                }
            }
        }
        m
    }

    pub fn payable(&self, invoice_id: i64) -> Option<&Payable> {
        self.by_id.get(&invoice_id).map(|&i| &self.payables[i])
    }

    /// What to do with `credit`.
    pub fn decide(&self, credit: &Credit<'_>) -> Decision {
        if credit.amount <= 0 {
            return Decision::Unmatched { suggestions: Vec::new() };
        }
        let named = |i: usize, by: MatchedBy| {
            let p = &self.payables[i];
            if p.open > 0 {
                Decision::Invoice { invoice_id: p.invoice_id, customer_id: p.customer_id, by }
            } else {
                Decision::Customer { customer_id: p.customer_id, by }
            }
        };
        // 1. The structured reference, or one written into the text.
        let mut references: Vec<String> = credit.reference.map(normalise).into_iter().collect();
        references.extend(rf_tokens(credit.remittance));
        for r in &references {
            if let Some(&i) = self.by_reference.get(r) {
                return named(i, MatchedBy::Reference);
            }
        }
        // 2. An invoice number in the text (one only; two named invoices are for staff).
        let mut numbered: Vec<usize> = Vec::new();
        for candidate in number_candidates(credit.remittance) {
            if let Some(&i) = self.by_number.get(&candidate)
                && !numbered.contains(&i)
            {
                numbered.push(i);
            }
        }
        if let [i] = numbered[..] {
            return named(i, MatchedBy::Number);
        }
        // 3. The exact open amount from an account the customer pays from, if only one fits.
        if numbered.is_empty()
            && let Some(iban) = credit.counterparty_iban
            && let Some(found) = self.by_amount_account.get(&(credit.amount, normalise(iban)))
        {
            let open: Vec<usize> = found.iter().copied().filter(|&i| self.payables[i].open == credit.amount).collect();
            if let [i] = open[..] {
                return named(i, MatchedBy::AmountAndAccount);
            }
        }
        // For staff: the invoices it names, then those of exactly that amount.
        let mut suggestions: Vec<i64> = numbered.iter().map(|&i| self.payables[i].invoice_id).collect();
        for &i in self.by_amount.get(&credit.amount).into_iter().flatten() {
            let p = &self.payables[i];
            if p.open == credit.amount && !suggestions.contains(&p.invoice_id) && suggestions.len() < 5 {
                suggestions.push(p.invoice_id);
            }
        }
        Decision::Unmatched { suggestions }
    }

    /// `amount` was booked on `invoice_id`: what stays open is less.
    pub fn paid(&mut self, invoice_id: i64, amount: i64) {
        if let Some(&i) = self.by_id.get(&invoice_id) {
            let p = &mut self.payables[i];
            p.open = p.open.saturating_sub(amount).max(0);
        }
    }
}

/// The RF references written in a text, spaces inside them allowed ("RF18 5390 0754 7034").
pub fn rf_tokens(text: &str) -> Vec<String> {
    let upper = text.to_ascii_uppercase();
    let mut out = Vec::new();
    let mut rest = upper.as_str();
    while let Some(at) = rest.find("RF") {
        let tail = &rest[at..];
        let reference: String =
            tail.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == ' ').filter(|c| *c != ' ').take(25).collect();
        if crate::billing::settings::valid_payment_reference(&reference) {
            out.push(reference);
        }
        rest = &rest[at + 2..];
    }
    out
}

/// Words of a text that could be an invoice number, each alone and with the next (a number
/// written `F2026 00042`), normalised.
pub fn number_candidates(text: &str) -> Vec<String> {
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '(' | ')' | '#'))
        .map(normalise)
        .filter(|w| w.len() >= 3 && w.chars().any(|c| c.is_ascii_digit()))
        .collect();
    let mut out = words.clone();
    out.extend(words.windows(2).map(|w| format!("{}{}", w[0], w[1])));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::settings::payment_reference;

    fn payable(id: i64, customer: i64, number: &str, open: i64) -> Payable {
        Payable { invoice_id: id, customer_id: customer, number: number.into(), payment_reference: payment_reference(number), open }
    }

    fn matcher() -> Matcher {
        Matcher::new(
            vec![
                payable(1, 10, "F2027-00001", 12100),
                payable(2, 20, "F2027-00002", 6050),
                payable(3, 30, "F2027-00003", 6050),
                payable(4, 10, "F2026-00099", 0),
            ],
            &[(20, "NL91ABNA0417164300".into())],
        )
    }

    fn credit<'a>(amount: i64, reference: Option<&'a str>, remittance: &'a str, iban: Option<&'a str>) -> Credit<'a> {
        Credit { amount, reference, remittance, counterparty_iban: iban }
    }

    #[test]
    fn the_structured_reference_wins() {
        let m = matcher();
        let rf = payment_reference("F2027-00001");
        let d = m.decide(&credit(12100, Some(&rf), "F2027-00002", None));
        assert_eq!(d, Decision::Invoice { invoice_id: 1, customer_id: 10, by: MatchedBy::Reference });
        // Written with spaces into the text, in lower case.
        let spaced = format!(
            "betaling {}",
            rf.to_lowercase().chars().collect::<Vec<_>>().chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
        );
        assert_eq!(
            m.decide(&credit(500, None, &spaced, None)),
            Decision::Invoice { invoice_id: 1, customer_id: 10, by: MatchedBy::Reference }
        );
        // A reference with a wrong check digit is no reference.
        assert_eq!(m.decide(&credit(12100, None, "RF00F202700001", None)), Decision::Unmatched { suggestions: vec![1] });
    }

    #[test]
    fn an_invoice_number_in_the_text_matches_when_it_is_the_only_one() {
        let m = matcher();
        assert_eq!(
            m.decide(&credit(6050, None, "factuur F2027-00003 dank u", None)),
            Decision::Invoice { invoice_id: 3, customer_id: 30, by: MatchedBy::Number }
        );
        assert_eq!(
            m.decide(&credit(6050, None, "fattura f2027 00003", None)),
            Decision::Invoice { invoice_id: 3, customer_id: 30, by: MatchedBy::Number }
        );
        // Two invoices named: staff decide, both suggested.
        assert_eq!(m.decide(&credit(18150, None, "F2027-00001 en F2027-00002", None)), Decision::Unmatched { suggestions: vec![1, 2] });
    }

    #[test]
    fn the_amount_from_a_known_account_matches_only_without_doubt() {
        let m = matcher();
        assert_eq!(
            m.decide(&credit(6050, None, "hosting", Some("NL91 ABNA 0417 1643 00"))),
            Decision::Invoice { invoice_id: 2, customer_id: 20, by: MatchedBy::AmountAndAccount }
        );
        // From an unknown account, the same amount fits two invoices: suggestions only.
        assert_eq!(
            m.decide(&credit(6050, None, "hosting", Some("DE89370400440532013000"))),
            Decision::Unmatched { suggestions: vec![2, 3] }
        );
    }

    #[test]
    fn a_paid_invoice_named_again_is_money_for_its_customer() {
        let mut m = matcher();
        assert_eq!(m.decide(&credit(100, None, "F2026-00099", None)), Decision::Customer { customer_id: 10, by: MatchedBy::Number });
        m.paid(1, 12100);
        let rf = payment_reference("F2027-00001");
        assert_eq!(m.decide(&credit(12100, Some(&rf), "", None)), Decision::Customer { customer_id: 10, by: MatchedBy::Reference });
    }

    #[test]
    fn nothing_or_a_debit_is_unmatched() {
        let m = matcher();
        assert_eq!(m.decide(&credit(1, None, "", None)), Decision::Unmatched { suggestions: vec![] });
        assert_eq!(m.decide(&credit(0, Some("RF18539007547034"), "", None)), Decision::Unmatched { suggestions: vec![] });
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_decided_without_panicking(text in ".{0,200}", amount in -10_000i64..10_000_000) {
            let m = matcher();
            let _ = m.decide(&credit(amount, Some(&text), &text, Some(&text)));
        }
    }
}
