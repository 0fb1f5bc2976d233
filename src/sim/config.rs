//! The simulated cluster's configuration: the flags a real control plane is started with.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// An IP family (`IPv4`, `IPv6`), as `spec.ipFamilies` and `addressType` spell it.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Family {
    /// `IPv4`.
    V4,
    /// `IPv6`.
    V6,
}

impl Family {
    /// `IPv4` or `IPv6`.
    pub fn name(self) -> &'static str {
        match self {
            Family::V4 => "IPv4",
            Family::V6 => "IPv6",
        }
    }

    /// The family of an address (`None` for text that is not one).
    pub fn of_address(text: &str) -> Option<Family> {
        match crate::sim::input::field::parse_ip_sloppy(text)? {
            IpAddr::V4(_) => Some(Family::V4),
            IpAddr::V6(_) => Some(Family::V6),
        }
    }

    /// The family of an address or CIDR (`10.0.0.0/8`, `fd00::/64`).
    pub fn of_text(text: &str) -> Option<Family> {
        Family::of_address(text.split('/').next().unwrap_or(text))
    }

    /// `IPv4` → `Family::V4`.
    pub fn from_name(name: &str) -> Option<Family> {
        match name {
            "IPv4" => Some(Family::V4),
            "IPv6" => Some(Family::V6),
            _ => None,
        }
    }

    /// The number of bits of an address.
    pub fn bits(self) -> u32 {
        match self {
            Family::V4 => 32,
            Family::V6 => 128,
        }
    }
}

/// A CIDR block of either family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    /// The network address.
    pub network: IpAddr,
    /// The prefix length.
    pub prefix: u8,
}

/// An address as a number (IPv4 in the low 32 bits).
fn to_number(address: IpAddr) -> u128 {
    match address {
        IpAddr::V4(address) => u128::from(u32::from(address)),
        IpAddr::V6(address) => u128::from(address),
    }
}

fn from_number(family: Family, value: u128) -> IpAddr {
    match family {
        Family::V4 => IpAddr::V4(Ipv4Addr::from((value & u128::from(u32::MAX)) as u32)),
        Family::V6 => IpAddr::V6(Ipv6Addr::from(value)),
    }
}

impl Cidr {
    /// Parses `10.96.0.0/12` or `fd00:10:96::/112` as Go's `net.ParseCIDR` does (leading
    /// zeros in IPv4 allowed, as `netutils.ParseCIDRSloppy` allows them); the address is masked
    /// to its network. The error is Go's (`invalid CIDR address: ...`).
    pub fn parse(text: &str) -> Result<Cidr, String> {
        let invalid = || format!("invalid CIDR address: {text}");
        let (address, prefix) = text.split_once('/').ok_or_else(invalid)?;
        let address = crate::sim::input::field::parse_ip_sloppy(address).ok_or_else(invalid)?;
        let family = match address {
            IpAddr::V4(_) => Family::V4,
            IpAddr::V6(_) => Family::V6,
        };
        // Go's dtoi: decimal digits only, no sign, at most the family's bits.
        let prefix: u8 = Some(prefix)
            .filter(|prefix| {
                !prefix.is_empty()
                    && prefix.len() <= 3
                    && prefix.bytes().all(|b| b.is_ascii_digit())
            })
            .and_then(|prefix| prefix.parse::<u32>().ok())
            .filter(|prefix| *prefix <= family.bits())
            .and_then(|prefix| u8::try_from(prefix).ok())
            .ok_or_else(invalid)?;
        let cidr = Cidr {
            network: address,
            prefix,
        };
        Ok(Cidr {
            network: from_number(family, to_number(address) & cidr.mask()),
            prefix,
        })
    }

    /// The block's family.
    pub fn family(&self) -> Family {
        match self.network {
            IpAddr::V4(_) => Family::V4,
            IpAddr::V6(_) => Family::V6,
        }
    }

    /// Host bits: the family's bits minus the prefix.
    pub fn host_bits(&self) -> u32 {
        self.family().bits().saturating_sub(u32::from(self.prefix))
    }

    fn mask(&self) -> u128 {
        let bits = self.family().bits();
        let all = if bits == 128 {
            u128::MAX
        } else {
            (1u128 << bits) - 1
        };
        let host = self.host_bits();
        if host >= 128 {
            0
        } else {
            all & !((1u128 << host) - 1)
        }
    }

