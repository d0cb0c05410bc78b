//! A statement written as camt.053.001.02, for tests and the benchmark: valid against the ISO
//! schema and read back by [`crate::parse`] to the same entries.
//!
//! Compact (no indentation), so that 100,000 entries stay under [`crate::MAX_BYTES`]. Each entry is
//! one `Ntry` with one `TxDtls`. The counterparty is written as debtor or creditor so that the
//! parser's rule picks it again. Values are written as they are: keeping them within the schema's
//! lengths (35 characters for references, 140 for names and remittance lines) is the caller's part;
//! remittance lines longer than 140 characters are cut into several `Ustrd`. What camt.053.001.02
//! cannot hold is left out: a sequence that is not a number, `other_id` next to an IBAN. A
//! statement without balances gets an `INFO` balance of zero, because the schema wants one balance.

use std::fmt::Write as _;

use crate::values::format_amount;
use crate::{Direction, Entry, Statement};

/// The statement as a camt.053.001.02 document.
pub fn write_camt053(statement: &Statement) -> String {
    let mut x = String::with_capacity(1024 + statement.entries.len() * 560);
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><GrpHdr>");
    let created = created(statement);
    leaf(&mut x, "MsgId", &statement.id.chars().take(35).collect::<String>());
    leaf(&mut x, "CreDtTm", &created);
    x.push_str("</GrpHdr><Stmt>");
    leaf(&mut x, "Id", &statement.id);
    if let Some(seq) = statement.sequence.as_deref().filter(|s| !s.is_empty() && s.len() <= 18 && s.bytes().all(|b| b.is_ascii_digit())) {
        leaf(&mut x, "ElctrncSeqNb", seq);
    }
    leaf(&mut x, "CreDtTm", &created);
    if let (Some(from), Some(to)) = (statement.from, statement.to) {
        let _ = write!(x, "<FrToDt><FrDtTm>{from}T00:00:00</FrDtTm><ToDtTm>{to}T23:59:59</ToDtTm></FrToDt>");
    }
    let a = &statement.account;
    x.push_str("<Acct><Id>");
    match (&a.iban, &a.other_id) {
        (Some(iban), _) => leaf(&mut x, "IBAN", iban),
        (None, other) => {
            x.push_str("<Othr>");
            leaf(&mut x, "Id", other.as_deref().unwrap_or("NOTPROVIDED"));
            x.push_str("</Othr>");
        }
    }
    x.push_str("</Id>");
    if let Some(ccy) = &a.currency {
        leaf(&mut x, "Ccy", ccy);
    }
    if let Some(name) = &a.owner_name {
        x.push_str("<Ownr>");
        leaf(&mut x, "Nm", name);
        x.push_str("</Ownr>");
    }
    x.push_str("</Acct>");
    let balances = [("OPBD", &statement.opening), ("CLBD", &statement.closing)];
    for (code, balance) in balances.iter().filter_map(|(c, b)| b.as_ref().map(|b| (c, b))) {
        let indicator = if balance.amount < 0 { "DBIT" } else { "CRDT" };
        let amount = format_amount(balance.amount.abs(), &balance.currency);
        balance_xml(&mut x, code, &balance.currency, &amount, indicator, &balance.date.to_string());
    }
    if statement.opening.is_none() && statement.closing.is_none() {
        let ccy = a.currency.clone().or_else(|| statement.entries.first().map(|e| e.currency.clone())).unwrap_or_else(|| "EUR".into());
        let date = created.get(..10).unwrap_or("1970-01-01").to_string();
        balance_xml(&mut x, "INFO", &ccy, &format_amount(0, &ccy), "CRDT", &date);
    }
    for entry in &statement.entries {
        entry_xml(&mut x, entry);
    }
    x.push_str("</Stmt></BkToCstmrStmt></Document>\n");
    x
}

/// `CreDtTm`, which the schema requires: the statement's, else midnight of its last known day.
fn created(s: &Statement) -> String {
    if let Some(t) = s.created {
        return t.to_string();
    }
    let day = s.to.or(s.closing.as_ref().map(|b| b.date)).or(s.entries.last().map(|e| e.booking_date));
    day.map_or_else(|| "1970-01-01T00:00:00".to_string(), |d| format!("{d}T00:00:00"))
}

fn balance_xml(x: &mut String, code: &str, ccy: &str, amount: &str, indicator: &str, date: &str) {
    let _ = write!(x, "<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy=\"");
    escape(x, ccy);
    let _ = write!(x, "\">{amount}</Amt><CdtDbtInd>{indicator}</CdtDbtInd><Dt><Dt>{date}</Dt></Dt></Bal>");
}

