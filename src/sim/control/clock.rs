//! Simulated time: when a pod's containers start, when its probes let it be Ready, when it is
//! gone after a delete, and how kubectl prints an age. No wall clock: time is milliseconds
//! since the cluster was created, and every moment follows from the manifests.
//!
//! What the model assumes, where Kubernetes leaves it to the machine:
//! - a container starts as soon as its pod has an address (image pulls and sandbox creation
//!   take no time), unless the pod template's `svcscope.dev/start-delay` says how long;
//! - the application answers its probes from the moment it starts, unless
//!   `svcscope.dev/ready-after` says how long it warms up first (and `svcscope.dev/ready:
//!   "false"` stands for a readiness probe that never passes);
//! - the application exits as soon as it gets SIGTERM, unless `svcscope.dev/stop-delay` says
//!   how long it drains first;
//! - a probe runs `initialDelaySeconds` after the container starts and every `periodSeconds`
//!   after that (the kubelet's prober adds jitter after a kubelet restart, which is not
//!   simulated).

use std::collections::BTreeMap;

use crate::sim::input::objects::{PodSpec, Probe};

/// Simulated milliseconds since the cluster was created.
pub type Millis = u64;

/// One second.
pub const SECOND: Millis = 1000;

/// How long a container takes to start after its pod has an address.
pub const START_DELAY_ANNOTATION: &str = "svcscope.dev/start-delay";
/// How long the application takes after starting before its probes pass.
pub const READY_AFTER_ANNOTATION: &str = "svcscope.dev/ready-after";
/// How long the application takes to exit after SIGTERM.
pub const STOP_DELAY_ANNOTATION: &str = "svcscope.dev/stop-delay";

/// A length of time as an annotation writes it: `5`, `5s`, `1.5s`, `250ms`, `2m`; `None` when
/// it is not one.
pub fn parse_duration(text: &str) -> Option<Millis> {
    let text = text.trim();
    let (number, unit): (&str, Millis) = if let Some(number) = text.strip_suffix("ms") {
        (number, 1)
    } else if let Some(number) = text.strip_suffix('s') {
        (number, 1000)
    } else if let Some(number) = text.strip_suffix('m') {
        (number, 60_000)
    } else if let Some(number) = text.strip_suffix('h') {
        (number, 3_600_000)
    } else {
        (text, 1000)
    };
    // Decimal digits, in integers (no float parsing: it costs the browser's module kilobytes).
    let (whole, fraction) = number.trim().split_once('.').unwrap_or((number.trim(), ""));
    let digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return None;
    }
    let mut millis = if whole.is_empty() {
        0
    } else {
        whole.parse::<Millis>().ok()?.checked_mul(unit)?
    };
    let mut scale = unit;
    for digit in fraction.bytes().take(9) {
        scale /= 10;
        millis = millis.checked_add(Millis::from(digit - b'0').checked_mul(scale)?)?;
    }
    (millis < 1_000_000_000_000_000).then_some(millis)
}

/// An annotation's duration (0 when absent or unreadable).
pub fn annotation_duration(annotations: &BTreeMap<String, String>, key: &str) -> Millis {
    annotations
        .get(key)
        .and_then(|text| parse_duration(text))
        .unwrap_or(0)
}

fn seconds(value: i64) -> Millis {
    Millis::try_from(value.max(0))
        .unwrap_or(0)
        .saturating_mul(SECOND)
}

/// The first moment a probe runs at or after `from`: probes run at `start +
/// initialDelaySeconds + k * periodSeconds` (k = 0, 1, ...).
fn first_probe_at(probe: &Probe, start: Millis, from: Millis) -> Millis {
    let first = start.saturating_add(seconds(probe.initial_delay));
    if from <= first {
        return first;
    }
    let period = seconds(probe.period).max(SECOND);
    let ticks = (from - first).div_ceil(period);
    first.saturating_add(ticks.saturating_mul(period))
}

