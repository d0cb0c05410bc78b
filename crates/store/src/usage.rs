//! Usage points of hosting services: written in batches (a day fed again replaces its row) and
//! read per service over a date range.
//!
//! `usage_points` is the record, one row per service and day. Pages read `usage_months`, the
//! same points packed as text per service and calendar month, which [`record`] writes again for
//! every month it touches in the transaction that writes the points: a year's chart then reads
//! 13 rows instead of packing 365 on every view (~400 µs on SQLite, ~1 ms on PostgreSQL).

use jiff::civil::Date;
use loket_domain::usage::UsagePoint;
use sqlx::Row;

use crate::billing::{V, bind_all, chunk_rows, date, in_list, opt_date, placeholders_for};
use crate::time::now_micros;
use crate::{Conn, Store, StoreError};

const COLUMNS: [&str; 7] = ["subscription_id", "day", "storage_mb", "traffic_mb", "storage_quota_mb", "traffic_quota_mb", "recorded_at"];

/// Writes `points` on `conn`; returns how many rows were written (new or replaced).
pub async fn record(conn: &mut Conn, points: &[UsagePoint]) -> Result<u64, StoreError> {
    let now = now_micros();
    let mut written = 0;
    for chunk in points.chunks(chunk_rows(COLUMNS.len())) {
        let sql = format!(
            "INSERT INTO usage_points ({}) VALUES {} ON CONFLICT (subscription_id, day) DO UPDATE SET \
             storage_mb = excluded.storage_mb, traffic_mb = excluded.traffic_mb, storage_quota_mb = excluded.storage_quota_mb, \
             traffic_quota_mb = excluded.traffic_quota_mb, recorded_at = excluded.recorded_at",
            COLUMNS.join(", "),
            placeholders_for(conn, chunk.len(), COLUMNS.len())
        );
        let values: Vec<V> = chunk
            .iter()
            .flat_map(|p| {
                [
                    V::I(p.subscription_id),
                    V::T(p.day.to_string()),
                    V::I(p.storage_mb),
                    V::I(p.traffic_mb),
                    V::OI(p.storage_quota_mb),
                    V::OI(p.traffic_quota_mb),
                    V::I(now),
                ]
            })
            .collect();
        written += bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &values).execute(&mut *conn).await?.rows_affected();
    }
    repack_months(conn, points).await?;
    Ok(written)
}

/// The month (`YYYY-MM`) of `day`, as `usage_months` keys it.
pub(crate) fn month_of(day: Date) -> String {
    format!("{:04}-{:02}", day.year(), day.month())
}

/// Packs again, from `usage_points`, each month of a service that `points` wrote to.
///
/// The months are first created empty where new, and taken (locked) where they exist, in key
/// order as every writer takes them, so two writers never wait on each other in a circle. Then
/// one statement packs those months, and no others, from what the transaction sees. On
/// PostgreSQL, two feeds of one month at once would otherwise each pack it without the other's
/// uncommitted day, and the later write would lose that day: taking the month waits until the
/// other feed commits, and the packing statement, which starts after that, sees the other's
/// day. SQLite runs one writer at a time.
async fn repack_months(conn: &mut Conn, points: &[UsagePoint]) -> Result<(), StoreError> {
    let months: std::collections::BTreeSet<(i64, String)> = points.iter().map(|p| (p.subscription_id, month_of(p.day))).collect();
    let months: Vec<(i64, String)> = months.into_iter().collect();
    for chunk in months.chunks(chunk_rows(3)) {
        let sql = format!(
            "INSERT INTO usage_months (subscription_id, month, points) VALUES {} \
             ON CONFLICT (subscription_id, month) DO UPDATE SET points = usage_months.points",
            placeholders_for(conn, chunk.len(), 3)
        );
        let values: Vec<V> = chunk.iter().flat_map(|(id, month)| [V::I(*id), V::T(month.clone()), V::T(String::new())]).collect();
        bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &values).execute(&mut *conn).await?;

        let sql = format!(
            "UPDATE usage_months SET points = COALESCE((SELECT {PACKED} FROM usage_points p \
             WHERE p.subscription_id = usage_months.subscription_id AND p.day >= usage_months.month || '-01' \
             AND p.day <= usage_months.month || '-31'), '') \
             WHERE (subscription_id, month) IN (VALUES {})",
            placeholders_for(conn, chunk.len(), 2)
        );
        let values: Vec<V> = chunk.iter().flat_map(|(id, month)| [V::I(*id), V::T(month.clone())]).collect();
        bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &values).execute(&mut *conn).await?;
    }
    Ok(())
}

