//! "How to pay": the sentence saying what to transfer where, the BIC, and the EPC069-12
//! "GiroCode" QR code a banking app scans to fill in the transfer. Invoices and payment
//! reminders both end with it.

use loket_domain::Language;

use crate::canvas::{Canvas, Ink, MARGIN, WIDTH, Weight};
use crate::tr;

const QR_SIZE: f32 = 88.0;

/// The QR code's modules (dark or not) by row, for an EPC payload.
fn qr_modules(payload: &str) -> Option<Vec<Vec<bool>>> {
    let segments = qrcodegen::QrSegment::make_segments(payload);
    // One fixed mask: any mask scans, and trying all eight is most of a QR code's cost.
    let q = qrcodegen::QrCode::encode_segments_advanced(
        &segments,
        qrcodegen::QrCodeEcc::Medium,
        qrcodegen::Version::MIN,
        qrcodegen::Version::MAX,
        Some(qrcodegen::Mask::new(2)),
        true,
    )
    .ok()?;
    let n = q.size();
    Some((0..n).map(|r| (0..n).map(|col| q.get_module(col, r)).collect()).collect())
}

/// The block at the current position: the QR code of `girocode` (where there is one) at the
/// left, "how to pay", `text` and the BIC beside it.
pub(crate) fn how_to_pay(c: &mut Canvas, lang: Language, text: &str, bic: Option<&str>, girocode: Option<&str>) {
    let qr = girocode.and_then(qr_modules);
    c.ensure(QR_SIZE + 30.0);
    let top = c.y;
    let text_x = if qr.is_some() { MARGIN + QR_SIZE + 16.0 } else { MARGIN };
    let mut y = top - 4.0;
    c.text(text_x, y, 9.5, Weight::Bold, Ink::Accent, &tr(lang, "pdf-how-to-pay", &[]));
    y -= 14.0;
    for line in c.wrap(text, 9.0, Weight::Regular, WIDTH - MARGIN - text_x) {
        c.text(text_x, y, 9.0, Weight::Regular, Ink::Text, &line);
        y -= 12.0;
    }
    if let Some(bic) = bic {
        c.text(text_x, y, 8.5, Weight::Regular, Ink::Muted, &format!("BIC {bic}"));
        y -= 12.0;
    }
    if let Some(modules) = qr {
        let module = QR_SIZE / modules.len() as f32;
        c.qr(MARGIN, top, module, &modules);
        c.text_centred(MARGIN + QR_SIZE / 2.0, top - QR_SIZE - 10.0, 7.0, Weight::Regular, Ink::Muted, &tr(lang, "pdf-scan-to-pay", &[]));
        y = y.min(top - QR_SIZE - 14.0);
    }
    c.y = y - 8.0;
}
