//! Mails the notifications the engine stored (`billing.notify` job): each in the customer's
//! language, composed and put in the outbox in the same transaction that marks it mailed, so
//! every notification is mailed once however often the job runs. One job mails a bounded slice
//! and queues the next while some are left, so a node that is asked to stop is never more than a
//! slice away from it, however large the billing run was.

use loket_domain::Money;
use loket_domain::billing::notice::{Notice, NoticeKind};
use loket_domain::billing::sepa;
use loket_mail::Composer;
use loket_store::billing::payments::{mark_mailed, unsent_notifications};
use loket_store::outbox::{OutgoingMail, enqueue_mail};
use loket_store::{Store, StoreError};
use serde_json::{Value, json};

/// Notifications per transaction.
const BATCH: i64 = 200;
/// Transactions per job run.
const BATCHES_PER_JOB: usize = 5;

/// The mail template for a notification kind.
pub fn template(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::InvoiceIssued => "billing-invoice",
        NoticeKind::PaymentReceived => "billing-payment",
        NoticeKind::Reminder => "billing-reminder",
        NoticeKind::Suspended => "billing-suspended",
        NoticeKind::Terminated => "billing-terminated",
        NoticeKind::Reactivated => "billing-reactivated",
        NoticeKind::CancellationConfirmed => "billing-cancellation",
        NoticeKind::RenewalOffer => "billing-renewal-offer",
        NoticeKind::Renewed => "billing-renewed",
        NoticeKind::Lapsed => "billing-lapsed",
        NoticeKind::UpcomingInvoice => "billing-upcoming",
        NoticeKind::Ended => "billing-ended",
        NoticeKind::MandateGiven => "billing-mandate",
        NoticeKind::MandateEnded => "billing-mandate-ended",
        NoticeKind::DirectDebitAnnounced => "billing-direct-debit",
        NoticeKind::DirectDebitReturned => "billing-direct-debit-returned",
    }
}

/// Formats the amounts and dates of `data` for `lang` (`amount` → `amount_text`, …) and adds
/// the portal's address, so templates only print.
pub fn enrich(data: &Value, lang: loket_domain::Language, currency: loket_domain::Currency, public_url: &str) -> Value {
    let mut out = data.clone();
    if let Some(obj) = out.as_object_mut() {
        let extra: Vec<(String, Value)> = obj
            .iter()
            .filter_map(|(k, v)| {
                if let Some(n) = v.as_i64().filter(|_| matches!(k.as_str(), "amount" | "open" | "to_credit")) {
                    return Some((format!("{k}_text"), json!(loket_i18n::format_money(lang, Money::new(n, currency)))));
                }
                let d = v.as_str()?.parse::<jiff::civil::Date>().ok()?;
                Some((format!("{k}_text"), json!(loket_i18n::format_date(lang, d))))
            })
            .collect();
        obj.extend(extra);
        // A direct debit's return reason in words (its code where there are none).
        if let Some(code) = obj.get("reason").and_then(Value::as_str).filter(|_| obj.contains_key("returned")) {
            let text = if sepa::RETURN_REASONS.contains(&code) {
                loket_i18n::t(lang, &format!("sepa-reason-{code}"))
            } else {
                loket_i18n::t_args(lang, "sepa-reason-code", &[("code", if code.is_empty() { "-" } else { code })])
            };
            obj.insert("reason_text".into(), json!(text));
        }
        if let Some(token) = obj.get("token").and_then(|t| t.as_str()).map(str::to_string) {
            obj.insert("url".into(), json!(format!("{}/renew/{token}", public_url.trim_end_matches('/'))));
        } else {
            obj.insert("url".into(), json!(format!("{}/billing", public_url.trim_end_matches('/'))));
        }
    }
    out
}

