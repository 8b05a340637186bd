//! The Lab document's autoscaling settings: `traffic` (load on workloads), `clusterAutoscaler`
//! (installs it, with its flags), `verticalPodAutoscaler` (installs it) and `spot`
//! (interruption rate and handling); plus the timeline's `traffic` entries.
//!
//! ```yaml
//! traffic:
//!   - deployment: web            # in `namespace:` (default: default)
//!     rps: 200                   # or spike / ramp / diurnal / steps
//!     cpuPerRequest: 10m         # CPU-milliseconds per request (default 10m)
//!     memoryPerRequest: 256Ki    # in-flight memory per request (default 256Ki)
//! clusterAutoscaler:
//!   expander: least-waste
//!   scaleDownUnneededTime: 10m
//! verticalPodAutoscaler: true
//! spot:
//!   interruptionsPer1000Hours: 50
//!   nodeTerminationHandler: true
//! ```

use crate::scenario::decode::{Fields, Obj, Sink, join, obj};
use crate::scenario::decode::{cpu, memory};
use crate::scenario::yaml::Node;
use crate::sim::api::ObjectKey;
use crate::sim::clock::SimDuration;
use crate::sim::spec::{ClusterAutoscalerSettings, Expander, LabSpec, SpotSettings};
use crate::sim::traffic::{TrafficPattern, TrafficSpec};

/// The fields of one `traffic` entry.
pub(crate) const TRAFFIC: Fields = Fields::known(&[
    "deployment",
    "namespace",
    "rps",
    "spike",
    "ramp",
    "diurnal",
    "steps",
    "cpuPerRequest",
    "memoryPerRequest",
    "baseCpu",
    "baseMemory",
]);
const PATTERNS: [&str; 5] = ["rps", "spike", "ramp", "diurnal", "steps"];

const CLUSTER_AUTOSCALER: Fields = Fields::known(&[
    "enabled",
    "expander",
    "priorities",
    "scanInterval",
    "scaleDownUnneededTime",
    "scaleDownDelayAfterAdd",
    "scaleDownUtilizationThreshold",
    "maxNodeProvisionTime",
    "scaleDownEnabled",
]);

const SPOT: Fields = Fields::known(&[
    "interruptionsPer1000Hours",
    "rebalanceLead",
    "nodeTerminationHandler",
]);

/// Reads the autoscaling keys of the Lab `spec`.
pub(crate) fn decode(sink: &mut Sink, s: &Obj<'_>, spec: &mut LabSpec) {
    let mut targets: std::collections::BTreeSet<_> =
        crate::sim::sort::set(spec.traffic.iter().map(|x| x.target.clone()));
    for (p, n) in s.seq(sink, "traffic") {
        if let Some(t) = traffic(sink, n, &p) {
            if !targets.insert(t.target.clone()) {
                sink.error(
                    n.mark(),
                    &p,
                    format!("deployment {} already has traffic", t.target),
                );
                continue;
            }
            spec.traffic.push(t);
        }
    }
    if let Some(ca) = s.obj(sink, "clusterAutoscaler", &CLUSTER_AUTOSCALER)
        && ca.bool(sink, "enabled") != Some(false)
    {
        spec.settings.cluster_autoscaler = Some(cluster_autoscaler(sink, &ca));
    }
    if let Some(b) = s.bool(sink, "verticalPodAutoscaler") {
        spec.settings.vertical_pod_autoscaler = b;
    }
    if let Some(o) = s.obj(sink, "spot", &SPOT) {
        spec.settings.spot = spot(sink, &o);
    }
}

