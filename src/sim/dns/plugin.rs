//! Cluster DNS as CoreDNS's `kubernetes` plugin answers it (coredns `plugin/kubernetes`,
//! `plugin/backend_lookup.go`), following the Kubernetes DNS specification (kubernetes/dns
//! `docs/specification.md`), with kubeadm's Corefile around it: the plugin serves the cluster
//! zone and the reverse zones, falls through to `forward` for reverse names it does not know
//! (`fallthrough in-addr.arpa ip6.arpa`), and everything else is forwarded upstream.
//!
//! Answers are built from the same objects CoreDNS watches: Services, EndpointSlices (only
//! endpoints whose `ready` condition is true, as CoreDNS's `EndpointSliceToEndpoints` keeps
//! them), Pods (for `pods verified`) and Namespaces. Names outside the served zones are not
//! answered: the response says they were forwarded upstream.
//!
//! Deterministic differences from a live CoreDNS, on purpose: record order is the endpoint
//! order (CoreDNS's `loadbalance` plugin shuffles A records per answer), and the SOA serial is
//! [`SOA_SERIAL`] (CoreDNS uses the Unix time of the last change it saw; the model has no clock).

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr};

use crate::sim::config::{ClusterConfig, StableMap};
use crate::sim::control::apiserver::is_headless;
use crate::sim::control::cluster::Cluster;
use crate::sim::input::objects::Service;

/// The TXT answer of `dns-version.<zone>` (CoreDNS's `DNSSchemaVersion`; spec section 2.1).
pub const DNS_SCHEMA_VERSION: &str = "1.1.0";
/// The TTL of the `dns-version` TXT record (CoreDNS hard-codes 28800).
pub const DNS_VERSION_TTL: u32 = 28800;
/// The SOA serial the model uses in place of CoreDNS's last-modification Unix time.
pub const SOA_SERIAL: u32 = 1_700_000_000;

/// The `pods` option of the `kubernetes` plugin.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PodsMode {
    /// `pods disabled`: no `pod.<zone>` records.
    Disabled,
    /// `pods insecure` (kubeadm's Corefile): any IP-shaped name in an existing namespace.
    #[default]
    Insecure,
    /// `pods verified`: only names of pod IPs that exist in that namespace.
    Verified,
}

/// The `kubernetes` plugin's options, as a Corefile sets them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DnsOptions {
    /// The cluster zone, without the trailing dot (`cluster.local`).
    pub zone: String,
    /// `ttl` (the plugin's default is 5; kubeadm's Corefile sets 30).
    pub ttl: u32,
    /// `pods`.
    pub pods: PodsMode,
    /// `endpoint_pod_names`.
    pub endpoint_pod_names: bool,
    /// `ignore empty_service`.
    pub ignore_empty_service: bool,
    /// `namespaces`: when not empty, only these are exposed.
    pub namespaces: Vec<String>,
    /// The reverse zones the plugin serves (kubeadm: `in-addr.arpa ip6.arpa`).
    pub reverse_zones: Vec<String>,
    /// `fallthrough in-addr.arpa ip6.arpa` (kubeadm's Corefile): a reverse name the plugin
    /// does not know goes on to `forward`; without it, NXDOMAIN with the reverse zone's SOA.
    pub fallthrough: bool,
}

impl DnsOptions {
    /// The plugin as kubeadm's Corefile sets it up for a cluster of `config` (its domain), with
    /// the plugin's own defaults for the rest (`ttl` 5, `pods insecure`, both reverse zones).
    pub fn for_cluster(config: &ClusterConfig) -> DnsOptions {
        DnsOptions {
            zone: config.cluster_domain.clone(),
            ..DnsOptions::default()
        }
    }
}

impl Default for DnsOptions {
    /// [`DnsOptions::for_cluster`] of the default cluster (`cluster.local`).
    fn default() -> Self {
        DnsOptions {
            zone: ClusterConfig::default().cluster_domain,
            ttl: 5,
            pods: PodsMode::Insecure,
            endpoint_pod_names: false,
            ignore_empty_service: false,
            namespaces: Vec::new(),
            reverse_zones: vec!["in-addr.arpa".to_owned(), "ip6.arpa".to_owned()],
            fallthrough: true,
        }
    }
}

/// A question type. (The page's questions carry it by name, so that the page's module holds
/// none of its code but the menu's.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum QType {
    /// IPv4 address.
    A,
    /// IPv6 address.
    Aaaa,
    /// Service location.
    Srv,
    /// Reverse pointer.
    Ptr,
    /// Alias.
    Cname,
    /// Text.
    Txt,
    /// Start of authority.
    Soa,
    /// Name server.
    Ns,
    /// Any type.
    Any,
    /// Any other type, by its code: MX (15), HINFO (13), CAA (257), `TYPE65`, AXFR (252)...
    /// The plugin answers them all without records (handler.go's `default` branch, and
    /// `plugin.MX`, which only answers Services marked for mail, which Kubernetes Services
    /// never are), except AXFR and IXFR, which it refuses.
    Other(u16),
}

/// Type mnemonics as `dig` (BIND 9.18) reads and prints them, by code: the ones people ask
/// for. Any other code is `TYPEn` (RFC 3597), which dig reads and prints too.
const MNEMONICS: &[(u16, &str)] = &[
    (1, "A"),
    (2, "NS"),
    (5, "CNAME"),
    (6, "SOA"),
    (12, "PTR"),
    (13, "HINFO"),
    (15, "MX"),
    (16, "TXT"),
    (28, "AAAA"),
    (29, "LOC"),
    (33, "SRV"),
    (35, "NAPTR"),
    (39, "DNAME"),
    (43, "DS"),
    (46, "RRSIG"),
    (47, "NSEC"),
    (48, "DNSKEY"),
    (52, "TLSA"),
    (64, "SVCB"),
    (65, "HTTPS"),
    (99, "SPF"),
    (251, "IXFR"),
    (252, "AXFR"),
    (255, "ANY"),
    (256, "URI"),
    (257, "CAA"),
];

impl QType {
    /// All types, in the order the CLI lists them.
    pub const ALL: [QType; 9] = [
        QType::A,
        QType::Aaaa,
        QType::Srv,
        QType::Ptr,
        QType::Cname,
        QType::Txt,
        QType::Soa,
        QType::Ns,
        QType::Any,
    ];

