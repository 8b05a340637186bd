//! What a lab is built from: the cluster, its data planes, the manifests and the settings.
//! The scenario loader (`crate::scenario`) produces a `LabSpec` from eksctl and Kubernetes
//! YAML; the browser's builder produces the same thing.

use std::collections::BTreeMap;

use super::api::{DaemonSet, Deployment, Job, Namespace, Pod, PodDisruptionBudget, Taint};
use super::catalog::{AddonName, KubernetesVersion};
use super::clock::{Date, SimDuration};
use super::eks::{
    AuthenticationMode, EndpointAccess, LogType, NodegroupKind, NodegroupUpdateConfig, SupportType,
    UpdateStrategy,
};
use super::rng::Delay;

/// A whole lab: cluster, data planes, workloads, timeline and settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabSpec {
    pub seed: u64,
    pub start_date: Date,
    pub duration: Option<SimDuration>,
    pub cluster: ClusterSpec,
    pub nodegroups: Vec<NodegroupSpec>,
    pub fargate_profiles: Vec<FargateProfileSpec>,
    pub manifests: Vec<Manifest>,
    pub timeline: Vec<TimelineEntry>,
    pub settings: LabSettings,
    /// Load on workloads from the start (timeline entries can change it later).
    pub traffic: Vec<super::traffic::TrafficSpec>,
}

/// Default start date of a lab's calendar. Fixed, so that the same file gives the same run.
pub const DEFAULT_START_DATE: Date = Date::from_ymd(2026, 11, 1);

/// How the cluster's default add-ons are run (eks-facts §5 and issue 6): a cluster created from
/// a config file or the console gets EKS-managed add-ons; one created by eksctl without a
/// config file gets self-managed ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddonManagement {
    EksManaged,
    SelfManaged,
}

/// One add-on request (`addons[]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddonSpec {
    pub name: AddonName,
    /// `None` or `latest`: the catalog default for the cluster version.
    pub version: Option<String>,
}

/// A subnet override (`vpc.subnets.private.<name>`: its `az`, `cidr` and `id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubnetSpec {
    pub zone: String,
    pub cidr: String,
    /// The subnet ID the file gives (`subnet-...`); `None`: the lab makes one up.
    pub id: Option<String>,
}

/// The cluster itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterSpec {
    pub name: String,
    pub region: String,
    pub version: KubernetesVersion,
    pub zones: Vec<String>,
    pub vpc_cidr: String,
    pub subnets: Vec<SubnetSpec>,
    pub endpoint_access: EndpointAccess,
    pub logging: Vec<LogType>,
    pub authentication_mode: AuthenticationMode,
    pub support_type: SupportType,
    pub addons: Vec<AddonSpec>,
    pub addon_management: AddonManagement,
    pub tags: BTreeMap<String, String>,
}

impl Default for ClusterSpec {
    /// eksctl's defaults (eks-facts §10), with the lab's us-east-1 region and three AZs.
    fn default() -> Self {
        ClusterSpec {
            name: "lab".to_string(),
            region: "us-east-1".to_string(),
            version: super::catalog::versions::EKSCTL_DEFAULT_VERSION,
            zones: vec![
                "us-east-1a".into(),
                "us-east-1b".into(),
                "us-east-1c".into(),
            ],
            vpc_cidr: "192.168.0.0/16".to_string(),
            subnets: Vec::new(),
            endpoint_access: EndpointAccess::default(),
            logging: Vec::new(),
            authentication_mode: AuthenticationMode::ApiAndConfigMap,
            support_type: SupportType::Extended,
            addons: Vec::new(),
            addon_management: AddonManagement::EksManaged,
            tags: BTreeMap::new(),
        }
    }
}

/// A node group to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodegroupSpec {
    pub name: String,
    pub kind: NodegroupKind,
    pub instance_types: Vec<String>,
    /// EKS `NodegroupScalingConfig` and Auto Scaling group sizes are int32 (see
    /// [`crate::sim::eks::NodegroupScalingConfig`]).
    pub min_size: i32,
    pub desired_capacity: i32,
    pub max_size: i32,
    pub spot: bool,
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<Taint>,
    pub update_config: NodegroupUpdateConfig,
    /// `updateConfig.updateStrategy` (managed node groups; eks-facts §4).
    pub update_strategy: UpdateStrategy,
    pub volume_size_gib: u64,
    pub volume_type: String,
    pub ami_family: String,
    /// Empty: every cluster AZ.
    pub zones: Vec<String>,
    pub max_pods_per_node: Option<u64>,
    pub private_networking: bool,
    /// Kubelet version; `None` means the cluster's version.
    pub version: Option<KubernetesVersion>,
    /// The ASG carries the Cluster Autoscaler's auto-discovery tags. EKS tags managed node
    /// groups itself; eksctl tags self-managed ones with `iam.withAddonPolicies.autoScaler`.
    pub autoscaler_tags: bool,
}

