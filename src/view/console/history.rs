//! The console's history as the Console tab shows it: each line typed with what came back, the
//! result of a change found once its step has run, at most `MAX_ENTRIES` lines, and the
//! shell's Up and Down keys to recall a line. The tab holds one of these and draws `rows`.

use crate::cli::{CommandContext, parse_command};
use crate::sim::Simulation;
use crate::sim::command::{Command, CommandOutcome};
use crate::view::console::run_query;

/// Lines the history keeps; older ones scroll away.
pub const MAX_ENTRIES: usize = 200;

/// One line of history: what was typed and what came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub input: String,
    /// `None` while a change waits for its step.
    pub output: Option<Result<String, String>>,
    /// For changes: how many outcomes the lab had when it was submitted, to find its result.
    pub outcomes_before: Option<usize>,
}

/// A line as drawn: its input and its output, or `None` while the change waits for its step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub input: String,
    pub output: Option<Result<String, String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    entries: Vec<Entry>,
    /// The line recalled with Up and Down, if any.
    cursor: Option<usize>,
}

impl History {
    /// Runs a typed line: a query is answered at once; a change is parsed and returned for the
    /// lab to apply at its next step (its result shows once it has run); a line the parser
    /// refuses shows the parser's message. Blank lines do nothing.
    pub fn submit(&mut self, sim: &Simulation, line: &str) -> Option<Command> {
        let text = line.trim();
        if text.is_empty() {
            return None;
        }
        let mut command = None;
        let entry = if let Some(out) = run_query(sim, text) {
            Entry {
                input: text.to_string(),
                output: Some(out),
                outcomes_before: None,
            }
        } else {
            match parse_command(text, &CommandContext::new(sim.state().cluster.name.clone())) {
                Ok(cmd) => {
                    command = Some(cmd);
                    Entry {
                        input: text.to_string(),
                        output: None,
                        outcomes_before: Some(sim.outcomes().len()),
                    }
                }
                Err(e) => Entry {
                    input: text.to_string(),
                    output: Some(Err(e)),
                    outcomes_before: None,
                },
            }
        };
        self.entries.push(entry);
        if self.entries.len() > MAX_ENTRIES {
            self.entries.remove(0);
        }
        self.cursor = None;
        command
    }

    /// Up (`back`) or Down: the line to show in the input, as a shell recalls history. Down past
    /// the newest line clears the input; `None` when there is nothing to recall.
    pub fn recall(&mut self, back: bool) -> Option<String> {
        let n = self.entries.len();
        if n == 0 {
            return None;
        }
        self.cursor = if back {
            Some(self.cursor.map_or(n - 1, |c| c.saturating_sub(1)))
        } else {
            self.cursor.and_then(|c| (c + 1 < n).then_some(c + 1))
        };
        Some(
            self.cursor
                .map(|i| self.entries[i].input.clone())
                .unwrap_or_default(),
        )
    }

    /// The lines to draw, a change's result taken from the lab's outcomes once its step ran.
    pub fn rows(&self, outcomes: &[CommandOutcome]) -> Vec<Row> {
        self.entries
            .iter()
            .map(|e| Row {
                input: e.input.clone(),
                output: e.output.clone().or_else(|| {
                    e.outcomes_before.and_then(|b| {
                        outcomes
                            .iter()
                            .skip(b)
                            .find(|o| o.text == e.input)
                            .map(|o| o.result.clone())
                    })
                }),
            })
            .collect()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::spec::LabSpec;

    fn lab() -> Simulation {
        let mut spec = LabSpec::default();
        spec.settings.skip_cluster_creation = true;
        let mut sim = Simulation::new(spec).unwrap();
        sim.step();
        sim
    }

    #[test]
    fn a_query_answers_at_once_and_a_change_after_its_step() {
        let mut sim = lab();
        let mut h = History::default();
        assert_eq!(h.submit(&sim, "  "), None, "a blank line does nothing");
        assert!(h.is_empty());
        assert_eq!(h.submit(&sim, "kubectl get namespaces"), None);
        let rows = h.rows(sim.outcomes());
        assert!(
            matches!(&rows[0].output, Some(Ok(s)) if s.starts_with("NAME")),
            "{rows:?}"
        );

        let line = "kubectl create namespace batch";
        let cmd = h.submit(&sim, line).expect("a change is handed to the lab");
        assert_eq!(
            h.rows(sim.outcomes())[1].output,
            None,
            "waiting for its step"
        );
        sim.submit(cmd, line);
        sim.step();
        assert_eq!(
            h.rows(sim.outcomes())[1].output,
            Some(Ok("namespace/batch created".to_string()))
        );
    }

    #[test]
    fn a_refused_line_shows_the_parser_message() {
        let sim = lab();
        let mut h = History::default();
        assert_eq!(h.submit(&sim, "kubectl frobnicate pods"), None);
        let Some(Err(msg)) = &h.rows(sim.outcomes())[0].output else {
            panic!("an error row")
        };
        assert!(msg.contains("frobnicate"), "{msg}");
    }

    #[test]
    fn up_and_down_recall_lines_as_a_shell_does() {
        let sim = lab();
        let mut h = History::default();
        assert_eq!(h.recall(true), None, "nothing to recall yet");
        for l in ["help", "kubectl get nodes", "kubectl get pods -A"] {
            h.submit(&sim, l);
        }
        assert_eq!(h.recall(true).as_deref(), Some("kubectl get pods -A"));
        assert_eq!(h.recall(true).as_deref(), Some("kubectl get nodes"));
        assert_eq!(h.recall(true).as_deref(), Some("help"));
        assert_eq!(
            h.recall(true).as_deref(),
            Some("help"),
            "stops at the oldest"
        );
        assert_eq!(h.recall(false).as_deref(), Some("kubectl get nodes"));
        assert_eq!(h.recall(false).as_deref(), Some("kubectl get pods -A"));
        assert_eq!(
            h.recall(false).as_deref(),
            Some(""),
            "past the newest: an empty input"
        );
        // A new line starts the recall again from the newest.
        h.recall(true);
        h.submit(&sim, "kubectl get ns");
        assert_eq!(h.recall(true).as_deref(), Some("kubectl get ns"));
    }

    #[test]
    fn the_history_keeps_its_newest_lines() {
        let sim = lab();
        let mut h = History::default();
        for i in 0..=MAX_ENTRIES {
            h.submit(&sim, &format!("kubectl get pod p{i}"));
        }
        assert_eq!(h.len(), MAX_ENTRIES);
        let rows = h.rows(sim.outcomes());
        assert_eq!(rows[0].input, "kubectl get pod p1");
        assert_eq!(
            rows[MAX_ENTRIES - 1].input,
            format!("kubectl get pod p{MAX_ENTRIES}")
        );
    }
}
