//! Countries as ISO 3166-1 alpha-2 codes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Every officially assigned ISO 3166-1 alpha-2 code.
const ISO_3166_ALPHA2: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL \
BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO \
DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM \
HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR \
LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL \
NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ \
SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA \
VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// The 27 member states of the European Union (VAT area).
const EU_MEMBERS: &str = "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Country([u8; 2]);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown country `{0}`: use an ISO 3166-1 alpha-2 code such as NL, IT or BE")]
pub struct UnknownCountry(pub String);

impl Country {
    pub const NL: Country = Country(*b"NL");
    pub const IT: Country = Country(*b"IT");

    pub fn code(&self) -> &str {
        // Only ever built from ASCII letters.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    pub fn is_eu(&self) -> bool {
        listed(EU_MEMBERS, self.0)
    }
}

/// Whether `code` is in `list`: codes in alphabetical order, one space between them (so code
/// `i` is at bytes `3i..3i+2`), found by halving. Every customer card read checks its country,
/// and walking the 249 codes cost more than reading the rest of the card.
fn listed(list: &str, code: [u8; 2]) -> bool {
    let b = list.as_bytes();
    let (mut lo, mut hi) = (0, b.len().div_ceil(3));
    while lo < hi {
        let mid = (lo + hi) / 2;
        match [b[3 * mid], b[3 * mid + 1]].cmp(&code) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

impl FromStr for Country {
    type Err = UnknownCountry;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().as_bytes() {
            &[a, b] if listed(ISO_3166_ALPHA2, [a.to_ascii_uppercase(), b.to_ascii_uppercase()]) => {
                Ok(Country([a.to_ascii_uppercase(), b.to_ascii_uppercase()]))
            }
            _ => Err(UnknownCountry(s.to_string())),
        }
    }
}

impl TryFrom<String> for Country {
    type Error = UnknownCountry;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Country> for String {
    fn from(c: Country) -> String {
        c.code().to_string()
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_unknown_codes() {
        assert_eq!("nl".parse::<Country>(), Ok(Country::NL));
        assert!("IT".parse::<Country>().unwrap().is_eu());
        assert!(!"GB".parse::<Country>().unwrap().is_eu());
        for bad in ["", "N", "NLD", "XX", "EU", "U1"] {
            assert!(bad.parse::<Country>().is_err(), "{bad}");
        }
    }

    #[test]
    fn lists_are_well_formed() {
        assert_eq!(ISO_3166_ALPHA2.split(' ').count(), 249);
        // `listed` halves the lists: each must be two-letter codes in order, one space apart.
        for list in [ISO_3166_ALPHA2, EU_MEMBERS] {
            let codes: Vec<&str> = list.split(' ').collect();
            assert!(codes.iter().all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())));
            assert!(codes.windows(2).all(|w| w[0] < w[1]), "out of order");
            assert!(codes.iter().all(|c| listed(list, [c.as_bytes()[0], c.as_bytes()[1]])));
        }
        for absent in ["AA", "ZZ", "XK", "EU", "AC"] {
            assert!(!listed(ISO_3166_ALPHA2, [absent.as_bytes()[0], absent.as_bytes()[1]]), "{absent}");
        }
        assert_eq!(EU_MEMBERS.split(' ').count(), 27);
        for c in EU_MEMBERS.split(' ') {
            assert!(c.parse::<Country>().is_ok(), "{c} must be a country");
        }
    }
}