/// One traffic entry (also a timeline `traffic` action).
pub(crate) fn traffic(sink: &mut Sink, node: &Node, path: &str) -> Option<TrafficSpec> {
    let o = obj(sink, node, path, &TRAFFIC)?;
    let name = o.req_str(sink, "deployment")?;
    let ns = o
        .str(sink, "namespace")
        .unwrap_or_else(|| "default".to_string());
    let given: Vec<&str> = PATTERNS.iter().copied().filter(|k| o.has(k)).collect();
    let [which] = given.as_slice() else {
        sink.error(
            o.mark,
            path,
            format!(
                "give exactly one of {} for the request rate",
                PATTERNS.join(", ")
            ),
        );
        return None;
    };
    let m = SimDuration::ZERO;
    // Every rate within the lab's traffic model (MAX_REQUESTS_PER_SECOND).
    let rate = |sink: &mut Sink, x: &Obj<'_>, key: &str| {
        let v = x.u64(sink, key)?;
        crate::limits::check::requests_per_second(i128::from(v), v)
            .map_err(|e| sink.error(x.value_mark(key), &x.at(key), e))
            .ok()
            .map(|()| v)
    };
    let pattern = match *which {
        "rps" => TrafficPattern::Constant {
            rps: rate(sink, &o, "rps")?,
        },
        "spike" => {
            let x = o.obj(
                sink,
                "spike",
                &Fields::known(&["base", "peak", "at", "for"]),
            )?;
            TrafficPattern::Spike {
                base: if x.has("base") {
                    rate(sink, &x, "base")?
                } else {
                    0
                },
                peak: required(sink, &x, "peak", |s, x| rate(s, x, "peak"))?,
                at: x.duration(sink, "at").unwrap_or(m),
                duration: required(sink, &x, "for", |s, x| x.duration(s, "for"))?,
            }
        }
        "ramp" => {
            let x = o.obj(
                sink,
                "ramp",
                &Fields::known(&["from", "to", "start", "over"]),
            )?;
            TrafficPattern::Ramp {
                from: if x.has("from") {
                    rate(sink, &x, "from")?
                } else {
                    0
                },
                to: required(sink, &x, "to", |s, x| rate(s, x, "to"))?,
                start: x.duration(sink, "start").unwrap_or(m),
                duration: required(sink, &x, "over", |s, x| x.duration(s, "over"))?,
            }
        }
        "diurnal" => {
            let x = o.obj(sink, "diurnal", &Fields::known(&["min", "max", "peakHour"]))?;
            let min = required(sink, &x, "min", |s, x| rate(s, x, "min"))?;
            let max = required(sink, &x, "max", |s, x| rate(s, x, "max"))?;
            let peak_hour = x.u64(sink, "peakHour").unwrap_or(14);
            if min > max || peak_hour > 23 {
                sink.error(
                    x.mark,
                    &x.path,
                    "min must not exceed max, and peakHour is 0–23",
                );
                return None;
            }
            TrafficPattern::Diurnal {
                min,
                max,
                peak_hour,
            }
        }
        _ => {
            let mut steps = Vec::new();
            for (p, n) in o.seq(sink, "steps") {
                let x = obj(sink, n, &p, &Fields::known(&["at", "rps"]))?;
                let at = required(sink, &x, "at", |s, x| x.duration(s, "at"))?;
                let rps = required(sink, &x, "rps", |s, x| rate(s, x, "rps"))?;
                if steps.last().is_some_and(|(prev, _)| *prev >= at) {
                    sink.error(n.mark(), &p, "steps must be in increasing time order");
                    return None;
                }
                steps.push((at, rps));
            }
            TrafficPattern::Steps(steps)
        }
    };
    let mut t = TrafficSpec::with_pattern(ObjectKey::new(ns, name), pattern);
    if let Some(n) = o.get("cpuPerRequest") {
        t.cpu_per_request = cpu(sink, n, &o.at("cpuPerRequest"))?;
    }
    if let Some(n) = o.get("memoryPerRequest") {
        t.memory_per_request = memory(sink, n, &o.at("memoryPerRequest"))?;
    }
    if let Some(n) = o.get("baseCpu") {
        t.base.cpu = cpu(sink, n, &o.at("baseCpu"))?;
    }
    if let Some(n) = o.get("baseMemory") {
        t.base.memory = memory(sink, n, &o.at("baseMemory"))?;
    }
    Some(t)
}

