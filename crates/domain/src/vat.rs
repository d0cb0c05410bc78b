//! VAT: which treatment a sale gets, at which rate, and the invoice totals the way EN 16931
//! computes them (line net amounts rounded per line; VAT per category and rate on the sum).

use serde::{Deserialize, Serialize};

use crate::money::MoneyError;
use crate::{Country, Money};

/// What kind of rate a product carries (the provider's configuration names it per product).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VatCategory {
    Standard,
    Reduced,
    /// Italy's 4 %.
    SuperReduced,
    Zero,
    Exempt,
}

/// A rate in hundredths of a percent: 2100 is 21 %.
pub type BasisPoints = u32;

/// The rate of `category` in `country`, where Loket knows it. NL: 21/9/0; IT: 22/10/4/0; other
/// EU states: their standard rate (for sales to consumers there).
pub fn rate(country: Country, category: VatCategory) -> Option<BasisPoints> {
    use VatCategory::*;
    let c = country.code();
    match (c, category) {
        (_, Zero | Exempt) => Some(0),
        ("NL", Standard) => Some(2100),
        ("NL", Reduced) => Some(900),
        ("IT", Standard) => Some(2200),
        ("IT", Reduced) => Some(1000),
        ("IT", SuperReduced) => Some(400),
        (_, Standard) => standard_rate(c),
        _ => None,
    }
}

/// Standard rates of the EU member states (as in force in 2026).
fn standard_rate(code: &str) -> Option<BasisPoints> {
    Some(match code {
        "AT" => 2000,
        "BE" => 2100,
        "BG" => 2000,
        "CY" => 1900,
        "CZ" => 2100,
        "DE" => 1900,
        "DK" => 2500,
        "EE" => 2400,
        "ES" => 2100,
        "FI" => 2550,
        "FR" => 2000,
        "GR" => 2400,
        "HR" => 2500,
        "HU" => 2700,
        "IE" => 2300,
        "IT" => 2200,
        "LT" => 2100,
        "LU" => 1700,
        "LV" => 2100,
        "MT" => 1800,
        "NL" => 2100,
        "PL" => 2300,
        "PT" => 2300,
        "RO" => 2100,
        "SE" => 2500,
        "SI" => 2200,
        "SK" => 2300,
        _ => return None,
    })
}

/// How a sale is taxed; the EN 16931 category code is [`Treatment::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Treatment {
    /// VAT charged at this rate (category S, or Z for 0 %).
    Charged(BasisPoints),
    /// EU business customer with a VAT number in another member state: the customer accounts
    /// for the VAT (category AE, "reverse charge").
    ReverseCharge,
    /// Exempt (category E).
    Exempt,
    /// Outside the scope of EU VAT: a customer outside the EU (category O).
    OutsideScope,
}

impl Treatment {
    pub fn code(self) -> &'static str {
        match self {
            Treatment::Charged(0) => "Z",
            Treatment::Charged(_) => "S",
            Treatment::ReverseCharge => "AE",
            Treatment::Exempt => "E",
            Treatment::OutsideScope => "O",
        }
    }

    pub fn rate(self) -> BasisPoints {
        match self {
            Treatment::Charged(r) => r,
            _ => 0,
        }
    }
}

/// The buyer, as far as VAT cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Buyer {
    pub country: Country,
    pub business: bool,
    /// A VAT number that passed validation (format, check digits, and where available VIES).
    pub has_valid_vat_number: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no VAT rate known for {category:?} in {country}: configure it")]
pub struct UnknownRate {
    pub country: Country,
    pub category: VatCategory,
}

/// The treatment of an electronically supplied service (hosting, domains, mail) or any other
/// service taxed where the customer is: domestic sales at the seller's rate; EU businesses with
/// a VAT number abroad by reverse charge; EU consumers abroad at their own country's rate (OSS);
/// customers outside the EU outside the scope.
pub fn treatment(seller: Country, buyer: Buyer, category: VatCategory) -> Result<Treatment, UnknownRate> {
    if category == VatCategory::Exempt {
        return Ok(Treatment::Exempt);
    }
    if buyer.country == seller {
        return rate(seller, category).map(Treatment::Charged).ok_or(UnknownRate { country: seller, category });
    }
    if !buyer.country.is_eu() {
        return Ok(Treatment::OutsideScope);
    }
    if buyer.business && buyer.has_valid_vat_number {
        return Ok(Treatment::ReverseCharge);
    }
    let category = if category == VatCategory::Zero { VatCategory::Zero } else { VatCategory::Standard };
    rate(buyer.country, category).map(Treatment::Charged).ok_or(UnknownRate { country: buyer.country, category })
}

