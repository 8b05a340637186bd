//! A small document tree with the two renderings the views need: YAML as `kubectl get -o
//! yaml` prints it (go-yaml v2: block style, sorted keys, sequences flush with their key) and
//! JSON as the AWS CLI prints it (four-space indent, keys in API order).

use std::cmp::Ordering;
use std::fmt::Write;

/// A value in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val {
    /// A string; quoted as the encoder would.
    Str(String),
    /// A number or boolean, written as is.
    Raw(String),
    Null,
    Map(Vec<(String, Val)>),
    Seq(Vec<Val>),
}

impl Val {
    pub fn str(s: impl Into<String>) -> Val {
        Val::Str(s.into())
    }

    pub fn num(n: impl std::fmt::Display) -> Val {
        Val::Raw(n.to_string())
    }

    pub fn bool(b: bool) -> Val {
        Val::Raw(b.to_string())
    }

    pub fn strs<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Val {
        Val::Seq(items.into_iter().map(|s| Val::str(s.as_ref())).collect())
    }

    /// A map of strings (labels, annotations, selectors).
    pub fn string_map<'a>(items: impl IntoIterator<Item = (&'a String, &'a String)>) -> Val {
        Val::Map(
            items
                .into_iter()
                .map(|(k, v)| (k.clone(), Val::str(v.clone())))
                .collect(),
        )
    }

    fn is_empty_collection(&self) -> bool {
        matches!(self, Val::Map(m) if m.is_empty()) || matches!(self, Val::Seq(s) if s.is_empty())
    }
}

/// Builds a map, skipping what the API would omit.
#[derive(Debug, Default)]
pub struct Obj(Vec<(String, Val)>);

impl Obj {
    pub fn new() -> Obj {
        Obj(Vec::new())
    }

    #[must_use]
    pub fn put(mut self, key: &str, value: Val) -> Obj {
        self.0.push((key.to_string(), value));
        self
    }

    #[must_use]
    pub fn put_str(self, key: &str, value: impl Into<String>) -> Obj {
        self.put(key, Val::str(value))
    }

    /// Adds the string unless it is empty (`omitempty`).
    #[must_use]
    pub fn put_nonempty_str(self, key: &str, value: &str) -> Obj {
        if value.is_empty() {
            self
        } else {
            self.put_str(key, value)
        }
    }

    /// Adds the collection unless it is empty (`omitempty`).
    #[must_use]
    pub fn put_nonempty(self, key: &str, value: Val) -> Obj {
        if value.is_empty_collection() {
            self
        } else {
            self.put(key, value)
        }
    }

    #[must_use]
    pub fn put_opt(self, key: &str, value: Option<Val>) -> Obj {
        match value {
            Some(v) => self.put(key, v),
            None => self,
        }
    }

    pub fn build(self) -> Val {
        Val::Map(self.0)
    }
}

// ---- YAML ----

/// Which tool's YAML dialect to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YamlStyle {
    /// kubectl (sigs.k8s.io/yaml over go-yaml v2): keys sorted, ambiguous strings in double
    /// quotes.
    Kubectl,
    /// The AWS CLI's `--output yaml` (ruamel): keys in response order, ambiguous strings in
    /// single quotes.
    AwsCli,
}

