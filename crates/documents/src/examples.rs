//! Documents covering every case the writers must get right — every VAT treatment, both
//! providers' countries, businesses, consumers and a public administration, credit notes,
//! several rates on one invoice and a long invoice — totalled by the domain's VAT rules as the
//! billing engine does. The validator tests, snapshots, the PDF's tests and its benchmark use
//! them.

use jiff::civil::{Date, date};
use loket_domain::vat::{self, Treatment};
use loket_domain::{Currency, Language, Money};

use crate::{Corrected, Doc, DocKind, DocLine, Party, VatRow};

fn dutch_provider() -> Party {
    Party {
        legal_name: Some("Hosting Noord B.V.".into()),
        trading_name: Some("Hosting Noord".into()),
        street: Some("Stationsweg 12".into()),
        postal_code: Some("9711 AB".into()),
        city: Some("Groningen".into()),
        country: Some("NL".into()),
        email: Some("facturen@hostingnoord.test".into()),
        vat_number: Some("NL853771245B01".into()),
        coc_number: Some("12345678".into()),
        iban: Some("NL91ABNA0417164300".into()),
        bic: Some("ABNANL2A".into()),
        ..Party::default()
    }
}

fn italian_provider() -> Party {
    Party {
        legal_name: Some("Gestione Internet S.r.l.".into()),
        trading_name: Some("Gestione Internet".into()),
        street: Some("Via Roma 1".into()),
        postal_code: Some("20121".into()),
        city: Some("Milano".into()),
        country: Some("IT".into()),
        email: Some("fatture@gestioneinternet.test".into()),
        vat_number: Some("IT12345678903".into()),
        iban: Some("IT60X0542811101000000123456".into()),
        bic: Some("BPMOIT22".into()),
        ..Party::default()
    }
}

fn customer(kind: &str, name: &str, country: &str) -> Party {
    Party {
        number: Some("K-00042".into()),
        kind: Some(kind.into()),
        legal_name: Some(name.into()),
        street: Some("Kerkstraat 1".into()),
        postal_code: Some("1234 AB".into()),
        city: Some("Zwolle".into()),
        country: Some(country.into()),
        email: Some("administratie@klant.test".into()),
        payment_method: Some("invoice".into()),
        ..Party::default()
    }
}

/// One line: description, period, quantity (thousandths), unit price (cents), treatment.
type Spec<'a> = (&'a str, Option<(Date, Date)>, i64, i64, Treatment);

fn doc(kind: DocKind, number: &str, language: Language, seller: Party, buyer: Party, specs: &[Spec]) -> Doc {
    let lines: Vec<vat::Line> = specs
        .iter()
        .map(|(_, _, q, p, t)| vat::Line { quantity_milli: *q, unit_price: Money::new(*p, Currency::Eur), treatment: *t })
        .collect();
    let totals = vat::totals(&lines, Currency::Eur).expect("example totals");
    let doc_lines = specs
        .iter()
        .zip(&lines)
        .map(|((d, period, q, p, t), l)| DocLine {
            description: (*d).into(),
            period: *period,
            quantity_milli: *q,
            unit_price: *p,
            net: l.net().expect("line net").minor,
            vat_code: t.code().into(),
            vat_rate: i64::from(t.rate()),
        })
        .collect();
    let issue_date = date(2026, 12, 1);
    Doc {
        kind,
        number: number.into(),
        issue_date,
        due_date: date(2026, 12, 15),
        currency: Currency::Eur,
        language,
        seller,
        buyer,
        lines: doc_lines,
        breakdown: totals
            .breakdown
            .iter()
            .map(|b| VatRow {
                code: b.treatment.code().into(),
                rate: i64::from(b.treatment.rate()),
                taxable: b.taxable.minor,
                vat: b.vat.minor,
            })
            .collect(),
        net: totals.net.minor,
        vat: totals.vat.minor,
        gross: totals.gross.minor,
        payment_reference: loket_domain::billing::catalog::payment_reference(number),
        corrects: None,
        quote: None,
    }
}

