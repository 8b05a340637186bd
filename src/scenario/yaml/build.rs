//! Builds the position-carrying tree from `saphyr-parser` events, within the lab's limits.
//!
//! Three budgets keep any text's cost bounded before the work is done, never after:
//! nesting depth (so no later recursive walk can overflow the stack), values and scalar bytes
//! once aliases are expanded (each alias is charged the size of its anchor *before* the
//! anchored node is copied, so a "billion laughs" file is refused without being built).
//! Duplicate keys are found by sorting a mapping's keys when it ends, and merge keys with an
//! ordered set: both stay O(n log n) in the number of keys.

use std::collections::{BTreeMap, BTreeSet};

use saphyr_parser::{Event, ScalarStyle, Span};

use super::{Document, Mark, Node, Scalar, Style, YamlError};
use crate::limits::{MAX_YAML_DEPTH, MAX_YAML_EXPANDED_BYTES, MAX_YAML_NODES};

impl Mark {
    pub(super) fn from_span(span: Span) -> Mark {
        Mark {
            line: span.start.line().max(1),
            column: span.start.col() + 1,
        }
    }
}

/// What a finished node costs: values and bytes of scalar text, its aliases expanded.
#[derive(Debug, Clone, Copy, Default)]
struct Cost {
    nodes: usize,
    bytes: usize,
}

impl Cost {
    fn add(&mut self, other: Cost) {
        self.nodes = self.nodes.saturating_add(other.nodes);
        self.bytes = self.bytes.saturating_add(other.bytes);
    }
}

/// A collection being built.
enum Frame {
    Seq {
        items: Vec<Node>,
        mark: Mark,
        anchor: usize,
        cost: Cost,
    },
    Map {
        entries: Vec<(Scalar, Node)>,
        mark: Mark,
        anchor: usize,
        cost: Cost,
        key: Option<Scalar>,
    },
}

/// Builds the tree from the event stream.
pub(super) struct Builder {
    pub documents: Vec<Document>,
    pub errors: Vec<YamlError>,
    stack: Vec<Frame>,
    anchors: BTreeMap<usize, (Node, Cost)>,
    root: Option<Node>,
    doc_mark: Mark,
    /// Spent so far in the whole stream.
    spent: Cost,
    max_documents: usize,
}

impl Builder {
    pub fn new(max_documents: usize) -> Builder {
        Builder {
            documents: Vec::new(),
            errors: Vec::new(),
            stack: Vec::new(),
            anchors: BTreeMap::new(),
            root: None,
            doc_mark: Mark::START,
            spent: Cost::default(),
            max_documents,
        }
    }

    /// The 1-based document being read.
    pub fn document(&self) -> usize {
        self.documents.len() + 1
    }

    fn fatal(&self, mark: Mark, message: impl Into<String>) -> YamlError {
        YamlError {
            document: self.document(),
            mark,
            message: message.into(),
        }
    }

    /// Charges `cost` to the stream, refusing it (at `mark`, before anything is built) when
    /// it would pass a limit.
    fn charge(&mut self, cost: Cost, mark: Mark, alias: bool) -> Result<(), YamlError> {
        let mut total = self.spent;
        total.add(cost);
        let how = if alias {
            "; this alias repeats its anchor past the limit"
        } else {
            ""
        };
        if total.nodes > MAX_YAML_NODES {
            return Err(self.fatal(
                mark,
                format!(
                    "the file holds more than {MAX_YAML_NODES} YAML values once anchors and aliases are expanded, the lab's limit{how}"
                ),
            ));
        }
        if total.bytes > MAX_YAML_EXPANDED_BYTES {
            return Err(self.fatal(
                mark,
                format!(
                    "the file holds more than {MAX_YAML_EXPANDED_BYTES} bytes ({}) of text once anchors and aliases are expanded, the lab's limit{how}",
                    crate::scenario::in_units(MAX_YAML_EXPANDED_BYTES)
                ),
            ));
        }
        self.spent = total;
        Ok(())
    }

