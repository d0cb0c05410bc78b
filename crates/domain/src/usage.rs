//! The use of a hosting service (seed 001: "the use of storage and data traffic"): one point per
//! service and day with the storage in use and the traffic of that day, and optionally the quotas
//! that applied. A control panel or a script feeds them (`POST /api/v1/usage`, `loket usage
//! import FILE.csv`); a point for a day that has one replaces it, so feeding twice is harmless.

use jiff::civil::Date;

use crate::FieldError;
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

/// The columns of a usage file, in this order; the two quotas may be left out.
pub const CSV_COLUMNS: [&str; 6] = ["subscription_id", "date", "storage_mb", "traffic_mb", "storage_quota_mb", "traffic_quota_mb"];

/// Reads a usage file (CSV, a header line naming the columns). Every wrong row is named by its
/// line number, and any wrong row refuses the whole file, so nothing is half imported. A service
/// given twice for one day is refused too: which of the two was meant is not known.
pub fn parse_csv(text: &str) -> Result<Vec<UsagePoint>, Vec<FieldError>> {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Err(vec![FieldError::new(
            "line 1",
            format!("the file is empty; its first line names the columns: {}", CSV_COLUMNS.join(",")),
        )]);
    };
    let names: Vec<&str> = header.trim_start_matches('\u{feff}').split(',').map(str::trim).collect();
    if names.len() < 4 || names.len() > 6 || names.iter().zip(CSV_COLUMNS).any(|(n, c)| !n.eq_ignore_ascii_case(c)) {
        return Err(vec![FieldError::new(
            "line 1",
            format!("the first line names the columns {} (the two quotas may be left out)", CSV_COLUMNS.join(",")),
        )]);
    }
    let mut points = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (i, line) in lines {
        let n = i + 1;
        let at = format!("line {n}: ");
        let cells: Vec<&str> = line.split(',').collect();
        if cells.len() != names.len() {
            errors.push(FieldError::new(format!("line {n}"), format!("has {} columns, the header {}", cells.len(), names.len())));
            if errors.len() >= 100 {
                break;
            }
            continue;
        }
        let raw = RawPoint {
            subscription_id: cells[0],
            date: cells[1],
            storage_mb: cells[2],
            traffic_mb: cells[3],
            storage_quota_mb: cells.get(4).copied(),
            traffic_quota_mb: cells.get(5).copied(),
        };
        match raw.check(&at) {
            Ok(p) => {
                if let Some(first) = seen.insert((p.subscription_id, p.day), n) {
                    errors.push(FieldError::new(
                        format!("line {n}"),
                        format!("subscription {} on {} is on line {first} too", p.subscription_id, p.day),
                    ));
                }
                points.push(p);
            }
            Err(e) => errors.extend(e),
        }
        // A file that is wrong throughout says so in a hundred messages, not a million.
        if errors.len() >= 100 {
            break;
        }
    }
    if errors.is_empty() { Ok(points) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_with_and_without_quotas() {
        let points = parse_csv("subscription_id,date,storage_mb,traffic_mb\n7,2026-11-01,1500,230\n\n7,2026-11-02,1510,0\n").unwrap();
        assert_eq!(points.len(), 2);
        assert_eq!(points[1].storage_mb, 1510);
        assert_eq!(points[0].storage_quota_mb, None);
        let points = parse_csv(
            "\u{feff}subscription_id,date,storage_mb,traffic_mb,storage_quota_mb,traffic_quota_mb\r\n7,2026-11-01,1500,230,10240,\r\n",
        )
        .unwrap();
        assert_eq!((points[0].storage_quota_mb, points[0].traffic_quota_mb), (Some(10240), None));
    }

    #[test]
    fn every_bad_row_is_named_by_its_line_and_nothing_is_taken() {
        let text =
            "subscription_id,date,storage_mb,traffic_mb\n7,2026-11-01,1500,230\nx,2026-13-01,-1,2.5\n7,2026-11-01,1,1\n8,2026-11-01,1\n";
        let errors = parse_csv(text).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"line 3: subscription_id"), "{errors:?}");
        assert!(fields.contains(&"line 3: date"));
        assert!(fields.contains(&"line 3: storage_mb"));
        assert!(fields.contains(&"line 3: traffic_mb"));
        assert!(errors.iter().any(|e| e.field == "line 4" && e.message.contains("line 2 too")), "{errors:?}");
        assert!(errors.iter().any(|e| e.field == "line 5" && e.message.contains("columns")), "{errors:?}");
    }

    #[test]
    fn the_header_and_bounds_are_checked() {
        assert_eq!(parse_csv("").unwrap_err()[0].field, "line 1");
        assert_eq!(parse_csv("id,day,disk,traffic\n").unwrap_err()[0].field, "line 1");
        let e = parse_csv("subscription_id,date,storage_mb,traffic_mb\n1,1999-12-31,1,1000000000000000\n").unwrap_err();
        assert!(e.iter().any(|e| e.field == "line 2: date"));
        assert!(e.iter().any(|e| e.field == "line 2: traffic_mb" && e.message.contains("from 0")));
        let many: String = std::iter::once("subscription_id,date,storage_mb,traffic_mb\n".to_string())
            .chain((0..500).map(|_| "x,y,z,w\n".to_string()))
            .collect();
        assert!(parse_csv(&many).unwrap_err().len() <= 104, "a hundred messages, not thousands");
    }
}
