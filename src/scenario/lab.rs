//! The lab's own document (`ekslab.dev/v1alpha1`, kind `Lab`): seed, duration, start date,
//! settings and the timeline of commands.
//!
//! A timeline entry runs at `at` after the lab starts and holds exactly one action: `run` (one
//! kubectl or eksctl line), `apply` (an inline manifest), or, for changes no single command
//! line can express, `managedNodeGroup`, `nodeGroup` or `fargateProfile` (an eksctl entry, as
//! `eksctl create ... -f` would read it).

pub(crate) mod autoscaling;

use super::decode::{Fields, Obj, Sink, join, obj};
use super::eksctl::{fargate, nodegroup, parse_version};
use super::manifest::{self, Class};
use super::yaml::{Mark, Node};
use crate::cli::{CommandContext, parse_command};
use crate::sim::api::status::StatusError;
use crate::sim::api::validation::{validate_manifest, validate_namespace_name};
use crate::sim::clock::{Date, SimDuration};
use crate::sim::command::Command;
use crate::sim::eks::NodegroupKind;
use crate::sim::rng::Delay;
use crate::sim::spec::{AddonManagement, Delays, LabSpec, Manifest, TimelineEntry};

/// The apiVersion and kind of the lab document.
pub const API_VERSION: &str = "ekslab.dev/v1alpha1";
pub const KIND: &str = "Lab";

const SPEC: Fields = Fields::known(&[
    "seed",
    "duration",
    "startDate",
    "spotDiscountPercent",
    "skipClusterCreation",
    "timeline",
    "delays",
    "addonManagement",
    "nodegroupVersions",
    "traffic",
    "clusterAutoscaler",
    "verticalPodAutoscaler",
    "spot",
]);

/// The fields of a timeline entry: `at` and the action keys.
const ENTRY: Fields = Fields::known(&[
    "at",
    "run",
    "apply",
    "managedNodeGroup",
    "nodeGroup",
    "fargateProfile",
    "traffic",
]);
/// The timeline action keys.
const ACTIONS: &[&str] = &[
    "run",
    "apply",
    "managedNodeGroup",
    "nodeGroup",
    "fargateProfile",
    "traffic",
];

/// Names of the lifecycle delays, as the `delays` mapping spells them.
pub const DELAY_NAMES: [&str; 10] = [
    "clusterCreate",
    "instanceRunning",
    "nodeRegister",
    "nodeReady",
    "imagePull",
    "containerStart",
    "fargateProvision",
    "fargateProfileCreate",
    "nodegroupCreate",
    "instanceShutdown",
];

/// The delays in `DELAY_NAMES` order.
pub fn delays_mut(d: &mut Delays) -> [&mut Delay; 10] {
    [
        &mut d.cluster_create,
        &mut d.instance_running,
        &mut d.node_register,
        &mut d.node_ready,
        &mut d.image_pull,
        &mut d.container_start,
        &mut d.fargate_provision,
        &mut d.fargate_profile_create,
        &mut d.nodegroup_create,
        &mut d.instance_shutdown,
    ]
}

/// The text a timeline entry gets when it is not a command line: what the learner would have
/// typed, with the object it creates.
pub fn structured_text(cmd: &Command) -> Option<String> {
    Some(match cmd {
        Command::Apply(m) => format!("kubectl apply -f - ({}/{})", m.kind().as_str(), m.name()),
        Command::CreateNodegroup(ng) => {
            let list = if ng.kind == NodegroupKind::Managed {
                "managedNodeGroups"
            } else {
                "nodeGroups"
            };
            format!("eksctl create nodegroup -f - ({list}/{})", ng.name)
        }
        Command::CreateFargateProfile(fp) => format!(
            "eksctl create fargateprofile -f - (fargateProfiles/{})",
            fp.name
        ),
        Command::SetTraffic(t) => format!("ekslab traffic -f - (deployment/{})", t.target.name),
        _ => return None,
    })
}

/// Where a timeline entry is written: the path and mark of its action (for `apply`, of the
/// manifest's `metadata.namespace` when it has one), for warnings about the entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EntryPlace {
    pub path: String,
    pub mark: Mark,
}

fn entry_place(node: &Node, path: &str) -> EntryPlace {
    let Some((action, value)) = ACTIONS.iter().find_map(|a| node.get(a).map(|v| (*a, v))) else {
        return EntryPlace {
            path: path.to_string(),
            mark: node.mark(),
        };
    };
    let vpath = join(path, action);
    match value.lookup("metadata.namespace") {
        Some(ns) if action == "apply" => EntryPlace {
            path: join(&vpath, "metadata.namespace"),
            mark: ns.mark(),
        },
        _ => EntryPlace {
            path: vpath,
            mark: value.mark(),
        },
    }
}

