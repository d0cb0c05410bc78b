//! A ticket's words and rules: its status, priority, category and channel, each with one
//! stored name; its reference (`T-2027-00042`), found again in a reply's subject; which status
//! changes are allowed and what each does to the SLA clocks.

use std::fmt;

use crate::named;

named!(
    /// Where a ticket stands. `WaitingOnCustomer` pauses its SLA clocks; `Resolved` stops the
    /// resolution clock until the customer answers again; `Closed` is final.
    Status {
        New = "new",
        Open = "open",
        WaitingOnCustomer = "waiting",
        Escalated = "escalated",
        Resolved = "resolved",
        Closed = "closed",
    }
);

named!(
    /// How urgent a ticket is; SLA targets are set per priority.
    Priority {
        Low = "low",
        Normal = "normal",
        High = "high",
        Urgent = "urgent",
    }
);

named!(
    /// What a ticket is about: the six of seed 004 and a general question.
    Category {
        Outage = "outage",
        Technical = "technical",
        Administrative = "administrative",
        BackupRestore = "backup_restore",
        Upgrade = "upgrade",
        PaidIntervention = "paid_intervention",
        Question = "question",
    }
);

named!(
    /// How a ticket reached the provider.
    Channel {
        Email = "email",
        Portal = "portal",
        Phone = "phone",
        Standby = "standby",
        Api = "api",
        Monitor = "monitor",
    }
);

named!(
    /// One entry of a ticket's thread: a public reply (mailed) or an internal note (staff only).
    EntryKind {
        Reply = "reply",
        Note = "note",
    }
);

impl Status {
    /// Whether the ticket still needs work (shown in queues, counted by SLA clocks).
    pub fn is_active(self) -> bool {
        !matches!(self, Status::Resolved | Status::Closed)
    }

    /// Whether staff may move a ticket from `self` to `to`. A closed ticket stays closed (a new
    /// message about it opens a new ticket); everything else may move freely.
    pub fn may_become(self, to: Status) -> bool {
        self != to && self != Status::Closed && to != Status::New
    }

    /// The status after the customer writes (a reply by mail or in the panel): a ticket waiting
    /// on them, or resolved, is open again; a new or escalated one keeps its status.
    pub fn after_customer_reply(self) -> Status {
        match self {
            Status::WaitingOnCustomer | Status::Resolved => Status::Open,
            s => s,
        }
    }
}

impl Priority {
    /// One step more urgent (escalation), `Urgent` stays.
    pub fn raised(self) -> Priority {
        match self {
            Priority::Low => Priority::Normal,
            Priority::Normal => Priority::High,
            Priority::High | Priority::Urgent => Priority::Urgent,
        }
    }
}

/// Why time on a paid intervention is refused: the work starts once its quote is accepted.
pub const PAID_NEEDS_QUOTE: &str =
    "a paid intervention starts once the customer accepted its quote: link the accepted quote to the ticket first";

/// A ticket's reference: `T-2027-00042` (the year it was opened and its number in that year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TicketRef {
    pub year: i16,
    pub number: i64,
}

impl fmt::Display for TicketRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "T-{:04}-{:05}", self.year, self.number)
    }
}

impl TicketRef {
    /// Reads `T-2027-00042` exactly (case-insensitive `T`).
    pub fn parse(s: &str) -> Option<TicketRef> {
        let b = s.as_bytes();
        if b.len() < 12 || !(b[0] == b'T' || b[0] == b't') || b[1] != b'-' || b[6] != b'-' {
            return None;
        }
        let year = &s[2..6];
        let number = &s[7..];
        if !year.bytes().all(|c| c.is_ascii_digit()) || number.len() < 5 || number.len() > 9 || !number.bytes().all(|c| c.is_ascii_digit())
        {
            return None;
        }
        let year: i16 = year.parse().ok()?;
        let number: i64 = number.parse().ok()?;
        ((2000..=2099).contains(&year) && number > 0).then_some(TicketRef { year, number })
    }

