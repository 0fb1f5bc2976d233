//! kubectl's view of the cluster: `get` tables, `describe` (Services, Endpoints, EndpointSlices,
//! pods, nodes), Go's tabwriter that lays both out, and `kubectl label`.

pub mod describe;
pub mod describe_node;
pub mod describe_pod;
pub mod get;
pub mod label;
pub mod tabwriter;
