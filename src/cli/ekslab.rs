//! The lab's own commands, for what no real tool does: putting load on a workload, giving a
//! self-managed node group a new AMI, breaking things on purpose.
//!
//! ```text
//! ekslab set-ami nodegroup/ng-2 --kubernetes-version=1.35  a new launch template version
//! ekslab inject-fault subnet-deleted                       make the next upgrade fail
//! ekslab clear-faults                                      repair everything injected
//! ekslab traffic deployment/web --rps=200                  constant rate
//! ekslab traffic web --rps=50 --spike=800 --for=10m        a spike starting now
//! ekslab traffic web --rps=100 --ramp-to=600 --over=30m    a ramp starting now
//! ekslab traffic web --diurnal=100-1200 --peak-hour=14     a daily cycle
//! ekslab traffic web --clear                               no load model
//! ```
//! `--cpu-per-request` (default 10m: 10 ms of CPU per request) and `--memory-per-request`
//! (default 256Ki in flight per request) set what a request costs.

use super::{Args, CommandContext, Flag, Tool, Verb, flag, kubernetes_version, switch};
use crate::sim::api::ObjectKey;
use crate::sim::clock::SimDuration;
use crate::sim::command::Command;
use crate::sim::eks::Fault;
use crate::sim::quantity::{Bytes, MilliCpu};
use crate::sim::traffic::{TrafficPattern, TrafficSpec};

pub(super) const GLOBAL_FLAGS: &[Flag] = &[flag("namespace", Some('n'))];

pub(super) const VERBS: &[Verb] = &[
    Verb {
        tool: Tool::Ekslab,
        path: &["traffic"],
        flags: &[
            flag("rps", None),
            flag("spike", None),
            flag("for", None),
            flag("ramp-to", None),
            flag("over", None),
            flag("diurnal", None),
            flag("peak-hour", None),
            flag("cpu-per-request", None),
            flag("memory-per-request", None),
            switch("clear", None),
        ],
        build: traffic,
    },
    Verb {
        tool: Tool::Ekslab,
        path: &["set-ami"],
        flags: &[flag("kubernetes-version", None)],
        build: set_ami,
    },
    Verb {
        tool: Tool::Ekslab,
        path: &["inject-fault"],
        flags: &[],
        build: inject_fault,
    },
    Verb {
        tool: Tool::Ekslab,
        path: &["clear-faults"],
        flags: &[],
        build: clear_faults,
    },
];

fn err(msg: impl std::fmt::Display) -> String {
    Tool::Ekslab.error(msg)
}

/// A request rate, within the lab's traffic model (`MAX_REQUESTS_PER_SECOND`).
fn number(args: &Args, long: &str) -> Result<Option<u64>, String> {
    args.value(long)
        .map(|v| {
            let n = v.parse::<u64>().map_err(|_| {
                err(format!(
                    "--{long}: {v:?} is not a whole number of requests per second"
                ))
            })?;
            crate::limits::check::requests_per_second(i128::from(n), format_args!("--{long}={n}"))
                .map_err(err)?;
            Ok(n)
        })
        .transpose()
}

fn duration(args: &Args, long: &str) -> Result<Option<SimDuration>, String> {
    args.value(long)
        .map(|v| SimDuration::parse(v).map_err(|e| err(format!("--{long}: {e}"))))
        .transpose()
}

