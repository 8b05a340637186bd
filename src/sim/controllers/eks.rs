//! The EKS service: cluster creation and its control plane, default add-ons, node groups,
//! Fargate profiles and cluster configuration updates.

use crate::sim::sort::CollectSorted;
use std::collections::{BTreeMap, BTreeSet};

use crate::sim::api::meta::SelectorOperator;
use crate::sim::api::meta::SelectorRequirement;
use crate::sim::api::{
    Container, DaemonSet, Deployment, DeploymentSpec, DeploymentStatus, DeploymentStrategy,
    IntOrPercent, Kind, LabelSelector, Namespace, ObjectMeta, ObjectRef, PodDisruptionBudget,
    PodDisruptionBudgetSpec, PodDisruptionBudgetStatus, PodSpec, PodTemplateSpec, Toleration,
    TolerationOperator,
};
use crate::sim::catalog::{AddonName, addon_default_version};
use crate::sim::eks::ECR;
use crate::sim::eks::quotas::MAX_FARGATE_PROFILES;
use crate::sim::eks::validation::{validate_fargate_profile, validate_nodegroup};
use crate::sim::eks::vpc::default_subnet_id;
use crate::sim::eks::{
    Addon, AddonStatus, CapacityType, Cluster, ClusterStatus, ControlPlaneInstance,
    ControlPlaneRole, FargateProfile, FargateProfileStatus, LogType, Nodegroup,
    NodegroupScalingConfig, NodegroupStatus, Subnet,
};
use crate::sim::event::{EventType, reason};
use crate::sim::quantity::{MIB, Resources};
use crate::sim::spec::{AddonManagement, FargateProfileSpec, LabSpec, Manifest, NodegroupSpec};
use crate::sim::state::State;

use crate::sim::{Simulation, Timer};

/// The EKS service's state.
#[derive(Debug, Clone, Default)]
pub struct EksState {
    /// `eksctl create cluster` has finished (the scenario's manifests are applied then).
    pub cluster_ready: bool,
}

fn cluster_ref(sim: &Simulation) -> ObjectRef {
    ObjectRef::cluster_scoped(Kind::Cluster, sim.state.cluster.name.clone())
}

/// The state at t=0: the cluster (CREATING) with its control plane and subnets.
pub fn initial_state(spec: &LabSpec) -> Result<State, String> {
    let c = &spec.cluster;
    let mut subnets = Vec::new();
    for (i, zone) in c.zones.iter().enumerate() {
        let given = c.subnets.iter().find(|s| &s.zone == zone);
        let cidr = match given {
            Some(s) => s.cidr.clone(),
            None => crate::sim::eks::vpc::eksctl_private_subnet(&c.vpc_cidr, i, c.zones.len())?,
        };
        let id = given
            .and_then(|s| s.id.clone())
            .unwrap_or_else(|| default_subnet_id(&c.name, zone));
        subnets.push(
            Subnet::new(&id, zone, &cidr, true)
                .map_err(|e| format!("vpc.subnets.private.{zone}.cidr: {e}"))?,
        );
    }
    // The AWS-run control plane spans three AZs of the region whatever the cluster's subnets:
    // two API server instances and three etcd members (eks-facts §8).
    let region_zones = ["a", "b", "c"].map(|s| format!("{}{s}", c.region));
    let mut control_plane = Vec::new();
    for (i, z) in region_zones.iter().take(2).enumerate() {
        control_plane.push(ControlPlaneInstance {
            name: format!("kube-apiserver-{}", i + 1),
            role: ControlPlaneRole::ApiServer,
            zone: z.clone(),
            version: c.version,
            healthy: false,
        });
    }
    for (i, z) in region_zones.iter().enumerate() {
        control_plane.push(ControlPlaneInstance {
            name: format!("etcd-{}", i + 1),
            role: ControlPlaneRole::Etcd,
            zone: z.clone(),
            version: c.version,
            healthy: false,
        });
    }
    let cluster = Cluster {
        name: c.name.clone(),
        region: c.region.clone(),
        version: c.version,
        status: ClusterStatus::Creating,
        endpoint_access: c.endpoint_access.clone(),
        logging: c.logging.iter().copied().collect_set(),
        authentication_mode: c.authentication_mode,
        support_type: c.support_type,
        zones: c.zones.clone(),
        vpc_cidr: c.vpc_cidr.clone(),
        control_plane,
        addons: BTreeMap::new(),
        created_at: crate::sim::clock::SimTime::EPOCH,
        active_at: None,
        tags: c.tags.clone(),
        platform_version: 1,
        faults: BTreeSet::new(),
    };
    Ok(State {
        cluster,
        nodegroups: BTreeMap::new(),
        fargate_profiles: BTreeMap::new(),
        instances: BTreeMap::new(),
        subnets,
        namespaces: BTreeMap::new(),
        nodes: BTreeMap::new(),
        pods: BTreeMap::new(),
        deployments: BTreeMap::new(),
        replicasets: BTreeMap::new(),
        daemonsets: BTreeMap::new(),
        jobs: BTreeMap::new(),
        pdbs: BTreeMap::new(),
        hpas: BTreeMap::new(),
        vpas: BTreeMap::new(),
        traffic: BTreeMap::new(),
        pod_metrics: BTreeMap::new(),
        node_metrics: BTreeMap::new(),
        updates: Vec::new(),
        revision: 0,
    })
}

