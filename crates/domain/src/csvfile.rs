//! Reading the CSV files providers bring (usage, invoice history) the way spreadsheets write
//! them: fields may be quoted (`"7","2026-11-01"`, a quote inside doubled), a Dutch or Italian
//! spreadsheet separates with `;`, a header row names the columns, and every problem is named
//! by its line in the file.

use crate::FieldError;

/// A reader over `text`, separating on `;` when the first line has more of those than commas
/// (what a spreadsheet in a comma-decimal locale writes), on `,` otherwise. Cells are trimmed;
/// rows may differ in length (the caller says what is wrong with a short row).
pub(crate) fn reader(text: &str) -> csv::Reader<&[u8]> {
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() { b';' } else { b',' };
    csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes())
}

/// The header's column names, lower case, without a byte-order mark.
pub(crate) fn header(reader: &mut csv::Reader<&[u8]>) -> Result<Vec<String>, FieldError> {
    match reader.headers() {
        Ok(h) => Ok(h.iter().map(|c| c.trim_start_matches('\u{feff}').trim().to_ascii_lowercase()).collect()),
        Err(e) => Err(FieldError::new("line 1", format!("cannot read the header: {e}"))),
    }
}

/// Turns the byte offsets the reader reports into 1-based lines of the file. Records come in
/// file order, so it counts forward from the last offset asked: a file is read once, not once
/// per row.
pub(crate) struct Lines<'a> {
    bytes: &'a [u8],
    at: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Lines { bytes: text.as_bytes(), at: 0, line: 1 }
    }

    /// The line of the first character at or after `offset` that is not a line break (the
    /// reader places a record after the blank lines before it at their start).
    pub(crate) fn line_at(&mut self, offset: u64) -> usize {
        let mut end = usize::try_from(offset).unwrap_or(usize::MAX).min(self.bytes.len());
        while end < self.bytes.len() && (self.bytes[end] == b'\n' || self.bytes[end] == b'\r') {
            end += 1;
        }
        if end < self.at {
            // Asked backwards (not the reader's way): count again from the start.
            self.at = 0;
            self.line = 1;
        }
        self.line += self.bytes[self.at..end].iter().filter(|b| **b == b'\n').count();
        self.at = end;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_and_semicolons_are_read() {
        let text = "a;b\r\n\"1;2\";\"say \"\"hi\"\"\"\r\n";
        let mut r = reader(text);
        assert_eq!(header(&mut r).unwrap(), ["a", "b"]);
        let row = r.records().next().unwrap().unwrap();
        assert_eq!((&row[0], &row[1]), ("1;2", "say \"hi\""));
        let mut r = reader("\u{feff}A,B\n\"x, y\",2\n");
        assert_eq!(header(&mut r).unwrap(), ["a", "b"]);
        assert_eq!(&r.records().next().unwrap().unwrap()[0], "x, y");
    }

    #[test]
    fn lines_count_forward_and_skip_blank_lines() {
        let text = "h\n\n1\n2\n\n\n3\n";
        let mut lines = Lines::new(text);
        assert_eq!(lines.line_at(2), 3);
        assert_eq!(lines.line_at(5), 4);
        assert_eq!(lines.line_at(7), 7);
        assert_eq!(lines.line_at(0), 1);
    }
}
