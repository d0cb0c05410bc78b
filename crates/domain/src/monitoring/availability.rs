//! A month's availability against the SLA's target, and the credit the terms give when it is
//! missed.
//!
//! Availability is the time a service was up out of the time it was observed, maintenance left
//! out (`up / (up + down)`), in parts per million so it is exact integer arithmetic; it is
//! shown with three decimals ("99.800 %"). A month nobody observed has no availability and no
//! verdict.

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::money::Money;

/// Parts per million: 99.8 % is 998,000.
pub type Ppm = i64;

pub const MILLION: Ppm = 1_000_000;

/// The availability of `up_ms` out of `up_ms + down_ms`, rounded down (never shown better than
/// it was).
pub fn availability(up_ms: i64, down_ms: i64) -> Option<Ppm> {
    let observed = up_ms.checked_add(down_ms)?;
    if observed <= 0 || up_ms < 0 || down_ms < 0 {
        return None;
    }
    let ppm = i128::from(up_ms) * i128::from(MILLION) / i128::from(observed);
    Some(ppm as Ppm)
}

/// A percentage as written (`"99.8 %"`, `"99.95"`, `"99,9%"`) in ppm: at most four decimals.
pub fn parse_percent(field: &str, s: &str) -> Result<Ppm, FieldError> {
    let bad = || FieldError::new(field, format!("`{}` is not a percentage like \"99.8 %\"", crate::input::sample(s)));
    let t = s.trim().trim_end_matches('%').trim().replace(',', ".");
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty() || whole.len() > 3 || frac.len() > 4 || !whole.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let frac: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<4}").parse().map_err(|_| bad())? };
    // One percent is 10,000 ppm, so four decimals of a percent are whole ppm.
    let ppm = whole * 10_000 + frac;
    if ppm > MILLION {
        return Err(FieldError::new(field, "at most 100 %"));
    }
    Ok(ppm)
}

/// `998000` → `"99.800"` (the caller's locale changes the decimal sign).
pub fn format_ppm(ppm: Ppm) -> String {
    format!("{}.{:03}", ppm / 10_000, (ppm % 10_000) / 10)
}

/// The SLA of a plan: the availability it promises per calendar month and the credit, in
/// percent of the month's price, when a month falls short.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sla {
    pub target: Ppm,
    /// Percent of the service's price for that month credited on the next invoice; 0 for none.
    pub credit_percent: i64,
}

/// The verdict on one service's month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub availability: Option<Ppm>,
    pub target: Option<Ppm>,
    /// `None` when there is no target or nothing was observed.
    pub met: Option<bool>,
    /// What is credited (zero when met or when the terms give none).
    pub credit: Money,
}

/// The verdict for a month of `up_ms`/`down_ms` against `sla`, the service's price for the
/// month being `monthly_price`.
pub fn verdict(up_ms: i64, down_ms: i64, sla: Option<Sla>, monthly_price: Money) -> Verdict {
    let availability = availability(up_ms, down_ms);
    let met = match (availability, sla) {
        (Some(a), Some(s)) => Some(a >= s.target),
        _ => None,
    };
    let credit = match (met, sla) {
        // Rounded down to the cent; a price and a percentage from `input` cannot overflow i128.
        (Some(false), Some(s)) if s.credit_percent > 0 => {
            let minor = i128::from(monthly_price.minor) * i128::from(s.credit_percent.min(100)) / 100;
            Money::new(i64::try_from(minor).unwrap_or(0), monthly_price.currency)
        }
        _ => Money::zero(monthly_price.currency),
    };
    Verdict { availability, target: sla.map(|s| s.target), met, credit }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_read_exactly() {
        assert_eq!(parse_percent("x", "99.8 %").unwrap(), 998_000);
        assert_eq!(parse_percent("x", "99,95%").unwrap(), 999_500);
        assert_eq!(parse_percent("x", "100").unwrap(), MILLION);
        assert_eq!(parse_percent("x", "99.9999").unwrap(), 999_999);
        for bad in ["", "abc", "101", "99.99999", "-1", "1e2", "99.8.1"] {
            assert!(parse_percent("x", bad).is_err(), "{bad}");
        }
        assert_eq!(format_ppm(998_000), "99.800");
        assert_eq!(format_ppm(999_999), "99.999");
    }

    #[test]
    fn availability_is_rounded_down_and_none_unobserved() {
        let month = 30 * 86_400_000_i64;
        // 99.8 % of a 30-day month allows 86.4 minutes down.
        let allowed = month / 500;
        assert_eq!(availability(month - allowed, allowed), Some(998_000));
        assert_eq!(availability(month - allowed - 1, allowed + 1), Some(997_999));
        assert_eq!(availability(0, 0), None);
        let sla = Sla { target: 998_000, credit_percent: 10 };
        let price = Money::eur(2_500);
        let v = verdict(month - allowed - 1, allowed + 1, Some(sla), price);
        assert_eq!((v.met, v.credit.minor), (Some(false), 250));
        assert_eq!(verdict(month - allowed, allowed, Some(sla), price).credit.minor, 0);
        assert_eq!(verdict(0, 0, Some(sla), price).met, None);
    }
}