/// t=0: cluster creation starts (or, when skipped, the cluster is ACTIVE at once).
pub(crate) fn start(sim: &mut Simulation) {
    let msg = format!(
        "creating EKS cluster \"{}\" in \"{}\" region with {}",
        sim.state.cluster.name,
        sim.state.cluster.region,
        data_plane_summary(&sim.spec)
    );
    sim.record(
        EventType::Normal,
        reason::CLUSTER_CREATING,
        cluster_ref(sim),
        msg,
        "eks",
    );
    if sim.spec.settings.skip_cluster_creation {
        activate(sim);
    } else {
        let d = sim
            .rng
            .cluster
            .delay(sim.spec.settings.delays.cluster_create);
        sim.after(d, Timer::ClusterActive);
    }
}

fn data_plane_summary(spec: &LabSpec) -> String {
    let mut parts = Vec::new();
    let managed = spec
        .nodegroups
        .iter()
        .filter(|n| n.kind == crate::sim::eks::NodegroupKind::Managed)
        .count();
    let unmanaged = spec.nodegroups.len() - managed;
    if managed > 0 {
        parts.push("managed nodes");
    }
    if unmanaged > 0 {
        parts.push("un-managed nodes");
    }
    if !spec.fargate_profiles.is_empty() {
        parts.push("Fargate profile");
    }
    if parts.is_empty() {
        "no node groups".to_string()
    } else {
        parts.join(" and ")
    }
}

/// The control plane passed its health checks: ACTIVE. eksctl then installs the default
/// add-ons, creates node groups and Fargate profiles, and the manifests are applied.
pub(crate) fn activate(sim: &mut Simulation) {
    let now = sim.now();
    sim.state.cluster.status = ClusterStatus::Active;
    sim.state.cluster.active_at = Some(now);
    for cp in &mut sim.state.cluster.control_plane {
        cp.healthy = true;
    }
    sim.state.touch();
    let msg = format!(
        "control plane of EKS cluster \"{}\" is ACTIVE (Kubernetes {})",
        sim.state.cluster.name, sim.state.cluster.version
    );
    sim.record(
        EventType::Normal,
        reason::CLUSTER_ACTIVE,
        cluster_ref(sim),
        msg,
        "eks",
    );
    if !sim.state.cluster.logging.is_empty() {
        let types: Vec<&str> = sim
            .state
            .cluster
            .logging
            .iter()
            .map(|l| l.as_str())
            .collect();
        let msg = format!(
            "enabled CloudWatch logging for cluster \"{}\": {} (log group /aws/eks/{}/cluster)",
            sim.state.cluster.name,
            types.join(", "),
            sim.state.cluster.name
        );
        sim.record(
            EventType::Normal,
            reason::LOGGING_ENABLED,
            cluster_ref(sim),
            msg,
            "eks",
        );
    }
    for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] {
        let mut meta = ObjectMeta::named("", ns);
        meta.creation_timestamp = now;
        sim.state
            .namespaces
            .insert(ns.to_string(), Namespace { meta });
    }
    install_addons(sim);
    for ng in sim.spec.nodegroups.clone() {
        if let Err(e) = create_nodegroup(sim, &ng) {
            let obj = ObjectRef::cluster_scoped(Kind::Nodegroup, ng.name.clone());
            sim.record(EventType::Warning, reason::COMMAND_FAILED, obj, e, "eks");
        }
    }
    for fp in sim.spec.fargate_profiles.clone() {
        if let Err(e) = create_fargate_profile(sim, &fp) {
            let obj = ObjectRef::cluster_scoped(Kind::FargateProfile, fp.name.clone());
            sim.record(EventType::Warning, reason::COMMAND_FAILED, obj, e, "eks");
        }
    }
}

