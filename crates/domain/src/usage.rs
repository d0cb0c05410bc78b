//! The use of a hosting service (seed 001: "the use of storage and data traffic"): one point per
//! service and day with the storage in use and the traffic of that day, and optionally the quotas
//! that applied. A control panel or a script feeds them (`POST /api/v1/usage`, `loket usage
//! import FILE.csv`); a point for a day that has one replaces it, so feeding twice is harmless.

use jiff::civil::Date;

use crate::FieldError;
use crate::billing::catalog::ProductKind;
use crate::input;

/// The largest figure accepted, in MB: 1 EB. Sums over years of points still fit in 64 bits.
pub const MAX_MB: i64 = 1_000_000_000_000;
/// Points per API request; a file may hold any number.
pub const MAX_POINTS_PER_REQUEST: usize = 10_000;

/// One day of one service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsagePoint {
    pub subscription_id: i64,
    pub day: Date,
    pub storage_mb: i64,
    pub traffic_mb: i64,
    pub storage_quota_mb: Option<i64>,
    pub traffic_quota_mb: Option<i64>,
}

/// A point as written (a CSV row, a JSON object), every field still text or number.
#[derive(Debug, Clone, Default)]
pub struct RawPoint<'a> {
    pub subscription_id: &'a str,
    pub date: &'a str,
    pub storage_mb: &'a str,
    pub traffic_mb: &'a str,
    pub storage_quota_mb: Option<&'a str>,
    pub traffic_quota_mb: Option<&'a str>,
}

fn megabytes(field: &str, s: &str) -> Result<i64, FieldError> {
    let t = s.trim();
    match t.parse::<i64>() {
        Ok(n) if (0..=MAX_MB).contains(&n) => Ok(n),
        Ok(_) => Err(FieldError::new(field, format!("give whole megabytes from 0 to {MAX_MB}"))),
        Err(_) => Err(FieldError::new(field, format!("`{}` is not a whole number of megabytes", input::sample(t)))),
    }
}

fn quota(field: &str, s: Option<&str>) -> Result<Option<i64>, FieldError> {
    match s.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => megabytes(field, t).map(Some),
    }
}

impl RawPoint<'_> {
    /// Checks every field; field names are prefixed with `at` (e.g. `points[3].` or `line 4: `).
    pub fn check(&self, at: &str) -> Result<UsagePoint, Vec<FieldError>> {
        let mut errors = Vec::new();
        let f = |name: &str| format!("{at}{name}");
        let id = match self.subscription_id.trim().parse::<i64>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                errors.push(FieldError::new(
                    f("subscription_id"),
                    format!("`{}` is not a subscription id", input::sample(self.subscription_id)),
                ));
                None
            }
        };
        let day = input::date(&f("date"), self.date.trim()).map_err(|e| errors.push(e)).ok();
        let storage = megabytes(&f("storage_mb"), self.storage_mb).map_err(|e| errors.push(e)).ok();
        let traffic = megabytes(&f("traffic_mb"), self.traffic_mb).map_err(|e| errors.push(e)).ok();
        let storage_quota = quota(&f("storage_quota_mb"), self.storage_quota_mb).map_err(|e| errors.push(e)).ok();
        let traffic_quota = quota(&f("traffic_quota_mb"), self.traffic_quota_mb).map_err(|e| errors.push(e)).ok();
        match (id, day, storage, traffic, storage_quota, traffic_quota) {
            (Some(subscription_id), Some(day), Some(storage_mb), Some(traffic_mb), Some(storage_quota_mb), Some(traffic_quota_mb))
                if errors.is_empty() =>
            {
                Ok(UsagePoint { subscription_id, day, storage_mb, traffic_mb, storage_quota_mb, traffic_quota_mb })
            }
            _ => Err(errors),
        }
    }
}

/// Whether a service of product kind `kind` uses storage and traffic: a domain name, a
/// project, support hours or standby have nothing to measure.
pub fn is_measured(kind: ProductKind) -> bool {
    !matches!(kind, ProductKind::Domain | ProductKind::Project | ProductKind::Support | ProductKind::Standby)
}

/// Whether `point` fits the service it is for: a service of kind `kind` (`None`: a kind the
/// catalogue does not know) running from `start` until the day before `ends_on`. The error
/// names the field and says why.
pub fn fits(point: &UsagePoint, kind: Option<ProductKind>, start: Date, ends_on: Option<Date>) -> Result<(), (&'static str, String)> {
    if let Some(kind) = kind.filter(|k| !is_measured(*k)) {
        let what = kind.name().replace('_', " ");
        return Err(("subscription_id", format!("subscription {} is a {what}, which has no storage or traffic", point.subscription_id)));
    }
    if point.day < start {
        return Err(("date", format!("subscription {} starts on {start}; {} is before it", point.subscription_id, point.day)));
    }
    if let Some(end) = ends_on.filter(|e| point.day >= *e) {
        let last = end.yesterday().unwrap_or(end);
        return Err(("date", format!("subscription {} ended after {last}; {} is after it", point.subscription_id, point.day)));
    }
    Ok(())
}

