//! kubectl's view of the cluster: `get` tables, `describe` and Go's tabwriter, `describe pod`,
//! and `kubectl label`.

pub mod describe_pod;
pub mod label;
pub mod print;
