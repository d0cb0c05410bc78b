//! Every option of `loket.toml`, declared once: its key, what it means, and how its value is
//! read (from the file or, as text, from a `LOKET_*` variable).

use std::path::PathBuf;
use std::time::Duration;

use loket_domain::provider::check;
use loket_domain::schedule::DailyAt;
use loket_domain::{Country, Currency, Language};
use loket_mail::{SmtpSecurity, SmtpSettings};

use super::{Config, LogFormat};

/// A configuration value, from the file or from the environment (always text there).
pub enum Raw<'a> {
    Str(&'a str),
    Int(i64),
    Bool(bool),
    Other(&'static str),
}

impl Raw<'_> {
    fn text(&self) -> Result<&str, String> {
        match self {
            Raw::Str(s) => Ok(s),
            Raw::Int(_) => Err("must be text in quotes, not a number".into()),
            Raw::Bool(_) => Err("must be text in quotes, not true/false".into()),
            Raw::Other(t) => Err(format!("must be text in quotes, not {t}")),
        }
    }

    fn optional_text(&self) -> Result<Option<&str>, String> {
        Ok(Some(self.text()?.trim()).filter(|s| !s.is_empty()))
    }

    fn int(&self, min: i64, max: i64) -> Result<i64, String> {
        let n = match self {
            Raw::Int(n) => *n,
            Raw::Str(s) => s.trim().parse().map_err(|_| format!("must be a whole number, not `{s}`"))?,
            Raw::Bool(_) => return Err("must be a whole number, not true/false".into()),
            Raw::Other(t) => return Err(format!("must be a whole number, not {t}")),
        };
        if (min..=max).contains(&n) { Ok(n) } else { Err(format!("must be between {min} and {max}, not {n}")) }
    }

    fn boolean(&self) -> Result<bool, String> {
        match self {
            Raw::Bool(b) => Ok(*b),
            Raw::Str(s) => match s.trim() {
                "true" | "1" | "yes" => Ok(true),
                "false" | "0" | "no" => Ok(false),
                other => Err(format!("must be true or false, not `{other}`")),
            },
            _ => Err("must be true or false".into()),
        }
    }
}

type Apply = fn(&mut Config, &Raw) -> Result<(), String>;

/// One option: its key in `loket.toml` (`section.name`), what it means, and how it is read.
/// The environment variable is `LOKET_` + the key in capitals with `.` as `_`, except for the
/// three short ones the CLI also takes (`LOKET_LISTEN`, `LOKET_DATA_DIR`, `LOKET_DATABASE_URL`).
pub struct Field {
    pub key: &'static str,
    pub doc: &'static str,
    pub(super) apply: Apply,
}

impl Field {
    pub fn env_var(&self) -> String {
        match self.key {
            "server.listen" => "LOKET_LISTEN".into(),
            "server.data_dir" => "LOKET_DATA_DIR".into(),
            "server.database_url" => "LOKET_DATABASE_URL".into(),
            key => format!("LOKET_{}", key.replace('.', "_").to_ascii_uppercase()),
        }
    }
}

fn smtp(c: &mut Config) -> &mut SmtpSettings {
    &mut c.smtp_settings
}

