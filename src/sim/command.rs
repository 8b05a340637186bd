//! User intents, named after the real API operations and kubectl verbs. The UI, the timeline
//! and the console all submit `Command`s; they are applied at the next step boundary.

use super::Simulation;
use super::api::{Kind, ObjectKey};
use super::catalog::{AddonName, KubernetesVersion};
use super::clock::SimTime;
use super::eks::{Fault, NodegroupUpdateConfig, UpdateStrategy};
use super::quantity::{Bytes, MilliCpu};
use super::spec::{FargateProfileSpec, Manifest, NodegroupSpec};
use super::{api_server, controllers};

/// Options of `kubectl drain`: one flag each, as kubectl has them.
#[expect(
    clippy::struct_excessive_bools,
    reason = "mirrors kubectl drain's independent boolean flags"
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DrainOptions {
    pub ignore_daemonsets: bool,
    pub delete_emptydir_data: bool,
    pub force: bool,
    /// Bypass PDBs by deleting instead of evicting (`--disable-eviction`).
    pub disable_eviction: bool,
}

/// A change to some resources of a container, as `kubectl set resources --requests=cpu=500m`
/// gives it: resources not named keep their value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ResourcePatch {
    pub cpu: Option<MilliCpu>,
    pub memory: Option<Bytes>,
}

impl ResourcePatch {
    pub fn apply_to(self, r: &mut super::quantity::Resources) {
        if let Some(c) = self.cpu {
            r.cpu = c;
        }
        if let Some(m) = self.memory {
            r.memory = m;
        }
    }
}

/// Something a user asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `kubectl apply -f -`.
    Apply(Manifest),
    /// `kubectl create deployment|namespace` and `kubectl autoscale`: an object that exists
    /// already is an error, and errors read as those commands print them.
    Create(Manifest),
    /// `kubectl delete <kind> <name>`.
    Delete { kind: Kind, key: ObjectKey },
    /// `kubectl scale deployment <name> --replicas=N`.
    ScaleDeployment { key: ObjectKey, replicas: i32 },
    /// `kubectl set resources deployment <name> --requests=... --limits=...`.
    SetResources {
        key: ObjectKey,
        container: Option<String>,
        requests: Option<ResourcePatch>,
        limits: Option<ResourcePatch>,
    },
    /// `kubectl set image deployment/<name> <container>=<image>`.
    SetImage {
        key: ObjectKey,
        container: String,
        image: String,
    },
    /// `kubectl rollout restart deployment <name>`.
    RolloutRestart { key: ObjectKey },
    /// `kubectl cordon` / `kubectl uncordon`.
    Cordon { node: String, unschedulable: bool },
    /// `kubectl drain`.
    Drain { node: String, options: DrainOptions },
    /// `eksctl scale nodegroup --nodes=N [--nodes-min] [--nodes-max]`.
    ScaleNodegroup {
        name: String,
        desired: Option<i32>,
        min: Option<i32>,
        max: Option<i32>,
    },
    /// `eksctl create nodegroup`.
    CreateNodegroup(NodegroupSpec),
    /// `eksctl delete nodegroup`.
    DeleteNodegroup { name: String },
    /// `eksctl create fargateprofile`.
    CreateFargateProfile(FargateProfileSpec),
    /// `eksctl delete fargateprofile`.
    DeleteFargateProfile { name: String },
    /// `eksctl utils update-cluster-logging --enable-types=... --disable-types=...`.
    UpdateClusterLogging {
        enable: Vec<super::eks::LogType>,
        disable: Vec<super::eks::LogType>,
    },
    /// Load on a Deployment (the lab's own `ekslab traffic` command): the pattern starts now.
    SetTraffic(super::traffic::TrafficSpec),
    /// Remove the load model from a Deployment.
    ClearTraffic { key: ObjectKey },
    /// `eksctl utils update-cluster-vpc-config --public-access --private-access`.
    UpdateEndpointAccess { public: bool, private: bool },
    /// `eksctl upgrade cluster --name=lab [--version=1.35] [--approve]` and
    /// `aws eks update-cluster-version --name lab --kubernetes-version 1.35` (always approved).
    /// `None`: the next minor version. Without `approve` eksctl only prints its plan.
    UpgradeCluster {
        version: Option<KubernetesVersion>,
        approve: bool,
    },
    /// `eksctl upgrade nodegroup --name=ng-1 [--kubernetes-version=1.35] [--force-upgrade]`
    /// and `aws eks update-nodegroup-version [--force]`. `None`: the control plane's version.
    UpgradeNodegroup {
        name: String,
        version: Option<KubernetesVersion>,
        force: bool,
    },
    /// `aws eks update-nodegroup-config --update-config maxUnavailable=N,updateStrategy=S`.
    UpdateNodegroupConfig {
        name: String,
        update_config: Option<NodegroupUpdateConfig>,
        strategy: Option<UpdateStrategy>,
    },
    /// `eksctl update addon --name=coredns [--version=V|latest]` and `aws eks update-addon`:
    /// EKS-managed add-ons only. `None` keeps the installed version (as eksctl does); `latest`
    /// is the default version for the cluster's Kubernetes version.
    UpdateAddon {
        name: AddonName,
        version: Option<String>,
    },
    /// `eksctl create addon --name=kube-proxy [--version=V] [--force]`: makes a self-managed
    /// add-on EKS-managed (`--force` overwrites the conflicting fields).
    CreateAddon {
        name: AddonName,
        version: Option<String>,
        force: bool,
    },
    /// `eksctl utils update-kube-proxy|update-coredns|update-aws-node [--approve]`: updates a
    /// self-managed add-on to the version for the cluster's Kubernetes version.
    UpdateSelfManagedAddon { name: AddonName, approve: bool },
    /// The lab's `ekslab set-ami nodegroup/ng-1 --kubernetes-version=1.35`: a new launch
    /// template version with the EKS AMI for that version, for a self-managed group's in-place
    /// update (what a CloudFormation stack update of the node group does); existing instances
    /// keep the old AMI until they are replaced.
    SetNodegroupAmi {
        name: String,
        version: KubernetesVersion,
    },
    /// `aws autoscaling terminate-instance-in-auto-scaling-group --instance-id I
    /// --[no-]should-decrement-desired-capacity`.
    TerminateInstance {
        instance_id: String,
        decrement: bool,
    },
    /// The lab's `ekslab inject-fault NAME`: break something an upgrade's health checks need.
    InjectFault(Fault),
    /// The lab's `ekslab clear-faults`.
    ClearFaults,
}

