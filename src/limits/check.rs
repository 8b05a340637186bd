//! The checks of a learner's number against the lab's limits, one function per limit, used
//! alike by the file decoders, the command-line parser, the forms and the simulation, so the
//! same number is refused the same way wherever it comes from.
//!
//! Each takes the value and how to show it where it came from (`--replicas=20000` on a command
//! line, `20000` after a file's field path) and answers with a message that names the limit
//! as the lab's, not Kubernetes' or AWS's. The range rules of the real APIs (an int32, `≥ 0`,
//! a port's 1–65535, EKS's 450 nodes per managed node group) are checked before these, with
//! the real tools' messages.

use std::fmt::Display;

use super::{
    MAX_COMMAND_BYTES, MAX_CPU_MILLIS, MAX_MEMORY_BYTES, MAX_NODEGROUP_SIZE, MAX_PODS,
    MAX_REPLICAS, MAX_REQUESTS_PER_SECOND, MAX_SIM_TIME,
};
use crate::sim::clock::SimDuration;

fn more_than(limit: impl Display, shown: impl Display) -> String {
    format!("{limit}: {shown} is more than that")
}

/// A workload's pod count: a Deployment's `replicas`, an HPA's `maxReplicas`, a Job's
/// `completions` and `parallelism` (`MAX_REPLICAS`).
pub fn replicas(value: i128, shown: impl Display) -> Result<(), String> {
    if value > i128::from(MAX_REPLICAS) {
        return Err(more_than(
            format_args!("the lab runs at most {MAX_REPLICAS} pods"),
            shown,
        ));
    }
    Ok(())
}

/// The pods one node may run (`maxPodsPerNode`): no node runs more pods than the lab does.
pub fn pods_per_node(value: i128, shown: impl Display) -> Result<(), String> {
    if value > i128::from(MAX_PODS) {
        return Err(more_than(
            format_args!("the lab runs at most {MAX_PODS} pods"),
            shown,
        ));
    }
    Ok(())
}

/// A node group's size (`minSize`, `maxSize`, `desiredCapacity`, `--nodes`, ...):
/// `MAX_NODEGROUP_SIZE`. A managed node group's own quota (450) is EKS's and checked apart.
pub fn nodegroup_size(value: i128, shown: impl Display) -> Result<(), String> {
    if value > i128::from(MAX_NODEGROUP_SIZE) {
        return Err(more_than(
            format_args!("the lab runs at most {MAX_NODEGROUP_SIZE} nodes in a node group"),
            shown,
        ));
    }
    Ok(())
}

/// A request rate of the traffic model (`MAX_REQUESTS_PER_SECOND`).
pub fn requests_per_second(value: i128, shown: impl Display) -> Result<(), String> {
    if value > i128::from(MAX_REQUESTS_PER_SECOND) {
        return Err(more_than(
            format_args!(
                "the lab's traffic model takes at most {MAX_REQUESTS_PER_SECOND} requests per second"
            ),
            shown,
        ));
    }
    Ok(())
}

/// A CPU quantity, in millicores (`MAX_CPU_MILLIS`).
pub fn cpu_millis(millis: u128, shown: impl Display) -> Result<(), String> {
    if millis > u128::from(MAX_CPU_MILLIS) {
        return Err(more_than(
            format_args!(
                "the lab takes CPU quantities up to {} cores",
                MAX_CPU_MILLIS / 1000
            ),
            shown,
        ));
    }
    Ok(())
}

/// A memory or storage quantity, in bytes (`MAX_MEMORY_BYTES`).
pub fn memory_bytes(bytes: u128, shown: impl Display) -> Result<(), String> {
    if bytes > u128::from(MAX_MEMORY_BYTES) {
        return Err(more_than(
            format_args!(
                "the lab takes memory and storage quantities up to {}Ti",
                MAX_MEMORY_BYTES >> 40
            ),
            shown,
        ));
    }
    Ok(())
}

/// A simulated time or span the lab would have to run to: a Lab's `duration`, a timeline
/// entry's `at`, the runner's `--duration` (`MAX_SIM_TIME`).
pub fn sim_time(d: SimDuration, shown: impl Display) -> Result<(), String> {
    if d > MAX_SIM_TIME {
        return Err(more_than(
            format_args!(
                "the lab simulates at most {} days",
                MAX_SIM_TIME.as_secs() / 86_400
            ),
            shown,
        ));
    }
    Ok(())
}

/// A command line's length (`MAX_COMMAND_BYTES`).
pub fn command_bytes(len: usize) -> Result<(), String> {
    if len > MAX_COMMAND_BYTES {
        return Err(format!(
            "the lab reads command lines of at most {MAX_COMMAND_BYTES} bytes: this one has {len}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_limit_takes_its_value_and_refuses_one_more() {
        let r = i128::from(MAX_REPLICAS);
        assert_eq!(replicas(r, r), Ok(()));
        assert_eq!(
            replicas(r + 1, "--replicas=10001"),
            Err("the lab runs at most 10000 pods: --replicas=10001 is more than that".into())
        );
        assert_eq!(pods_per_node(10_000, 1), Ok(()));
        assert_eq!(
            pods_per_node(10_001, 10_001),
            Err("the lab runs at most 10000 pods: 10001 is more than that".into())
        );
        assert_eq!(nodegroup_size(1000, 1000), Ok(()));
        assert_eq!(
            nodegroup_size(1001, "--nodes-max=1001"),
            Err(
                "the lab runs at most 1000 nodes in a node group: --nodes-max=1001 is more than that"
                    .into()
            )
        );
        assert_eq!(requests_per_second(1_000_000, 0), Ok(()));
        assert_eq!(
            requests_per_second(1_000_001, "--rps=1000001"),
            Err("the lab's traffic model takes at most 1000000 requests per second: --rps=1000001 is more than that".into())
        );
        assert_eq!(cpu_millis(100_000_000, 0), Ok(()));
        assert_eq!(
            cpu_millis(100_000_001, "100000001m"),
            Err(
                "the lab takes CPU quantities up to 100000 cores: 100000001m is more than that"
                    .into()
            )
        );
        assert_eq!(memory_bytes(64 << 40, 0), Ok(()));
        assert_eq!(
            memory_bytes((64 << 40) + 1, "70368744177665"),
            Err("the lab takes memory and storage quantities up to 64Ti: 70368744177665 is more than that".into())
        );
        assert_eq!(sim_time(MAX_SIM_TIME, ""), Ok(()));
        assert_eq!(
            sim_time(MAX_SIM_TIME + SimDuration::from_millis(1), "30d1ms"),
            Err("the lab simulates at most 30 days: 30d1ms is more than that".into())
        );
        assert_eq!(command_bytes(MAX_COMMAND_BYTES), Ok(()));
        assert_eq!(
            command_bytes(MAX_COMMAND_BYTES + 1),
            Err("the lab reads command lines of at most 16384 bytes: this one has 16385".into())
        );
    }

    #[test]
    fn values_far_beyond_any_integer_type_are_refused_too() {
        assert!(replicas(i128::MAX, "x").is_err());
        assert!(nodegroup_size(i128::from(i64::MAX), "x").is_err());
        assert!(cpu_millis(u128::MAX, "x").is_err());
        assert_eq!(
            replicas(-5, "x"),
            Ok(()),
            "the lower bounds are the APIs' own"
        );
    }
}
