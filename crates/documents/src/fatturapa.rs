//! FatturaPA 1.2.x for the Italian exchange system (SDI): FPR12 for businesses and consumers,
//! FPA12 for a public administration (whose office code has six characters). The recipient is
//! its SDI code, `0000000` with its PEC or for a consumer, `XXXXXXX` abroad; zero-rated lines
//! carry the Natura the law names; exempt amounts over €77.47 declare the virtual stamp duty.

use crate::xml::Xml;
use crate::{Doc, DocKind, EInvoicing, FatturaVersion, FormatError, Party, amount, bare, decimal};

const NS: &str = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2";

/// The TipoDocumento codes Loket writes, and TD29 (the buyer's report of an invoice never
/// received or irregular) that schema 1.2.3 adds: each knows the first version that has it, so
/// taking up a 1.2.3 code is one value away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TipoDocumento {
    /// An invoice.
    TD01,
    /// A credit note.
    TD04,
    /// Comunicazione per omessa o irregolare fatturazione (from 1.2.3).
    TD29,
}

impl TipoDocumento {
    pub fn code(self) -> &'static str {
        match self {
            TipoDocumento::TD01 => "TD01",
            TipoDocumento::TD04 => "TD04",
            TipoDocumento::TD29 => "TD29",
        }
    }

    /// Whether schema `version` has this code.
    pub fn allowed(self, version: FatturaVersion) -> bool {
        self != TipoDocumento::TD29 || version == FatturaVersion::V123
    }

    /// The code of a Loket document: a pro forma is a payment request, not a fattura.
    pub fn of(kind: DocKind) -> Option<TipoDocumento> {
        match kind {
            DocKind::Invoice => Some(TipoDocumento::TD01),
            DocKind::CreditNote => Some(TipoDocumento::TD04),
            DocKind::ProForma => None,
        }
    }
}

/// Regimes the provider may declare; RF20 exists from schema 1.2.3 on.
pub fn regime_allowed(regime: &str, version: FatturaVersion) -> bool {
    let n = regime.strip_prefix("RF").and_then(|n| n.parse::<u8>().ok());
    regime.len() == 4
        && match n {
            Some(1..=19) => regime != "RF03",
            Some(20) => version == FatturaVersion::V123,
            _ => false,
        }
}

/// The file name the SDI requires: `IT<partita IVA>_<progressive>.xml`, the progressive five
/// characters of base 36 (unique per document).
pub fn file_name(doc: &Doc, progressive: u64) -> String {
    format!("IT{}_{}.xml", bare(doc.seller.vat_number.as_deref().unwrap_or(""), "IT"), base36(progressive, 5))
}