/// What happened to a command: the line kubectl or eksctl would print, or an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandOutcome {
    pub at: SimTime,
    pub text: String,
    pub result: Result<String, String>,
}

/// Applies a command now. Errors are messages shaped like kubectl's and eksctl's.
pub(crate) fn apply(sim: &mut Simulation, cmd: &Command) -> Result<String, String> {
    match cmd {
        Command::Apply(m) => api_server::apply(sim, m.clone()),
        Command::Create(m) => api_server::create(sim, m.clone()),
        Command::Delete { kind, key } => api_server::delete(sim, *kind, key),
        Command::ScaleDeployment { key, replicas } => {
            api_server::patch::scale(sim, key, *replicas)
        }
        Command::SetResources {
            key,
            container,
            requests,
            limits,
        } => api_server::patch::set_resources(
            sim,
            key,
            container.as_deref(),
            *requests,
            *limits,
        ),
        Command::SetImage {
            key,
            container,
            image,
        } => api_server::patch::set_image(sim, key, container, image),
        Command::RolloutRestart { key } => api_server::patch::rollout_restart(sim, key),
        Command::Cordon {
            node,
            unschedulable,
        } => controllers::node_drain::cordon(sim, node, *unschedulable),
        Command::Drain { node, options } => controllers::node_drain::drain(sim, node, *options),
        Command::ScaleNodegroup {
            name,
            desired,
            min,
            max,
        } => controllers::auto_scaling_group::scale(sim, name, *desired, *min, *max),
        Command::CreateNodegroup(spec) => controllers::eks::create_nodegroup(sim, spec),
        Command::DeleteNodegroup { name } => controllers::eks::delete_nodegroup(sim, name),
        Command::CreateFargateProfile(spec) => controllers::eks::create_fargate_profile(sim, spec),
        Command::DeleteFargateProfile { name } => {
            controllers::eks::delete_fargate_profile(sim, name)
        }
        Command::UpdateClusterLogging { enable, disable } => {
            controllers::eks::update_logging(sim, enable, disable)
        }
        Command::UpdateEndpointAccess { public, private } => {
            controllers::eks::update_endpoint_access(sim, *public, *private)
        }
        Command::UpgradeCluster { version, approve } => {
            controllers::control_plane_update::upgrade_cluster(sim, *version, *approve)
        }
        Command::UpgradeNodegroup {
            name,
            version,
            force,
        } => controllers::nodegroup_update::upgrade_nodegroup(sim, name, *version, *force),
        Command::UpdateNodegroupConfig {
            name,
            update_config,
            strategy,
        } => controllers::nodegroup_update::update_config(sim, name, *update_config, *strategy),
        Command::UpdateAddon { name, version } => {
            controllers::addon_update::update_addon(sim, *name, version.as_deref())
        }
        Command::CreateAddon {
            name,
            version,
            force,
        } => controllers::addon_update::create_addon(sim, *name, version.as_deref(), *force),
        Command::UpdateSelfManagedAddon { name, approve } => {
            controllers::addon_update::update_self_managed(sim, *name, *approve)
        }
        Command::SetNodegroupAmi { name, version } => {
            controllers::nodegroup_update::set_ami(sim, name, *version)
        }
        Command::TerminateInstance {
            instance_id,
            decrement,
        } => controllers::auto_scaling_group::terminate_instance_in_auto_scaling_group(
            sim,
            instance_id,
            *decrement,
        )
        .map(|()| {
            format!(
                "{{\n    \"Activity\": {{\n        \"Description\": \"Terminating EC2 instance: {instance_id}\",\n        \"StatusCode\": \"InProgress\"\n    }}\n}}"
            )
        }),
        Command::InjectFault(f) => Ok(controllers::control_plane_update::inject_fault(sim, *f)),
        Command::ClearFaults => Ok(controllers::control_plane_update::clear_faults(sim)),
        Command::SetTraffic(t) => controllers::metrics_server::set_traffic(sim, t.clone()),
        Command::ClearTraffic { key } => controllers::metrics_server::clear_traffic(sim, key),
    }
}
