//! `loket documents export`: a period's documents as files for the accountant, one file each,
//! each the stored file the panel and API serve (rendered and stored now where it was not yet),
//! written under its stored name through a temporary file and a rename, so a file in the folder
//! is always whole. The documents are read in pages; a progress bar shows on a terminal.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, anyhow, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jiff::civil::Date;
use loket_app::documents::{Format, offered};
use loket_store::billing::documents::DocKind;
use loket_store::billing::journal::{self, Kinds};

use loket::app::App;

const PAGE: i64 = 500;

/// `--from`/`--to` as a date, or why not (naming the argument).
fn date_arg(arg: &str, s: Option<&str>) -> anyhow::Result<Option<Date>> {
    s.map(|s| loket_domain::input::date(arg, s).map_err(|e| anyhow!("{e}"))).transpose()
}

/// Why a document has no file in `format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Skip {
    ProForma,
    /// From the provider's history: only its original PDF.
    Imported,
    NoPeppolAddress,
    NotItalian,
}

fn not_applicable(kind: DocKind, imported: bool, format: Format) -> Skip {
    match (kind, format) {
        (DocKind::ProForma, _) => Skip::ProForma,
        _ if imported => Skip::Imported,
        (_, Format::Ubl) => Skip::NoPeppolAddress,
        _ => Skip::NotItalian,
    }
}

/// `3 pro formas`, `1 without a Peppol address`.
fn counted(skip: Skip, n: u64) -> String {
    match skip {
        Skip::ProForma if n == 1 => "1 pro forma".to_string(),
        Skip::ProForma => format!("{n} pro formas"),
        Skip::Imported => format!("{n} imported from the history"),
        Skip::NoPeppolAddress => format!("{n} without a Peppol address"),
        Skip::NotItalian => format!("{n} not from an Italian provider"),
    }
}

/// A progress bar of `total` `what` on stderr when it is a terminal (hidden otherwise, so logs
/// and pipes get no control characters).
pub(crate) fn progress(total: u64, what: &str) -> ProgressBar {
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(&format!("{{bar:40}} {{pos}}/{{len}} {what}, {{elapsed}} so far, {{eta}} left"))
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

pub async fn export_files(app: &App, format: &str, out: &Path, from: Option<&str>, to: Option<&str>) -> anyhow::Result<()> {
    let format = Format::parse(format).ok_or_else(|| anyhow!("--format: `{format}` is not a format: use pdf, ubl or fatturapa"))?;
    let services = app.services();
    let from = date_arg("--from", from)?.unwrap_or(loket_domain::input::MIN_DATE);
    let to = date_arg("--to", to)?.unwrap_or(loket_domain::input::MAX_DATE);
    if from > to {
        bail!("--to: the period ends ({to}) before it starts (--from {from})");
    }
    let country = app.config.provider.address.country.code().to_string();
    if format == Format::FatturaPa && country != "IT" {
        bail!(
            "--format fatturapa: FatturaPA is only for an Italian provider's documents, and this provider is in {country}: nothing to export"
        );
    }
    if out.exists() && !out.is_dir() {
        bail!("--out: {} is not a folder", out.display());
    }
    std::fs::create_dir_all(out).with_context(|| format!("--out: cannot make the folder {}", out.display()))?;

    let started = Instant::now();
    let total = journal::count_issued(&mut *app.store.acquire().await?, from, to, Kinds::All).await?;
    let bar = progress(total as u64, "documents");
    let (mut exported, mut skipped) = (0u64, BTreeMap::<Skip, u64>::new());
    // Files not yet stored are rendered as they are asked for: a few at once keep every core busy.
    let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1) * 2;
    let mut running = tokio::task::JoinSet::new();
    let mut done = |r: Result<anyhow::Result<()>, tokio::task::JoinError>| -> anyhow::Result<()> {
        r??;
        bar.inc(1);
        exported += 1;
        Ok(())
    };
    let mut after = None;
    loop {
        // The connection goes back to the pool before the files are rendered and stored.
        let page = journal::issued(&mut *app.store.acquire().await?, from, to, Kinds::All, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = Some((last.doc.issue_date, last.doc.id));
        let full = page.len() as i64 == PAGE;
        for d in page {
            if !offered(&d.doc).contains(&format) {
                *skipped.entry(not_applicable(d.doc.kind, d.doc.imported, format)).or_default() += 1;
                bar.inc(1);
                continue;
            }
            while running.len() >= workers {
                if let Some(r) = running.join_next().await {
                    done(r)?;
                }
            }
            let (services, out) = (services.clone(), out.to_path_buf());
            running.spawn(async move {
                let file = services.document_file(d.doc.id, format).await.with_context(|| format!("document {}", d.doc.number))?;
                tokio::task::spawn_blocking(move || write_atomically(&out, &file.file_name, &file.content)).await?
            });
        }
        if !full {
            break;
        }
    }
    while let Some(r) = running.join_next().await {
        done(r)?;
    }
    bar.finish_and_clear();
    let skipped_total: u64 = skipped.values().sum();
    let why = if skipped_total == 0 {
        String::new()
    } else {
        let reasons: Vec<String> = skipped.iter().map(|(why, n)| counted(*why, *n)).collect();
        format!(" ({skipped_total} skipped, not applicable as {}: {})", format.name(), reasons.join(", "))
    };
    let noun = if exported == 1 { "document" } else { "documents" };
    println!("exported {exported} {noun}{why} to {}", out.display());
    tracing::info!(exported, skipped = skipped_total, seconds = started.elapsed().as_secs_f64(), "documents exported");
    Ok(())
}

/// Writes `content` to `dir/name` whole or not at all: into a hidden temporary file in the same
/// folder, then renamed over the name.
fn write_atomically(dir: &Path, name: &str, content: &[u8]) -> anyhow::Result<()> {
    if name.is_empty() || name.starts_with('.') || name.contains(['/', '\\']) {
        bail!("a stored file name `{name}` is not a plain file name");
    }
    let tmp = dir.join(format!(".{name}.{}.part", std::process::id()));
    let target = dir.join(name);
    std::fs::write(&tmp, content).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, &target).with_context(|| format!("renaming {} to {}", tmp.display(), target.display()))?;
    Ok(())
}
