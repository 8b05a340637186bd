//! `kubectl top pods` and `kubectl top nodes`, from what the metrics-server last scraped.
//! Without the metrics-server add-on (or before its first scrape) they fail exactly as kubectl
//! does: `error: Metrics API not available`.

use crate::sim::Simulation;
use crate::sim::quantity::MIB;
use crate::view::kubectl::tabwriter::{TabWriter, tab_lines};

/// kubectl's message when `metrics.k8s.io` is not served.
pub const NO_METRICS_API: &str = "error: Metrics API not available";

fn mib(bytes: u64) -> String {
    format!("{}Mi", bytes / MIB)
}

/// `kubectl top pods [-n NS | -A]`.
pub fn top_pods(sim: &Simulation, namespace: Option<&str>) -> Result<String, String> {
    if !crate::sim::api::metrics::available(&sim.state().deployments)
        || sim.state().pod_metrics.is_empty()
    {
        return Err(NO_METRICS_API.to_string());
    }
    let mut rows: Vec<Vec<String>> = Vec::new();
    let all = namespace.is_none();
    let header: Vec<String> = if all {
        vec![
            "NAMESPACE".into(),
            "NAME".into(),
            "CPU(cores)".into(),
            "MEMORY(bytes)".into(),
        ]
    } else {
        vec!["NAME".into(), "CPU(cores)".into(), "MEMORY(bytes)".into()]
    };
    rows.push(header);
    for (k, m) in &sim.state().pod_metrics {
        if namespace.is_some_and(|ns| ns != k.namespace) {
            continue;
        }
        let mut row = Vec::new();
        if all {
            row.push(k.namespace.clone());
        }
        row.push(k.name.clone());
        row.push(format!("{}m", m.usage.cpu.0));
        row.push(mib(m.usage.memory.0));
        rows.push(row);
    }
    if rows.len() == 1 {
        return Ok(format!(
            "No resources found in {} namespace.\n",
            namespace.unwrap_or("default")
        ));
    }
    Ok(TabWriter::KUBECTL_GET.format(&tab_lines(rows)))
}

/// `kubectl top nodes`: usage and its share of allocatable.
pub fn top_nodes(sim: &Simulation) -> Result<String, String> {
    if !crate::sim::api::metrics::available(&sim.state().deployments)
        || sim.state().node_metrics.is_empty()
    {
        return Err(NO_METRICS_API.to_string());
    }
    let mut rows: Vec<Vec<String>> = vec![
        ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]
            .iter()
            .map(|s| (*s).to_string())
            .collect(),
    ];
    for (name, m) in &sim.state().node_metrics {
        let Some(n) = sim.state().nodes.get(name) else {
            continue;
        };
        let a = n.status.allocatable;
        let pct = |used: u64, total: u64| {
            used.saturating_mul(100)
                .checked_div(total)
                .map_or_else(|| "<unknown>".to_string(), |p| format!("{p}%"))
        };
        rows.push(vec![
            name.clone(),
            format!("{}m", m.usage.cpu.0),
            pct(m.usage.cpu.0, a.cpu.0),
            mib(m.usage.memory.0),
            pct(m.usage.memory.0, a.memory.0),
        ]);
    }
    Ok(TabWriter::KUBECTL_GET.format(&tab_lines(rows)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::clock::SimDuration;

    fn lab(with_metrics: bool) -> Simulation {
        let addons = if with_metrics {
            "addons: [{name: metrics-server}]\n"
        } else {
            ""
        };
        let text = format!(
            "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {{name: lab}}\nmanagedNodeGroups: [{{name: ng, desiredCapacity: 1, minSize: 1, maxSize: 1}}]\n{addons}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  replicas: 2\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec: {{containers: [{{name: web, image: nginx, resources: {{requests: {{cpu: 250m, memory: 128Mi}}}}}}]}}\n---\napiVersion: ekslab.dev/v1alpha1\nkind: Lab\nmetadata: {{name: t}}\nspec:\n  skipClusterCreation: true\n  traffic: [{{deployment: web, rps: 40}}]\n"
        );
        let mut sim = Simulation::new(crate::scenario::load(&text).unwrap().spec).unwrap();
        sim.run_for(SimDuration::from_mins(5));
        sim
    }

    #[test]
    fn top_reads_the_metrics_api() {
        let sim = lab(true);
        let pods = top_pods(&sim, Some("default")).unwrap();
        let mut lines = pods.lines();
        assert_eq!(
            lines.next(),
            Some("NAME                   CPU(cores)   MEMORY(bytes)")
        );
        // 40 req/s × 10 ms over 2 pods = 200m, plus 10m idle; 40 × 256Ki / 2 + 64Mi = 69Mi.
        assert!(
            lines.all(|l| l.contains(" 210m ") && l.ends_with(" 69Mi")),
            "{pods}"
        );
        let nodes = top_nodes(&sim).unwrap();
        assert!(nodes.starts_with("NAME "), "{nodes}");
        assert!(nodes.contains("CPU(%)") && nodes.contains('%'));
    }

    #[test]
    fn without_metrics_server_top_fails_like_kubectl() {
        let sim = lab(false);
        assert_eq!(top_pods(&sim, None).unwrap_err(), NO_METRICS_API);
        assert_eq!(top_nodes(&sim).unwrap_err(), NO_METRICS_API);
    }
}
