//! Lost access (seed 002): someone who can no longer reach their account, its e-mail address
//! or phone number fills in a form, signs it by hand and sends a scan of it with a scan of an
//! identity document. Loket accepts the two files only as PDF, JPEG or PNG (judged by their
//! content, not by their name), each at most [`MAX_FILE_BYTES`].

use crate::provider::FieldError;

/// The largest scan accepted.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// What an uploaded file is, by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanType {
    Pdf,
    Jpeg,
    Png,
}

impl ScanType {
    /// The content type the file is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            ScanType::Pdf => "application/pdf",
            ScanType::Jpeg => "image/jpeg",
            ScanType::Png => "image/png",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ScanType::Pdf => "pdf",
            ScanType::Jpeg => "jpg",
            ScanType::Png => "png",
        }
    }

    pub fn from_content_type(s: &str) -> Option<ScanType> {
        [ScanType::Pdf, ScanType::Jpeg, ScanType::Png].into_iter().find(|t| t.content_type() == s)
    }

    /// Recognises a file by its content.
    pub fn sniff(bytes: &[u8]) -> Option<ScanType> {
        if bytes.starts_with(b"%PDF-") {
            Some(ScanType::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ScanType::Jpeg)
        } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(ScanType::Png)
        } else {
            None
        }
    }
}

/// Checks one uploaded scan named `field`.
pub fn check_scan(field: &str, bytes: &[u8]) -> Result<ScanType, FieldError> {
    if bytes.is_empty() {
        return Err(FieldError::new(field, "is required"));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FieldError::new(field, format!("the file is larger than {} MB", MAX_FILE_BYTES / (1024 * 1024))));
    }
    ScanType::sniff(bytes).ok_or_else(|| FieldError::new(field, "send a PDF, JPEG or PNG file"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_are_judged_by_content() {
        assert_eq!(check_scan("f", b"%PDF-1.7\n..."), Ok(ScanType::Pdf));
        assert_eq!(check_scan("f", &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), Ok(ScanType::Jpeg));
        assert_eq!(check_scan("f", &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]), Ok(ScanType::Png));
        assert_eq!(check_scan("f", b"<html><script>alert(1)</script>").unwrap_err().field, "f");
        assert!(check_scan("f", b"").is_err());
        assert!(check_scan("f", &vec![b'%'; MAX_FILE_BYTES + 1]).is_err());
        assert_eq!(ScanType::from_content_type("image/png"), Some(ScanType::Png));
    }
}