/// Renders a document in block style, sequences flush with their key.
pub fn to_yaml(v: &Val, style: YamlStyle) -> String {
    let mut lines = Vec::new();
    match v {
        Val::Map(m) if !m.is_empty() => map_lines(m, 0, style, &mut lines),
        Val::Seq(s) if !s.is_empty() => seq_lines(s, 0, style, &mut lines),
        other => lines.push(scalar_yaml(other, style)),
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

fn map_lines(entries: &[(String, Val)], indent: usize, style: YamlStyle, out: &mut Vec<String>) {
    let mut refs: Vec<&(String, Val)> = entries.iter().collect();
    if style == YamlStyle::Kubectl {
        crate::sim::sort::sort_by(&mut refs, |a, b| go_yaml_key_order(&a.0, &b.0));
    }
    let pad = " ".repeat(indent);
    for (k, v) in refs {
        let key = quote(k, style);
        match v {
            Val::Map(m) if !m.is_empty() => {
                out.push(format!("{pad}{key}:"));
                map_lines(m, indent + 2, style, out);
            }
            Val::Seq(s) if !s.is_empty() => {
                out.push(format!("{pad}{key}:"));
                seq_lines(s, indent, style, out);
            }
            other => out.push(format!("{pad}{key}: {}", scalar_yaml(other, style))),
        }
    }
}

fn seq_lines(items: &[Val], indent: usize, style: YamlStyle, out: &mut Vec<String>) {
    let pad = " ".repeat(indent);
    for item in items {
        let mut inner = Vec::new();
        match item {
            Val::Map(m) if !m.is_empty() => map_lines(m, indent + 2, style, &mut inner),
            Val::Seq(s) if !s.is_empty() => seq_lines(s, indent + 2, style, &mut inner),
            other => {
                out.push(format!("{pad}- {}", scalar_yaml(other, style)));
                continue;
            }
        }
        for (i, line) in inner.into_iter().enumerate() {
            if i == 0 {
                out.push(format!("{pad}- {}", &line[indent + 2..]));
            } else {
                out.push(line);
            }
        }
    }
}

fn scalar_yaml(v: &Val, style: YamlStyle) -> String {
    match v {
        Val::Str(s) => quote(s, style),
        Val::Raw(r) => r.clone(),
        Val::Null => "null".to_string(),
        Val::Map(_) => "{}".to_string(),
        Val::Seq(_) => "[]".to_string(),
    }
}

fn quote(s: &str, style: YamlStyle) -> String {
    match style {
        YamlStyle::Kubectl => yaml_string(s),
        YamlStyle::AwsCli if resolves_to_non_string(s) || !plain_allowed(s) => {
            format!("'{}'", s.replace('\'', "''"))
        }
        YamlStyle::AwsCli => s.to_string(),
    }
}

/// Quotes a string as go-yaml v2 would: double quotes when it would read back as another type
/// (a number, boolean, null or timestamp), single quotes when it cannot be a plain scalar.
pub fn yaml_string(s: &str) -> String {
    if resolves_to_non_string(s) {
        let escaped = s
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n");
        format!("\"{escaped}\"")
    } else if plain_allowed(s) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

fn resolves_to_non_string(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "y",
        "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
        "OFF", ".inf", ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", "+.inf", ".nan", ".NaN", ".NAN",
        "<<",
    ];
    SPECIAL.contains(&s) || is_yaml_int(s) || is_yaml_float(s) || is_timestamp(s)
}

fn is_yaml_int(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if let Some(hex) = body.strip_prefix("0x") {
        return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit() || c == '_');
    }
    if let Some(bin) = body.strip_prefix("0b") {
        return !bin.is_empty() && bin.chars().all(|c| c == '0' || c == '1' || c == '_');
    }
    !body.is_empty()
        && body.starts_with(|c: char| c.is_ascii_digit())
        && body.chars().all(|c| c.is_ascii_digit() || c == '_')
}

fn is_yaml_float(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let Some((int, frac)) = mantissa.split_once('.') else {
        // Integers with an exponent (`1e3`) are floats too.
        return exponent.is_some_and(valid_exponent) && is_digits(mantissa);
    };
    let digits_ok = (is_digits(int) || int.is_empty())
        && (frac.is_empty() || is_digits(frac))
        && !(int.is_empty() && frac.is_empty());
    digits_ok && exponent.is_none_or(valid_exponent)
}

fn valid_exponent(e: &str) -> bool {
    is_digits(e.strip_prefix(['+', '-']).unwrap_or(e))
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '_')
}

/// `2006-01-02` or a full timestamp starting that way.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && (b.len() == 10 || matches!(b[10], b'T' | b't' | b' '))
}