/// Decodes the `Lab` document into `spec` (whose cluster and node groups are already read).
/// Returns where each entry it added to `spec.timeline` is written.
pub(crate) fn decode(sink: &mut Sink, root: &Node, spec: &mut LabSpec) -> Vec<EntryPlace> {
    let mut places = Vec::new();
    let Some(top) = obj(
        sink,
        root,
        "",
        &Fields::known(&["apiVersion", "kind", "metadata", "spec"]),
    ) else {
        return places;
    };
    match top.obj(sink, "metadata", &Fields::known(&["name", "description"])) {
        Some(m) => {
            m.req_str(sink, "name");
            m.str(sink, "description");
        }
        None => sink.error(
            top.mark,
            "metadata.name",
            "required field is missing: the lab needs a name",
        ),
    }
    let Some(s) = top.obj(sink, "spec", &SPEC) else {
        return places;
    };
    if let Some(seed) = s.u64(sink, "seed") {
        spec.seed = seed;
    }
    if let Some(d) = sim_time(sink, &s, "duration") {
        if d == SimDuration::ZERO {
            sink.error(
                s.value_mark("duration"),
                &s.at("duration"),
                "must be longer than zero",
            );
        } else {
            spec.duration = Some(d);
        }
    }
    if let Some(text) = s
        .get("startDate")
        .and_then(|n| super::decode::scalar_text(sink, n, &s.at("startDate")))
    {
        match Date::parse(&text) {
            Ok(d) => spec.start_date = d,
            Err(e) => sink.error(s.value_mark("startDate"), &s.at("startDate"), e),
        }
    }
    if let Some(p) = s.u64(sink, "spotDiscountPercent") {
        if p > 100 {
            sink.error(
                s.value_mark("spotDiscountPercent"),
                &s.at("spotDiscountPercent"),
                format!("must be between 0 and 100, got {p}"),
            );
        } else {
            spec.settings.spot_discount_percent = p;
        }
    }
    if let Some(b) = s.bool(sink, "skipClusterCreation") {
        spec.settings.skip_cluster_creation = b;
    }
    if let Some(m) = s.str(sink, "addonManagement") {
        match m.as_str() {
            "EksManaged" => spec.cluster.addon_management = AddonManagement::EksManaged,
            "SelfManaged" => spec.cluster.addon_management = AddonManagement::SelfManaged,
            other => sink.error(
                s.value_mark("addonManagement"),
                &s.at("addonManagement"),
                format!("invalid value {other:?}: use EksManaged or SelfManaged"),
            ),
        }
    }
    delays(sink, &s, &mut spec.settings.delays);
    autoscaling::decode(sink, &s, spec);
    nodegroup_versions(sink, &s, spec);
    let entries = s.seq(sink, "timeline");
    if let Some((p, n)) = entries.get(crate::limits::MAX_TIMELINE_ENTRIES) {
        sink.error(
            n.mark(),
            p,
            format!(
                "the timeline has {} entries; the lab keeps at most {}",
                entries.len(),
                crate::limits::MAX_TIMELINE_ENTRIES
            ),
        );
        return places;
    }
    for (p, n) in entries {
        if let Some(entry) = timeline_entry(sink, n, &p, spec) {
            if spec.duration.is_some_and(|d| entry.at > d) {
                sink.warn(
                    n.mark(),
                    &join(&p, "at"),
                    format!(
                        "runs at {} after the lab's duration; it will never run",
                        SimDuration::text(entry.at)
                    ),
                );
            }
            places.push(entry_place(n, &p));
            spec.timeline.push(entry);
        }
    }
    places
}

/// A time the lab would have to simulate to (a Lab's `duration`, a timeline entry's `at`):
/// a duration, within the lab's `MAX_SIM_TIME`.
fn sim_time(sink: &mut Sink, o: &Obj<'_>, key: &str) -> Option<SimDuration> {
    let d = o.duration(sink, key)?;
    let shown = o
        .get(key)
        .and_then(|n| match n {
            Node::Scalar(s) => Some(s.text.clone()),
            _ => None,
        })
        .unwrap_or_default();
    crate::limits::check::sim_time(d, shown)
        .map_err(|e| sink.error(o.value_mark(key), &o.at(key), e))
        .ok()
        .map(|()| d)
}

fn delays(sink: &mut Sink, s: &Obj<'_>, delays: &mut Delays) {
    let Some(d) = s.obj(sink, "delays", &Fields::known(&DELAY_NAMES)) else {
        return;
    };
    for (name, slot) in DELAY_NAMES.iter().zip(delays_mut(delays)) {
        let Some(o) = d.obj(sink, name, &Fields::known(&["base", "jitter"])) else {
            continue;
        };
        if let Some(b) = o.duration(sink, "base") {
            slot.base = b;
        }
        if let Some(j) = o.duration(sink, "jitter") {
            slot.jitter = j;
        }
    }
}

