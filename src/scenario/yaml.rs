//! A small YAML tree with positions, built from `saphyr-parser` events.
//!
//! Every scalar, sequence and mapping keeps the line and column where it starts, so the
//! decoders can point at the exact field a learner got wrong. Anchors are resolved by cloning
//! the anchored node (with a budget against "billion laughs" expansion), nesting is limited so
//! that no later recursive walk can overflow the stack, and duplicate mapping keys are errors.

mod scalar;

pub use scalar::{Scalar, ScalarKind, Style, is_float, is_int, parse_int};

use std::collections::BTreeMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

pub use crate::limits::{MAX_YAML_DEPTH as MAX_DEPTH, MAX_YAML_NODES as MAX_NODES};

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Mark {
    pub line: usize,
    pub column: usize,
}

impl Mark {
    /// The start of a file.
    pub const START: Mark = Mark { line: 1, column: 1 };

    fn from_span(span: Span) -> Mark {
        Mark {
            line: span.start.line().max(1),
            column: span.start.col() + 1,
        }
    }
}

/// A node of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Scalar(Scalar),
    Seq {
        items: Vec<Node>,
        mark: Mark,
    },
    Map {
        entries: Vec<(Scalar, Node)>,
        mark: Mark,
    },
}

impl Node {
    pub fn mark(&self) -> Mark {
        match self {
            Node::Scalar(s) => s.mark,
            Node::Seq { mark, .. } | Node::Map { mark, .. } => *mark,
        }
    }

    /// "a mapping", "a list", "a string", ... for type errors.
    pub fn describe(&self) -> &'static str {
        match self {
            Node::Scalar(s) => s.kind().describe(),
            Node::Seq { .. } => "a list",
            Node::Map { .. } => "a mapping",
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Node::Scalar(s) if s.is_null())
    }

    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map { entries, .. } => {
                entries.iter().find(|(k, _)| k.text == key).map(|(_, v)| v)
            }
            _ => None,
        }
    }

    /// Follows a dotted path of mapping keys (`metadata.version`).
    pub fn lookup(&self, path: &str) -> Option<&Node> {
        path.split('.').try_fold(self, |node, key| node.get(key))
    }

    /// The text of a scalar node.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Node::Scalar(s) => Some(&s.text),
            _ => None,
        }
    }
}

/// One document of the stream; `root` is `None` for an empty document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// 1-based position in the stream.
    pub index: usize,
    pub mark: Mark,
    pub root: Option<Node>,
}

/// A problem found while reading the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based document the problem is in.
    pub document: usize,
    pub mark: Mark,
    pub message: String,
}

/// The documents of a stream, or the syntax error that stopped the parser. Duplicate keys do
/// not stop reading: they come back in `errors` next to the documents.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stream {
    pub documents: Vec<Document>,
    pub errors: Vec<YamlError>,
}

/// A collection being built.
enum Frame {
    Seq {
        items: Vec<Node>,
        mark: Mark,
        anchor: usize,
        size: usize,
    },
    Map {
        entries: Vec<(Scalar, Node)>,
        mark: Mark,
        anchor: usize,
        size: usize,
        key: Option<Scalar>,
    },
}

/// Builds the tree from the event stream.
struct Builder {
    documents: Vec<Document>,
    errors: Vec<YamlError>,
    stack: Vec<Frame>,
    anchors: BTreeMap<usize, (Node, usize)>,
    root: Option<Node>,
    doc_mark: Mark,
    nodes: usize,
    max_documents: usize,
}

impl Builder {
    fn document(&self) -> usize {
        self.documents.len() + 1
    }

    fn fatal(&self, mark: Mark, message: impl Into<String>) -> YamlError {
        YamlError {
            document: self.document(),
            mark,
            message: message.into(),
        }
    }