fn base36(mut n: u64, width: usize) -> String {
    const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut out = Vec::new();
    while n > 0 {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
    }
    while out.len() < width {
        out.push(b'0');
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Text reduced to what the schema's Latin types take (Basic Latin and Latin-1), cut to `max`
/// characters.
fn latin(s: &str, max: usize) -> String {
    let mut out = String::new();
    for c in s.split_whitespace().collect::<Vec<_>>().join(" ").chars() {
        match c {
            '€' => out.push_str("EUR"),
            '–' | '—' => out.push('-'),
            '‘' | '’' => out.push('\''),
            '“' | '”' => out.push('"'),
            c if (c as u32) < 0x100 && !c.is_control() => out.push(c),
            _ => out.push('?'),
        }
    }
    out.chars().take(max).collect()
}

/// Natura and the law referred to for a line that charges no Italian VAT.
fn natura(code: &str, foreign_rate: bool) -> Option<(&'static str, &'static str)> {
    match code {
        "AE" | "O" => Some(("N2.1", "Non soggetta art. 7-ter DPR 633/72")),
        "E" => Some(("N4", "Esente art. 10 DPR 633/72")),
        "Z" => Some(("N3.6", "Non imponibile")),
        // A consumer elsewhere in the EU taxed at that country's rate (OSS).
        "S" if foreign_rate => Some(("N7", "IVA assolta in altro stato UE (OSS)")),
        _ => None,
    }
}

/// Natura codes subject to the €2 stamp duty above €77.47.
fn stamped(natura: &str) -> bool {
    matches!(natura, "N1" | "N2.1" | "N2.2" | "N3.5" | "N3.6" | "N4")
}

/// Per VAT row: rate, Natura with its law, taxable amount, VAT.
type Row = (i64, Option<(&'static str, &'static str)>, i64, i64);

fn summary(doc: &Doc) -> Vec<Row> {
    doc.breakdown
        .iter()
        .map(|r| {
            let nat = natura(&r.code, !italian_rate(r.rate));
            // An OSS row is written at 0 % with its foreign VAT inside the amount.
            if nat.is_some() { (0, nat, r.taxable + r.vat, 0) } else { (r.rate, nat, r.taxable, r.vat) }
        })
        .collect()
}

fn stamp_duty_in(summary: &[Row]) -> bool {
    let exempt: i64 = summary.iter().filter(|s| s.1.is_some_and(|(n, _)| stamped(n))).map(|s| s.2).sum();
    exempt > 7747
}

/// Whether an Italian provider's invoice or credit note carries the €2 virtual stamp duty
/// (imposta di bollo): its amounts without Italian VAT under a stamped Natura pass €77.47. The
/// FatturaPA declares it (DatiBollo) and the PDF says so.
pub fn stamp_duty(doc: &Doc) -> bool {
    doc.seller_country() == "IT" && doc.kind != DocKind::ProForma && doc.quote.is_none() && stamp_duty_in(&summary(doc))
}

/// The Italian rates; any other rate on an S line is another state's (OSS).
fn italian_rate(bp: i64) -> bool {
    matches!(bp, 2200 | 1000 | 500 | 400)
}

/// Where the SDI delivers the file: (code, PEC).
fn recipient(buyer: &Party) -> (String, Option<String>) {
    if buyer.country.as_deref() != Some("IT") {
        return ("XXXXXXX".into(), None);
    }
    match buyer.sdi_code.as_deref().map(|c| bare(c, "")).filter(|c| c.len() == 6 || c.len() == 7) {
        Some(code) => (code, None),
        None => ("0000000".into(), buyer.pec.clone().filter(|p| !p.trim().is_empty())),
    }
}

/// The FatturaPA document for `doc`, sent as `progressive` (see [`file_name`]).
pub fn write(doc: &Doc, settings: &EInvoicing, progressive: u64) -> Result<String, FormatError> {
    if doc.quote.is_some() {
        return Err(FormatError::NotAnInvoice("quote", "FatturaPA"));
    }
    let tipo = TipoDocumento::of(doc.kind).ok_or(FormatError::NotAnInvoice("pro forma", "FatturaPA"))?;
    if !tipo.allowed(settings.fatturapa_version) {
        return Err(FormatError::Missing(format!("TipoDocumento {} needs FatturaPA 1.2.3", tipo.code())));
    }
    if doc.seller_country() != "IT" {
        return Err(FormatError::Missing("FatturaPA is issued by an Italian provider: provider.address.country is not IT".into()));
    }
    let seller_vat = bare(doc.seller.vat_number.as_deref().unwrap_or(""), "IT");
    if seller_vat.len() != 11 {
        return Err(FormatError::Missing("the provider's partita IVA (provider.vat_number, IT + 11 digits)".into()));
    }
    if !regime_allowed(&settings.regime_fiscale, settings.fatturapa_version) {
        return Err(FormatError::Missing(format!("RegimeFiscale {} is not valid for this schema version", settings.regime_fiscale)));
    }
    let (code, pec) = recipient(&doc.buyer);
    let formato = if code.len() == 6 { "FPA12" } else { "FPR12" };
    let mut x = Xml::new();
    x.open(
        "p:FatturaElettronica",
        &[
            ("versione", formato),
            ("xmlns:ds", "http://www.w3.org/2000/09/xmldsig#"),
            ("xmlns:p", NS),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        ],
    );
    x.open("FatturaElettronicaHeader", &[]);
    x.open("DatiTrasmissione", &[]);
    x.open("IdTrasmittente", &[]).leaf("IdPaese", "IT").leaf("IdCodice", &seller_vat).close();
    x.leaf("ProgressivoInvio", &base36(progressive, 5)).leaf("FormatoTrasmissione", formato).leaf("CodiceDestinatario", &code);
    x.opt("PECDestinatario", pec.as_deref());
    x.close();
    x.open("CedentePrestatore", &[]).open("DatiAnagrafici", &[]);
    x.open("IdFiscaleIVA", &[]).leaf("IdPaese", "IT").leaf("IdCodice", &seller_vat).close();
    x.open("Anagrafica", &[]).leaf("Denominazione", &latin(doc.seller.legal_name.as_deref().unwrap_or(""), 80)).close();
    x.leaf("RegimeFiscale", &settings.regime_fiscale);
    x.close();
    sede(&mut x, &doc.seller);
    x.close();
    buyer(&mut x, &doc.buyer);
    x.close();

    x.open("FatturaElettronicaBody", &[]).open("DatiGenerali", &[]).open("DatiGeneraliDocumento", &[]);
    x.leaf("TipoDocumento", tipo.code()).leaf("Divisa", doc.currency.code()).leaf("Data", &doc.issue_date.to_string());
    x.leaf("Numero", &latin(&doc.number, 20));
    let summary = summary(doc);
    if stamp_duty_in(&summary) {
        x.open("DatiBollo", &[]).leaf("BolloVirtuale", "SI").leaf("ImportoBollo", "2.00").close();
    }
    x.leaf("ImportoTotaleDocumento", &amount(doc, doc.gross));
    x.close();
    if let Some(c) = &doc.corrects {
        x.open("DatiFattureCollegate", &[]).leaf("IdDocumento", &latin(&c.number, 20)).leaf("Data", &c.issue_date.to_string()).close();
    }
    x.close();

    x.open("DatiBeniServizi", &[]);
    for (i, l) in doc.lines.iter().enumerate() {
        let nat = natura(&l.vat_code, !italian_rate(l.vat_rate));
        let oss = nat.is_some_and(|(n, _)| n == "N7");
        x.open("DettaglioLinee", &[]).leaf("NumeroLinea", &(i + 1).to_string());
        x.leaf("Descrizione", &latin(&l.description, 1000));
        let (qty, price, total) = if oss {
            // Gross of the foreign VAT, like its summary row.
            let gross = l.net + (i128::from(l.net) * i128::from(l.vat_rate) / 10000) as i64;
            (1000, gross, gross)
        } else if i128::from(l.quantity_milli) * i128::from(l.unit_price) == i128::from(l.net) * 1000 {
            // The schema's quantity is never negative: the sign goes on the price.
            if l.quantity_milli < 0 { (-l.quantity_milli, -l.unit_price, l.net) } else { (l.quantity_milli, l.unit_price, l.net) }
        } else {
            (1000, l.net, l.net)
        };
        x.leaf("Quantita", &quantita(qty));
        if let Some((from, to)) = l.period {
            x.leaf("DataInizioPeriodo", &from.to_string()).leaf("DataFinePeriodo", &Doc::last_day(to).max(from).to_string());
        }
        x.leaf("PrezzoUnitario", &amount(doc, price)).leaf("PrezzoTotale", &amount(doc, total));
        x.leaf("AliquotaIVA", &decimal(if nat.is_some() { 0 } else { l.vat_rate }, 2));
        if let Some((n, _)) = nat {
            x.leaf("Natura", n);
        }
        x.close();
    }
    for (rate, nat, taxable, vat) in &summary {
        x.open("DatiRiepilogo", &[]).leaf("AliquotaIVA", &decimal(*rate, 2));
        if let Some((n, _)) = nat {
            x.leaf("Natura", n);
        }
        x.leaf("ImponibileImporto", &amount(doc, *taxable)).leaf("Imposta", &amount(doc, *vat));
        if nat.is_none() {
            x.leaf("EsigibilitaIVA", "I");
        }
        if let Some((_, law)) = nat {
            x.leaf("RiferimentoNormativo", law);
        }
        x.close();
    }
    x.close();

    if doc.kind == DocKind::Invoice {
        x.open("DatiPagamento", &[]).leaf("CondizioniPagamento", "TP02").open("DettaglioPagamento", &[]);
        let debit = doc.buyer.payment_method.as_deref() == Some("direct_debit");
        x.leaf("ModalitaPagamento", if debit { "MP19" } else { "MP05" });
        x.leaf("DataScadenzaPagamento", &doc.due_date.to_string()).leaf("ImportoPagamento", &amount(doc, doc.gross));
        if !debit {
            x.opt("IBAN", doc.seller.iban.as_deref().map(|i| bare(i, "")).as_deref());
        }
        x.leaf("CodicePagamento", &latin(&doc.payment_reference, 60));
        x.close().close();
    }
    Ok(x.finish())
}

/// A quantity as the schema writes it: never negative, two to eight decimals.
fn quantita(milli: i64) -> String {
    let s = decimal(milli.abs(), 3);
    let s = s.strip_suffix('0').unwrap_or(&s);
    s.to_string()
}

fn sede(x: &mut Xml, p: &Party) {
    let italian = p.country.as_deref() == Some("IT");
    let cap = p.postal_code.as_deref().map(|c| bare(c, "")).filter(|c| italian && c.len() == 5 && c.chars().all(|d| d.is_ascii_digit()));
    x.open("Sede", &[]);
    x.leaf("Indirizzo", &latin(p.street.as_deref().filter(|s| !s.trim().is_empty()).unwrap_or("-"), 60));
    x.leaf("CAP", cap.as_deref().unwrap_or("00000"));
    x.leaf("Comune", &latin(p.city.as_deref().filter(|s| !s.trim().is_empty()).unwrap_or("-"), 60));
    x.leaf("Nazione", p.country.as_deref().unwrap_or("IT"));
    x.close();
}

fn buyer(x: &mut Xml, p: &Party) {
    let country = p.country.as_deref().unwrap_or("IT");
    x.open("CessionarioCommittente", &[]).open("DatiAnagrafici", &[]);
    let vat = p.vat_number.as_deref().map(|v| bare(v, country)).filter(|v| !v.is_empty());
    let tax_code = p.tax_code.as_deref().map(|c| bare(c, "")).filter(|c| c.len() == 11 || c.len() == 16);
    match (&vat, &tax_code) {
        (Some(v), _) => {
            x.open("IdFiscaleIVA", &[]).leaf("IdPaese", country).leaf("IdCodice", &latin(v, 28)).close();
            if country == "IT" {
                x.opt("CodiceFiscale", tax_code.as_deref());
            }
        }
        (None, Some(cf)) if country == "IT" => {
            x.leaf("CodiceFiscale", cf);
        }
        _ if country != "IT" => {
            // A foreign private customer: the SDI takes the country with a placeholder code.
            x.open("IdFiscaleIVA", &[]).leaf("IdPaese", country).leaf("IdCodice", "99999999999").close();
        }
        _ => {}
    }
    x.open("Anagrafica", &[]).leaf("Denominazione", &latin(p.legal_name.as_deref().unwrap_or("-"), 80)).close();
    x.close();
    sede(x, p);
    x.close();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progressive_is_five_base36_characters() {
        assert_eq!(base36(0, 5), "00000");
        assert_eq!(base36(35, 5), "0000Z");
        assert_eq!(base36(36, 5), "00010");
    }

    #[test]
    fn quantities_have_two_to_eight_decimals() {
        assert_eq!(quantita(1000), "1.00");
        assert_eq!(quantita(1500), "1.50");
        assert_eq!(quantita(125), "0.125");
        assert_eq!(quantita(-2000), "2.00");
    }

    #[test]
    fn regimes_follow_the_schema_version() {
        assert!(regime_allowed("RF01", FatturaVersion::V122));
        assert!(!regime_allowed("RF20", FatturaVersion::V122));
        assert!(regime_allowed("RF20", FatturaVersion::V123));
        assert!(!regime_allowed("RF3", FatturaVersion::V123));
        assert!(!regime_allowed("RF21", FatturaVersion::V123));
    }

    #[test]
    fn text_fits_the_latin_types() {
        assert_eq!(latin("Hosting – € 5 ★", 80), "Hosting - EUR 5 ?");
        assert_eq!(latin("àèìòù", 3), "àèì");
    }

    #[test]
    fn recipients() {
        let it = |sdi: Option<&str>, pec: Option<&str>| Party {
            country: Some("IT".into()),
            sdi_code: sdi.map(Into::into),
            pec: pec.map(Into::into),
            ..Party::default()
        };
        assert_eq!(recipient(&it(Some("M5UXCR1"), None)), ("M5UXCR1".into(), None));
        assert_eq!(recipient(&it(None, Some("a@pec.it"))), ("0000000".into(), Some("a@pec.it".into())));
        assert_eq!(recipient(&it(None, None)), ("0000000".into(), None));
        assert_eq!(recipient(&Party { country: Some("NL".into()), ..Party::default() }), ("XXXXXXX".into(), None));
    }

    #[test]
    fn what_1_2_3_adds_is_one_value_away() {
        assert!(!TipoDocumento::TD29.allowed(FatturaVersion::V122));
        assert!(TipoDocumento::TD29.allowed(FatturaVersion::V123));
        assert!(TipoDocumento::TD01.allowed(FatturaVersion::V122) && TipoDocumento::TD04.allowed(FatturaVersion::V122));
        assert!(!regime_allowed("RF20", FatturaVersion::V122));
        assert!(regime_allowed("RF20", FatturaVersion::V123));
        assert!(regime_allowed("RF19", FatturaVersion::V122) && !regime_allowed("RF03", FatturaVersion::V123));
        assert_eq!(TipoDocumento::of(DocKind::CreditNote), Some(TipoDocumento::TD04));
        assert_eq!(TipoDocumento::of(DocKind::ProForma), None);
    }
}