fn traffic(args: &Args, ctx: &CommandContext) -> Result<Command, String> {
    let [target] = args.positionals.as_slice() else {
        return Err(err(
            "ekslab traffic takes one deployment: ekslab traffic deployment/NAME --rps=N",
        ));
    };
    let name = match target.split_once('/') {
        Some(("deployment" | "deploy" | "deployments", n)) => n,
        Some((kind, _)) => return Err(err(format!("traffic goes to Deployments, not {kind}"))),
        None => target.as_str(),
    };
    let key = ObjectKey::new(args.namespace(ctx), name);
    if args.has("clear") {
        return Ok(Command::ClearTraffic { key });
    }
    let rps = number(args, "rps")?;
    let pattern = if let Some(peak) = number(args, "spike")? {
        let d = duration(args, "for")?
            .ok_or_else(|| err("--spike needs --for (how long the spike lasts)"))?;
        TrafficPattern::Spike {
            base: rps.unwrap_or(0),
            peak,
            at: SimDuration::ZERO,
            duration: d,
        }
    } else if let Some(to) = number(args, "ramp-to")? {
        let d = duration(args, "over")?
            .ok_or_else(|| err("--ramp-to needs --over (how long the ramp takes)"))?;
        TrafficPattern::Ramp {
            from: rps.unwrap_or(0),
            to,
            start: SimDuration::ZERO,
            duration: d,
        }
    } else if let Some(range) = args.value("diurnal") {
        let (min, max) = range
            .split_once('-')
            .and_then(|(a, b)| Some((a.trim().parse::<u64>().ok()?, b.trim().parse::<u64>().ok()?)))
            .filter(|(a, b)| a <= b)
            .ok_or_else(|| {
                err(format!(
                    "--diurnal: {range:?} is not MIN-MAX requests per second"
                ))
            })?;
        crate::limits::check::requests_per_second(
            i128::from(max),
            format_args!("--diurnal={range}"),
        )
        .map_err(err)?;
        let peak_hour = match args.value("peak-hour") {
            None => 14,
            Some(h) => h
                .parse::<u64>()
                .ok()
                .filter(|h| *h <= 23)
                .ok_or_else(|| err("--peak-hour is an hour of the day, 0–23"))?,
        };
        TrafficPattern::Diurnal {
            min,
            max,
            peak_hour,
        }
    } else {
        let rps = rps.ok_or_else(|| {
            err("give a rate: --rps=N (or --spike, --ramp-to, --diurnal, --clear)")
        })?;
        TrafficPattern::Constant { rps }
    };
    let mut spec = TrafficSpec::with_pattern(key, pattern);
    if let Some(c) = args.value("cpu-per-request") {
        spec.cpu_per_request =
            MilliCpu::parse(c).map_err(|e| err(format!("--cpu-per-request: {e}")))?;
    }
    if let Some(m) = args.value("memory-per-request") {
        spec.memory_per_request =
            Bytes::parse(m).map_err(|e| err(format!("--memory-per-request: {e}")))?;
    }
    Ok(Command::SetTraffic(spec))
}

/// `ekslab set-ami nodegroup/NAME --kubernetes-version=V` (also `ng/NAME` or just `NAME`).
fn set_ami(args: &Args, _ctx: &CommandContext) -> Result<Command, String> {
    let [target] = args.positionals.as_slice() else {
        return Err(err(
            "ekslab set-ami takes one node group: ekslab set-ami nodegroup/NAME --kubernetes-version=1.35",
        ));
    };
    let name = match target.split_once('/') {
        Some(("nodegroup" | "nodegroups" | "ng", n)) if !n.is_empty() => n,
        Some((kind, _)) => {
            return Err(err(format!(
                "set-ami changes a node group's launch template, not a {kind}: ekslab set-ami nodegroup/NAME --kubernetes-version=1.35"
            )));
        }
        None => target.as_str(),
    };
    let version = kubernetes_version(args.required("kubernetes-version")?).map_err(err)?;
    Ok(Command::SetNodegroupAmi {
        name: name.to_string(),
        version,
    })
}

