use std::sync::Arc;

use lettre::message::header::{self, ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use loket_domain::{Language, ProviderIdentity};
use minijinja::Environment;

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("unknown mail template `{0}`")]
    UnknownTemplate(String),
    #[error("template {0}: {1}")]
    Template(String, String),
    #[error("invalid address `{0}`: {1}")]
    Address(String, String),
    #[error("cannot build the message: {0}")]
    Build(String),
}

/// A composed message: what the outbox stores and a transport sends.
#[derive(Debug, Clone)]
pub struct Message {
    pub message_id: String,
    pub template: String,
    pub language: Language,
    pub from: String,
    pub to: Vec<String>,
    pub subject: String,
    pub raw: String,
}

/// A file sent with a message (an invoice's PDF).
#[derive(Debug, Clone)]
pub struct Attachment {
    pub file_name: String,
    /// e.g. `application/pdf`.
    pub content_type: String,
    pub content: Vec<u8>,
}

impl Attachment {
    /// A PDF named `file_name`.
    pub fn pdf(file_name: String, content: Vec<u8>) -> Attachment {
        Attachment { file_name, content_type: "application/pdf".into(), content }
    }
}

/// Where a message belongs in a conversation: the message it answers, the thread before it
/// (Message-IDs with or without angle brackets), and the address answers go to.
#[derive(Debug, Clone, Default)]
pub struct Thread {
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    pub reply_to: Option<String>,
}

fn angle(id: &str) -> String {
    let id = id.trim().trim_start_matches('<').trim_end_matches('>');
    format!("<{id}>")
}

