//! The `:86:` field in the dialects banks write it in.
//!
//! - **Subfields** (German banks, Triodos, Italian CBI-style exports): a three-digit transaction
//!   code, then `?NN` (or `>NN`) subfields: `?20`–`?29`, `?60`–`?63` the purpose text (with SEPA
//!   keywords `EREF+`, `SVWZ+` …), `?30` BIC, `?31` IBAN, `?32`/`?33` name, `?34` return code.
//! - **Slash codes** (ABN AMRO, ING, Rabobank since SEPA): `/EREF/…/REMI/…/IBAN/…/NAME/…`, ING's
//!   `/CNTP/IBAN/BIC/name/city/` and `/REMI/USTD//text/` or `/REMI/STRD/CUR/RF…/`, `/RTRN/MS03/`.
//! - **Free text** (older Dutch formats, Knab, SNS, mBank, PostFinance …): kept as the remittance,
//!   with labelled values picked out: `REK:`/`IBAN:`, `BIC:`, `NAAM:`, `OMSCHRIJVING:`, `KENMERK:`,
//!   and the betalingskenmerk after `BETALINGSKENM.`.
//!
//! Lines of the two structured dialects are cut at a fixed width, often mid-word, so they are joined
//! without a separator; free-text lines are trimmed and joined with `\n`.

use crate::Party;
use crate::values::{bic_shape, find_rf, iban_shape};

#[derive(Debug, Default)]
pub(crate) struct Details {
    pub remittance: String,
    pub end_to_end_id: Option<String>,
    pub structured_reference: Option<String>,
    pub counterparty: Party,
    pub return_reason: Option<String>,
}

pub(crate) fn parse(lines: &[String]) -> Details {
    let joined = lines.concat();
    let text = joined.trim();
    let mut d = if is_subfields(text) {
        subfields(text)
    } else if is_slash_codes(text) {
        slash_codes(text)
    } else {
        free_text(lines)
    };
    if d.structured_reference.is_none() {
        d.structured_reference = find_rf(&d.remittance);
    }
    d.end_to_end_id = d.end_to_end_id.filter(|e| !e.is_empty() && !e.eq_ignore_ascii_case("NOTPROVIDED"));
    d
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn some(s: String) -> Option<String> {
    Some(s).filter(|s| !s.is_empty())
}

fn is_subfields(t: &str) -> bool {
    let b = t.as_bytes();
    let at = |i: usize| b.len() > i + 2 && (b[i] == b'?' || b[i] == b'>') && b[i + 1].is_ascii_digit() && b[i + 2].is_ascii_digit();
    (b.len() > 3 && b[..3].iter().all(u8::is_ascii_digit) && at(3)) || (b.first() == Some(&b'?') && at(0))
}

const SEPA_KEYWORDS: [&str; 12] =
    ["EREF+", "KREF+", "MREF+", "CRED+", "DEBT+", "COAM+", "OAMT+", "SVWZ+", "ABWA+", "ABWE+", "IBAN+", "BIC+"];

fn subfields(text: &str) -> Details {
    let body = if text.as_bytes()[0].is_ascii_digit() { &text[3..] } else { text };
    let sep = body.as_bytes()[0];
    let b = body.as_bytes();
    let starts: Vec<usize> =
        (0..b.len()).filter(|&i| b[i] == sep && b.len() > i + 2 && b[i + 1].is_ascii_digit() && b[i + 2].is_ascii_digit()).collect();
    let mut purpose = String::new();
    let (mut name, mut bic, mut iban, mut iban38, mut rtrn) = (String::new(), None, None, None, None);
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(b.len());
        let value = &body[start + 3..end];
        match &body[start + 1..start + 3] {
            "20" | "21" | "22" | "23" | "24" | "25" | "26" | "27" | "28" | "29" | "60" | "61" | "62" | "63" => purpose.push_str(value),
            "30" => bic = bic_shape(value),
            "31" => iban = iban_shape(value),
            "32" | "33" => name.push_str(value),
            "34" => rtrn = some(value.trim().to_string()),
            "38" => iban38 = iban_shape(value),
            _ => {}
        }
    }
    let mut keyed: Vec<(usize, &str)> =
        SEPA_KEYWORDS.iter().flat_map(|k| purpose.match_indices(k).map(|(i, _)| (i, *k)).collect::<Vec<_>>()).collect();
    keyed.sort_unstable();
    let value_of = |keyword: &str| {
        let k = keyed.iter().position(|(_, kw)| *kw == keyword)?;
        let end = keyed.get(k + 1).map_or(purpose.len(), |(i, _)| *i);
        some(purpose[keyed[k].0 + keyword.len()..end].trim().to_string())
    };
    let remittance = value_of("SVWZ+").unwrap_or_else(|| purpose.trim().to_string());
    Details {
        end_to_end_id: value_of("EREF+"),
        counterparty: Party {
            name: some(collapse(&name)),
            iban: iban.or(iban38).or_else(|| value_of("IBAN+").and_then(|v| iban_shape(&v))),
            bic: bic.or_else(|| value_of("BIC+").and_then(|v| bic_shape(&v))),
        },
        return_reason: rtrn,
        remittance,
        structured_reference: None,
    }
}