    /// Number of addresses in the block (saturating at `u64::MAX` for IPv6 blocks of 64 host
    /// bits or more).
    pub fn size(&self) -> u64 {
        u64::try_from(1u128.checked_shl(self.host_bits()).unwrap_or(u128::MAX)).unwrap_or(u64::MAX)
    }

    /// Whether `address` is inside the block (never for an address of the other family).
    pub fn contains(&self, address: IpAddr) -> bool {
        address.is_ipv4() == self.network.is_ipv4()
            && to_number(address) & self.mask() == to_number(self.network)
    }

    /// Whether `address` lies in `cidr` (`10.0.0.0/8`, or a bare address as a /32 or /128),
    /// as an iptables `-s`/`-d` match reads it; false for text that is neither, or of the
    /// other family.
    pub fn text_contains(cidr: &str, address: IpAddr) -> bool {
        let block = if cidr.contains('/') {
            Cidr::parse(cidr)
        } else {
            let bits = if cidr.contains(':') { 128 } else { 32 };
            Cidr::parse(&format!("{cidr}/{bits}"))
        };
        block.is_ok_and(|block| block.contains(address))
    }

    /// The address at `offset` from the network address (wrapping inside the block).
    pub fn nth(&self, offset: u64) -> IpAddr {
        let host = self.host_bits();
        let offset = u128::from(offset);
        // A mask, not a remainder: no 128-bit division in the browser build.
        let offset = if host >= 128 {
            offset
        } else {
            offset & ((1u128 << host) - 1)
        };
        from_number(self.family(), to_number(self.network).wrapping_add(offset))
    }

    /// The offset of `address` from the network address (saturating at `u64::MAX`).
    pub fn offset_of(&self, address: IpAddr) -> u64 {
        u64::try_from(to_number(address).wrapping_sub(to_number(self.network))).unwrap_or(u64::MAX)
    }

    /// The `index`th block of `prefix` bits inside this one (a node's pod CIDR cut from the
    /// cluster CIDR); `None` past the end, or for a prefix shorter than this block's.
    pub fn subnet(&self, prefix: u8, index: u64) -> Option<Cidr> {
        if prefix < self.prefix || u32::from(prefix) > self.family().bits() {
            return None;
        }
        let count_bits = u32::from(prefix - self.prefix);
        if count_bits < 64 && index >= (1u64 << count_bits) {
            return None;
        }
        let host = self.family().bits() - u32::from(prefix);
        let step = u128::from(index).checked_shl(host)?;
        Some(Cidr {
            network: from_number(self.family(), to_number(self.network).wrapping_add(step)),
            prefix,
        })
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{}/{}", self.network, self.prefix)
    }
}

/// The cluster's configuration, with kubeadm's defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterConfig {
    /// `--cluster-domain` of the kubelets and CoreDNS (`cluster.local`).
    pub cluster_domain: String,
    /// `--service-cluster-ip-range`'s first range (`10.96.0.0/12`): the primary family's.
    pub service_cidr: Cidr,
    /// `--service-cluster-ip-range`'s second range, of the other family, on a dual-stack
    /// cluster (`fd00:10:96::/112`).
    pub secondary_service_cidr: Option<Cidr>,
    /// `--cluster-cidr` of the controller manager (`10.244.0.0/16`, flannel's and kubeadm
    /// guides' default), cut into one /24 per node (one /64 per node for IPv6, the
    /// node-ipam controller's `--node-cidr-mask-size-ipv6` default).
    pub cluster_cidr: Cidr,
    /// `--cluster-cidr`'s second range, of the other family, on a dual-stack cluster.
    pub secondary_cluster_cidr: Option<Cidr>,
    /// `--service-node-port-range` (`30000-32767`).
    pub node_port_range: (u16, u16),
    /// Worker nodes to create when the input has no Node objects.
    pub nodes: usize,
    /// The kubelets' `--cluster-dns` and the `kube-dns` Service's ClusterIP; `None` is the
    /// tenth address of the service range, as kubeadm sets it.
    pub cluster_dns: Option<IpAddr>,
    /// The kubelets' `maxPods` on the nodes the model makes (110, the kubelet's default).
    pub max_pods: i64,
    /// The allocatable CPU of the nodes the model makes (a quantity; svcscope's default: 4).
    pub node_cpu: String,
    /// The allocatable memory of the nodes the model makes (svcscope's default: 8Gi).
    pub node_memory: String,
}

