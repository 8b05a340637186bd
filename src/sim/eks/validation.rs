//! The checks EKS (and eksctl) make of a lab's spec before it starts, and of a node group or
//! Fargate profile created later: versions on the lab's calendar, zones, instance types, sizes
//! within the quotas. The scenario loader, the cluster form and the simulated EKS API share them.

use std::collections::BTreeSet;

use crate::sim::catalog::KubernetesVersion;
use crate::sim::catalog::instance_types::known_instance_types;
use crate::sim::catalog::versions::{SupportStatus, VERSIONS, known_versions};
use crate::sim::catalog::{instance_type, version_info};
use crate::sim::clock::Date;
use crate::sim::eks::quotas::{
    MAX_FARGATE_PROFILES, MAX_LABELS_PER_SELECTOR, MAX_NODES_PER_MANAGED_NODEGROUP,
    MAX_SELECTORS_PER_PROFILE,
};
use crate::sim::spec::{FargateProfileSpec, LabSpec, NodegroupSpec};

/// Checks a whole spec before the lab starts; the message names the field.
pub fn validate_spec(spec: &LabSpec) -> Result<(), String> {
    let c = &spec.cluster;
    if c.name.is_empty() {
        return Err("metadata.name: the cluster needs a name".into());
    }
    let oldest = VERSIONS.first().map(|r| r.version);
    let Some(info) = version_info(c.version) else {
        if oldest.is_some_and(|o| c.version < o) {
            return Err(retired_version(c.version, None, spec.start_date));
        }
        return Err(format!(
            "metadata.version: Kubernetes {} is not an EKS version the lab knows (known: {})",
            c.version,
            known_versions()
        ));
    };
    match info.status_on(spec.start_date) {
        SupportStatus::NotYetReleased => {
            return Err(format!(
                "metadata.version: Kubernetes {} is not released on EKS until {} (lab date {})",
                c.version, info.eks_release, spec.start_date
            ));
        }
        SupportStatus::EndOfLife => {
            return Err(retired_version(
                c.version,
                Some(info.end_of_extended),
                spec.start_date,
            ));
        }
        _ => {}
    }
    if c.zones.len() < 2 {
        return Err(
            "availabilityZones: EKS needs subnets in at least two Availability Zones".into(),
        );
    }
    let mut seen = BTreeSet::new();
    for z in &c.zones {
        if !seen.insert(z) {
            return Err(format!("availabilityZones: {z} is listed twice"));
        }
    }
    let mut names = BTreeSet::new();
    for ng in &spec.nodegroups {
        validate_nodegroup(&spec.cluster.zones, spec.cluster.version, ng)?;
        if !names.insert(ng.name.clone()) {
            return Err(format!("nodegroup {:?} is defined twice", ng.name));
        }
    }
    if spec.fargate_profiles.len() > MAX_FARGATE_PROFILES {
        return Err(format!(
            "fargateProfiles: at most {MAX_FARGATE_PROFILES} Fargate profiles per cluster (eks-facts §2)"
        ));
    }
    let mut fp_names = BTreeSet::new();
    for fp in &spec.fargate_profiles {
        validate_fargate_profile(fp)?;
        if !fp_names.insert(fp.name.clone()) {
            return Err(format!("Fargate profile {:?} is defined twice", fp.name));
        }
    }
    Ok(())
}

/// The refusal of a version EKS no longer runs on `date`: eksctl's message
/// (pkg/eks/versions_manager.go `ValidateVersion`: the supported values are the versions EKS
/// does not list as UNSUPPORTED), then what it means. `ended` is the end of extended support
/// when the lab's calendar has the version.
fn retired_version(v: KubernetesVersion, ended: Option<Date>, date: Date) -> String {
    let supported: Vec<String> = VERSIONS
        .iter()
        .filter(|r| {
            matches!(
                r.status_on(date),
                SupportStatus::Standard | SupportStatus::Extended
            )
        })
        .map(|r| r.version.to_string())
        .collect();
    let when = if let Some(d) = ended {
        format!("its end of extended support was {d}")
    } else {
        let first = VERSIONS.first();
        format!(
            "its end of extended support came before {}'s, {}",
            first.map_or(v, |r| r.version),
            first.map_or(date, |r| r.end_of_extended)
        )
    };
    let oldest = supported
        .first()
        .map_or_else(|| "none".to_string(), String::clone);
    format!(
        "metadata.version: EKS no longer runs Kubernetes {v}: {when}, and on the lab's date, {date}, the oldest version EKS runs is {oldest} (eksctl: invalid version, {v} is no longer supported, supported values: {})",
        supported.join(", ")
    )
}