    fn count(&mut self, n: usize, mark: Mark) -> Result<(), YamlError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            return Err(self.fatal(
                mark,
                format!("the file holds more than {MAX_NODES} values once anchors and aliases are expanded"),
            ));
        }
        Ok(())
    }

    /// Adds a finished node (of `size` nodes) to its parent, or makes it the document root.
    fn add(&mut self, node: Node, size: usize) -> Result<(), YamlError> {
        let document = self.document();
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq {
                items, size: total, ..
            }) => {
                items.push(node);
                *total = total.saturating_add(size);
            }
            Some(Frame::Map {
                entries,
                key,
                size: total,
                ..
            }) => match key.take() {
                None => match node {
                    Node::Scalar(s) => *key = Some(s),
                    other => {
                        return Err(YamlError {
                            document,
                            mark: other.mark(),
                            message: "mapping keys must be plain strings, not lists or mappings"
                                .into(),
                        });
                    }
                },
                Some(k) => {
                    if entries.iter().any(|(existing, _)| existing.text == k.text) {
                        self.errors.push(YamlError {
                            document,
                            mark: k.mark,
                            message: format!("duplicate key {:?} in this mapping", k.text),
                        });
                    } else {
                        entries.push((k, node));
                        *total = total.saturating_add(size);
                    }
                }
            },
        }
        Ok(())
    }

    fn on_event(&mut self, event: Event<'_>, span: Span) -> Result<(), YamlError> {
        let mark = Mark::from_span(span);
        match event {
            Event::DocumentStart(_) => {
                if self.documents.len() >= self.max_documents {
                    return Err(self.fatal(
                        mark,
                        format!("the file has more than {} documents", self.max_documents),
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
                self.count(1, mark)?;
                let quoted = !matches!(style, ScalarStyle::Plain)
                    || tag.as_ref().is_some_and(|t| t.suffix == "str");
                let style = if quoted { Style::Quoted } else { Style::Plain };
                let node = Node::Scalar(Scalar {
                    text: text.into_owned(),
                    style,
                    mark,
                });
                if anchor > 0 {
                    self.anchors.insert(anchor, (node.clone(), 1));
                }
                self.add(node, 1)?;
            }
            Event::Alias(id) => {
                let Some((node, size)) = self.anchors.get(&id).cloned() else {
                    return Err(self.fatal(mark, "alias refers to an unknown anchor"));
                };
                self.count(size, mark)?;
                self.add(relocate(node, mark), size)?;
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                self.count(1, mark)?;
                if self.stack.len() >= MAX_DEPTH {
                    return Err(
                        self.fatal(mark, format!("nesting is deeper than {MAX_DEPTH} levels"))
                    );
                }
                self.stack
                    .push(if matches!(event, Event::SequenceStart(..)) {
                        Frame::Seq {
                            items: Vec::new(),
                            mark,
                            anchor,
                            size: 1,
                        }
                    } else {
                        Frame::Map {
                            entries: Vec::new(),
                            mark,
                            anchor,
                            size: 1,
                            key: None,
                        }
                    });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor, size) = match self.stack.pop() {
                    Some(Frame::Seq {
                        items,
                        mark,
                        anchor,
                        size,
                    }) => (Node::Seq { items, mark }, anchor, size),
                    Some(Frame::Map {
                        entries,
                        mark,
                        anchor,
                        size,
                        ..
                    }) => {
                        let entries = merge_keys(entries).map_err(|(m, msg)| self.fatal(m, msg))?;
                        (Node::Map { entries, mark }, anchor, size)
                    }
                    None => return Err(self.fatal(mark, "unbalanced collection end")),
                };
                if anchor > 0 {
                    self.anchors.insert(anchor, (node.clone(), size));
                }
                self.add(node, size)?;
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
        Ok(())
    }
}

/// Applies YAML merge keys (`<<: *defaults` or `<<: [*a, *b]`): the merged mappings' entries
/// are added unless the mapping sets the key itself, earlier sources first.
fn merge_keys(entries: Vec<(Scalar, Node)>) -> Result<Vec<(Scalar, Node)>, (Mark, &'static str)> {
    let is_merge = |k: &Scalar| k.text == "<<" && k.style == Style::Plain;
    if !entries.iter().any(|(k, _)| is_merge(k)) {
        return Ok(entries);
    }
    let (merges, mut out): (Vec<_>, Vec<_>) = entries.into_iter().partition(|(k, _)| is_merge(k));
    for (key, value) in merges {
        let sources = match value {
            Node::Map { .. } => vec![value],
            Node::Seq { items, .. } => items,
            Node::Scalar(_) => {
                return Err((
                    key.mark,
                    "the value of a merge key (<<) must be a mapping or a list of mappings",
                ));
            }
        };
        for source in sources {
            let Node::Map { entries, .. } = source else {
                return Err((
                    key.mark,
                    "the value of a merge key (<<) must be a mapping or a list of mappings",
                ));
            };
            for (k, v) in entries {
                if !out.iter().any(|(existing, _)| existing.text == k.text) {
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

/// Reads a YAML stream into documents. A syntax error stops reading and is returned as the
/// only error; duplicate keys are collected and reading goes on.
pub fn parse_stream(text: &str, max_documents: usize) -> Result<Stream, YamlError> {
    let mut parser = Parser::new_from_str(text);
    let mut b = Builder {
        documents: Vec::new(),
        errors: Vec::new(),
        stack: Vec::new(),
        anchors: BTreeMap::new(),
        root: None,
        doc_mark: Mark::START,
        nodes: 0,
        max_documents,
    };
    while let Some(next) = parser.next_event() {
        match next {
            Ok((event, span)) => b.on_event(event, span)?,
            Err(e) => {
                let m = e.marker();
                let mark = Mark {
                    line: m.line().max(1),
                    column: m.col() + 1,
                };
                return Err(YamlError {
                    document: b.document(),
                    mark,
                    message: e.info().to_string(),
                });
            }
        }
    }
    Ok(Stream {
        documents: b.documents,
        errors: b.errors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        let s = parse_stream(text, 10).unwrap();
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        s.documents.into_iter().next().and_then(|d| d.root).unwrap()
    }

    #[test]
    fn scalars_keep_their_raw_text_and_position() {
        let root = one("a: 1.30\nb: \"1.30\"\nlist:\n  - x\n");
        let a = root.get("a").unwrap();
        assert_eq!(a.as_text(), Some("1.30"));
        assert_eq!(a.mark(), Mark { line: 1, column: 4 });
        let Node::Scalar(b) = root.get("b").unwrap() else {
            panic!()
        };
        assert_eq!((b.style, b.kind()), (Style::Quoted, ScalarKind::Str));
        let Node::Seq { items, .. } = root.get("list").unwrap() else {
            panic!()
        };
        assert_eq!(items[0].mark(), Mark { line: 4, column: 5 });
    }

    #[test]
    fn documents_are_split_and_empty_ones_kept() {
        let s = parse_stream("a: 1\n---\n---\nb: 2\n", 10).unwrap();
        assert_eq!(s.documents.len(), 3);
        assert!(s.documents[1].root.is_none());
        assert_eq!(s.documents[2].index, 3);
    }

    #[test]
    fn anchors_are_cloned_at_the_alias() {
        let root = one("base: &b {cpu: 1}\nother: *b\n");
        assert_eq!(root.lookup("other.cpu").and_then(Node::as_text), Some("1"));
        assert_eq!(root.get("other").unwrap().mark().line, 2);
    }

    #[test]
    fn merge_keys_fill_in_missing_entries() {
        let root = one(
            "base: &b {cpu: 1, memory: 2}\nx:\n  <<: *b\n  cpu: 3\ny:\n  <<: [{a: 1}, {a: 2, b: 2}]\n",
        );
        assert_eq!(root.lookup("x.cpu").and_then(Node::as_text), Some("3"));
        assert_eq!(root.lookup("x.memory").and_then(Node::as_text), Some("2"));
        assert!(root.lookup("x.<<").is_none());
        assert_eq!(root.lookup("y.a").and_then(Node::as_text), Some("1"));
        assert_eq!(root.lookup("y.b").and_then(Node::as_text), Some("2"));
        assert!(parse_stream("a:\n  <<: 3\n", 10).is_err());
    }

    #[test]
    fn duplicate_keys_are_reported_at_the_second_key() {
        let s = parse_stream("a: 1\nb: 2\na: 3\n", 10).unwrap();
        assert_eq!(s.errors.len(), 1);
        assert_eq!(s.errors[0].mark, Mark { line: 3, column: 1 });
        assert!(s.errors[0].message.contains("duplicate key \"a\""));
    }

    #[test]
    fn syntax_errors_carry_the_parser_position() {
        let e = parse_stream("a: [1, 2\nb: 3\n", 10).unwrap_err();
        assert!(e.mark.line >= 1);
        assert!(!e.message.is_empty());
    }

    #[test]
    fn deep_nesting_and_alias_bombs_are_refused() {
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(
            parse_stream(&deep, 10)
                .unwrap_err()
                .message
                .contains("nesting")
        );
        let mut lines = vec!["a: &a [x, x, x, x, x, x, x, x, x, x]".to_string()];
        for i in 0..8 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            let refs = vec![format!("*{prev}"); 10].join(", ");
            lines.push(format!("l{i}: &l{i} [{refs}]"));
        }
        let bomb = lines.join("\n");
        assert!(
            parse_stream(&bomb, 10)
                .unwrap_err()
                .message
                .contains("anchors and aliases")
        );
    }

    #[test]
    fn complex_keys_are_refused() {
        let e = parse_stream("? [a, b]\n: 1\n", 10).unwrap_err();
        assert!(e.message.contains("mapping keys"));
    }

    #[test]
    fn too_many_documents_are_refused() {
        let text = "a: 1\n---\n".repeat(20);
        assert!(
            parse_stream(&text, 5)
                .unwrap_err()
                .message
                .contains("more than 5 documents")
        );
    }
}