/// A rendered message: subject and both bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Every template Loket can send; each has `NAME.txt.j2`, `NAME.html.j2` and a subject key
/// `mail-NAME-subject` in every language.
const TEMPLATES: &[(&str, &str, &str)] = &[
    ("test", include_str!("../templates/test.txt.j2"), include_str!("../templates/test.html.j2")),
    ("welcome", include_str!("../templates/welcome.txt.j2"), include_str!("../templates/welcome.html.j2")),
    ("password-reset", include_str!("../templates/password-reset.txt.j2"), include_str!("../templates/password-reset.html.j2")),
    (
        "change-request-received",
        include_str!("../templates/change-request-received.txt.j2"),
        include_str!("../templates/change-request-received.html.j2"),
    ),
    (
        "change-request-staff",
        include_str!("../templates/change-request-staff.txt.j2"),
        include_str!("../templates/change-request-staff.html.j2"),
    ),
    (
        "change-request-decided",
        include_str!("../templates/change-request-decided.txt.j2"),
        include_str!("../templates/change-request-decided.html.j2"),
    ),
    ("invitation", include_str!("../templates/invitation.txt.j2"), include_str!("../templates/invitation.html.j2")),
    ("billing-invoice", include_str!("../templates/billing-invoice.txt.j2"), include_str!("../templates/billing-invoice.html.j2")),
    ("billing-payment", include_str!("../templates/billing-payment.txt.j2"), include_str!("../templates/billing-payment.html.j2")),
    ("billing-reminder", include_str!("../templates/billing-reminder.txt.j2"), include_str!("../templates/billing-reminder.html.j2")),
    ("billing-suspended", include_str!("../templates/billing-suspended.txt.j2"), include_str!("../templates/billing-suspended.html.j2")),
    ("billing-terminated", include_str!("../templates/billing-terminated.txt.j2"), include_str!("../templates/billing-terminated.html.j2")),
    ("billing-ended", include_str!("../templates/billing-ended.txt.j2"), include_str!("../templates/billing-ended.html.j2")),
    (
        "billing-reactivated",
        include_str!("../templates/billing-reactivated.txt.j2"),
        include_str!("../templates/billing-reactivated.html.j2"),
    ),
    (
        "billing-cancellation",
        include_str!("../templates/billing-cancellation.txt.j2"),
        include_str!("../templates/billing-cancellation.html.j2"),
    ),
    (
        "billing-renewal-offer",
        include_str!("../templates/billing-renewal-offer.txt.j2"),
        include_str!("../templates/billing-renewal-offer.html.j2"),
    ),
    ("billing-renewed", include_str!("../templates/billing-renewed.txt.j2"), include_str!("../templates/billing-renewed.html.j2")),
    ("billing-lapsed", include_str!("../templates/billing-lapsed.txt.j2"), include_str!("../templates/billing-lapsed.html.j2")),
    ("billing-upcoming", include_str!("../templates/billing-upcoming.txt.j2"), include_str!("../templates/billing-upcoming.html.j2")),
    ("billing-mandate", include_str!("../templates/billing-mandate.txt.j2"), include_str!("../templates/billing-mandate.html.j2")),
    (
        "billing-mandate-ended",
        include_str!("../templates/billing-mandate-ended.txt.j2"),
        include_str!("../templates/billing-mandate-ended.html.j2"),
    ),
    (
        "billing-direct-debit",
        include_str!("../templates/billing-direct-debit.txt.j2"),
        include_str!("../templates/billing-direct-debit.html.j2"),
    ),
    (
        "billing-direct-debit-returned",
        include_str!("../templates/billing-direct-debit-returned.txt.j2"),
        include_str!("../templates/billing-direct-debit-returned.html.j2"),
    ),
    ("ticket-received", include_str!("../templates/ticket-received.txt.j2"), include_str!("../templates/ticket-received.html.j2")),
    ("ticket-created", include_str!("../templates/ticket-created.txt.j2"), include_str!("../templates/ticket-created.html.j2")),
    ("ticket-reply", include_str!("../templates/ticket-reply.txt.j2"), include_str!("../templates/ticket-reply.html.j2")),
    ("ticket-status", include_str!("../templates/ticket-status.txt.j2"), include_str!("../templates/ticket-status.html.j2")),
    ("ticket-staff", include_str!("../templates/ticket-staff.txt.j2"), include_str!("../templates/ticket-staff.html.j2")),
    ("ticket-assigned", include_str!("../templates/ticket-assigned.txt.j2"), include_str!("../templates/ticket-assigned.html.j2")),
    ("ticket-escalated", include_str!("../templates/ticket-escalated.txt.j2"), include_str!("../templates/ticket-escalated.html.j2")),
    ("ticket-refused", include_str!("../templates/ticket-refused.txt.j2"), include_str!("../templates/ticket-refused.html.j2")),
    ("quote-sent", include_str!("../templates/quote-sent.txt.j2"), include_str!("../templates/quote-sent.html.j2")),
    ("quote-decided", include_str!("../templates/quote-decided.txt.j2"), include_str!("../templates/quote-decided.html.j2")),
    ("order-confirmed", include_str!("../templates/order-confirmed.txt.j2"), include_str!("../templates/order-confirmed.html.j2")),
    (
        "payment-chargeback-staff",
        include_str!("../templates/payment-chargeback-staff.txt.j2"),
        include_str!("../templates/payment-chargeback-staff.html.j2"),
    ),
    (
        "domain-contact-staff",
        include_str!("../templates/domain-contact-staff.txt.j2"),
        include_str!("../templates/domain-contact-staff.html.j2"),
    ),
    (
        "domain-contact-decided",
        include_str!("../templates/domain-contact-decided.txt.j2"),
        include_str!("../templates/domain-contact-decided.html.j2"),
    ),
    (
        "access-request-staff",
        include_str!("../templates/access-request-staff.txt.j2"),
        include_str!("../templates/access-request-staff.html.j2"),
    ),
    (
        "access-request-received",
        include_str!("../templates/access-request-received.txt.j2"),
        include_str!("../templates/access-request-received.html.j2"),
    ),
    (
        "access-request-rejected",
        include_str!("../templates/access-request-rejected.txt.j2"),
        include_str!("../templates/access-request-rejected.html.j2"),
    ),
    // Monitoring. `monitor-down`: monitor (code), name, target, since (local "YYYY-MM-DD HH:MM"),
    // cause (a stored cause name, in words; other text as it is), detail, customer, url, ticket
    // ("" for none); `monitor-up`: the same plus until and minutes. `maintenance-announced`:
    // reason, starts, ends, repeat (once|daily|weekly|monthly), services (names), url.
    // `availability-report`: customer, month ("2026-11"), services [{service, availability,
    // target ("99.977" or ""), met (bool or null)}], all_met, credit (formatted, or ""), url; the
    // caller attaches the PDF.
    ("monitor-down", include_str!("../templates/monitor-down.txt.j2"), include_str!("../templates/monitor-down.html.j2")),
    ("monitor-up", include_str!("../templates/monitor-up.txt.j2"), include_str!("../templates/monitor-up.html.j2")),
    (
        "maintenance-announced",
        include_str!("../templates/maintenance-announced.txt.j2"),
        include_str!("../templates/maintenance-announced.html.j2"),
    ),
    (
        "availability-report",
        include_str!("../templates/availability-report.txt.j2"),
        include_str!("../templates/availability-report.html.j2"),
    ),
    // Standby agreed with a card (seed 003). `standby-confirmed`: reference ("S-000042"),
    // customer, starts, ends (local, written out), zone, total (formatted), response_minutes,
    // phone ("" for none); the caller attaches the confirmation's PDF.
    ("standby-confirmed", include_str!("../templates/standby-confirmed.txt.j2"), include_str!("../templates/standby-confirmed.html.j2")),
];

