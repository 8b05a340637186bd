//! Field errors as the API server reports them: a port of apimachinery's
//! `pkg/util/validation/field/errors.go` (release-1.35). An error is a field path, a type
//! (`Invalid value`, `Required value`, ...), the bad value and a detail, and prints as
//! `metadata.name: Invalid value: "Batch_NS": a lowercase RFC 1123 label ...`.

use std::collections::BTreeMap;
use std::fmt::{self, Write};

/// `field.ErrorType`, with the text `ErrorType.String()` gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorType {
    NotFound,
    Required,
    Duplicate,
    Invalid,
    NotSupported,
    Forbidden,
    TooLong,
    TooMany,
    Internal,
}

impl ErrorType {
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorType::NotFound => "Not found",
            ErrorType::Required => "Required value",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::Invalid => "Invalid value",
            ErrorType::NotSupported => "Unsupported value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::TooLong => "Too long",
            ErrorType::TooMany => "Too many",
            ErrorType::Internal => "Internal error",
        }
    }

    /// The `StatusCause.Type` the API server sends (`FieldValueInvalid`, ...).
    pub const fn cause_type(self) -> &'static str {
        match self {
            ErrorType::NotFound => "FieldValueNotFound",
            ErrorType::Required => "FieldValueRequired",
            ErrorType::Duplicate => "FieldValueDuplicate",
            ErrorType::Invalid => "FieldValueInvalid",
            ErrorType::NotSupported => "FieldValueNotSupported",
            ErrorType::Forbidden => "FieldValueForbidden",
            ErrorType::TooLong => "FieldValueTooLong",
            ErrorType::TooMany => "FieldValueTooMany",
            ErrorType::Internal => "InternalError",
        }
    }
}

/// The value an error is about, rendered as `ErrorBody` renders it: strings with Go's `%q`,
/// numbers plainly, anything else as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadValue {
    /// Not shown (`Required value`, `Forbidden`, `Too long`).
    Omitted,
    Str(String),
    Int(i64),
    /// Already rendered as Go's `json.Marshal` would (`{"app":"web"}`).
    Json(String),
}

/// Which validator found the problem, as upstream's `WithOrigin` names it; the scenario
/// loader uses it to point at a label's key or its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `format=k8s-label-key`.
    LabelKey,
    /// `format=k8s-label-value`.
    LabelValue,
}

/// One `field.Error`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub type_: ErrorType,
    /// The field path, `spec.template.spec.containers[0].name`.
    pub field: String,
    pub bad_value: BadValue,
    pub detail: String,
    pub origin: Option<Origin>,
}

impl FieldError {
    fn new(type_: ErrorType, field: &str, bad_value: BadValue, detail: &str) -> FieldError {
        FieldError {
            type_,
            field: field.to_string(),
            bad_value,
            detail: detail.to_string(),
            origin: None,
        }
    }

    /// `field.Invalid` with a string value.
    pub fn invalid(field: &str, value: &str, detail: &str) -> FieldError {
        FieldError::new(
            ErrorType::Invalid,
            field,
            BadValue::Str(value.to_string()),
            detail,
        )
    }

    /// `field.Invalid` with a value rendered as JSON.
    pub fn invalid_json(field: &str, json: String, detail: &str) -> FieldError {
        FieldError::new(ErrorType::Invalid, field, BadValue::Json(json), detail)
    }

    /// `field.Required`.
    pub fn required(field: &str, detail: &str) -> FieldError {
        FieldError::new(ErrorType::Required, field, BadValue::Omitted, detail)
    }

    /// `field.Duplicate`.
    pub fn duplicate(field: &str, value: &str) -> FieldError {
        FieldError::new(
            ErrorType::Duplicate,
            field,
            BadValue::Str(value.to_string()),
            "",
        )
    }

    /// `field.Forbidden`.
    pub fn forbidden(field: &str, detail: &str) -> FieldError {
        FieldError::new(ErrorType::Forbidden, field, BadValue::Omitted, detail)
    }

    /// `field.TooLong`: `may not be more than N bytes`.
    pub fn too_long(field: &str, max_bytes: usize) -> FieldError {
        let unit = if max_bytes == 1 { "byte" } else { "bytes" };
        FieldError::new(
            ErrorType::TooLong,
            field,
            BadValue::Omitted,
            &format!("may not be more than {max_bytes} {unit}"),
        )
    }

    #[must_use]
    pub fn with_origin(mut self, origin: Origin) -> FieldError {
        self.origin = Some(origin);
        self
    }