fn required<T>(
    sink: &mut Sink,
    o: &Obj<'_>,
    key: &str,
    read: impl Fn(&mut Sink, &Obj<'_>) -> Option<T>,
) -> Option<T> {
    if !o.has(key) {
        sink.error(o.mark, &join(&o.path, key), "required field is missing");
        return None;
    }
    read(sink, o)
}

fn cluster_autoscaler(sink: &mut Sink, o: &Obj<'_>) -> ClusterAutoscalerSettings {
    let mut ca = ClusterAutoscalerSettings::default();
    if let Some(e) = o.str(sink, "expander") {
        match Expander::parse(&e) {
            Some(x) => ca.expander = x,
            None if e == "price" => sink.error(o.value_mark("expander"), &o.at("expander"), "the price expander works only on GCE/GKE and Equinix Metal, not AWS (eks-facts §6.2)"),
            None => sink.error(o.value_mark("expander"), &o.at("expander"), format!("unknown expander {e:?}: use least-waste, random, most-pods, least-nodes or priority")),
        }
    }
    if let Some(node) = o.get("priorities") {
        let path = o.at("priorities");
        if let Node::Map { entries, .. } = node {
            for (k, v) in entries {
                let Ok(prio) = k.text.parse::<u64>() else {
                    sink.error(
                        k.mark,
                        &join(&path, &k.text),
                        "priorities are whole numbers, as in the priority expander's ConfigMap",
                    );
                    continue;
                };
                let groups = crate::scenario::decode::string_list(sink, v, &join(&path, &k.text))
                    .unwrap_or_default();
                ca.priorities.push((prio, groups));
            }
            crate::sim::sort::sort_by_key(&mut ca.priorities, |p| std::cmp::Reverse(p.0));
        } else {
            sink.error(
                node.mark(),
                &path,
                "expected a mapping of priority to node group name patterns",
            );
        }
    }
    for (key, slot) in [
        ("scanInterval", &mut ca.scan_interval),
        ("scaleDownUnneededTime", &mut ca.scale_down_unneeded_time),
        ("scaleDownDelayAfterAdd", &mut ca.scale_down_delay_after_add),
        ("maxNodeProvisionTime", &mut ca.max_node_provision_time),
    ] {
        if let Some(d) = o.duration(sink, key) {
            *slot = d;
        }
    }
    if let Some(n) = o.get("scaleDownUtilizationThreshold") {
        let text = n.as_text().unwrap_or_default();
        match parse_fraction_permille(text) {
            Some(p) if p <= 1000 => ca.scale_down_utilization_threshold_permille = p,
            _ => sink.error(
                n.mark(),
                &o.at("scaleDownUtilizationThreshold"),
                format!("{text:?} is not a fraction between 0 and 1, like 0.5"),
            ),
        }
    }
    if let Some(b) = o.bool(sink, "scaleDownEnabled") {
        ca.scale_down_enabled = b;
    }
    ca
}

/// `0.5` → 500, `1` → 1000, `0.65` → 650.
pub(crate) fn parse_fraction_permille(text: &str) -> Option<u64> {
    let (int, frac) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
    if frac.len() > 3 || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let int: u64 = int.parse().ok()?;
    let frac_val: u64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<3}").parse().ok()?
    };
    int.checked_mul(1000)?.checked_add(frac_val)
}

