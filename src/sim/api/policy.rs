//! `PodDisruptionBudget` (policy/v1).

use super::meta::{IntOrPercent, LabelSelector, ObjectMeta};

/// PDB `spec`: exactly one of `min_available` and `max_unavailable`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodDisruptionBudgetSpec {
    pub min_available: Option<IntOrPercent>,
    pub max_unavailable: Option<IntOrPercent>,
    pub selector: LabelSelector,
}

/// PDB `status`, recomputed by the disruption controller.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PodDisruptionBudgetStatus {
    /// int32 upstream (k8s.io/api policy/v1 types.go).
    pub current_healthy: i32,
    pub desired_healthy: i32,
    pub disruptions_allowed: i32,
    pub expected_pods: i32,
}

/// A PodDisruptionBudget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodDisruptionBudget {
    pub meta: ObjectMeta,
    pub spec: PodDisruptionBudgetSpec,
    pub status: PodDisruptionBudgetStatus,
}

impl PodDisruptionBudget {
    /// `desiredHealthy` for `expected` pods, as the disruption controller computes it:
    /// `minAvailable` (percentages round up) or `expected − maxUnavailable` (percentages round
    /// up too).
    pub fn desired_healthy(&self, expected: i32) -> i32 {
        if let Some(max) = self.spec.max_unavailable {
            (expected - max.scaled(expected, true).max(0)).max(0)
        } else if let Some(min) = self.spec.min_available {
            min.scaled(expected, true)
        } else {
            // Neither set: the disruption controller leaves desiredHealthy at 0.
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pdb(min: Option<IntOrPercent>, max: Option<IntOrPercent>) -> PodDisruptionBudget {
        PodDisruptionBudget {
            meta: ObjectMeta::named("default", "p"),
            spec: PodDisruptionBudgetSpec {
                min_available: min,
                max_unavailable: max,
                selector: LabelSelector::default(),
            },
            status: PodDisruptionBudgetStatus::default(),
        }
    }

    #[test]
    fn desired_healthy_follows_the_disruption_controller() {
        assert_eq!(pdb(Some(IntOrPercent::Int(2)), None).desired_healthy(3), 2);
        assert_eq!(
            pdb(Some(IntOrPercent::Percent(50)), None).desired_healthy(3),
            2
        );
        assert_eq!(pdb(None, Some(IntOrPercent::Int(1))).desired_healthy(2), 1);
        assert_eq!(
            pdb(None, Some(IntOrPercent::Percent(50))).desired_healthy(3),
            1
        );
    }
}
