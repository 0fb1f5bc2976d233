//! The control plane: the API server's defaulting, validation and allocation, the workload
//! controllers and the scheduler, the EndpointSlice and Endpoints controllers, the plain-words
//! explanations, and the cluster they converge to, event by event.

pub mod admission;
pub mod apiserver;
pub mod clock;
pub mod cluster;
pub mod endpoints;
pub mod event;
pub mod explain;
pub mod rollout;
pub mod scheduler;
pub mod workloads;
