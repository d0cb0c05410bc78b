//! Bringing in a provider's invoice history: checked whole (the file by the domain; customers,
//! numbers and PDFs here), then written in one transaction with each document's original PDF,
//! so an import that fails leaves nothing behind.

use std::collections::HashMap;

use loket_domain::FieldError;
use loket_domain::history::HistoricalDocument;
use loket_store::audit::Actor;
use loket_store::billing::files::{self, StoredFile};
use loket_store::billing::history::{self, Parties};
use sha2::{Digest, Sha256};

use crate::billing::snapshot;
use crate::{AppError, Services, audit};

/// A PDF is taken by its content and up to this size.
pub const MAX_PDF_BYTES: usize = 20 * 1024 * 1024;

/// Whether `bytes` are a PDF file (by content) of an acceptable size; the reason if not.
pub fn check_pdf(bytes: &[u8]) -> Result<(), String> {
    if bytes.len() > MAX_PDF_BYTES {
        return Err(format!("is larger than {} MB", MAX_PDF_BYTES / 1024 / 1024));
    }
    if !bytes.starts_with(b"%PDF-") {
        return Err("is not a PDF file".into());
    }
    Ok(())
}

/// What is wrong with `docs` against what Loket holds: a customer number no card has, a number
/// already taken, a PDF named but not given (`has_pdf`). By line, up to a hundred; with the
/// cards found, by number.
async fn problems(
    conn: &mut loket_store::Conn,
    docs: &[HistoricalDocument],
    has_pdf: &dyn Fn(&str) -> bool,
) -> Result<(Vec<FieldError>, HashMap<String, loket_store::customers::Customer>), AppError> {
    let mut errors = Vec::new();
    let mut customers = HashMap::new();
    let mut missing = std::collections::HashSet::new();
    for d in docs {
        if customers.contains_key(&d.customer_number) || missing.contains(&d.customer_number) {
            if missing.contains(&d.customer_number) && errors.len() < 100 {
                errors.push(FieldError::new(
                    format!("line {}: customer_number", d.line),
                    format!("there is no customer {}", d.customer_number),
                ));
            }
            continue;
        }
        match loket_store::customers::customer_by_number(conn, &d.customer_number).await? {
            Some(c) => {
                customers.insert(d.customer_number.clone(), c);
            }
            None => {
                missing.insert(d.customer_number.clone());
                if errors.len() < 100 {
                    errors.push(FieldError::new(
                        format!("line {}: customer_number", d.line),
                        format!("there is no customer {}", d.customer_number),
                    ));
                }
            }
        }
    }
    let numbers: Vec<&str> = docs.iter().map(|d| d.number.as_str()).collect();
    let taken: std::collections::HashSet<String> = history::taken_numbers(conn, &numbers).await?.into_iter().collect();
    for d in docs.iter().filter(|d| taken.contains(&d.number)).take(100) {
        errors.push(FieldError::new(format!("line {}: number", d.line), format!("{} is already in Loket", d.number)));
    }
    for d in docs {
        if let Some(name) = &d.pdf
            && !has_pdf(name)
        {
            errors.push(FieldError::new(format!("line {}: pdf", d.line), format!("{name} was not given")));
        }
    }
    errors.sort_by_key(|e| e.line().unwrap_or(0));
    Ok((errors, customers))
}

impl Services {
    /// What [`Services::import_history`] would refuse in `docs`, read without writing: for a
    /// file that has other problems too, so all are named in one round.
    pub async fn history_problems(&self, docs: &[HistoricalDocument], has_pdf: &dyn Fn(&str) -> bool) -> Result<Vec<FieldError>, AppError> {
        let mut conn = self.store.acquire().await?;
        Ok(problems(&mut conn, docs, has_pdf).await?.0)
    }

    /// Imports `docs` with their original PDFs: `pdf` reads one by its file name when its
    /// document is written (so a history of thousands of PDFs is never in memory at once), and
    /// `has_pdf` says which names exist. All of them, or none with every problem named by line.
    pub async fn import_history(
        &self,
        actor: &Actor,
        docs: &[HistoricalDocument],
        has_pdf: &dyn Fn(&str) -> bool,
        pdf: &dyn Fn(&str) -> Result<Vec<u8>, String>,
    ) -> Result<usize, AppError> {
        let mut tx = self.store.begin().await?;
        loket_store::billing::lock_issuing(&mut tx, self.store.backend()).await?;
        let (errors, customers) = problems(&mut tx, docs, has_pdf).await?;
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let provider = snapshot::provider(&self.provider);
        let mut snapshots = HashMap::new();
        for d in docs {
            let c = &customers[&d.customer_number];
            let card = snapshots.entry(c.id).or_insert_with(|| snapshot::customer(c));
            let parties = Parties {
                customer_id: c.id,
                customer: card,
                provider: &provider,
                language: c.card.language.code(),
                currency: self.provider.currency,
            };
            let id = history::insert(&mut tx, d, &parties).await?;
            if let Some(name) = &d.pdf {
                let field = || format!("line {}: pdf", d.line);
                let content = pdf(name).map_err(|why| AppError::Invalid(vec![FieldError::new(field(), why)]))?;
                check_pdf(&content).map_err(|why| AppError::Invalid(vec![FieldError::new(field(), format!("{name} {why}"))]))?;
                let file = StoredFile { file_name: name.clone(), sha256: hex::encode(Sha256::digest(&content)), content };
                files::put(&mut tx, id, "pdf", &file).await?;
            }
        }
        let first = docs.iter().map(|d| d.issue_date).min();
        let last = docs.iter().map(|d| d.issue_date).max();
        let after = serde_json::json!({ "documents": docs.len(), "with_pdf": docs.iter().filter(|d| d.pdf.is_some()).count(), "from": first, "to": last });
        audit(&mut tx, actor, "documents.import", ("invoice", None), None, Some(after)).await?;
        loket_store::commit(tx).await?;
        Ok(docs.len())
    }
}
