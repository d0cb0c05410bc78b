//! Loket's integration suite, one test binary: each module is one capability exercised through
//! the real thing — the HTTP server on a real port, the `loket` binary, SQLite or PostgreSQL
//! (`LOKET_TEST_DATABASE_URL`), a real SMTP server, Chromium. One binary instead of one per file
//! links the whole program once, which keeps a clean build's time and disk within CI's budget.

mod support;

mod accounts;
mod api;
mod api_schema;
mod backoffice;
mod bank;
mod billing;
mod billing_pages;
mod billing_texts;
mod browser;
mod changes;
mod cli;
mod concurrency;
mod documents;
mod domains;
mod einvoices;
mod exports;
mod helpdesk;
mod helpdesk_pages;
mod history;
mod hostile;
mod http;
mod jobs;
mod lost_access;
mod mail;
mod matrix;
mod members;
mod monitoring;
mod monitoring_pages;
mod notices;
mod online;
mod orders;
mod page_snapshots;
mod quotes;
mod scale;
mod sepa;
mod settlement;
mod two_step;
mod usage;
