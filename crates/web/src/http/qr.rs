//! QR codes as inline SVG (the two-step set-up's `otpauth://` link, so a phone's
//! authenticator app can scan it instead of typing the secret). One path of unit squares with
//! the four-module quiet zone the standard asks for; black on white whatever the theme.

use qrcodegen::{QrCode, QrCodeEcc};

/// `text` as an SVG QR code labelled `label` for screen readers; `None` if it does not fit.
pub fn svg(text: &str, label: &str) -> Option<String> {
    let code = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let size = code.size();
    let border = 4;
    let dim = size + 2 * border;
    let mut path = String::with_capacity((size * size) as usize * 4);
    for y in 0..size {
        for x in 0..size {
            if code.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    let label = label.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;");
    Some(format!(
        "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {dim} {dim}\" role=\"img\" aria-label=\"{label}\" \
         shape-rendering=\"crispEdges\"><rect width=\"{dim}\" height=\"{dim}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_becomes_a_square_svg_with_a_quiet_zone() {
        let s = svg("otpauth://totp/Loket:anna%40example.test?secret=JBSWY3DPEHPK3PXP&issuer=Loket", "QR <code>").unwrap();
        assert!(s.starts_with("<svg class=\"qr\"") && s.ends_with("</svg>"));
        // Version 4 or so: 33 modules and 8 of quiet zone.
        let dim: u32 = s.split("viewBox=\"0 0 ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
        assert!(dim >= 29 && (dim - 8) % 4 == 1, "{dim}");
        assert!(s.contains("aria-label=\"QR &lt;code>\""));
        // The top-left finder pattern starts at the quiet zone's edge.
        assert!(s.contains("M4,4h1v1h-1z"));
    }
}
