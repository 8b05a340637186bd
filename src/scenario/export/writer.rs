//! A tiny YAML emitter: a value tree rendered in block style, short scalar lists in flow
//! style, and strings quoted whenever a reader could take them for anything but a string.

use std::fmt::Write;

use crate::scenario::yaml::{Scalar, ScalarKind, Style};

/// A value to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Y {
    /// A string, quoted when needed.
    Str(String),
    /// Written as is: numbers and booleans.
    Raw(String),
    Map(Vec<(String, Y)>),
    Seq(Vec<Y>),
}

impl Y {
    pub fn str(s: impl Into<String>) -> Y {
        Y::Str(s.into())
    }

    pub fn num(n: impl std::fmt::Display) -> Y {
        Y::Raw(n.to_string())
    }

    pub fn bool(b: bool) -> Y {
        Y::Raw(b.to_string())
    }

    pub fn strs<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Y {
        Y::Seq(items.into_iter().map(|s| Y::str(s.as_ref())).collect())
    }

    /// A mapping of strings (labels, annotations).
    pub fn string_map<'a>(items: impl IntoIterator<Item = (&'a String, &'a String)>) -> Y {
        Y::Map(
            items
                .into_iter()
                .map(|(k, v)| (k.clone(), Y::str(v.clone())))
                .collect(),
        )
    }

    fn is_scalar(&self) -> bool {
        matches!(self, Y::Str(_) | Y::Raw(_))
    }

    fn is_empty_collection(&self) -> bool {
        matches!(self, Y::Map(m) if m.is_empty()) || matches!(self, Y::Seq(s) if s.is_empty())
    }
}

/// A mapping under construction that skips what should not be written.
#[derive(Debug, Default)]
pub struct MapBuilder(Vec<(String, Y)>);

impl MapBuilder {
    pub fn new() -> MapBuilder {
        MapBuilder(Vec::new())
    }

    pub fn put(mut self, key: &str, value: Y) -> MapBuilder {
        self.0.push((key.to_string(), value));
        self
    }

    pub fn put_if(self, cond: bool, key: &str, value: impl FnOnce() -> Y) -> MapBuilder {
        if cond { self.put(key, value()) } else { self }
    }

    /// Adds the collection unless it is empty.
    pub fn put_nonempty(self, key: &str, value: Y) -> MapBuilder {
        if value.is_empty_collection() {
            self
        } else {
            self.put(key, value)
        }
    }

    pub fn build(self) -> Y {
        Y::Map(self.0)
    }
}

/// Words some YAML 1.1 readers (including Kubernetes' own) turn into booleans.
const YAML11_BOOLS: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
    "OFF",
];

/// Does this string need quotes to be read back as the same string?
pub fn needs_quotes(s: &str) -> bool {
    let plain = Scalar {
        text: s.to_string(),
        style: Style::Plain,
        mark: crate::scenario::yaml::Mark::START,
    };
    s.is_empty()
        || plain.kind() != ScalarKind::Str
        || YAML11_BOOLS.contains(&s)
        || s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c) || c.is_whitespace())
        || s.ends_with(|c: char| c == ':' || c.is_whitespace())
        || s.contains(": ")
        || s.contains(['#', ',', '[', ']', '{', '}'])
        || s.chars().any(char::is_control)
        || s.chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == ':' || c == '.')
}

/// A string as a YAML scalar.
pub fn scalar(s: &str) -> String {
    if needs_quotes(s) {
        quoted(s)
    } else {
        s.to_string()
    }
}

/// A double-quoted YAML string with escapes.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn inline(y: &Y) -> Option<String> {
    match y {
        Y::Str(s) => Some(scalar(s)),
        Y::Raw(r) => Some(r.clone()),
        Y::Map(m) if m.is_empty() => Some("{}".into()),
        Y::Seq(s) if s.is_empty() => Some("[]".into()),
        Y::Seq(items) if items.iter().all(Y::is_scalar) => {
            // Inside `[...]` a string with spaces reads better quoted.
            let parts: Vec<String> = items
                .iter()
                .filter_map(|item| match item {
                    Y::Str(s) if s.contains(' ') => Some(quoted(s)),
                    other => inline(other),
                })
                .collect();
            let text = format!("[{}]", parts.join(", "));
            (text.len() <= 72).then_some(text)
        }
        _ => None,
    }
}

/// Renders a mapping at `indent` spaces.
fn map(out: &mut String, entries: &[(String, Y)], indent: usize, first_prefix: Option<&str>) {
    for (i, (k, v)) in entries.iter().enumerate() {
        let lead = match (i, first_prefix) {
            (0, Some(p)) => p.to_string(),
            _ => " ".repeat(indent),
        };
        out.push_str(&lead);
        out.push_str(&scalar(k));
        out.push(':');
        if let Some(text) = inline(v) {
            out.push(' ');
            out.push_str(&text);
            out.push('\n');
        } else {
            out.push('\n');
            block(out, v, indent + 2);
        }
    }
}

/// Renders a collection in block style at `indent` spaces.
fn block(out: &mut String, y: &Y, indent: usize) {
    match y {
        Y::Map(entries) => map(out, entries, indent, None),
        Y::Seq(items) => {
            for item in items {
                let dash = format!("{}- ", " ".repeat(indent));
                match item {
                    Y::Map(entries) if !entries.is_empty() => {
                        map(out, entries, indent + 2, Some(&dash));
                    }
                    other => {
                        out.push_str(&dash);
                        if let Some(text) = inline(other) {
                            out.push_str(&text);
                            out.push('\n');
                        } else {
                            out.push('\n');
                            block(out, other, indent + 2);
                        }
                    }
                }
            }
        }
        scalar_value => {
            out.push_str(&" ".repeat(indent));
            out.push_str(&inline(scalar_value).unwrap_or_default());
            out.push('\n');
        }
    }
}

/// Renders a document.
pub fn render(y: &Y) -> String {
    let mut out = String::new();
    block(&mut out, y, 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_keeps_strings_strings() {
        for s in [
            "",
            "true",
            "1.30",
            "123",
            "~",
            "null",
            "yes",
            "-c",
            "a: b",
            "x#y",
            "2026-11-01",
            "a,b",
            " pad",
            "tab\t",
        ] {
            assert!(needs_quotes(s), "{s:?}");
        }
        for s in [
            "nginx:1.27",
            "m5.large",
            "us-east-1a",
            "25%",
            "app.kubernetes.io/name",
            "500m",
            "kubectl",
        ] {
            assert!(!needs_quotes(s), "{s:?}");
        }
        assert_eq!(scalar("say \"hi\"\n"), "\"say \\\"hi\\\"\\n\"");
    }

    #[test]
    fn renders_block_style_with_flow_lists() {
        let y = MapBuilder::new()
            .put("name", Y::str("web"))
            .put("zones", Y::strs(["a", "b"]))
            .put(
                "items",
                Y::Seq(vec![
                    MapBuilder::new()
                        .put("k", Y::num(1))
                        .put("v", Y::bool(true))
                        .build(),
                ]),
            )
            .put_nonempty("empty", Y::Map(vec![]))
            .build();
        let flow = Y::strs(["sh", "-c", "sleep 30", "say \"hi\" now"]);
        assert_eq!(
            inline(&flow).as_deref(),
            Some("[sh, \"-c\", \"sleep 30\", \"say \\\"hi\\\" now\"]")
        );
        assert_eq!(
            render(&y),
            "name: web\nzones: [a, b]\nitems:\n  - k: 1\n    v: true\n"
        );
    }
}