impl NodegroupSpec {
    /// eksctl's defaults for a managed node group (eks-facts §10): m5.large, 2/2/2, 80 GiB gp3,
    /// AmazonLinux2023.
    pub fn managed(name: &str) -> NodegroupSpec {
        NodegroupSpec {
            name: name.to_string(),
            kind: NodegroupKind::Managed,
            instance_types: vec!["m5.large".to_string()],
            min_size: 2,
            desired_capacity: 2,
            max_size: 2,
            spot: false,
            labels: BTreeMap::new(),
            taints: Vec::new(),
            update_config: NodegroupUpdateConfig::default(),
            update_strategy: UpdateStrategy::Default,
            volume_size_gib: 80,
            volume_type: "gp3".to_string(),
            ami_family: "AmazonLinux2023".to_string(),
            zones: Vec::new(),
            max_pods_per_node: None,
            private_networking: false,
            version: None,
            autoscaler_tags: true,
        }
    }

    pub fn self_managed(name: &str) -> NodegroupSpec {
        NodegroupSpec {
            kind: NodegroupKind::SelfManaged,
            autoscaler_tags: false,
            ..NodegroupSpec::managed(name)
        }
    }
}

/// A Fargate profile to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FargateProfileSpec {
    pub name: String,
    pub selectors: Vec<super::eks::FargateProfileSelector>,
    pub subnets: Vec<String>,
}

/// A Kubernetes object to apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Manifest {
    Namespace(Namespace),
    Deployment(Deployment),
    DaemonSet(DaemonSet),
    Job(Job),
    PodDisruptionBudget(PodDisruptionBudget),
    Pod(Pod),
    HorizontalPodAutoscaler(super::api::HorizontalPodAutoscaler),
    VerticalPodAutoscaler(super::api::VerticalPodAutoscaler),
}

impl Manifest {
    pub fn kind(&self) -> super::api::Kind {
        use super::api::Kind;
        match self {
            Manifest::Namespace(_) => Kind::Namespace,
            Manifest::Deployment(_) => Kind::Deployment,
            Manifest::DaemonSet(_) => Kind::DaemonSet,
            Manifest::Job(_) => Kind::Job,
            Manifest::PodDisruptionBudget(_) => Kind::PodDisruptionBudget,
            Manifest::Pod(_) => Kind::Pod,
            Manifest::HorizontalPodAutoscaler(_) => Kind::HorizontalPodAutoscaler,
            Manifest::VerticalPodAutoscaler(_) => Kind::VerticalPodAutoscaler,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Manifest::Namespace(o) => &o.meta.name,
            Manifest::Deployment(o) => &o.meta.name,
            Manifest::DaemonSet(o) => &o.meta.name,
            Manifest::Job(o) => &o.meta.name,
            Manifest::PodDisruptionBudget(o) => &o.meta.name,
            Manifest::Pod(o) => &o.meta.name,
            Manifest::HorizontalPodAutoscaler(o) => &o.meta.name,
            Manifest::VerticalPodAutoscaler(o) => &o.meta.name,
        }
    }

    pub fn namespace(&self) -> &str {
        match self {
            Manifest::Namespace(_) => "",
            Manifest::Deployment(o) => &o.meta.namespace,
            Manifest::DaemonSet(o) => &o.meta.namespace,
            Manifest::Job(o) => &o.meta.namespace,
            Manifest::PodDisruptionBudget(o) => &o.meta.namespace,
            Manifest::Pod(o) => &o.meta.namespace,
            Manifest::HorizontalPodAutoscaler(o) => &o.meta.namespace,
            Manifest::VerticalPodAutoscaler(o) => &o.meta.namespace,
        }
    }
}

/// One timeline action: a command at a time after the lab starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    pub at: SimDuration,
    pub command: super::command::Command,
    /// The command line as written (`kubectl scale deployment web --replicas=10`).
    pub text: String,
}

/// Lifecycle delays (eks-facts §7). Base plus uniform jitter, drawn from the seeded streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delays {
    /// Cluster creation until ACTIVE: 10–15 min (§7, M).
    pub cluster_create: Delay,
    /// EC2 RunInstances until the instance is running.
    pub instance_running: Delay,
    /// Running instance until the kubelet registers the node (boot, nodeadm, kubelet).
    pub node_register: Delay,
    /// Registered until Ready (VPC CNI up). Launch → Ready totals ~1–2 min (§7, U).
    pub node_ready: Delay,
    /// Image pull on an EC2 node when the image is not cached (§7, U).
    pub image_pull: Delay,
    /// Container create and start.
    pub container_start: Delay,
    /// Fargate: pod pending → capacity provisioned, 30–60 s (§7, M/U), before the image pull.
    pub fargate_provision: Delay,
    /// Fargate profile creation.
    pub fargate_profile_create: Delay,
    /// Managed node group: CREATE call until the ASG launches instances.
    pub nodegroup_create: Delay,
    /// Instance shutdown after terminate.
    pub instance_shutdown: Delay,
}

