//! `svcscope serve-dns`: the CoreDNS model on a real socket (UDP and TCP), so that `dig`, or
//! any application's resolver, can be pointed at a pasted cluster. The wire format is
//! hickory-proto's; the answers are [`Dns::query`]'s.
//!
//! Questions the model cannot answer (names CoreDNS would forward upstream) get REFUSED: the
//! model has no upstream and does not invent answers. UDP answers larger than the client's
//! limit (512 bytes, or its EDNS size) are sent truncated (TC), as CoreDNS does, so that the
//! client retries over TCP.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::time::{Duration, Instant};

use hickory_proto::op::{Edns, Message, MessageType, OpCode, ResponseCode};
use hickory_proto::rr::rdata::{A, AAAA, CNAME, NS, PTR, SOA, SRV, TXT};
use hickory_proto::rr::{Name, RData, Record, RecordType};
use svcscope::sim::dns::plugin::{self as dns, Dns, QType, Rcode};

use crate::cli::err;
use crate::failure::{Failure, Outcome};

fn qtype(record_type: RecordType) -> QType {
    QType::from_code(u16::from(record_type))
}

fn name(text: &str) -> Option<Name> {
    Name::from_ascii(text).ok()
}

/// One model record on the wire; `None` when a name does not parse as a DNS name.
fn wire_record(record: &dns::Record) -> Option<Record> {
    let data = match &record.data {
        dns::RData::A(ip) => RData::A(A(*ip)),
        dns::RData::Aaaa(ip) => RData::AAAA(AAAA(ip.parse().ok()?)),
        dns::RData::Cname(target) => RData::CNAME(CNAME(name(target)?)),
        dns::RData::Ptr(target) => RData::PTR(PTR(name(target)?)),
        dns::RData::Ns(target) => RData::NS(NS(name(target)?)),
        dns::RData::Txt(text) => RData::TXT(TXT::new(vec![text.clone()])),
        dns::RData::Srv {
            priority,
            weight,
            port,
            target,
        } => RData::SRV(SRV::new(*priority, *weight, *port, name(target)?)),
        dns::RData::Soa {
            mname,
            rname,
            serial,
            refresh,
            retry,
            expire,
            minimum,
        } => RData::SOA(SOA::new(
            name(mname)?,
            name(rname)?,
            *serial,
            i32::try_from(*refresh).ok()?,
            i32::try_from(*retry).ok()?,
            i32::try_from(*expire).ok()?,
            *minimum,
        )),
    };
    Some(Record::from_rdata(name(&record.name)?, record.ttl, data))
}

/// The server's log of refused questions. Lines go through a small queue to a thread that
/// writes them to standard error, at most [`LOG_LINES_PER_SECOND`] a second; what does not fit
/// is counted and said in one line later. Serving never waits for the log: a client that
/// floods refused questions, or a standard error nobody reads, costs log lines, not answers.
struct Log {
    queue: SyncSender<String>,
}

/// Most log lines written in a second.
const LOG_LINES_PER_SECOND: u32 = 10;

impl Log {
    /// Starts the writing thread (it ends when the log is dropped).
    fn start() -> Log {
        let (queue, lines) = sync_channel::<String>(64);
        std::thread::spawn(move || {
            let (mut second, mut written, mut dropped) = (Instant::now(), 0u32, 0usize);
            for line in lines {
                if second.elapsed() >= Duration::from_secs(1) {
                    if dropped > 0 {
                        err(&format!(
                            "svcscope: {dropped} more refused questions not logged (at most \
                             {LOG_LINES_PER_SECOND} lines a second)"
                        ));
                    }
                    (second, written, dropped) = (Instant::now(), 0, 0);
                }
                if written < LOG_LINES_PER_SECOND {
                    err(&line);
                    written += 1;
                } else {
                    dropped += 1;
                }
            }
        });
        Log { queue }
    }

    /// Logs `line` unless the queue is full (then it is lost; never waited for).
    fn line(&self, line: String) {
        let _ = self.queue.try_send(line);
    }
}

