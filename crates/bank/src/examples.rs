//! Made-up statements for tests and the benchmark: deterministic for a seed, balanced, with the
//! kinds of entries a hosting provider's account sees (customers paying by RF reference or with
//! an invoice number in the text, direct-debit returns, supplier payments, bank costs, a reversal).

use jiff::civil::Date;

use crate::values::mod97;
use crate::{Account, Balance, Direction, Entry, Format, Party, Statement};

/// A statement of `entries` entries on a Dutch EUR account, from 1 March 2024 on.
pub fn statement(entries: usize, seed: u64) -> Statement {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let start = Date::new(2024, 3, 1).unwrap_or_default();
    let opening = 1_000_000 + i64::try_from(rng.below(5_000_000)).unwrap_or(0);
    let mut list = Vec::with_capacity(entries);
    for i in 0..entries {
        let day = start.checked_add(jiff::Span::new().days(i64::try_from(i / 2_000).unwrap_or(0))).unwrap_or(start);
        list.push(entry(&mut rng, i, day));
    }
    let closing = opening + list.iter().map(Entry::signed_amount).sum::<i64>();
    let last = list.last().map_or(start, |e| e.booking_date);
    let balance = |date, amount| Some(Balance { date, amount, currency: "EUR".into() });
    Statement {
        format: Format::Camt053 { version: "camt.053.001.02".into() },
        id: format!("STMT-{seed}-{entries}"),
        sequence: Some(seed.to_string()),
        account: Account {
            iban: Some(nl_iban(4_171_643 + seed % 1000)),
            other_id: None,
            currency: Some("EUR".into()),
            owner_name: Some("Hosting & Co B.V.".into()),
        },
        created: Some(jiff::Timestamp::from_second(1_709_337_600 + i64::try_from(seed % 86_400).unwrap_or(0)).unwrap_or_default()),
        from: Some(start),
        to: Some(last),
        opening: balance(start.yesterday().unwrap_or(start), opening),
        closing: balance(last, closing),
        entries: list,
        skipped_unbooked: 0,
    }
}

fn entry(rng: &mut Rng, i: usize, day: Date) -> Entry {
    let invoice = 20_240_000 + (i as u64 % 99_999);
    let customer = rng.below(5_000);
    let mut e = Entry {
        amount: 1_000 + i64::try_from(rng.below(250_000)).unwrap_or(0),
        direction: Direction::Credit,
        currency: "EUR".into(),
        booking_date: day,
        value_date: None,
        bank_reference: Some(format!("{}{:08}", day.strftime("%Y%m%d"), i)),
        end_to_end_id: None,
        structured_reference: None,
        remittance: String::new(),
        counterparty: Party { name: Some(format!("Customer {customer} B.V.")), iban: Some(nl_iban(1_000_000 + customer)), bic: None },
        reversal: false,
        return_reason: None,
        bank_code: Some("PMNT-RCDT-ESCT".into()),
        entry_key: String::new(),
    };
    match rng.below(20) {
        0..=6 => e.structured_reference = Some(rf(invoice)),
        7..=13 => e.remittance = format!("Factuur {}-{:05}", invoice / 100_000, invoice % 100_000),
        14 => {
            e.remittance = format!("Invoice {invoice}\nthank you & <regards>");
            e.value_date = day.tomorrow().ok();
        }
        15 => {
            e.direction = Direction::Debit;
            e.return_reason = Some("MD06".into());
            e.end_to_end_id = Some(format!("LOKET-DD-{invoice}"));
            e.bank_code = Some("PMNT-IDDT-UPDD".into());
        }
        16 | 17 => {
            e.direction = Direction::Debit;
            e.counterparty =
                Party { name: Some("Datacenter Supplies Ltd".into()), iban: Some(nl_iban(9_999_999)), bic: Some("ABNANL2A".into()) };
            e.remittance = format!("Order {customer}");
            e.bank_code = Some("PMNT-ICDT-ESCT".into());
        }
        18 => {
            e.direction = Direction::Debit;
            e.counterparty = Party::default();
            e.amount = 250;
            e.bank_reference = None;
            e.remittance = "Kosten betalingsverkeer".into();
            e.bank_code = Some("ACMT-MDOP-CHRG".into());
        }
        _ => {
            e.direction = Direction::Debit;
            e.reversal = true;
            e.remittance = format!("Terugboeking factuur {invoice}");
        }
    }
    e
}

/// `NL..ABNA0…`: a Dutch IBAN with correct check digits for an account number.
fn nl_iban(account: u64) -> String {
    let bban = format!("ABNA{:010}", account % 10_000_000_000);
    let check = 98 - mod97(&[&bban, "NL00"]).unwrap_or(0);
    format!("NL{check:02}{bban}")
}

/// An ISO 11649 creditor reference for a number.
fn rf(number: u64) -> String {
    let number = number.to_string();
    let check = 98 - mod97(&[&number, "RF00"]).unwrap_or(0);
    format!("RF{check:02}{number}")
}

/// xorshift64*: enough randomness for made-up statements, no dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}
