//! Scalars and how the YAML 1.2 core schema resolves plain ones: null, booleans, integers,
//! floats, or strings.

use super::Mark;

/// How a scalar was written: plain scalars may be numbers, booleans or null; quoted and block
/// scalars are always strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    Quoted,
}

/// What a plain scalar resolves to under the YAML 1.2 core schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarKind {
    Null,
    Bool,
    Int,
    Float,
    Str,
}

impl ScalarKind {
    /// The name used in "expected a string, got a number" messages.
    pub const fn describe(self) -> &'static str {
        match self {
            ScalarKind::Null => "null",
            ScalarKind::Bool => "a boolean",
            ScalarKind::Int | ScalarKind::Float => "a number",
            ScalarKind::Str => "a string",
        }
    }
}

/// A scalar with its raw text, as written (so `1.30` stays `1.30`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    pub text: String,
    pub style: Style,
    pub mark: Mark,
}

impl Scalar {
    /// Resolves a plain scalar's type; quoted scalars are strings.
    pub fn kind(&self) -> ScalarKind {
        if self.style == Style::Quoted {
            return ScalarKind::Str;
        }
        let t = self.text.as_str();
        match t {
            "" | "~" | "null" | "Null" | "NULL" => ScalarKind::Null,
            "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => ScalarKind::Bool,
            _ if is_int(t) => ScalarKind::Int,
            _ if is_float(t) => ScalarKind::Float,
            _ => ScalarKind::Str,
        }
    }

    pub fn is_null(&self) -> bool {
        self.kind() == ScalarKind::Null
    }
}

/// True for YAML 1.2 core-schema integers: decimal, `0o` octal and `0x` hexadecimal.
pub fn is_int(t: &str) -> bool {
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if let Some(oct) = t.strip_prefix("0o") {
        return !oct.is_empty() && oct.chars().all(|c| c.is_digit(8));
    }
    if let Some(hex) = t.strip_prefix("0x") {
        return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

/// The value of a core-schema integer, if it is one and fits.
pub fn parse_int(t: &str) -> Option<i128> {
    if !is_int(t) {
        return None;
    }
    if let Some(oct) = t.strip_prefix("0o") {
        return i128::from_str_radix(oct, 8).ok();
    }
    if let Some(hex) = t.strip_prefix("0x") {
        return i128::from_str_radix(hex, 16).ok();
    }
    t.parse().ok()
}

/// True for YAML 1.2 core-schema floats (`1.5`, `.5`, `1e3`, `.inf`, `.nan`).
pub fn is_float(t: &str) -> bool {
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    if matches!(body, ".inf" | ".Inf" | ".INF") || matches!(t, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            (!int.is_empty() || !frac.is_empty())
                && int.chars().all(|c| c.is_ascii_digit())
                && frac.chars().all(|c| c.is_ascii_digit())
        }
        None => !mantissa.is_empty() && mantissa.chars().all(|c| c.is_ascii_digit()),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let d = e.strip_prefix(['-', '+']).unwrap_or(e);
        !d.is_empty() && d.chars().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exponent_ok && (mantissa.contains('.') || exponent.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(t: &str) -> ScalarKind {
        Scalar {
            text: t.into(),
            style: Style::Plain,
            mark: Mark::START,
        }
        .kind()
    }

    #[test]
    fn plain_scalars_resolve_like_the_core_schema() {
        assert_eq!(kind(""), ScalarKind::Null);
        assert_eq!(kind("~"), ScalarKind::Null);
        assert_eq!(kind("True"), ScalarKind::Bool);
        assert_eq!(kind("-12"), ScalarKind::Int);
        assert_eq!(kind("0x1f"), ScalarKind::Int);
        assert_eq!(kind("1.5e3"), ScalarKind::Float);
        assert_eq!(kind(".5"), ScalarKind::Float);
        assert_eq!(kind("500m"), ScalarKind::Str);
        assert_eq!(kind("1.2.3"), ScalarKind::Str);
        assert_eq!(kind("yes"), ScalarKind::Str);
        let quoted = Scalar {
            text: "1".into(),
            style: Style::Quoted,
            mark: Mark::START,
        };
        assert_eq!(quoted.kind(), ScalarKind::Str);
    }

    #[test]
    fn integers_parse_in_every_base() {
        assert_eq!(parse_int("0o17"), Some(15));
        assert_eq!(parse_int("0x1f"), Some(31));
        assert_eq!(parse_int("+7"), Some(7));
        assert_eq!(parse_int("1e3"), None);
        assert_eq!(
            parse_int("999999999999999999999999999999999999999999"),
            None
        );
    }
}