/// Checks a node group against the cluster as it is now: its zones and its Kubernetes
/// version (which an upgrade changes after the lab starts).
pub(crate) fn validate_nodegroup(
    zones: &[String],
    cluster_version: crate::sim::catalog::KubernetesVersion,
    ng: &NodegroupSpec,
) -> Result<(), String> {
    let n = &ng.name;
    if ng.name.is_empty() {
        return Err("nodegroup name is required".into());
    }
    if ng.instance_types.is_empty() {
        return Err(format!("nodegroup {n:?}: instanceType is required"));
    }
    for t in &ng.instance_types {
        if instance_type(t).is_none() {
            return Err(format!(
                "nodegroup {n:?}: instance type {t:?} is not in the lab's catalog (known: {})",
                known_instance_types()
            ));
        }
    }
    if ng.min_size < 0 {
        return Err(format!(
            "nodegroup {n:?}: minSize ({}) must be 0 or greater",
            ng.min_size
        ));
    }
    if !(ng.min_size <= ng.desired_capacity && ng.desired_capacity <= ng.max_size) {
        return Err(format!(
            "nodegroup {n:?}: sizes must satisfy minSize ({}) <= desiredCapacity ({}) <= maxSize ({})",
            ng.min_size, ng.desired_capacity, ng.max_size
        ));
    }
    // EKS's quota of nodes per managed node group; a self-managed group (an Auto Scaling group
    // of yours) has only the lab's limit.
    if ng.kind == crate::sim::eks::NodegroupKind::Managed
        && ng.max_size > MAX_NODES_PER_MANAGED_NODEGROUP
    {
        return Err(format!(
            "nodegroup {n:?}: maxSize {} exceeds the {MAX_NODES_PER_MANAGED_NODEGROUP} nodes per managed node group quota",
            ng.max_size
        ));
    }
    crate::limits::check::nodegroup_size(i128::from(ng.max_size), ng.max_size)
        .map_err(|e| format!("nodegroup {n:?}: maxSize: {e}"))?;
    if let Some(m) = ng.max_pods_per_node {
        crate::limits::check::pods_per_node(i128::from(m), m)
            .map_err(|e| format!("nodegroup {n:?}: maxPodsPerNode: {e}"))?;
    }
    for z in &ng.zones {
        if !zones.contains(z) {
            return Err(format!(
                "nodegroup {n:?}: availability zone {z} is not one of the cluster's ({})",
                zones.join(", ")
            ));
        }
    }
    if let Some(v) = ng.version
        && v != cluster_version
        && ng.kind == crate::sim::eks::NodegroupKind::Managed
        && v < cluster_version
    {
        // CreateNodegroup: "By default, the Kubernetes version of the cluster is used, and
        // this is the only accepted specified value" (EKS API reference; eks-facts §4).
        return Err(format!(
            "nodegroup {n:?}: managed node groups are created at the cluster's Kubernetes version ({cluster_version}), not {v}"
        ));
    }
    if let Some(v) = ng.version
        && v > cluster_version
    {
        return Err(format!(
            "nodegroup {n:?}: version {v} is newer than the control plane {cluster_version}; kubelets may not be newer than the API server"
        ));
    }
    Ok(())
}

pub(crate) fn validate_fargate_profile(fp: &FargateProfileSpec) -> Result<(), String> {
    if fp.name.is_empty() {
        return Err("Fargate profile name is required".into());
    }
    if fp.selectors.is_empty() {
        return Err(format!(
            "Fargate profile {:?}: at least one selector is required",
            fp.name
        ));
    }
    if fp.selectors.len() > MAX_SELECTORS_PER_PROFILE {
        return Err(format!(
            "Fargate profile {:?}: at most {MAX_SELECTORS_PER_PROFILE} selectors per profile (eks-facts §2)",
            fp.name
        ));
    }
    for (i, s) in fp.selectors.iter().enumerate() {
        if s.namespace.is_empty() {
            return Err(format!(
                "Fargate profile {:?}: selectors[{i}].namespace is required",
                fp.name
            ));
        }
        if s.labels.len() > MAX_LABELS_PER_SELECTOR {
            return Err(format!(
                "Fargate profile {:?}: selectors[{i}] has more than {MAX_LABELS_PER_SELECTOR} labels",
                fp.name
            ));
        }
    }
    Ok(())
}