fn not_on_fargate() -> Vec<Vec<SelectorRequirement>> {
    // The EKS add-on manifests keep these DaemonSets off Fargate, hybrid and Auto Mode nodes.
    vec![vec![SelectorRequirement {
        key: "eks.amazonaws.com/compute-type".into(),
        operator: SelectorOperator::NotIn,
        values: vec!["fargate".into(), "hybrid".into(), "auto".into()],
    }]]
}

fn tolerate_all() -> Vec<Toleration> {
    vec![Toleration {
        key: String::new(),
        operator: TolerationOperator::Exists,
        value: String::new(),
        effect: None,
    }]
}

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect_map()
}

/// The default add-ons: vpc-cni (aws-node DaemonSet), kube-proxy (DaemonSet) and coredns
/// (Deployment of 2 with a PDB of maxUnavailable 1), at the catalog versions (eks-facts §5).
fn install_addons(sim: &mut Simulation) {
    let now = sim.now();
    let v = sim.state.cluster.version;
    let managed = sim.spec.cluster.addon_management == AddonManagement::EksManaged;
    for name in AddonName::ALL {
        let requested = sim
            .spec
            .cluster
            .addons
            .iter()
            .find(|a| a.name == name)
            .and_then(|a| a.version.clone());
        let version = match requested {
            Some(ver) if ver != "latest" && ver != "default" => ver,
            _ => addon_default_version(name, v).to_string(),
        };
        sim.state.cluster.addons.insert(
            name,
            Addon {
                name,
                version: version.clone(),
                status: AddonStatus::Active,
                managed,
            },
        );
        let obj = ObjectRef::cluster_scoped(Kind::Addon, name.as_str());
        let how = if managed {
            "EKS-managed"
        } else {
            "self-managed"
        };
        sim.record(
            EventType::Normal,
            reason::ADDON_ACTIVE,
            obj,
            format!("{how} add-on {} {version} is ACTIVE", name.as_str()),
            "eks",
        );
    }
    let addon_version = |n: AddonName| sim.state.cluster.addons[&n].version.clone();
    let cni = addon_version(AddonName::VpcCni);
    let proxy = addon_version(AddonName::KubeProxy).replace("-eksbuild", "-minimal-eksbuild");
    let dns = addon_version(AddonName::CoreDns);
    let ds = |name: &str, image: String, cpu_m: u64| {
        let l = labels(&[("k8s-app", name)]);
        let mut meta = ObjectMeta::named("kube-system", name);
        meta.creation_timestamp = now;
        DaemonSet {
            meta,
            selector: LabelSelector::from_labels(l.clone()),
            template: PodTemplateSpec {
                labels: l,
                annotations: BTreeMap::new(),
                spec: PodSpec {
                    containers: vec![Container {
                        name: name.to_string(),
                        image,
                        requests: Resources::new(cpu_m, 0),
                        ..Container::default()
                    }],
                    host_network: true,
                    tolerations: tolerate_all(),
                    node_affinity: not_on_fargate(),
                    priority_class_name: "system-node-critical".into(),
                    termination_grace_period_secs: 10,
                    restart_policy: "Always".into(),
                    ..PodSpec::default()
                },
            },
            max_unavailable: IntOrPercent::Percent(10),
            desired_number_scheduled: 0,
            current_number_scheduled: 0,
            number_ready: 0,
        }
    };
    // Requests from the EKS add-on manifests: aws-node 25m CPU, kube-proxy 100m CPU.
    let aws_node = ds("aws-node", format!("{ECR}/amazon-k8s-cni:{cni}"), 25);
    let kube_proxy = ds("kube-proxy", format!("{ECR}/eks/kube-proxy:{proxy}"), 100);
    for d in [aws_node, kube_proxy] {
        sim.state.daemonsets.insert(d.meta.key(), d);
    }
    // CoreDNS: 2 replicas, 100m CPU / 70Mi requests, 170Mi memory limit, PDB maxUnavailable 1.
    // Its template carries `eks.amazonaws.com/compute-type: ec2`, which keeps it off Fargate
    // unless eksctl removes it because a Fargate profile selects kube-system.
    let l = labels(&[("k8s-app", "kube-dns")]);
    let fargate_kube_system = coredns_on_fargate(&sim.spec);
    let mut annotations = BTreeMap::new();
    if !fargate_kube_system {
        annotations.insert(
            "eks.amazonaws.com/compute-type".to_string(),
            "ec2".to_string(),
        );
    }
    let mut meta = ObjectMeta::named("kube-system", "coredns");
    meta.creation_timestamp = now;
    meta.uid = sim.uid();
    let coredns = Deployment {
        meta,
        spec: DeploymentSpec {
            replicas: 2,
            selector: LabelSelector::from_labels(l.clone()),
            template: PodTemplateSpec {
                labels: l.clone(),
                annotations,
                spec: PodSpec {
                    containers: vec![Container {
                        name: "coredns".into(),
                        image: format!("{ECR}/eks/coredns:{dns}"),
                        requests: Resources::new(100, 70 * MIB),
                        limits: Resources::new(0, 170 * MIB),
                        ..Container::default()
                    }],
                    tolerations: vec![
                        Toleration {
                            key: "CriticalAddonsOnly".into(),
                            operator: TolerationOperator::Exists,
                            value: String::new(),
                            effect: None,
                        },
                        Toleration {
                            key: "node-role.kubernetes.io/control-plane".into(),
                            operator: TolerationOperator::Exists,
                            value: String::new(),
                            effect: Some(crate::sim::api::TaintEffect::NoSchedule),
                        },
                    ],
                    priority_class_name: "system-cluster-critical".into(),
                    termination_grace_period_secs: 30,
                    restart_policy: "Always".into(),
                    ..PodSpec::default()
                },
            },
            strategy: DeploymentStrategy::RollingUpdate {
                max_surge: IntOrPercent::Percent(25),
                max_unavailable: IntOrPercent::Int(1),
            },
            min_ready_seconds: 0,
            paused: false,
        },
        status: DeploymentStatus::default(),
    };
    sim.state.deployments.insert(coredns.meta.key(), coredns);
    let mut meta = ObjectMeta::named("kube-system", "coredns");
    meta.creation_timestamp = now;
    let pdb = PodDisruptionBudget {
        meta,
        spec: PodDisruptionBudgetSpec {
            min_available: None,
            max_unavailable: Some(IntOrPercent::Int(1)),
            selector: LabelSelector::from_labels(l),
        },
        status: PodDisruptionBudgetStatus::default(),
    };
    sim.state.pdbs.insert(pdb.meta.key(), pdb);
    install_optional_components(sim);
    sim.state.touch();
}