impl ClusterConfig {
    /// The cluster DNS address: [`ClusterConfig::cluster_dns`] or the service range's tenth.
    pub fn dns_ip(&self) -> IpAddr {
        self.cluster_dns
            .unwrap_or_else(|| self.service_cidr.nth(10))
    }

    /// The service range of `family`, if the cluster has one.
    pub fn service_cidr_of(&self, family: Family) -> Option<Cidr> {
        of_family(self.service_cidr, self.secondary_service_cidr, family)
    }

    /// The cluster (pod) range of `family`, if the cluster has one.
    pub fn cluster_cidr_of(&self, family: Family) -> Option<Cidr> {
        of_family(self.cluster_cidr, self.secondary_cluster_cidr, family)
    }

    /// The Service IP families this cluster serves, the primary (the first service range's)
    /// first.
    pub fn service_families(&self) -> Vec<Family> {
        families(self.service_cidr, self.secondary_service_cidr)
    }

    /// The pod IP families, the primary (the first cluster range's) first.
    pub fn pod_families(&self) -> Vec<Family> {
        families(self.cluster_cidr, self.secondary_cluster_cidr)
    }

    /// Whether the cluster is dual-stack (two service ranges or two pod ranges).
    pub fn dual_stack(&self) -> bool {
        self.secondary_service_cidr.is_some() || self.secondary_cluster_cidr.is_some()
    }
}

/// The address families of a cluster, as the page offers them: each a set of the two flags
/// with kind's ranges for the IPv6 family (`networking.ipFamily: dual` / `ipv6`: pods
/// `fd00:10:244::/56`; Services `fd00:10:96::/108`, the largest range the apiserver accepts,
/// as 10.96.0.0/12 is for IPv4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Stack {
    /// Single-stack IPv4 (kubeadm's defaults).
    #[default]
    Ipv4,
    /// Dual-stack, IPv4 the primary family.
    DualStack,
    /// Dual-stack, IPv6 the primary family.
    DualStackIpv6First,
    /// Single-stack IPv6.
    Ipv6,
}

impl Stack {
    /// Every stack, in the order the page offers them.
    pub const ALL: [Stack; 4] = [
        Stack::Ipv4,
        Stack::DualStack,
        Stack::DualStackIpv6First,
        Stack::Ipv6,
    ];

    /// Its name on the page and in links: the families, the primary first (`IPv4`,
    /// `IPv4+IPv6`, `IPv6+IPv4`, `IPv6`).
    pub fn id(self) -> &'static str {
        match self {
            Stack::Ipv4 => "IPv4",
            Stack::DualStack => "IPv4+IPv6",
            Stack::DualStackIpv6First => "IPv6+IPv4",
            Stack::Ipv6 => "IPv6",
        }
    }

    /// The stack of an id ([`Stack::id`]).
    pub fn from_id(id: &str) -> Option<Stack> {
        Stack::ALL.into_iter().find(|stack| stack.id() == id)
    }

    /// `--service-cluster-ip-range` and `--cluster-cidr`.
    pub fn flags(self) -> (&'static str, &'static str) {
        match self {
            Stack::Ipv4 => ("10.96.0.0/12", "10.244.0.0/16"),
            Stack::DualStack => (
                "10.96.0.0/12,fd00:10:96::/108",
                "10.244.0.0/16,fd00:10:244::/56",
            ),
            Stack::DualStackIpv6First => (
                "fd00:10:96::/108,10.96.0.0/12",
                "fd00:10:244::/56,10.244.0.0/16",
            ),
            Stack::Ipv6 => ("fd00:10:96::/108", "fd00:10:244::/56"),
        }
    }

    /// The cluster configuration: kubeadm's defaults with these ranges (the same as
    /// [`Stack::flags`] parsed, built without the parser; `tests/dual_stack.rs` checks both
    /// agree).
    pub fn config(self) -> ClusterConfig {
        let v4 = |a: u8, b: u8, prefix: u8| Cidr {
            network: IpAddr::V4(Ipv4Addr::new(10, a, b, 0)),
            prefix,
        };
        let v6 = |group: u16, prefix: u8| Cidr {
            network: IpAddr::V6(Ipv6Addr::new(0xfd00, 0x10, group, 0, 0, 0, 0, 0)),
            prefix,
        };
        let (services4, pods4) = (v4(96, 0, 12), v4(244, 0, 16));
        let (services6, pods6) = (v6(0x96, 108), v6(0x244, 56));
        let (service_cidr, secondary_service_cidr, cluster_cidr, secondary_cluster_cidr) =
            match self {
                Stack::Ipv4 => (services4, None, pods4, None),
                Stack::DualStack => (services4, Some(services6), pods4, Some(pods6)),
                Stack::DualStackIpv6First => (services6, Some(services4), pods6, Some(pods4)),
                Stack::Ipv6 => (services6, None, pods6, None),
            };
        ClusterConfig {
            service_cidr,
            secondary_service_cidr,
            cluster_cidr,
            secondary_cluster_cidr,
            ..ClusterConfig::default()
        }
    }
}

