//! Quotes (seed 001: "view, accept or reject online"): what the provider offers a customer —
//! services on a plan and one-off work — valid until a date. The customer accepts or rejects it
//! (with a comment); accepted, it becomes the order: its services start and its one-off lines
//! go on the next invoice. A quote past its date can no longer be accepted.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::input;

/// Lines on one quote at most.
pub const MAX_LINES: usize = 50;
/// The longest note or comment.
pub const MAX_TEXT: usize = 2000;
/// A quote is valid for at most this many days.
pub const MAX_VALID_DAYS: i64 = 366;

/// Where a quote stands, as stored. Whether a sent quote has expired follows from the date
/// ([`QuoteStatus::on`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteStatus {
    /// Sent, waiting for the customer.
    Sent,
    Accepted,
    Rejected,
    /// Taken back by the provider.
    Withdrawn,
    /// Sent, and its validity passed without a decision (never stored).
    Expired,
}

impl QuoteStatus {
    pub const ALL: [QuoteStatus; 5] =
        [QuoteStatus::Sent, QuoteStatus::Accepted, QuoteStatus::Rejected, QuoteStatus::Withdrawn, QuoteStatus::Expired];

    pub fn name(self) -> &'static str {
        match self {
            QuoteStatus::Sent => "sent",
            QuoteStatus::Accepted => "accepted",
            QuoteStatus::Rejected => "rejected",
            QuoteStatus::Withdrawn => "withdrawn",
            QuoteStatus::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<QuoteStatus> {
        QuoteStatus::ALL.into_iter().find(|q| q.name() == s)
    }

    /// The status people see on `today` of a quote stored as `self`, valid until `valid_until`
    /// (inclusive).
    pub fn on(self, today: Date, valid_until: Date) -> QuoteStatus {
        match self {
            QuoteStatus::Sent if today > valid_until => QuoteStatus::Expired,
            other => other,
        }
    }
}

/// Why a decision on a quote is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionRefused {
    #[error("this quote was decided already ({0})")]
    Decided(&'static str),
    #[error("this quote was valid until {0} and can no longer be accepted")]
    Expired(Date),
}

/// Whether a quote stored as `status`, valid until `valid_until`, may be decided on `today`:
/// only a sent quote, and accepting only while it is valid (rejecting an expired one is allowed,
/// so the customer can say why).
pub fn may_decide(status: QuoteStatus, valid_until: Date, today: Date, accept: bool) -> Result<(), DecisionRefused> {
    match status {
        QuoteStatus::Sent if accept && today > valid_until => Err(DecisionRefused::Expired(valid_until)),
        QuoteStatus::Sent => Ok(()),
        other => Err(DecisionRefused::Decided(other.name())),
    }
}

/// A line as written by staff (a form, the API): a plan with a label, or one-off work.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QuoteLineSpec {
    /// A plan's code: the line is a service on that plan, starting when the quote is accepted.
    #[serde(default)]
    pub plan: Option<String>,
    /// For a plan: what it is for (a domain, a site).
    #[serde(default)]
    pub label: Option<String>,
    /// For a plan: a net price per billing period that replaces the plan's, e.g. "25.00".
    #[serde(default)]
    pub price: Option<String>,
    /// For one-off work: what it is.
    #[serde(default)]
    pub description: Option<String>,
    /// For one-off work: e.g. "1.5" (hours); default 1.
    #[serde(default)]
    pub quantity: Option<String>,
    /// For one-off work: the net unit price, e.g. "85.00".
    #[serde(default)]
    pub unit_price: Option<String>,
    /// For one-off work: standard (default), reduced, super_reduced, zero or exempt.
    #[serde(default)]
    pub vat_category: Option<String>,
}

impl QuoteLineSpec {
    /// Nothing filled in (a blank row of a form).
    pub fn is_blank(&self) -> bool {
        [&self.plan, &self.label, &self.price, &self.description, &self.quantity, &self.unit_price]
            .iter()
            .all(|f| f.as_deref().is_none_or(|v| v.trim().is_empty()))
    }
}