    /// The mnemonic of a type of [`QType::ALL`] (`A`, `AAAA`, ...), which the page's menu
    /// lists; [`QType::name`] names every type.
    pub fn as_str(self) -> &'static str {
        match self {
            QType::A => "A",
            QType::Aaaa => "AAAA",
            QType::Srv => "SRV",
            QType::Ptr => "PTR",
            QType::Cname => "CNAME",
            QType::Txt => "TXT",
            QType::Soa => "SOA",
            QType::Ns => "NS",
            QType::Any | QType::Other(_) => "ANY",
        }
    }

    /// Parses a mnemonic of [`QType::ALL`], case-insensitively.
    pub fn parse(text: &str) -> Option<QType> {
        QType::ALL
            .into_iter()
            .find(|qtype| qtype.as_str().eq_ignore_ascii_case(text))
    }

    /// The type's code on the wire.
    pub fn code(self) -> u16 {
        match self {
            QType::A => 1,
            QType::Aaaa => 28,
            QType::Srv => 33,
            QType::Ptr => 12,
            QType::Cname => 5,
            QType::Txt => 16,
            QType::Soa => 6,
            QType::Ns => 2,
            QType::Any => 255,
            QType::Other(code) => code,
        }
    }

    /// The type of a code on the wire.
    pub fn from_code(code: u16) -> QType {
        QType::ALL
            .into_iter()
            .find(|qtype| qtype.code() == code)
            .unwrap_or(QType::Other(code))
    }

    /// Parses any type as `dig` reads one: a mnemonic (case-insensitively) or `TYPEn`.
    pub fn parse_any(text: &str) -> Option<QType> {
        if let Some((code, _)) = MNEMONICS
            .iter()
            .find(|(_, mnemonic)| mnemonic.eq_ignore_ascii_case(text))
        {
            return Some(QType::from_code(*code));
        }
        let digits = text
            .get(..4)
            .filter(|prefix| prefix.eq_ignore_ascii_case("TYPE"))
            .and_then(|_| text.get(4..))?;
        if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
            return None;
        }
        digits.parse::<u16>().ok().map(QType::from_code)
    }

    /// The type's name as `dig` prints it: its mnemonic, or `TYPEn`.
    pub fn name(self) -> Cow<'static, str> {
        let code = self.code();
        match MNEMONICS.iter().find(|(known, _)| *known == code) {
            Some((_, mnemonic)) => Cow::Borrowed(*mnemonic),
            None => Cow::Owned(format!("TYPE{code}")),
        }
    }

    /// A zone transfer (AXFR, IXFR), which the plugin refuses.
    pub fn is_transfer(self) -> bool {
        matches!(self, QType::Other(251 | 252))
    }
}

/// A record's data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RData {
    /// `A`.
    A(Ipv4Addr),
    /// `AAAA` (kept as text: the model's addresses are IPv4, user endpoints may not be).
    Aaaa(String),
    /// `CNAME` target (absolute).
    Cname(String),
    /// `SRV`.
    Srv {
        /// Priority.
        priority: u16,
        /// Weight.
        weight: u16,
        /// Port.
        port: u16,
        /// Target (absolute).
        target: String,
    },
    /// `PTR` target (absolute).
    Ptr(String),
    /// `TXT` string.
    Txt(String),
    /// `SOA`.
    Soa {
        /// Primary name server.
        mname: String,
        /// Responsible mailbox.
        rname: String,
        /// Serial.
        serial: u32,
        /// Refresh.
        refresh: u32,
        /// Retry.
        retry: u32,
        /// Expire.
        expire: u32,
        /// Minimum (negative-caching) TTL.
        minimum: u32,
    },
    /// `NS` target (absolute).
    Ns(String),
}

/// A resource record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// Owner name (absolute, with the trailing dot).
    pub name: String,
    /// TTL in seconds.
    pub ttl: u32,
    /// Data.
    pub data: RData,
}

impl Record {
    /// The type mnemonic.
    pub fn type_name(&self) -> &'static str {
        match self.data {
            RData::A(_) => "A",
            RData::Aaaa(_) => "AAAA",
            RData::Cname(_) => "CNAME",
            RData::Srv { .. } => "SRV",
            RData::Ptr(_) => "PTR",
            RData::Txt(_) => "TXT",
            RData::Soa { .. } => "SOA",
            RData::Ns(_) => "NS",
        }
    }

    /// The data in zone-file presentation (`10 100 80 web.default.svc.cluster.local.`).
    pub fn rdata(&self) -> String {
        match &self.data {
            RData::A(ip) => ip.to_string(),
            RData::Aaaa(ip) => ip.clone(),
            RData::Cname(target) | RData::Ptr(target) | RData::Ns(target) => target.clone(),
            RData::Srv {
                priority,
                weight,
                port,
                target,
            } => format!("{priority} {weight} {port} {target}"),
            RData::Txt(text) => format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\"")),
            RData::Soa {
                mname,
                rname,
                serial,
                refresh,
                retry,
                expire,
                minimum,
            } => format!("{mname} {rname} {serial} {refresh} {retry} {expire} {minimum}"),
        }
    }
}

impl fmt::Display for Record {
    /// Zone-file presentation with single spaces: `name. 5 IN A 10.96.0.10`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{} {} IN {} {}",
            self.name,
            self.ttl,
            self.type_name(),
            self.rdata()
        )
    }
}

/// How the query ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rcode {
    /// NOERROR (with or without records: no records is NODATA).
    NoError,
    /// NXDOMAIN: the name does not exist.
    NxDomain,
    /// REFUSED: a zone transfer, which the plugin refuses (handler.go).
    Refused,
}

impl Rcode {
    /// `NOERROR`, `NXDOMAIN` or `REFUSED`.
    pub fn as_str(self) -> &'static str {
        match self {
            Rcode::NoError => "NOERROR",
            Rcode::NxDomain => "NXDOMAIN",
            Rcode::Refused => "REFUSED",
        }
    }
}

