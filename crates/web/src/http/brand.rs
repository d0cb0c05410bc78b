//! The provider's own look from its configuration: a logo in the page header and an accent
//! colour for links, buttons and focus rings, laid over the design system's tokens by a small
//! stylesheet at `/brand.css` (pages allow no inline styles). The accent must stay readable:
//! white text on it and it as text on white need a contrast of at least 4.5:1 (WCAG AA).

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// The largest logo accepted.
pub const MAX_LOGO_BYTES: usize = 256 * 1024;

#[derive(Debug, Clone, Default)]
pub struct Brand {
    /// `#rrggbb`, lower case.
    pub accent: Option<String>,
    /// The logo and its content type.
    pub logo: Option<(Vec<u8>, &'static str)>,
    /// Changes when the brand does (cache-busting in URLs).
    pub version: String,
}

fn channel(hex: &str) -> Option<f64> {
    let v = f64::from(u8::from_str_radix(hex, 16).ok()?) / 255.0;
    Some(if v <= 0.04045 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) })
}

/// WCAG contrast of `#rrggbb` against white.
fn contrast_with_white(colour: &str) -> Option<f64> {
    let h = colour.strip_prefix('#')?;
    if h.len() != 6 || !h.is_ascii() {
        return None;
    }
    let l = 0.2126 * channel(&h[0..2])? + 0.7152 * channel(&h[2..4])? + 0.0722 * channel(&h[4..6])?;
    Some(1.05 / (l + 0.05))
}

/// Checks an accent colour: `#rrggbb` readable with white (4.5:1).
pub fn parse_accent(s: &str) -> Result<String, String> {
    let c = s.trim().to_ascii_lowercase();
    let ratio = contrast_with_white(&c).ok_or_else(|| format!("`{s}` is not a colour: write #rrggbb, e.g. #1f5fbf"))?;
    if ratio < 4.5 {
        return Err(format!(
            "{c} is too light: white text on it has a contrast of {ratio:.1}:1, at least 4.5:1 is needed; choose a darker shade"
        ));
    }
    Ok(c)
}

/// What a logo file is (SVG or PNG), by content.
pub fn logo_type(bytes: &[u8]) -> Result<&'static str, String> {
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(format!("the logo is larger than {} KB", MAX_LOGO_BYTES / 1024));
    }
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        return Ok("image/png");
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    if head.contains("<svg") {
        return Ok("image/svg+xml");
    }
    Err("the logo must be an SVG or PNG file".into())
}

impl Brand {
    pub fn new(accent: Option<String>, logo: Option<(Vec<u8>, &'static str)>) -> Brand {
        // Hashed like the static assets' version.
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(accent.as_deref().unwrap_or("").as_bytes());
        if let Some((l, _)) = &logo {
            h.update(l);
        }
        Brand { accent, logo, version: hex::encode(&h.finalize()[..6]) }
    }

    /// The stylesheet laid over the design system's tokens.
    pub fn css(&self) -> String {
        match &self.accent {
            Some(c) => {
                let h = &c[1..];
                let rgb: Vec<u8> = (0..3).filter_map(|i| u8::from_str_radix(&h[i * 2..i * 2 + 2], 16).ok()).collect();
                let [r, g, b] = rgb[..] else { return String::new() };
                format!(":root {{ --accent: {c}; --focus: 0 0 0 3px rgba({r}, {g}, {b}, .35); }}\n")
            }
            None => String::new(),
        }
    }
}

/// `/brand.css`
pub async fn stylesheet(State(state): State<AppState>) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable")),
        ],
        state.brand.css(),
    )
        .into_response()
}

/// `/brand/logo`: served so that an SVG can never run anything, even opened on its own.
pub async fn logo(State(state): State<AppState>) -> Response {
    match &state.brand.logo {
        Some((bytes, kind)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(kind)),
                (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable")),
                (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox")),
            ],
            bytes.clone(),
        )
            .into_response(),
        None => crate::http::render::error_page(crate::WebError::NotFound),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_must_be_readable_on_white() {
        assert_eq!(parse_accent(" #1F5FBF ").unwrap(), "#1f5fbf");
        assert!(parse_accent("#ffcc00").unwrap_err().contains("too light"));
        assert!(parse_accent("blue").unwrap_err().contains("#rrggbb"));
        assert!(parse_accent("#12345").is_err());
        assert!(parse_accent("#00000g").is_err());
        // Black on white is the maximum, 21:1.
        assert!((contrast_with_white("#000000").unwrap() - 21.0).abs() < 0.01);
    }

    #[test]
    fn logos_are_judged_by_content() {
        assert_eq!(logo_type(b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>"), Ok("image/svg+xml"));
        assert_eq!(logo_type(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]), Ok("image/png"));
        assert!(logo_type(b"GIF89a").is_err());
        assert!(logo_type(&vec![b' '; MAX_LOGO_BYTES + 1]).is_err());
    }

    #[test]
    fn the_stylesheet_overrides_the_tokens() {
        let b = Brand::new(Some("#0b5cad".into()), None);
        assert_eq!(b.css(), ":root { --accent: #0b5cad; --focus: 0 0 0 3px rgba(11, 92, 173, .35); }\n");
        assert_ne!(b.version, Brand::new(None, None).version);
        assert_eq!(Brand::default().css(), "");
    }
}