fn spot(sink: &mut Sink, o: &Obj<'_>) -> SpotSettings {
    let mut s = SpotSettings::default();
    if let Some(r) = o.u64(sink, "interruptionsPer1000Hours") {
        s.interruptions_per_1000_hours = r;
    }
    if let Some(l) = o.obj(sink, "rebalanceLead", &Fields::known(&["base", "jitter"])) {
        if let Some(b) = l.duration(sink, "base") {
            s.rebalance_lead.base = b;
        }
        if let Some(j) = l.duration(sink, "jitter") {
            s.rebalance_lead.jitter = j;
        }
    }
    if let Some(b) = o.bool(sink, "nodeTerminationHandler") {
        s.node_termination_handler = b;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAB: &str = "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: lab}\nmanagedNodeGroups: [{name: ng}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx, resources: {requests: {cpu: 250m}}}]}\n---\napiVersion: ekslab.dev/v1alpha1\nkind: Lab\nmetadata: {name: t}\nspec:\n  traffic:\n    - deployment: web\n      spike: {base: 50, peak: 800, at: 10m, for: 5m}\n      cpuPerRequest: 20m\n  clusterAutoscaler:\n    expander: priority\n    priorities: {\"10\": [\"ng-spot*\"], \"1\": [\"*\"]}\n    scaleDownUnneededTime: 5m\n    scaleDownUtilizationThreshold: 0.65\n  verticalPodAutoscaler: true\n  spot: {interruptionsPer1000Hours: 50, nodeTerminationHandler: true}\n  timeline:\n    - at: 20m\n      run: ekslab traffic deployment/web --rps=100\n    - at: 30m\n      traffic: {deployment: web, steps: [{at: 0s, rps: 10}, {at: 5m, rps: 40}]}\n";

    #[test]
    fn autoscaling_settings_load_and_round_trip() {
        let loaded = crate::scenario::load(LAB).unwrap_or_else(|d| panic!("{d:?}"));
        let s = &loaded.spec;
        assert_eq!(s.traffic.len(), 1);
        assert_eq!(
            s.traffic[0].cpu_per_request,
            crate::sim::quantity::MilliCpu(20)
        );
        let ca = s.settings.cluster_autoscaler.as_ref().unwrap();
        assert_eq!(ca.expander, Expander::Priority);
        assert_eq!(
            ca.priorities,
            vec![
                (10, vec!["ng-spot*".to_string()]),
                (1, vec!["*".to_string()])
            ]
        );
        assert_eq!(ca.scale_down_unneeded_time, SimDuration::from_mins(5));
        assert_eq!(ca.scale_down_utilization_threshold_permille, 650);
        assert!(s.settings.vertical_pod_autoscaler);
        assert_eq!(s.settings.spot.interruptions_per_1000_hours, 50);
        assert_eq!(s.timeline.len(), 2);
        let again =
            crate::scenario::load(&crate::scenario::to_yaml(s)).unwrap_or_else(|d| panic!("{d:?}"));
        assert_eq!(&again.spec, s);
    }

    #[test]
    fn autoscaling_mistakes_are_positioned() {
        let bad = LAB.replace("expander: priority", "expander: price");
        let e = crate::scenario::load(&bad).unwrap_err();
        assert!(
            e.iter()
                .any(|d| d.message.contains("price expander") && d.path.ends_with("expander")),
            "{e:?}"
        );
        let bad = LAB.replace(
            "spike: {base: 50, peak: 800, at: 10m, for: 5m}",
            "rps: 5\n      ramp: {to: 9, over: 1m}",
        );
        let e = crate::scenario::load(&bad).unwrap_err();
        assert!(
            e.iter().any(|d| d.message.contains("exactly one of")),
            "{e:?}"
        );
    }

    #[test]
    fn fractions() {
        assert_eq!(parse_fraction_permille("0.5"), Some(500));
        assert_eq!(parse_fraction_permille("0.65"), Some(650));
        assert_eq!(parse_fraction_permille("1"), Some(1000));
        assert_eq!(parse_fraction_permille("0.1234"), None);
        assert_eq!(parse_fraction_permille("half"), None);
        assert_eq!(
            parse_fraction_permille("18446744073709551"),
            Some(18_446_744_073_709_551_000)
        );
        assert_eq!(
            parse_fraction_permille("18446744073709552"),
            None,
            "no overflow"
        );
    }
}
