//! `kubectl autoscale deployment NAME --max=N [--min=N] [--cpu-percent=N | --cpu=50%|500m]
//! [--memory=70%|200Mi] [--name=HPA]`: the autoscaling/v2 HorizontalPodAutoscaler kubectl
//! builds from flags (kubectl's `createHorizontalPodAutoscalerV2`), named like the
//! Deployment unless `--name` says otherwise. Unset `--min` and metrics take the API
//! server's defaults (1, and CPU at 80%).

use super::{deployment, err};
use crate::cli::{Args, CommandContext};
use crate::sim::api::autoscaling::{
    DEFAULT_CPU_UTILIZATION, HorizontalPodAutoscaler, HorizontalPodAutoscalerSpec,
    HorizontalPodAutoscalerStatus, MetricSpec, MetricTarget, ResourceName,
};
use crate::sim::api::{Kind, ObjectMeta};
use crate::sim::command::Command;
use crate::sim::quantity::{Bytes, MilliCpu};
use crate::sim::spec::Manifest;

/// `parseResourceInput`: `70%` is a utilization; a quantity (`500m`, `200Mi`) an average
/// value; a bare number is millicores for CPU and mebibytes for memory.
fn resource_target(input: &str, resource: ResourceName) -> Result<MetricTarget, String> {
    let input = input.trim();
    if input.is_empty() {
        return Err(err("empty input"));
    }
    if let Some(p) = input.strip_suffix('%') {
        return p
            .parse::<i32>()
            .ok()
            .map(MetricTarget::Utilization)
            .ok_or_else(|| err(format!("invalid percentage value: {p}")));
    }
    let bare = !input.is_empty() && input.chars().all(|c| c.is_ascii_digit() || c == '.');
    let invalid = || {
        err(format!(
            "invalid resource {} value: {input}",
            resource.as_str()
        ))
    };
    let value = match resource {
        ResourceName::Cpu => {
            let text = if bare {
                format!("{input}m")
            } else {
                input.to_string()
            };
            MilliCpu::parse(&text).map_err(|_| invalid())?.0
        }
        ResourceName::Memory => {
            let text = if bare {
                format!("{input}Mi")
            } else {
                input.to_string()
            };
            Bytes::parse(&text).map_err(|_| invalid())?.0
        }
    };
    Ok(MetricTarget::AverageValue(value))
}

pub(super) fn autoscale(args: &Args, ctx: &CommandContext) -> Result<Command, String> {
    let target = deployment(args, ctx, "autoscale")?;
    args.required("max")?;
    // `--max`, `--min` and `--cpu-percent` are int32 flags (kubernetes/kubectl
    // pkg/cmd/autoscale/autoscale.go), checked by its `Validate`; then the lab's pod limit.
    let max = args.int32("max")?.unwrap_or_default();
    let min = args.int32("min")?;
    if max < 1 {
        return Err(err(format!(
            "--max=MAXPODS is required and must be at least 1, max: {max}"
        )));
    }
    if let Some(min) = min
        && max < min
    {
        return Err(err(format!(
            "--max=MAXPODS must be larger or equal to --min=MINPODS, max: {max}, min: {min}"
        )));
    }
    crate::limits::check::replicas(i128::from(max), format_args!("--max={max}")).map_err(err)?;
    let cpu_percent = args.int32("cpu-percent")?.filter(|p| *p > 0);
    let cpu = args.value("cpu");
    if cpu_percent.is_some() && cpu.is_some() {
        return Err(err("--cpu-percent and --cpu are mutually exclusive"));
    }
    let mut metrics = Vec::new();
    if let Some(p) = cpu_percent {
        metrics.push(MetricSpec {
            resource: ResourceName::Cpu,
            target: MetricTarget::Utilization(p),
        });
    }
    for (flag, resource) in [("cpu", ResourceName::Cpu), ("memory", ResourceName::Memory)] {
        if let Some(v) = args.value(flag) {
            let target = resource_target(v, resource)?;
            if target == MetricTarget::Utilization(0) {
                return Err(err(format!(
                    "invalid percentage value: {}",
                    v.trim_end_matches('%')
                )));
            }
            metrics.push(MetricSpec { resource, target });
        }
    }
    if metrics.is_empty() {
        // The API server's default for an HPA without metrics.
        metrics.push(MetricSpec {
            resource: ResourceName::Cpu,
            target: MetricTarget::Utilization(DEFAULT_CPU_UTILIZATION),
        });
    }
    let name = args
        .value("name")
        .filter(|n| !n.is_empty())
        .map_or_else(|| target.name.clone(), str::to_string);
    Ok(Command::Create(Manifest::HorizontalPodAutoscaler(
        HorizontalPodAutoscaler {
            meta: ObjectMeta::named(target.namespace.clone(), name),
            spec: HorizontalPodAutoscalerSpec {
                target_kind: Kind::Deployment,
                target_name: target.name,
                min_replicas: min.filter(|m| *m > 0).unwrap_or(1),
                max_replicas: max,
                metrics,
                behavior: None,
            },
            status: HorizontalPodAutoscalerStatus::default(),
        },
    )))
}