/// Composes messages in the recipient's language on behalf of the provider.
#[derive(Clone)]
pub struct Composer {
    env: Arc<Environment<'static>>,
    provider: Arc<ProviderIdentity>,
    from: Mailbox,
}

/// `Auto-Submitted: auto-generated` (RFC 3834), so that auto-responders do not answer.
#[derive(Clone)]
struct AutoSubmitted;

impl header::Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".into())
    }
}

/// `Content-Language` (RFC 3282): the language the message is written in.
#[derive(Clone)]
struct ContentLanguage(String);

impl header::Header for ContentLanguage {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Content-Language")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ContentLanguage(s.to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

impl Composer {
    /// `from` is the sender, e.g. `ECM2 <administratie@ecm2.nl>`.
    pub fn new(provider: ProviderIdentity, from: &str) -> Result<Composer, MailError> {
        let from: Mailbox = from.parse().map_err(|e: lettre::address::AddressError| MailError::Address(from.to_string(), e.to_string()))?;
        let mut env = Environment::new();
        env.set_auto_escape_callback(
            |name| {
                if name.ends_with(".html.j2") { minijinja::AutoEscape::Html } else { minijinja::AutoEscape::None }
            },
        );
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        loket_i18n::templates::install(&mut env);
        env.add_template("layout.html.j2", include_str!("../templates/layout.html.j2"))
            .map_err(|e| MailError::Template("layout".into(), e.to_string()))?;
        env.add_template("signature.txt.j2", include_str!("../templates/signature.txt.j2"))
            .map_err(|e| MailError::Template("signature".into(), e.to_string()))?;
        for (name, text, html) in TEMPLATES {
            env.add_template_owned(format!("{name}.txt.j2"), *text).map_err(|e| MailError::Template(name.to_string(), e.to_string()))?;
            env.add_template_owned(format!("{name}.html.j2"), *html).map_err(|e| MailError::Template(name.to_string(), e.to_string()))?;
        }
        Ok(Composer { env: Arc::new(env), provider: Arc::new(provider), from })
    }

    /// The address Loket's mail comes from.
    pub fn from_address(&self) -> Option<String> {
        Some(self.from.email.to_string())
    }

    pub fn templates() -> impl Iterator<Item = &'static str> {
        TEMPLATES.iter().map(|(n, _, _)| *n)
    }

    /// The subject, text and HTML of `template` in `lang`, with `data` available to the
    /// template as `data`: what [`Composer::compose`] sends, without the envelope.
    pub fn render(&self, template: &str, lang: Language, data: &serde_json::Value) -> Result<Rendered, MailError> {
        if !TEMPLATES.iter().any(|(n, _, _)| *n == template) {
            return Err(MailError::UnknownTemplate(template.to_string()));
        }
        let ctx = minijinja::context! {
            lang => lang.code(),
            provider => minijinja::Value::from(minijinja::value::Serde(&*self.provider)),
            data => minijinja::Value::from(minijinja::value::Serde(data)),
        };
        let render = |name: String| -> Result<String, MailError> {
            self.env.get_template(&name).and_then(|t| t.render(&ctx)).map_err(|e| MailError::Template(name.clone(), format!("{e:#}")))
        };
        let text = render(format!("{template}.txt.j2"))?;
        let html = render(format!("{template}.html.j2"))?;
        // The subject may use the provider's name and any text field of `data`.
        let mut args: Vec<(&str, &str)> = vec![("provider", self.provider.trading_name.as_str())];
        if let Some(obj) = data.as_object() {
            args.extend(obj.iter().filter_map(|(k, v)| v.as_str().map(|s| (k.as_str(), s))));
        }
        let subject = loket_i18n::t_args(lang, &format!("mail-{template}-subject"), &args);
        Ok(Rendered { subject, text, html })
    }

