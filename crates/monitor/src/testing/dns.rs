//! A tiny UDP DNS server.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use hickory_proto::op::{Message, MessageType, ResponseCode};
use hickory_proto::rr::rdata::{A, AAAA, CNAME, MX, NS, TXT};
use hickory_proto::rr::{Name, RData, Record};
use tokio::net::UdpSocket;

use crate::local::Runner;

/// Answers the configured records over UDP on 127.0.0.1: those of the asked name and type
/// (NOERROR and no answer when the name has others), NXDOMAIN for a name it does not know.
/// Down, it reads questions and answers none.
pub struct DnsTarget {
    port: u16,
    up: Arc<AtomicBool>,
    _runner: Runner,
}

impl DnsTarget {
    /// `records`: (name, type, value) with type A, AAAA, CNAME, NS, MX (`"10 mx.example.test"`)
    /// or TXT. Panics on a record it cannot read: it is for tests.
    pub fn start(records: &[(&str, &str, &str)]) -> DnsTarget {
        let records: Vec<Record> = records.iter().map(|(name, kind, value)| record(name, kind, value)).collect();
        let socket = std::net::UdpSocket::bind(("127.0.0.1", 0)).expect("a UDP port on 127.0.0.1");
        socket.set_nonblocking(true).expect("a non-blocking socket");
        let port = socket.local_addr().expect("the socket's address").port();
        let up = Arc::new(AtomicBool::new(true));
        let serving = up.clone();
        let runner = crate::local::Runner::spawn("dns-target", async move {
            let Ok(socket) = UdpSocket::from_std(socket) else { return };
            let mut buf = vec![0u8; 4096];
            loop {
                let Ok((n, from)) = socket.recv_from(&mut buf).await else { continue };
                if !serving.load(Ordering::SeqCst) {
                    continue;
                }
                if let Some(answer) = answer(&records, &buf[..n]) {
                    let _ = socket.send_to(&answer, from).await;
                }
            }
        });
        DnsTarget { port, up, _runner: runner }
    }

    pub fn set_up(&self, up: bool) {
        self.up.store(up, Ordering::SeqCst);
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `name TYPE @127.0.0.1:PORT`, a `dns` target.
    pub fn target(&self, name: &str, kind: &str) -> String {
        format!("{name} {kind} @127.0.0.1:{}", self.port)
    }
}

fn record(name: &str, kind: &str, value: &str) -> Record {
    let fqdn = |n: &str| Name::from_ascii(format!("{}.", n.trim_end_matches('.'))).expect("a domain name");
    let data = match kind.to_ascii_uppercase().as_str() {
        "A" => RData::A(A(value.parse::<Ipv4Addr>().expect("an IPv4 address"))),
        "AAAA" => RData::AAAA(AAAA(value.parse::<Ipv6Addr>().expect("an IPv6 address"))),
        "CNAME" => RData::CNAME(CNAME(fqdn(value))),
        "NS" => RData::NS(NS(fqdn(value))),
        "MX" => {
            let (pref, host) = value.split_once(' ').expect("MX is `pref host`");
            RData::MX(MX::new(pref.parse().expect("an MX preference"), fqdn(host)))
        }
        "TXT" => RData::TXT(TXT::new(vec![value.to_string()])),
        other => panic!("DnsTarget does not serve {other} records"),
    };
    Record::from_rdata(fqdn(name), 300, data)
}

fn answer(records: &[Record], question: &[u8]) -> Option<Vec<u8>> {
    let question = Message::from_vec(question).ok()?;
    if question.metadata.message_type != MessageType::Query {
        return None;
    }
    let mut reply = Message::response(question.metadata.id, question.metadata.op_code);
    reply.metadata.recursion_desired = question.metadata.recursion_desired;
    reply.metadata.authoritative = true;
    for q in &question.queries {
        reply.add_query(q.clone());
        let known: Vec<&Record> = records.iter().filter(|r| r.name == *q.name()).collect();
        if known.is_empty() {
            reply.metadata.response_code = ResponseCode::NXDomain;
        }
        for r in known.into_iter().filter(|r| r.record_type() == q.query_type()) {
            reply.add_answer(r.clone());
        }
    }
    reply.to_vec().ok()
}
