//! `ekslab`: plays a scenario file headless and prints a report.
//!
//! ```text
//! ekslab run FILE [--json] [--duration 24h] [--seed N]
//! ekslab validate FILE
//! ```
//! Exit codes: 0 success, 1 the scenario has errors, 2 usage or I/O problems.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(cli::main(&args));
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::io::{Read, Write};

    use eks_lab::report::{Report, UpgradeWatch};
    use eks_lab::scenario::{self, Severity};
    use eks_lab::sim::Simulation;
    use eks_lab::sim::clock::SimDuration;

    const USAGE: &str = "usage:\n  ekslab run FILE [--json] [--duration DURATION] [--seed N]\n  ekslab validate FILE\n\nDURATION is like 90m, 24h, 2d. Without --duration the file's Lab duration is used, else 1h.";

    /// Duration when neither the file nor the flag says.
    const DEFAULT_DURATION: SimDuration = SimDuration::from_hours(1);

    struct RunArgs {
        file: String,
        json: bool,
        duration: Option<SimDuration>,
        seed: Option<u64>,
    }

    fn usage_error(msg: &str) -> i32 {
        eprintln!("ekslab: {msg}\n\n{USAGE}");
        2
    }

    pub fn main(args: &[String]) -> i32 {
        match args.first().map(String::as_str) {
            Some("run") => match parse_run(&args[1..]) {
                Ok(a) => run(&a),
                Err(e) => usage_error(&e),
            },
            Some("validate") => match args.get(1..) {
                Some([file]) => validate(file),
                _ => usage_error("validate takes exactly one FILE"),
            },
            Some("-h" | "--help" | "help") => {
                println!("{USAGE}");
                0
            }
            Some(other) => usage_error(&format!("unknown command {other:?}")),
            None => usage_error("missing command"),
        }
    }

    fn parse_run(args: &[String]) -> Result<RunArgs, String> {
        let mut out = RunArgs {
            file: String::new(),
            json: false,
            duration: None,
            seed: None,
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let (flag, inline) = match a.split_once('=') {
                Some((f, v)) if a.starts_with("--") => (f, Some(v.to_string())),
                _ => (a.as_str(), None),
            };
            let mut value = |name: &str| {
                inline
                    .clone()
                    .or_else(|| it.next().cloned())
                    .ok_or_else(|| format!("{name} needs a value"))
            };
            match flag {
                "--json" => out.json = true,
                "--duration" => {
                    let v = value("--duration")?;
                    let d = SimDuration::parse(&v).map_err(|e| format!("--duration: {e}"))?;
                    eks_lab::limits::check::sim_time(d, &v)
                        .map_err(|e| format!("--duration: {e}"))?;
                    out.duration = Some(d);
                }
                "--seed" => {
                    let v = value("--seed")?;
                    out.seed = Some(
                        v.parse()
                            .map_err(|_| format!("--seed: {v:?} is not a whole number"))?,
                    );
                }
                f if f.starts_with('-') => return Err(format!("unknown flag {f}")),
                f if out.file.is_empty() => out.file = f.to_string(),
                f => return Err(format!("unexpected argument {f:?}")),
            }
        }
        if out.file.is_empty() {
            return Err("run needs a FILE".into());
        }
        Ok(out)
    }

    /// Reads a scenario file's bytes, never more than the lab's limit plus one: a file too
    /// big is refused by its size (exit 1, like any scenario error), one that cannot be read
    /// names the reason (exit 2).
    fn read(file: &str) -> Result<Vec<u8>, i32> {
        let cannot = |e: std::io::Error| {
            eprintln!("ekslab: cannot read {file}: {e}");
            2
        };
        let f = std::fs::File::open(file).map_err(cannot)?;
        let meta = f.metadata().map_err(cannot)?;
        if meta.is_dir() {
            eprintln!("ekslab: cannot read {file}: it is a directory");
            return Err(2);
        }
        if let Err(d) = scenario::check_size(meta.len()) {
            eprintln!("{file}: {d}");
            return Err(1);
        }
        let mut bytes = Vec::new();
        f.take(scenario::MAX_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
        Ok(bytes)
    }

    fn validate(file: &str) -> i32 {
        let bytes = match read(file) {
            Ok(b) => b,
            Err(code) => return code,
        };
        match scenario::load_bytes(&bytes) {
            Ok(loaded) => match Simulation::new(loaded.spec.clone()) {
                Ok(_) => {
                    for w in &loaded.warnings {
                        eprintln!("{file}: {w}");
                    }
                    println!(
                        "{file}: valid: cluster {:?} (Kubernetes {}), {} node group(s), {} Fargate profile(s), {} manifest(s), {} timeline action(s), {} warning(s)",
                        loaded.spec.cluster.name,
                        loaded.spec.cluster.version,
                        loaded.spec.nodegroups.len(),
                        loaded.spec.fargate_profiles.len(),
                        loaded.spec.manifests.len(),
                        loaded.spec.timeline.len(),
                        loaded.warnings.len()
                    );
                    0
                }
                Err(e) => {
                    eprintln!("{file}: error: {e}");
                    1
                }
            },
            Err(diags) => {
                for d in &diags {
                    eprintln!("{file}: {d}");
                }
                let errors = diags
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count();
                eprintln!("{file}: {errors} error(s)");
                1
            }
        }
    }

    fn run(a: &RunArgs) -> i32 {
        let bytes = match read(&a.file) {
            Ok(b) => b,
            Err(code) => return code,
        };
        let loaded = match scenario::load_bytes(&bytes) {
            Ok(l) => l,
            Err(diags) => {
                for d in &diags {
                    eprintln!("{}: {d}", a.file);
                }
                return 1;
            }
        };
        let mut spec = loaded.spec;
        if let Some(seed) = a.seed {
            spec.seed = seed;
        }
        let duration = a.duration.or(spec.duration).unwrap_or(DEFAULT_DURATION);
        let mut sim = match Simulation::new(spec) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{}: error: {e}", a.file);
                return 1;
            }
        };
        let mut watch = UpgradeWatch::default();
        watch.run_for(&mut sim, duration);
        let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
        let report = Report::build(&sim, &watch, warnings);
        let out = if a.json {
            report.to_json()
        } else {
            summary(&report)
        };
        let mut stdout = std::io::stdout().lock();
        if stdout.write_all(out.as_bytes()).is_err() {
            return 2;
        }
        0
    }

    fn summary(r: &Report) -> String {
        use std::fmt::Write as _;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "cluster {} (Kubernetes {}, {}) in {} after {} s",
            r.cluster.name,
            r.cluster.version,
            r.cluster.support_status,
            r.cluster.region,
            r.duration_s
        );
        let _ = writeln!(
            s,
            "cost ${:.4}: control plane ${:.4}, EC2 ${:.4}, Fargate ${:.4}, EBS ${:.4}; now ${:.4}/h, 30 days ${:.2}",
            r.cost.total_usd,
            r.cost.control_plane_usd,
            r.cost.ec2_usd,
            r.cost.fargate_usd,
            r.cost.ebs_usd,
            r.cost.rate_usd_per_hour,
            r.cost.projected_30_day_usd
        );
        let _ = writeln!(
            s,
            "pods: {} running, {} pending, {} succeeded, {} failed",
            r.pods.running, r.pods.pending, r.pods.succeeded, r.pods.failed
        );
        let _ = writeln!(
            s,
            "{:<44} {:<14} {:<13} {:<15} {:<11} {:>5}",
            "NODE", "GROUP", "KIND", "TYPE", "ZONE", "PODS"
        );
        for n in &r.nodes {
            let _ = writeln!(
                s,
                "{:<44} {:<14} {:<13} {:<15} {:<11} {:>2}/{:<3}",
                n.name, n.nodegroup, n.kind, n.instance_type, n.zone, n.pods, n.max_pods
            );
        }
        for u in &r.updates {
            let _ = writeln!(
                s,
                "update {} {} {} {}: {} after {} s",
                u.id,
                u.target,
                u.type_,
                u.version.as_deref().unwrap_or("-"),
                u.status,
                u.duration_s
            );
        }
        for d in &r.upgrade {
            let _ = writeln!(
                s,
                "data plane {} ({}) at {}: {} node(s) behind, {} step(s), {}",
                d.name,
                d.kind,
                d.version.as_deref().unwrap_or("-"),
                d.nodes_on_old_version,
                d.steps,
                match (d.started_s, d.finished_s) {
                    (Some(a), Some(b)) => format!("upgraded from t={a}s to t={b}s"),
                    (Some(a), None) => format!("upgrading since t={a}s"),
                    _ => "not upgraded".to_string(),
                }
            );
        }
        for c in &r.commands {
            let _ = writeln!(
                s,
                "t={}s {} -> {}",
                c.t_s,
                c.command,
                if c.ok { "ok" } else { "error" }
            );
        }
        let warnings = r.events.iter().filter(|e| e.type_ == "Warning").count();
        let _ = writeln!(
            s,
            "{} events ({} warnings), digest {}",
            r.events.len(),
            warnings,
            r.event_digest
        );
        s
    }
}