fn month(y: i16, m: i8) -> Option<(Date, Date)> {
    let from = date(y, m, 1);
    Some((from, from.last_of_month().tomorrow().unwrap_or(from)))
}

/// Every case, named.
pub fn all() -> Vec<(&'static str, Doc)> {
    use Treatment::*;
    let dec = month(2026, 12);
    let mut nl_business = customer("business", "Bakkerij De Vries B.V.", "NL");
    nl_business.vat_number = Some("NL001234567B01".into());
    nl_business.coc_number = Some("87654321".into());
    let nl_consumer = customer("consumer", "Jan Jansen", "NL");
    let nl_consumer_quote = nl_consumer.clone();
    let mut be_business = customer("business", "Brasserie Anvers BV", "BE");
    be_business.vat_number = Some("BE0123456749".into());
    be_business.postal_code = Some("2000".into());
    be_business.city = Some("Antwerpen".into());
    let mut de_consumer = customer("consumer", "Jürgen Groß", "DE");
    de_consumer.postal_code = Some("10115".into());
    let mut ch_business = customer("business", "Alpen Hosting AG", "CH");
    ch_business.vat_number = Some("CHE-123.456.788 MWST".into());
    ch_business.postal_code = Some("8001".into());
    let mut it_business = customer("business", "Rossi Web S.r.l.", "IT");
    it_business.vat_number = Some("IT01234567897".into());
    it_business.sdi_code = Some("M5UXCR1".into());
    it_business.postal_code = Some("00184".into());
    it_business.city = Some("Roma".into());
    let mut it_consumer = customer("consumer", "Mario Bianchi", "IT");
    it_consumer.tax_code = Some("BNCMRA80A01H501U".into());
    it_consumer.postal_code = Some("40121".into());
    it_consumer.pec = Some("mario.bianchi@pec.test".into());
    let mut it_pa = customer("business", "Comune di Esempio", "IT");
    it_pa.tax_code = Some("80012345678".into());
    it_pa.sdi_code = Some("UFABCD".into());
    it_pa.postal_code = Some("50100".into());
    let de_consumer_it = de_consumer.clone();
    let mut nl_for_it = nl_business.clone();
    nl_for_it.number = Some("C-0007".into());

    let nl = dutch_provider;
    let it = italian_provider;
    let mut out = vec![
        (
            "nl-business-rates",
            doc(
                DocKind::Invoice,
                "2026-00101",
                Language::Nl,
                nl(),
                nl_business.clone(),
                &[
                    ("Webhosting Pro — december", dec, 1000, 1995, Charged(2100)),
                    ("Domeinnaam bakkerijdevries.nl", month(2026, 12), 1000, 99, Charged(2100)),
                    ("Drukwerk folders", None, 3000, 1250, Charged(900)),
                    ("Exportdienst", None, 1000, 5000, Charged(0)),
                ],
            ),
        ),
        (
            "nl-consumer",
            doc(DocKind::Invoice, "2026-00102", Language::Nl, nl(), nl_consumer, &[("Webhosting Basis", dec, 1000, 495, Charged(2100))]),
        ),
        (
            "be-reverse-charge",
            doc(DocKind::Invoice, "2026-00103", Language::En, nl(), be_business, &[("VPS M", dec, 1000, 2900, ReverseCharge)]),
        ),
        (
            "de-consumer-oss",
            doc(DocKind::Invoice, "2026-00104", Language::En, nl(), de_consumer, &[("Webhosting Basis", dec, 1000, 495, Charged(1900))]),
        ),
        (
            "ch-outside-scope",
            doc(DocKind::Invoice, "2026-00105", Language::En, nl(), ch_business, &[("Dedicated server", dec, 1000, 12900, OutsideScope)]),
        ),
        (
            "nl-exempt",
            doc(
                DocKind::Invoice,
                "2026-00106",
                Language::Nl,
                nl(),
                nl_business.clone(),
                &[("Cursus WordPress", None, 1000, 25000, Exempt), ("Cursusmap", None, 1000, 1500, Charged(2100))],
            ),
        ),
        (
            "it-business-rates",
            doc(
                DocKind::Invoice,
                "FT2026/00011",
                Language::It,
                it(),
                it_business.clone(),
                &[
                    ("Hosting condiviso", dec, 1000, 2000, Charged(2200)),
                    ("Pubblicazione periodico", None, 2000, 1000, Charged(400)),
                    ("Servizio turistico", None, 1000, 3333, Charged(1000)),
                ],
            ),
        ),
        (
            "it-consumer",
            doc(
                DocKind::Invoice,
                "FT2026/00012",
                Language::It,
                it(),
                it_consumer,
                &[("Hosting base — dicembre", dec, 1000, 490, Charged(2200))],
            ),
        ),
        (
            "it-public-administration",
            doc(
                DocKind::Invoice,
                "FT2026/00013",
                Language::It,
                it(),
                it_pa,
                &[("Manutenzione sito istituzionale", None, 10000, 4500, Charged(2200))],
            ),
        ),
        (
            "it-to-nl-reverse-charge",
            doc(DocKind::Invoice, "FT2026/00014", Language::En, it(), nl_for_it, &[("Server dedicato", dec, 1000, 9900, ReverseCharge)]),
        ),
        (
            "it-oss-consumer",
            doc(DocKind::Invoice, "FT2026/00016", Language::En, it(), de_consumer_it, &[("Hosting base", dec, 1000, 490, Charged(1900))]),
        ),
        (
            "it-zero-rated",
            doc(
                DocKind::Invoice,
                "FT2026/00017",
                Language::It,
                it(),
                it_business.clone(),
                &[("Hosting condiviso", dec, 1000, 2000, Charged(2200)), ("Servizio non imponibile", None, 1000, 9000, Charged(0))],
            ),
        ),
        (
            "it-exempt-stamp-duty",
            doc(
                DocKind::Invoice,
                "FT2026/00015",
                Language::It,
                it(),
                it_business.clone(),
                &[("Corso di formazione", None, 1000, 40000, Exempt)],
            ),
        ),
    ];
    let long_specs: Vec<Spec> = (0..80).map(|_| ("Domeinnaam registratie 1 jaar", month(2026, 12), 1000, 899, Charged(2100))).collect();
    out.push(("nl-long", doc(DocKind::Invoice, "2026-00107", Language::Nl, nl(), nl_business.clone(), &long_specs)));
    let mut credit = doc(
        DocKind::CreditNote,
        "C2026-00003",
        Language::Nl,
        nl(),
        nl_business,
        &[("Creditering: Webhosting Pro — december (2026-00101: opgezegd)", dec, 1000, 1995, Charged(2100))],
    );
    credit.corrects = Some(Corrected { number: "2026-00101".into(), issue_date: date(2026, 12, 1) });
    out.push(("nl-credit-note", credit));
    let mut it_credit = doc(
        DocKind::CreditNote,
        "NC2026/00002",
        Language::It,
        it(),
        it_business,
        &[("Storno: Hosting condiviso", dec, 1000, 2000, Charged(2200))],
    );
    it_credit.corrects = Some(Corrected { number: "FT2026/00011".into(), issue_date: date(2026, 12, 1) });
    out.push(("it-credit-note", it_credit));
    let mut quote = doc(
        DocKind::ProForma,
        "Q2026-00004",
        Language::Nl,
        nl(),
        nl_consumer_quote,
        &[("Webhosting Pro — per maand", None, 1000, 1995, Charged(2100)), ("Verhuizing website", None, 4000, 7500, Charged(2100))],
    );
    quote.quote = Some(crate::QuoteTerms { valid_until: date(2026, 12, 31), note: Some("Inclusief verhuizing van uw e-mail.".into()) });
    out.push(("nl-quote", quote));
    out
}
