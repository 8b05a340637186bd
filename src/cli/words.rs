//! How a command line becomes words, and the small value syntaxes flags use
//! (`cpu=500m,memory=256Mi`, `a=b,c=d`).

use super::Tool;

/// bash's answer to a quote that is never closed, as `bash -c` prints it after `bash: `.
fn unmatched(quote: char) -> String {
    format!("unexpected EOF while looking for matching `{quote}'")
}

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
                        None => return Err(unmatched('\'')),
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
                            None => return Err(unmatched('"')),
                        },
                        Some(ch) => cur.push(ch),
                        None => return Err(unmatched('"')),
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

/// Go's `strconv.ParseInt(s, 0, bits)`, which pflag's `int` (64-bit) and `int32` flags use:
/// an optional sign, a `0x`, `0o`, `0b` or bare-`0` (octal) prefix, and `_` between digits.
/// The error is its `NumError` text (`strconv.ParseInt: parsing "x": invalid syntax`, or
/// `value out of range`); like Go, an overflow is reported as soon as it happens.
pub(crate) fn go_parse_int(s: &str, bits: u32) -> Result<i64, String> {
    let syntax = || format!("strconv.ParseInt: parsing {s:?}: invalid syntax");
    let range = || format!("strconv.ParseInt: parsing {s:?}: value out of range");
    let (neg, body) = match s.as_bytes().first() {
        None => return Err(syntax()),
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        Some(_) => (false, s),
    };
    let b = body.as_bytes();
    if b.is_empty() {
        return Err(syntax());
    }
    let (base, digits): (u64, &[u8]) = match b {
        [b'0', p, _, ..] if p.eq_ignore_ascii_case(&b'b') => (2, &b[2..]),
        [b'0', p, _, ..] if p.eq_ignore_ascii_case(&b'o') => (8, &b[2..]),
        [b'0', p, _, ..] if p.eq_ignore_ascii_case(&b'x') => (16, &b[2..]),
        [b'0', ..] => (8, &b[1..]),
        _ => (10, b),
    };
    // ParseUint with the same bit size, then ParseInt's signed cutoff.
    let max_unsigned: u64 = if bits >= 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    };
    let cutoff = u64::MAX / base + 1;
    let mut n: u64 = 0;
    let mut underscores = false;
    for &c in digits {
        let d = match c {
            b'_' => {
                underscores = true;
                continue;
            }
            b'0'..=b'9' => u64::from(c - b'0'),
            c if c.is_ascii_alphabetic() => u64::from(c.to_ascii_lowercase() - b'a') + 10,
            _ => return Err(syntax()),
        };
        if d >= base {
            return Err(syntax());
        }
        if n >= cutoff {
            return Err(range());
        }
        n *= base;
        let n1 = n.wrapping_add(d);
        if n1 < n || n1 > max_unsigned {
            return Err(range());
        }
        n = n1;
    }
    if underscores && !go_underscore_ok(body) {
        return Err(syntax());
    }
    let signed_cutoff = 1u64 << (bits.clamp(1, 64) - 1);
    if !neg && n >= signed_cutoff {
        return Err(range());
    }
    if neg && n > signed_cutoff {
        return Err(range());
    }
    // In range: n ≤ 2^63, and 2^63 only when negative.
    Ok(if neg {
        0i64.wrapping_sub_unsigned(n)
    } else {
        i64::try_from(n).map_err(|_| range())?
    })
}

/// Go's `underscoreOK`: underscores only between digits (or after a base prefix).
fn go_underscore_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if b.len() >= 2 && b[0] == b'0' && matches!(b[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = b[1].eq_ignore_ascii_case(&b'x');
    }
    while i < b.len() {
        let c = b[i];
        i += 1;
        if c.is_ascii_digit() || (hex && matches!(c.to_ascii_lowercase(), b'a'..=b'f')) {
            saw = b'0';
            continue;
        }
        if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
            continue;
        }
        if saw == b'_' {
            return false;
        }
        saw = b'!';
    }
    saw != b'_'
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
    let mut out = std::collections::BTreeMap::new();
    for p in text.split(',').filter(|p| !p.is_empty()) {
        let (k, v) = p.split_once('=').ok_or_else(|| {
            tool.error(format!("invalid --{flag} value {p:?}: expected key=value"))
        })?;
        out.insert(k.to_string(), v.to_string());
    }
    Ok(out)
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
        assert_eq!(
            tokenize("echo 'open"),
            Err("unexpected EOF while looking for matching `''".to_string())
        );
        assert_eq!(
            crate::cli::parse_command(
                "kubectl get \"pods",
                &super::super::CommandContext::new("lab")
            ),
            Err("bash: unexpected EOF while looking for matching `\"'".to_string())
        );
        assert!(tokenize("# only a comment").unwrap().is_empty());
    }

    #[test]
    fn go_integers_parse_like_strconv() {
        let ok = |s: &str, bits: u32| go_parse_int(s, bits).unwrap();
        assert_eq!(ok("3", 64), 3);
        assert_eq!(ok("+3", 64), 3);
        assert_eq!(ok("-3", 64), -3);
        assert_eq!(ok("0", 64), 0);
        assert_eq!(ok("0x1F", 64), 31);
        assert_eq!(ok("0o17", 64), 15);
        assert_eq!(ok("017", 64), 15);
        assert_eq!(ok("0b101", 64), 5);
        assert_eq!(ok("1_000", 64), 1000);
        assert_eq!(ok("2147483647", 32), i64::from(i32::MAX));
        assert_eq!(ok("-2147483648", 32), i64::from(i32::MIN));
        assert_eq!(ok("9223372036854775807", 64), i64::MAX);
        assert_eq!(ok("-9223372036854775808", 64), i64::MIN);
        let err = |s: &str, bits: u32| go_parse_int(s, bits).unwrap_err();
        for bad in [
            "", "x", "-", "+", "08", "1.5", "3 ", "1__0", "_1", "1_", "0x",
        ] {
            assert_eq!(
                err(bad, 64),
                format!("strconv.ParseInt: parsing {bad:?}: invalid syntax"),
                "{bad:?}"
            );
        }
        for big in [
            ("2147483648", 32),
            ("-2147483649", 32),
            ("9223372036854775808", 64),
        ] {
            assert_eq!(
                err(big.0, big.1),
                format!("strconv.ParseInt: parsing {:?}: value out of range", big.0)
            );
        }
        // Go stops at the first overflow, before the bad character.
        assert_eq!(
            err("99999999999999999999x", 64),
            "strconv.ParseInt: parsing \"99999999999999999999x\": value out of range"
        );
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
