//! The simulated cluster's configuration: the flags a real control plane is started with.

use crate::sim::input::field::GoQuoted;
use std::net::Ipv4Addr;

/// An IPv4 CIDR block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ipv4Cidr {
    /// The network address.
    pub network: Ipv4Addr,
    /// The prefix length.
    pub prefix: u8,
}

impl Ipv4Cidr {
    /// Parses `10.96.0.0/12`; the address is masked to its network.
    pub fn parse(text: &str) -> Result<Ipv4Cidr, String> {
        let (address, prefix) = text
            .split_once('/')
            .ok_or_else(|| format!("invalid CIDR {}: expected ADDRESS/PREFIX", GoQuoted(text)))?;
        let address: Ipv4Addr = address.parse().map_err(|_| {
            format!(
                "invalid CIDR {}: {} is not an IPv4 address",
                GoQuoted(text),
                GoQuoted(address)
            )
        })?;
        let prefix: u8 = prefix
            .parse()
            .ok()
            .filter(|prefix| *prefix <= 32)
            .ok_or_else(|| format!("invalid CIDR {}: prefix must be 0-32", GoQuoted(text)))?;
        let mask = Self::mask(prefix);
        Ok(Ipv4Cidr {
            network: Ipv4Addr::from(u32::from(address) & mask),
            prefix,
        })
    }

    fn mask(prefix: u8) -> u32 {
        if prefix == 0 {
            0
        } else {
            u32::MAX << (32 - u32::from(prefix))
        }
    }

    /// Number of addresses in the block.
    pub fn size(&self) -> u64 {
        1u64 << (32 - u32::from(self.prefix))
    }

    /// Whether `address` is inside the block.
    pub fn contains(&self, address: Ipv4Addr) -> bool {
        u32::from(address) & Self::mask(self.prefix) == u32::from(self.network)
    }

    /// Whether `address` lies in `cidr` (`10.0.0.0/8`, or a bare address as a /32), as an
    /// iptables `-s`/`-d` match reads it; false for anything that is not IPv4.
    pub fn text_contains(cidr: &str, address: Ipv4Addr) -> bool {
        let block = if cidr.contains('/') {
            Ipv4Cidr::parse(cidr)
        } else {
            Ipv4Cidr::parse(&format!("{cidr}/32"))
        };
        block.is_ok_and(|block| block.contains(address))
    }

    /// The address at `offset` from the network address (wrapping inside the block).
    pub fn nth(&self, offset: u64) -> Ipv4Addr {
        let offset = (offset % self.size()) as u32;
        Ipv4Addr::from(u32::from(self.network).wrapping_add(offset))
    }

    /// The offset of `address` from the network address.
    pub fn offset_of(&self, address: Ipv4Addr) -> u64 {
        u64::from(u32::from(address).wrapping_sub(u32::from(self.network)))
    }
}

impl std::fmt::Display for Ipv4Cidr {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{}/{}", self.network, self.prefix)
    }
}

/// The cluster's configuration, with kubeadm's defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterConfig {
    /// `--cluster-domain` of the kubelets and CoreDNS (`cluster.local`).
    pub cluster_domain: String,
    /// `--service-cluster-ip-range` (`10.96.0.0/12`).
    pub service_cidr: Ipv4Cidr,
    /// `--cluster-cidr` of the controller manager (`10.244.0.0/16`, flannel's and kubeadm
    /// guides' default), cut into one /24 per node.
    pub cluster_cidr: Ipv4Cidr,
    /// `--service-node-port-range` (`30000-32767`).
    pub node_port_range: (u16, u16),
    /// Worker nodes to create when the input has no Node objects.
    pub nodes: usize,
    /// The kubelets' `--cluster-dns` and the `kube-dns` Service's ClusterIP; `None` is the
    /// tenth address of the service range, as kubeadm sets it.
    pub cluster_dns: Option<Ipv4Addr>,
    /// The kubelets' `maxPods` on the nodes the model makes (110, the kubelet's default).
    pub max_pods: i64,
    /// The allocatable CPU of the nodes the model makes (a quantity; svcscope's default: 4).
    pub node_cpu: String,
    /// The allocatable memory of the nodes the model makes (svcscope's default: 8Gi).
    pub node_memory: String,
}

impl ClusterConfig {
    /// The cluster DNS address: [`ClusterConfig::cluster_dns`] or the service range's tenth.
    pub fn dns_ip(&self) -> Ipv4Addr {
        self.cluster_dns
            .unwrap_or_else(|| self.service_cidr.nth(10))
    }
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            cluster_domain: "cluster.local".to_owned(),
            service_cidr: Ipv4Cidr {
                network: Ipv4Addr::new(10, 96, 0, 0),
                prefix: 12,
            },
            cluster_cidr: Ipv4Cidr {
                network: Ipv4Addr::new(10, 244, 0, 0),
                prefix: 16,
            },
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
