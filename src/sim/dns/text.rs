//! DNS answers as people read them: `nslookup` (BIND 9's, as the `tutum/dnsutils` and
//! `dnsutils` images ship it: `bin/dig/nslookup.c`) and `dig` (`bin/dig/dig.c`, BIND's
//! tab-stop presentation with columns at 24, 32, 40 and 48).
//!
//! `dig` is printed as `dig +noedns` prints it, without the lines the model has no value for
//! (the message id, query time, date and message size).

use crate::sim::dns::plugin::{RData, Rcode, Record, Response};
use crate::sim::dns::resolver::Resolution;

/// The name without its trailing dot, as nslookup prints owners.
fn bare(name: &str) -> &str {
    name.strip_suffix('.').unwrap_or(name)
}

/// BIND's `indent()` (lib/dns/masterdump.c): move from the line's current column to
/// `column` (at least one further), with as many 8-column tabs as fit, then spaces.
fn pad(line: &mut String, column: usize) {
    let from = line.chars().fold(0, |at, character| match character {
        '\t' => (at / 8 + 1) * 8,
        _ => at + 1,
    });
    let to = column.max(from + 1);
    let tabs = (to / 8).saturating_sub(from / 8);
    let mut at = from;
    if tabs > 0 {
        line.push_str(&"\t".repeat(tabs));
        at = (to / 8) * 8;
    }
    line.push_str(&" ".repeat(to.saturating_sub(at)));
}

/// One record in dig's layout: `owner<tab>TTL<tab>IN<tab>TYPE<tab>RDATA`.
pub fn dig_record(record: &Record) -> String {
    let mut line = record.name.clone();
    pad(&mut line, 24);
    line.push_str(&record.ttl.to_string());
    pad(&mut line, 32);
    line.push_str("IN");
    pad(&mut line, 40);
    line.push_str(record.type_name());
    pad(&mut line, 48);
    line.push_str(&record.rdata());
    line
}

/// `dig @SERVER NAME TYPE +noedns` for one response.
pub fn dig(response: &Response, server: &str) -> String {
    let mut out = String::new();
    if response.rcode.is_none() {
        out.push_str(&format!(
            ";; {} {}: forwarded upstream by CoreDNS (not simulated)\n",
            response.qname,
            response.qtype.name()
        ));
        if let Some(note) = &response.note {
            out.push_str(&format!(";; {note}\n"));
        }
        return out;
    }
    let status = response.rcode.map(|rcode| rcode.as_str()).unwrap_or("");
    out.push_str(";; Got answer:\n");
    out.push_str(&format!(
        ";; ->>HEADER<<- opcode: QUERY, status: {status}\n"
    ));
    // The plugin's answers are authoritative without recursion; a refusal is dnsserver's
    // `errorFunc` reply (`SetRcode`: qr, rd copied, no aa, no ra).
    let flags = if response.authoritative {
        "qr aa rd"
    } else {
        "qr rd"
    };
    if response.qtype.is_transfer() && response.rcode == Some(Rcode::Refused) {
        // dig prints no message for a refused transfer (`dig AXFR`: `; Transfer failed.`).
        return "; Transfer failed.\n".to_owned();
    }
    out.push_str(&format!(
        ";; flags: {flags}; QUERY: 1, ANSWER: {}, AUTHORITY: {}, ADDITIONAL: {}\n",
        response.answer.len(),
        response.authority.len(),
        response.additional.len()
    ));
    out.push_str(";; WARNING: recursion requested but not available\n");
    out.push_str("\n;; QUESTION SECTION:\n");
    let mut question = format!(";{}", response.qname);
    pad(&mut question, 32);
    question.push_str("IN");
    pad(&mut question, 40);
    question.push_str(&response.qtype.name());
    out.push_str(&question);
    out.push('\n');
    for (title, records) in [
        ("ANSWER", &response.answer),
        ("AUTHORITY", &response.authority),
        ("ADDITIONAL", &response.additional),
    ] {
        if records.is_empty() {
            continue;
        }
        out.push_str(&format!("\n;; {title} SECTION:\n"));
        for record in records {
            out.push_str(&dig_record(record));
            out.push('\n');
        }
    }
    if let Some(note) = &response.note {
        out.push_str(&format!("\n;; svcscope: {note}\n"));
    }
    out.push_str(&format!("\n;; SERVER: {server}#53({server}) (UDP)\n\n"));
    out
}

