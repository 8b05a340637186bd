//! The planner's buttons: each is the real command (or commands) it submits, with the command
//! line `format_command` gives for it, so the event log and saved scenarios show what a
//! learner would type.

use crate::cli::{CommandContext, format_command};
use crate::sim::Simulation;
use crate::sim::api::ObjectKey;
use crate::sim::catalog::{AddonName, KubernetesVersion};
use crate::sim::command::{Command, DrainOptions};
use crate::sim::eks::{CapacityType, Nodegroup, NodegroupUpdateConfig, UpdateStrategy};
use crate::sim::spec::NodegroupSpec;

/// A button: what it says and the commands it submits, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// Stable id for tests (`rolling-update-ng-1`).
    pub id: String,
    pub label: String,
    pub commands: Vec<(Command, String)>,
    pub enabled: bool,
    /// What it does, or why it is not available yet.
    pub note: Option<String>,
}

/// The command line for a command, or a description when no single line says it.
pub fn line(cluster: &str, cmd: &Command) -> String {
    format_command(cmd, &CommandContext::new(cluster))
        .unwrap_or_else(|| format!("{cmd:?}").chars().take(120).collect())
}

fn one(id: String, label: String, cluster: &str, cmd: Command) -> Action {
    let text = line(cluster, &cmd);
    Action {
        id,
        label,
        commands: vec![(cmd, text)],
        enabled: true,
        note: None,
    }
}

pub(super) fn upgrade_cluster(cluster: &str, target: KubernetesVersion) -> Action {
    one(
        "upgrade-cluster".to_string(),
        format!("Upgrade control plane to {target}"),
        cluster,
        Command::UpgradeCluster {
            version: Some(target),
            approve: true,
        },
    )
}

/// "Rolling update" (respects PDBs) and "Force update" (deletes pods a PDB protects), as the
/// EKS console names them (eks-facts §4).
pub(super) fn upgrade_nodegroup(cluster: &str, name: &str) -> Vec<Action> {
    [
        (false, "Rolling update", "rolling-update"),
        (true, "Force update", "force-update"),
    ]
    .into_iter()
    .map(|(force, label, id)| {
        let mut a = one(
            format!("{id}-{name}"),
            label.to_string(),
            cluster,
            Command::UpgradeNodegroup {
                name: name.to_string(),
                version: None,
                force,
            },
        );
        a.note = Some(if force {
            "Pods a PodDisruptionBudget protects are deleted instead of evicted".to_string()
        } else {
            "Evictions respect PodDisruptionBudgets; fails with PodEvictionFailure after 15 minutes"
                .to_string()
        });
        a
    })
    .collect()
}

/// `aws eks update-nodegroup-config` for the strategy and maxUnavailable controls.
pub fn update_config(
    cluster: &str,
    name: &str,
    config: Option<NodegroupUpdateConfig>,
    strategy: Option<UpdateStrategy>,
) -> (Command, String) {
    let cmd = Command::UpdateNodegroupConfig {
        name: name.to_string(),
        update_config: config,
        strategy,
    };
    let text = line(cluster, &cmd);
    (cmd, text)
}

/// The blue/green group's name: the old name with the new version (`ng-self-1-35`).
pub fn blue_green_name(old: &str, version: KubernetesVersion) -> String {
    let suffix = |v: KubernetesVersion| format!("-{}-{}", v.major, v.minor);
    let base = (20..=40)
        .map(KubernetesVersion::new)
        .find_map(|v| old.strip_suffix(&suffix(v)))
        .unwrap_or(old);
    format!("{base}{}", suffix(version))
}

/// A copy of `g` under a new name, at the control plane's version.
fn spec_like(g: &Nodegroup, name: &str) -> NodegroupSpec {
    NodegroupSpec {
        instance_types: g.instance_types.clone(),
        min_size: g.scaling.min_size,
        desired_capacity: g.scaling.desired_size,
        max_size: g.scaling.max_size,
        spot: g.capacity_type == CapacityType::Spot,
        labels: g.labels.clone(),
        taints: g.taints.clone(),
        volume_size_gib: g.volume_size_gib,
        volume_type: g.volume_type.clone(),
        ami_family: g.ami_family.clone(),
        zones: g.zones.clone(),
        max_pods_per_node: g.max_pods_override,
        private_networking: g.private_networking,
        // eksctl's default is the control plane's version, which is what the planner asks
        // for; leaving `--version` out is what a learner would type.
        version: None,
        autoscaler_tags: g.autoscaler_tags,
        ..NodegroupSpec::self_managed(name)
    }
}

