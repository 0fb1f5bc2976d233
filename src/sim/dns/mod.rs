//! Cluster DNS: CoreDNS's `kubernetes` plugin over the cluster, a pod's resolv.conf and its
//! resolver's search walk, and the answers as `nslookup` and `dig` print them.

pub mod plugin;
pub mod resolver;
pub mod text;
