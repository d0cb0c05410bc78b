//! `Entry::entry_key`: the same booked entry gets the same key however often it is imported,
//! also from an overlapping statement, so that a unique index on it stops double booking.
//!
//! The key is a hash (SHA-256, the first 128 bits in hex, prefixed `k1:`) of
//! - the account (IBAN, else the account as the bank wrote it) and the entry's currency;
//! - with a bank reference: that reference, the booking date, direction and amount. The date and
//!   amount are in it because some banks reuse references (per day, per batch);
//! - without one: booking date, value date, direction, amount, counterparty (IBAN, name),
//!   end-to-end id, structured reference and the remittance text with its whitespace collapsed;
//! - and, from the second on, the entry's position among the entries of the statement that agree on all of the above,
//!   so that two identical payments on one day stay two entries. An overlapping statement holds the
//!   whole booking day, so both statements count such twins alike.
//!
//! The same payment read from a camt.053 and from an MT940 file of the same account gets different
//! keys where the formats carry different references; Loket imports one format per account.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use sha2::{Digest, Sha256};

use crate::{Entry, Statement};

pub(crate) fn assign(statement: &mut Statement) {
    let account = statement.account.iban.clone().or_else(|| statement.account.other_id.clone()).unwrap_or_default();
    let account: String = account.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    let mut seen: HashMap<[u8; 32], u32, BuildHasherDefault<Prefix>> =
        HashMap::with_capacity_and_hasher(statement.entries.len(), BuildHasherDefault::default());
    for entry in &mut statement.entries {
        let base = base_hash(&account, entry);
        let n = seen.entry(base).or_insert(0);
        // The first of identical entries is keyed by their hash, the n-th by the hash of that and n.
        let hash: [u8; 32] = if *n == 0 { base } else { Sha256::new().chain_update(base).chain_update(n.to_le_bytes()).finalize().into() };
        *n += 1;
        let mut key = String::with_capacity(35);
        key.push_str("k1:");
        for b in &hash[..16] {
            key.push(char::from(HEX[usize::from(b >> 4)]));
            key.push(char::from(HEX[usize::from(b & 15)]));
        }
        entry.entry_key = key;
    }
}

fn base_hash(account: &str, e: &Entry) -> [u8; 32] {
    let mut h = Sha256::new();
    // Every field with its length in front, so that no two different entries hash the same bytes.
    let mut field = |s: &[u8]| {
        h.update(u32::try_from(s.len()).unwrap_or(u32::MAX).to_le_bytes());
        h.update(s);
    };
    let date = |d: jiff::civil::Date| {
        let mut b = [0u8; 4];
        b[..2].copy_from_slice(&d.year().to_le_bytes());
        b[2] = d.month().to_le_bytes()[0];
        b[3] = d.day().to_le_bytes()[0];
        b
    };
    field(account.as_bytes());
    field(e.currency.as_bytes());
    field(&date(e.booking_date));
    field(if e.direction == crate::Direction::Credit { b"C" } else { b"D" });
    field(&e.amount.to_le_bytes());
    match &e.bank_reference {
        Some(reference) => {
            field(b"ref");
            field(reference.as_bytes());
        }
        None => {
            field(b"content");
            field(&e.value_date.map(date).unwrap_or_default());
            field(e.counterparty.iban.as_deref().unwrap_or("").as_bytes());
            field(collapse(e.counterparty.name.as_deref().unwrap_or("")).as_bytes());
            field(e.end_to_end_id.as_deref().unwrap_or("").as_bytes());
            field(e.structured_reference.as_deref().unwrap_or("").as_bytes());
            field(collapse(&e.remittance).as_bytes());
        }
    }
    h.finalize().into()
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// The keys of the map of seen entries are SHA-256 hashes already: their first eight bytes are
/// as good a hash as any, and cheaper than hashing them again.
#[derive(Default)]
struct Prefix(u64);

impl Hasher for Prefix {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes.iter().take(8) {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