/// The answer lines nslookup prints for the records of one response.
fn nslookup_records(records: &[Record], out: &mut String) {
    for record in records {
        let owner = bare(&record.name);
        match &record.data {
            RData::A(ip) => out.push_str(&format!("Name:\t{owner}\nAddress: {ip}\n")),
            RData::Aaaa(ip) => out.push_str(&format!("Name:\t{owner}\nAddress: {ip}\n")),
            RData::Cname(target) => {
                out.push_str(&format!("{owner}\tcanonical name = {target}\n"));
            }
            RData::Srv {
                priority,
                weight,
                port,
                target,
            } => out.push_str(&format!(
                "{owner}\tservice = {priority} {weight} {port} {target}\n"
            )),
            RData::Ptr(target) => out.push_str(&format!("{owner}\tname = {target}\n")),
            RData::Txt(_) => out.push_str(&format!("{owner}\ttext = {}\n", record.rdata())),
            RData::Ns(target) => out.push_str(&format!("{owner}\tnameserver = {target}\n")),
            RData::Soa {
                mname,
                rname,
                serial,
                refresh,
                retry,
                expire,
                minimum,
            } => out.push_str(&format!(
                "{owner}\n\torigin = {}\n\tmail addr = {}\n\tserial = {serial}\n\t\
                 refresh = {refresh}\n\tretry = {retry}\n\texpire = {expire}\n\t\
                 minimum = {minimum}\n",
                bare(mname),
                bare(rname)
            )),
        }
    }
}

/// `nslookup [-type=T] NAME` run in a pod whose first nameserver is `server`: the search
/// walk's final response, printed as BIND's nslookup prints it. `asked` is the name as typed
/// (nslookup names it in its failure lines).
pub fn nslookup(resolution: &Resolution, asked: &str, server: &str) -> String {
    let mut out = format!("Server:\t\t{server}\nAddress:\t{server}#53\n\n");
    let Some(response) = resolution.result() else {
        return out;
    };
    match response.rcode {
        None => {
            out.push_str(&format!(
                ";; {}: forwarded upstream by CoreDNS (not simulated)\n\n",
                bare(&response.qname)
            ));
        }
        Some(rcode @ (Rcode::NxDomain | Rcode::Refused)) => {
            out.push_str(&format!(
                "** server can't find {}: {}\n",
                bare(asked),
                rcode.as_str()
            ));
            if response.qtype.is_transfer() {
                // nslookup -type=AXFR against a server that refuses (BIND 9.18, checked).
                out.push_str("; Transfer failed.\n");
            }
            out.push('\n');
        }
        Some(crate::sim::dns::plugin::Rcode::NoError) if response.answer.is_empty() => {
            out.push_str(&format!(
                "*** Can't find {}: No answer\n\n",
                bare(&response.qname)
            ));
        }
        Some(crate::sim::dns::plugin::Rcode::NoError) => {
            if !response.authoritative {
                out.push_str("Non-authoritative answer:\n");
            }
            nslookup_records(&response.answer, &mut out);
            out.push('\n');
        }
    }
    out
}

/// `nslookup NAME` as BusyBox prints it (the `busybox` image, 1.3x): the server's address
/// with `:53`, one Name/Address pair per A record of the final answer, a blank line after.
/// Failures read as BIND's (`** server can't find NAME: NXDOMAIN`).
pub fn nslookup_busybox(resolution: &Resolution, asked: &str, server: &str) -> String {
    let mut out = format!("Server:\t\t{server}\nAddress:\t{server}:53\n\n");
    let Some(response) = resolution.result() else {
        return out;
    };
    match response.rcode {
        None => out.push_str(&format!(
            ";; {}: forwarded upstream by CoreDNS (not simulated)\n\n",
            bare(&response.qname)
        )),
        Some(rcode @ (Rcode::NxDomain | Rcode::Refused)) => {
            out.push_str(&format!(
                "** server can't find {}: {}\n\n",
                bare(asked),
                rcode.as_str()
            ));
        }
        Some(crate::sim::dns::plugin::Rcode::NoError) => {
            for record in &response.answer {
                match &record.data {
                    RData::A(ip) => {
                        out.push_str(&format!("Name:\t{}\nAddress: {ip}\n", bare(&record.name)))
                    }
                    RData::Aaaa(ip) => {
                        out.push_str(&format!("Name:\t{}\nAddress: {ip}\n", bare(&record.name)))
                    }
                    RData::Cname(target) => out.push_str(&format!(
                        "{}\tcanonical name = {}\n",
                        bare(&record.name),
                        bare(target)
                    )),
                    _ => {}
                }
            }
            out.push('\n');
        }
    }
    out
}

/// The answer as the cluster picture writes it, a line each: the status, then every record's
/// type and data, CNAME-followed chains included (`NOERROR`, `A 10.244.1.4`, `A 10.244.2.3`;
/// `NOERROR`, `CNAME my.database.example.com.`; `NXDOMAIN`), at most [`ANSWER_LINES`] records
/// and then how many more.
pub fn answer_lines(resolution: &Resolution) -> Vec<String> {
    let Some(response) = resolution.result() else {
        return vec!["no answer".to_owned()];
    };
    let mut lines = vec![response.status().to_owned()];
    for record in response.answer.iter().take(ANSWER_LINES) {
        lines.push(format!("{} {}", record.type_name(), record.rdata()));
    }
    if response.answer.len() > ANSWER_LINES {
        lines.push(format!("(+{} more)", response.answer.len() - ANSWER_LINES));
    }
    lines
}

/// How many records the picture lists before it says how many more there are.
pub const ANSWER_LINES: usize = 8;
