//! The resource metrics API (`metrics.k8s.io`) as its clients see it: served while a
//! metrics-server pod is Ready. The HPA, the VPA recommender and `kubectl top` ask here.

use std::collections::BTreeMap;

use super::{Deployment, ObjectKey};

/// Is a metrics-server pod Ready to answer?
pub fn available(deployments: &BTreeMap<ObjectKey, Deployment>) -> bool {
    deployments
        .get(&ObjectKey::new("kube-system", "metrics-server"))
        .is_some_and(|d| d.status.ready_replicas > 0)
}