/// A one-container Deployment in kube-system, as the add-on's manifest or Helm chart makes it.
fn system_deployment(
    name: &str,
    app_label: (&str, &str),
    image: String,
    requests: Resources,
    replicas: i32,
    annotations: &[(&str, &str)],
) -> Deployment {
    let l = labels(&[app_label]);
    let mut meta = ObjectMeta::named("kube-system", name);
    meta.labels = l.clone();
    Deployment {
        meta,
        spec: DeploymentSpec {
            replicas,
            selector: LabelSelector::from_labels(l.clone()),
            template: PodTemplateSpec {
                labels: l,
                annotations: annotations
                    .iter()
                    .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                    .collect_map(),
                spec: PodSpec {
                    containers: vec![Container {
                        name: name.to_string(),
                        image,
                        requests,
                        ..Container::default()
                    }],
                    priority_class_name: "system-cluster-critical".into(),
                    termination_grace_period_secs: 30,
                    restart_policy: "Always".into(),
                    ..PodSpec::default()
                },
            },
            strategy: DeploymentStrategy::default(),
            min_ready_seconds: 0,
            paused: false,
        },
        status: DeploymentStatus::default(),
    }
}

/// What the learner installs on top of EKS's defaults: the metrics-server add-on, the Cluster
/// Autoscaler and the Vertical Pod Autoscaler. Each is a Deployment that takes room on the
/// nodes, and each works only while its pods run.
fn install_optional_components(sim: &mut Simulation) {
    let now = sim.now();
    let v = sim.state.cluster.version;
    let mut deployments = Vec::new();
    if let Some(a) = sim
        .spec
        .cluster
        .addons
        .iter()
        .find(|a| a.name == AddonName::MetricsServer)
    {
        let version = match &a.version {
            Some(ver) if ver != "latest" && ver != "default" => ver.clone(),
            _ => addon_default_version(AddonName::MetricsServer, v).to_string(),
        };
        let managed = sim.spec.cluster.addon_management == AddonManagement::EksManaged;
        sim.state.cluster.addons.insert(
            AddonName::MetricsServer,
            Addon {
                name: AddonName::MetricsServer,
                version: version.clone(),
                status: AddonStatus::Active,
                managed,
            },
        );
        let obj = ObjectRef::cluster_scoped(Kind::Addon, AddonName::MetricsServer.as_str());
        sim.record(
            EventType::Normal,
            reason::ADDON_ACTIVE,
            obj,
            format!("EKS add-on metrics-server {version} is ACTIVE"),
            "eks",
        );
        // Upstream components.yaml: one replica, requests 100m CPU / 200Mi.
        deployments.push(system_deployment(
            "metrics-server",
            ("k8s-app", "metrics-server"),
            format!("{ECR}/eks/metrics-server:{version}"),
            Resources::new(100, 200 * MIB),
            1,
            &[],
        ));
    }
    if sim.spec.settings.cluster_autoscaler.is_some() {
        // The CA image follows the cluster's minor version (eks-facts §6.2); AWS's example
        // manifest requests 100m CPU / 600Mi and marks the pod not safe to evict.
        deployments.push(system_deployment(
            "cluster-autoscaler",
            ("app", "cluster-autoscaler"),
            format!("registry.k8s.io/autoscaling/cluster-autoscaler:v{v}.0"),
            Resources::new(100, 600 * MIB),
            1,
            &[("cluster-autoscaler.kubernetes.io/safe-to-evict", "false")],
        ));
    }
    if sim.spec.settings.vertical_pod_autoscaler {
        // Upstream VPA manifests: recommender and updater 50m / 500Mi, admission 50m / 200Mi.
        // 1.5.0 is the release that behaves as modelled (eks-facts §6.3): `Recreate` is the
        // default mode, `Auto` is deprecated, and `InPlaceOrRecreate` is beta and on.
        for (name, mem) in [
            ("vpa-recommender", 500),
            ("vpa-updater", 500),
            ("vpa-admission-controller", 200),
        ] {
            deployments.push(system_deployment(
                name,
                ("app", name),
                format!("registry.k8s.io/autoscaling/{name}:1.5.0"),
                Resources::new(50, mem * MIB),
                1,
                &[],
            ));
        }
    }
    for mut d in deployments {
        d.meta.creation_timestamp = now;
        d.meta.uid = sim.uid();
        sim.state.deployments.insert(d.meta.key(), d);
    }
}