/// The response bytes for one request; `None` for bytes that get no answer.
///
/// CoreDNS's server (miekg/dns `serveDNS`) reads the 12-byte header first and answers nothing
/// to less (any reply could amplify) or to a response. Its `DefaultMsgAcceptFunc`
/// (acceptfunc.go) then answers NOTIMP, with the request's opcode, to an opcode other than
/// QUERY and NOTIFY, and FORMERR to a message without exactly one question, with more than one
/// answer or authority record, or more than two additional ones. A message that passes but does
/// not unpack (an option longer than its record, a name past the end) gets FORMERR as well.
/// These refusals carry the header only.
fn answer(server: &Dns, request: &[u8], udp: bool, log: &Log) -> Option<Vec<u8>> {
    let header = request.get(..12)?;
    let word = |at: usize| {
        u16::from_be_bytes([
            header.get(at).copied().unwrap_or(0),
            header.get(at + 1).copied().unwrap_or(0),
        ])
    };
    let (id, bits) = (word(0), word(2));
    if bits & 0x8000 != 0 {
        return None;
    }
    let op_code = OpCode::from_u8(((bits >> 11) & 0xf) as u8);
    // SetRcodeFormatError: the request's id and opcode; RD and CD copied for a QUERY.
    let refuse = |code: ResponseCode| {
        let mut response = Message::new(id, MessageType::Response, op_code);
        if op_code == OpCode::Query {
            response.metadata.recursion_desired = bits & 0x0100 != 0;
            response.metadata.checking_disabled = bits & 0x0010 != 0;
        }
        response.metadata.response_code = code;
        response.to_vec().ok()
    };
    if !matches!(op_code, OpCode::Query | OpCode::Notify) {
        return refuse(ResponseCode::NotImp);
    }
    if word(4) != 1 || word(6) > 1 || word(8) > 1 || word(10) > 2 {
        return refuse(ResponseCode::FormErr);
    }
    // (miekg keeps a question that unpacked before the error; hickory-proto gives none back, so
    // this FORMERR has no question section.)
    let Ok(request) = Message::from_vec(request) else {
        return refuse(ResponseCode::FormErr);
    };
    let mut response = Message::new(
        request.metadata.id,
        MessageType::Response,
        request.metadata.op_code,
    );
    // Then CoreDNS's `edns.Version` (plugin/pkg/edns): an EDNS version above 0 gets BADVERS, an
    // OPT of version 0, and no question section.
    if request.edns.as_ref().is_some_and(|edns| edns.version() > 0) {
        let mut reply = Edns::new();
        reply.set_version(0);
        response.edns = Some(reply);
        response.metadata.response_code = ResponseCode::BADVERS;
        return response.to_vec().ok();
    }
    response.metadata.recursion_desired = request.metadata.recursion_desired;
    response.metadata.checking_disabled = request.metadata.checking_disabled;
    response.queries = request.queries.clone();
    let limit = match &request.edns {
        Some(edns) => {
            let mut reply = Edns::new();
            reply.set_max_payload(edns.max_payload().max(512));
            response.edns = Some(reply);
            usize::from(edns.max_payload().max(512))
        }
        None => 512,
    };
    match request.queries.first() {
        None => response.metadata.response_code = ResponseCode::FormErr,
        Some(query) => {
            let asked = query.name().to_ascii();
            let model = server.query(&asked, qtype(query.query_type()));
            match model.rcode {
                None => {
                    log.line(format!(
                        "{asked} {}: CoreDNS would forward it upstream; not simulated (REFUSED)",
                        query.query_type()
                    ));
                    response.metadata.response_code = ResponseCode::Refused;
                }
                Some(rcode) => {
                    response.metadata.authoritative = model.authoritative;
                    response.metadata.response_code = match rcode {
                        Rcode::NoError => ResponseCode::NoError,
                        Rcode::NxDomain => ResponseCode::NXDomain,
                        Rcode::Refused => ResponseCode::Refused,
                    };
                    response.answers = model.answer.iter().filter_map(wire_record).collect();
                    response.authorities = model.authority.iter().filter_map(wire_record).collect();
                    response.additionals =
                        model.additional.iter().filter_map(wire_record).collect();
                }
            }
        }
    }
    let bytes = response.to_vec().ok()?;
    if udp && bytes.len() > limit {
        response.answers.clear();
        response.authorities.clear();
        response.additionals.clear();
        response.metadata.truncation = true;
        return response.to_vec().ok();
    }
    Some(bytes)
}

