//! The pure model of the Kubernetes parts behind a Service.
//!
//! Invariant: nothing in `sim` does IO, reads a clock, draws random numbers or depends on a web
//! crate. The same input always gives the same output, and no input makes it panic: problems come
//! back as [`manifest::Diagnostic`]s.

pub mod apiserver;
pub mod cluster;
pub mod config;
pub mod decode;
pub mod describe_pod;
pub mod dns;
pub mod dnstext;
pub mod edit;
pub mod endpoints;
pub mod explain;
pub mod field;
pub mod iptables_save;
pub mod ipvs;
pub mod ipvs_tables;
pub mod kubectl;
pub mod kubectl_view;
pub mod label;
pub mod manifest;
pub mod nftables;
pub mod objects;
pub mod order;
pub mod proxy;
pub mod replay;
pub mod resolver;
pub mod rules_view;
pub mod scenarios;
pub mod sha256;
pub mod trace;
pub mod workloads;
pub mod yaml;