    /// The reference in a subject, written as `[T-2027-00042]` (how Loket writes it) or bare
    /// between word boundaries; the first one found.
    pub fn find_in(subject: &str) -> Option<TicketRef> {
        let b = subject.as_bytes();
        let mut i = 0;
        while i + 12 <= b.len() {
            if (b[i] == b'T' || b[i] == b't') && b[i + 1] == b'-' && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
                let end = (i + 2..b.len()).find(|&j| !(b[j].is_ascii_digit() || b[j] == b'-')).unwrap_or(b.len());
                if let Some(r) = subject.get(i..end).and_then(TicketRef::parse) {
                    return Some(r);
                }
            }
            i += 1;
        }
        None
    }

    /// The subject Loket writes: the reference in brackets before the ticket's subject.
    pub fn subject(&self, subject: &str) -> String {
        format!("[{self}] {subject}")
    }
}

/// Time logged on a ticket, rounded up to the provider's billing increment and minimum: the
/// minutes billed for `minutes` worked. `increment` 0 means to the minute.
pub fn billed_minutes(minutes: u32, increment: u32, minimum: u32) -> u32 {
    let rounded = if increment > 1 { minutes.div_ceil(increment).saturating_mul(increment) } else { minutes };
    rounded.max(minimum)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn references_are_written_and_found() {
        let r = TicketRef { year: 2027, number: 42 };
        assert_eq!(r.to_string(), "T-2027-00042");
        assert_eq!(r.subject("Mail komt niet aan"), "[T-2027-00042] Mail komt niet aan");
        assert_eq!(TicketRef::find_in("Re: [T-2027-00042] Mail komt niet aan"), Some(r));
        assert_eq!(TicketRef::find_in("AW: Re: T-2027-00042: mail"), Some(r));
        assert_eq!(TicketRef::find_in("about T-2027-123456"), Some(TicketRef { year: 2027, number: 123_456 }));
        assert_eq!(TicketRef::find_in("ST-2027-00042"), None);
        assert_eq!(TicketRef::find_in("T-27-00042"), None);
        assert_eq!(TicketRef::find_in("T-2027-0004"), None);
        assert_eq!(TicketRef::find_in("T-2027-00000"), None);
        assert_eq!(TicketRef::find_in(""), None);
        assert_eq!(TicketRef::find_in("ééé T-2027-00042 ééé"), Some(r));
    }

    #[test]
    fn status_rules() {
        assert!(Status::Open.may_become(Status::WaitingOnCustomer));
        assert!(!Status::Closed.may_become(Status::Open));
        assert!(!Status::Open.may_become(Status::New));
        assert!(!Status::Open.may_become(Status::Open));
        assert_eq!(Status::WaitingOnCustomer.after_customer_reply(), Status::Open);
        assert_eq!(Status::Resolved.after_customer_reply(), Status::Open);
        assert_eq!(Status::Escalated.after_customer_reply(), Status::Escalated);
        for s in Status::ALL {
            assert_eq!(Status::parse(s.name()), Some(*s));
        }
        assert_eq!(Category::ALL.len(), 7);
        assert_eq!(Priority::Normal.raised(), Priority::High);
        assert_eq!(Priority::Urgent.raised(), Priority::Urgent);
    }

    #[test]
    fn billed_time_rounds_up_to_the_increment_and_minimum() {
        assert_eq!(billed_minutes(7, 15, 15), 15);
        assert_eq!(billed_minutes(16, 15, 15), 30);
        assert_eq!(billed_minutes(30, 15, 15), 30);
        assert_eq!(billed_minutes(61, 0, 0), 61);
        assert_eq!(billed_minutes(0, 15, 0), 0);
    }

    proptest! {
        #[test]
        fn find_in_never_panics_and_finds_what_was_written(s in ".{0,80}", y in 2000i16..=2099, n in 1i64..=999_999_999) {
            let _ = TicketRef::find_in(&s);
            let r = TicketRef { year: y, number: n };
            prop_assert_eq!(TicketRef::find_in(&format!("Re: {}", r.subject(&s))), Some(r));
        }

        #[test]
        fn billed_is_never_less_than_worked(m in 0u32..100_000, inc in 0u32..120, min in 0u32..240) {
            let b = billed_minutes(m, inc, min);
            prop_assert!(b >= m && b >= min);
        }
    }
}