const SLASH_CODES: [&str; 37] = [
    "EREF",
    "PREF",
    "MARF",
    "CSID",
    "CNTP",
    "REMI",
    "PURP",
    "ULTC",
    "ULTD",
    "ULTB",
    "RTRN",
    "TRTP",
    "IBAN",
    "BIC",
    "NAME",
    "ADDR",
    "ORDP",
    "BENM",
    "ID",
    "ISDT",
    "CREF",
    "IREF",
    "KREF",
    "SVCL",
    "EXCH",
    "CHGS",
    "BUSP",
    "RTYP",
    "ATOL",
    "OCMT",
    "COAM",
    "OAMT",
    "CDTRREFTP",
    "CDTRREF",
    "CD",
    "ISSR",
    "FX",
];

/// Each `/CODE/` of a known code at `i`: the code and where its value starts.
fn slash_code_at(text: &str, i: usize) -> Option<(&'static str, usize)> {
    let rest = text.get(i + 1..)?;
    SLASH_CODES.iter().find(|c| rest.starts_with(*c) && rest[c.len()..].starts_with('/')).map(|c| (*c, i + c.len() + 2))
}

fn is_slash_codes(t: &str) -> bool {
    t.starts_with('/') && slash_code_at(t, 0).is_some()
}

fn slash_codes(text: &str) -> Details {
    let mut codes: Vec<(usize, &str, usize)> = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if text.as_bytes()[i] == b'/'
            && let Some((code, value_start)) = slash_code_at(text, i)
        {
            codes.push((i, code, value_start));
            i = value_start;
            continue;
        }
        i += 1;
    }
    let mut d = Details::default();
    let first = |slot: &mut Option<String>, v: Option<String>| {
        if slot.is_none() {
            *slot = v;
        }
    };
    for (k, &(_, code, start)) in codes.iter().enumerate() {
        let end = codes.get(k + 1).map_or(text.len(), |c| c.0);
        let value = text.get(start..end).unwrap_or_default().trim().trim_end_matches('/').trim();
        match code {
            "EREF" => first(&mut d.end_to_end_id, some(value.to_string())),
            "REMI" => {
                if let Some(rest) = value.strip_prefix("STRD/") {
                    first(&mut d.structured_reference, rest.rsplit('/').find(|s| !s.trim().is_empty()).map(|s| s.trim().to_string()));
                } else {
                    d.remittance = value.strip_prefix("USTD//").or_else(|| value.strip_prefix("USTD/")).unwrap_or(value).trim().to_string();
                }
            }
            "CDTRREF" => first(&mut d.structured_reference, some(value.to_string())),
            "RTRN" => first(&mut d.return_reason, value.split(['/', ' ']).find(|s| !s.is_empty()).map(str::to_string)),
            "NAME" => first(&mut d.counterparty.name, some(collapse(value))),
            "IBAN" => first(&mut d.counterparty.iban, iban_shape(value)),
            "BIC" => first(&mut d.counterparty.bic, bic_shape(value)),
            "CNTP" => {
                let mut parts = value.split('/');
                first(&mut d.counterparty.iban, parts.next().and_then(iban_shape));
                first(&mut d.counterparty.bic, parts.next().and_then(bic_shape));
                first(&mut d.counterparty.name, parts.next().map(collapse).and_then(some));
            }
            _ => {}
        }
    }
    d
}

const LABELS: [&str; 11] = [
    "REK:",
    "IBAN:",
    "BIC:",
    "NAAM:",
    "NAME:",
    "OMSCHRIJVING:",
    "KENMERK:",
    "BETALINGSKENMERK:",
    "BETALINGSKENM.",
    "MACHTIGING:",
    "INCASSANT:",
];