fn fault_names() -> String {
    Fault::ALL
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `ekslab inject-fault NAME`.
fn inject_fault(args: &Args, _ctx: &CommandContext) -> Result<Command, String> {
    let [name] = args.positionals.as_slice() else {
        return Err(err(format!(
            "ekslab inject-fault takes one fault: {}",
            fault_names()
        )));
    };
    Fault::parse(name).map(Command::InjectFault).ok_or_else(|| {
        err(format!(
            "unknown fault {name:?}: the lab can inject {}",
            fault_names()
        ))
    })
}

fn clear_faults(args: &Args, _ctx: &CommandContext) -> Result<Command, String> {
    match args.positionals.first() {
        Some(extra) => Err(err(format!(
            "ekslab clear-faults takes no arguments, got {extra:?}"
        ))),
        None => Ok(Command::ClearFaults),
    }
}

/// The command line that sets `t` from now on; `None` for patterns no flag expresses
/// (step lists, ramps or spikes that start later, a custom idle usage).
pub(super) fn format_traffic(t: &TrafficSpec, ctx: &CommandContext) -> Option<String> {
    let defaults = TrafficSpec::with_pattern(t.target.clone(), t.pattern.clone());
    if t.base != defaults.base {
        return None;
    }
    let dur = SimDuration::text;
    let mut words = vec![format!("ekslab traffic deployment/{}", t.target.name)];
    if t.target.namespace != ctx.namespace {
        words.push(format!("-n {}", t.target.namespace));
    }
    words.push(match &t.pattern {
        TrafficPattern::Constant { rps } => format!("--rps={rps}"),
        TrafficPattern::Spike {
            base,
            peak,
            at,
            duration,
        } if *at == SimDuration::ZERO => {
            format!("--rps={base} --spike={peak} --for={}", dur(*duration))
        }
        TrafficPattern::Ramp {
            from,
            to,
            start,
            duration,
        } if *start == SimDuration::ZERO => {
            format!("--rps={from} --ramp-to={to} --over={}", dur(*duration))
        }
        TrafficPattern::Diurnal {
            min,
            max,
            peak_hour,
        } => format!("--diurnal={min}-{max} --peak-hour={peak_hour}"),
        _ => return None,
    });
    if t.cpu_per_request != defaults.cpu_per_request {
        words.push(format!("--cpu-per-request={}", t.cpu_per_request));
    }
    if t.memory_per_request != defaults.memory_per_request {
        words.push(format!("--memory-per-request={}", t.memory_per_request));
    }
    Some(words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::super::{format_command, parse_command};
    use super::*;

    fn parse(line: &str) -> Result<Command, String> {
        parse_command(line, &CommandContext::new("lab"))
    }

    #[test]
    fn traffic_commands_parse_and_print_back() {
        let ctx = CommandContext::new("lab");
        for line in [
            "ekslab traffic deployment/web --rps=200",
            "ekslab traffic deployment/web -n shop --rps=50 --spike=800 --for=10m",
            "ekslab traffic deployment/web --rps=100 --ramp-to=600 --over=30m",
            "ekslab traffic deployment/web --diurnal=100-1200 --peak-hour=14",
            "ekslab traffic deployment/web --rps=10 --cpu-per-request=25m",
            "ekslab traffic deployment/web --clear",
        ] {
            let cmd = parse(line).unwrap_or_else(|e| panic!("{line}: {e}"));
            assert_eq!(format_command(&cmd, &ctx).as_deref(), Some(line), "{line}");
        }
        assert!(parse("ekslab traffic web").unwrap_err().contains("--rps"));
        assert!(
            parse("ekslab traffic web --spike=10")
                .unwrap_err()
                .contains("--for")
        );
        assert!(
            parse("ekslab traffic pod/x --rps=1")
                .unwrap_err()
                .contains("Deployments")
        );
        assert!(
            parse("ekslab traffic web --rps=lots")
                .unwrap_err()
                .contains("whole number")
        );
        assert!(parse("ekslab launch").is_err());
    }

    #[test]
    fn upgrade_helpers_and_their_mistakes() {
        use crate::sim::catalog::KubernetesVersion;
        for line in [
            "ekslab set-ami nodegroup/ng-2 --kubernetes-version=1.35",
            "ekslab set-ami ng/ng-2 --kubernetes-version 1.35",
            "ekslab set-ami ng-2 --kubernetes-version=v1.35",
        ] {
            assert_eq!(
                parse(line),
                Ok(Command::SetNodegroupAmi {
                    name: "ng-2".into(),
                    version: KubernetesVersion::new(35)
                }),
                "{line}"
            );
        }
        assert_eq!(
            parse("ekslab inject-fault subnet-deleted"),
            Ok(Command::InjectFault(Fault::SubnetDeleted))
        );
        assert_eq!(parse("ekslab clear-faults"), Ok(Command::ClearFaults));
        for (line, want) in [
            (
                "ekslab set-ami nodegroup/ng-2",
                "error: required flag(s) \"kubernetes-version\" not set",
            ),
            (
                "ekslab set-ami pod/web --kubernetes-version=1.35",
                "error: set-ami changes a node group's launch template, not a pod: ekslab set-ami nodegroup/NAME --kubernetes-version=1.35",
            ),
            (
                "ekslab set-ami --kubernetes-version=1.35",
                "error: ekslab set-ami takes one node group: ekslab set-ami nodegroup/NAME --kubernetes-version=1.35",
            ),
            (
                "ekslab inject-fault power-cut",
                "error: unknown fault \"power-cut\": the lab can inject security-group-deleted, subnet-deleted",
            ),
            (
                "ekslab inject-fault",
                "error: ekslab inject-fault takes one fault: security-group-deleted, subnet-deleted",
            ),
            (
                "ekslab clear-faults now",
                "error: ekslab clear-faults takes no arguments, got \"now\"",
            ),
        ] {
            assert_eq!(parse(line), Err(want.to_string()), "{line}");
        }
    }
}
