//! `dns`: one question over UDP to the given server (the system's first nameserver when none),
//! again over TCP when the answer comes truncated.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use hickory_proto::op::{Message, MessageType, Query, ResponseCode};
use hickory_proto::rr::{Name, RData, RecordType as Rr};
use loket_domain::monitoring::{DnsQuery, RecordType};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};

use crate::conn::{io_fail, resolve};
use crate::{Cause, Checked, Fail, Pass, Probe};

/// Datagrams that are not the answer (another id, not a response) ignored before giving up.
const MAX_STRAY: usize = 16;
/// The largest answer read over TCP.
const MAX_TCP_ANSWER: usize = 65_535;

pub(crate) async fn check(probe: &Probe) -> Checked {
    let query = DnsQuery::parse(probe.target.trim()).map_err(|e| Fail::new(Cause::Protocol, e))?;
    let server = match &query.server {
        Some((host, port)) => resolve(host, *port).await?[0],
        None => system_nameserver(&std::fs::read_to_string("/etc/resolv.conf").unwrap_or_default()),
    };
    let rtype = record_type(query.record);
    let name = Name::from_ascii(format!("{}.", query.name))
        .map_err(|e| Fail::new(Cause::Protocol, format!("`{}` is not a domain name: {e}", query.name)))?;
    let mut message = Message::query();
    message.metadata.recursion_desired = true;
    message.add_query(Query::query(name, rtype));
    let id = message.metadata.id;
    let bytes = message.to_vec().map_err(|e| Fail::new(Cause::Protocol, format!("the question cannot be written: {e}")))?;
    let mut answer = udp(server, &bytes, id).await?;
    if answer.metadata.truncation {
        answer = tcp(server, &bytes, id).await?;
    }
    judge(&answer, query.record, probe.keyword.as_deref())
}

/// The first `nameserver` of a resolv.conf, 127.0.0.1:53 when there is none.
pub(crate) fn system_nameserver(resolv_conf: &str) -> SocketAddr {
    resolv_conf
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            (words.next() == Some("nameserver")).then(|| words.next()).flatten()
        })
        .find_map(|addr| addr.split('%').next().and_then(|a| a.parse::<IpAddr>().ok()))
        .map(|ip| SocketAddr::new(ip, 53))
        .unwrap_or(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 53))
}

async fn udp(server: SocketAddr, question: &[u8], id: u16) -> Result<Message, Fail> {
    let local: SocketAddr = if server.is_ipv4() { "0.0.0.0:0".parse().unwrap_or(server) } else { "[::]:0".parse().unwrap_or(server) };
    let socket = UdpSocket::bind(local).await.map_err(|e| io_fail(&e, "opening a UDP socket"))?;
    socket.connect(server).await.map_err(|e| io_fail(&e, "connecting"))?;
    socket.send(question).await.map_err(|e| io_fail(&e, "sending the question"))?;
    let mut buf = vec![0u8; 4096];
    for _ in 0..MAX_STRAY {
        let n = socket.recv(&mut buf).await.map_err(|e| io_fail(&e, "waiting for the answer"))?;
        match Message::from_vec(&buf[..n]) {
            Ok(m) if m.metadata.id == id && m.metadata.message_type == MessageType::Response => return Ok(m),
            Ok(_) => continue,
            Err(e) if n >= 2 && u16::from_be_bytes([buf[0], buf[1]]) == id => {
                return Err(Fail::new(Cause::Protocol, format!("an unreadable DNS answer: {e}")));
            }
            Err(_) => continue,
        }
    }
    Err(Fail::new(Cause::Protocol, "only stray datagrams, no answer"))
}

async fn tcp(server: SocketAddr, question: &[u8], id: u16) -> Result<Message, Fail> {
    let mut stream = TcpStream::connect(server).await.map_err(|e| io_fail(&e, "connecting over TCP"))?;
    let mut framed = (question.len() as u16).to_be_bytes().to_vec();
    framed.extend_from_slice(question);
    stream.write_all(&framed).await.map_err(|e| io_fail(&e, "sending the question"))?;
    let len = stream.read_u16().await.map_err(|e| io_fail(&e, "reading the answer"))? as usize;
    let mut buf = vec![0u8; len.min(MAX_TCP_ANSWER)];
    stream.read_exact(&mut buf).await.map_err(|e| io_fail(&e, "reading the answer"))?;
    match Message::from_vec(&buf) {
        Ok(m) if m.metadata.id == id => Ok(m),
        Ok(_) => Err(Fail::new(Cause::Protocol, "a DNS answer to another question")),
        Err(e) => Err(Fail::new(Cause::Protocol, format!("an unreadable DNS answer: {e}"))),
    }
}

fn record_type(r: RecordType) -> Rr {
    match r {
        RecordType::A => Rr::A,
        RecordType::Aaaa => Rr::AAAA,
        RecordType::Cname => Rr::CNAME,
        RecordType::Mx => Rr::MX,
        RecordType::Txt => Rr::TXT,
        RecordType::Ns => Rr::NS,
    }
}