/// `eksctl create nodegroup` (and the node groups of the cluster config).
pub(crate) fn create_nodegroup(
    sim: &mut Simulation,
    spec: &NodegroupSpec,
) -> Result<String, String> {
    let cluster = sim.state.cluster.name.clone();
    if sim.state.nodegroups.contains_key(&spec.name) {
        return Err(format!(
            "Error: nodegroup \"{}\" already exists in cluster \"{cluster}\"",
            spec.name
        ));
    }
    validate_nodegroup(&sim.state.cluster.zones, sim.state.cluster.version, spec)
        .map_err(|e| format!("Error: {e}"))?;
    let now = sim.now();
    let version = spec.version.unwrap_or(sim.state.cluster.version);
    let ng = Nodegroup {
        name: spec.name.clone(),
        kind: spec.kind,
        scaling: NodegroupScalingConfig {
            min_size: spec.min_size,
            desired_size: spec.desired_capacity,
            max_size: spec.max_size,
        },
        instance_types: spec.instance_types.clone(),
        capacity_type: if spec.spot {
            CapacityType::Spot
        } else {
            CapacityType::OnDemand
        },
        labels: spec.labels.clone(),
        taints: spec.taints.clone(),
        update_config: spec.update_config,
        update_strategy: spec.update_strategy,
        volume_size_gib: spec.volume_size_gib,
        volume_type: spec.volume_type.clone(),
        ami_family: spec.ami_family.clone(),
        version,
        ami_name: crate::sim::eks::managed_update::ami_name(version, &spec.instance_types[0]),
        zones: spec.zones.clone(),
        max_pods_override: spec.max_pods_per_node,
        status: NodegroupStatus::Creating,
        launch_template_version: 1,
        created_at: now,
        spot_interruptions_per_million_hours: 0,
        private_networking: spec.private_networking,
        autoscaler_tags: spec.autoscaler_tags
            || spec.kind == crate::sim::eks::NodegroupKind::Managed,
    };
    let kind = ng.kind;
    sim.state.nodegroups.insert(spec.name.clone(), ng);
    sim.state.touch();
    let what = match kind {
        crate::sim::eks::NodegroupKind::Managed => "managed nodegroup",
        crate::sim::eks::NodegroupKind::SelfManaged => "nodegroup",
    };
    let obj = ObjectRef::cluster_scoped(Kind::Nodegroup, spec.name.clone());
    sim.record(
        EventType::Normal,
        reason::NODEGROUP_CREATING,
        obj,
        format!(
            "creating {what} \"{}\": {} x {} ({}), desired {} (min {}, max {})",
            spec.name,
            spec.desired_capacity,
            spec.instance_types.join("/"),
            if spec.spot { "SPOT" } else { "ON_DEMAND" },
            spec.desired_capacity,
            spec.min_size,
            spec.max_size
        ),
        "eks",
    );
    Ok(format!("created 1 {what}(s) in cluster \"{cluster}\""))
}