    /// Adds a finished node to its parent, or makes it the document root.
    fn add(&mut self, node: Node, cost: Cost) -> Result<(), YamlError> {
        let document = self.document();
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq {
                items, cost: total, ..
            }) => {
                items.push(node);
                total.add(cost);
            }
            Some(Frame::Map {
                entries,
                key,
                cost: total,
                ..
            }) => {
                match key.take() {
                    None => match node {
                        Node::Scalar(s) => *key = Some(s),
                        other => {
                            return Err(YamlError {
                                document,
                                mark: other.mark(),
                                message:
                                    "mapping keys must be plain strings, not lists or mappings"
                                        .into(),
                            });
                        }
                    },
                    // Duplicates are dropped when the mapping ends (`drop_duplicates`).
                    Some(k) => entries.push((k, node)),
                }
                total.add(cost);
            }
        }
        Ok(())
    }

    pub fn on_event(&mut self, event: Event<'_>, span: Span) -> Result<(), YamlError> {
        let mark = Mark::from_span(span);
        match event {
            Event::DocumentStart(_) => {
                if self.documents.len() >= self.max_documents {
                    return Err(self.fatal(
                        mark,
                        format!(
                            "the file holds more than {} YAML documents, the lab's limit",
                            self.max_documents
                        ),
                    ));
                }
                self.doc_mark = mark;
                self.root = None;
            }
            Event::DocumentEnd => {
                // A document with nothing in it (`---` alone, comments) parses as a null scalar.
                let root = self.root.take().filter(|r| !r.is_null());
                let index = self.document();
                self.documents.push(Document {
                    index,
                    mark: self.doc_mark,
                    root,
                });
                self.anchors.clear();
            }
            Event::Scalar(text, style, anchor, tag) => {
                let cost = Cost {
                    nodes: 1,
                    bytes: text.len(),
                };
                self.charge(cost, mark, false)?;
                let quoted = !matches!(style, ScalarStyle::Plain)
                    || tag.as_ref().is_some_and(|t| t.suffix == "str");
                let style = if quoted { Style::Quoted } else { Style::Plain };
                let node = Node::Scalar(Scalar {
                    text: text.into_owned(),
                    style,
                    mark,
                });
                if anchor > 0 {
                    self.anchors.insert(anchor, (node.clone(), cost));
                }
                self.add(node, cost)?;
            }
            Event::Alias(id) => {
                let Some(cost) = self.anchors.get(&id).map(|(_, c)| *c) else {
                    return Err(self.fatal(mark, "alias refers to an unknown anchor"));
                };
                // Charged before the copy is made: a refused alias costs nothing.
                self.charge(cost, mark, true)?;
                let node = self
                    .anchors
                    .get(&id)
                    .map(|(n, _)| relocate(n.clone(), mark));
                if let Some(node) = node {
                    self.add(node, cost)?;
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                let cost = Cost { nodes: 1, bytes: 0 };
                self.charge(cost, mark, false)?;
                if self.stack.len() >= MAX_YAML_DEPTH {
                    return Err(self.fatal(mark, too_deep()));
                }
                self.stack
                    .push(if matches!(event, Event::SequenceStart(..)) {
                        Frame::Seq {
                            items: Vec::new(),
                            mark,
                            anchor,
                            cost,
                        }
                    } else {
                        Frame::Map {
                            entries: Vec::new(),
                            mark,
                            anchor,
                            cost,
                            key: None,
                        }
                    });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor, cost) = match self.stack.pop() {
                    Some(Frame::Seq {
                        items,
                        mark,
                        anchor,
                        cost,
                    }) => (Node::Seq { items, mark }, anchor, cost),
                    Some(Frame::Map {
                        mut entries,
                        mark,
                        anchor,
                        cost,
                        ..
                    }) => {
                        let document = self.document();
                        drop_duplicates(&mut entries, document, &mut self.errors);
                        let entries = merge_keys(entries).map_err(|(m, msg)| self.fatal(m, msg))?;
                        (Node::Map { entries, mark }, anchor, cost)
                    }
                    None => return Err(self.fatal(mark, "unbalanced collection end")),
                };
                if anchor > 0 {
                    self.anchors.insert(anchor, (node.clone(), cost));
                }
                self.add(node, cost)?;
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
        Ok(())
    }
}

/// The refusal of a text nested past `MAX_YAML_DEPTH`.
pub(super) fn too_deep() -> String {
    format!("lists and mappings are nested more than {MAX_YAML_DEPTH} levels deep, the lab's limit")
}

/// Removes every repeated key of a mapping but its first, with an error at each repeat.
/// Sorting the indices by key finds them in O(n log n), however many keys the mapping has.
fn drop_duplicates(
    entries: &mut Vec<(Scalar, Node)>,
    document: usize,
    errors: &mut Vec<YamlError>,
) {
    if entries.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..entries.len()).collect();
    // Stable: equal keys stay in document order, so the first of each run is the original.
    crate::sim::sort::sort_by(&mut order, |&a, &b| {
        entries[a].0.text.cmp(&entries[b].0.text)
    });
    let mut repeated = vec![false; entries.len()];
    for pair in order.windows(2) {
        if let [a, b] = *pair
            && entries[a].0.text == entries[b].0.text
        {
            repeated[b] = true;
        }
    }
    if !repeated.contains(&true) {
        return;
    }
    let mut i = 0;
    entries.retain(|(k, _)| {
        let keep = !repeated[i];
        i += 1;
        if !keep {
            errors.push(YamlError {
                document,
                mark: k.mark,
                message: format!("duplicate key {:?} in this mapping", k.text),
            });
        }
        keep
    });
}

/// Applies YAML merge keys (`<<: *defaults` or `<<: [*a, *b]`): the merged mappings' entries
/// are added unless the mapping sets the key itself, earlier sources first.
fn merge_keys(entries: Vec<(Scalar, Node)>) -> Result<Vec<(Scalar, Node)>, (Mark, &'static str)> {
    const NOT_A_MAPPING: &str =
        "the value of a merge key (<<) must be a mapping or a list of mappings";
    let is_merge = |k: &Scalar| k.text == "<<" && k.style == Style::Plain;
    if !entries.iter().any(|(k, _)| is_merge(k)) {
        return Ok(entries);
    }
    let (merges, mut out): (Vec<_>, Vec<_>) = entries.into_iter().partition(|(k, _)| is_merge(k));
    let mut present: BTreeSet<String> =
        crate::sim::sort::set(out.iter().map(|(k, _)| k.text.clone()));
    for (key, value) in merges {
        let sources = match value {
            Node::Map { .. } => vec![value],
            Node::Seq { items, .. } => items,
            Node::Scalar(_) => return Err((key.mark, NOT_A_MAPPING)),
        };
        for source in sources {
            let Node::Map { entries, .. } = source else {
                return Err((key.mark, NOT_A_MAPPING));
            };
            for (k, v) in entries {
                if present.insert(k.text.clone()) {
                    out.push((k, v));
                }
            }
        }
    }
    Ok(out)
}

/// An alias stands where it is written: the copy takes the alias's position at its top, so
/// errors inside it still point somewhere sensible.
fn relocate(node: Node, mark: Mark) -> Node {
    match node {
        Node::Scalar(mut s) => {
            s.mark = mark;
            Node::Scalar(s)
        }
        Node::Seq { items, .. } => Node::Seq { items, mark },
        Node::Map { entries, .. } => Node::Map { entries, mark },
    }
}