/// One invoice line: a quantity in thousandths (1500 = 1.5 hours) at a unit price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub quantity_milli: i64,
    pub unit_price: Money,
    pub treatment: Treatment,
}

impl Line {
    /// Quantity × price, rounded half away from zero to the cent (EN 16931 BT-131); an error
    /// when it does not fit.
    pub fn net(&self) -> Result<Money, MoneyError> {
        let net = div_round(i128::from(self.quantity_milli) * i128::from(self.unit_price.minor), 1000);
        Ok(Money::new(i64::try_from(net).map_err(|_| MoneyError::Overflow)?, self.unit_price.currency))
    }
}

fn div_round(num: i128, den: i128) -> i128 {
    let q = num / den;
    let r = num % den;
    if 2 * r.abs() >= den.abs() { q + num.signum() * den.signum() } else { q }
}

/// Sums that documents may reach: beyond this a document is refused rather than issued.
const MAX_DOCUMENT_MINOR: i128 = 1_000_000_000_000_000;

/// The VAT breakdown for one treatment (EN 16931 BG-23).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Breakdown {
    pub treatment: Treatment,
    pub taxable: Money,
    pub vat: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub net: Money,
    pub vat: Money,
    pub gross: Money,
    pub breakdown: Vec<Breakdown>,
}