/// The response to one question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The question name as asked, made absolute (its case kept).
    pub qname: String,
    /// The question type.
    pub qtype: QType,
    /// `None` when CoreDNS forwarded the question upstream (not simulated).
    pub rcode: Option<Rcode>,
    /// Whether the answer is authoritative (every answer of the `kubernetes` plugin is).
    pub authoritative: bool,
    /// Answer section.
    pub answer: Vec<Record>,
    /// Authority section (the zone's SOA for NXDOMAIN and NODATA).
    pub authority: Vec<Record>,
    /// Additional section.
    pub additional: Vec<Record>,
    /// What the model could not answer itself (a forwarded question, or a CNAME whose target
    /// lies outside the cluster).
    pub note: Option<String>,
}

impl Response {
    /// NOERROR with no answer records.
    pub fn is_nodata(&self) -> bool {
        self.rcode == Some(Rcode::NoError) && self.answer.is_empty()
    }

    /// A short status: `NOERROR`, `NODATA`, `NXDOMAIN` or `FORWARDED`.
    pub fn status(&self) -> &'static str {
        match self.rcode {
            None => "FORWARDED",
            Some(Rcode::NoError) if self.answer.is_empty() => "NODATA",
            Some(rcode) => rcode.as_str(),
        }
    }
}

/// An endpoint address as CoreDNS's `object.EndpointAddress` keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Address {
    ip: String,
    hostname: String,
    target_name: String,
}

/// A port of an endpoints object; `port: -1` is CoreDNS's sentinel for a slice without ports.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Port {
    name: String,
    port: i64,
    protocol: String,
}

/// One EndpointSlice as CoreDNS's `object.Endpoints`: its ready addresses and its ports.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Endpoints {
    addresses: Vec<Address>,
    ports: Vec<Port>,
}

/// What CoreDNS found for a name (`msg.Service`): a host (an IP or a name), a port and the
/// path it derives target names from.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Found<'a> {
    host: Cow<'a, str>,
    port: i64,
    domain: Domain<'a>,
}

/// The domain `msg.Domain(key)` gives a found item, rendered only when a record needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Domain<'a> {
    /// `service.namespace.svc.zone.`
    Service {
        service: &'a str,
        namespace: &'a str,
    },
    /// `hostname.service.namespace.svc.zone.`
    Endpoint {
        address: &'a Address,
        service: &'a str,
        namespace: &'a str,
    },
    /// A name as it stands.
    Name(Cow<'a, str>),
}

/// Why a lookup found nothing: CoreDNS's `errNoItems`/`errNsNotExposed`/`errInvalidRequest`
/// (all name errors, NXDOMAIN).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct NameError;

/// CoreDNS's `recordRequest`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Request<'n> {
    port: &'n str,
    protocol: &'n str,
    endpoint: &'n str,
    service: &'n str,
    namespace: &'n str,
    pod_or_svc: &'n str,
}

/// The DNS server: CoreDNS's view of a cluster.
#[derive(Clone, Debug)]
pub struct Dns {
    options: DnsOptions,
    /// The zone, lower case, with the trailing dot.
    zone: String,
    reverse_zones: Vec<String>,
    /// Services by namespace, then name (lower case).
    services: StableMap<String, StableMap<String, DnsService>>,
    /// EndpointSlices as CoreDNS's endpoints objects, by namespace, then Service name.
    endpoints: StableMap<String, StableMap<String, Vec<Endpoints>>>,
    pod_ips: BTreeSet<(String, String)>,
    namespaces: BTreeSet<String>,
    /// The ClusterIPs of the Services whose endpoints are CoreDNS's own pods (`kube-dns`).
    nameservers: Vec<String>,
    /// Every address's Services and endpoints, for PTR questions: built by the first one.
    reverse: std::sync::OnceLock<ReverseIndex>,
}

/// What PTR questions look up (CoreDNS's `Reverse` searches its index by IP too): each address's
/// Services and endpoints, in the order the maps are walked.
#[derive(Clone, Debug, Default)]
struct ReverseIndex {
    /// IP -> the (namespace, name) keys of the Services with that ClusterIP.
    services: StableMap<String, Vec<(String, String)>>,
    /// IP -> (namespace, Service, slice, address) positions in `Dns::endpoints`.
    endpoints: StableMap<String, Vec<(String, String, usize, usize)>>,
}

fn absolute(name: &str) -> String {
    if name.ends_with('.') {
        name.to_owned()
    } else {
        format!("{name}.")
    }
}

/// `name` is `zone` or below it (both absolute, lower case).
fn in_zone(name: &str, zone: &str) -> bool {
    zone == "."
        || name
            .strip_suffix(zone)
            .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
}

/// What the plugin keeps of a Service: CoreDNS's `object.Service`
/// (plugin/kubernetes/object/service.go, `ToService`), not the whole API object. A server that
/// runs for long holds only this (issue 18: 10,000 Services took 4 KB each as whole objects).
#[derive(Clone, Debug, PartialEq, Eq)]
struct DnsService {
    name: String,
    namespace: String,
    /// `type: ExternalName`: its `externalName` (empty when unset).
    external_name: Option<String>,
    /// `clusterIP: None`.
    headless: bool,
    /// The ClusterIPs ([`service_ips`]; none when headless).
    ips: Vec<String>,
    /// `spec.ports`: name, protocol (`TCP` when unset), port.
    ports: Vec<Port>,
}

impl DnsService {
    fn of(service: &Service) -> DnsService {
        DnsService {
            name: service.meta.name.clone(),
            namespace: service.meta.namespace.clone(),
            external_name: (service.spec.type_.as_deref() == Some("ExternalName"))
                .then(|| service.spec.external_name.clone().unwrap_or_default()),
            headless: is_headless(&service.spec),
            ips: service_ips(service)
                .into_iter()
                .map(str::to_owned)
                .collect(),
            ports: service
                .spec
                .ports
                .iter()
                .map(|port| Port {
                    name: port.name.clone().unwrap_or_default(),
                    protocol: port.protocol.clone().unwrap_or_else(|| "TCP".to_owned()),
                    port: port.port.unwrap_or(0),
                })
                .collect(),
        }
    }
}

fn service_ips(service: &Service) -> Vec<&str> {
    if is_headless(&service.spec) {
        return Vec::new();
    }
    if !service.spec.cluster_ips.is_empty() {
        return service
            .spec
            .cluster_ips
            .iter()
            .map(String::as_str)
            .collect();
    }
    service
        .spec
        .cluster_ip
        .as_deref()
        .filter(|ip| !ip.is_empty() && *ip != "None")
        .into_iter()
        .collect()
}