/// When a pod whose containers start at `started` becomes Ready: each container is ready when
/// its startup probe (if any) has passed and then its readiness probe (if any) has passed
/// `successThreshold` times in a row; the pod when all of them are (the kubelet's prober,
/// pkg/kubelet/prober/worker.go: readiness does not run until startup has passed). `None`
/// when it never does (`svcscope.dev/ready: "false"`).
pub fn ready_at(
    spec: &PodSpec,
    annotations: &BTreeMap<String, String>,
    passes_readiness: bool,
    started: Millis,
) -> Option<Millis> {
    if !passes_readiness {
        return None;
    }
    let healthy = started.saturating_add(annotation_duration(annotations, READY_AFTER_ANNOTATION));
    let mut ready = started;
    for container in &spec.containers {
        let details = container.details.as_deref();
        let startup = details.and_then(|details| details.startup.as_ref());
        let readiness = details.and_then(|details| details.readiness.as_ref());
        let started_up = match startup {
            Some(probe) => first_probe_at(probe, started, healthy),
            None => started,
        };
        let container_ready = match readiness {
            Some(probe) => {
                let first = first_probe_at(probe, started, healthy.max(started_up));
                let period = seconds(probe.period).max(SECOND);
                let more = Millis::try_from(probe.success.max(1) - 1).unwrap_or(0);
                first.saturating_add(period.saturating_mul(more))
            }
            // Without a readiness probe a container is ready once started (and, with a startup
            // probe, once that has passed). The application's warm-up shows only through probes.
            None => started_up,
        };
        ready = ready.max(container_ready);
    }
    Some(ready)
}

/// When a pod's Ready condition changes after its probe starts failing (`ready: false`) or
/// passing again at `now`: the first probe after `now`, then `failureThreshold` (or
/// `successThreshold`) results in a row. A pod without a readiness probe changes at once (the
/// what-if stands for a probe).
pub fn readiness_change_at(spec: &PodSpec, started: Millis, now: Millis, ready: bool) -> Millis {
    let mut at = now;
    for container in &spec.containers {
        let Some(probe) = container
            .details
            .as_deref()
            .and_then(|details| details.readiness.as_ref())
        else {
            continue;
        };
        let first = first_probe_at(probe, started, now.saturating_add(1));
        let threshold = if ready { probe.success } else { probe.failure };
        let more = Millis::try_from(threshold.max(1) - 1).unwrap_or(0);
        let period = seconds(probe.period).max(SECOND);
        let change = first.saturating_add(period.saturating_mul(more));
        // The pod turns not-ready with its first container to fail, ready with its last.
        at = if ready {
            at.max(change)
        } else if at == now {
            change
        } else {
            at.min(change)
        };
    }
    at
}

/// How long after its deletion a pod is gone (pods/pod-lifecycle, "Termination of Pods"):
/// the kubelet runs the `preStop` hooks, then sends SIGTERM; the application exits (after
/// `svcscope.dev/stop-delay`), or is killed when `terminationGracePeriodSeconds` runs out; a
/// `preStop` still running then gets a one-off 2-second extension before SIGKILL.
pub fn termination_length(spec: &PodSpec, annotations: &BTreeMap<String, String>) -> Millis {
    let grace = seconds(spec.grace_period());
    let pre_stop = seconds(spec.pre_stop_seconds.unwrap_or(0));
    let drain = annotation_duration(annotations, STOP_DELAY_ANNOTATION);
    if pre_stop <= grace {
        pre_stop.saturating_add(drain).min(grace)
    } else {
        grace.saturating_add(drain.min(2 * SECOND))
    }
}

/// kubectl's age: `duration.HumanDuration` (k8s.io/apimachinery/pkg/util/duration) of the
/// time since the moment.
pub fn human_duration(millis: i64) -> String {
    let seconds = millis / 1000;
    if seconds < -1 {
        return "<invalid>".to_owned();
    }
    if seconds < 0 {
        return "0s".to_owned();
    }
    if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{h}h", hours / 24)
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let days = (hours / 24) % 365;
        return if days == 0 {
            format!("{}y", hours / 24 / 365)
        } else {
            format!("{}y{days}d", hours / 24 / 365)
        };
    }
    format!("{}y", hours / 24 / 365)
}

/// kubectl's age of something made at `made` when it is `now`.
pub fn age(now: Millis, made: Millis) -> String {
    let now = i64::try_from(now).unwrap_or(i64::MAX);
    let made = i64::try_from(made).unwrap_or(i64::MAX);
    human_duration(now.saturating_sub(made))
}

/// A moment as the timeline and `svcscope events` print it: seconds with one decimal
/// (`12.5s`).
pub fn moment(at: Millis) -> String {
    format!("{}.{}s", at / 1000, (at % 1000) / 100)
}

/// The wall-clock instant the simulated clock starts at, for the few places that print one
/// (`kubectl.kubernetes.io/restartedAt`): 2025-01-01T00:00:00Z, in days since 1970-01-01.
const EPOCH_DAYS: i64 = 20_089;

/// A moment as RFC 3339 in UTC (`2025-01-01T00:00:05Z`), counting from [`EPOCH_DAYS`].
pub fn timestamp(at: Millis) -> String {
    let seconds = i64::try_from(at / 1000).unwrap_or(0);
    let days = EPOCH_DAYS + seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        of_day / 3600,
        (of_day / 60) % 60,
        of_day % 60
    )
}