impl Default for Delays {
    fn default() -> Self {
        Delays {
            cluster_create: Delay::secs(600, 300),
            instance_running: Delay::secs(10, 10),
            node_register: Delay::secs(35, 25),
            node_ready: Delay::secs(10, 10),
            image_pull: Delay::secs(3, 7),
            container_start: Delay::secs(1, 1),
            fargate_provision: Delay::secs(30, 30),
            fargate_profile_create: Delay::secs(60, 60),
            nodegroup_create: Delay::secs(20, 10),
            instance_shutdown: Delay::secs(30, 30),
        }
    }
}

/// Lab-wide settings that are not part of any AWS or Kubernetes object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabSettings {
    /// Spot discount off On-Demand in percent (eks-facts §1.4; default 70).
    pub spot_discount_percent: u64,
    pub delays: Delays,
    /// Start with the control plane already ACTIVE instead of simulating its creation.
    pub skip_cluster_creation: bool,
    /// The Cluster Autoscaler, when installed (it runs as a Deployment in kube-system).
    pub cluster_autoscaler: Option<ClusterAutoscalerSettings>,
    /// The Vertical Pod Autoscaler's recommender, updater and admission controller.
    pub vertical_pod_autoscaler: bool,
    pub spot: SpotSettings,
}

/// Cluster Autoscaler expanders (eks-facts §6.2; `price` is not available on AWS).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expander {
    LeastWaste,
    Random,
    MostPods,
    LeastNodes,
    Priority,
}

impl Expander {
    pub const fn as_str(self) -> &'static str {
        match self {
            Expander::LeastWaste => "least-waste",
            Expander::Random => "random",
            Expander::MostPods => "most-pods",
            Expander::LeastNodes => "least-nodes",
            Expander::Priority => "priority",
        }
    }

    pub fn parse(text: &str) -> Option<Expander> {
        Some(match text {
            "least-waste" => Expander::LeastWaste,
            "random" => Expander::Random,
            "most-pods" => Expander::MostPods,
            "least-nodes" => Expander::LeastNodes,
            "priority" => Expander::Priority,
            _ => return None,
        })
    }
}

/// Cluster Autoscaler flags, with the upstream defaults (eks-facts §6.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterAutoscalerSettings {
    /// `--expander` (default least-waste since CA 1.33).
    pub expander: Expander,
    /// The priority expander's ConfigMap: priority → node group name patterns (regexes
    /// upstream; the lab matches `*` wildcards).
    pub priorities: Vec<(u64, Vec<String>)>,
    /// `--scan-interval` (10s).
    pub scan_interval: SimDuration,
    /// `--scale-down-unneeded-time` (10m).
    pub scale_down_unneeded_time: SimDuration,
    /// `--scale-down-delay-after-add` (10m).
    pub scale_down_delay_after_add: SimDuration,
    /// `--scale-down-utilization-threshold` in thousandths (0.5 → 500).
    pub scale_down_utilization_threshold_permille: u64,
    /// `--max-node-provision-time` (15m).
    pub max_node_provision_time: SimDuration,
    /// `--scale-down-enabled` (true).
    pub scale_down_enabled: bool,
}

impl Default for ClusterAutoscalerSettings {
    fn default() -> Self {
        ClusterAutoscalerSettings {
            expander: Expander::LeastWaste,
            priorities: Vec::new(),
            scan_interval: SimDuration::from_secs(10),
            scale_down_unneeded_time: SimDuration::from_mins(10),
            scale_down_delay_after_add: SimDuration::from_mins(10),
            scale_down_utilization_threshold_permille: 500,
            max_node_provision_time: SimDuration::from_mins(15),
            scale_down_enabled: true,
        }
    }
}

/// Spot behaviour (eks-facts §9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpotSettings {
    /// Interruptions per 1,000 Spot instance-hours (0: none). Real rates vary by pool; AWS's
    /// Spot Instance Advisor buckets them from <5% to >20% a month (U).
    pub interruptions_per_1000_hours: u64,
    /// How much earlier than the two-minute notice the rebalance recommendation may arrive.
    pub rebalance_lead: super::rng::Delay,
    /// Self-managed node groups run the AWS Node Termination Handler (drains on notice).
    pub node_termination_handler: bool,
}

impl Default for SpotSettings {
    fn default() -> Self {
        SpotSettings {
            interruptions_per_1000_hours: 0,
            rebalance_lead: super::rng::Delay::secs(0, 600),
            node_termination_handler: false,
        }
    }
}

impl Default for LabSettings {
    fn default() -> Self {
        LabSettings {
            spot_discount_percent: super::catalog::prices::DEFAULT_SPOT_DISCOUNT_PERCENT,
            delays: Delays::default(),
            skip_cluster_creation: false,
            cluster_autoscaler: None,
            vertical_pod_autoscaler: false,
            spot: SpotSettings::default(),
        }
    }
}

impl Default for LabSpec {
    fn default() -> Self {
        LabSpec {
            seed: 1,
            start_date: DEFAULT_START_DATE,
            duration: None,
            cluster: ClusterSpec::default(),
            nodegroups: Vec::new(),
            fargate_profiles: Vec::new(),
            manifests: Vec::new(),
            timeline: Vec::new(),
            settings: LabSettings::default(),
            traffic: Vec::new(),
        }
    }
}