    /// `ErrorBody()`: the error without its field, `Invalid value: "x": detail`.
    pub fn body(&self) -> String {
        let mut s = match &self.bad_value {
            BadValue::Omitted => self.type_.as_str().to_string(),
            BadValue::Str(v) => format!("{}: {}", self.type_.as_str(), go_quote(v)),
            BadValue::Int(v) => format!("{}: {v}", self.type_.as_str()),
            BadValue::Json(v) => format!("{}: {v}", self.type_.as_str()),
        };
        if !self.detail.is_empty() {
            s.push_str(": ");
            s.push_str(&self.detail);
        }
        s
    }
}

/// `Error()`: `field: body`.
impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.body())
    }
}

/// `ErrorList.ToAggregate().Error()`: duplicates dropped, one error alone, several as
/// `[a, b]`. Empty for an empty list.
pub fn aggregate(errs: &[FieldError]) -> String {
    let msgs = unique_messages(errs);
    match msgs.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        many => format!("[{}]", many.join(", ")),
    }
}

/// Each distinct `field: body`, in order (`ToAggregate` and kubectl's
/// `statusCausesToAggrError` both drop repeats).
pub fn unique_messages(errs: &[FieldError]) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for e in errs {
        let m = e.to_string();
        if seen.insert(m.clone()) {
            out.push(m);
        }
    }
    out
}

/// Go's `strconv.Quote` (what `%q` prints): `"` and `\` escaped, control characters as
/// `\n`, `\t`, `\x00` or `\u0085`, other characters as they are.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if c.is_ascii_control() => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c if c.is_control() || (!c.is_ascii() && c.is_whitespace()) => {
                let v = u32::from(c);
                let _ = if v < 0x10000 {
                    write!(out, "\\u{v:04x}")
                } else {
                    write!(out, "\\U{v:08x}")
                };
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON string as Go's `encoding/json` writes it (`<`, `>` and `&` escaped for HTML).
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A `map[string]string` as JSON, keys sorted as `json.Marshal` sorts them.
pub fn json_map(map: &BTreeMap<String, String>) -> String {
    let parts: Vec<String> = map
        .iter()
        .map(|(k, v)| format!("{}:{}", json_string(k), json_string(v)))
        .collect();
    format!("{{{}}}", parts.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_read_like_error_body() {
        let e = FieldError::invalid("metadata.name", "Batch_NS", "bad");
        assert_eq!(
            e.to_string(),
            "metadata.name: Invalid value: \"Batch_NS\": bad"
        );
        assert_eq!(
            FieldError::required("metadata.name", "name or generateName is required").to_string(),
            "metadata.name: Required value: name or generateName is required"
        );
        assert_eq!(
            FieldError::duplicate("spec.containers[1].name", "web").to_string(),
            "spec.containers[1].name: Duplicate value: \"web\""
        );
        assert_eq!(
            FieldError::too_long("metadata.annotations", 262_144).to_string(),
            "metadata.annotations: Too long: may not be more than 262144 bytes"
        );
        assert_eq!(
            FieldError::forbidden("metadata.namespace", "not allowed on this type").to_string(),
            "metadata.namespace: Forbidden: not allowed on this type"
        );
        let mut labels = BTreeMap::new();
        labels.insert("tier".to_string(), "a<b".to_string());
        labels.insert("app".to_string(), "web".to_string());
        assert_eq!(json_map(&labels), r#"{"app":"web","tier":"a\u003cb"}"#);
    }

    #[test]
    fn aggregates_drop_repeats_and_bracket_several() {
        let a = FieldError::invalid("a", "x", "bad");
        let b = FieldError::invalid("b", "y", "bad");
        assert_eq!(aggregate(&[]), "");
        assert_eq!(
            aggregate(&[a.clone(), a.clone()]),
            "a: Invalid value: \"x\": bad"
        );
        assert_eq!(
            aggregate(&[a.clone(), b, a]),
            "[a: Invalid value: \"x\": bad, b: Invalid value: \"y\": bad]"
        );
    }

    #[test]
    fn quoting_follows_go() {
        for (input, want) in [
            ("plain", r#""plain""#),
            ("say \"hi\"", r#""say \"hi\"""#),
            ("back\\slash", r#""back\\slash""#),
            ("tab\there", r#""tab\there""#),
            ("nul\u{0}", r#""nul\x00""#),
            ("del\u{7f}", r#""del\x7f""#),
            ("café", r#""café""#),
            ("nbsp\u{a0}", r#""nbsp\u00a0""#),
            ("", r#""""#),
        ] {
            assert_eq!(go_quote(input), want, "{input:?}");
        }
    }
}