/// The UDP answers already given, by request without its ID. The model does not change while
/// it serves and [`answer`] reads nothing but the request, so a request that comes again (any
/// ID) gets the same bytes under its own ID: this is memoisation, not CoreDNS's `cache`
/// plugin (no TTL is aged). Only NOERROR and NXDOMAIN answers are kept (REFUSED ones are
/// logged each time; malformed requests are cheap to refuse and would fill it).
///
/// Compact, as a server's memory should be: each request and its answer lie back to back in
/// one buffer (`[request length][answer length][request][answer]`, the lengths as two bytes
/// each), found by the request's hash (SipHash with a random key, so that no client can aim
/// its requests at one bucket); the stored request is compared before it is used, and a
/// request whose hash is taken by another is simply not kept. Bounded: when the buffer would
/// pass `limit` bytes it starts over.
struct Memo {
    /// Hash of a request -> where its entry starts in `stored`.
    at: std::collections::HashMap<u64, u32>,
    stored: Vec<u8>,
    keys: std::collections::hash_map::RandomState,
    limit: usize,
}

/// The most bytes of requests and answers the memo holds (about 60,000 answers of 100 bytes).
const MEMO_BYTES: usize = 8 << 20;

impl Memo {
    fn new(limit: usize) -> Memo {
        Memo {
            at: std::collections::HashMap::new(),
            // Reserved whole at once: address space, which takes memory only as it is
            // written, where growing by doubling would leave each outgrown buffer behind.
            stored: Vec::with_capacity(limit),
            keys: std::collections::hash_map::RandomState::new(),
            limit: limit.min(u32::MAX as usize),
        }
    }

    /// The stored request and answer of the entry at `start`.
    fn entry(&self, start: usize) -> Option<(&[u8], &[u8])> {
        let length = |at: usize| {
            let bytes = self.stored.get(at..at + 2)?;
            Some(usize::from(u16::from_be_bytes([
                *bytes.first()?,
                *bytes.get(1)?,
            ])))
        };
        let (request, answer) = (length(start)?, length(start + 2)?);
        let body = self.stored.get(start + 4..start + 4 + request + answer)?;
        Some(body.split_at(request))
    }

    /// The answer to `request` into `out` (cleared first); false when it gets none.
    fn answer(&mut self, server: &Dns, request: &[u8], log: &Log, out: &mut Vec<u8>) -> bool {
        use std::hash::BuildHasher;
        out.clear();
        let (Some(id), Some(rest)) = (request.get(..2), request.get(2..)) else {
            return false;
        };
        let hash = self.keys.hash_one(rest);
        let known = self.at.get(&hash).copied();
        if let Some((stored, answer)) = known.and_then(|start| self.entry(start as usize)) {
            if stored == rest {
                out.extend_from_slice(id);
                out.extend_from_slice(answer.get(2..).unwrap_or_default());
                return true;
            }
        }
        let Some(bytes) = answer(server, request, true, log) else {
            return false;
        };
        out.extend_from_slice(&bytes);
        // RCODE: the low four bits of the fourth byte (0 NOERROR, 3 NXDOMAIN).
        let kept = bytes
            .get(3)
            .is_some_and(|flags| matches!(flags & 0x0f, 0 | 3));
        let (Ok(request_length), Ok(answer_length)) =
            (u16::try_from(rest.len()), u16::try_from(bytes.len()))
        else {
            return true;
        };
        if !kept || known.is_some() {
            return true;
        }
        let size = 4 + rest.len() + bytes.len();
        if self.stored.len() + size > self.limit {
            self.at.clear();
            self.stored.clear();
            if size > self.limit {
                return true;
            }
        }
        let Ok(start) = u32::try_from(self.stored.len()) else {
            return true;
        };
        self.stored.extend_from_slice(&request_length.to_be_bytes());
        self.stored.extend_from_slice(&answer_length.to_be_bytes());
        self.stored.extend_from_slice(rest);
        self.stored.extend_from_slice(&bytes);
        self.at.insert(hash, start);
        true
    }
}