/// The range of `family` among a flag's one or two (plain code: no iterator adapters to
/// monomorphize in the browser build).
fn of_family(primary: Cidr, secondary: Option<Cidr>, family: Family) -> Option<Cidr> {
    if primary.family() == family {
        Some(primary)
    } else {
        secondary.filter(|cidr| cidr.family() == family)
    }
}

/// The families of a flag's one or two ranges, in order.
fn families(primary: Cidr, secondary: Option<Cidr>) -> Vec<Family> {
    let mut families = vec![primary.family()];
    if let Some(secondary) = secondary {
        families.push(secondary.family());
    }
    families
}

/// kube-apiserver's `--service-cluster-ip-range`: one or two comma-separated CIDRs, one per
/// family, as `getServiceIPAndRanges` (cmd/kube-apiserver/app/options) parses them and
/// `validateClusterIPFlags` (pkg/controlplane/apiserver/options/validation.go) checks them,
/// with their messages. The size limit is the bitmap allocator's (at most 20 host bits: a
/// /12 for IPv4, a /108 for IPv6); clusters that run the IPAddress allocator alone
/// (`MultiCIDRServiceAllocator` with `DisableAllocatorDualWrite`) lift it, svcscope keeps it.
pub fn parse_service_cidrs(text: &str) -> Result<(Cidr, Option<Cidr>), String> {
    let list: Vec<&str> = text.split(',').collect();
    let primary = list
        .first()
        .and_then(|first| Cidr::parse(first).ok())
        .ok_or_else(|| "service-cluster-ip-range[0] is not a valid cidr".to_owned())?;
    let secondary = match list.get(1) {
        Some(second) => Some(
            Cidr::parse(second)
                .map_err(|_| "service-cluster-ip-range[1] is not an ip net".to_owned())?,
        ),
        None => None,
    };
    let mut errors: Vec<String> = Vec::new();
    if list.len() > 2 {
        errors.push("--service-cluster-ip-range must not contain more than two entries".to_owned());
    }
    let too_large = |cidr: &Cidr, flag: &str| {
        let bits = cidr.family().bits();
        (cidr.host_bits() > 20).then(|| {
            format!(
                "specified {flag} is too large; for {bits}-bit addresses, the mask must be >= {}",
                bits - 20
            )
        })
    };
    errors.extend(too_large(&primary, "--service-cluster-ip-range"));
    if let Some(secondary) = &secondary {
        if secondary.family() == primary.family() {
            errors.push(
                "--service-cluster-ip-range[0] and --service-cluster-ip-range[1] must be of different IP family"
                    .to_owned(),
            );
        }
        errors.extend(too_large(secondary, "--service-cluster-ip-range[1]"));
    }
    if errors.is_empty() {
        Ok((primary, secondary))
    } else {
        Err(errors.join("; "))
    }
}