fn filled(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The quote's own fields, checked: a validity date from `today` up to a year ahead, 1 to
/// [`MAX_LINES`] lines (blank ones dropped) each either a plan or one-off work, and a note.
pub fn check(
    valid_until: &str,
    note: Option<&str>,
    lines: &[QuoteLineSpec],
    today: Date,
) -> Result<(Date, Option<String>), Vec<FieldError>> {
    let mut e = Vec::new();
    let valid = input::date("valid_until", valid_until).map_err(|err| e.push(err)).ok();
    if let Some(v) = valid {
        if v < today {
            e.push(FieldError::new("valid_until", "lies in the past"));
        } else if crate::billing::days_between(today, v) > MAX_VALID_DAYS {
            e.push(FieldError::new("valid_until", "a quote is valid for at most a year"));
        }
    }
    let note = match note.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => input::multiline("note", n, MAX_TEXT).map_err(|err| e.push(err)).ok(),
        None => None,
    };
    let given: Vec<&QuoteLineSpec> = lines.iter().filter(|l| !l.is_blank()).collect();
    if given.is_empty() {
        e.push(FieldError::new("lines", "give at least one line"));
    }
    if given.len() > MAX_LINES {
        e.push(FieldError::new("lines", format!("give at most {MAX_LINES} lines")));
    }
    for (i, l) in lines.iter().enumerate().filter(|(_, l)| !l.is_blank()) {
        let f = |name: &str| format!("lines[{i}].{name}");
        match (filled(&l.plan), filled(&l.description)) {
            (Some(_), Some(_)) => e.push(FieldError::new(f("plan"), "a line is a plan or one-off work, not both")),
            (None, None) => e.push(FieldError::new(f("description"), "choose a plan or describe the work")),
            (Some(_), None) => {
                if filled(&l.unit_price).is_some() || filled(&l.quantity).is_some() {
                    e.push(FieldError::new(f("unit_price"), "a plan's price is per billing period: use price"));
                }
            }
            (None, Some(_)) => {
                if filled(&l.unit_price).is_none() {
                    e.push(FieldError::new(f("unit_price"), "give the price of the work"));
                }
                if filled(&l.price).is_some() || filled(&l.label).is_some() {
                    e.push(FieldError::new(f("price"), "price and label belong to a plan line"));
                }
            }
        }
    }
    match (valid, e.is_empty()) {
        (Some(v), true) => Ok((v, note)),
        _ => Err(e),
    }
}

/// The number printed on a quote: `Q2026-00007`.
pub fn quote_number(year: i16, seq: i64) -> String {
    format!("Q{year}-{seq:05}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn plan(code: &str) -> QuoteLineSpec {
        QuoteLineSpec { plan: Some(code.into()), label: Some("example.nl".into()), ..Default::default() }
    }

    fn work(desc: &str, price: &str) -> QuoteLineSpec {
        QuoteLineSpec { description: Some(desc.into()), unit_price: Some(price.into()), quantity: Some("2".into()), ..Default::default() }
    }

    #[test]
    fn a_sent_quote_expires_after_its_last_valid_day_and_only_then() {
        let until = d("2026-12-31");
        assert_eq!(QuoteStatus::Sent.on(d("2026-12-31"), until), QuoteStatus::Sent);
        assert_eq!(QuoteStatus::Sent.on(d("2027-01-01"), until), QuoteStatus::Expired);
        assert_eq!(QuoteStatus::Accepted.on(d("2027-06-01"), until), QuoteStatus::Accepted);
        assert!(may_decide(QuoteStatus::Sent, until, d("2026-12-31"), true).is_ok());
        assert_eq!(may_decide(QuoteStatus::Sent, until, d("2027-01-01"), true), Err(DecisionRefused::Expired(until)));
        assert!(may_decide(QuoteStatus::Sent, until, d("2027-01-01"), false).is_ok(), "an expired quote may still be rejected");
        assert_eq!(may_decide(QuoteStatus::Accepted, until, d("2026-12-01"), false), Err(DecisionRefused::Decided("accepted")));
        for s in QuoteStatus::ALL {
            assert_eq!(QuoteStatus::parse(s.name()), Some(s));
        }
    }

    #[test]
    fn lines_are_plans_or_work_and_every_problem_is_named() {
        let today = d("2026-11-30");
        let ok = check(
            "2026-12-31",
            Some("  Zoals besproken.  "),
            &[plan("hosting-basis"), work("Migratie", "85.00"), QuoteLineSpec::default()],
            today,
        );
        assert_eq!(ok.unwrap(), (d("2026-12-31"), Some("Zoals besproken.".into())));
        let both = QuoteLineSpec { plan: Some("x".into()), description: Some("y".into()), ..Default::default() };
        let neither = QuoteLineSpec { label: Some("only a label".into()), ..Default::default() };
        let no_price = QuoteLineSpec { description: Some("work".into()), ..Default::default() };
        let errors = check("2026-11-29", None, &[both, neither, no_price], today).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["valid_until", "lines[0].plan", "lines[1].description", "lines[2].unit_price"]);
        assert_eq!(check("2028-01-01", None, &[plan("p")], today).unwrap_err()[0].message, "a quote is valid for at most a year");
        assert_eq!(check("2026-12-01", None, &[QuoteLineSpec::default()], today).unwrap_err()[0].field, "lines");
        let many = vec![plan("p"); MAX_LINES + 1];
        assert!(check("2026-12-01", None, &many, today).unwrap_err().iter().any(|e| e.field == "lines"));
        assert_eq!(quote_number(2026, 7), "Q2026-00007");
    }
}
