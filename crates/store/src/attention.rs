//! What needs a customer's attention on their dashboard, per card: the card itself, open and
//! overdue documents with their amounts, quotes awaiting a decision, tickets waiting for the
//! customer's answer and the card's monitors by health. One statement, so that the dashboard
//! costs one round trip for the card and all its counts instead of one per section; each part
//! is one index range of the card.

use jiff::civil::Date;
use loket_domain::helpdesk::ticket::Status;
use loket_domain::monitoring::state::Health;
use loket_domain::quote::QuoteStatus;

use crate::billing::documents::{DocKind, DocState};
use crate::customers::Customer;
use crate::read::Arg;
use crate::{Store, StoreError};

/// A card with its counts for its dashboard. Amounts are minor units of the provider's currency.
#[derive(Debug, Clone)]
pub struct CardAttention {
    pub customer: Customer,
    /// Open invoices and pro formas (credit notes are not paid by the customer).
    pub open_count: i64,
    /// What those still ask, summed.
    pub open_total: i64,
    /// The open ones past their due date.
    pub overdue_count: i64,
    pub overdue_total: i64,
    /// Quotes sent and still valid today, awaiting the customer's decision.
    pub quotes_waiting: i64,
    /// Tickets waiting for the customer's answer.
    pub tickets_waiting: i64,
    /// The card's active monitors per health (`up`, `suspect`, `down`, `unknown`).
    pub monitors: Vec<(String, i64)>,
}

impl Store {
    /// Card `customer_id` and everything its dashboard counts on `today`, in one statement
    /// (`None` when there is no such card).
    pub async fn card_attention(&self, customer_id: i64, today: Date) -> Result<Option<CardAttention>, StoreError> {
        static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            // What an open document still asks, never below zero (as DocumentSummary::open_amount).
            let open = "CASE WHEN gross - paid - credited > 0 THEN gross - paid - credited ELSE 0 END";
            let monitors = monitors_column("customer_id = $1 AND ");
            format!(
                "SELECT {customer}, d.open_count, d.open_total, d.overdue_count, d.overdue_total, \
                 (SELECT COUNT(*) FROM quotes WHERE customer_id = $1 AND status = '{sent}' AND valid_until >= $2) AS quotes_waiting, \
                 (SELECT COUNT(*) FROM tickets WHERE customer_id = $1 AND status = '{waiting}') AS tickets_waiting, {monitors} \
                 FROM (SELECT COUNT(*) AS open_count, CAST(COALESCE(SUM({open}), 0) AS BIGINT) AS open_total, \
                   CAST(COALESCE(SUM(CASE WHEN due_date < $2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS overdue_count, \
                   CAST(COALESCE(SUM(CASE WHEN due_date < $2 THEN {open} ELSE 0 END), 0) AS BIGINT) AS overdue_total \
                   FROM invoices WHERE state = '{open_state}' AND customer_id = $1 AND kind <> '{credit_note}') AS d \
                 JOIN customers c ON c.id = $1",
                customer = crate::qualified(crate::customers::COLUMNS, "c"),
                sent = QuoteStatus::Sent.name(),
                waiting = Status::WaitingOnCustomer.name(),
                open_state = DocState::Open.name(),
                credit_note = DocKind::CreditNote.name(),
            )
        });
        let read = |row: &dyn crate::read::Columns| {
            let n = |name: &str| row.try_get::<i64, _>(name);
            let monitors = monitor_counts(row.try_get::<Option<String>, _>("monitors")?.as_deref().unwrap_or(""))?;
            Ok(CardAttention {
                customer: crate::customers::from_row(row)?,
                open_count: n("open_count")?,
                open_total: n("open_total")?,
                overdue_count: n("overdue_count")?,
                overdue_total: n("overdue_total")?,
                quotes_waiting: n("quotes_waiting")?,
                tickets_waiting: n("tickets_waiting")?,
                monitors,
            })
        };
        let today = today.to_string();
        self.read_one(SQL.as_str(), &[Arg::Int(customer_id), Arg::Text(&today)], read).await
    }
}

/// The column `monitors`: the active monitors that meet `condition` (written before `active`,
/// ending in `AND `, or empty) counted per health in one pass over them, as `health:count`
/// pairs (`up:3,down:1`) that [`monitor_counts`] reads: one subquery instead of one per health,
/// each of which the database had to set up and run on every dashboard.
pub(crate) fn monitors_column(condition: &str) -> String {
    format!(
        "(SELECT string_agg(health || ':' || CAST(n AS TEXT), ',') FROM \
         (SELECT health, COUNT(*) AS n FROM monitors WHERE {condition}active = 1 GROUP BY health) AS h) AS monitors"
    )
}

/// The `health:count` pairs of [`Store::card_attention`]'s monitors, in the order of
/// [`Health::ALL`], leaving out a health no monitor has.
pub(crate) fn monitor_counts(pairs: &str) -> Result<Vec<(String, i64)>, StoreError> {
    let mut counts = [0i64; Health::ALL.len()];
    for pair in pairs.split(',').filter(|p| !p.is_empty()) {
        let corrupt = || StoreError::Corrupt(format!("monitor count {pair:?}"));
        let (health, count) = pair.split_once(':').ok_or_else(corrupt)?;
        let at = Health::ALL.iter().position(|h| h.name() == health).ok_or_else(corrupt)?;
        counts[at] = count.parse().map_err(|_| corrupt())?;
    }
    Ok(Health::ALL.iter().zip(counts).filter(|(_, n)| *n > 0).map(|(h, n)| (h.name().to_string(), n)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monitor_counts_come_in_the_order_of_health_and_leave_out_none() {
        let names: Vec<&str> = Health::ALL.iter().map(|h| h.name()).collect();
        let pairs = format!("{}:1,{}:4", names[names.len() - 1], names[0]);
        assert_eq!(monitor_counts(&pairs).unwrap(), vec![(names[0].to_string(), 4), (names[names.len() - 1].to_string(), 1)]);
        assert!(monitor_counts("").unwrap().is_empty());
        for bad in ["up", "nothing:1", "up:x", "up:1,,down"] {
            assert!(matches!(monitor_counts(bad), Err(StoreError::Corrupt(_))), "{bad}");
        }
    }
}
