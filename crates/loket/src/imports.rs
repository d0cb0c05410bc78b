//! `loket documents import FILE.csv [--pdf-dir DIR]`: a provider's invoice history, all rows or
//! none, every problem named by the line of the file.

use std::collections::HashMap;
use std::path::Path;

use loket::app::App;

use crate::commands::cli_actor;

pub async fn import_history(app: &App, file: &Path, pdf_dir: Option<&Path>) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("{}: cannot read it: {e}", file.display()))?;
    let catalog = app.store.catalog(app.config.provider.currency).await?;
    let settings = catalog.settings(app.config.provider.currency);
    let series = [settings.invoice_series.as_str(), settings.credit_note_series.as_str(), settings.pro_forma_series.as_str()];
    let nothing = |errors: &[loket_domain::FieldError]| {
        anyhow::anyhow!("{}: nothing imported:\n{}", file.display(), errors.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"))
    };
    let docs = loket_domain::history::parse_csv(&text, app.config.provider.currency, &series).map_err(|e| nothing(&e))?;
    if docs.is_empty() {
        println!("{}: no rows", file.display());
        return Ok(());
    }
    let mut pdfs = HashMap::new();
    let mut errors = Vec::new();
    for d in docs.iter() {
        let Some(name) = &d.pdf else { continue };
        let Some(dir) = pdf_dir else {
            errors.push(loket_domain::FieldError::new(format!("line {}: pdf", d.line), "give the folder with --pdf-dir"));
            continue;
        };
        if pdfs.contains_key(name) {
            continue;
        }
        let path = dir.join(name);
        match std::fs::read(&path) {
            Ok(bytes) => match loket_app::history::check_pdf(&bytes) {
                Ok(()) => {
                    pdfs.insert(name.clone(), bytes);
                }
                Err(why) => {
                    errors.push(loket_domain::FieldError::new(format!("line {}: pdf", d.line), format!("{} {why}", path.display())))
                }
            },
            Err(e) => errors.push(loket_domain::FieldError::new(format!("line {}: pdf", d.line), format!("{}: {e}", path.display()))),
        }
    }
    if !errors.is_empty() {
        return Err(nothing(&errors));
    }
    let count = app.services().import_history(&cli_actor(), &docs, &pdfs).await.map_err(|e| match e {
        loket_app::AppError::Invalid(errors) => nothing(&errors),
        other => anyhow::anyhow!("{}: {other}", file.display()),
    })?;
    println!("{}: imported {count} documents ({} with their original PDF)", file.display(), pdfs.len());
    Ok(())
}
