//! What the upgrade insights would flag (kubelet skew, add-ons that will not work on the next
//! version) and what the upgrade does to workloads: PodDisruptionBudgets that allow no
//! disruption (a rolling update then fails with PodEvictionFailure after 15 minutes, eks-facts
//! §4), single-replica Deployments on nodes to be replaced, CoreDNS's PDB, the MINIMAL
//! strategy's missing capacity, Fargate pods to restart.

use std::collections::BTreeSet;

use super::{AddonPlan, Ctx, FargatePlan, Impact, NodegroupPlan, kubelet, owner_of};
use crate::sim::api::{Node, Pod};
use crate::sim::catalog::KubernetesVersion;
use crate::view::cluster::DataPlaneKind;

pub(super) fn cautions(
    ctx: &Ctx,
    groups: &[NodegroupPlan],
    fargate: Option<&FargatePlan>,
    addons: &[AddonPlan],
) -> Vec<String> {
    let mut out = Vec::new();
    for g in groups {
        let behind: Vec<&(String, u64)> = g
            .kubelets
            .iter()
            .filter(|(v, _)| KubernetesVersion::parse(v).is_ok_and(|v| v < ctx.cp))
            .collect();
        for (v, n) in behind {
            out.push(format!(
                "kubelet version skew: {n} node(s) of {} run kubelet {v}, behind the control plane {}; upgrade them before the next control plane upgrade",
                g.name, ctx.cp
            ));
        }
    }
    if let Some(f) = fargate
        && f.old_pods > 0
    {
        out.push(format!(
            "kubelet version skew: {} Fargate pod(s) run an older kubelet than the control plane {}; restart them",
            f.old_pods, ctx.cp
        ));
    }
    for a in addons {
        if !a.compatible_now {
            out.push(format!(
                "{} {} is not compatible with Kubernetes {}: update it to {}",
                a.name, a.installed, ctx.cp, a.for_current
            ));
        } else if a.compatible_target == Some(false) && ctx.cp < ctx.next {
            out.push(format!(
                "{} {} will not be compatible with Kubernetes {}: update it after the control plane upgrade",
                a.name, a.installed, ctx.next
            ));
        }
    }
    out
}

pub(super) fn impact(
    ctx: &Ctx,
    groups: &[NodegroupPlan],
    fargate: Option<&FargatePlan>,
) -> Vec<Impact> {
    let sim = ctx.sim;
    let st = sim.state();
    // Nodes this round replaces: EC2 nodes whose kubelet is older than the round's version.
    let replaced: Vec<&Node> = st
        .nodes
        .values()
        .filter(|n| !n.data_plane.is_fargate() && kubelet(n).is_some_and(|k| k < ctx.cycle))
        .collect();
    let on_replaced = |p: &Pod| {
        p.spec
            .node_name
            .as_deref()
            .is_some_and(|n| replaced.iter().any(|r| r.name() == n))
    };
    let mut out = vec![Impact {
        warn: false,
        text: "Control plane: the new API servers start before the old ones stop, so the Kubernetes API keeps answering; if health checks fail EKS reverts and nothing else changes".to_string(),
    }];
    for pdb in st.pdbs.values() {
        let pods: Vec<&Pod> = st
            .pods
            .values()
            .filter(|p| {
                p.meta.namespace == pdb.meta.namespace
                    && pdb.spec.selector.matches(&p.meta.labels)
                    && !p.is_terminating()
            })
            .collect();
        if pods.is_empty() || !pods.iter().any(|p| on_replaced(p)) {
            continue;
        }
        let on_groups: Vec<String> = groups
            .iter()
            .filter(|g| g.kind == DataPlaneKind::Managed)
            .filter(|g| {
                pods.iter().any(|p| {
                    p.spec.node_name.as_deref().is_some_and(|n| {
                        st.nodes
                            .get(n)
                            .is_some_and(|n| n.data_plane.group_name() == g.name)
                    })
                })
            })
            .map(|g| g.name.clone())
            .collect();
        let name = format!("{}/{}", pdb.meta.namespace, pdb.meta.name);
        if pdb.status.disruptions_allowed == 0 {
            out.push(Impact {
                warn: true,
                text: format!(
                    "pdb/{name} allows 0 disruptions: a rolling update{} fails with PodEvictionFailure after 15 minutes unless forced (Force update deletes the pods, ignoring the PDB)",
                    if on_groups.is_empty() {
                        String::new()
                    } else {
                        format!(" of {}", on_groups.join(", "))
                    }
                ),
            });
        } else if name == "kube-system/coredns" {
            out.push(Impact {
                warn: false,
                text: format!(
                    "CoreDNS: PDB maxUnavailable 1 over {} replicas, so its pods are evicted one at a time and DNS keeps answering",
                    pods.len()
                ),
            });
        }
    }
    let mut singles: BTreeSet<String> = BTreeSet::new();
    for d in st.deployments.values() {
        if d.spec.replicas != 1 {
            continue;
        }
        let key = d.meta.key();
        let moves = st.pods.values().any(|p| {
            on_replaced(p) && {
                let (w, is_d) = owner_of(sim, p);
                is_d && w == key.to_string()
            }
        });
        if moves {
            singles.insert(key.to_string());
        }
    }
    if !singles.is_empty() {
        out.push(Impact {
            warn: true,
            text: format!(
                "Single replica, so a restart means a short outage: {}",
                singles.into_iter().collect::<Vec<_>>().join(", ")
            ),
        });
    }
    for g in groups {
        if g.kind == DataPlaneKind::Managed && g.strategy == "MINIMAL" && g.batches > 0 {
            out.push(Impact {
                warn: true,
                text: format!(
                    "{} uses the MINIMAL strategy: no surge; each old node goes before its replacement comes, so the group runs {} node(s) short at a time",
                    g.name, g.max_unavailable
                ),
            });
        }
    }
    if let Some(f) = fargate
        && (f.old_pods > 0 || (ctx.cp < ctx.cycle && f.pods > 0))
    {
        out.push(Impact {
            warn: false,
            text: format!(
                "Fargate: {} pod(s) must be restarted to pick up the new kubelet; each restart starts a new micro-VM (30–60 s)",
                if f.old_pods > 0 { f.old_pods } else { f.pods }
            ),
        });
    }
    out
}
