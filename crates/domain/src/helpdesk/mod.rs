//! The helpdesk's rules: tickets (`ticket`), the provider's office hours, public holidays and
//! closures (`calendar`), SLA clocks derived from a ticket's history (`sla`), and the standby
//! regime priced to the minute (`standby`). Pure: the time zone, the holidays and the events are
//! given; nothing here reads a clock.

pub mod calendar;
pub mod sla;
pub mod standby;
pub mod ticket;

use std::collections::BTreeSet;

use jiff::civil::Date;

/// Which days are public holidays or the provider's own closed days.
pub trait HolidayCalendar {
    fn is_holiday(&self, date: Date) -> bool;
}

impl HolidayCalendar for BTreeSet<Date> {
    fn is_holiday(&self, date: Date) -> bool {
        self.contains(&date)
    }
}

/// No holidays at all (24/7 plans, tests).
pub struct NoHolidays;

impl HolidayCalendar for NoHolidays {
    fn is_holiday(&self, _: Date) -> bool {
        false
    }
}
