//! How a command line becomes words, and the small value syntaxes flags use
//! (`cpu=500m,memory=256Mi`, `a=b,c=d`).

use super::Tool;

/// Splits a line into words like a POSIX shell: single quotes are literal, double quotes
/// allow `\"` and `\\`, a backslash outside quotes escapes the next character, and `#` at the
/// start of a word begins a comment.
pub fn tokenize(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '#' if !in_word => break,
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => cur.push(ch),
                        None => return Err("unterminated single quote".to_string()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(ch @ ('"' | '\\' | '$' | '`')) => cur.push(ch),
                            Some(ch) => {
                                cur.push('\\');
                                cur.push(ch);
                            }
                            None => return Err("unterminated double quote".to_string()),
                        },
                        Some(ch) => cur.push(ch),
                        None => return Err("unterminated double quote".to_string()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(ch) = chars.next() {
                    cur.push(ch);
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// Parses `cpu=500m,memory=256Mi` into resources (kubectl `set resources`).
pub(crate) fn parse_resource_list(
    text: &str,
) -> Result<crate::sim::command::ResourcePatch, String> {
    use crate::sim::quantity::{Bytes, MilliCpu};
    let mut r = crate::sim::command::ResourcePatch::default();
    for part in text.split(',').filter(|p| !p.is_empty()) {
        let (k, v) = part
            .split_once('=')
            .ok_or_else(|| format!("error: invalid resource {part:?}: expected name=quantity"))?;
        match k {
            "cpu" => r.cpu = Some(MilliCpu::parse(v).map_err(|e| format!("error: {e}"))?),
            "memory" => r.memory = Some(Bytes::parse(v).map_err(|e| format!("error: {e}"))?),
            other => {
                return Err(format!(
                    "error: the lab only sets cpu and memory, not {other:?}"
                ));
            }
        }
    }
    Ok(r)
}

/// Parses `a=b,c=d` (label flags).
pub(crate) fn parse_pairs(
    tool: Tool,
    flag: &str,
    text: &str,
) -> Result<std::collections::BTreeMap<String, String>, String> {
    text.split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .ok_or_else(|| {
                    tool.error(format!("invalid --{flag} value {p:?}: expected key=value"))
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::quantity::MIB;

    #[test]
    fn tokenizes_like_a_shell() {
        assert_eq!(
            tokenize("kubectl  scale 'a b' \"c\\\"d\" e\\ f # note").unwrap(),
            ["kubectl", "scale", "a b", "c\"d", "e f"]
        );
        assert_eq!(tokenize("--x=''").unwrap(), ["--x="]);
        assert!(tokenize("echo 'open").is_err());
        assert!(tokenize("# only a comment").unwrap().is_empty());
    }

    #[test]
    fn value_syntaxes() {
        assert_eq!(
            parse_resource_list("cpu=1,memory=1Gi"),
            Ok(crate::sim::command::ResourcePatch {
                cpu: Some(crate::sim::quantity::MilliCpu(1000)),
                memory: Some(crate::sim::quantity::Bytes(1024 * MIB))
            })
        );
        assert_eq!(
            parse_resource_list("memory=512Mi").map(|p| (p.cpu, p.memory)),
            Ok((None, Some(crate::sim::quantity::Bytes(512 * MIB))))
        );
        assert!(parse_resource_list("gpu=1").is_err());
        assert!(parse_resource_list("cpu").is_err());
        assert_eq!(
            parse_pairs(Tool::Eksctl, "labels", "a=b,c=d").map(|m| m.len()),
            Ok(2)
        );
        assert!(parse_pairs(Tool::Eksctl, "labels", "a").is_err());
    }
}