pub const FIELDS: &[Field] = &[
    Field {
        key: "server.listen",
        doc: "Address and port to listen on",
        apply: |c, v| {
            c.listen =
                v.text()?.trim().parse().map_err(|_| format!("`{}` is not ADDRESS:PORT, e.g. 127.0.0.1:8080", v.text().unwrap_or("")))?;
            Ok(())
        },
    },
    Field {
        key: "server.data_dir",
        doc: "Folder for the SQLite database, mail-out and attachments",
        apply: |c, v| {
            c.data_dir = PathBuf::from(check::text(v.text()?, 4096)?);
            Ok(())
        },
    },
    Field {
        key: "server.database_url",
        doc: "postgres://USER@HOST:PORT/DB, or empty for SQLite in the data directory",
        apply: |c, v| {
            c.database_url = match v.optional_text()? {
                None => None,
                Some(u) if u.starts_with("sqlite:") || u.starts_with("postgres://") || u.starts_with("postgresql://") => {
                    Some(u.to_string())
                }
                Some(u) => {
                    return Err(format!(
                        "`{}` is not a database URL: use postgres://USER@HOST:PORT/DB or sqlite://PATH",
                        loket_store::redact(u)
                    ));
                }
            };
            Ok(())
        },
    },
    Field {
        key: "server.database_max_connections",
        doc: "Connections in this node's database pool",
        apply: |c, v| {
            c.database_max_connections = v.int(1, 1000)? as u32;
            Ok(())
        },
    },
    Field {
        key: "server.public_url",
        doc: "The address customers use, e.g. https://mijn.example.nl",
        apply: |c, v| {
            let u = check::text(v.text()?, 500)?;
            if !(u.starts_with("http://") || u.starts_with("https://")) {
                return Err(format!("`{u}` must start with http:// or https://"));
            }
            c.public_url = u.trim_end_matches('/').to_string();
            c.public_url_set = true;
            Ok(())
        },
    },
    Field {
        key: "server.trust_forwarded_for",
        doc: "Behind a reverse proxy: the client's address is the last X-Forwarded-For entry",
        apply: |c, v| {
            c.trust_forwarded_for = v.boolean()?;
            Ok(())
        },
    },
    Field {
        key: "server.header_timeout_seconds",
        doc: "A client must send a request's header within this many seconds, and an idle keep-alive connection closes after as long (slow or silent clients cannot hold connections)",
        apply: |c, v| {
            c.header_timeout = std::time::Duration::from_secs(v.int(1, 3600)? as u64);
            Ok(())
        },
    },
    Field {
        key: "provider.trading_name",
        doc: "Name customers know you by",
        apply: |c, v| {
            c.provider.trading_name = check::text(v.text()?, 200)?;
            Ok(())
        },
    },
    Field {
        key: "provider.legal_name",
        doc: "Registered legal name (on invoices)",
        apply: |c, v| {
            c.provider.legal_name = check::text(v.text()?, 200)?;
            Ok(())
        },
    },
    Field {
        key: "provider.street",
        doc: "Street and number",
        apply: |c, v| {
            c.provider.address.street = check::text(v.text()?, 200)?;
            Ok(())
        },
    },
    Field {
        key: "provider.postal_code",
        doc: "Postal code",
        apply: |c, v| {
            c.provider.address.postal_code = check::text(v.text()?, 20)?;
            Ok(())
        },
    },
    Field {
        key: "provider.city",
        doc: "City",
        apply: |c, v| {
            c.provider.address.city = check::text(v.text()?, 100)?;
            Ok(())
        },
    },
    Field {
        key: "provider.country",
        doc: "ISO country code: NL, IT, …",
        apply: |c, v| {
            c.provider.address.country = v.text()?.parse::<Country>().map_err(|e| e.to_string())?;
            Ok(())
        },
    },
    Field {
        key: "provider.vat_number",
        doc: "VAT number with country prefix (NL…B01, IT…)",
        apply: |c, v| {
            c.provider.vat_number = v.optional_text()?.map(check::vat_number).transpose()?;
            Ok(())
        },
    },
    Field {
        key: "provider.coc_number",
        doc: "Chamber of commerce number (KvK, REA)",
        apply: |c, v| {
            c.provider.coc_number = v.optional_text()?.map(|s| check::text(s, 40)).transpose()?;
            Ok(())
        },
    },
    Field {
        key: "provider.iban",
        doc: "IBAN customers pay to (printed on invoices)",
        apply: |c, v| {
            c.provider.iban = v.optional_text()?.map(check::iban).transpose()?;
            Ok(())
        },
    },
    Field {
        key: "provider.bic",
        doc: "BIC of that account",
        apply: |c, v| {
            c.provider.bic = v.optional_text()?.map(check::bic).transpose()?;
            Ok(())
        },
    },
    Field {
        key: "provider.email",
        doc: "Administration e-mail address",
        apply: |c, v| {
            c.provider.email = check::email(v.text()?)?;
            Ok(())
        },
    },
    Field {
        key: "provider.phone",
        doc: "Phone number",
        apply: |c, v| {
            c.provider.phone = v.optional_text()?.map(|s| check::text(s, 40)).transpose()?;
            Ok(())
        },
    },
    Field {
        key: "provider.website",
        doc: "Website",
        apply: |c, v| {
            c.provider.website = v.optional_text()?.map(|s| check::text(s, 200)).transpose()?;
            Ok(())
        },
    },
    Field {
        key: "provider.default_language",
        doc: "nl, it or en: for customers who chose none",
        apply: |c, v| {
            c.provider.default_language = v.text()?.parse::<Language>().map_err(|e| e.to_string())?;
            Ok(())
        },
    },
    Field {
        key: "provider.currency",
        doc: "Billing currency (EUR)",
        apply: |c, v| {
            c.provider.currency = v.text()?.parse::<Currency>().map_err(|e| e.to_string())?;
            Ok(())
        },
    },
    Field {
        key: "provider.time_zone",
        doc: "IANA time zone for due dates and daily runs, e.g. Europe/Rome",
        apply: |c, v| {
            c.provider.time_zone = check::time_zone(v.text()?)?;
            Ok(())
        },
    },
    Field {
        key: "mail.from",
        doc: "Sender of all mail, e.g. \"ECM2 <administratie@ecm2.nl>\"",
        apply: |c, v| {
            c.mail_from = v
                .optional_text()?
                .map(|s| {
                    let addr = s.rsplit_once('<').map(|(_, a)| a.trim_end_matches('>')).unwrap_or(s);
                    check::email(addr).map(|_| s.to_string())
                })
                .transpose()?;
            Ok(())
        },
    },
    Field {
        key: "mail.smtp_host",
        doc: "SMTP server; empty: write .eml files to DATA_DIR/mail-out",
        apply: |c, v| {
            smtp(c).host = v.optional_text()?.map(|h| check::text(h, 253)).transpose()?.unwrap_or_default();
            Ok(())
        },
    },
    Field {
        key: "mail.smtp_port",
        doc: "SMTP port (587 for starttls, 465 for tls)",
        apply: |c, v| {
            smtp(c).port = v.int(1, 65535)? as u16;
            Ok(())
        },
    },
    Field {
        key: "mail.smtp_security",
        doc: "starttls, tls or none",
        apply: |c, v| {
            smtp(c).security = match v.text()?.trim() {
                "starttls" => SmtpSecurity::StartTls,
                "tls" => SmtpSecurity::Tls,
                "none" => SmtpSecurity::None,
                other => return Err(format!("`{other}` is not one of starttls, tls, none")),
            };
            Ok(())
        },
    },
    Field {
        key: "mail.smtp_username",
        doc: "SMTP user name",
        apply: |c, v| {
            smtp(c).username = v.optional_text()?.map(str::to_string);
            Ok(())
        },
    },
    Field {
        key: "mail.smtp_password",
        doc: "SMTP password (better through LOKET_MAIL_SMTP_PASSWORD)",
        apply: |c, v| {
            smtp(c).password = v.optional_text()?.map(str::to_string);
            Ok(())
        },
    },
    Field {
        key: "mail.smtp_timeout_seconds",
        doc: "Give up on an SMTP conversation after this long",
        apply: |c, v| {
            smtp(c).timeout = Duration::from_secs(v.int(1, 600)? as u64);
            Ok(())
        },
    },
    Field {
        key: "mail.smtp_accept_invalid_certs",
        doc: "Accept a self-signed certificate (test servers only)",
        apply: |c, v| {
            smtp(c).accept_invalid_certs = v.boolean()?;
            Ok(())
        },
    },
    Field {
        key: "jobs.workers",
        doc: "Jobs this node runs at once",
        apply: |c, v| {
            c.jobs_workers = v.int(0, 256)? as usize;
            Ok(())
        },
    },
    Field {
        key: "jobs.lease_seconds",
        doc: "A job whose node stops is retried after this long",
        apply: |c, v| {
            c.jobs_lease = Duration::from_secs(v.int(2, 86_400)? as u64);
            Ok(())
        },
    },
    Field {
        key: "jobs.poll_interval_ms",
        doc: "How often an idle node looks for new jobs",
        apply: |c, v| {
            c.jobs_poll_interval = Duration::from_millis(v.int(10, 60_000)? as u64);
            Ok(())
        },
    },
    Field {
        key: "jobs.retention_days",
        doc: "Finished jobs are removed after this many days",
        apply: |c, v| {
            c.jobs_retention_days = v.int(1, 3650)? as u32;
            Ok(())
        },
    },
    Field {
        key: "branding.accent_colour",
        doc: "The provider's colour for links, buttons and focus rings, #rrggbb; it must be dark enough for white text on it (4.5:1)",
        apply: |c, v| {
            c.branding_accent = v.optional_text()?.map(loket_web::brand::parse_accent).transpose()?;
            Ok(())
        },
    },
    Field {
        key: "branding.logo",
        doc: "The provider's logo for the page header: an SVG or PNG file (at most 256 KB), relative to this file's directory",
        apply: |c, v| {
            c.branding_logo = v.optional_text()?.map(PathBuf::from);
            Ok(())
        },
    },
    Field {
        key: "branding.document_logo",
        doc: "The logo printed on PDF documents: a PNG or JPEG file (at most 2 MB, 4000 px a side), relative to this file's directory; default: branding.logo when that is a PNG",
        apply: |c, v| {
            c.branding_document_logo = v.optional_text()?.map(PathBuf::from);
            Ok(())
        },
    },
    Field {
        key: "einvoicing.regime_fiscale",
        doc: "FatturaPA: the Italian provider's tax regime (RegimeFiscale), RF01 (ordinary) to RF19, or RF20 with fatturapa_version 1.2.3",
        apply: |c, v| {
            let r = v.text()?.trim().to_ascii_uppercase();
            if !loket_documents::fatturapa::regime_allowed(&r, loket_documents::FatturaVersion::V123) {
                return Err(format!("`{r}` is not a RegimeFiscale: write RF01 … RF20"));
            }
            c.einvoicing.regime_fiscale = r;
            Ok(())
        },
    },
    Field {
        key: "einvoicing.fatturapa_version",
        doc: "FatturaPA schema version written: \"1.2.2\" (default) or \"1.2.3\" (adds RegimeFiscale RF20 and TipoDocumento TD29)",
        apply: |c, v| {
            c.einvoicing.fatturapa_version = match v.text()?.trim() {
                "1.2.2" => loket_documents::FatturaVersion::V122,
                "1.2.3" => loket_documents::FatturaVersion::V123,
                other => return Err(format!("`{other}` is not a FatturaPA version: write \"1.2.2\" or \"1.2.3\"")),
            };
            Ok(())
        },
    },
    Field {
        key: "einvoicing.transmit_from",
        doc: "E-invoices (FatturaPA to the SDI, UBL over Peppol) of documents issued on or after this date, YYYY-MM-DD, are sent through the folders below",
        apply: |c, v| {
            let text = v.text()?.trim();
            c.transmit_from = Some(text.parse().map_err(|_| format!("`{text}` is not a date: write YYYY-MM-DD"))?);
            Ok(())
        },
    },
    Field {
        key: "einvoicing.sdi_folder",
        doc: "The folder your SDI intermediary collects FatturaPA files from (Italian providers); each invoice and credit note is written there once",
        apply: |c, v| {
            c.transmit_sdi_folder = v.optional_text()?.map(PathBuf::from);
            Ok(())
        },
    },
    Field {
        key: "einvoicing.peppol_folder",
        doc: "The folder your Peppol access point collects UBL files from; each invoice and credit note to a customer with a Peppol address is written there once",
        apply: |c, v| {
            c.transmit_peppol_folder = v.optional_text()?.map(PathBuf::from);
            Ok(())
        },
    },
    Field {
        key: "payments.provider",
        doc: "Online payment (\"Pay now\" on open invoices): \"mollie\", \"demo\" (a local test provider, no money moves) or \"off\"",
        apply: |c, v| {
            c.payments.provider = match v.text()?.trim() {
                "mollie" => super::payments::Provider::Mollie,
                "demo" => super::payments::Provider::Demo,
                "off" | "" => super::payments::Provider::Off,
                other => return Err(format!("`{other}` is not a payment provider: write \"mollie\", \"demo\" or \"off\"")),
            };
            Ok(())
        },
    },
    Field {
        key: "payments.mollie_api_key",
        doc: "The Mollie account's API key (live_… or test_…); keep it out of the file: LOKET_PAYMENTS_MOLLIE_API_KEY",
        apply: |c, v| {
            c.payments.mollie_api_key = v.optional_text()?.map(str::to_string);
            Ok(())
        },
    },
    Field {
        key: "payments.mollie_api_url",
        doc: "Mollie's API address (default https://api.mollie.com/v2)",
        apply: |c, v| {
            let url = v.optional_text()?;
            if let Some(u) = url
                && !(u.starts_with("https://") || u.starts_with("http://127.0.0.1") || u.starts_with("http://localhost"))
            {
                return Err(format!("`{u}` must be an https:// address"));
            }
            c.payments.mollie_api_url = url.map(str::to_string);
            Ok(())
        },
    },
    Field {
        key: "payments.webhook_secret",
        doc: "The signing secret of Mollie's signed (next-gen) webhooks; their signature is checked when set",
        apply: |c, v| {
            c.payments.webhook_secret = v.optional_text()?.map(str::to_string);
            Ok(())
        },
    },
    Field {
        key: "payments.methods",
        doc: "Payment methods offered, comma-separated Mollie ids (ideal, creditcard, bancontact, paypal, …); empty: all the account has",
        apply: |c, v| {
            c.payments.methods = super::payments::parse_methods(v.text()?)?;
            Ok(())
        },
    },
    Field {
        key: "payments.method_labels",
        doc: "Names shown for methods instead of the provider's, e.g. \"ideal=iDEAL | Wero; paypal=PayPal\"",
        apply: |c, v| {
            c.payments.labels = super::payments::parse_labels(v.text()?)?;
            Ok(())
        },
    },
    Field {
        key: "sepa.creditor_id",
        doc: "Your SEPA creditor identifier (Incassant-ID, codice identificativo del creditore), e.g. NL42ZZZ123456780001: needed to take mandates and collect by direct debit",
        apply: |c, v| {
            c.sepa.creditor_id = v.optional_text()?.map(loket_domain::billing::sepa::check_creditor_id).transpose()?;
            Ok(())
        },
    },
    Field {
        key: "sepa.pain_version",
        doc: "The pain.008 version your bank takes for direct-debit files: \"001.08\" (default) or \"001.02\"",
        apply: |c, v| {
            c.sepa.pain_version = loket_app::billing::sepa::parse_pain_version(v.text()?)?;
            Ok(())
        },
    },
    Field {
        key: "sepa.lead_days",
        doc: "TARGET2 business days your bank needs between receiving a direct-debit file and its collection date (default 2)",
        apply: |c, v| {
            c.sepa.lead_days = v.int(1, 10)? as u8;
            Ok(())
        },
    },
    Field {
        key: "sepa.pre_notification_days",
        doc: "Calendar days before a collection by which the debtor is told of it (default 14; your terms may agree on fewer, e.g. 5)",
        apply: |c, v| {
            c.sepa.pre_notification_days = v.int(1, 60)? as u8;
            Ok(())
        },
    },
    Field {
        key: "sepa.collect",
        doc: "Which open invoices a direct-debit file collects: \"due\" (due on or before the collection date; default) or \"issued\" (every invoice issued by then)",
        apply: |c, v| {
            c.sepa.collect = loket_domain::billing::sepa::CollectRule::parse(v.text()?)?;
            Ok(())
        },
    },
    Field {
        key: "lost_access.retention_days",
        doc: "Scans sent through the lost-access form (identity documents) are deleted this many days after they arrived",
        apply: |c, v| {
            c.lost_access_retention_days = v.int(1, 3650)? as u32;
            Ok(())
        },
    },
    Field {
        key: "schedule.housekeeping",
        doc: "Local time (provider's zone) of the daily clean-up, HH:MM",
        apply: |c, v| {
            c.schedule_housekeeping = v.text()?.parse::<DailyAt>().map_err(|e| e.to_string())?;
            Ok(())
        },
    },
    Field {
        key: "schedule.billing_run",
        doc: "Local time (provider's zone) of the daily billing run, HH:MM, or off (run `loket billing run` yourself)",
        apply: |c, v| {
            let t = v.text()?.trim();
            c.schedule_billing_run = if t == "off" { None } else { Some(t.parse::<DailyAt>().map_err(|e| e.to_string())?) };
            Ok(())
        },
    },
    Field {
        key: "accounts.reviewed_fields",
        doc: "Card fields whose change staff review first, comma-separated (empty: none)",
        apply: |c, v| {
            let mut fields = Vec::new();
            for f in v.text()?.split(',').map(str::trim).filter(|f| !f.is_empty()) {
                if !loket_domain::card_edit::EDITABLE_FIELDS.contains(&f) {
                    return Err(format!(
                        "`{f}` is not an editable card field: use {}",
                        loket_domain::card_edit::EDITABLE_FIELDS.join(", ")
                    ));
                }
                fields.push(f.to_string());
            }
            c.reviewed_fields = fields;
            Ok(())
        },
    },
    Field {
        key: "accounts.staff_require_second_factor",
        doc: "Staff must use two-step sign-in (an authenticator app)",
        apply: |c, v| {
            c.staff_require_second_factor = v.boolean()?;
            Ok(())
        },
    },
    Field {
        key: "log.format",
        doc: "text or json",
        apply: |c, v| {
            c.log_format = match v.text()?.trim() {
                "text" => LogFormat::Text,
                "json" => LogFormat::Json,
                o => return Err(format!("`{o}` is not text or json")),
            };
            Ok(())
        },
    },
    Field {
        key: "helpdesk.enabled",
        doc: "The helpdesk (tickets, e-mail in, SLA, standby); on unless false",
        apply: |c, v| {
            c.helpdesk.enabled = v.boolean()?;
            Ok(())
        },
    },
    Field {
        key: "helpdesk.address",
        doc: "The support address: Reply-To of every ticket mail; staff hear of new tickets there",
        apply: |c, v| {
            c.helpdesk.address = v.optional_text()?.map(check::email).transpose()?;
            Ok(())
        },
    },
    Field {
        key: "helpdesk.staff_notify",
        doc: "Where staff hear of new tickets and of answers on unassigned ones; empty: staff work from the queue",
        apply: |c, v| {
            c.helpdesk.staff_notify = v.optional_text()?.map(check::email).transpose()?;
            Ok(())
        },
    },
    Field {
        key: "helpdesk.mailboxes",
        doc: "IMAP mailboxes whose mail becomes tickets, comma-separated: imaps://USER:PASSWORD@HOST:993/INBOX (secret: prefer LOKET_HELPDESK_MAILBOXES)",
        apply: |c, v| {
            let text = v.text()?;
            let boxes: Vec<String> = text.split(',').map(str::trim).filter(|b| !b.is_empty()).map(str::to_string).collect();
            for b in &boxes {
                crate::mailboxes::parse(b).map_err(|e| format!("{}: {e}", loket_store::redact(b)))?;
            }
            c.helpdesk.mailboxes = boxes;
            Ok(())
        },
    },
    Field {
        key: "helpdesk.hours",
        doc: "Office hours in the provider's time zone, e.g. \"mon-fri 08:30-18:00\" or \"mon-thu 08:30-18:00, fri 08:30-17:00\"",
        apply: |c, v| {
            c.helpdesk.hours = v.text()?.parse().map_err(|e: loket_domain::helpdesk::calendar::CalendarError| e.to_string())?;
            Ok(())
        },
    },
    Field {
        key: "helpdesk.holidays",
        doc: "Countries whose public holidays close the office (NL, IT); default: the provider's country",
        apply: |c, v| {
            c.helpdesk.holidays = super::helpdesk::parse_countries(v.text()?)?;
            Ok(())
        },
    },
    Field {
        key: "helpdesk.closed",
        doc: "The provider's own closed days and closures, e.g. \"2026-12-24, 2026-12-27..2026-12-31\"",
        apply: |c, v| {
            let (days, closures) = super::helpdesk::parse_closed(v.text()?)?;
            c.helpdesk.closed_days = days;
            c.helpdesk.closures = closures;
            Ok(())
        },
    },
    Field {
        key: "helpdesk.unknown_senders",
        doc: "Mail from an address Loket does not know: ticket (a ticket without a card) or refuse (a polite reply)",
        apply: |c, v| {
            c.helpdesk.unknown_senders = loket_app::helpdesk::UnknownSenders::parse(v.text()?)?;
            Ok(())
        },
    },
    Field {
        key: "helpdesk.ack_window",
        doc: "At most one acknowledgement per sender within this time, e.g. \"24 hours\"",
        apply: |c, v| {
            c.helpdesk.ack_window = loket_domain::input::duration("helpdesk.ack_window", v.text()?).map_err(|e| e.message)?;
            Ok(())
        },
    },
    Field {
        key: "helpdesk.entitled_plans",
        doc: "Plan codes that include the helpdesk (e.g. gold), comma-separated; empty: every card",
        apply: |c, v| {
            c.helpdesk.entitled_plans = v.text()?.split(',').map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect();
            Ok(())
        },
    },
    Field {
        key: "helpdesk.contact",
        doc: "How customers without the helpdesk reach the provider (e-mail, phone, fax), shown instead of the form",
        apply: |c, v| {
            c.helpdesk.contact = check::text(v.text()?, 500)?.to_string();
            Ok(())
        },
    },
    Field {
        key: "helpdesk.time_increment",
        doc: "Billable time is rounded up to this many minutes",
        apply: |c, v| {
            c.helpdesk.time_increment = v.int(0, 240)? as u32;
            Ok(())
        },
    },
    Field {
        key: "helpdesk.time_minimum",
        doc: "Billable time is at least this many minutes",
        apply: |c, v| {
            c.helpdesk.time_minimum = v.int(0, 480)? as u32;
            Ok(())
        },
    },
    Field {
        key: "helpdesk.sla",
        doc: "SLA targets in office time per priority, first response/resolution: \"urgent=30m/4h; high=2h/16h; normal=8h/40h; low=16h/80h\"",
        apply: |c, v| {
            let defaults = loket_app::helpdesk::HelpdeskSettings::new(loket_domain::helpdesk::calendar::OfficeCalendar::always()).sla;
            c.helpdesk.sla = Some(super::helpdesk::parse_sla(v.text()?, defaults)?);
            Ok(())
        },
    },
    Field {
        key: "helpdesk.escalation",
        doc: "Escalation rules: \"first_response breach raise_priority; resolution warning notify:lead@example.nl; first_response breach reassign:second-line\"",
        apply: |c, v| {
            c.helpdesk.escalation = super::helpdesk::parse_escalation(v.text()?)?;
            Ok(())
        },
    },
    Field {
        key: "monitoring.enabled",
        doc: "This node checks monitors (each slot once across the nodes); on unless false",
        apply: |c, v| {
            c.monitoring_enabled = v.boolean()?;
            Ok(())
        },
    },
    Field {
        key: "monitoring.concurrency",
        doc: "How many checks this node runs at once (default 256)",
        apply: |c, v| {
            c.monitoring_concurrency = v.int(1, 4096)? as usize;
            Ok(())
        },
    },
    Field {
        key: "monitoring.ca_file",
        doc: "A PEM file of CA certificates that checks trust besides the public roots (a provider's own CA)",
        apply: |c, v| {
            c.monitoring_roots = match v.optional_text()? {
                None => Vec::new(),
                Some(path) => {
                    let pem = std::fs::read(path).map_err(|e| format!("cannot read `{path}`: {e}"))?;
                    loket_monitor::roots_from_pem(&pem)?.into_iter().map(|c| c.to_vec()).collect()
                }
            };
            Ok(())
        },
    },
    Field {
        key: "monitoring.alert",
        doc: "Where the provider hears of incidents by e-mail; default: helpdesk.staff_notify",
        apply: |c, v| {
            c.monitoring.alert = v.optional_text()?.map(check::email).transpose()?;
            Ok(())
        },
    },
    Field {
        key: "monitoring.webhook",
        doc: "A URL that gets every incident opened and resolved as JSON (POST, signed when webhook_secret is set)",
        apply: |c, v| {
            let url = v.optional_text()?;
            if let Some(u) = url
                && !(u.starts_with("https://") || u.starts_with("http://"))
            {
                return Err(format!("`{}` is not an http(s) URL", loket_domain::input::sample(u)));
            }
            c.monitoring.webhook = url.map(str::to_string);
            Ok(())
        },
    },
    Field {
        key: "monitoring.webhook_secret",
        doc: "Signs each webhook: header X-Loket-Signature: sha256=HMAC-SHA256(secret, body) in hex",
        apply: |c, v| {
            c.monitoring.webhook_secret = v.optional_text()?.map(str::to_string);
            Ok(())
        },
    },
    Field {
        key: "monitoring.keep_raw",
        doc: "How long each check's raw result is kept (default \"12 hours\"); hours, days and months are rolled up",
        apply: |c, v| {
            c.monitoring.keep_raw = loket_domain::input::duration("monitoring.keep_raw", v.text()?).map_err(|e| e.message)?;
            Ok(())
        },
    },
    Field {
        key: "monitoring.keep_hours",
        doc: "How long hourly roll-ups are kept (default \"366 days\"); days and months are kept",
        apply: |c, v| {
            c.monitoring.keep_hours = loket_domain::input::duration("monitoring.keep_hours", v.text()?).map_err(|e| e.message)?;
            Ok(())
        },
    },
    Field {
        key: "monitoring.flap_window",
        doc: "A failure this soon after a recovery continues the same incident; a recovery is told once it held this long (default \"15 minutes\")",
        apply: |c, v| {
            c.monitoring.flap_window = loket_domain::input::duration("monitoring.flap_window", v.text()?).map_err(|e| e.message)?;
            Ok(())
        },
    },
    Field {
        key: "monitoring.tickets",
        doc: "An incident of a card's service opens a helpdesk ticket; on unless false",
        apply: |c, v| {
            c.monitoring.tickets = v.boolean()?;
            Ok(())
        },
    },
];