/// `eksctl delete nodegroup`: eksctl drains the nodes (respecting PDBs), then the group and
/// its instances are deleted.
pub(crate) fn delete_nodegroup(sim: &mut Simulation, name: &str) -> Result<String, String> {
    let cluster = sim.state.cluster.name.clone();
    let Some(ng) = sim.state.nodegroups.get_mut(name) else {
        return Err(format!(
            "Error: nodegroup \"{name}\" not found in cluster \"{cluster}\""
        ));
    };
    if ng.status == NodegroupStatus::Deleting {
        return Ok(format!("nodegroup \"{name}\" is already being deleted"));
    }
    ng.status = NodegroupStatus::Deleting;
    sim.state.touch();
    let obj = ObjectRef::cluster_scoped(Kind::Nodegroup, name.to_string());
    sim.record(
        EventType::Normal,
        reason::NODEGROUP_DELETING,
        obj,
        format!("draining and deleting nodegroup \"{name}\""),
        "eksctl",
    );
    let nodes: Vec<String> = sim
        .state
        .nodes
        .values()
        .filter(|n| n.data_plane.group_name() == name && !n.data_plane.is_fargate())
        .map(|n| n.name().to_string())
        .collect();
    for n in &nodes {
        super::node_drain::start(sim, n, super::node_drain::DrainPurpose::NodegroupDelete);
    }
    // Instances that never registered go straight away.
    let bare: Vec<String> = sim
        .state
        .instances
        .values()
        .filter(|i| {
            i.nodegroup == name
                && i.is_live()
                && (i.node_name.is_empty() || !sim.state.nodes.contains_key(&i.node_name))
        })
        .map(|i| i.id.clone())
        .collect();
    for id in bare {
        super::auto_scaling_group::terminate(sim, &id, "nodegroup deleted");
    }
    Ok(format!(
        "will drain {} node(s) in nodegroup \"{name}\" and delete it",
        nodes.len()
    ))
}

/// Does a Fargate profile of the spec take every kube-system pod (so CoreDNS runs on Fargate)?
fn coredns_on_fargate(spec: &LabSpec) -> bool {
    spec.fargate_profiles.iter().any(|fp| {
        fp.selectors.iter().any(|s| {
            crate::sim::eks::fargate_profile::wildcard_match(&s.namespace, "kube-system")
                && s.labels.is_empty()
        })
    })
}

/// `eksctl create cluster` returns once the control plane, the Fargate profiles and the node
/// groups of the config are all ACTIVE; only then does the learner's `kubectl apply` run, so
/// the scenario's manifests are applied at that moment (namespaces first, then file order).
fn finish_cluster_creation(sim: &mut Simulation) {
    if sim.controllers.eks.cluster_ready || !sim.state.cluster.is_active() {
        return;
    }
    let ngs_ready = sim.spec.nodegroups.iter().all(|n| {
        sim.state
            .nodegroups
            .get(&n.name)
            .is_none_or(|g| g.status != NodegroupStatus::Creating)
    });
    let fps_ready = sim.spec.fargate_profiles.iter().all(|f| {
        sim.state
            .fargate_profiles
            .get(&f.name)
            .is_none_or(|p| p.status != FargateProfileStatus::Creating)
    });
    if !(ngs_ready && fps_ready) {
        return;
    }
    sim.controllers.eks.cluster_ready = true;
    let msg = format!(
        "EKS cluster \"{}\" in \"{}\" region is ready",
        sim.state.cluster.name, sim.state.cluster.region
    );
    sim.record(
        EventType::Normal,
        reason::CLUSTER_READY,
        cluster_ref(sim),
        msg,
        "eksctl",
    );
    // The CoreDNS pods were created before the Fargate profiles were ACTIVE, so the webhook
    // sent them to the default scheduler; eksctl restarts CoreDNS once a profile selecting
    // kube-system is ACTIVE, and the new pods land on Fargate.
    if coredns_on_fargate(&sim.spec) {
        let key = crate::sim::api::ObjectKey::new("kube-system", "coredns");
        let _ = crate::sim::api_server::patch::rollout_restart(sim, &key);
    }
    let mut manifests = sim.spec.manifests.clone();
    crate::sim::sort::sort_by_key(&mut manifests, |m| !matches!(m, Manifest::Namespace(_)));
    for m in manifests {
        let (kind, name) = (m.kind(), m.name().to_string());
        let ns = m.namespace().to_string();
        if let Err(e) = crate::sim::api_server::apply(sim, m) {
            sim.record(
                EventType::Warning,
                reason::COMMAND_FAILED,
                ObjectRef::new(kind, ns, name),
                e,
                "kubectl",
            );
        }
    }
}