/// The block-context rules of libyaml's `yaml_emitter_analyze_scalar`.
fn plain_allowed(s: &str) -> bool {
    if s.is_empty()
        || s.starts_with("---")
        || s.starts_with("...")
        || s.starts_with(' ')
        || s.ends_with(' ')
        || s.contains(['\n', '\r', '\t'])
    {
        return false;
    }
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next_space = chars.get(i + 1).is_none_or(|n| *n == ' ');
        let prev_space = i > 0 && chars[i - 1] == ' ';
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => return false,
                '?' | ':' | '-' if next_space => return false,
                _ => {}
            }
        } else {
            match c {
                ':' if next_space => return false,
                '#' if prev_space => return false,
                _ => {}
            }
        }
        if c.is_control() {
            return false;
        }
    }
    true
}

/// go-yaml v2's `keyList.Less`: letters compare as runes, anything else sorts before a
/// letter, and runs of digits compare as numbers.
pub fn go_yaml_key_order(left: &str, right: &str) -> Ordering {
    let lc: Vec<char> = left.chars().collect();
    let rc: Vec<char> = right.chars().collect();
    let mut pos = 0;
    while pos < lc.len() && pos < rc.len() {
        if lc[pos] == rc[pos] {
            pos += 1;
            continue;
        }
        let left_letter = lc[pos].is_alphabetic();
        let right_letter = rc[pos].is_alphabetic();
        if left_letter && right_letter {
            return lc[pos].cmp(&rc[pos]);
        }
        if left_letter || right_letter {
            return if right_letter {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        let number = |chars: &[char]| {
            let mut end = pos;
            let mut n: u128 = 0;
            while end < chars.len() && chars[end].is_ascii_digit() {
                n = n
                    .saturating_mul(10)
                    .saturating_add(u128::from(chars[end] as u8 - b'0'));
                end += 1;
            }
            (n, end)
        };
        let (left_n, left_end) = number(&lc);
        let (right_n, right_end) = number(&rc);
        if left_n != right_n {
            return left_n.cmp(&right_n);
        }
        if left_end != right_end {
            return left_end.cmp(&right_end);
        }
        return lc[pos].cmp(&rc[pos]);
    }
    lc.len().cmp(&rc.len())
}

// ---- JSON ----

/// Renders a document as the AWS CLI prints JSON (Python's `json.dumps(indent=4)`).
pub fn to_json(v: &Val) -> String {
    let mut out = String::new();
    json_value(v, 0, &mut out);
    out.push('\n');
    out
}

fn json_value(v: &Val, indent: usize, out: &mut String) {
    match v {
        Val::Str(s) => json_string(s, out),
        Val::Raw(r) => out.push_str(r),
        Val::Null => out.push_str("null"),
        Val::Map(m) if m.is_empty() => out.push_str("{}"),
        Val::Seq(s) if s.is_empty() => out.push_str("[]"),
        Val::Map(m) => {
            out.push_str("{\n");
            for (i, (k, v)) in m.iter().enumerate() {
                out.push_str(&" ".repeat(indent + 4));
                json_string(k, out);
                out.push_str(": ");
                json_value(v, indent + 4, out);
                if i + 1 < m.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&" ".repeat(indent));
            out.push('}');
        }
        Val::Seq(s) => {
            out.push_str("[\n");
            for (i, v) in s.iter().enumerate() {
                out.push_str(&" ".repeat(indent + 4));
                json_value(v, indent + 4, out);
                if i + 1 < s.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&" ".repeat(indent));
            out.push(']');
        }
    }
}

fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_looks_like_kubectl_output() {
        let doc = Obj::new()
            .put_str("kind", "Pod")
            .put_str("apiVersion", "v1")
            .put(
                "metadata",
                Obj::new()
                    .put_str("name", "web")
                    .put_str("creationTimestamp", "2026-11-01T00:12:40Z")
                    .put("labels", Obj::new().put_str("app", "web").build())
                    .build(),
            )
            .put(
                "spec",
                Obj::new()
                    .put(
                        "containers",
                        Val::Seq(vec![
                            Obj::new()
                                .put_str("name", "web")
                                .put(
                                    "ports",
                                    Val::Seq(vec![
                                        Obj::new().put("containerPort", Val::num(80)).build(),
                                    ]),
                                )
                                .build(),
                        ]),
                    )
                    .put("securityContext", Obj::new().build())
                    .build(),
            )
            .put(
                "status",
                Obj::new()
                    .put(
                        "conditions",
                        Val::Seq(vec![
                            Obj::new()
                                .put("lastProbeTime", Val::Null)
                                .put_str("status", "True")
                                .put_str("type", "Ready")
                                .build(),
                        ]),
                    )
                    .build(),
            )
            .build();
        assert_eq!(
            to_yaml(&doc, YamlStyle::Kubectl),
            "apiVersion: v1\n\
             kind: Pod\n\
             metadata:\n  \
               creationTimestamp: \"2026-11-01T00:12:40Z\"\n  \
               labels:\n    \
                 app: web\n  \
               name: web\n\
             spec:\n  \
               containers:\n  \
               - name: web\n    \
                 ports:\n    \
                 - containerPort: 80\n  \
               securityContext: {}\n\
             status:\n  \
               conditions:\n  \
               - lastProbeTime: null\n    \
                 status: \"True\"\n    \
                 type: Ready\n"
        );
    }

    #[test]
    fn aws_cli_yaml_keeps_key_order_and_single_quotes() {
        let doc = Obj::new()
            .put_str("version", "1.34")
            .put_str("createdAt", "2026-11-01T00:00:00.000000+00:00")
            .put_str("amiType", "AL2023_x86_64_STANDARD")
            .build();
        assert_eq!(
            to_yaml(&doc, YamlStyle::AwsCli),
            "version: '1.34'\ncreatedAt: '2026-11-01T00:00:00.000000+00:00'\namiType: AL2023_x86_64_STANDARD\n"
        );
    }

    #[test]
    fn strings_are_quoted_like_go_yaml() {
        assert_eq!(yaml_string("web"), "web");
        assert_eq!(yaml_string(""), "\"\"");
        assert_eq!(yaml_string("true"), "\"true\"");
        assert_eq!(yaml_string("1"), "\"1\"");
        assert_eq!(yaml_string("1.5"), "\"1.5\"");
        assert_eq!(yaml_string("1e3"), "\"1e3\"");
        assert_eq!(yaml_string("250m"), "250m");
        assert_eq!(yaml_string("256Mi"), "256Mi");
        assert_eq!(yaml_string("192.168.1.10"), "192.168.1.10");
        assert_eq!(yaml_string("*"), "'*'");
        assert_eq!(yaml_string("a: b"), "'a: b'");
        assert_eq!(yaml_string("2vCPU 9GB"), "2vCPU 9GB");
        assert_eq!(
            yaml_string("aws:///us-east-1a/i-0abc"),
            "aws:///us-east-1a/i-0abc"
        );
        assert_eq!(yaml_string("2026-11-01"), "\"2026-11-01\"");
    }

    #[test]
    fn keys_sort_like_go_yaml() {
        let mut keys = vec![
            "b",
            "a_b",
            "aZ",
            "app",
            "app.kubernetes.io/name",
            "k8s-app",
            "item10",
            "item9",
        ];
        crate::sim::sort::sort_by(&mut keys, |a, b| go_yaml_key_order(a, b));
        assert_eq!(
            keys,
            [
                "a_b",
                "aZ",
                "app",
                "app.kubernetes.io/name",
                "b",
                "item9",
                "item10",
                "k8s-app"
            ]
        );
    }

    #[test]
    fn json_looks_like_the_aws_cli() {
        let doc = Obj::new()
            .put(
                "nodegroup",
                Obj::new()
                    .put_str("nodegroupName", "ng-1")
                    .put(
                        "scalingConfig",
                        Obj::new().put("minSize", Val::num(2)).build(),
                    )
                    .put("instanceTypes", Val::strs(["m5.large"]))
                    .put("health", Obj::new().put("issues", Val::Seq(vec![])).build())
                    .build(),
            )
            .build();
        assert_eq!(
            to_json(&doc),
            "{\n    \"nodegroup\": {\n        \"nodegroupName\": \"ng-1\",\n        \"scalingConfig\": {\n            \"minSize\": 2\n        },\n        \"instanceTypes\": [\n            \"m5.large\"\n        ],\n        \"health\": {\n            \"issues\": []\n        }\n    }\n}\n"
        );
    }
}