impl Dns {
    /// CoreDNS as the cluster runs it ([`DnsOptions::for_cluster`]).
    pub fn for_cluster(cluster: &Cluster) -> Dns {
        Dns::new(cluster, DnsOptions::for_cluster(&cluster.config))
    }

    /// CoreDNS's view of `cluster`, served with `options`.
    pub fn new(cluster: &Cluster, options: DnsOptions) -> Dns {
        let zone = absolute(&options.zone.to_ascii_lowercase());
        let reverse_zones = options
            .reverse_zones
            .iter()
            .map(|zone| absolute(&zone.to_ascii_lowercase()))
            .collect();
        let mut services: StableMap<String, StableMap<String, DnsService>> = StableMap::default();
        let mut namespaces: BTreeSet<String> = crate::small::order::set_from(
            ["default", "kube-system", "kube-public", "kube-node-lease"].map(str::to_owned),
        );
        for service in &cluster.services {
            namespaces.insert(service.meta.namespace.clone());
            services
                .entry(service.meta.namespace.to_ascii_lowercase())
                .or_default()
                .insert(
                    service.meta.name.to_ascii_lowercase(),
                    DnsService::of(service),
                );
        }
        let mut endpoints: StableMap<String, StableMap<String, Vec<Endpoints>>> =
            StableMap::default();
        for slice in &cluster.endpoint_slices {
            let addresses = slice
                .endpoints
                .iter()
                .filter(|endpoint| endpoint.ready)
                .flat_map(|endpoint| {
                    endpoint.addresses.iter().map(|ip| Address {
                        ip: ip.clone(),
                        hostname: endpoint.hostname.clone().unwrap_or_default(),
                        // CoreDNS ignores pod names too long to be a label.
                        target_name: endpoint
                            .target_ref
                            .as_ref()
                            .map(|target| target.name.clone())
                            .filter(|name| name.len() < 64)
                            .unwrap_or_default(),
                    })
                })
                .collect();
            let mut ports: Vec<Port> = slice
                .ports
                .iter()
                .map(|port| Port {
                    name: port.name.clone(),
                    port: port.port,
                    protocol: port.protocol.clone(),
                })
                .collect();
            if ports.is_empty() {
                ports.push(Port {
                    name: String::new(),
                    port: -1,
                    protocol: String::new(),
                });
            }
            endpoints
                .entry(slice.namespace.to_ascii_lowercase())
                .or_default()
                .entry(slice.service.to_ascii_lowercase())
                .or_default()
                .push(Endpoints { addresses, ports });
        }
        let mut pod_ips = BTreeSet::new();
        for pod in &cluster.pods {
            namespaces.insert(pod.namespace.clone());
            for ip in pod.ips() {
                pod_ips.insert((pod.namespace.to_ascii_lowercase(), ip.to_owned()));
            }
        }
        for object in cluster.objects.iter() {
            if object.kind == "Namespace" && object.decoded.is_some() {
                namespaces.insert(object.name.clone());
            } else if !object.namespace.is_empty() && object.decoded.is_some() {
                // An object exists only in an existing namespace.
                namespaces.insert(object.namespace.clone());
            }
        }
        let namespaces = crate::small::order::set_from(
            namespaces
                .into_iter()
                .map(|namespace| namespace.to_ascii_lowercase()),
        );
        let own_ips: BTreeSet<&String> = crate::small::order::set_from(
            cluster
                .pods
                .iter()
                .filter(|pod| {
                    pod.namespace == "kube-system"
                        && pod.labels.get("k8s-app").map(String::as_str) == Some("kube-dns")
                })
                .flat_map(|pod| [&pod.ip, &pod.secondary_ip])
                .flatten(),
        );
        let fronting: BTreeSet<(String, String)> = crate::small::order::set_from(
            cluster
                .endpoint_slices
                .iter()
                .filter(|slice| {
                    slice
                        .endpoints
                        .iter()
                        .flat_map(|endpoint| &endpoint.addresses)
                        .any(|ip| own_ips.contains(ip))
                })
                .map(|slice| (slice.namespace.clone(), slice.service.clone())),
        );
        let nameservers = cluster
            .services
            .iter()
            .filter(|service| {
                fronting.contains(&(service.meta.namespace.clone(), service.meta.name.clone()))
            })
            .flat_map(service_ips)
            .map(str::to_owned)
            .collect();
        Dns {
            options,
            zone,
            reverse_zones,
            services,
            endpoints,
            pod_ips,
            namespaces,
            nameservers,
            reverse: std::sync::OnceLock::new(),
        }
    }

    /// The reverse index, built on first use.
    fn reverse(&self) -> &ReverseIndex {
        self.reverse.get_or_init(|| {
            let mut index = ReverseIndex::default();
            for (namespace, services) in &self.services {
                for (name, service) in services {
                    for ip in &service.ips {
                        index
                            .services
                            .entry(ip.clone())
                            .or_default()
                            .push((namespace.clone(), name.clone()));
                    }
                }
            }
            for (namespace, services) in &self.endpoints {
                for (service, slices) in services {
                    for (slice_at, slice) in slices.iter().enumerate() {
                        for (address_at, address) in slice.addresses.iter().enumerate() {
                            index
                                .endpoints
                                .entry(address.ip.clone())
                                .or_default()
                                .push((namespace.clone(), service.clone(), slice_at, address_at));
                        }
                    }
                }
            }
            index
        })
    }

    /// The options this server runs with.
    pub fn options(&self) -> &DnsOptions {
        &self.options
    }

    /// The cluster zone, absolute and lower case (`cluster.local.`).
    pub fn zone(&self) -> &str {
        &self.zone
    }

    /// Whether `name` (absolute, any case) is answered by the `kubernetes` plugin rather than
    /// forwarded: it lies in the cluster zone or in a served reverse zone.
    pub fn serves(&self, name: &str) -> bool {
        self.matching_zone(&absolute(&name.to_ascii_lowercase()))
            .is_some()
    }

    /// The longest served zone `name` falls in (`plugin.Zones.Matches`).
    fn matching_zone(&self, name: &str) -> Option<&str> {
        std::iter::once(&self.zone)
            .chain(&self.reverse_zones)
            .filter(|zone| in_zone(name, zone))
            .max_by_key(|zone| zone.len())
            .map(String::as_str)
    }

