//! The pure model of the Kubernetes parts behind a Service, grouped by the path a manifest
//! travels: [`input`] (text to typed objects and diagnostics), [`control`] (the API server, the
//! controllers, the cluster they converge to), then what serves the Service: [`dns`] (CoreDNS's
//! `kubernetes` plugin and a pod's resolver) and [`proxy`] (kube-proxy's modes and the packet
//! walk), and [`kubectl`], which prints it all as kubectl does.
//!
//! Invariant: nothing in `sim` does IO, reads a clock, draws random numbers or depends on a web
//! crate. The same input always gives the same output, and no input makes it panic: problems come
//! back as [`input::diagnostic::Diagnostic`]s.

pub mod config;
pub mod control;
pub mod dns;
pub mod input;
pub mod key;
pub mod kubectl;
pub mod proxy;