/// What a usage point is checked against: the service it is for.
#[derive(Debug, Clone)]
pub struct Measured {
    /// The product's kind (`ProductKind::name`).
    pub kind: String,
    pub start_date: Date,
    /// The first day it no longer runs, once it ends.
    pub ends_on: Option<Date>,
}

/// The services among `ids` with what their points are checked against; an id that is not a
/// subscription is missing from the map.
pub async fn measured(conn: &mut Conn, ids: &[i64]) -> Result<std::collections::HashMap<i64, Measured>, StoreError> {
    let mut wanted: Vec<i64> = ids.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    let mut found = std::collections::HashMap::with_capacity(wanted.len());
    for chunk in wanted.chunks(500) {
        let sql = format!(
            "SELECT s.id, p.kind, s.start_date, s.ends_on FROM subscriptions s JOIN plans l ON l.id = s.plan_id \
             JOIN products p ON p.id = l.product_id WHERE s.id IN ({})",
            in_list(1, chunk.len())
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(*id);
        }
        for row in q.fetch_all(&mut *conn).await? {
            let measured =
                Measured { kind: row.try_get("kind")?, start_date: date(&row, "start_date")?, ends_on: opt_date(&row, "ends_on")? };
            found.insert(row.try_get::<i64, _>("id")?, measured);
        }
    }
    Ok(found)
}

/// The points of a service from `from` up to and including `to`, oldest first.
///
/// They come back as one text, not a row per day: a year of points is 365 rows, and each row
/// costs more to hand over (on SQLite sqlx moves every row from its connection's thread to the
/// task) than to read. Each point is `day,storage,traffic,storage quota,traffic quota` (a
/// quota empty when there is none), `;` between points; `usage_months` keeps them so packed
/// per month, and the days of the first and last month outside the range are left out here.
pub async fn points(conn: &mut Conn, subscription_id: i64, from: Date, to: Date) -> Result<Vec<UsagePoint>, StoreError> {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| format!("SELECT {MONTHS}"));
    let row = sqlx::query(sqlx::AssertSqlSafe(SQL.as_str()))
        .bind(subscription_id)
        .bind(month_of(from))
        .bind(month_of(to))
        .fetch_one(&mut *conn)
        .await?;
    unpack_all(subscription_id, row.try_get::<Option<String>, _>(0)?.as_deref(), from, to)
}

/// The aggregate that packs the `usage_points` rows it runs over into [`points`]' text.
const PACKED: &str = "string_agg(p.day || ',' || CAST(p.storage_mb AS TEXT) || ',' || CAST(p.traffic_mb AS TEXT) || ',' || \
     COALESCE(CAST(p.storage_quota_mb AS TEXT), '') || ',' || COALESCE(CAST(p.traffic_quota_mb AS TEXT), ''), ';')";

/// The packed text of service `$1`'s months `$2` to `$3` (`YYYY-MM`), as a scalar subquery.
pub(crate) const MONTHS: &str =
    "(SELECT string_agg(points, ';') FROM usage_months WHERE subscription_id = $1 AND month >= $2 AND month <= $3)";