/// Mails up to a slice of pending notifications; returns how many, and whether some are left
/// (then a next `billing.notify` job is queued).
pub async fn mail_pending(
    store: &Store,
    composer: &Composer,
    documents: &crate::documents::DocumentSettings,
    currency: loket_domain::Currency,
    public_url: &str,
    tz: &jiff::tz::TimeZone,
) -> Result<(usize, bool), StoreError> {
    let mut total = 0;
    // How long a reminder gives the customer follows the provider's dunning steps.
    let dunning = store.catalog(currency).await?.settings(currency).dunning;
    for _ in 0..BATCHES_PER_JOB {
        let mut tx = store.begin().await?;
        let batch = unsent_notifications(&mut tx, store.backend(), BATCH).await?;
        if batch.is_empty() {
            return Ok((total, false));
        }
        for n in &batch {
            let Some(customer) = loket_store::customers::customer(&mut tx, n.customer_id).await? else {
                mark_mailed(&mut tx, n.id, 0).await?;
                continue;
            };
            let kind = n.notice.kind();
            if kind.mail_optional() && !loket_store::billing::payments::wants_mail(&mut tx, customer.id, kind.name()).await? {
                // Shown in the panel only, as the card asked.
                mark_mailed(&mut tx, n.id, 0).await?;
                continue;
            }
            let template = template(kind);
            let lang = customer.card.language;
            let mut data = enrich(&n.notice.data(), lang, currency, public_url);
            if let Some(obj) = data.as_object_mut() {
                obj.insert("customer".into(), json!(customer.card.legal_name));
                obj.insert("customer_number".into(), json!(customer.number));
                // An invoice with something to pay links to its own page, where it is paid
                // (online when the provider takes online payment, else by transfer).
                if let Notice::InvoiceIssued(d) = &n.notice
                    && d.open > 0
                    && d.kind != loket_domain::billing::document::DocKind::CreditNote
                {
                    let url = format!("{}/customers/{}/invoices/{}", public_url.trim_end_matches('/'), customer.id, d.invoice_id);
                    obj.insert("url".into(), json!(url));
                    obj.insert("pay".into(), json!(true));
                }
            }
            let to = if kind.to_invoice_address() { &customer.card.invoice_email } else { &customer.card.email };
            // A document's mail carries its PDF (and the UBL where the card asks for it),
            // rendered and stored in this transaction.
            let mut attachments = Vec::new();
            if let Notice::InvoiceIssued(d) = &n.notice {
                let mut formats = vec![crate::documents::Format::Pdf];
                if customer.card.wants_ubl_attachment {
                    formats.push(crate::documents::Format::Ubl);
                }
                for format in formats {
                    attach_document(&mut tx, documents, d.invoice_id, format, &mut attachments, n.id, &d.number).await?;
                }
            }
            // A reminder carries its letter and the invoice it is about.
            if let Notice::Reminder(r) = &n.notice {
                let date = n.created_at.to_zoned(tz.clone()).date();
                let within = dunning.pay_within_days(r.due_date, date);
                match crate::documents::reminder_pdf(&mut tx, documents, r, date, within).await {
                    Ok((file_name, content)) => attachments.push(loket_mail::Attachment::pdf(file_name, content)),
                    Err(crate::AppError::Store(e)) => return Err(e),
                    Err(e) => tracing::warn!(notification = n.id, number = %r.number, error = %e, "reminder mail without its letter"),
                }
                attach_document(&mut tx, documents, r.invoice_id, crate::documents::Format::Pdf, &mut attachments, n.id, &r.number).await?;
            }
            let message = composer
                .compose_with(template, lang, &[to.as_str()], data, &attachments)
                .map_err(|e| StoreError::Invalid(format!("notification {}: {e}", n.id)))?;
            let outbox_id = enqueue_mail(
                &mut tx,
                &OutgoingMail {
                    message_id: message.message_id,
                    template: message.template,
                    language: message.language.code().to_string(),
                    mail_from: message.from,
                    rcpt_to: message.to,
                    subject: message.subject,
                    raw: message.raw,
                },
            )
            .await?;
            mark_mailed(&mut tx, n.id, outbox_id).await?;
            total += 1;
        }
        loket_store::commit(tx).await?;
    }
    let mut tx = store.begin().await?;
    let more = !unsent_notifications(&mut tx, store.backend(), 1).await?.is_empty();
    if more {
        loket_store::billing::payments::enqueue_notify(&mut tx).await?;
    }
    loket_store::commit(tx).await?;
    Ok((total, more))
}

/// Adds document `invoice_id` as `format` (rendered and stored in `tx` the first time) to a
/// mail's attachments. A file that cannot be made leaves the mail without it — the document is
/// in the panel — and only a database error stops the round.
async fn attach_document(
    tx: &mut loket_store::Conn,
    documents: &crate::documents::DocumentSettings,
    invoice_id: i64,
    format: crate::documents::Format,
    attachments: &mut Vec<loket_mail::Attachment>,
    notification: i64,
    number: &str,
) -> Result<(), StoreError> {
    match crate::documents::file_in(tx, documents, invoice_id, format).await {
        Ok(file) => {
            attachments.push(loket_mail::Attachment {
                file_name: file.file_name,
                content_type: format.content_type().into(),
                content: file.content,
            });
            Ok(())
        }
        Err(crate::AppError::Store(e)) => Err(e),
        Err(e) => {
            tracing::warn!(notification, number, format = format.name(), error = %e, "mail without this file");
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use loket_domain::billing::notice::{self, NoticeKind};
    use loket_domain::{Currency, Language, ProviderIdentity};
    use loket_mail::Composer;

    use super::{enrich, template};

    /// Every billing mail in every language, as the customer reads it: a change to a template,
    /// a translation or a notice's fields shows up here as a reviewed snapshot diff.
    #[test]
    fn every_billing_mail_in_every_language() {
        let composer = Composer::new(ProviderIdentity::demo(), "Loket Demo <noreply@demo.loket.test>").unwrap();
        for notice in notice::examples() {
            let kind: NoticeKind = notice.kind();
            for lang in Language::ALL {
                let mut data = enrich(&notice.data(), lang, Currency::Eur, "https://mijn.example.nl");
                let obj = data.as_object_mut().unwrap();
                obj.insert("customer".into(), "Bakkerij De Korenaar B.V.".into());
                obj.insert("customer_number".into(), "C000001".into());
                let mail = composer.render(template(kind), lang, &data).unwrap();
                let shown = format!("Subject: {}\n\n{}", mail.subject, mail.text);
                insta::assert_snapshot!(format!("{}-{}", kind.name(), lang.code()), shown);
            }
        }
    }
}
