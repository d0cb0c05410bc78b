//! `loket documents import FILE.csv [--pdf-dir DIR]`: a provider's invoice history, all rows or
//! none, every problem named by the line of the file, all in one round.

use std::collections::HashMap;
use std::path::Path;

use loket::app::App;
use loket_app::history::MAX_PDF_BYTES;
use loket_domain::FieldError;

use crate::commands::cli_actor;

pub async fn import_history(app: &App, file: &Path, pdf_dir: Option<&Path>) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("{}: cannot read it: {e}", file.display()))?;
    let catalog = app.store.catalog(app.config.provider.currency).await?;
    let settings = catalog.settings(app.config.provider.currency);
    let series = [settings.invoice_series.as_str(), settings.credit_note_series.as_str(), settings.pro_forma_series.as_str()];
    let nothing = |errors: &[FieldError]| {
        anyhow::anyhow!("{}: nothing imported:\n{}", file.display(), errors.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"))
    };
    let (docs, mut errors) = loket_domain::history::read_csv(&text, app.config.provider.currency, &series);
    if docs.is_empty() && errors.is_empty() {
        println!("{}: no rows", file.display());
        return Ok(());
    }
    // Each PDF is checked now by its size and first bytes, and read whole only when its document
    // is written: a history of thousands of PDFs is never in memory at once.
    let mut checked: HashMap<String, bool> = HashMap::new();
    for d in docs.iter() {
        let Some(name) = &d.pdf else { continue };
        let Some(dir) = pdf_dir else {
            errors.push(FieldError::new(format!("line {}: pdf", d.line), "give the folder with --pdf-dir"));
            continue;
        };
        if checked.contains_key(name) {
            continue;
        }
        let path = dir.join(name);
        let head = std::fs::File::open(&path).and_then(|f| {
            use std::io::Read;
            let len = f.metadata()?.len();
            let mut head = Vec::with_capacity(8);
            f.take(8).read_to_end(&mut head)?;
            Ok((len, head))
        });
        let problem = match head {
            Ok((len, _)) if len > MAX_PDF_BYTES as u64 => {
                Some(format!("{} is larger than {} MB", path.display(), MAX_PDF_BYTES / 1024 / 1024))
            }
            Ok((_, head)) if !head.starts_with(b"%PDF-") => Some(format!("{} is not a PDF file", path.display())),
            Ok(_) => None,
            Err(e) => Some(format!("{}: {e}", path.display())),
        };
        checked.insert(name.clone(), problem.is_none());
        if let Some(p) = problem {
            errors.push(FieldError::new(format!("line {}: pdf", d.line), p));
        }
    }
    if !errors.is_empty() {
        // The rows that read well are checked against Loket too (customers, numbers taken), so
        // one round names every problem of the file, in the order of its lines.
        if errors.len() < 100 && !docs.is_empty() {
            let given = |name: &str| pdf_dir.is_none() || checked.contains_key(name);
            errors.extend(app.services().history_problems(&docs, &given).await.map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?);
        }
        errors.sort_by_key(|e| e.line().unwrap_or(usize::MAX));
        return Err(nothing(&errors));
    }
    let with_pdf = checked.len();
    let has_pdf = |name: &str| checked.get(name).copied().unwrap_or(false);
    // The bar counts the original PDFs as they are read into the import's transaction.
    let bar = crate::exports::progress(docs.iter().filter(|d| d.pdf.is_some()).count() as u64, "original PDFs");
    let read_pdf = |name: &str| {
        let dir = pdf_dir.ok_or_else(|| "give the folder with --pdf-dir".to_string())?;
        let pdf = std::fs::read(dir.join(name)).map_err(|e| format!("{name}: {e}"));
        bar.inc(1);
        pdf
    };
    let imported = app.services().import_history(&cli_actor(), &docs, &has_pdf, &read_pdf).await;
    bar.finish_and_clear();
    let count = imported.map_err(|e| match e {
        loket_app::AppError::Invalid(errors) => nothing(&errors),
        other => anyhow::anyhow!("{}: {other}", file.display()),
    })?;
    println!("{}: imported {count} documents ({with_pdf} with their original PDF)", file.display());
    Ok(())
}
