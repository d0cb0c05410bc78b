//! E-mail: composing messages from translated templates, and delivering them.
//!
//! Composing is pure (template + language + data → RFC 5322 bytes); the outbox in `loket-store`
//! keeps the bytes, and a job hands them to a [`Transport`]: SMTP (STARTTLS, TLS or plain, with
//! optional authentication) or, with no SMTP configured, `.eml` files in a folder.

#![recursion_limit = "256"]

mod compose;
pub mod inbound;
mod transport;

pub use compose::{Attachment, Composer, MailError, Message, Rendered};
pub use transport::{DeliveryError, SmtpSecurity, SmtpSettings, Transport};