    /// Answers `qname` (absolute or not: it is asked as given, made absolute) for `qtype`.
    pub fn query(&self, qname: &str, qtype: QType) -> Response {
        let asked = absolute(qname);
        let name: Cow<str> = if asked.bytes().any(|byte| byte.is_ascii_uppercase()) {
            Cow::Owned(asked.to_ascii_lowercase())
        } else {
            Cow::Borrowed(asked.as_str())
        };
        let response = |asked: &str| Response {
            qname: asked.to_owned(),
            qtype,
            rcode: Some(Rcode::NoError),
            authoritative: true,
            answer: Vec::new(),
            authority: Vec::new(),
            additional: Vec::new(),
            note: None,
        };
        let Some(zone) = self.matching_zone(&name) else {
            return forwarded(response(&asked), &name);
        };
        // handler.go: `zone = qname[len(qname)-len(zone):] // maintain case of original query`;
        // the names the answer makes (the SOA, SRV targets and their glue, NS) spell it so.
        let spelled = asked
            .len()
            .checked_sub(zone.len())
            .and_then(|at| asked.get(at..))
            .unwrap_or(zone);
        let reverse = zone != self.zone;
        if qtype.is_transfer() {
            // handler.go: `case dns.TypeAXFR, dns.TypeIXFR: return dns.RcodeRefused, nil`; the
            // server then writes a bare REFUSED (dnsserver's `errorFunc`), not authoritative.
            let mut refused = response(&asked);
            refused.rcode = Some(Rcode::Refused);
            refused.authoritative = false;
            return refused;
        }
        let mut notes = Vec::new();
        let result: Result<(Vec<Record>, Vec<Record>), NameError> = match qtype {
            QType::A => self
                .address(&name, &asked, zone, true, &mut Vec::new(), &mut notes)
                .map(|records| (records, Vec::new())),
            QType::Aaaa => self
                .address(&name, &asked, zone, false, &mut Vec::new(), &mut notes)
                .map(|records| (records, Vec::new())),
            QType::Txt => self
                .txt(&name, &asked, zone)
                .map(|records| (records, Vec::new())),
            QType::Cname => self
                .cname(&name, &asked, zone)
                .map(|records| (records, Vec::new())),
            QType::Ptr => self
                .ptr(&name, &asked, zone)
                .map(|records| (records, Vec::new())),
            QType::Srv => self.srv(&name, &asked, zone, spelled),
            QType::Soa => Ok((
                if name == zone {
                    vec![self.soa(spelled)]
                } else {
                    Vec::new()
                },
                Vec::new(),
            )),
            QType::Ns if name == zone => Ok(self.ns(spelled)),
            QType::Ns | QType::Any | QType::Other(_) => {
                // A fake A lookup tells NODATA from NXDOMAIN.
                self.address(&name, &asked, zone, true, &mut Vec::new(), &mut Vec::new())
                    .map(|_| (Vec::new(), Vec::new()))
            }
        };
        let mut response = response(&asked);
        match result {
            Err(NameError) if reverse && self.options.fallthrough => {
                // kubeadm's `fallthrough in-addr.arpa ip6.arpa`: unknown reverse names go on
                // to `forward`.
                forwarded(response, &name)
            }
            Err(NameError) => {
                response.rcode = Some(Rcode::NxDomain);
                response.authority = vec![self.soa(spelled)];
                response
            }
            Ok((answer, additional)) => {
                if answer.is_empty() {
                    response.authority = vec![self.soa(spelled)];
                } else {
                    response.answer = answer;
                    response.additional = additional;
                }
                if !notes.is_empty() {
                    response.note = Some(notes.join("; "));
                }
                response
            }
        }
    }

    /// The zone's SOA (`plugin.SOA`): TTL min(ttl, 300), minimum = ttl.
    fn soa(&self, zone: &str) -> Record {
        let ttl = self.options.ttl;
        Record {
            name: zone.to_owned(),
            ttl: ttl.min(300),
            data: RData::Soa {
                mname: format!("ns.dns.{zone}"),
                rname: format!("hostmaster.{zone}"),
                serial: SOA_SERIAL,
                refresh: 7200,
                retry: 1800,
                expire: 86400,
                minimum: ttl,
            },
        }
    }

    /// The apex NS record and the address of `ns.dns.<zone>` (CoreDNS's `nsAddrs`: the
    /// ClusterIPs of the Services that front CoreDNS's own pods).
    fn ns(&self, zone: &str) -> (Vec<Record>, Vec<Record>) {
        let target = format!("ns.dns.{zone}");
        let answer = vec![Record {
            name: zone.to_owned(),
            ttl: self.options.ttl,
            data: RData::Ns(target.clone()),
        }];
        // nsAddrs: an A record for each IPv4 address, an AAAA record for each IPv6 one.
        let additional = self
            .nameservers
            .iter()
            .filter_map(|ip| match ip.parse::<IpAddr>().ok()? {
                IpAddr::V4(ip) => Some(RData::A(ip)),
                IpAddr::V6(ip) => Some(RData::Aaaa(ip.to_string())),
            })
            .map(|data| Record {
                name: target.clone(),
                ttl: self.options.ttl,
                data,
            })
            .collect();
        (answer, additional)
    }

    fn namespace_exposed(&self, namespace: &str) -> bool {
        let configured = self.options.namespaces.is_empty()
            || self
                .options
                .namespaces
                .iter()
                .any(|exposed| exposed.eq_ignore_ascii_case(namespace));
        configured && self.namespaces.contains(namespace)
    }

