//! kube-proxy: what its modes share, then iptables mode (its `iptables-restore` input and what
//! `iptables-save` prints afterwards), nftables mode, IPVS mode (virtual servers, ipsets and the
//! iptables rules it keeps), and the packet walk over those rules.

pub mod iptables;
pub mod iptables_save;
pub mod ipvs;
pub mod ipvs_tables;
pub mod nftables;
pub mod shared;
pub mod trace;