/// Invoice totals: the sum of line nets, VAT per treatment on the sum of its lines' nets
/// (rounded once per rate, not per line), and the gross amount. Checked: an error instead of a
/// document whose amounts do not fit.
pub fn totals(lines: &[Line], currency: crate::Currency) -> Result<Totals, MoneyError> {
    let fit = |v: i128| -> Result<i64, MoneyError> {
        if v.abs() > MAX_DOCUMENT_MINOR { Err(MoneyError::Overflow) } else { i64::try_from(v).map_err(|_| MoneyError::Overflow) }
    };
    let mut groups: std::collections::BTreeMap<Treatment, i128> = Default::default();
    for l in lines {
        *groups.entry(l.treatment).or_default() += i128::from(l.net()?.minor);
    }
    let mut breakdown = Vec::with_capacity(groups.len());
    let (mut net, mut vat) = (0i128, 0i128);
    for (treatment, taxable) in groups {
        let tax = div_round(taxable * i128::from(treatment.rate()), 10_000);
        net += taxable;
        vat += tax;
        breakdown.push(Breakdown { treatment, taxable: Money::new(fit(taxable)?, currency), vat: Money::new(fit(tax)?, currency) });
    }
    Ok(Totals {
        net: Money::new(fit(net)?, currency),
        vat: Money::new(fit(vat)?, currency),
        gross: Money::new(fit(net + vat)?, currency),
        breakdown,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;
    use proptest::prelude::*;

    fn c(code: &str) -> Country {
        code.parse().unwrap()
    }

    fn buyer(country: &str, business: bool, vat: bool) -> Buyer {
        Buyer { country: c(country), business, has_valid_vat_number: vat }
    }

    #[test]
    fn treatments() {
        assert_eq!(treatment(c("NL"), buyer("NL", true, true), VatCategory::Standard), Ok(Treatment::Charged(2100)));
        assert_eq!(treatment(c("NL"), buyer("NL", false, false), VatCategory::Reduced), Ok(Treatment::Charged(900)));
        assert_eq!(treatment(c("IT"), buyer("IT", true, true), VatCategory::SuperReduced), Ok(Treatment::Charged(400)));
        assert_eq!(treatment(c("NL"), buyer("BE", true, true), VatCategory::Standard), Ok(Treatment::ReverseCharge));
        assert_eq!(
            treatment(c("NL"), buyer("BE", true, false), VatCategory::Standard),
            Ok(Treatment::Charged(2100)),
            "no valid VAT number: Belgian VAT"
        );
        assert_eq!(
            treatment(c("IT"), buyer("DE", false, false), VatCategory::Standard),
            Ok(Treatment::Charged(1900)),
            "OSS: the consumer's country"
        );
        assert_eq!(treatment(c("NL"), buyer("US", true, false), VatCategory::Standard), Ok(Treatment::OutsideScope));
        assert_eq!(treatment(c("NL"), buyer("NL", true, true), VatCategory::Exempt), Ok(Treatment::Exempt));
        assert!(treatment(c("NL"), buyer("NL", true, true), VatCategory::SuperReduced).is_err(), "NL has no 4 % rate");
        assert_eq!(Treatment::ReverseCharge.code(), "AE");
        assert_eq!(Treatment::Charged(0).code(), "Z");
    }

    #[test]
    fn vat_is_rounded_per_rate_not_per_line() {
        // Three lines of € 0.10 at 21 %: per line 0.021 → 0.02 each would give 0.06;
        // on the sum (0.30) it is 0.063 → 0.06. With 0.15: per line 0.0315 → 0.03 ×3 = 0.09,
        // on the sum 0.45 × 21 % = 0.0945 → 0.09. And 7 × 0.07: per line 0.0147 → 0.01 × 7 = 0.07,
        // on the sum 0.49 → 0.1029 → 0.10.
        let line = |cents| Line { quantity_milli: 1000, unit_price: Money::eur(cents), treatment: Treatment::Charged(2100) };
        let t = totals(&[line(7); 7], Currency::Eur).unwrap();
        assert_eq!((t.net, t.vat, t.gross), (Money::eur(49), Money::eur(10), Money::eur(59)));
        // Mixed rates are separate groups.
        let mixed = [line(10_000), Line { quantity_milli: 1500, unit_price: Money::eur(8_500), treatment: Treatment::ReverseCharge }];
        let t = totals(&mixed, Currency::Eur).unwrap();
        assert_eq!(t.breakdown.len(), 2);
        assert_eq!(t.net, Money::eur(22_750));
        assert_eq!(t.vat, Money::eur(2_100));
    }

    #[test]
    fn totals_that_do_not_fit_are_refused() {
        let huge = Line { quantity_milli: i64::MAX, unit_price: Money::eur(i64::MAX), treatment: Treatment::Charged(2100) };
        assert_eq!(huge.net(), Err(MoneyError::Overflow));
        let big = Line { quantity_milli: 1000, unit_price: Money::eur(i64::MAX / 2), treatment: Treatment::Charged(2100) };
        assert_eq!(totals(&[big, big, big], Currency::Eur), Err(MoneyError::Overflow));
    }

    #[test]
    fn reactivation_fee_of_gestione() {
        // "un addebito pari a euro 20.00 + iva"
        let fee = Line { quantity_milli: 1000, unit_price: Money::eur(2000), treatment: Treatment::Charged(2200) };
        let t = totals(&[fee], Currency::Eur).unwrap();
        assert_eq!((t.net, t.vat, t.gross), (Money::eur(2000), Money::eur(440), Money::eur(2440)));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn totals_add_up(lines in prop::collection::vec((1i64..100_000, -1_000_000i64..1_000_000, prop::sample::select(vec![0u32, 400, 900, 1000, 2100, 2200])), 1..30)) {
            let lines: Vec<Line> = lines.into_iter().map(|(q, p, r)| Line { quantity_milli: q, unit_price: Money::eur(p), treatment: Treatment::Charged(r) }).collect();
            let t = totals(&lines, Currency::Eur).unwrap();
            prop_assert_eq!(t.net.minor, lines.iter().map(|l| l.net().unwrap().minor).sum::<i64>());
            prop_assert_eq!(t.gross.minor, t.net.minor + t.vat.minor);
            for b in &t.breakdown {
                // VAT within half a cent of the exact amount.
                let exact = i128::from(b.taxable.minor) * i128::from(b.treatment.rate());
                prop_assert!((i128::from(b.vat.minor) * 10_000 - exact).abs() <= 5_000);
            }
        }
    }
}
