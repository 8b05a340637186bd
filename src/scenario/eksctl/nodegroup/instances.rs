//! Node group instance types: `instanceType`, `instanceTypes` (managed) and
//! `instancesDistribution` (self-managed), checked against the lab's catalog.

use crate::scenario::decode::{Obj, Sink, string};
use crate::scenario::eksctl::schema::{INSTANCES_DISTRIBUTION, sub};
use crate::scenario::yaml::{Mark, Node};
use crate::sim::catalog::instance_type;
use crate::sim::catalog::instance_types::INSTANCE_TYPES;
use crate::sim::spec::NodegroupSpec;

/// Checks an instance type against the lab's catalog.
pub fn check_instance_type(name: &str) -> Result<(), String> {
    if instance_type(name).is_some() {
        return Ok(());
    }
    let names: Vec<&str> = INSTANCE_TYPES.iter().map(|t| t.name).collect();
    let lower = name.to_ascii_lowercase();
    let close = names
        .iter()
        .map(|n| (crate::scenario::decode::edit_distance(&lower, n), n))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n);
    let hint = close
        .map(|c| format!(" (did you mean {c:?}?)"))
        .unwrap_or_default();
    Err(format!(
        "unknown instance type {name:?}{hint}; the lab knows {}",
        families()
    ))
}

/// The catalog by family, in catalog order: `t3 (small, medium), m5 (large, xlarge)`.
fn families() -> String {
    let mut out: Vec<(&str, Vec<&str>)> = Vec::new();
    for t in INSTANCE_TYPES {
        let (family, size) = t.name.split_once('.').unwrap_or((t.name, ""));
        match out.iter_mut().find(|(f, _)| *f == family) {
            Some((_, sizes)) => sizes.push(size),
            None => out.push((family, vec![size])),
        }
    }
    out.iter()
        .map(|(f, sizes)| format!("{f} ({})", sizes.join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn instance_types(sink: &mut Sink, o: &Obj<'_>, managed: bool, ng: &mut NodegroupSpec) {
    let check = |sink: &mut Sink, mark: Mark, path: &str, t: String, out: &mut Vec<String>| {
        match check_instance_type(&t) {
            Ok(()) => out.push(t),
            Err(e) => sink.error(mark, path, e),
        }
    };
    let mut types = Vec::new();
    let single = o.str(sink, "instanceType");
    if managed {
        if o.has("instanceType") && o.has("instanceTypes") {
            sink.error(
                o.key_mark("instanceTypes"),
                &o.at("instanceTypes"),
                "instanceType and instanceTypes cannot both be set",
            );
            return;
        }
        for (p, n) in o.seq(sink, "instanceTypes") {
            if let Some(t) = string(sink, n, &p) {
                check(sink, n.mark(), &p, t, &mut types);
            }
        }
        if o.has("instanceTypes")
            && types.is_empty()
            && matches!(o.get("instanceTypes"), Some(Node::Seq { items, .. }) if items.is_empty())
        {
            sink.error(
                o.value_mark("instanceTypes"),
                &o.at("instanceTypes"),
                "list at least one instance type",
            );
        }
    } else if let Some(d) = sub(sink, o, "instancesDistribution", &INSTANCES_DISTRIBUTION) {
        if single.as_deref().is_some_and(|s| s != "mixed") {
            sink.error(
                o.value_mark("instanceType"),
                &o.at("instanceType"),
                "with instancesDistribution, instanceType must be \"mixed\" or left out",
            );
            return;
        }
        for (p, n) in d.seq(sink, "instanceTypes") {
            if let Some(t) = string(sink, n, &p) {
                check(sink, n.mark(), &p, t, &mut types);
            }
        }
        if !d.has("instanceTypes") {
            sink.error(d.mark, &d.at("instanceTypes"), "required field is missing");
        }
        let base = d.u64(sink, "onDemandBaseCapacity").unwrap_or(0);
        let pct = d
            .u64(sink, "onDemandPercentageAboveBaseCapacity")
            .unwrap_or(100);
        if pct > 100 {
            sink.error(
                d.value_mark("onDemandPercentageAboveBaseCapacity"),
                &d.at("onDemandPercentageAboveBaseCapacity"),
                "must be between 0 and 100",
            );
        } else if pct == 0 {
            ng.spot = true;
            if base > 0 {
                sink.warn(
                    d.value_mark("onDemandBaseCapacity"),
                    &d.at("onDemandBaseCapacity"),
                    "an On-Demand base is not modelled: the lab runs the whole group on Spot",
                );
            }
        } else if pct < 100 {
            sink.warn(d.value_mark("onDemandPercentageAboveBaseCapacity"), &d.at("onDemandPercentageAboveBaseCapacity"), "mixed On-Demand and Spot capacity is not modelled: the lab runs the whole group On-Demand");
        }
    }
    if let Some(t) = single.filter(|t| managed || t != "mixed" || !o.has("instancesDistribution")) {
        check(
            sink,
            o.value_mark("instanceType"),
            &o.at("instanceType"),
            t,
            &mut types,
        );
    }
    if !types.is_empty() {
        ng.instance_types = types;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_check_suggests_close_names() {
        assert!(check_instance_type("m5.large").is_ok());
        let e = check_instance_type("M5.LARGE").unwrap_err();
        assert!(e.contains("did you mean \"m5.large\""), "{e}");
        let e = check_instance_type("p5.48xlarge").unwrap_err();
        assert!(
            e.contains("the lab knows t3 (small, medium, large, xlarge), t4g (medium, large), m5 (large, xlarge, 2xlarge, 4xlarge, 8xlarge"),
            "{e}"
        );
        assert!(
            e.contains(", t2 (nano, micro, small, medium, large, xlarge, 2xlarge), "),
            "{e}"
        );
    }
}