/// Node group status: ACTIVE once the desired number of nodes are Ready; a deleted group
/// disappears once its instances are gone.
pub(crate) fn reconcile(sim: &mut Simulation) {
    reconcile_nodegroups(sim);
    finish_cluster_creation(sim);
}

fn reconcile_nodegroups(sim: &mut Simulation) {
    let names: Vec<String> = sim.state.nodegroups.keys().cloned().collect();
    for name in names {
        let ng = &sim.state.nodegroups[&name];
        let ready = sim
            .state
            .nodes
            .values()
            .filter(|n| {
                n.is_ready() && n.data_plane.group_name() == name && !n.data_plane.is_fargate()
            })
            .count() as u64;
        match ng.status {
            NodegroupStatus::Creating
                if ready >= crate::sim::api::count(ng.scaling.desired_size) =>
            {
                if let Some(g) = sim.state.nodegroups.get_mut(&name) {
                    g.status = NodegroupStatus::Active;
                }
                let obj = ObjectRef::cluster_scoped(Kind::Nodegroup, name.clone());
                sim.record(
                    EventType::Normal,
                    reason::NODEGROUP_ACTIVE,
                    obj,
                    format!("nodegroup \"{name}\" is ACTIVE with {ready} node(s) Ready"),
                    "eks",
                );
            }
            NodegroupStatus::Deleting => {
                let live = sim.state.instances.values().any(|i| {
                    i.nodegroup == name && i.state != crate::sim::eks::InstanceState::Terminated
                });
                if !live {
                    sim.state.nodegroups.remove(&name);
                    sim.state.touch();
                    let obj = ObjectRef::cluster_scoped(Kind::Nodegroup, name.clone());
                    sim.record(
                        EventType::Normal,
                        reason::NODEGROUP_DELETED,
                        obj,
                        format!("deleted nodegroup \"{name}\""),
                        "eks",
                    );
                }
            }
            _ => {}
        }
    }
}

/// `eksctl create fargateprofile`.
pub(crate) fn create_fargate_profile(
    sim: &mut Simulation,
    spec: &FargateProfileSpec,
) -> Result<String, String> {
    let cluster = sim.state.cluster.name.clone();
    validate_fargate_profile(spec).map_err(|e| format!("Error: {e}"))?;
    if sim.state.fargate_profiles.contains_key(&spec.name) {
        // Profiles are immutable (eks-facts §2): a change means a new profile.
        return Err(format!(
            "Error: Fargate profile \"{}\" already exists; Fargate profiles are immutable, create a new one and delete the old",
            spec.name
        ));
    }
    if sim.state.fargate_profiles.len() >= MAX_FARGATE_PROFILES {
        return Err(format!(
            "Error: the cluster already has {MAX_FARGATE_PROFILES} Fargate profiles (quota)"
        ));
    }
    if let Some(d) = sim
        .state
        .fargate_profiles
        .values()
        .find(|p| p.status == FargateProfileStatus::Deleting)
    {
        return Err(format!(
            "Error: ResourceInUseException: cannot create a Fargate profile while Fargate profile \"{}\" is DELETING",
            d.name
        ));
    }
    let now = sim.now();
    let private: Vec<String> = sim
        .state
        .subnets
        .iter()
        .filter(|s| s.private)
        .map(|s| s.id.clone())
        .collect();
    sim.state.fargate_profiles.insert(
        spec.name.clone(),
        FargateProfile {
            name: spec.name.clone(),
            selectors: spec.selectors.clone(),
            subnets: if spec.subnets.is_empty() {
                private
            } else {
                spec.subnets.clone()
            },
            pod_execution_role_arn: format!(
                "arn:aws:iam::111122223333:role/eksctl-{cluster}-FargatePodExecutionRole"
            ),
            status: FargateProfileStatus::Creating,
            created_at: now,
        },
    );
    sim.state.touch();
    let d = sim
        .rng
        .cluster
        .delay(sim.spec.settings.delays.fargate_profile_create);
    sim.after(d, Timer::FargateProfileActive(spec.name.clone()));
    Ok(format!(
        "creating Fargate profile \"{}\" on EKS cluster \"{cluster}\"",
        spec.name
    ))
}