/// An answer's text form: the address; the name without its final dot; `pref host` for MX; the
/// strings of a TXT joined.
fn text(data: &RData) -> Option<String> {
    let name = |n: &Name| n.to_ascii().trim_end_matches('.').to_string();
    Some(match data {
        RData::A(a) => a.0.to_string(),
        RData::AAAA(a) => a.0.to_string(),
        RData::CNAME(c) => name(&c.0),
        RData::NS(n) => name(&n.0),
        RData::MX(mx) => format!("{} {}", mx.preference, name(&mx.exchange)),
        RData::TXT(txt) => txt.txt_data.iter().map(|s| String::from_utf8_lossy(s)).collect(),
        _ => return None,
    })
}

fn judge(answer: &Message, record: RecordType, keyword: Option<&str>) -> Checked {
    match answer.metadata.response_code {
        ResponseCode::NoError => {}
        ResponseCode::NXDomain => return Err(Fail::new(Cause::Dns, "NXDOMAIN: the name does not exist")),
        code => return Err(Fail::new(Cause::Dns, format!("the server answered {code}"))),
    }
    let wanted = record_type(record);
    let texts: Vec<String> = answer.answers.iter().filter(|r| r.record_type() == wanted).filter_map(|r| text(&r.data)).collect();
    if texts.is_empty() {
        return Err(Fail::new(Cause::Dns, format!("no {record} record")));
    }
    let listed = texts.join(", ");
    if let Some(keyword) = keyword {
        let k = keyword.to_ascii_lowercase();
        if !texts.iter().any(|t| t.to_ascii_lowercase().contains(&k)) {
            return Err(Fail::new(Cause::Keyword, format!("keyword `{keyword}` not in {record} {listed}")));
        }
    }
    Ok(Pass { detail: format!("{record} {listed}"), cert_not_after: None })
}

#[cfg(test)]
mod tests {
    use hickory_proto::rr::Record;
    use hickory_proto::rr::rdata::{A, CNAME, MX, TXT};

    use super::*;

    #[test]
    fn the_first_nameserver() {
        let conf = "# comment\nsearch example.nl\nnameserver fe80::1%eth0\nnameserver 192.0.2.53\n";
        assert_eq!(system_nameserver(conf), "[fe80::1]:53".parse().unwrap());
        assert_eq!(system_nameserver("nameserver 192.0.2.53\n"), "192.0.2.53:53".parse().unwrap());
        assert_eq!(system_nameserver(""), "127.0.0.1:53".parse().unwrap());
        assert_eq!(system_nameserver("nameserver nonsense\n"), "127.0.0.1:53".parse().unwrap());
    }

    fn answer(records: Vec<RData>) -> Message {
        let mut m = Message::response(7, hickory_proto::op::OpCode::Query);
        let name = Name::from_ascii("example.nl.").unwrap();
        for r in records {
            m.add_answer(Record::from_rdata(name.clone(), 60, r));
        }
        m
    }

    #[test]
    fn text_forms_and_keywords() {
        let m = answer(vec![
            RData::CNAME(CNAME(Name::from_ascii("web.example.nl.").unwrap())),
            RData::A(A(Ipv4Addr::new(192, 0, 2, 1))),
            RData::A(A(Ipv4Addr::new(192, 0, 2, 2))),
        ]);
        assert_eq!(judge(&m, RecordType::A, None).unwrap().detail, "A 192.0.2.1, 192.0.2.2");
        assert!(judge(&m, RecordType::A, Some("192.0.2.2")).is_ok());
        assert_eq!(judge(&m, RecordType::A, Some("192.0.2.9")).unwrap_err().cause, Cause::Keyword);
        assert_eq!(judge(&m, RecordType::Cname, Some("WEB.example")).unwrap().detail, "CNAME web.example.nl");
        assert_eq!(judge(&m, RecordType::Mx, None).unwrap_err().cause, Cause::Dns);
        let m = answer(vec![
            RData::MX(MX::new(10, Name::from_ascii("mx.example.nl.").unwrap())),
            RData::TXT(TXT::new(vec!["v=spf1 ".into(), "-all".into()])),
        ]);
        assert_eq!(judge(&m, RecordType::Mx, None).unwrap().detail, "MX 10 mx.example.nl");
        assert_eq!(judge(&m, RecordType::Txt, Some("spf1 -all")).unwrap().detail, "TXT v=spf1 -all");
    }

    #[test]
    fn error_codes() {
        let mut m = answer(vec![RData::A(A(Ipv4Addr::LOCALHOST))]);
        m.metadata.response_code = ResponseCode::NXDomain;
        assert!(judge(&m, RecordType::A, None).unwrap_err().detail.starts_with("NXDOMAIN"));
        m.metadata.response_code = ResponseCode::ServFail;
        let fail = judge(&m, RecordType::A, None).unwrap_err();
        assert_eq!(fail.cause, Cause::Dns);
        assert!(fail.detail.contains("Server Failure") || fail.detail.contains("SERVFAIL"), "{}", fail.detail);
    }
}