#[cfg(test)]
mod tests {
    use super::super::super::parse_command;
    use super::*;

    fn parse(line: &str) -> Result<Command, String> {
        parse_command(line, &CommandContext::new("lab"))
    }

    fn hpa(line: &str) -> HorizontalPodAutoscaler {
        match parse(line) {
            Ok(Command::Create(Manifest::HorizontalPodAutoscaler(h))) => h,
            other => panic!("{line}: {other:?}"),
        }
    }

    #[test]
    fn flags_become_the_hpa_kubectl_creates() {
        let h = hpa("kubectl autoscale deployment web --cpu-percent=50 --min=2 --max=10 -n shop");
        assert_eq!(
            (h.meta.namespace.as_str(), h.meta.name.as_str()),
            ("shop", "web")
        );
        assert_eq!((h.spec.min_replicas, h.spec.max_replicas), (2, 10));
        assert_eq!(h.spec.metrics[0].target, MetricTarget::Utilization(50));
        let h = hpa("kubectl autoscale deploy/web --max=5 --cpu=500m --memory=200 --name=web-hpa");
        assert_eq!(h.meta.name, "web-hpa");
        assert_eq!(h.spec.min_replicas, 1);
        assert_eq!(
            h.spec.metrics,
            [
                MetricSpec {
                    resource: ResourceName::Cpu,
                    target: MetricTarget::AverageValue(500)
                },
                MetricSpec {
                    resource: ResourceName::Memory,
                    target: MetricTarget::AverageValue(200 * 1024 * 1024)
                }
            ]
        );
        let h = hpa("kubectl autoscale deployment web --max=3");
        assert_eq!(h.spec.metrics[0].target, MetricTarget::Utilization(80));
    }

    #[test]
    fn mistakes_read_like_kubectl() {
        for (line, want) in [
            (
                "kubectl autoscale deployment web --min=2",
                "error: required flag(s) \"max\" not set",
            ),
            (
                "kubectl autoscale deployment web --min=5 --max=2",
                "error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: 2, min: 5",
            ),
            (
                "kubectl autoscale deployment web --max=0",
                "error: --max=MAXPODS is required and must be at least 1, max: 0",
            ),
            (
                "kubectl autoscale deployment web --max=4 --cpu-percent=50 --cpu=60%",
                "error: --cpu-percent and --cpu are mutually exclusive",
            ),
            (
                "kubectl autoscale deployment web --max=4 --memory=lots",
                "error: invalid resource memory value: lots",
            ),
            (
                "kubectl autoscale statefulset db --max=4",
                "error: the server doesn't have a resource type \"statefulset\"",
            ),
        ] {
            assert_eq!(parse(line), Err(want.to_string()), "{line}");
        }
    }
}