fn nodegroup_versions(sink: &mut Sink, s: &Obj<'_>, spec: &mut LabSpec) {
    let Some(node) = s.get("nodegroupVersions") else {
        return;
    };
    let path = s.at("nodegroupVersions");
    let Node::Map { entries, .. } = node else {
        sink.error(
            node.mark(),
            &path,
            format!(
                "expected a mapping of node group names to versions, got {}",
                node.describe()
            ),
        );
        return;
    };
    // Node groups by name, so a long mapping is read in n log n.
    let index: std::collections::BTreeMap<String, usize> = crate::sim::sort::map(
        spec.nodegroups
            .iter()
            .enumerate()
            .map(|(i, n)| (n.name.clone(), i)),
    );
    for (k, v) in entries {
        let p = join(&path, &k.text);
        let Some(version) = parse_version(sink, v, &p) else {
            continue;
        };
        let cluster = spec.cluster.version;
        let Some(ng) = index.get(&k.text).map(|&i| &mut spec.nodegroups[i]) else {
            sink.error(
                k.mark,
                &p,
                format!("no node group named {:?} in the ClusterConfig", k.text),
            );
            continue;
        };
        if version > cluster {
            sink.error(
                v.mark(),
                &p,
                format!("kubelet {version} would be newer than the control plane {cluster}"),
            );
        } else if ng.version.is_some_and(|old| old != version) {
            sink.error(
                v.mark(),
                &p,
                "conflicts with the node group's releaseVersion",
            );
        } else {
            ng.version = Some(version);
        }
    }
}

fn timeline_entry(
    sink: &mut Sink,
    node: &Node,
    path: &str,
    spec: &LabSpec,
) -> Option<TimelineEntry> {
    let o = obj(sink, node, path, &ENTRY)?;
    let at = if o.has("at") {
        sim_time(sink, &o, "at")
    } else {
        sink.error(
            o.mark,
            &o.at("at"),
            "required field is missing: when the command runs, e.g. 30m",
        );
        None
    };
    let present: Vec<&str> = ACTIONS.iter().copied().filter(|a| o.has(a)).collect();
    let [action] = present.as_slice() else {
        sink.error(
            o.mark,
            path,
            format!(
                "a timeline entry needs exactly one of {}",
                ACTIONS.join(", ")
            ),
        );
        return None;
    };
    let value = o.get(action)?;
    let vpath = o.at(action);
    let ctx = CommandContext::new(spec.cluster.name.clone());
    let command = match *action {
        "run" => {
            let line = super::decode::string(sink, value, &vpath)?;
            match parse_command(&line, &ctx) {
                Ok(cmd) => {
                    if let Some(e) = invalid_object(&cmd) {
                        sink.warn(value.mark(), &vpath, e);
                    }
                    return at.map(|at| TimelineEntry {
                        at,
                        command: cmd,
                        text: line.trim().to_string(),
                    });
                }
                Err(e) => {
                    sink.error(value.mark(), &vpath, e);
                    return None;
                }
            }
        }
        "apply" => Command::Apply(inline_manifest(sink, value, &vpath)?),
        "fargateProfile" => {
            Command::CreateFargateProfile(fargate::decode_fargate_profile(sink, value, &vpath)?)
        }
        "traffic" => Command::SetTraffic(autoscaling::traffic(sink, value, &vpath)?),
        group => Command::CreateNodegroup(nodegroup::decode(
            sink,
            value,
            &vpath,
            group == "managedNodeGroup",
            &spec.cluster,
        )?),
    };
    let text = structured_text(&command)?;
    Some(TimelineEntry {
        at: at?,
        command,
        text,
    })
}

/// What kubectl will print when the API server refuses the object a command line creates
/// (`kubectl create deployment Bad_Name ...`). The line still runs, and fails, as any
/// timeline command may (a lesson can show the refusal, and a save replays the learner's
/// failed commands); the loader warns with the same text.
fn invalid_object(cmd: &Command) -> Option<String> {
    let (Command::Create(m) | Command::Apply(m)) = cmd else {
        return None;
    };
    // A namespace that cannot exist is refused first, as not found; the namespace checks
    // warn about that.
    if !m.namespace().is_empty() && !validate_namespace_name(m.namespace()).is_empty() {
        return None;
    }
    let errs = validate_manifest(m);
    if errs.is_empty() {
        return None;
    }
    let e = StatusError::invalid(m.kind(), m.name(), errs);
    Some(if matches!(cmd, Command::Create(_)) {
        e.kubectl_create(m.kind())
    } else {
        e.kubectl()
    })
}

/// An inline manifest of a kind the lab models.
fn inline_manifest(sink: &mut Sink, node: &Node, path: &str) -> Option<Manifest> {
    let o = obj(
        sink,
        node,
        path,
        &Fields {
            known: &["apiVersion", "kind", "metadata", "spec"],
            unmodelled: &[],
            silent: &["status"],
        },
    )?;
    let api_version = o.req_str(sink, "apiVersion")?;
    let kind = o.req_str(sink, "kind")?;
    match manifest::classify(&api_version, &kind) {
        Class::Modelled => manifest::decode(sink, node, path, &kind),
        Class::WrongVersion(v) => {
            sink.error(
                o.value_mark("apiVersion"),
                &o.at("apiVersion"),
                format!("no matches for kind {kind:?} in version {api_version:?} (use {v})"),
            );
            None
        }
        Class::Unmodelled | Class::Unknown => {
            sink.error(
                o.value_mark("kind"),
                &o.at("kind"),
                format!("kind {kind} is not modelled by the lab, so the timeline cannot apply it"),
            );
            None
        }
    }
}
