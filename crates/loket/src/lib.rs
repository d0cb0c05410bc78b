//! The `loket` program as a library: opening Loket ([`app`]), its configuration ([`config`]),
//! the demo data ([`demo`]), the job handlers ([`handlers`]), the daily scheduler
//! ([`scheduler`]) and `loket serve` ([`serve`]). The binary (`main.rs`) parses the command
//! line and calls into these; the integration tests start the same server in-process.

pub mod app;
pub mod config;
pub mod demo;
pub mod handlers;
pub mod mailboxes;
pub mod monitoring;
pub mod scheduler;
pub mod serve;
