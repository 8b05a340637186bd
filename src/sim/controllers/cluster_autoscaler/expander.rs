//! Expanders: how the Cluster Autoscaler picks one node group among the scale-up options
//! (upstream `expander/`). Every expander narrows the options and falls back to `random`
//! for ties, drawing from the autoscaler's own random stream.

use std::fmt::Write;

use crate::sim::api::ObjectKey;
use crate::sim::eks::fargate_profile::wildcard_match;
use crate::sim::quantity::Resources;
use crate::sim::rng::SimRng;
use crate::sim::spec::Expander;

/// One way to scale up: a node group, how many new nodes it needs and which pods they take.
#[derive(Debug, Clone)]
pub struct ScaleUpOption {
    pub group: String,
    pub asg: String,
    pub instance_type: String,
    pub node_count: u64,
    pub pods: Vec<ObjectKey>,
    /// Sum of the pods' container requests.
    pub requested: Resources,
    /// Capacity of one new node.
    pub capacity: Resources,
}

impl ScaleUpOption {
    /// Unused CPU fraction plus unused memory fraction of the new nodes, as an exact fraction
    /// (numerator, denominator): upstream `waste.go`'s `wastedCPU + wastedMemory`.
    fn waste(&self) -> (u128, u128) {
        let n = u128::from(self.node_count.max(1));
        let ca = u128::from(self.capacity.cpu.0) * n;
        let ma = u128::from(self.capacity.memory.0) * n;
        if ca == 0 || ma == 0 {
            return (2, 1);
        }
        let cw = ca.saturating_sub(u128::from(self.requested.cpu.0));
        let mw = ma.saturating_sub(u128::from(self.requested.memory.0));
        (cw * ma + mw * ca, ca * ma)
    }

    /// The blended waste upstream logs (`wastedScore × 50`), in whole percent.
    pub fn waste_percent(&self) -> u64 {
        let (num, den) = self.waste();
        (num * 50 / den) as u64
    }
}

fn pods(n: usize) -> String {
    if n == 1 {
        "1 pod".to_string()
    } else {
        format!("{n} pods")
    }
}

fn nodes(n: u64) -> String {
    if n == 1 {
        "1 node".to_string()
    } else {
        format!("{n} nodes")
    }
}

/// The highest priority whose patterns match the group (by node group or ASG name).
fn priority_of(priorities: &[(u64, Vec<String>)], o: &ScaleUpOption) -> Option<u64> {
    priorities
        .iter()
        .filter(|(_, pats)| {
            pats.iter()
                .any(|p| wildcard_match(p, &o.group) || wildcard_match(p, &o.asg))
        })
        .map(|(prio, _)| *prio)
        .max()
}

/// How an expander describes an option in its explanation.
type Describe = Box<dyn Fn(&ScaleUpOption) -> String>;