    /// CoreDNS's `parseRequest`.
    fn parse_request<'n>(&self, name: &'n str, zone: &str) -> Result<Request<'n>, NameError> {
        let base = name
            .strip_suffix(zone)
            .unwrap_or_default()
            .trim_end_matches('.');
        let mut request = Request::default();
        if base.is_empty() || base == "svc" || base == "pod" {
            return Ok(request);
        }
        let mut segments = base.rsplit('.');
        let Some(kind) = segments.next() else {
            return Ok(request);
        };
        if kind != "svc" && kind != "pod" {
            return Err(NameError);
        }
        request.pod_or_svc = kind;
        let Some(namespace) = segments.next() else {
            return Ok(request);
        };
        request.namespace = namespace;
        let Some(service) = segments.next() else {
            return Ok(request);
        };
        request.service = service;
        match (segments.next(), segments.next(), segments.next()) {
            (None, _, _) => {}
            (Some(endpoint), None, _) => request.endpoint = endpoint,
            (Some(protocol), Some(port), None) => {
                request.port = port.strip_prefix('_').unwrap_or(port);
                request.protocol = protocol.strip_prefix('_').unwrap_or(protocol);
            }
            _ => return Err(NameError),
        }
        Ok(request)
    }

    /// CoreDNS's `Services` (the `kubernetes` plugin's backend lookup) for address-like
    /// questions: `ns.dns.<zone>`, then `Records`.
    fn records<'a>(&'a self, name: &'a str, zone: &'a str) -> Result<Vec<Found<'a>>, NameError> {
        if name.strip_prefix("ns.dns.") == Some(zone) {
            return Ok(self
                .nameservers
                .iter()
                .map(|ip| Found {
                    host: Cow::Borrowed(ip.as_str()),
                    port: 0,
                    domain: Domain::Name(Cow::Borrowed(name)),
                })
                .collect());
        }
        let request = self.parse_request(name, zone)?;
        if request.pod_or_svc.is_empty() {
            return Ok(Vec::new());
        }
        if zone != self.zone {
            return Err(NameError);
        }
        if !self.namespace_exposed(request.namespace) {
            return Err(NameError);
        }
        if request.pod_or_svc == "pod" {
            return self.find_pods(&request, zone);
        }
        self.find_services(&request)
    }

    /// CoreDNS's `findPods`.
    fn find_pods<'a>(
        &'a self,
        request: &Request<'a>,
        zone: &str,
    ) -> Result<Vec<Found<'a>>, NameError> {
        if self.options.pods == PodsMode::Disabled {
            return Err(NameError);
        }
        let pod = request.service;
        if pod.is_empty() {
            return Ok(Vec::new());
        }
        let ip = if pod.matches('-').count() == 3 && !pod.contains("--") {
            pod.replace('-', ".")
        } else {
            pod.replace('-', ":")
        };
        let domain = format!("{pod}.{}.pod.{zone}", request.namespace);
        let found = Found {
            host: Cow::Owned(ip.clone()),
            port: 0,
            domain: Domain::Name(Cow::Owned(domain)),
        };
        match self.options.pods {
            PodsMode::Insecure if ip.parse::<IpAddr>().is_ok() => Ok(vec![found]),
            PodsMode::Verified
                if self
                    .pod_ips
                    .contains(&(request.namespace.to_owned(), ip.clone())) =>
            {
                Ok(vec![found])
            }
            _ => Err(NameError),
        }
    }

    /// CoreDNS's `findServices`.
    fn find_services<'a>(&'a self, request: &Request<'a>) -> Result<Vec<Found<'a>>, NameError> {
        if request.service.is_empty() {
            return Ok(Vec::new());
        }
        let Some(service) = self
            .services
            .get(request.namespace)
            .and_then(|services| services.get(request.service))
        else {
            return Err(NameError);
        };
        let slices = self
            .endpoints
            .get(request.namespace)
            .and_then(|services| services.get(request.service))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let external = service.external_name.is_some();
        let headless = service.headless && !external;
        if self.options.ignore_empty_service && !external && !headless {
            let count: usize = slices.iter().map(|slice| slice.addresses.len()).sum();
            if count == 0 {
                return Err(NameError);
            }
        }
        let service_domain = Domain::Service {
            service: request.service,
            namespace: request.namespace,
        };
        let mut found = Vec::new();
        if external {
            // findServices: "External services do not have endpoints, nor can we accept
            // port/protocol pseudo subdomains in an SRV query".
            if !request.endpoint.is_empty()
                || !request.port.is_empty()
                || !request.protocol.is_empty()
            {
                return Err(NameError);
            }
            let host = service.external_name.as_deref().unwrap_or_default();
            if !host.is_empty() && host.parse::<IpAddr>().is_err() {
                found.push(Found {
                    host: Cow::Borrowed(host),
                    port: 0,
                    domain: service_domain,
                });
                return Ok(found);
            }
            return Err(NameError);
        }
        let port_matches = |name: &str, protocol: &str| {
            (request.port.is_empty() || request.port.eq_ignore_ascii_case(name))
                && (request.protocol.is_empty() || request.protocol.eq_ignore_ascii_case(protocol))
        };
        if headless || !request.endpoint.is_empty() {
            for slice in slices {
                for address in &slice.addresses {
                    if !request.endpoint.is_empty()
                        && !request
                            .endpoint
                            .eq_ignore_ascii_case(&self.endpoint_hostname(address))
                    {
                        continue;
                    }
                    for port in &slice.ports {
                        if !port_matches(&port.name, &port.protocol) {
                            continue;
                        }
                        found.push(Found {
                            host: Cow::Borrowed(address.ip.as_str()),
                            port: port.port,
                            domain: Domain::Endpoint {
                                address,
                                service: request.service,
                                namespace: request.namespace,
                            },
                        });
                    }
                }
            }
            return if found.is_empty() {
                Err(NameError)
            } else {
                Ok(found)
            };
        }
        let mut matched = false;
        for port in &service.ports {
            if !port_matches(&port.name, &port.protocol) {
                continue;
            }
            matched = true;
            for ip in &service.ips {
                found.push(Found {
                    host: Cow::Borrowed(ip.as_str()),
                    port: port.port,
                    domain: service_domain.clone(),
                });
            }
        }
        if matched {
            Ok(found)
        } else {
            Err(NameError)
        }
    }

    /// The absolute name a found item's records are owned by in SRV answers, under the zone
    /// as the question spelled it (the key's `zonePath` is built from `state.Zone`).
    fn render(&self, domain: &Domain, zone: &str) -> String {
        match domain {
            Domain::Service { service, namespace } => {
                format!("{service}.{namespace}.svc.{zone}")
            }
            Domain::Endpoint {
                address,
                service,
                namespace,
            } => format!(
                "{}.{service}.{namespace}.svc.{zone}",
                self.endpoint_hostname(address)
            ),
            Domain::Name(name) => name.to_string(),
        }
    }

    /// CoreDNS's `endpointHostname` (1.12.3 and later: an IPv6 address whose dashed form ends
    /// in `-`, such as `fd00::`, gets a `0` after it, so that the label is a valid one).
    fn endpoint_hostname(&self, address: &Address) -> String {
        if !address.hostname.is_empty() {
            return address.hostname.to_ascii_lowercase();
        }
        if self.options.endpoint_pod_names && !address.target_name.is_empty() {
            return address.target_name.to_ascii_lowercase();
        }
        if address.ip.contains('.') {
            return address.ip.replace('.', "-");
        }
        if address.ip.contains(':') {
            let mut dashed = address.ip.replace(':', "-");
            if dashed.ends_with('-') {
                dashed.push('0');
            }
            return dashed;
        }
        String::new()
    }

    /// `plugin.A` / `plugin.AAAA`: address records, following in-zone CNAMEs (ExternalName
    /// Services) as CoreDNS does, at most 8 deep.
    fn address(
        &self,
        name: &str,
        asked: &str,
        zone: &str,
        v4: bool,
        previous: &mut Vec<Record>,
        notes: &mut Vec<String>,
    ) -> Result<Vec<Record>, NameError> {
        let found = self.records(name, zone)?;
        let mut records: Vec<Record> = Vec::with_capacity(found.len());
        // CoreDNS keeps the first record of each address (`dup`).
        let mut seen = Seen::default();
        for item in &found {
            match item.host.parse::<IpAddr>() {
                Ok(IpAddr::V4(ip)) if v4 => {
                    if seen.insert(&item.host) {
                        records.push(Record {
                            name: asked.to_owned(),
                            ttl: self.options.ttl,
                            data: RData::A(ip),
                        });
                    }
                }
                Ok(IpAddr::V6(_)) if !v4 => {
                    if seen.insert(&item.host) {
                        records.push(Record {
                            name: asked.to_owned(),
                            ttl: self.options.ttl,
                            data: RData::Aaaa(item.host.to_string()),
                        });
                    }
                }
                Ok(_) => {}
                Err(_) => {
                    let target = absolute(&item.host);
                    let target_lower = target.to_ascii_lowercase();
                    if target_lower == name {
                        continue; // x CNAME x is a loop.
                    }
                    let cname = Record {
                        name: asked.to_owned(),
                        ttl: self.options.ttl,
                        data: RData::Cname(target.clone()),
                    };
                    if previous.len() > 7 || previous.contains(&cname) {
                        continue;
                    }
                    if in_zone(&target_lower, zone) {
                        previous.push(cname.clone());
                        if let Ok(next) =
                            self.address(&target_lower, &target, zone, v4, previous, notes)
                        {
                            if !next.is_empty() {
                                records.push(cname);
                                records.extend(next);
                            }
                        }
                        continue;
                    }
                    notes.push(format!(
                        "{target} is outside the cluster zone: CoreDNS asks its upstream \
                         resolver for its records and appends them (not simulated)"
                    ));
                    records.push(cname);
                }
            }
        }
        Ok(records)
    }

    /// TXT: only `dns-version.<zone>`; otherwise NODATA for names that exist.
    fn txt(&self, name: &str, asked: &str, zone: &str) -> Result<Vec<Record>, NameError> {
        if name == format!("dns-version.{zone}") && zone == self.zone {
            return Ok(vec![Record {
                name: asked.to_owned(),
                ttl: DNS_VERSION_TTL,
                data: RData::Txt(DNS_SCHEMA_VERSION.to_owned()),
            }]);
        }
        let found = self.records(name, zone).unwrap_or_default();
        if found.is_empty() {
            Err(NameError)
        } else {
            Ok(Vec::new())
        }
    }

    /// `plugin.CNAME`: the first record's host, when it is a name.
    fn cname(&self, name: &str, asked: &str, zone: &str) -> Result<Vec<Record>, NameError> {
        let found = self.records(name, zone)?;
        Ok(found
            .first()
            .filter(|item| item.host.parse::<IpAddr>().is_err())
            .map(|item| Record {
                name: asked.to_owned(),
                ttl: self.options.ttl,
                data: RData::Cname(absolute(&item.host)),
            })
            .into_iter()
            .collect())
    }

    /// `plugin.PTR` over CoreDNS's `Reverse`: a Service's ClusterIP first, else every
    /// endpoint with that address (of any Service, headless or not).
    fn ptr(&self, name: &str, asked: &str, zone: &str) -> Result<Vec<Record>, NameError> {
        let Some(ip) = address_from_reverse(name) else {
            self.records(name, zone)?;
            return Ok(Vec::new());
        };
        let exposed = |namespace: &str| {
            self.options.namespaces.is_empty() || self.namespace_exposed(namespace)
        };
        let mut targets: Vec<String> = Vec::new();
        let reverse = self.reverse();
        let service = reverse
            .services
            .get(&ip)
            .into_iter()
            .flatten()
            .filter_map(|(namespace, name)| self.services.get(namespace)?.get(name))
            .find(|service| exposed(&service.namespace));
        if let Some(service) = service {
            targets.push(format!(
                "{}.{}.svc.{}",
                service.name, service.namespace, self.zone
            ));
        }
        if targets.is_empty() {
            let at_ip = reverse.endpoints.get(&ip).into_iter().flatten();
            for (namespace, service, slice_at, address_at) in at_ip {
                if !exposed(namespace) {
                    continue;
                }
                let Some(address) = self
                    .endpoints
                    .get(namespace)
                    .and_then(|services| services.get(service))
                    .and_then(|slices| slices.get(*slice_at))
                    .and_then(|slice| slice.addresses.get(*address_at))
                else {
                    continue;
                };
                let target = format!(
                    "{}.{service}.{namespace}.svc.{}",
                    self.endpoint_hostname(address),
                    self.zone
                );
                if !targets.contains(&target) {
                    targets.push(target);
                }
            }
        }
        if targets.is_empty() {
            return Err(NameError);
        }
        // CoreDNS lists them in its index's order; the model sorts them.
        crate::small::order::sort(&mut targets);
        Ok(targets
            .into_iter()
            .map(|target| Record {
                name: asked.to_owned(),
                ttl: self.options.ttl,
                data: RData::Ptr(target),
            })
            .collect())
    }

    /// `plugin.SRV`: weights 100/n (floored, at least 1) over all n records of priority 0,
    /// targets named after the Service (ClusterIP) or the endpoint (headless), their
    /// addresses in the additional section. ExternalName Services have no SRV records.
    fn srv(
        &self,
        name: &str,
        asked: &str,
        zone: &str,
        spelled: &str,
    ) -> Result<(Vec<Record>, Vec<Record>), NameError> {
        let found: Vec<Found> = self
            .records(name, zone)?
            .into_iter()
            .filter(|item| item.host.parse::<IpAddr>().is_ok())
            .collect();
        let total = 100 * found.len().max(1);
        let weight = ((100.0 / total as f64) * 100.0).floor().max(1.0) as u16;
        let mut records = Vec::new();
        let mut additional = Vec::new();
        let mut seen_targets = BTreeSet::new();
        let mut seen_addresses = BTreeSet::new();
        for item in found {
            let Ok(port) = u16::try_from(item.port) else {
                continue; // the -1 sentinel of a slice without ports
            };
            let target = self.render(&item.domain, spelled);
            if seen_targets.insert((target.clone(), port)) {
                records.push(Record {
                    name: asked.to_owned(),
                    ttl: self.options.ttl,
                    data: RData::Srv {
                        priority: 0,
                        weight,
                        port,
                        target: target.clone(),
                    },
                });
            }
            if seen_addresses.insert((target.clone(), item.host.to_string())) {
                let data = match item.host.parse::<IpAddr>() {
                    Ok(IpAddr::V4(ip)) => RData::A(ip),
                    _ => RData::Aaaa(item.host.to_string()),
                };
                additional.push(Record {
                    name: target,
                    ttl: self.options.ttl,
                    data,
                });
            }
        }
        Ok((records, additional))
    }
}

