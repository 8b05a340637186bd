//! The Lab document's autoscaling settings written back: traffic, Cluster Autoscaler flags,
//! the VPA switch and Spot settings (only what differs from the defaults).

use super::writer::{MapBuilder, Y};
use crate::sim::clock::SimDuration;
use crate::sim::spec::{ClusterAutoscalerSettings, SpotSettings};
use crate::sim::traffic::{TrafficPattern, TrafficSpec};

/// One `traffic` entry (also a timeline `traffic` action).
pub(super) fn traffic(t: &TrafficSpec) -> Y {
    let defaults = TrafficSpec::with_pattern(t.target.clone(), t.pattern.clone());
    let d = |x| Y::str(SimDuration::text(x));
    let mut b = MapBuilder::new()
        .put("deployment", Y::str(&t.target.name))
        .put_if(t.target.namespace != "default", "namespace", || {
            Y::str(&t.target.namespace)
        });
    b = match &t.pattern {
        TrafficPattern::Constant { rps } => b.put("rps", Y::num(rps)),
        TrafficPattern::Spike {
            base,
            peak,
            at,
            duration,
        } => b.put(
            "spike",
            MapBuilder::new()
                .put("base", Y::num(base))
                .put("peak", Y::num(peak))
                .put("at", d(*at))
                .put("for", d(*duration))
                .build(),
        ),
        TrafficPattern::Ramp {
            from,
            to,
            start,
            duration,
        } => b.put(
            "ramp",
            MapBuilder::new()
                .put("from", Y::num(from))
                .put("to", Y::num(to))
                .put("start", d(*start))
                .put("over", d(*duration))
                .build(),
        ),
        TrafficPattern::Diurnal {
            min,
            max,
            peak_hour,
        } => b.put(
            "diurnal",
            MapBuilder::new()
                .put("min", Y::num(min))
                .put("max", Y::num(max))
                .put("peakHour", Y::num(peak_hour))
                .build(),
        ),
        TrafficPattern::Steps(steps) => b.put(
            "steps",
            Y::Seq(
                steps
                    .iter()
                    .map(|(at, rps)| {
                        MapBuilder::new()
                            .put("at", d(*at))
                            .put("rps", Y::num(rps))
                            .build()
                    })
                    .collect(),
            ),
        ),
    };
    b.put_if(
        t.cpu_per_request != defaults.cpu_per_request,
        "cpuPerRequest",
        || Y::str(t.cpu_per_request.to_string()),
    )
    .put_if(
        t.memory_per_request != defaults.memory_per_request,
        "memoryPerRequest",
        || Y::str(t.memory_per_request.to_string()),
    )
    .put_if(t.base.cpu != defaults.base.cpu, "baseCpu", || {
        Y::str(t.base.cpu.to_string())
    })
    .put_if(t.base.memory != defaults.base.memory, "baseMemory", || {
        Y::str(t.base.memory.to_string())
    })
    .build()
}

/// `clusterAutoscaler`: the flags that differ from upstream's defaults (an empty mapping
/// still installs it).
pub(super) fn cluster_autoscaler(ca: Option<&ClusterAutoscalerSettings>) -> Y {
    let Some(ca) = ca else {
        return Y::Map(Vec::new());
    };
    let def = ClusterAutoscalerSettings::default();
    let d = |x| Y::str(SimDuration::text(x));
    let priorities = Y::Map(
        ca.priorities
            .iter()
            .map(|(p, groups)| (p.to_string(), Y::strs(groups)))
            .collect(),
    );
    let fraction = |p: u64| {
        Y::Raw(
            format!("{}.{:03}", p / 1000, p % 1000)
                .trim_end_matches('0')
                .trim_end_matches('.')
                .to_string(),
        )
    };
    let b = MapBuilder::new()
        .put("enabled", Y::bool(true))
        .put_if(ca.expander != def.expander, "expander", || {
            Y::str(ca.expander.as_str())
        })
        .put_nonempty("priorities", priorities)
        .put_if(
            ca.scan_interval != def.scan_interval,
            "scanInterval",
            || d(ca.scan_interval),
        )
        .put_if(
            ca.scale_down_unneeded_time != def.scale_down_unneeded_time,
            "scaleDownUnneededTime",
            || d(ca.scale_down_unneeded_time),
        )
        .put_if(
            ca.scale_down_delay_after_add != def.scale_down_delay_after_add,
            "scaleDownDelayAfterAdd",
            || d(ca.scale_down_delay_after_add),
        )
        .put_if(
            ca.scale_down_utilization_threshold_permille
                != def.scale_down_utilization_threshold_permille,
            "scaleDownUtilizationThreshold",
            || fraction(ca.scale_down_utilization_threshold_permille),
        )
        .put_if(
            ca.max_node_provision_time != def.max_node_provision_time,
            "maxNodeProvisionTime",
            || d(ca.max_node_provision_time),
        )
        .put_if(!ca.scale_down_enabled, "scaleDownEnabled", || {
            Y::bool(false)
        });
    b.build()
}

/// `spot`: only what differs from the defaults.
pub(super) fn spot(s: &SpotSettings) -> Y {
    let def = SpotSettings::default();
    MapBuilder::new()
        .put_if(
            s.interruptions_per_1000_hours != 0,
            "interruptionsPer1000Hours",
            || Y::num(s.interruptions_per_1000_hours),
        )
        .put_if(
            s.rebalance_lead != def.rebalance_lead,
            "rebalanceLead",
            || {
                MapBuilder::new()
                    .put("base", Y::str(SimDuration::text(s.rebalance_lead.base)))
                    .put("jitter", Y::str(SimDuration::text(s.rebalance_lead.jitter)))
                    .build()
            },
        )
        .put_if(s.node_termination_handler, "nodeTerminationHandler", || {
            Y::bool(true)
        })
        .build()
}