/// The points of [`MONTHS`]' text (none when there were no rows) from `from` to `to`, by day.
///
/// A year's chart reads 365 points of five fields: the text is read in one pass over its bytes,
/// each number added up as its digits come. Splitting it first (by `memchr` or byte by byte)
/// and then reading each field cost more than the query. A point outside the range is skipped
/// once its day is read.
pub(crate) fn unpack_all(subscription_id: i64, packed: Option<&str>, from: Date, to: Date) -> Result<Vec<UsagePoint>, StoreError> {
    let Some(packed) = packed else { return Ok(Vec::new()) };
    let bytes = packed.as_bytes();
    let mut points = Vec::with_capacity(bytes.len() / 28 + 1);
    let mut at = 0;
    // The first eight bytes of the last day read by the parser (`YYYY-MM-`), its year and month.
    let mut month: Option<([u8; 8], i16, i8)> = None;
    while at < bytes.len() {
        let start = at;
        let end = |at: usize| bytes[at..].iter().position(|&b| b == b';').map_or(bytes.len(), |n| at + n);
        let corrupt = || {
            let text = &bytes[start..end(start)];
            StoreError::Corrupt(format!("usage point of subscription {subscription_id}: {:?}", String::from_utf8_lossy(text)))
        };
        if bytes[at] == b';' {
            at += 1;
            continue;
        }
        // The day: `YYYY-MM-DD` and a comma, read in place; any other shape through the parser.
        // A month's points share its first eight bytes: then only the day of the month is read.
        let day_end =
            if bytes.get(at + 10) == Some(&b',') { at + 10 } else { bytes[at..].iter().position(|&b| b == b',').ok_or_else(corrupt)? + at };
        let text = &bytes[at..day_end];
        let day = match (month, text) {
            (Some((prefix, year, month)), [p @ .., d1, d2])
                if p.len() == 8 && *p == prefix && d1.is_ascii_digit() && d2.is_ascii_digit() =>
            {
                Date::new(year, month, ((d1 - b'0') * 10 + (d2 - b'0')) as i8).ok()
            }
            _ => crate::billing::parse_date_bytes(text).inspect(|d| {
                month = text.first_chunk::<8>().filter(|_| text.len() == 10).map(|p| (*p, d.year(), d.month()));
            }),
        }
        .ok_or_else(corrupt)?;
        at = day_end + 1;
        if day < from || day > to {
            at = end(at);
            continue;
        }
        let mut fields = [None; 4];
        for (i, field) in fields.iter_mut().enumerate() {
            let (value, next) = number(bytes, at).ok_or_else(corrupt)?;
            *field = value;
            // Three commas between the four numbers, then the point's end.
            let last = i == 3;
            match bytes.get(next) {
                Some(b',') if !last => at = next + 1,
                Some(b';') | None if last => at = next,
                _ => return Err(corrupt()),
            }
        }
        let [storage, traffic, storage_quota, traffic_quota] = fields;
        points.push(UsagePoint {
            subscription_id,
            day,
            storage_mb: storage.ok_or_else(corrupt)?,
            traffic_mb: traffic.ok_or_else(corrupt)?,
            storage_quota_mb: storage_quota,
            traffic_quota_mb: traffic_quota,
        });
    }
    // A month is packed in no particular order (the packing aggregate has no `ORDER BY`, which
    // would make SQLite sort through a temporary b-tree); sorting here costs next to nothing,
    // and checking first nothing at all when the index gave them in order, as it mostly does.
    if !points.is_sorted_by_key(|p| p.day) {
        points.sort_by_key(|p| p.day);
    }
    Ok(points)
}