    /// Renders `template` in `lang` for `to`, with `data` available to the template as `data`.
    pub fn compose(&self, template: &str, lang: Language, to: &[&str], data: serde_json::Value) -> Result<Message, MailError> {
        self.compose_with(template, lang, to, data, &[])
    }

    /// [`Composer::compose`] with files attached after the text and HTML bodies.
    pub fn compose_with(
        &self,
        template: &str,
        lang: Language,
        to: &[&str],
        data: serde_json::Value,
        attachments: &[Attachment],
    ) -> Result<Message, MailError> {
        self.build(template, lang, to, data, attachments, &Thread::default())
    }

    /// [`Composer::compose`] as part of a conversation (a ticket): with `In-Reply-To` and
    /// `References` so that the answer comes back to the same thread, and a `Reply-To`.
    pub fn compose_thread(
        &self,
        template: &str,
        lang: Language,
        to: &[&str],
        data: serde_json::Value,
        thread: &Thread,
    ) -> Result<Message, MailError> {
        self.build(template, lang, to, data, &[], thread)
    }

    fn build(
        &self,
        template: &str,
        lang: Language,
        to: &[&str],
        data: serde_json::Value,
        attachments: &[Attachment],
        thread: &Thread,
    ) -> Result<Message, MailError> {
        let recipients: Vec<Mailbox> = to
            .iter()
            .map(|a| a.parse::<Mailbox>().map_err(|e| MailError::Address(a.to_string(), e.to_string())))
            .collect::<Result<_, _>>()?;
        if recipients.is_empty() {
            return Err(MailError::Build("no recipient".into()));
        }
        let Rendered { subject, text, html } = self.render(template, lang, &data)?;
        let domain = self.from.email.domain().to_string();
        let message_id = format!("<{:032x}.{}@{domain}>", rand::random::<u128>(), std::process::id());
        let mut builder = lettre::Message::builder()
            .from(self.from.clone())
            .subject(subject.clone())
            .message_id(Some(message_id.clone()))
            .date_now()
            .header(AutoSubmitted)
            .header(ContentLanguage(lang.code().to_string()));
        for r in &recipients {
            builder = builder.to(r.clone());
        }
        if let Some(id) = &thread.in_reply_to {
            builder = builder.in_reply_to(angle(id));
        }
        if !thread.references.is_empty() {
            builder = builder.references(thread.references.iter().map(|r| angle(r)).collect::<Vec<_>>().join(" "));
        }
        if let Some(reply_to) = &thread.reply_to {
            let mailbox: Mailbox =
                reply_to.parse().map_err(|e: lettre::address::AddressError| MailError::Address(reply_to.clone(), e.to_string()))?;
            builder = builder.reply_to(mailbox);
        }
        let body = MultiPart::alternative()
            .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(text))
            .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(html));
        let email = if attachments.is_empty() {
            builder.multipart(body)
        } else {
            let mut mixed = MultiPart::mixed().multipart(body);
            for a in attachments {
                let kind = ContentType::parse(&a.content_type).map_err(|e| MailError::Build(format!("{}: {e}", a.content_type)))?;
                mixed = mixed.singlepart(lettre::message::Attachment::new(a.file_name.clone()).body(a.content.clone(), kind));
            }
            builder.multipart(mixed)
        }
        .map_err(|e| MailError::Build(e.to_string()))?;
        let raw = String::from_utf8(email.formatted()).map_err(|e| MailError::Build(e.to_string()))?;
        Ok(Message {
            message_id,
            template: template.to_string(),
            language: lang,
            from: self.from.email.to_string(),
            to: recipients.iter().map(|m| m.email.to_string()).collect(),
            subject,
            raw,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn composer() -> Composer {
        Composer::new(ProviderIdentity::demo(), "Loket Demo <noreply@demo.loket.test>").unwrap()
    }

    #[test]
    fn composes_every_template_in_every_language() {
        let c = composer();
        for name in Composer::templates() {
            for lang in Language::ALL {
                let data = serde_json::json!({
                    "when": "nu", "url": "http://x", "customer": "C1", "customer_number": "C000001", "user": "u@x.nl", "reason": "r",
                    "approved": false, "inviter": "Els", "fields": [{"name": "city", "from": "Ede", "to": "Epe"}],
                    "number": "F2026-00001", "kind": "invoice", "amount": 12100, "amount_text": "€ 121,00", "open": 12100, "open_text": "€ 121,00",
                    "due_date_text": "15 januari 2026", "received_text": "2 januari 2026", "applied": [{"number": "F2026-00001", "amount": 12100}],
                    "to_credit": 500, "to_credit_text": "€ 5,00", "reminder": 1, "fee_invoice": "F2026-00002", "subscription": "example.nl",
                    "plan": "Hosting Basic", "effective_text": "31 december 2026", "in_time": true, "until_text": "31 december 2026",
                    "next_end_text": "31 december 2027", "ended_text": "31 december 2026", "date_text": "1 december 2026",
                    "from_text": "1 januari 2027", "to_text": "1 februari 2027", "vat_included": true, "last_day_text": "30 december 2026",
                    "next_last_day_text": "30 december 2027", "missed_deadline_text": "1 december 2026",
                    "total_text": "€ 121,00", "valid_until_text": "31 december 2026", "accepted": true, "comment": "Graag",
                    "service": "Hosting Basis — example.nl", "start_text": "1 december 2026", "consumer": true, "withdrawal_waived": false, "pay_first": true,
                    "domain": "example.nl", "role": "admin", "state": "done", "changed": ["email"], "name": "Els de Vries", "email": "els@example.nl",
                    "reference": "C000001-M1", "debtor_name": "Els de Vries", "iban": "NL91 … 4300", "signed_on_text": "1 december 2026",
                    "creditor_name": "Loket Demo Hosting B.V.", "creditor_id": "NL42ZZZ123456780001", "amended": false,
                    "collection_date_text": "15 december 2026", "mandate_reference": "C000001-M1",
                    "invoices": [{"number": "F2026-00001", "amount": 12100}], "returned_text": "18 december 2026", "reason": "MD06",
                    "reason_text": "refund asked by the account holder",
                    "subject": "Mail komt niet aan", "body": "Kunt u de logbestanden sturen?", "staff_url": "http://x/staff/tickets/1",
                    "requester": "jan@bakkerij.test", "status": "waiting", "clock": "first_response", "on": "breach", "why": "plan",
                    "contact": "info@example.nl", "login": "http://x/sign-in"
                });
                // The monitoring mails' fields; "services" are names in an announcement, verdicts in a report.
                let services = if name == "maintenance-announced" {
                    serde_json::json!(["Website", "Webshop"])
                } else {
                    serde_json::json!([{"service": "bakkerijdevries.nl", "availability": "99.976", "target": "99.800", "met": true}])
                };
                let monitoring = serde_json::json!({
                    "monitor": "web-devries", "target": "https://bakkerijdevries.nl/", "since": "2026-11-14 03:10", "cause": "status",
                    "detail": "HTTP 503", "ticket": "T-2026-00012", "until": "2026-11-14 05:10", "minutes": 120,
                    "starts": "2026-12-06 02:00", "ends": "2026-12-06 04:00", "repeat": "once", "month": "2026-11", "all_met": false,
                    "credit": "€ 4,90", "services": services,
                    "zone": "Europe/Amsterdam", "total": "€ 4.505,00", "response_minutes": 30, "phone": "+31 50 123 4567"
                });
                let mut data = data;
                if let (Some(all), serde_json::Value::Object(more)) = (data.as_object_mut(), monitoring) {
                    all.extend(more);
                }
                let m = c.compose(name, lang, &["klant@example.nl"], data).unwrap();
                assert!(m.raw.contains("Message-ID: <"), "{}", m.raw);
                assert!(m.raw.contains("Date: "));
                assert!(m.raw.contains("Auto-Submitted: auto-generated"));
                assert!(m.raw.contains("Content-Language: ") && m.raw.contains(lang.code()));
                assert!(m.raw.contains("multipart/alternative"));
                assert!(m.raw.contains("text/plain") && m.raw.contains("text/html"));
                assert!(!m.subject.is_empty() && !m.subject.starts_with("mail-"), "{lang} {name}: {}", m.subject);
            }
        }
    }

    fn invoice_data(kind: &str, open: i64) -> serde_json::Value {
        serde_json::json!({
            "number": "C2026-00007", "kind": kind, "amount": 2500, "amount_text": "€ 25,00", "open": open, "open_text": "€ 0,00",
            "due_date_text": "15 januari 2026", "url": "http://x/billing", "customer": "Bakkerij & Zn", "customer_number": "C000001"
        })
    }

    /// The account mails in every language, as their reader sees them (the billing mails are
    /// snapshotted with their notices in `loket-app`).
    #[test]
    fn account_mails_in_every_language() {
        let c = composer();
        let url = "https://mijn.example.nl/x/0123456789abcdef";
        let cases = [
            ("welcome", serde_json::json!({"url": url})),
            ("password-reset", serde_json::json!({"url": url})),
            ("invitation", serde_json::json!({"customer": "Bakkerij De Korenaar B.V.", "inviter": "Els de Vries", "url": url})),
            ("change-request-received", serde_json::json!({"customer": "Bakkerij De Korenaar B.V."})),
            (
                "change-request-staff",
                serde_json::json!({"customer": "C000001 Bakkerij De Korenaar B.V.", "user": "els@korenaar.test", "url": url,
                    "fields": [{"name": "legal_name", "from": "Bakkerij De Korenaar B.V.", "to": "De Korenaar Holding B.V."}]}),
            ),
            (
                "change-request-decided",
                serde_json::json!({"customer": "C000001 Bakkerij De Korenaar B.V.", "approved": false, "reason": "Stuur ons het KvK-uittreksel."}),
            ),
            ("test", serde_json::json!({"when": "30 november 2026 17:00"})),
            (
                "quote-sent",
                serde_json::json!({"number": "Q2026-00001", "customer": "Bakkerij De Korenaar B.V.", "customer_number": "C000001",
                    "total_text": "€ 121,00", "vat_included": false, "valid_until_text": "31 december 2026", "url": url}),
            ),
            (
                "order-confirmed",
                serde_json::json!({"service": "Hosting Basis — jansen.nl", "start_text": "14 december 2026", "consumer": true,
                    "withdrawal_waived": false, "pay_first": false, "customer": "Jan Jansen", "customer_number": "C000002", "url": url}),
            ),
            (
                "quote-decided",
                serde_json::json!({"number": "Q2026-00001", "customer": "C000001 Bakkerij De Korenaar B.V.", "accepted": false,
                    "comment": "Te duur voor ons.", "url": url}),
            ),
            (
                "ticket-received",
                serde_json::json!({"reference": "T-2026-00042", "subject": "Mail komt niet aan", "status": "waiting", "body": "Kunt u de logbestanden sturen?",
                    "url": url, "staff_url": url, "customer": "Bakkerij De Korenaar B.V.", "requester": "jan@bakkerij.test"}),
            ),
            (
                "ticket-created",
                serde_json::json!({"reference": "T-2026-00042", "subject": "Mail komt niet aan", "status": "waiting", "body": "Kunt u de logbestanden sturen?",
                    "url": url, "staff_url": url, "customer": "Bakkerij De Korenaar B.V.", "requester": "jan@bakkerij.test"}),
            ),
            (
                "ticket-reply",
                serde_json::json!({"reference": "T-2026-00042", "subject": "Mail komt niet aan", "status": "waiting", "body": "Kunt u de logbestanden sturen?",
                    "url": url, "staff_url": url, "customer": "Bakkerij De Korenaar B.V.", "requester": "jan@bakkerij.test"}),
            ),
            (
                "ticket-status",
                serde_json::json!({"reference": "T-2026-00042", "subject": "Mail komt niet aan", "status": "waiting", "body": "Kunt u de logbestanden sturen?",
                    "url": url, "staff_url": url, "customer": "Bakkerij De Korenaar B.V.", "requester": "jan@bakkerij.test"}),
            ),
            (
                "ticket-staff",
                serde_json::json!({"reference": "T-2026-00042", "subject": "Mail komt niet aan", "status": "waiting", "body": "Kunt u de logbestanden sturen?",
                    "url": url, "staff_url": url, "customer": "Bakkerij De Korenaar B.V.", "requester": "jan@bakkerij.test"}),
            ),
            (
                "ticket-assigned",
                serde_json::json!({"reference": "T-2026-00042", "subject": "Mail komt niet aan", "status": "waiting", "body": "Kunt u de logbestanden sturen?",
                    "url": url, "staff_url": url, "customer": "Bakkerij De Korenaar B.V.", "requester": "jan@bakkerij.test"}),
            ),
            (
                "ticket-escalated",
                serde_json::json!({"reference": "T-2026-00042", "subject": "Mail komt niet aan", "clock": "first_response", "on": "breach", "url": url}),
            ),
            (
                "ticket-refused",
                serde_json::json!({"why": "plan", "subject": "Help", "contact": "E-mail info@example.nl, telefoon 020 123 4567", "login": url}),
            ),
            (
                "payment-chargeback-staff",
                serde_json::json!({"customer": "Bakkerij De Korenaar B.V.", "number": "F2026-00012", "amount": "€ 36,12", "reason": "MD06", "url": url}),
            ),
            (
                "domain-contact-staff",
                serde_json::json!({"domain": "korenaar.nl", "role": "admin", "user": "els@korenaar.test", "changed": ["email", "phone"], "url": url}),
            ),
            (
                "domain-contact-decided",
                serde_json::json!({"domain": "korenaar.nl", "role": "registrant", "state": "received", "reason": ""}),
            ),
            (
                "domain-contact-decided",
                serde_json::json!({"domain": "korenaar.nl", "role": "tech", "state": "rejected", "reason": "Stuur ons een getekend formulier."}),
            ),
            (
                "access-request-staff",
                serde_json::json!({"name": "Els de Vries", "email": "els@korenaar.test", "customer_number": "C000001", "url": url}),
            ),
            ("access-request-received", serde_json::json!({"name": "Els de Vries"})),
            (
                "access-request-rejected",
                serde_json::json!({"name": "Els de Vries", "reason": "De handtekening ontbreekt op het formulier."}),
            ),
        ];
        for (template, data) in cases {
            // A template with several outcomes is snapshotted per outcome.
            let name = match data.get("state").and_then(|s| s.as_str()) {
                Some(state) => format!("{template}-{state}"),
                None => template.to_string(),
            };
            for lang in Language::ALL {
                let m = c.render(template, lang, &data).unwrap();
                insta::assert_snapshot!(format!("{name}-{}", lang.code()), format!("Subject: {}\n\n{}", m.subject, m.text));
            }
        }
    }

    /// The monitoring mails in every language: an alert and its recovery (with and without the
    /// optional fields), announced maintenance, and the monthly report with and without credit.
    #[test]
    fn monitoring_mails_in_every_language() {
        let url = "https://mijn.example.nl/monitoring";
        let down = serde_json::json!({"monitor": "shop-devries", "name": "Webshop", "target": "https://shop.bakkerijdevries.nl/",
            "since": "2026-11-14 03:10", "cause": "status", "detail": "HTTP 503", "customer": "Bakkerij De Vries B.V.", "url": url,
            "ticket": "T-2026-00012"});
        let mut up = down.clone();
        up["until"] = "2026-11-14 05:10".into();
        up["minutes"] = 120.into();
        let bare = serde_json::json!({"monitor": "mail-devries", "name": "Mail (IMAP)", "target": "imap.bakkerijdevries.nl:993",
            "since": "2026-11-21 22:45", "cause": "timeout", "detail": "", "customer": "", "url": "", "ticket": ""});
        let services = serde_json::json!([
            {"service": "bakkerijdevries.nl", "availability": "99.976", "target": "99.800", "met": true},
            {"service": "shop.bakkerijdevries.nl", "availability": "99.722", "target": "99.800", "met": false},
            {"service": "bakkerijdevries.be", "availability": "100.000", "target": "", "met": null},
            {"service": "test.bakkerijdevries.nl", "availability": "", "target": "99.800", "met": null},
        ]);
        let c = composer();
        for lang in Language::ALL {
            // The caller formats the credit in the reader's language.
            let credit = loket_i18n::format_money(lang, loket_domain::Money::eur(490));
            let cases = [
                ("monitor-down", "monitor-down", down.clone()),
                ("monitor-down-bare", "monitor-down", bare.clone()),
                ("monitor-up", "monitor-up", up.clone()),
                ("monitor-up-one-minute", "monitor-up", {
                    let mut b = bare.clone();
                    b["until"] = "2026-11-21 22:46".into();
                    b["minutes"] = 1.into();
                    b
                }),
                (
                    "maintenance-announced",
                    "maintenance-announced",
                    serde_json::json!({"reason": "Server updates", "starts": "2026-12-06 02:00", "ends": "2026-12-06 04:00", "repeat": "weekly",
                        "services": ["Website", "Webshop"], "url": url}),
                ),
                (
                    "availability-report",
                    "availability-report",
                    serde_json::json!({"customer": "Bakkerij De Vries B.V.", "month": "2026-11", "services": services, "all_met": false,
                        "credit": credit, "url": url}),
                ),
                (
                    "availability-report-all-met",
                    "availability-report",
                    serde_json::json!({"customer": "Bakkerij De Vries B.V.", "month": "2026-02",
                        "services": [{"service": "bakkerijdevries.nl", "availability": "100.000", "target": "99.800", "met": true}],
                        "all_met": true, "credit": "", "url": url}),
                ),
            ];
            for (name, template, data) in cases {
                let m = c.render(template, lang, &data).unwrap();
                assert!(!m.html.contains("monitor-cause-") && !m.text.contains("monitor-cause-"), "{name} {lang}");
                insta::assert_snapshot!(format!("{name}-{}", lang.code()), format!("Subject: {}\n\n{}", m.subject, m.text));
            }
        }
    }

    /// The standby confirmation in every language, with and without a standby line to call.
    #[test]
    fn standby_confirmation_in_every_language() {
        let c = composer();
        for lang in Language::ALL {
            let total = loket_i18n::format_money(lang, loket_domain::Money::eur(450500));
            let data = serde_json::json!({"reference": "S-000042", "customer": "Bakkerij De Vries B.V.", "starts": "vr 8 mei 2026 18:00",
                "ends": "ma 11 mei 2026 08:30", "zone": "Europe/Amsterdam", "total": total, "response_minutes": 30, "phone": "+31 50 123 4567"});
            let mut no_phone = data.clone();
            no_phone["phone"] = "".into();
            for (name, data) in [("standby-confirmed", data), ("standby-confirmed-no-phone", no_phone)] {
                let m = c.render("standby-confirmed", lang, &data).unwrap();
                assert!(m.subject.contains("S-000042") && m.text.contains(" 30 ") && m.html.contains(" 30 "), "{lang}: {}", m.html);
                insta::assert_snapshot!(format!("{name}-{}", lang.code()), format!("Subject: {}\n\n{}", m.subject, m.text));
            }
        }
    }

    #[test]
    fn credit_note_names_its_number() {
        let c = composer();
        for lang in Language::ALL {
            let credit = c.compose("billing-invoice", lang, &["a@b.nl"], invoice_data("credit_note", 0)).unwrap();
            assert!(credit.subject.contains("C2026-00007"), "{lang}: {}", credit.subject);
            let invoice = c.compose("billing-invoice", lang, &["a@b.nl"], invoice_data("invoice", 2500)).unwrap();
            assert_ne!(credit.subject, invoice.subject, "{lang}: a credit note is not called an invoice");
        }
    }

    #[test]
    fn reactivation_without_fee_invoice() {
        let c = composer();
        for lang in Language::ALL {
            let data = serde_json::json!({"fee_invoice": null, "url": "http://x/billing", "customer": "C1", "customer_number": "C000001"});
            let m = c.compose("billing-reactivated", lang, &["a@b.nl"], data).unwrap();
            assert!(!m.subject.is_empty() && !m.subject.starts_with("mail-"), "{lang}: {}", m.subject);
        }
    }

    #[test]
    fn subject_is_translated() {
        let c = composer();
        let nl = c.compose("test", Language::Nl, &["a@b.nl"], serde_json::json!({"when": "x"})).unwrap();
        let it = c.compose("test", Language::It, &["a@b.it"], serde_json::json!({"when": "x"})).unwrap();
        assert_eq!(nl.subject, "Testbericht van Loket Demo Hosting");
        assert_eq!(it.subject, "Messaggio di prova da Loket Demo Hosting");
    }

    #[test]
    fn subjects_can_use_data() {
        let c = composer();
        let m = c
            .compose(
                "change-request-staff",
                Language::En,
                &["a@b.nl"],
                serde_json::json!({"customer": "C000001 Bakkerij", "user": "u", "url": "x", "fields": []}),
            )
            .unwrap();
        assert_eq!(m.subject, "Change request from C000001 Bakkerij");
    }

    #[test]
    fn html_escapes_data() {
        let c = composer();
        let m = c.compose("test", Language::En, &["a@b.nl"], serde_json::json!({"when": "<script>"})).unwrap();
        // Escaped in the HTML part; verbatim only in the plain-text part.
        assert!(m.raw.contains("&lt;script&gt;"), "{}", m.raw);
        assert_eq!(m.raw.matches("<script>").count(), 1);
    }

    #[test]
    fn bad_addresses_and_templates_are_named() {
        let c = composer();
        let err = c.compose("test", Language::En, &["not an address"], serde_json::json!({})).unwrap_err();
        assert!(err.to_string().contains("not an address"));
        let err = c.compose("nope", Language::En, &["a@b.nl"], serde_json::json!({})).unwrap_err();
        assert_eq!(err.to_string(), "unknown mail template `nope`");
        assert!(Composer::new(ProviderIdentity::demo(), "broken").is_err());
    }
}