/// kube-controller-manager's `--cluster-cidr`: one or two comma-separated CIDRs, one per
/// family (`validateCIDRs` and `processCIDRs`, cmd/kube-controller-manager/app/core.go), with
/// their messages; and the node mask each family is cut by (`--node-cidr-mask-size-ipv4` 24,
/// `--node-cidr-mask-size-ipv6` 64) must fit in it.
pub fn parse_cluster_cidrs(text: &str) -> Result<(Cidr, Option<Cidr>), String> {
    let list: Vec<&str> = text.trim().split(',').collect();
    let mut cidrs = Vec::with_capacity(list.len());
    for item in &list {
        cidrs.push(Cidr::parse(item.trim())?);
    }
    let families: Vec<Family> = cidrs.iter().map(Cidr::family).collect();
    let dual = families.contains(&Family::V4) && families.contains(&Family::V6);
    if cidrs.len() > 1 && !dual {
        return Err(format!(
            "len of ClusterCIDRs=={} and they are not configured as dual stack (at least one from each IPFamily",
            cidrs.len()
        ));
    }
    if cidrs.len() > 2 {
        return Err(format!(
            "length of clusterCIDRs is:{} more than max allowed of 2",
            cidrs.len()
        ));
    }
    for cidr in &cidrs {
        // startNodeIpamController, then cidrset.NewCIDRSet (at most 16 bits between an IPv6
        // cluster range and its node mask).
        let node_mask = node_mask(cidr.family());
        if cidr.prefix > node_mask {
            return Err("Controller: Invalid --cluster-cidr, mask size of cluster CIDR must be less than or equal to --node-cidr-mask-size configured for CIDR family".to_owned());
        }
        if cidr.family() == Family::V6 && node_mask - cidr.prefix > 16 {
            return Err("New CIDR set failed; the node CIDR size is too big".to_owned());
        }
    }
    let mut cidrs = cidrs.into_iter();
    let primary = cidrs
        .next()
        .ok_or_else(|| "invalid CIDR address: ".to_owned())?;
    Ok((primary, cidrs.next()))
}

/// The node-ipam controller's node mask for `family`: `--node-cidr-mask-size-ipv4` (24) or
/// `--node-cidr-mask-size-ipv6` (64).
pub fn node_mask(family: Family) -> u8 {
    match family {
        Family::V4 => 24,
        Family::V6 => 64,
    }
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            cluster_domain: "cluster.local".to_owned(),
            service_cidr: Cidr {
                network: IpAddr::V4(Ipv4Addr::new(10, 96, 0, 0)),
                prefix: 12,
            },
            secondary_service_cidr: None,
            cluster_cidr: Cidr {
                network: IpAddr::V4(Ipv4Addr::new(10, 244, 0, 0)),
                prefix: 16,
            },
            secondary_cluster_cidr: None,
            node_port_range: (30000, 32767),
            nodes: 2,
            cluster_dns: None,
            max_pods: 110,
            node_cpu: "4".to_owned(),
            node_memory: "8Gi".to_owned(),
        }
    }
}

/// FNV-1a, 64 bits: the stable hash behind every "random" choice the model makes, so that the
/// same input always gives the same addresses and names.
pub fn stable_hash(text: &str) -> u64 {
    stable_hash_parts(&[text])
}

/// [`stable_hash`] of the concatenation of `parts`, without building it.
pub fn stable_hash_parts(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in parts.iter().flat_map(|part| part.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// FNV-1a as a [`std::hash::Hasher`]: hash maps keyed with it behave the same on every run
/// (no per-process random seed), which keeps the model deterministic even where it iterates.
#[derive(Clone, Copy, Debug)]
pub struct StableHasher(u64);

impl Default for StableHasher {
    fn default() -> Self {
        StableHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for StableHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// Lengths and enum discriminants hash as 8 bytes on every target, so that wasm32 (4-byte
    /// `usize`) and the native CLI hash a value alike.
    fn write_usize(&mut self, value: usize) {
        self.write(&(value as u64).to_le_bytes());
    }
}

/// A hash map with [`StableHasher`].
pub type StableMap<K, V> =
    std::collections::HashMap<K, V, std::hash::BuildHasherDefault<StableHasher>>;

/// FxHash's word-at-a-time mixing (rustc's hasher): deterministic, and much faster than
/// FNV's byte at a time for the rule builders' indexes of chain names (tens of thousands of
/// 25-character names). For lookups only: nothing the model prints depends on the order of
/// a map hashed with it.
#[derive(Clone, Copy, Debug, Default)]
pub struct WordHasher(u64);

impl std::hash::Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        for byte in chunks.remainder() {
            self.add(u64::from(*byte));
        }
    }
    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// A hash map with [`WordHasher`] natively; in the browser, where the rule sets are small and
/// every distinct map type costs kilobytes of wasm, the [`StableMap`] the rest of the model
/// uses.
#[cfg(not(target_arch = "wasm32"))]
pub type WordMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<WordHasher>>;
/// A hash map with [`WordHasher`] natively; in the browser, [`StableMap`].
#[cfg(target_arch = "wasm32")]
pub type WordMap<K, V> = StableMap<K, V>;

/// A hash set with [`WordHasher`].
pub type WordSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<WordHasher>>;
