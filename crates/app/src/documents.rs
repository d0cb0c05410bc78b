//! An issued document's files: its PDF, its Peppol UBL and (for an Italian provider) its
//! FatturaPA, each rendered from the document as issued the first time it is asked for, stored
//! with its SHA-256 and served as stored ever after. Rendering is deterministic, so two nodes
//! rendering the same file at once write the same bytes; the first one stored wins.

use loket_documents::{Corrected, Doc, DocLine, EInvoicing, FormatError};
use loket_domain::Language;
use loket_store::billing::documents::{self as docs, Document, Line};
use loket_store::billing::files::{self, StoredFile};
use loket_store::{Conn, Store};
use sha2::{Digest, Sha256};

use crate::AppError;

/// What a document is rendered as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Ubl,
    FatturaPa,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Pdf, Format::Ubl, Format::FatturaPa];

    pub fn name(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Ubl => "ubl",
            Format::FatturaPa => "fatturapa",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == s)
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Ubl | Format::FatturaPa => "application/xml",
        }
    }
}

/// How the provider's documents are rendered (from its configuration).
#[derive(Debug, Clone, Default)]
pub struct DocumentSettings {
    pub letterhead: loket_pdf::Letterhead,
    pub einvoicing: EInvoicing,
}

/// The document as the renderers take it: as issued, with the invoice a credit note corrects.
pub async fn doc_of(conn: &mut Conn, d: &Document) -> Result<Doc, AppError> {
    let lines = docs::lines(conn, d.id).await?;
    let corrects = match d.credits_invoice_id {
        Some(id) => docs::document(conn, id).await?.map(|c| Corrected { number: c.number, issue_date: c.issue_date }),
        None => None,
    };
    Ok(to_doc(d, &lines, corrects))
}

pub fn to_doc(d: &Document, lines: &[Line], corrects: Option<Corrected>) -> Doc {
    Doc {
        kind: d.kind,
        number: d.number.clone(),
        issue_date: d.issue_date,
        due_date: d.due_date,
        currency: d.currency,
        language: d.language.parse().unwrap_or(Language::En),
        seller: d.provider.clone(),
        buyer: d.customer.clone(),
        lines: lines
            .iter()
            .map(|l| DocLine {
                description: l.description.clone(),
                period: l.period_from.zip(l.period_to),
                quantity_milli: l.quantity_milli,
                unit_price: l.unit_price,
                net: l.net,
                vat_code: l.vat_code.clone(),
                vat_rate: l.vat_rate,
            })
            .collect(),
        breakdown: d.vat_breakdown.clone(),
        net: d.net,
        vat: d.vat,
        gross: d.gross,
        payment_reference: d.payment_reference.clone(),
        corrects,
        quote: None,
    }
}

/// The formats `d` is offered in: always its PDF; an invoice or credit note also as UBL when the
/// customer has a Peppol address, and as FatturaPA when the provider is Italian.
pub fn offered(d: &Document) -> Vec<Format> {
    // An imported document was sent as it was: its original PDF (or one made from its data).
    let invoice = d.kind != loket_store::billing::documents::DocKind::ProForma && !d.imported;
    let mut out = vec![Format::Pdf];
    if invoice && loket_documents::ubl::addressable(&d.customer) && loket_documents::ubl::addressable(&d.provider) {
        out.push(Format::Ubl);
    }
    if invoice && d.provider.country.as_deref() == Some("IT") {
        out.push(Format::FatturaPa);
    }
    out
}

/// A file name safe everywhere: letters, digits, `-`, `_` and `.`.
pub(crate) fn safe(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect()
}

/// Renders `doc` (the document with id `id`) as `format`, in memory.
pub fn render(doc: &Doc, id: i64, format: Format, settings: &DocumentSettings) -> Result<StoredFile, FormatError> {
    let (file_name, content) = match format {
        Format::Pdf => {
            (format!("{}-{}.pdf", doc.kind.name().replace('_', "-"), safe(&doc.number)), loket_pdf::render(doc, &settings.letterhead))
        }
        Format::Ubl => (format!("{}.xml", safe(&doc.number)), loket_documents::ubl::write(doc)?.into_bytes()),
        Format::FatturaPa => {
            let progressive = u64::try_from(id).unwrap_or(0);
            (
                loket_documents::fatturapa::file_name(doc, progressive),
                loket_documents::fatturapa::write(doc, &settings.einvoicing, progressive)?.into_bytes(),
            )
        }
    };
    Ok(StoredFile { file_name, sha256: hex::encode(Sha256::digest(&content)), content })
}

/// The file of document `id` in `format`: as stored, or rendered now and stored.
pub async fn file(store: &Store, settings: &DocumentSettings, id: i64, format: Format) -> Result<StoredFile, AppError> {
    let mut conn = store.acquire().await?;
    file_in(&mut conn, settings, id, format).await
}

/// [`file`] on a connection (or inside a transaction: the invoice mail attaches the PDF it
/// stores in the same transaction).
pub async fn file_in(conn: &mut Conn, settings: &DocumentSettings, id: i64, format: Format) -> Result<StoredFile, AppError> {
    if let Some(f) = files::get(conn, id, format.name()).await? {
        return Ok(f);
    }
    let d = docs::document(conn, id).await?.ok_or(AppError::NotFound("invoice"))?;
    if d.imported && format != Format::Pdf {
        return Err(AppError::Conflict(format!("{} was imported from the provider's history: it has no {}", d.number, format.name())));
    }
    let doc = doc_of(conn, &d).await?;
    let rendered = render(&doc, id, format, settings).map_err(|e| AppError::Conflict(e.to_string()))?;
    files::put(conn, id, format.name(), &rendered).await?;
    files::get(conn, id, format.name()).await?.ok_or(AppError::NotFound("document file"))
}

/// The letter of a payment reminder as PDF (`reminder-<n>-<number>.pdf`): the invoice as
/// issued, what is open on it, and how to pay within `pay_within_days`. A letter, not a
/// document: rendered when its mail is written (the same input gives the same bytes), not
/// stored.
pub async fn reminder_pdf(
    conn: &mut Conn,
    settings: &DocumentSettings,
    reminder: &loket_domain::billing::notice::Reminder,
    date: jiff::civil::Date,
    pay_within_days: u32,
) -> Result<(String, Vec<u8>), AppError> {
    let d = docs::document(conn, reminder.invoice_id).await?.ok_or(AppError::NotFound("invoice"))?;
    let letter = loket_pdf::ReminderLetter {
        language: d.language.parse().unwrap_or(Language::En),
        currency: d.currency,
        provider: d.provider.clone(),
        customer: d.customer.clone(),
        date,
        reminder: reminder.reminder,
        invoice_number: d.number.clone(),
        invoice_date: d.issue_date,
        due_date: d.due_date,
        open: reminder.amount,
        payment_reference: d.payment_reference.clone(),
        pay_within_days,
    };
    let name = format!("reminder-{}-{}.pdf", reminder.reminder, safe(&d.number));
    Ok((name, loket_pdf::render_reminder(&letter, &settings.letterhead)))
}