/// A self-managed group's blue/green migration, one button per step: create the new group at
/// the control plane's version, cordon and drain the old nodes, delete the old group.
pub(super) fn blue_green(
    sim: &Simulation,
    cluster: &str,
    g: &Nodegroup,
    version: KubernetesVersion,
) -> Vec<Action> {
    let st = sim.state();
    let new_name = blue_green_name(&g.name, version);
    let exists = st.nodegroups.contains_key(&new_name);
    let new_ready = st.nodes.values().any(|n| {
        !n.data_plane.is_fargate() && n.data_plane.group_name() == new_name && n.is_ready()
    });
    let old: Vec<&crate::sim::api::Node> = st
        .nodes
        .values()
        .filter(|n| !n.data_plane.is_fargate() && n.data_plane.group_name() == g.name)
        .collect();
    let to_drain: Vec<&str> = old
        .iter()
        .filter(|n| !n.spec.unschedulable)
        .map(|n| n.name())
        .collect();
    let mut create = one(
        format!("blue-green-create-{}", g.name),
        format!("1. Create {new_name} at {version}"),
        cluster,
        Command::CreateNodegroup(spec_like(g, &new_name)),
    );
    if exists {
        create.enabled = false;
        create.note = Some(format!("{new_name} exists"));
    }
    let drain_cmds: Vec<(Command, String)> = to_drain
        .iter()
        .map(|n| {
            let cmd = Command::Drain {
                node: (*n).to_string(),
                options: DrainOptions {
                    ignore_daemonsets: true,
                    delete_emptydir_data: true,
                    ..DrainOptions::default()
                },
            };
            let text = line(cluster, &cmd);
            (cmd, text)
        })
        .collect();
    let drain = Action {
        id: format!("blue-green-drain-{}", g.name),
        label: format!("2. Cordon and drain {} old node(s)", to_drain.len()),
        enabled: new_ready && !drain_cmds.is_empty(),
        note: if !new_ready {
            Some(format!(
                "Wait for a Ready node in {new_name}, or the evicted pods have nowhere to go"
            ))
        } else if drain_cmds.is_empty() {
            Some("Every old node is cordoned".to_string())
        } else {
            None
        },
        commands: drain_cmds,
    };
    let mut delete = one(
        format!("blue-green-delete-{}", g.name),
        format!("3. Delete {}", g.name),
        cluster,
        Command::DeleteNodegroup {
            name: g.name.clone(),
        },
    );
    if new_ready && to_drain.is_empty() {
        delete.note = Some("eksctl drains what is left and terminates the instances".to_string());
    } else {
        delete.enabled = false;
        delete.note = Some("After its nodes are drained".to_string());
    }
    vec![create, drain, delete]
}

/// `kubectl rollout restart deployment/NAME -n NS`.
pub(super) fn restart(cluster: &str, workload: &str) -> Action {
    let (ns, name) = workload.split_once('/').unwrap_or(("default", workload));
    one(
        format!("restart-{ns}-{name}"),
        format!("Restart deployment/{name}"),
        cluster,
        Command::RolloutRestart {
            key: ObjectKey::new(ns, name),
        },
    )
}

fn addon_command(name: AddonName, managed: bool) -> Command {
    if managed {
        // Without a version eksctl keeps the installed one; `latest` is the cluster version's.
        Command::UpdateAddon {
            name,
            version: Some("latest".to_string()),
        }
    } else {
        Command::UpdateSelfManagedAddon {
            name,
            approve: true,
        }
    }
}

pub(super) fn addon_command_text(cluster: &str, name: AddonName, managed: bool) -> String {
    line(cluster, &addon_command(name, managed))
}

pub(super) fn update_addon(cluster: &str, name: AddonName, managed: bool) -> Action {
    one(
        format!("update-addon-{}", name.as_str()),
        format!("Update {}", name.as_str()),
        cluster,
        addon_command(name, managed),
    )
}

/// The Cluster Autoscaler's image for a minor version, with `kubectl set image`.
pub(super) fn set_autoscaler_image(cluster: &str, tag: &str) -> Action {
    one(
        "update-addon-cluster-autoscaler".to_string(),
        format!("Set image {tag}"),
        cluster,
        Command::SetImage {
            key: ObjectKey::new("kube-system", "cluster-autoscaler"),
            container: "cluster-autoscaler".to_string(),
            image: format!("registry.k8s.io/autoscaling/cluster-autoscaler:{tag}"),
        },
    )
}
