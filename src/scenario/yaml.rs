//! A small YAML tree with positions, built from `saphyr-parser` events.
//!
//! Every scalar, sequence and mapping keeps the line and column where it starts, so the
//! decoders can point at the exact field a learner got wrong. Anchors are resolved by cloning
//! the anchored node, within budgets of values and bytes checked before each copy is made
//! (against "billion laughs" expansion); nesting is limited so that no later recursive walk can
//! overflow the stack; duplicate mapping keys are errors. Every step is O(n log n) or better in
//! the size of the text, so a mapping of tens of thousands of keys loads as fast as it parses.

mod build;
mod scalar;
mod utf8;

pub use scalar::{Scalar, ScalarKind, Style, is_float, is_int, parse_int};
pub use utf8::decode_utf8;

use saphyr_parser::Parser;

pub use crate::limits::{
    MAX_YAML_DEPTH as MAX_DEPTH, MAX_YAML_EXPANDED_BYTES as MAX_EXPANDED_BYTES,
    MAX_YAML_NODES as MAX_NODES,
};
use build::Builder;

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Mark {
    pub line: usize,
    pub column: usize,
}

impl Mark {
    /// The start of a file.
    pub const START: Mark = Mark { line: 1, column: 1 };
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

/// Reads a YAML stream into documents. A syntax error (`YAML syntax error: ...`) or a passed
/// limit stops reading and is returned as the only error; duplicate keys are collected and
/// reading goes on.
pub fn parse_stream(text: &str, max_documents: usize) -> Result<Stream, YamlError> {
    let mut parser = Parser::new_from_str(text);
    let mut b = Builder::new(max_documents);
    while let Some(next) = parser.next_event() {
        match next {
            Ok((event, span)) => b.on_event(event, span)?,
            Err(e) => {
                let m = e.marker();
                // The parser may point one line past the end of the text (at a missing
                // closing bracket, say): the error is at the end.
                let mark = Mark {
                    line: m.line().max(1),
                    column: m.col() + 1,
                }
                .min(end_mark(text));
                // The scanner reads flow collections ahead of the events and has its own
                // limit (256 levels); it is the same limit to the learner.
                let message = if e.info() == "recursion limit exceeded" {
                    build::too_deep()
                } else {
                    format!("YAML syntax error: {}", e.info())
                };
                return Err(YamlError {
                    document: b.document(),
                    mark,
                    message,
                });
            }
        }
    }
    Ok(Stream {
        documents: b.documents,
        errors: b.errors,
    })
}

/// The position just after the last character of `text`, lines broken as YAML breaks them
/// (`\n`, `\r\n`, `\r`).
fn end_mark(text: &str) -> Mark {
    let breaks =
        text.matches('\n').count() + text.matches('\r').count() - text.matches("\r\n").count();
    let last = text.rfind(['\n', '\r']).map_or(text, |i| &text[i + 1..]);
    Mark {
        line: breaks + 1,
        column: last.chars().count() + 1,
    }
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
                .contains("nested more than 64 levels deep")
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
    fn aliases_are_charged_their_bytes_before_they_are_copied() {
        // A sixteenth of the limit and 15 copies, plus the keys `a` and `b`, pass the limit
        // with only 20 values: the 15th alias is refused.
        let part = "x".repeat(MAX_EXPANDED_BYTES / 16);
        let text = format!("a: &a {part}\nb: [{}]\n", vec!["*a"; 15].join(", "));
        let e = parse_stream(&text, 10).unwrap_err();
        assert_eq!(
            e.mark,
            Mark {
                line: 2,
                column: 61
            }
        );
        assert_eq!(
            e.message,
            format!(
                "the file holds more than {MAX_EXPANDED_BYTES} bytes ({}) of text once anchors and aliases are expanded, the lab's limit; this alias repeats its anchor past the limit",
                crate::scenario::in_units(MAX_EXPANDED_BYTES)
            )
        );
        let fits = format!("a: &a {part}\nb: [{}]\n", vec!["*a"; 14].join(", "));
        assert!(parse_stream(&fits, 10).is_ok());
    }

    #[test]
    fn duplicates_among_many_keys_are_all_found() {
        let mut text = (0..2000)
            .map(|i| format!("k{i}: {i}\n"))
            .collect::<Vec<_>>()
            .concat();
        text.push_str("k7: again\nk1999: again\n");
        let s = parse_stream(&text, 10).unwrap();
        let lines: Vec<usize> = s.errors.iter().map(|e| e.mark.line).collect();
        assert_eq!(lines, [2001, 2002]);
        let root = s.documents[0].root.as_ref().unwrap();
        assert_eq!(root.get("k7").and_then(Node::as_text), Some("7"));
        let Node::Map { entries, .. } = root else {
            panic!()
        };
        assert_eq!(entries.len(), 2000);
        // The repeated merge key is a duplicate too; the first one merges.
        let s = parse_stream("a: &a {x: 1}\nb:\n  <<: *a\n  <<: {y: 2}\n", 10).unwrap();
        assert_eq!(s.errors[0].message, "duplicate key \"<<\" in this mapping");
        let b = s.documents[0].root.as_ref().unwrap().get("b").unwrap();
        assert_eq!((b.get("x").is_some(), b.get("y").is_some()), (true, false));
    }

    #[test]
    fn errors_at_the_end_point_at_the_end() {
        let e = parse_stream("a: [1, 2\n", 10).unwrap_err();
        assert_eq!(e.mark, Mark { line: 2, column: 1 });
        let e = parse_stream("[m", 10).unwrap_err();
        assert_eq!(e.mark, Mark { line: 1, column: 3 });
        assert_eq!(end_mark("a\r\nb\rcd"), Mark { line: 3, column: 3 });
        let e = parse_stream(&"[".repeat(300), 10).unwrap_err();
        assert_eq!(
            e.message,
            "lists and mappings are nested more than 64 levels deep, the lab's limit"
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
                .contains("more than 5 YAML documents")
        );
    }
}
