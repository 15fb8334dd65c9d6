//! A DNS server for the sender check's tests: UDP on 127.0.0.1, a random port, answering A and
//! TXT questions from a fixed zone (NXDOMAIN for a name it does not know, SERVFAIL where the
//! zone says so), on a thread of its own so that a test blocked on a child process still gets
//! answers. [`DnsServer::silent`] never answers, for the timeout tests.

use std::net::{Ipv4Addr, SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

const TYPE_A: u16 = 1;
const TYPE_TXT: u16 = 16;

/// One record of the zone.
#[derive(Clone, Debug)]
pub enum Answer {
    Txt(String),
    A(Ipv4Addr),
    /// The server fails every question about the name.
    ServFail,
}

/// Records by name, in the order they are answered.
pub type Zone = Vec<(String, Answer)>;

pub fn txt(name: &str, text: &str) -> (String, Answer) {
    (name.to_string(), Answer::Txt(text.to_string()))
}

pub fn a(name: &str, address: &str) -> (String, Answer) {
    (
        name.to_string(),
        Answer::A(address.parse().expect("an IPv4 address")),
    )
}

pub struct DnsServer {
    pub address: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    _socket: Option<UdpSocket>,
}

impl DnsServer {
    pub fn start(zone: Zone) -> DnsServer {
        let socket = UdpSocket::bind("127.0.0.1:0").expect("a UDP port");
        socket
            .set_read_timeout(Some(Duration::from_millis(100)))
            .expect("a read timeout");
        let address = socket.local_addr().expect("the port");
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut buffer = [0u8; 1500];
            while !stopped.load(Ordering::Relaxed) {
                let Ok((len, peer)) = socket.recv_from(&mut buffer) else {
                    continue;
                };
                if let Some(reply) = answer(&buffer[..len], &zone) {
                    let _ = socket.send_to(&reply, peer);
                }
            }
        });
        DnsServer {
            address,
            stop,
            thread: Some(thread),
            _socket: None,
        }
    }

    /// A port that receives questions and never answers them.
    pub fn silent() -> DnsServer {
        let socket = UdpSocket::bind("127.0.0.1:0").expect("a UDP port");
        DnsServer {
            address: socket.local_addr().expect("the port"),
            stop: Arc::new(AtomicBool::new(true)),
            thread: None,
            _socket: Some(socket),
        }
    }
}

impl Drop for DnsServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The reply to one query, or None for a packet that is not one.
fn answer(query: &[u8], zone: &[(String, Answer)]) -> Option<Vec<u8>> {
    if query.len() < 12 || query[2] & 0x80 != 0 {
        return None;
    }
    // The question: labels up to the root, then its type and class.
    let mut at = 12;
    let mut labels = Vec::new();
    loop {
        let len = usize::from(*query.get(at)?);
        at += 1;
        if len == 0 {
            break;
        }
        labels.push(String::from_utf8_lossy(query.get(at..at + len)?).to_ascii_lowercase());
        at += len;
    }
    let qtype = u16::from_be_bytes([*query.get(at)?, *query.get(at + 1)?]);
    let question_end = at + 4;
    query.get(..question_end)?;
    let name = labels.join(".");
    let records: Vec<&Answer> = zone
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(&name))
        .map(|(_, a)| a)
        .collect();
    let rcode = if records.iter().any(|a| matches!(a, Answer::ServFail)) {
        2
    } else if records.is_empty() {
        3
    } else {
        0
    };
    let mut answers: Vec<(u16, Vec<u8>)> = Vec::new();
    for record in records {
        match (record, qtype) {
            (Answer::Txt(text), TYPE_TXT) => {
                let mut data = Vec::new();
                for chunk in text.as_bytes().chunks(255) {
                    data.push(chunk.len() as u8);
                    data.extend_from_slice(chunk);
                }
                answers.push((TYPE_TXT, data));
            }
            (Answer::A(ip), TYPE_A) => answers.push((TYPE_A, ip.octets().to_vec())),
            _ => {}
        }
    }
    if rcode != 0 {
        answers.clear();
    }
    let mut reply = Vec::with_capacity(512);
    reply.extend_from_slice(&query[..2]);
    // QR, the query's opcode and RD; RA; the response code.
    reply.push(0x80 | (query[2] & 0x79));
    reply.push(0x80 | rcode);
    reply.extend_from_slice(&1u16.to_be_bytes());
    reply.extend_from_slice(&(answers.len() as u16).to_be_bytes());
    reply.extend_from_slice(&[0, 0, 0, 0]);
    reply.extend_from_slice(&query[12..question_end]);
    for (rtype, data) in answers {
        reply.extend_from_slice(&[0xc0, 12]);
        reply.extend_from_slice(&rtype.to_be_bytes());
        reply.extend_from_slice(&1u16.to_be_bytes());
        reply.extend_from_slice(&60u32.to_be_bytes());
        reply.extend_from_slice(&(data.len() as u16).to_be_bytes());
        reply.extend_from_slice(&data);
    }
    Some(reply)
}
