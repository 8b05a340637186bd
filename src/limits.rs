//! The lab's own limits, in one place.
//!
//! Every input the lab reads (a scenario file, pasted manifests, a console line, a form, a saved
//! lab, a share link) is checked against these constants, the same way wherever it comes from,
//! so no single input can make the lab do unbounded work or hold unbounded memory. README's
//! "Limits" table lists them; `tests/hostile_input.rs` tries each at the limit and one past it.
//!
//! These are the lab's limits, not AWS's or Kubernetes': a refusal names them as the lab's.
//! Rules of the real APIs (an int32 field, a DNS-1123 name, EKS's 450 nodes per managed node
//! group, 10 Fargate profiles per cluster) live with the code that enforces them and keep the
//! real tools' messages.

pub mod check;

use crate::sim::clock::SimDuration;

/// Largest scenario text: a scenario file, pasted manifests, the scenario inside a saved lab or
/// a share link (1 MiB). One limit for all three: its share link (base64, 1.4 million
/// characters) stays under the 2 MiB Chromium accepts in a URL.
pub const MAX_TEXT_BYTES: usize = 1024 * 1024;

/// Largest saved lab: the scenario text as a JSON string (whose escapes can double it) plus a
/// few small fields.
pub const MAX_SAVE_BYTES: usize = 2 * MAX_TEXT_BYTES + 4096;

/// Longest share-link payload: the base64url text of a scenario of `MAX_TEXT_BYTES`.
pub const MAX_LINK_CHARS: usize = MAX_TEXT_BYTES.div_ceil(3) * 4;

/// Most YAML documents in one text.
pub const MAX_DOCUMENTS: usize = 5000;

/// Deepest nesting of YAML lists and mappings.
pub const MAX_YAML_DEPTH: usize = 64;

/// Most YAML values (scalars, lists, mappings) in one text once aliases are expanded.
pub const MAX_YAML_NODES: usize = 1_000_000;

/// Most bytes of scalar text in one YAML text once aliases are expanded (eight times
/// `MAX_TEXT_BYTES`): a short file whose aliases expand to gigabytes is refused.
pub const MAX_YAML_EXPANDED_BYTES: usize = 8 * MAX_TEXT_BYTES;

/// Most diagnostics (errors and warnings) one load lists. Past it they are counted, not kept,
/// and one more diagnostic says how many were left out: a short file whose aliases repeat a
/// mistake a million times costs a message, not a million.
pub const MAX_DIAGNOSTICS: usize = 1000;

/// Longest word a "did you mean" hint is computed for (in characters); longer unknown words
/// get no hint.
pub const MAX_SUGGESTION_CHARS: usize = 64;

/// Longest command line (console input or a timeline `run:` entry).
pub const MAX_COMMAND_BYTES: usize = 16 * 1024;

/// Most timeline entries: those in the scenario plus the learner's own actions.
pub const MAX_TIMELINE_ENTRIES: usize = 10_000;

/// Longest simulated time the lab runs or replays: a Lab's `duration`, a timeline entry's `at`,
/// the time a save or share link asks to replay to, the runner's `--duration` (30 days).
pub const MAX_SIM_TIME: SimDuration = SimDuration::from_hours(24 * 30);

/// Most pods in the cluster at once (every namespace, every phase). A controller that would
/// create more is refused by the API server with a `FailedCreate` event.
pub const MAX_PODS: u32 = 10_000;

/// Most replicas one workload may ask for (a Deployment's `replicas`, an HPA's `maxReplicas`,
/// a Job's `completions` and `parallelism`): all the pods the lab runs.
pub const MAX_REPLICAS: i32 = MAX_PODS as i32;

/// Most EC2 instances in the lab's account at once (all node groups). An Auto Scaling group that
/// would launch more gets EC2's `InstanceLimitExceeded`, as an account's instance quota gives.
pub const MAX_INSTANCES: u32 = 1_000;

/// Largest `maxSize` of a self-managed node group (a managed one has EKS's 450).
pub const MAX_NODEGROUP_SIZE: i32 = MAX_INSTANCES as i32;

/// Highest request rate the lab's traffic model takes, per Deployment.
pub const MAX_REQUESTS_PER_SECOND: u64 = 1_000_000;

/// Largest CPU quantity one field may hold (100,000 cores, in millicores): far above any
/// instance, small enough that the sum over every pod cannot overflow.
pub const MAX_CPU_MILLIS: u64 = 100_000 * 1000;

/// Largest memory or storage quantity one field may hold (64 TiB).
pub const MAX_MEMORY_BYTES: u64 = 64 << 40;

// A share link of the largest scenario still opens in Chromium (2 MiB URLs at most).
const _: () = assert!(MAX_LINK_CHARS < 2 * 1024 * 1024);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_limits_follow_their_sources() {
        assert_eq!(MAX_LINK_CHARS, 1_398_104);
        assert_eq!(MAX_REPLICAS, 10_000);
        assert_eq!(MAX_NODEGROUP_SIZE, 1_000);
        assert_eq!(MAX_SIM_TIME.as_millis(), 30 * 86_400_000);
        // The sums the scheduler and the bill take over every pod's requests stay in range,
        // even with ten containers a pod at the largest quantity.
        let containers = u64::from(MAX_PODS) * 10;
        assert!(containers.checked_mul(MAX_MEMORY_BYTES).is_some());
        assert!(containers.checked_mul(MAX_CPU_MILLIS).is_some());
    }
}
