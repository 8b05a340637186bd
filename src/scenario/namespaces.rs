//! Warnings for objects and timeline commands that use a namespace the scenario does not
//! create before they run: in a real cluster the API server answers `namespaces "shop" not
//! found` (the NamespaceLifecycle admission plugin) and kubectl fails. A scenario's
//! manifests are applied together, namespaces first, once the cluster is ready; its
//! timeline entries run in order of time, then of their place in the file.

use std::collections::BTreeMap;

use super::decode::Sink;
use super::yaml::Mark;
use crate::sim::api::Kind;
use crate::sim::api::validation::validate_namespace_name;
use crate::sim::clock::SimDuration;
use crate::sim::command::Command;
use crate::sim::spec::{Manifest, TimelineEntry};

/// Namespaces every EKS cluster has.
pub const BUILT_IN: [&str; 4] = ["default", "kube-system", "kube-public", "kube-node-lease"];

/// Where something that uses a namespace is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    pub document: usize,
    pub mark: Mark,
    pub path: String,
}

/// The namespace a command creates into or acts in, if any.
fn used_namespace(cmd: &Command) -> Option<&str> {
    let ns = match cmd {
        Command::Apply(m) | Command::Create(m) => m.namespace(),
        Command::Delete { key, .. }
        | Command::ScaleDeployment { key, .. }
        | Command::SetResources { key, .. }
        | Command::SetImage { key, .. }
        | Command::RolloutRestart { key }
        | Command::ClearTraffic { key } => &key.namespace,
        Command::SetTraffic(t) => &t.target.namespace,
        _ => return None,
    };
    (!ns.is_empty()).then_some(ns)
}

/// What a timeline entry does to the set of namespaces.
enum Change<'a> {
    Creates(&'a str),
    Deletes(&'a str),
}

fn change(cmd: &Command) -> Option<Change<'_>> {
    match cmd {
        Command::Apply(Manifest::Namespace(n)) | Command::Create(Manifest::Namespace(n)) => {
            Some(Change::Creates(&n.meta.name))
        }
        Command::Delete {
            kind: Kind::Namespace,
            key,
        } => Some(Change::Deletes(&key.name)),
        _ => None,
    }
}

/// Namespaces as the timeline changes them: created (when) or deleted (when).
#[derive(Clone, Copy)]
enum State {
    Created,
    Deleted(SimDuration),
}

/// Warns about every manifest and timeline entry whose namespace does not exist when it
/// runs. `timeline` is in file order; entries run in order of `at`, then of file order.
pub(crate) fn check(
    sink: &mut Sink,
    manifests: &[(Place, &Manifest)],
    timeline: &[(Place, &TimelineEntry)],
) {
    let mut state: BTreeMap<&str, State> =
        crate::sim::sort::map(BUILT_IN.iter().map(|n| (*n, State::Created)));
    for (_, m) in manifests {
        if let Manifest::Namespace(n) = m {
            state.insert(&n.meta.name, State::Created);
        }
    }
    // When the timeline first creates each namespace, for the warnings' "only at".
    let mut order: Vec<&(Place, &TimelineEntry)> = timeline.iter().collect();
    crate::sim::sort::sort_by_key(&mut order, |(_, e)| e.at);
    let mut first_created: BTreeMap<&str, SimDuration> = BTreeMap::new();
    for (_, e) in &order {
        if let Some(Change::Creates(ns)) = change(&e.command) {
            first_created.entry(ns).or_insert(e.at);
        }
    }
    let later = |ns: &str| {
        first_created.get(ns).map(|at| {
            format!(
                "namespace {ns:?} is created only at {} in the timeline",
                SimDuration::text(*at)
            )
        })
    };
    for (place, m) in manifests {
        let ns = m.namespace();
        if ns.is_empty() || state.contains_key(ns) {
            continue;
        }
        let msg = match later(ns) {
            Some(only) => format!(
                "{only}, after the scenario's objects are applied (add a Namespace document); applying this object will fail"
            ),
            None => format!(
                "namespace {ns:?} is not created by this scenario (add a Namespace document); applying this object will fail"
            ),
        };
        warn(sink, place, msg);
    }
    for (place, e) in order {
        if let Some(ns) = used_namespace(&e.command) {
            let msg = match state.get(ns) {
                Some(State::Created) => None,
                Some(State::Deleted(at)) => Some(format!(
                    "namespace {ns:?} is deleted at {} in the timeline, before this entry; it will fail",
                    SimDuration::text(*at)
                )),
                None => Some(match (later(ns), validate_namespace_name(ns).first()) {
                    (_, Some(why)) => format!(
                        "namespace {ns:?} can never exist ({why}); this command will fail: namespaces {ns:?} not found"
                    ),
                    (Some(only), None) => format!("{only}, after this entry; it will fail"),
                    (None, None) => format!(
                        "namespace {ns:?} is not created by this scenario (add a Namespace document or create it earlier in the timeline); this command will fail"
                    ),
                }),
            };
            if let Some(msg) = msg {
                warn(sink, place, msg);
            }
        }
        match change(&e.command) {
            Some(Change::Creates(ns)) => {
                state.insert(ns, State::Created);
            }
            Some(Change::Deletes(ns)) if !BUILT_IN.contains(&ns) => {
                state.insert(ns, State::Deleted(e.at));
            }
            _ => {}
        }
    }
}

fn warn(sink: &mut Sink, place: &Place, msg: String) {
    let document = sink.document;
    sink.document = place.document;
    sink.warn(place.mark, &place.path, msg);
    sink.document = document;
}