/// Picks the best option. Returns its index and a sentence for the explanation.
pub fn best(
    expander: Expander,
    priorities: &[(u64, Vec<String>)],
    options: &[ScaleUpOption],
    rng: &mut SimRng,
) -> (usize, String) {
    let all: Vec<usize> = (0..options.len()).collect();
    // (finalists, how each option is described)
    let (finalists, describe): (Vec<usize>, Describe) = match expander {
        Expander::Random => (all, Box::new(|_| String::new())),
        Expander::LeastWaste => {
            let mut best: Vec<usize> = Vec::new();
            let mut best_score = (0u128, 1u128);
            for (i, o) in options.iter().enumerate() {
                let (n, d) = o.waste();
                let ord = (n * best_score.1).cmp(&(best_score.0 * d));
                if best.is_empty() || ord == std::cmp::Ordering::Less {
                    best = vec![i];
                    best_score = (n, d);
                } else if ord == std::cmp::Ordering::Equal {
                    best.push(i);
                }
            }
            (
                best,
                Box::new(|o: &ScaleUpOption| format!(" (waste {}%)", o.waste_percent())),
            )
        }
        Expander::MostPods => {
            let max = options.iter().map(|o| o.pods.len()).max().unwrap_or(0);
            (
                all.into_iter()
                    .filter(|&i| options[i].pods.len() == max)
                    .collect(),
                Box::new(|o: &ScaleUpOption| format!(" ({})", pods(o.pods.len()))),
            )
        }
        Expander::LeastNodes => {
            let min = options.iter().map(|o| o.node_count).min().unwrap_or(0);
            (
                all.into_iter()
                    .filter(|&i| options[i].node_count == min)
                    .collect(),
                Box::new(|o: &ScaleUpOption| format!(" ({})", nodes(o.node_count))),
            )
        }
        Expander::Priority => {
            let prios: Vec<Option<u64>> =
                options.iter().map(|o| priority_of(priorities, o)).collect();
            let top = prios.iter().flatten().copied().max();
            let finalists = match top {
                // No group matches any pattern: upstream falls back to random among all.
                None => all,
                Some(t) => all.into_iter().filter(|&i| prios[i] == Some(t)).collect(),
            };
            let owned = priorities.to_vec();
            (
                finalists,
                Box::new(move |o: &ScaleUpOption| match priority_of(&owned, o) {
                    Some(p) => format!(" (priority {p})"),
                    None => " (no priority)".to_string(),
                }),
            )
        }
    };
    let pick = finalists[rng.index(finalists.len())];
    let chosen = &options[pick];
    let mut text = format!(
        "{} chose {}{}",
        expander.as_str(),
        chosen.group,
        describe(chosen)
    );
    let others: Vec<String> = options
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != pick)
        .map(|(_, o)| format!("{}{}", o.group, describe(o)))
        .collect();
    if !others.is_empty() {
        text.push_str(" over ");
        text.push_str(&others.join(", "));
    }
    if finalists.len() > 1 && expander != Expander::Random {
        let _ = write!(
            text,
            "; a tie between {} options, broken at random",
            finalists.len()
        );
    }
    (pick, text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::quantity::GIB;

    fn opt(group: &str, nodes: u64, cpu_m: u64, mem_gib: u64, cap: (u64, u64)) -> ScaleUpOption {
        ScaleUpOption {
            group: group.to_string(),
            asg: format!("eks-{group}-x"),
            instance_type: "m5.large".into(),
            node_count: nodes,
            pods: (0..nodes * 2)
                .map(|i| ObjectKey::new("default", format!("p{i}")))
                .collect(),
            requested: Resources::new(cpu_m, mem_gib * GIB),
            capacity: Resources::new(cap.0, cap.1 * GIB),
        }
    }

    #[test]
    fn least_waste_prefers_the_fuller_nodes() {
        let small = opt("ng-small", 2, 3000, 4, (2000, 8));
        let big = opt("ng-big", 1, 3000, 4, (8000, 32));
        assert_eq!(small.waste_percent(), 50);
        assert_eq!(big.waste_percent(), 75);
        let mut rng = SimRng::stream(1, "t");
        let (i, why) = best(Expander::LeastWaste, &[], &[big, small], &mut rng);
        assert_eq!(i, 1);
        assert_eq!(
            why,
            "least-waste chose ng-small (waste 50%) over ng-big (waste 75%)"
        );
    }

    #[test]
    fn priority_matches_wildcards_and_falls_back_to_random() {
        let a = opt("ng-a", 1, 1000, 1, (2000, 8));
        let b = opt("ng-spot-b", 1, 1000, 1, (2000, 8));
        let prios = vec![
            (10, vec!["ng-spot*".to_string()]),
            (1, vec!["*".to_string()]),
        ];
        let mut rng = SimRng::stream(1, "t");
        let (i, why) = best(
            Expander::Priority,
            &prios,
            &[a.clone(), b.clone()],
            &mut rng,
        );
        assert_eq!(i, 1);
        assert_eq!(
            why,
            "priority chose ng-spot-b (priority 10) over ng-a (priority 1)"
        );
        let (_, why) = best(Expander::Priority, &[], &[a, b], &mut rng);
        assert!(why.contains("tie between 2 options"), "{why}");
    }
}
