//! The arithmetic of a Deployment's rollout, as pkg/controller/deployment does it: how far
//! the new ReplicaSet may grow (`NewRSNewReplicas`), how far the old ones may shrink
//! (`reconcileOldReplicaSets`), and which pods a ReplicaSet deletes first when it shrinks
//! (`controller.ActivePodsWithRanks`). Pure functions over counts, so that the tables of the
//! controller's own tests can be run against them.

use crate::sim::input::decode::IntOrString;
use crate::sim::input::objects::Strategy;

/// `intstr.GetScaledValueFromIntOrPercent`: an integer as is, a percentage of `total` rounded
/// up or down; `None` for a string that is not a percentage (the API server refuses it).
pub fn scaled_value(value: &IntOrString, total: i64, round_up: bool) -> Option<i64> {
    match value {
        IntOrString::Int(value) => Some(*value),
        IntOrString::String(text) => {
            let percent: i64 = text.strip_suffix('%')?.parse().ok()?;
            let scaled = percent.checked_mul(total)?;
            Some(if round_up {
                scaled.saturating_add(99).div_euclid(100)
            } else {
                scaled.div_euclid(100)
            })
        }
    }
}

/// `deploymentutil.ResolveFenceposts`: maxSurge rounded up, maxUnavailable rounded down, both
/// defaulting to 25% (SetDefaults_Deployment); when both come to 0, maxUnavailable is 1.
pub fn fenceposts(strategy: &Strategy, desired: i64) -> (i64, i64) {
    let quarter = IntOrString::String("25%".to_owned());
    let surge = scaled_value(
        strategy.max_surge.as_ref().unwrap_or(&quarter),
        desired,
        true,
    )
    .unwrap_or(0)
    .max(0);
    let unavailable = scaled_value(
        strategy.max_unavailable.as_ref().unwrap_or(&quarter),
        desired,
        false,
    )
    .unwrap_or(0)
    .max(0);
    if surge == 0 && unavailable == 0 {
        (0, 1)
    } else {
        (surge, unavailable)
    }
}

/// `deploymentutil.MaxUnavailable`: the fencepost, no more than the replicas (0 for a
/// `Recreate` Deployment or one of no replicas).
pub fn max_unavailable(strategy: &Strategy, desired: i64) -> i64 {
    if strategy.kind() != "RollingUpdate" || desired == 0 {
        return 0;
    }
    fenceposts(strategy, desired).1.min(desired)
}

/// `deploymentutil.NewRSNewReplicas` for a rolling update: the new ReplicaSet grows by what
/// maxSurge leaves above the pods all ReplicaSets ask for (`all`), never past `desired`.
pub fn new_replicas(strategy: &Strategy, desired: i64, all: i64, new: i64) -> i64 {
    if strategy.kind() != "RollingUpdate" {
        return desired;
    }
    // A maxSurge as written can be any integer: saturate rather than wrap.
    let max_total = desired.saturating_add(fenceposts(strategy, desired).0);
    if all >= max_total {
        return new;
    }
    new + (max_total - all).min(desired - new)
}

/// One old ReplicaSet as `reconcileOldReplicaSets` sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OldSet {
    /// `spec.replicas`.
    pub replicas: i64,
    /// `status.availableReplicas`.
    pub available: i64,
}

/// `reconcileOldReplicaSets` (pkg/controller/deployment/rolling.go): the replicas each old
/// ReplicaSet (oldest first) is scaled to. `all` counts every ReplicaSet's replicas,
/// `new_replicas`/`new_available` are the new one's, `available` every ReplicaSet's available
/// pods. First the old sets' unhealthy replicas go (`cleanupUnhealthyReplicas`), then as many
/// available ones as keep `desired - maxUnavailable` available
/// (`scaleDownOldReplicaSetsForRollingUpdate`).
pub fn scale_down_old(
    strategy: &Strategy,
    desired: i64,
    olds: &[OldSet],
    new_replicas: i64,
    new_available: i64,
) -> Vec<i64> {
    let mut replicas: Vec<i64> = olds.iter().map(|old| old.replicas).collect();
    let old_count: i64 = replicas.iter().sum();
    if old_count == 0 {
        return replicas;
    }
    let all = old_count + new_replicas;
    let min_available = desired - max_unavailable(strategy, desired);
    let new_unavailable = new_replicas - new_available;
    let max_scaled_down = all - min_available - new_unavailable;
    if max_scaled_down <= 0 {
        return replicas;
    }
    let mut cleaned = 0;
    for (old, count) in olds.iter().zip(replicas.iter_mut()) {
        if cleaned >= max_scaled_down {
            break;
        }
        if *count == 0 || *count == old.available {
            continue;
        }
        let down = (max_scaled_down - cleaned).min(*count - old.available);
        *count -= down;
        cleaned += down;
    }
    // Availability as the ReplicaSets' statuses report it (not yet changed by the cleanup).
    let available: i64 = olds.iter().map(|old| old.available).sum::<i64>() + new_available;
    if available <= min_available {
        return replicas;
    }
    let total = available - min_available;
    let mut scaled = 0;
    for count in replicas.iter_mut() {
        if scaled >= total {
            break;
        }
        if *count == 0 {
            continue;
        }
        let down = (*count).min(total - scaled);
        *count -= down;
        scaled += down;
    }
    replicas
}

/// What `controller.ActivePodsWithRanks` compares to pick the pods a ReplicaSet deletes
/// first: smaller sorts first (is deleted first).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct DeletionCost {
    /// Bound to a node (unbound pods go first).
    pub assigned: bool,
    /// Running (Pending ones go first).
    pub running: bool,
    /// Ready (not-ready ones go first).
    pub ready: bool,
    /// Minus the number of the ReplicaSet's related pods on the same node (pods on crowded
    /// nodes go first).
    pub crowding: i64,
    /// Minus the moment it became Ready (the most recently ready go first).
    pub ready_since: i64,
    /// Minus the moment it was created (the newest go first).
    pub created: i64,
}