/// The columns of a usage file; the header row names them, in any order, and the two quotas
/// may be left out.
pub const CSV_COLUMNS: [&str; 6] = ["subscription_id", "date", "storage_mb", "traffic_mb", "storage_quota_mb", "traffic_quota_mb"];

/// Problems listed per file: the first hundred say what is wrong with it.
const MAX_ERRORS: usize = 100;

/// A usage file read: the points whose rows are right, each with its line in the file, and
/// what is wrong with the others. A file with any error is imported not at all; the points
/// are still given so the caller can check them further and name all problems in one go.
#[derive(Debug, Default)]
pub struct UsageFile {
    pub points: Vec<UsagePoint>,
    /// `lines[i]` is the line of `points[i]`.
    pub lines: Vec<usize>,
    pub errors: Vec<FieldError>,
}

/// Reads a usage file: CSV as a spreadsheet writes it (quoted cells, `,` or `;` between them),
/// a header line naming the columns. Every wrong row is named by its line number. A service
/// given twice for one day is refused too: which of the two was meant is not known.
pub fn read_csv(text: &str) -> UsageFile {
    let mut file = UsageFile::default();
    let fail = |message: String| UsageFile { errors: vec![FieldError::new("line 1", message)], ..UsageFile::default() };
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return fail(format!("the file is empty; its first line names the columns: {}", CSV_COLUMNS.join(",")));
    }
    let mut reader = crate::csvfile::reader(text);
    let header = match crate::csvfile::header(&mut reader) {
        Ok(h) => h,
        Err(e) => return UsageFile { errors: vec![e], ..UsageFile::default() },
    };
    let unknown: Vec<&str> = header.iter().map(String::as_str).filter(|h| !CSV_COLUMNS.contains(h)).collect();
    let missing: Vec<&str> = CSV_COLUMNS[..4].iter().copied().filter(|c| !header.iter().any(|h| h == c)).collect();
    if !unknown.is_empty() || !missing.is_empty() {
        let mut says = Vec::new();
        if !missing.is_empty() {
            says.push(format!("lacks {}", missing.join(", ")));
        }
        if !unknown.is_empty() {
            says.push(format!(
                "has unknown column(s) {}",
                unknown.iter().map(|u| format!("`{}`", input::sample(u))).collect::<Vec<_>>().join(", ")
            ));
        }
        return fail(format!(
            "the header {}; it names the columns {} (the two quotas may be left out)",
            says.join(" and "),
            CSV_COLUMNS.join(",")
        ));
    }
    let column = |name: &str| header.iter().position(|h| h == name);
    let [id, date, storage, traffic] = [0, 1, 2, 3].map(|i| column(CSV_COLUMNS[i]).unwrap_or(usize::MAX));
    let (storage_quota, traffic_quota) = (column(CSV_COLUMNS[4]), column(CSV_COLUMNS[5]));
    let mut lines = crate::csvfile::Lines::new(text);
    let mut seen = std::collections::HashMap::new();
    for record in reader.records() {
        // A file that is wrong throughout says so in a hundred messages, not a million.
        if file.errors.len() >= MAX_ERRORS {
            file.errors.push(FieldError::new("file", "more problems follow: correct these first"));
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let n = e.position().map(|p| lines.line_at(p.byte())).unwrap_or(0);
                file.errors.push(FieldError::new(format!("line {n}"), format!("cannot read this row: {e}")));
                continue;
            }
        };
        let n = record.position().map(|p| lines.line_at(p.byte())).unwrap_or(0);
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() != header.len() {
            file.errors.push(FieldError::new(format!("line {n}"), format!("has {} columns, the header {}", record.len(), header.len())));
            continue;
        }
        let cell = |i: usize| record.get(i).unwrap_or("");
        let raw = RawPoint {
            subscription_id: cell(id),
            date: cell(date),
            storage_mb: cell(storage),
            traffic_mb: cell(traffic),
            storage_quota_mb: storage_quota.map(cell),
            traffic_quota_mb: traffic_quota.map(cell),
        };
        match raw.check(&format!("line {n}: ")) {
            Ok(p) => {
                if let Some(first) = seen.insert((p.subscription_id, p.day), n) {
                    file.errors.push(FieldError::new(
                        format!("line {n}"),
                        format!("subscription {} on {} is on line {first} too", p.subscription_id, p.day),
                    ));
                } else {
                    file.points.push(p);
                    file.lines.push(n);
                }
            }
            Err(e) => file.errors.extend(e),
        }
    }
    file
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<UsagePoint>, Vec<FieldError>> {
        let file = read_csv(text);
        if file.errors.is_empty() { Ok(file.points) } else { Err(file.errors) }
    }

    #[test]
    fn a_point_fits_a_measured_service_while_it_runs() {
        let day = |d: &str| d.parse::<Date>().unwrap();
        let p = UsagePoint {
            subscription_id: 7,
            day: day("2026-03-01"),
            storage_mb: 1,
            traffic_mb: 1,
            storage_quota_mb: None,
            traffic_quota_mb: None,
        };
        assert!(fits(&p, Some(ProductKind::Hosting), day("2026-03-01"), None).is_ok());
        assert!(fits(&p, None, day("2026-01-01"), Some(day("2026-03-02"))).is_ok());
        assert_eq!(fits(&p, Some(ProductKind::Domain), day("2026-01-01"), None).unwrap_err().0, "subscription_id");
        let (field, why) = fits(&p, Some(ProductKind::Hosting), day("2026-03-02"), None).unwrap_err();
        assert_eq!((field, why.contains("starts on 2026-03-02")), ("date", true));
        let (field, why) = fits(&p, Some(ProductKind::Mail), day("2026-01-01"), Some(day("2026-03-01"))).unwrap_err();
        assert_eq!((field, why.contains("ended after 2026-02-28")), ("date", true), "{why}");
    }

    #[test]
    fn a_file_with_and_without_quotas() {
        let points = parse("subscription_id,date,storage_mb,traffic_mb\n7,2026-11-01,1500,230\n\n7,2026-11-02,1510,0\n").unwrap();
        assert_eq!(points.len(), 2);
        assert_eq!(points[1].storage_mb, 1510);
        assert_eq!(points[0].storage_quota_mb, None);
        let points = parse(
            "\u{feff}subscription_id,date,storage_mb,traffic_mb,storage_quota_mb,traffic_quota_mb\r\n7,2026-11-01,1500,230,10240,\r\n",
        )
        .unwrap();
        assert_eq!((points[0].storage_quota_mb, points[0].traffic_quota_mb), (Some(10240), None));
    }

    #[test]
    fn a_spreadsheet_file_with_quotes_semicolons_and_its_own_column_order() {
        let text = "\"date\";\"subscription_id\";\"traffic_mb\";\"storage_mb\"\r\n\"2026-11-01\";\"7\";\"230\";\"1500\"\r\n";
        let points = parse(text).unwrap();
        assert_eq!((points[0].subscription_id, points[0].storage_mb, points[0].traffic_mb), (7, 1500, 230));
        let file = read_csv("subscription_id,date,storage_mb,traffic_mb\n\n\n7,2026-11-01,1,1\n8,2026-11-01,1,1\n");
        assert_eq!(file.lines, [4, 5], "lines are the file's, blank lines counted");
    }

    #[test]
    fn every_bad_row_is_named_by_its_line_and_nothing_is_taken() {
        let text =
            "subscription_id,date,storage_mb,traffic_mb\n7,2026-11-01,1500,230\nx,2026-13-01,-1,2.5\n7,2026-11-01,1,1\n8,2026-11-01,1\n";
        let file = read_csv(text);
        let errors = &file.errors;
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"line 3: subscription_id"), "{errors:?}");
        assert!(fields.contains(&"line 3: date"));
        assert!(fields.contains(&"line 3: storage_mb"));
        assert!(fields.contains(&"line 3: traffic_mb"));
        assert!(errors.iter().any(|e| e.field == "line 4" && e.message.contains("line 2 too")), "{errors:?}");
        assert!(errors.iter().any(|e| e.field == "line 5" && e.message.contains("columns")), "{errors:?}");
        assert_eq!(file.lines, [2], "the right rows are still given, for the caller's checks");
    }

    #[test]
    fn the_header_and_bounds_are_checked() {
        assert_eq!(parse("").unwrap_err()[0].field, "line 1");
        assert_eq!(parse("\u{feff}\n\n").unwrap_err()[0].field, "line 1");
        let e = parse("id,day,disk,traffic\n").unwrap_err();
        assert!(e[0].field == "line 1" && e[0].message.contains("lacks subscription_id"), "{e:?}");
        let e = parse("subscription_id,date,storage_mb,traffic_mb,storage_quota\n").unwrap_err();
        assert!(e[0].message.contains("unknown column(s) `storage_quota`"), "{e:?}");
        let e = parse("subscription_id,date,storage_mb,traffic_mb\n1,1999-12-31,1,1000000000000000\n").unwrap_err();
        assert!(e.iter().any(|e| e.field == "line 2: date"));
        assert!(e.iter().any(|e| e.field == "line 2: traffic_mb" && e.message.contains("from 0")));
        let many: String = std::iter::once("subscription_id,date,storage_mb,traffic_mb\n".to_string())
            .chain((0..500).map(|_| "x,y,z,w\n".to_string()))
            .collect();
        assert!(parse(&many).unwrap_err().len() <= 105, "a hundred messages, not thousands");
    }
}
