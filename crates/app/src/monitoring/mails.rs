//! The monthly report as an e-mail in the card's language, its PDF attached.

use loket_domain::monitoring::availability::format_ppm;
use loket_domain::monitoring::report::CardReport;
use loket_mail::{Attachment, Message};

use crate::{AppError, Services};

/// The data of the `availability-report` mail.
pub fn report_data(app: &Services, report: &CardReport) -> serde_json::Value {
    let services: Vec<serde_json::Value> = report
        .services
        .iter()
        .map(|s| {
            serde_json::json!({
                "service": s.service,
                "availability": s.availability.map(format_ppm).unwrap_or_default(),
                "target": s.target.map(format_ppm).unwrap_or_default(),
                "met": s.met,
            })
        })
        .collect();
    serde_json::json!({
        "customer": report.customer_name,
        "month": report.month,
        "services": services,
        "all_met": report.all_met(),
        "credit": if report.credit.minor > 0 { loket_i18n::format_money(report.language, report.credit) } else { String::new() },
        "url": format!("{}/customers/{}/monitoring?month={}", app.public_url, report.customer_id, report.month),
    })
}

/// The report's PDF.
pub fn report_pdf(app: &Services, report: &CardReport) -> Vec<u8> {
    let provider = crate::billing::snapshot::provider(&app.provider);
    loket_pdf::render_availability(report, &provider, &app.documents.letterhead)
}

/// The file name of the report's PDF, e.g. `availability-2026-11-C000001.pdf`.
pub fn report_file_name(report: &CardReport) -> String {
    format!("availability-{}-{}.pdf", report.month, report.customer_id)
}

pub fn report_mail(app: &Services, report: &CardReport, to: &str) -> Result<Message, AppError> {
    let data = report_data(app, report);
    let pdf = Attachment::pdf(report_file_name(report), report_pdf(app, report));
    app.composer.compose_with("availability-report", report.language, &[to], data, &[pdf]).map_err(|e| AppError::Mail(e.to_string()))
}