/// The number starting at `at` (`None` when the field is empty) and where it ends: at the first
/// byte that is not a digit. A number as SQL's `CAST(… AS TEXT)` writes one: an optional minus,
/// then digits, without leading zeros; `None` (corrupt) on a minus without digits or a number
/// beyond `i64`. Nineteen digits always fit a `u64`, so the digits are added up unchecked and
/// only the total is checked. (Reading eight digits at once with word arithmetic took as many
/// instructions here: the fields are short.)
fn number(bytes: &[u8], at: usize) -> Option<(Option<i64>, usize)> {
    let negative = bytes.get(at) == Some(&b'-');
    let first = at + usize::from(negative);
    let mut end = first;
    let mut magnitude: u64 = 0;
    while let Some(&b) = bytes.get(end) {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            break;
        }
        magnitude = magnitude.wrapping_mul(10).wrapping_add(u64::from(digit));
        end += 1;
    }
    match end - first {
        0 if negative => return None,
        0 => return Some((None, end)),
        20.. => return None,
        _ => {}
    }
    let value = if negative { 0i64.checked_sub_unsigned(magnitude)? } else { i64::try_from(magnitude).ok()? };
    Some((Some(value), end))
}

/// The latest point of a service, if any.
pub async fn latest(conn: &mut Conn, subscription_id: i64) -> Result<Option<UsagePoint>, StoreError> {
    let row = sqlx::query("SELECT day FROM usage_points WHERE subscription_id = $1 ORDER BY day DESC LIMIT 1")
        .bind(subscription_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let day = date(&row, "day")?;
    Ok(points(conn, subscription_id, day, day).await?.pop())
}

impl Store {
    pub async fn usage_points(&self, subscription_id: i64, from: Date, to: Date) -> Result<Vec<UsagePoint>, StoreError> {
        points(&mut *self.acquire().await?, subscription_id, from, to).await
    }

    pub async fn latest_usage(&self, subscription_id: i64) -> Result<Option<UsagePoint>, StoreError> {
        latest(&mut *self.acquire().await?, subscription_id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one point of `text`, read as a month's text is.
    fn unpack(subscription_id: i64, text: &[u8]) -> Result<UsagePoint, StoreError> {
        let any = |d: &str| d.parse::<Date>().unwrap();
        let text = String::from_utf8(text.to_vec()).unwrap();
        let mut points = unpack_all(subscription_id, Some(&text), any("0001-01-01"), any("9999-12-31"))?;
        assert!(points.len() <= 1);
        points.pop().ok_or_else(|| StoreError::Corrupt("no point".into()))
    }

    #[test]
    fn a_packed_point_reads_back_with_or_without_quotas() {
        let p = unpack(7, b"2026-11-30,850,12000,1024,").unwrap();
        assert_eq!((p.subscription_id, p.day.to_string(), p.storage_mb, p.traffic_mb), (7, "2026-11-30".into(), 850, 12000));
        assert_eq!((p.storage_quota_mb, p.traffic_quota_mb), (Some(1024), None));
        assert_eq!(unpack(7, b"2026-11-30,0,0,,").unwrap().storage_quota_mb, None);
        let bad = [
            "",
            "2026-11-30",
            "2026-11-30,1,2",
            "2026-13-01,1,2,,",
            "2026-11-30,x,2,,",
            "2026-11-30,1,2,q,",
            "2026-11-30,1,2,,,",
            "2026-11-30,,2,,",
            "2026-11-30,1-,2,,",
            "2026-11-30,99999999999999999999,2,,",
            "2026-11-30,+1,2,,",
            "2026-11-30,1 ,2,,",
            "2026-11-30,1,2,,-",
            "2026-11-30,1,2,,5x",
            "2026-11-30,9223372036854775808,2,,",
            "2026-11-30;1,2,,",
            "2026-11-30,9999999999999999999,2,,",
            "2026-11-30,-9223372036854775809,2,,",
            "2026-11-30,18446744073709551616,2,,",
        ];
        for bad in bad {
            assert!(matches!(unpack(7, bad.as_bytes()), Err(StoreError::Corrupt(_))), "{bad:?}");
        }
        // Every i64 reads back as it was written, the extremes too.
        for n in [0, 1, -1, 42, -9_000, 1_000_000_000_000_000_000, i64::MAX, i64::MAX - 1, i64::MIN, i64::MIN + 1] {
            let text = format!("{n},");
            assert_eq!(number(text.as_bytes(), 0), Some((Some(n), text.len() - 1)), "{n}");
        }
    }

    /// [`number`] agrees with reading the text a byte at a time, for every length of number and
    /// every kind of byte after it, anywhere in the text.
    #[test]
    fn numbers_read_alike_a_byte_at_a_time() {
        fn plain(bytes: &[u8], at: usize) -> Option<(Option<i64>, usize)> {
            let negative = bytes.get(at) == Some(&b'-');
            let first = at + usize::from(negative);
            let end = first + bytes[first.min(bytes.len())..].iter().take_while(|b| b.is_ascii_digit()).count();
            if end == first {
                return if negative { None } else { Some((None, end)) };
            }
            let text = std::str::from_utf8(&bytes[at..end]).unwrap();
            Some((Some(text.parse::<i64>().ok()?), end))
        }
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let after: [&[u8]; 9] = [b"", b",", b";", b"x", b"/", b":", b" ", "é".as_bytes(), b"\xff"];
        for _ in 0..20_000 {
            let len = (next() % 22) as usize;
            let mut text: Vec<u8> = Vec::new();
            if next() % 3 == 0 {
                text.push(b'-');
            }
            for i in 0..len {
                // No leading zero, as SQL writes numbers; digits 1-9 first.
                let digit = if i == 0 { 1 + next() % 9 } else { next() % 10 };
                text.push(b'0' + digit as u8);
            }
            text.extend_from_slice(after[(next() % after.len() as u64) as usize]);
            for _ in 0..next() % 12 {
                text.push(b"0123456789,;-x"[(next() % 14) as usize]);
            }
            assert_eq!(number(&text, 0), plain(&text, 0), "{:?}", String::from_utf8_lossy(&text));
            let mut shifted = b"12,".to_vec();
            shifted.extend_from_slice(&text);
            assert_eq!(number(&shifted, 3), plain(&shifted, 3), "{:?}", String::from_utf8_lossy(&shifted));
        }
        for n in [0u64, 7, 12_345_678, 99_999_999, 100_000_000, 1_234_567_890_123_456_789] {
            let text = format!("{n};");
            assert_eq!(number(text.as_bytes(), 0), Some((Some(n as i64), text.len() - 1)), "{n}");
        }
    }

    #[test]
    fn packed_months_read_back_only_the_days_asked_for() {
        let day = |d: &str| d.parse::<Date>().unwrap();
        let packed = "2026-01-31,3,0,,;2026-01-02,1,0,,;;2026-02-01,4,0,,".to_string();
        let points = unpack_all(7, Some(&packed), day("2026-01-02"), day("2026-01-31")).unwrap();
        assert_eq!(points.iter().map(|p| p.storage_mb).collect::<Vec<_>>(), [1, 3]);
        assert!(unpack_all(7, None, day("2026-01-01"), day("2026-12-31")).unwrap().is_empty());
        // A month's later points read only their day of the month, checked as the parser checks it.
        let all = |text: &str| unpack_all(7, Some(text), day("2000-01-01"), day("2099-12-31"));
        let points = all("2024-02-28,1,0,,;2024-02-29,2,0,,;2024-03-01,3,0,,;2025-02-01,4,0,,").unwrap();
        let days: Vec<String> = points.iter().map(|p| p.day.to_string()).collect();
        assert_eq!(days, ["2024-02-28", "2024-02-29", "2024-03-01", "2025-02-01"]);
        for bad in ["2025-02-01,1,0,,;2025-02-29,2,0,,", "2025-02-01,1,0,,;2025-02-00,2,0,,", "2025-02-01,1,0,,;2025-02-1x,2,0,,"] {
            assert!(matches!(all(bad), Err(StoreError::Corrupt(_))), "{bad}");
        }
        assert_eq!((month_of(day("2026-02-01")), month_of(day("0999-12-31"))), ("2026-02".to_string(), "0999-12".to_string()));
    }
}