fn serve_udp(server: &Dns, socket: &UdpSocket, log: &Log) {
    let mut buffer = [0u8; 4096];
    let mut memo = Memo::new(MEMO_BYTES);
    let mut out = Vec::with_capacity(4096);
    loop {
        let Ok((length, peer)) = socket.recv_from(&mut buffer) else {
            continue;
        };
        let request = buffer.get(..length).unwrap_or_default();
        if memo.answer(server, request, log, &mut out) {
            let _ = socket.send_to(&out, peer);
        }
    }
}

/// How long a TCP connection may sit without sending a whole message, and how long an answer
/// may take to be taken: a stalled or idle client gives its connection back.
const TCP_TIMEOUT: Duration = Duration::from_secs(10);

/// Most TCP connections served at once; more are closed as they arrive.
const MAX_TCP_CONNECTIONS: usize = 1024;

/// The stack of a TCP connection's thread: answering needs a few kilobytes (no recursion
/// deeper than a CNAME chain), and std's default of 2 MiB per thread is address space that a
/// thousand connections do not need.
const TCP_THREAD_STACK: usize = 256 * 1024;

/// DNS over TCP: each message is preceded by its two-byte length (RFC 1035 4.2.2). The length
/// and the message go out in one write, with Nagle's algorithm off: written apart, the second
/// write waited for the client's delayed ACK (about 40 ms per answer on a reused connection).
fn serve_tcp_connection(server: &Dns, mut stream: TcpStream, log: &Log) {
    if stream.set_nodelay(true).is_err()
        || stream.set_read_timeout(Some(TCP_TIMEOUT)).is_err()
        || stream.set_write_timeout(Some(TCP_TIMEOUT)).is_err()
    {
        return;
    }
    loop {
        let mut length = [0u8; 2];
        if stream.read_exact(&mut length).is_err() {
            return;
        }
        let mut request = vec![0u8; usize::from(u16::from_be_bytes(length))];
        if stream.read_exact(&mut request).is_err() {
            return;
        }
        let Some(bytes) = answer(server, &request, false, log) else {
            return;
        };
        let Ok(size) = u16::try_from(bytes.len()) else {
            return;
        };
        let mut framed = Vec::with_capacity(bytes.len() + 2);
        framed.extend_from_slice(&size.to_be_bytes());
        framed.extend_from_slice(&bytes);
        if stream.write_all(&framed).is_err() {
            return;
        }
    }
}