pub(crate) fn fargate_profile_active(sim: &mut Simulation, name: &str) {
    let Some(fp) = sim.state.fargate_profiles.get_mut(name) else {
        return;
    };
    if fp.status != FargateProfileStatus::Creating {
        return;
    }
    fp.status = FargateProfileStatus::Active;
    let cluster = sim.state.cluster.name.clone();
    sim.state.touch();
    let obj = ObjectRef::cluster_scoped(Kind::FargateProfile, name.to_string());
    sim.record(
        EventType::Normal,
        reason::FARGATE_PROFILE_ACTIVE,
        obj,
        format!("created Fargate profile \"{name}\" on EKS cluster \"{cluster}\""),
        "eks",
    );
}

/// `eksctl delete fargateprofile`: the profile's pods are stopped; their controllers recreate
/// them, and they stay Pending unless another profile or an EC2 node takes them.
pub(crate) fn delete_fargate_profile(sim: &mut Simulation, name: &str) -> Result<String, String> {
    let cluster = sim.state.cluster.name.clone();
    let Some(fp) = sim.state.fargate_profiles.get_mut(name) else {
        return Err(format!(
            "Error: Fargate profile \"{name}\" not found in cluster \"{cluster}\""
        ));
    };
    if fp.status == FargateProfileStatus::Deleting {
        return Ok(format!(
            "Fargate profile \"{name}\" is already being deleted"
        ));
    }
    fp.status = FargateProfileStatus::Deleting;
    sim.state.touch();
    let pods: Vec<_> = sim
        .state
        .pods
        .values()
        .filter(|p| {
            p.meta
                .labels
                .get("eks.amazonaws.com/fargate-profile")
                .map(String::as_str)
                == Some(name)
        })
        .map(|p| p.meta.key())
        .collect();
    for k in pods {
        crate::sim::api_server::delete_pod(sim, &k);
    }
    let d = sim
        .rng
        .cluster
        .delay(sim.spec.settings.delays.fargate_profile_create);
    sim.after(d, Timer::FargateProfileDeleted(name.to_string()));
    Ok(format!("deleting Fargate profile \"{name}\""))
}

pub(crate) fn fargate_profile_deleted(sim: &mut Simulation, name: &str) {
    if sim.state.fargate_profiles.remove(name).is_some() {
        sim.state.touch();
        let obj = ObjectRef::cluster_scoped(Kind::FargateProfile, name.to_string());
        sim.record(
            EventType::Normal,
            reason::FARGATE_PROFILE_DELETED,
            obj,
            format!("deleted Fargate profile \"{name}\""),
            "eks",
        );
    }
}

/// Changing control plane logging needs up to five free IPs in each subnet (eks-facts §3).
pub(crate) fn update_logging(
    sim: &mut Simulation,
    enable: &[LogType],
    disable: &[LogType],
) -> Result<String, String> {
    check_update_ips(sim)?;
    for l in enable {
        sim.state.cluster.logging.insert(*l);
    }
    for l in disable {
        sim.state.cluster.logging.remove(l);
    }
    sim.state.touch();
    let on: Vec<&str> = sim
        .state
        .cluster
        .logging
        .iter()
        .map(|l| l.as_str())
        .collect();
    let msg = if on.is_empty() {
        "all control plane log types disabled".to_string()
    } else {
        format!("enabled log types: {}", on.join(", "))
    };
    sim.record(
        EventType::Normal,
        reason::CLUSTER_UPDATED,
        cluster_ref(sim),
        msg.clone(),
        "eks",
    );
    Ok(format!(
        "configured CloudWatch logging for cluster \"{}\": {msg}",
        sim.state.cluster.name
    ))
}

/// Endpoint access: private access must be on to turn public access off (eks-facts §8).
pub(crate) fn update_endpoint_access(
    sim: &mut Simulation,
    public: bool,
    private: bool,
) -> Result<String, String> {
    if !public && !private {
        return Err(
            "Error: at least one of public and private endpoint access must be enabled".into(),
        );
    }
    check_update_ips(sim)?;
    sim.state.cluster.endpoint_access.public = public;
    sim.state.cluster.endpoint_access.private = private;
    sim.state.touch();
    let mode = sim.state.cluster.endpoint_access.describe();
    sim.record(
        EventType::Normal,
        reason::CLUSTER_UPDATED,
        cluster_ref(sim),
        format!("endpoint access is now {mode}"),
        "eks",
    );
    Ok(format!(
        "updated Kubernetes API endpoint access for cluster \"{}\" (public: {public}, private: {private})",
        sim.state.cluster.name
    ))
}

fn check_update_ips(sim: &Simulation) -> Result<(), String> {
    if let Some(s) = sim.state.subnets.iter().find(|s| s.free() < 5) {
        return Err(format!(
            "Error: InvalidRequestException: subnet {} ({}) has {} free IP addresses; cluster updates need up to five",
            s.id,
            s.zone,
            s.free()
        ));
    }
    Ok(())
}