fn entry_xml(x: &mut String, e: &Entry) {
    let credit = e.direction == Direction::Credit;
    x.push_str("<Ntry><Amt Ccy=\"");
    escape(x, &e.currency);
    let _ = write!(x, "\">{}</Amt><CdtDbtInd>{}</CdtDbtInd>", format_amount(e.amount, &e.currency), if credit { "CRDT" } else { "DBIT" });
    if e.reversal {
        x.push_str("<RvslInd>true</RvslInd>");
    }
    let _ = write!(x, "<Sts>BOOK</Sts><BookgDt><Dt>{}</Dt></BookgDt>", e.booking_date);
    if let Some(v) = e.value_date {
        let _ = write!(x, "<ValDt><Dt>{v}</Dt></ValDt>");
    }
    if let Some(r) = &e.bank_reference {
        leaf(x, "AcctSvcrRef", r);
    }
    bank_code(x, e.bank_code.as_deref());
    x.push_str("<NtryDtls><TxDtls>");
    if let Some(id) = &e.end_to_end_id {
        x.push_str("<Refs>");
        leaf(x, "EndToEndId", id);
        x.push_str("</Refs>");
    }
    let p = &e.counterparty;
    // The parser takes the debtor of a credit and the creditor of a debit, the other way round
    // for returns and reversals.
    let as_debtor = credit != (e.reversal || e.return_reason.is_some());
    let (role, agent) = if as_debtor { ("Dbtr", "DbtrAgt") } else { ("Cdtr", "CdtrAgt") };
    if p.name.is_some() || p.iban.is_some() {
        x.push_str("<RltdPties>");
        if let Some(name) = &p.name {
            let _ = write!(x, "<{role}>");
            leaf(x, "Nm", name);
            let _ = write!(x, "</{role}>");
        }
        if let Some(iban) = &p.iban {
            let _ = write!(x, "<{role}Acct><Id>");
            leaf(x, "IBAN", iban);
            let _ = write!(x, "</Id></{role}Acct>");
        }
        x.push_str("</RltdPties>");
    }
    if let Some(bic) = &p.bic {
        let _ = write!(x, "<RltdAgts><{agent}><FinInstnId>");
        leaf(x, "BIC", bic);
        let _ = write!(x, "</FinInstnId></{agent}></RltdAgts>");
    }
    let lines: Vec<&str> = e.remittance.split('\n').map(str::trim).filter(|l| !l.is_empty()).collect();
    if !lines.is_empty() || e.structured_reference.is_some() {
        x.push_str("<RmtInf>");
        for line in lines {
            let chars: Vec<char> = line.chars().collect();
            for chunk in chars.chunks(140) {
                leaf(x, "Ustrd", &chunk.iter().collect::<String>());
            }
        }
        if let Some(r) = &e.structured_reference {
            x.push_str("<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>");
            leaf(x, "Ref", r);
            x.push_str("</CdtrRefInf></Strd>");
        }
        x.push_str("</RmtInf>");
    }
    if let Some(reason) = &e.return_reason {
        let code = if reason.chars().count() <= 4 { "Cd" } else { "Prtry" };
        let _ = write!(x, "<RtrInf><Rsn><{code}>");
        escape(x, reason);
        let _ = write!(x, "</{code}></Rsn></RtrInf>");
    }
    x.push_str("</TxDtls></NtryDtls></Ntry>");
}

/// `PMNT-RCDT-ESCT` as a domain code, anything else as a proprietary one.
fn bank_code(x: &mut String, code: Option<&str>) {
    let Some(code) = code else { return x.push_str("<BkTxCd/>") };
    let parts: Vec<&str> = code.split('-').collect();
    if let [d, f, s] = parts[..]
        && [d, f, s].iter().all(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_alphanumeric()))
    {
        let _ = write!(x, "<BkTxCd><Domn><Cd>{d}</Cd><Fmly><Cd>{f}</Cd><SubFmlyCd>{s}</SubFmlyCd></Fmly></Domn></BkTxCd>");
    } else {
        x.push_str("<BkTxCd><Prtry>");
        leaf(x, "Cd", code);
        x.push_str("</Prtry></BkTxCd>");
    }
}

fn leaf(x: &mut String, name: &str, text: &str) {
    let _ = write!(x, "<{name}>");
    escape(x, text);
    let _ = write!(x, "</{name}>");
}

/// Escapes markup and leaves out characters XML 1.0 cannot carry.
fn escape(x: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => x.push_str("&amp;"),
            '<' => x.push_str("&lt;"),
            '>' => x.push_str("&gt;"),
            '"' => x.push_str("&quot;"),
            '\t' | '\n' | '\r' => x.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => x.push(c),
        }
    }
}
