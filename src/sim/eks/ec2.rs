//! EC2 instances behind node groups: lifecycle and what billing needs.

use crate::sim::clock::SimTime;

/// On-Demand or Spot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstanceLifecycle {
    OnDemand,
    Spot,
}

/// EC2 instance state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstanceState {
    Pending,
    Running,
    ShuttingDown,
    Terminated,
}

impl InstanceState {
    pub const fn as_str(self) -> &'static str {
        match self {
            InstanceState::Pending => "pending",
            InstanceState::Running => "running",
            InstanceState::ShuttingDown => "shutting-down",
            InstanceState::Terminated => "terminated",
        }
    }
}

/// An EC2 instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    pub id: String,
    pub instance_type: String,
    pub zone: String,
    pub private_ip: String,
    pub lifecycle: InstanceLifecycle,
    pub state: InstanceState,
    pub nodegroup: String,
    pub launch_template_version: u64,
    /// Kubelet version and AMI of the launch template version it was launched from.
    pub kubernetes_version: crate::sim::catalog::KubernetesVersion,
    pub ami_name: String,
    pub launched_at: SimTime,
    /// EC2 bills from the running state, per second with a 60 s minimum (eks-facts §1.3).
    pub running_at: Option<SimTime>,
    /// When the instance left the running state (shutting down); billing stops there.
    pub stopped_at: Option<SimTime>,
    pub terminated_at: Option<SimTime>,
    /// The Kubernetes node name once the kubelet registers.
    pub node_name: String,
    /// Root EBS volume size in GiB (billed as gp3, eks-facts §1.5).
    pub volume_gib: u64,
    /// Price per hour in nano-dollars (Spot already discounted).
    pub price_nusd_per_hour: u64,
    /// ENIs attached by the VPC CNI (eks-facts §3: WARM_ENI_TARGET=1).
    pub enis_attached: u64,
    /// Secondary IPs on the attached ENIs, available to pods.
    pub ip_pool: Vec<String>,
    /// Pod IPs in use from the pool.
    pub ips_in_use: std::collections::BTreeSet<String>,
    /// Every address this instance holds in its subnet (ENI primaries and secondaries).
    pub subnet_ips: Vec<String>,
    /// The ASG is replacing or removing it (cordoned, draining or terminating).
    pub terminating: bool,
}

impl Instance {
    pub fn is_live(&self) -> bool {
        matches!(self.state, InstanceState::Pending | InstanceState::Running)
    }
}

/// `ip-192-168-101-23.ec2.internal`: the EC2 private DNS name in us-east-1.
pub fn node_name_for_ip(ip: &str) -> String {
    format!("ip-{}.ec2.internal", ip.replace('.', "-"))
}