/// Serves `server` on `listen` (UDP and TCP) until the process is stopped. Port 0 picks a
/// free UDP port and listens on TCP at the same one; the address is printed on standard error.
pub fn serve(server: &Dns, listen: SocketAddr) -> Outcome {
    let udp = UdpSocket::bind(listen)
        .map_err(|error| Failure::Input(format!("listening on udp {listen}: {error}")))?;
    let listen = udp.local_addr().unwrap_or(listen);
    let tcp = TcpListener::bind(listen)
        .map_err(|error| Failure::Input(format!("listening on tcp {listen}: {error}")))?;
    err(&format!(
        "svcscope: serving cluster DNS (zone {}) on {listen} udp and tcp",
        server.zone()
    ));
    let open = AtomicUsize::new(0);
    let log = Log::start();
    std::thread::scope(|scope| {
        let log = &log;
        scope.spawn(|| serve_udp(server, &udp, log));
        for stream in tcp.incoming() {
            let Ok(stream) = stream else {
                // Out of descriptors, say: wait instead of spinning on the error.
                std::thread::sleep(Duration::from_millis(50));
                continue;
            };
            if open.fetch_add(1, Ordering::AcqRel) >= MAX_TCP_CONNECTIONS {
                open.fetch_sub(1, Ordering::AcqRel);
                drop(stream);
                continue;
            }
            let open = &open;
            let spawned = std::thread::Builder::new()
                .stack_size(TCP_THREAD_STACK)
                .spawn_scoped(scope, move || {
                    serve_tcp_connection(server, stream, log);
                    open.fetch_sub(1, Ordering::AcqRel);
                });
            if spawned.is_err() {
                // No thread to be had (a process limit): the connection was dropped with it.
                open.fetch_sub(1, Ordering::AcqRel);
            }
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;
    use hickory_proto::op::Query;
    use svcscope::sim::config::ClusterConfig;
    use svcscope::sim::control::cluster::Cluster;
    use svcscope::sim::dns::plugin::DnsOptions;

    fn request(id: u16, name: &str) -> Vec<u8> {
        let mut message = Message::new(id, MessageType::Query, OpCode::Query);
        message.add_query(Query::query(Name::from_ascii(name).unwrap(), RecordType::A));
        message.to_vec().unwrap()
    }

    /// The memo answers as [`answer`] does, under each request's own ID, keeps the NOERROR and
    /// NXDOMAIN answers only, and starts over instead of growing past its limit.
    #[test]
    fn the_memo_answers_as_the_model_and_stays_bounded() {
        let cluster = Cluster::build(
            "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n",
            &ClusterConfig::default(),
        );
        let server = Dns::new(&cluster, DnsOptions::default());
        let log = Log::start();
        let mut memo = Memo::new(600);
        let mut out = Vec::new();
        let names = [
            "web.default.svc.cluster.local.",
            "WEB.default.svc.cluster.local.",
            "nothing.default.svc.cluster.local.",
            "example.com.",
        ];
        for round in 0..3u16 {
            for (index, name) in names.iter().enumerate() {
                let id = round * 100 + u16::try_from(index).unwrap();
                let asked = request(id, name);
                assert!(memo.answer(&server, &asked, &log, &mut out), "{name}");
                assert_eq!(out, answer(&server, &asked, true, &log).unwrap(), "{name}");
                assert_eq!(out[..2], id.to_be_bytes(), "{name}");
            }
            // Three kept (two NOERROR, one NXDOMAIN); example.com's REFUSED is not.
            assert_eq!(memo.at.len(), 3, "round {round}");
            assert!(
                memo.stored.len() <= memo.limit,
                "{} bytes",
                memo.stored.len()
            );
        }
        // Twenty more distinct requests (the name's case differs): never past the limit, so
        // the memo started over on the way.
        for variant in 0..20u32 {
            let name: String = "web.default.svc.cluster.local."
                .chars()
                .enumerate()
                .map(|(at, c)| {
                    if at < 5 && variant & (1 << at) != 0 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect();
            assert!(memo.answer(&server, &request(9, &name), &log, &mut out));
            assert!(
                memo.stored.len() <= memo.limit,
                "{} bytes",
                memo.stored.len()
            );
        }
        assert!((1..20).contains(&memo.at.len()), "{}", memo.at.len());
        // A request whose hash leads to another request's entry (a collision, forced here) is
        // answered by the model, not with the other's answer.
        use std::hash::BuildHasher;
        let mut fresh = Memo::new(MEMO_BYTES);
        let first = request(1, "web.default.svc.cluster.local.");
        assert!(fresh.answer(&server, &first, &log, &mut out));
        let other = request(2, "nothing.default.svc.cluster.local.");
        let hash = fresh.keys.hash_one(&other[2..]);
        fresh.at.insert(hash, 0);
        assert!(fresh.answer(&server, &other, &log, &mut out));
        assert_eq!(out, answer(&server, &other, true, &log).unwrap());
        // Too short for an ID: no answer, nothing kept.
        assert!(!memo.answer(&server, &[1], &log, &mut out));
    }
}