fn free_text(lines: &[String]) -> Details {
    let text = lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n");
    let upper = text.to_ascii_uppercase();
    let mut found: Vec<(usize, &str)> = LABELS
        .iter()
        .flat_map(|l| upper.match_indices(l).map(|(i, _)| (i, *l)).collect::<Vec<_>>())
        .filter(|(i, _)| *i == 0 || matches!(upper.as_bytes()[i - 1], b' ' | b'\n' | b'\t' | b'/'))
        .collect();
    found.sort_unstable();
    let mut d = Details { remittance: text.clone(), ..Details::default() };
    for (k, &(start, label)) in found.iter().enumerate() {
        let end = found.get(k + 1).map_or(text.len(), |(i, _)| *i);
        let raw = &text[start + label.len()..end];
        let value = collapse(raw.trim().trim_matches('/'));
        let first_token = value.split(['/', ' ']).next().unwrap_or_default();
        match label {
            "REK:" | "IBAN:" => {
                d.counterparty.iban = d.counterparty.iban.take().or_else(|| iban_shape(raw.split(['/', '\n']).next().unwrap_or_default()))
            }
            "BIC:" => d.counterparty.bic = d.counterparty.bic.take().or_else(|| bic_shape(first_token)),
            "NAAM:" | "NAME:" => d.counterparty.name = d.counterparty.name.take().or_else(|| some(value.clone())),
            "OMSCHRIJVING:" => d.remittance = value.clone(),
            "KENMERK:" => d.end_to_end_id = d.end_to_end_id.take().or_else(|| some(value.clone())),
            _ => {
                // BETALINGSKENM.: the digits (in groups or not) on the same line.
                let line = raw.trim_start_matches(':').split('\n').next().unwrap_or_default();
                let digits: String = line.chars().take_while(|c| c.is_ascii_digit() || *c == ' ').filter(|c| !c.is_whitespace()).collect();
                if (7..=16).contains(&digits.len()) && d.structured_reference.is_none() {
                    d.structured_reference = Some(digits);
                }
            }
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        s.lines().map(str::to_string).collect()
    }

    #[test]
    fn ing_slash_codes() {
        let d = parse(&lines(
            "/EREF/INV-2024-0042//CNTP/NL91ABNA0417164300/ABNANL2A/J. de Vries/AMSTERDAM/\n/REMI/STRD/CUR/RF18539007547034//PURP/OTHR/",
        ));
        assert_eq!(d.end_to_end_id.as_deref(), Some("INV-2024-0042"));
        assert_eq!(d.structured_reference.as_deref(), Some("RF18539007547034"));
        assert_eq!(d.counterparty.name.as_deref(), Some("J. de Vries"));
        assert_eq!(d.counterparty.iban.as_deref(), Some("NL91ABNA0417164300"));
        assert_eq!(d.counterparty.bic.as_deref(), Some("ABNANL2A"));
        let d = parse(&lines("/RTRN/MD06/EREF/X1//CNTP/NL91ABNA0417164300/ABNANL2A/Jan//REMI/USTD//Factuur 2024-0042/"));
        assert_eq!((d.return_reason.as_deref(), d.remittance.as_str()), (Some("MD06"), "Factuur 2024-0042"));
    }

    #[test]
    fn abn_amro_slash_codes() {
        let d = parse(&lines(
            "/TRTP/SEPA OVERBOEKING/IBAN/NL91ABNA0417164300/BIC/ABNANL2A/NAME/ACME BV/REMI/Factuur 2024-0042 RF18 5390 075/EREF/NOTPROVIDED",
        ));
        assert_eq!(d.remittance, "Factuur 2024-0042 RF18 5390 075");
        assert_eq!(d.end_to_end_id, None);
        assert_eq!(d.counterparty.name.as_deref(), Some("ACME BV"));
    }

    #[test]
    fn german_subfields() {
        let d = parse(&lines(
            "166?00GUTSCHRIFT?100399?20EREF+E2E 1?21SVWZ+Rechnung 2024-00\n42?30DRESDEFF508?31DE1450880\n0500194785000?32KARL?33 KAUFMANN?34901",
        ));
        assert_eq!(d.end_to_end_id.as_deref(), Some("E2E 1"));
        assert_eq!(d.remittance, "Rechnung 2024-0042");
        assert_eq!(d.counterparty.iban.as_deref(), Some("DE14508800500194785000"));
        assert_eq!(d.counterparty.name.as_deref(), Some("KARL KAUFMANN"));
        assert_eq!(d.return_reason.as_deref(), Some("901"));
    }

    #[test]
    fn dutch_free_text() {
        let d = parse(&lines("FACTUUR 201403110\nREK: NL91ABNA0417164300/NAAM: PICQER"));
        assert_eq!(d.counterparty.iban.as_deref(), Some("NL91ABNA0417164300"));
        assert_eq!(d.counterparty.name.as_deref(), Some("PICQER"));
        assert_eq!(d.remittance, "FACTUUR 201403110\nREK: NL91ABNA0417164300/NAAM: PICQER");
        let d = parse(&lines("GIRO   428428 KPN - DIGITENNE    BETALINGSKENM.  000000042188659\n5314606715"));
        assert_eq!(d.structured_reference.as_deref(), Some("000000042188659"));
    }
}