/// The addresses already answered: a short inline list (no allocation), a set once it grows.
#[derive(Default)]
struct Seen<'a> {
    few: [&'a str; 8],
    count: usize,
    many: BTreeSet<&'a str>,
}

impl<'a> Seen<'a> {
    /// Records `host`; false when it was already there.
    fn insert(&mut self, host: &'a str) -> bool {
        if self.many.is_empty() {
            let known = self.few.get(..self.count).unwrap_or(&[]);
            if known.contains(&host) {
                return false;
            }
            if let Some(slot) = self.few.get_mut(self.count) {
                *slot = host;
                self.count += 1;
                return true;
            }
            self.many.extend(self.few.iter().copied());
        }
        self.many.insert(host)
    }
}

fn forwarded(mut response: Response, name: &str) -> Response {
    response.rcode = None;
    response.authoritative = false;
    response.note = Some(format!(
        "{name} is not in a zone the kubernetes plugin serves: CoreDNS forwards it upstream \
         (`forward . /etc/resolv.conf`); svcscope does not invent the answer"
    ));
    response
}

/// The address a reverse name stands for (`dnsutil.ExtractAddressFromReverse`): four labels
/// under `in-addr.arpa.` or 32 nibbles under `ip6.arpa.`; `None` otherwise.
pub fn address_from_reverse(name: &str) -> Option<String> {
    let name = name.trim_end_matches('.');
    if let Some(labels) = name.strip_suffix(".in-addr.arpa") {
        let octets: Vec<&str> = labels.split('.').collect();
        if octets.len() != 4 {
            return None;
        }
        let text = octets.iter().rev().copied().collect::<Vec<_>>().join(".");
        return text.parse::<Ipv4Addr>().ok().map(|ip| ip.to_string());
    }
    if let Some(labels) = name.strip_suffix(".ip6.arpa") {
        let nibbles: Vec<&str> = labels.split('.').collect();
        if nibbles.len() != 32 || nibbles.iter().any(|nibble| nibble.len() != 1) {
            return None;
        }
        let mut groups = [0u16; 8];
        for (index, nibble) in nibbles.iter().rev().enumerate() {
            let digit = u16::from_str_radix(nibble, 16).ok()?;
            let group = groups.get_mut(index / 4)?;
            *group = (*group << 4) | digit;
        }
        return Some(go_ipv6_string(groups));
    }
    None
}

