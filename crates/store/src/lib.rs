//! Loket's storage: one code path over SQLite (the embedded default) and PostgreSQL.
//!
//! Conventions that every table follows, so that the same SQL runs on both databases:
//! - money as `BIGINT` minor units, never floats;
//! - instants as `BIGINT` microseconds since the Unix epoch, UTC (`*_at` columns);
//! - calendar dates as ISO `TEXT` (`YYYY-MM-DD`), which sorts and compares correctly;
//! - flags as `INTEGER` 0/1 (sqlx `Any` cannot read SQLite's `BOOLEAN`);
//! - every query parameterised with `$1, $2, …`, numbered in order of first appearance;
//! - the few statements that must differ per database are chosen through [`Backend`].

pub mod accounts;
pub mod attention;
pub mod audit;
pub mod billing;
pub mod change_requests;
pub mod customers;
mod db;
pub mod domains;
pub mod files;
pub mod helpdesk;
pub mod jobs;
pub mod lost_access;
pub mod members;
pub mod meta;
mod migrate;
pub mod monitoring;
pub mod orders;
pub mod outbox;
pub mod quotes;
pub mod read;
pub mod search;
pub mod second_factor;
pub mod time;
pub mod tokens;
pub mod usage;
pub mod work;

pub use db::{Backend, Conn, Pooled, Savepoint, Store, StoreError, Tx, commit, keep_connection, let_go, redact, release, savepoint};
pub use migrate::{MIGRATIONS, Migration};

/// `columns` (a `COLUMNS` list, `"a, b"`) each qualified with the table alias `alias`
/// (`"t.a, t.b"`), to read a table's usual columns in a join.
pub(crate) fn qualified(columns: &str, alias: &str) -> String {
    columns.split(',').map(|c| format!("{alias}.{}", c.trim())).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn columns_are_qualified_across_continued_lines() {
        assert_eq!(super::qualified("id, email,\n    name", "u"), "u.id, u.email, u.name");
    }
}
