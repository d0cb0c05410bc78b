//! Monitoring on this node: the checker (`checker.rs`: claims due monitors, probes them with
//! bounded concurrency, hands the results to the service layer in batches), the jobs monitoring
//! causes (`jobs.rs`: recoveries, maintenance announcements, webhooks, the daily purge and the
//! monthly reports) and the monitors file (`loket monitors apply`).

pub mod checker;
pub mod jobs;

pub use checker::{Checker, Stats};