/// Go's `net.IP.String` of a 16-byte address: an IPv4-mapped address (`::ffff:a.b.c.d`) in
/// dotted form, anything else as RFC 5952 text (lowercase, no leading zeros, the first longest
/// run of two or more zero groups as `::`), as `netip.Addr.string6` writes it.
pub fn go_ipv6_string(groups: [u16; 8]) -> String {
    use std::fmt::Write;
    if let [0, 0, 0, 0, 0, 0xffff, high, low] = groups {
        return format!("{}.{}.{}.{}", high >> 8, high & 0xff, low >> 8, low & 0xff);
    }
    // The first longest run of zero groups, if it is at least two long.
    let (mut best_start, mut best_len, mut run_start, mut run_len) = (8, 0, 0, 0);
    for (index, group) in groups.iter().enumerate() {
        if *group == 0 {
            if run_len == 0 {
                run_start = index;
            }
            run_len += 1;
            if run_len > best_len {
                (best_start, best_len) = (run_start, run_len);
            }
        } else {
            run_len = 0;
        }
    }
    if best_len < 2 {
        best_start = 8;
    }
    let mut out = String::with_capacity(39);
    let mut index = 0;
    while index < 8 {
        if index == best_start {
            out.push_str("::");
            index += best_len;
            continue;
        }
        if index > 0 && index != best_start + best_len {
            out.push(':');
        }
        if let Some(group) = groups.get(index) {
            let _ = write!(out, "{group:x}");
        }
        index += 1;
    }
    out
}

/// The reverse name of an address (`10.96.0.10` → `10.0.96.10.in-addr.arpa.`).
pub fn reverse_name(ip: &str) -> Option<String> {
    match ip.parse::<IpAddr>().ok()? {
        IpAddr::V4(ip) => {
            let [a, b, c, d] = ip.octets();
            Some(format!("{d}.{c}.{b}.{a}.in-addr.arpa."))
        }
        IpAddr::V6(ip) => {
            let hex: String = ip
                .octets()
                .iter()
                .map(|byte| format!("{byte:02x}"))
                .collect();
            let nibbles: Vec<String> = hex.chars().rev().map(String::from).collect();
            Some(format!("{}.ip6.arpa.", nibbles.join(".")))
        }
    }
}
