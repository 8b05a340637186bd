//! Names, namespaces, labels and annotations validated as the Kubernetes API server validates
//! them, with its exact messages. Ported from kubernetes/apimachinery at release-1.35 (the
//! newest Kubernetes version the lab's EKS calendar runs):
//! `pkg/util/validation/validation.go` (`IsDNS1123Label`, `IsDNS1123Subdomain`, whose length
//! error says "characters"), `pkg/api/validate/content/kube.go` (`IsLabelKey`, which is
//! `IsQualifiedName`, and `IsLabelValue`, whose length errors say "bytes"),
//! `pkg/api/validation/path/name.go` (`IsValidPathSegmentName`) and
//! `pkg/api/validation/generic.go` (`NameIsDNSSubdomain`, `NameIsDNSLabel`,
//! `ValidateNamespaceName`).
//!
//! Each `is_*` function returns the list of problems upstream's returns (empty when the
//! value is fine). `meta` builds field errors for object metadata and label selectors;
//! `objects` validates each kind the lab models as its API group's validation does; the
//! scenario loader, the console (through the simulated API server) and the forms all call
//! these same functions.

pub mod field;
pub mod meta;
pub mod objects;

pub use field::{FieldError, aggregate};
pub use objects::validate_manifest;

/// `DNS1123LabelMaxLength`.
pub const DNS1123_LABEL_MAX_LENGTH: usize = 63;
/// `DNS1123SubdomainMaxLength`.
pub const DNS1123_SUBDOMAIN_MAX_LENGTH: usize = 253;
/// `LabelValueMaxLength`, and the longest name part of a label key.
pub const LABEL_VALUE_MAX_LENGTH: usize = 63;

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL_ERR_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_ERR_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const LABEL_KEY_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_KEY_ERR_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_ERR_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/// `MaxLenError` of `pkg/util/validation` (DNS names).
fn max_len_chars(n: usize) -> String {
    format!("must be no more than {n} characters")
}

/// `MaxLenError` of `pkg/api/validate/content` (label keys and values).
fn max_len_bytes(n: usize) -> String {
    format!("must be no more than {n} bytes")
}

/// `RegexError`: the message, examples and the regular expression. Upstream writes `', '`
/// after every example and `" or "` between them, hence the double space.
pub fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{fmt}')");
    }
    let mut out = format!("{msg} (e.g. ");
    for (i, e) in examples.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        out.push('\'');
        out.push_str(e);
        out.push_str("', ");
    }
    out.push_str("regex used for validation is '");
    out.push_str(fmt);
    out.push_str("')");
    out
}

fn is_alnum_lower(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`.
fn matches_dns1123_label(value: &str) -> bool {
    let b = value.as_bytes();
    match (b.first(), b.last()) {
        (Some(&first), Some(&last)) => {
            is_alnum_lower(first)
                && is_alnum_lower(last)
                && b.iter().all(|&c| is_alnum_lower(c) || c == b'-')
        }
        _ => false,
    }
}

/// `^label(\.label)*$`.
fn matches_dns1123_subdomain(value: &str) -> bool {
    value.split('.').all(matches_dns1123_label)
}

/// `^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$`.
fn matches_label_key_name(value: &str) -> bool {
    let b = value.as_bytes();
    match (b.first(), b.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && b.iter()
                    .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

/// `IsDNS1123Label`: namespace names, container names.
pub fn is_dns1123_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_LABEL_MAX_LENGTH {
        errs.push(max_len_chars(DNS1123_LABEL_MAX_LENGTH));
    }
    if !matches_dns1123_label(value) {
        if matches_dns1123_subdomain(value) {
            // A valid subdomain but not a label: with the length checked, it must be dots.
            errs.push("must not contain dots".to_string());
        } else {
            errs.push(regex_error(
                DNS1123_LABEL_ERR_MSG,
                DNS1123_LABEL_FMT,
                &["my-name", "123-abc"],
            ));
        }
    }
    errs
}

/// `IsDNS1123Subdomain` of `pkg/util/validation`: most object names.
pub fn is_dns1123_subdomain(value: &str) -> Vec<String> {
    subdomain_errors(value, max_len_chars)
}

fn subdomain_errors(value: &str, max_len: fn(usize) -> String) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_SUBDOMAIN_MAX_LENGTH {
        errs.push(max_len(DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    if !matches_dns1123_subdomain(value) {
        errs.push(regex_error(
            DNS1123_SUBDOMAIN_ERR_MSG,
            DNS1123_SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errs
}

/// `IsQualifiedName` (`content.IsLabelKey`): label keys and annotation keys, an optional
/// DNS subdomain prefix and `/`, then a name of at most 63 characters.
pub fn is_qualified_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                errs.extend(
                    subdomain_errors(prefix, max_len_bytes)
                        .into_iter()
                        .map(|m| format!("prefix part {m}")),
                );
            }
            *name
        }
        _ => {
            errs.push(format!(
                "a valid label key {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(LABEL_KEY_ERR_MSG, LABEL_KEY_FMT, &["MyName", "my.name", "123-abc"])
            ));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > LABEL_VALUE_MAX_LENGTH {
        errs.push(format!(
            "name part {}",
            max_len_bytes(LABEL_VALUE_MAX_LENGTH)
        ));
    }
    if !matches_label_key_name(name) {
        errs.push(format!(
            "name part {}",
            regex_error(
                LABEL_KEY_ERR_MSG,
                LABEL_KEY_FMT,
                &["MyName", "my.name", "123-abc"]
            )
        ));
    }
    errs
}

/// `IsValidLabelValue` (`content.IsLabelValue`): empty, or at most 63 characters of
/// `[-A-Za-z0-9_.]` starting and ending with an alphanumeric one.
pub fn is_valid_label_value(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > LABEL_VALUE_MAX_LENGTH {
        errs.push(max_len_bytes(LABEL_VALUE_MAX_LENGTH));
    }
    if !value.is_empty() && !matches_label_key_name(value) {
        errs.push(regex_error(
            LABEL_VALUE_ERR_MSG,
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// `IsValidPathSegmentName`: a name that can be a REST path segment (what the generic
/// registry checks of every object, and all a PodDisruptionBudget's name must be).
pub fn is_valid_path_segment_name(name: &str) -> Vec<String> {
    for illegal in [".", ".."] {
        if name == illegal {
            return vec![format!("may not be '{illegal}'")];
        }
    }
    ["/", "%"]
        .iter()
        .filter(|c| name.contains(*c))
        .map(|c| format!("may not contain '{c}'"))
        .collect()
}

/// A `ValidateNameFunc`: how a kind's `metadata.name` is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRule {
    /// `NameIsDNSLabel` (`ValidateNamespaceName`).
    DnsLabel,
    /// `NameIsDNSSubdomain`: Pods, Deployments, DaemonSets, Jobs, HPAs, custom resources.
    DnsSubdomain,
    /// `path.ValidatePathSegmentName`: kinds whose validation does not name a rule
    /// (PodDisruptionBudget), checked only by the generic registry.
    PathSegment,
}

impl NameRule {
    /// The problems with `name` under this rule.
    pub fn check(self, name: &str) -> Vec<String> {
        match self {
            NameRule::DnsLabel => is_dns1123_label(name),
            NameRule::DnsSubdomain => is_dns1123_subdomain(name),
            NameRule::PathSegment => is_valid_path_segment_name(name),
        }
    }
}

/// `ValidateNamespaceName`: the problems with a namespace's name.
pub fn validate_namespace_name(name: &str) -> Vec<String> {
    is_dns1123_label(name)
}

/// A Fargate profile selector's namespace, for the eksctl decoder and the builder form. It
/// names a Kubernetes namespace, so without wildcards it must be a valid namespace name
/// (`ValidateNamespaceName`'s messages); with the `*` and `?` wildcards EKS accepts, the
/// other characters must be ones a namespace name can hold and the pattern at most 63
/// characters long. Returns the problems, empty when it can match a namespace.
pub fn fargate_selector_namespace(pattern: &str) -> Vec<String> {
    if !pattern.contains(['*', '?']) {
        return validate_namespace_name(pattern);
    }
    let mut errs = Vec::new();
    if pattern.len() > DNS1123_LABEL_MAX_LENGTH {
        errs.push(max_len_chars(DNS1123_LABEL_MAX_LENGTH));
    }
    let literal = pattern
        .bytes()
        .all(|c| is_alnum_lower(c) || matches!(c, b'-' | b'*' | b'?'));
    if !literal {
        errs.push(regex_error(
            DNS1123_LABEL_ERR_MSG,
            DNS1123_LABEL_FMT,
            &["my-name", "123-abc"],
        ));
    }
    errs
}

/// `names.MaxGeneratedNameLength` (apiserver `pkg/storage/names`): 63 less the 5 random
/// characters.
pub const MAX_GENERATED_NAME_LENGTH: usize = 58;

/// `SimpleNameGenerator.GenerateName`: `generateName` (`web-7d4b9c8f5d-`) cut to 58
/// characters, then the random suffix; so the pods of a long-named ReplicaSet, Job or
/// DaemonSet still get names of at most 63 characters.
pub fn generate_name(base: &str, suffix: &str) -> String {
    let mut end = base.len().min(MAX_GENERATED_NAME_LENGTH);
    while !base.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{suffix}", &base[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    const LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    const KEY_NAME_MSG: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    const VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    #[test]
    fn dns1123_labels_like_validation_test_go() {
        let ok = [
            "a".to_string(),
            "ab".into(),
            "abc".into(),
            "a1".into(),
            "a-1".into(),
            "a--1--2--b".into(),
            "0".into(),
            "01".into(),
            "012".into(),
            "1a".into(),
            "1-a".into(),
            "1--a--b--2".into(),
            "a".repeat(63),
        ];
        for v in &ok {
            assert_eq!(is_dns1123_label(v), Vec::<String>::new(), "{v:?}");
        }
        let cases: Vec<(String, Vec<&str>)> = vec![
            (String::new(), vec![LABEL_MSG]),
            ("A".into(), vec![LABEL_MSG]),
            ("Batch_NS".into(), vec![LABEL_MSG]),
            ("ABC".into(), vec![LABEL_MSG]),
            ("aBc".into(), vec![LABEL_MSG]),
            ("a_b".into(), vec![LABEL_MSG]),
            ("-".into(), vec![LABEL_MSG]),
            ("-a".into(), vec![LABEL_MSG]),
            ("a-".into(), vec![LABEL_MSG]),
            ("a b".into(), vec![LABEL_MSG]),
            ("a.b".into(), vec!["must not contain dots"]),
            ("web.v2.prod".into(), vec!["must not contain dots"]),
            (".a".into(), vec![LABEL_MSG]),
            ("é".into(), vec![LABEL_MSG]),
            ("a".repeat(64), vec!["must be no more than 63 characters"]),
            (
                "A".repeat(64),
                vec!["must be no more than 63 characters", LABEL_MSG],
            ),
        ];
        for (v, want) in cases {
            assert_eq!(is_dns1123_label(&v), want, "{v:?}");
        }
    }

    #[test]
    fn dns1123_subdomains_like_validation_test_go() {
        let ok = [
            "a".to_string(),
            "ab".into(),
            "a.b".into(),
            "a-1.b-2".into(),
            "0.a".into(),
            "a.b.c.d.e".into(),
            "aa.bb.cc.dd.ee".into(),
            "1.2.3.4.5".into(),
            "11.22.33.44.55".into(),
            format!(
                "{}.{}.{}.{}",
                "a".repeat(63),
                "b".repeat(63),
                "c".repeat(63),
                "d".repeat(61)
            ),
        ];
        for v in &ok {
            assert_eq!(is_dns1123_subdomain(v), Vec::<String>::new(), "{v:?}");
        }
        for v in [
            "", "A", "ABC", "aBc", "A1", "a_1", "a..1", "-", "a-", "-a", "a.-b", "a-.b", ".a",
            "a.", "Bad_Name", "a/b", "a b",
        ] {
            assert_eq!(is_dns1123_subdomain(v), vec![SUBDOMAIN_MSG], "{v:?}");
        }
        assert_eq!(
            is_dns1123_subdomain(&"a".repeat(254)),
            vec!["must be no more than 253 characters"]
        );
        assert_eq!(is_dns1123_subdomain(&"a".repeat(253)), Vec::<String>::new());
    }

    #[test]
    fn qualified_names_like_validation_test_go() {
        for v in [
            "simple".to_string(),
            "now-with-dashes".into(),
            "1-starts-with-num".into(),
            "1234".into(),
            "simple/simple".into(),
            "now-with-dashes/simple".into(),
            "now-with-dashes/now-with-dashes".into(),
            "now.with.dots/now-with-dashes".into(),
            "now-with.dashes-and.dots/now-with-dashes".into(),
            "now.with.dots/now.with.dots".into(),
            "1-num.2-num/3-num".into(),
            "1234/5678".into(),
            "1.2.3.4/5678".into(),
            "Uppercase_Is_OK_123".into(),
            "example.com/Uppercase_Is_OK_123".into(),
            "requests.storage-foo".into(),
            "a".repeat(63),
            format!("{}/{}", "a".repeat(253), "b".repeat(63)),
        ] {
            assert_eq!(is_qualified_name(&v), Vec::<String>::new(), "{v:?}");
        }
        let prefix_msg = format!("prefix part {SUBDOMAIN_MSG}");
        let cases: Vec<(String, Vec<String>)> = vec![
            ("nospecialchars%^=@".into(), vec![KEY_NAME_MSG.into()]),
            ("cantendwithadash-".into(), vec![KEY_NAME_MSG.into()]),
            ("-cantstartwithadash-".into(), vec![KEY_NAME_MSG.into()]),
            (
                "only/one/slash".into(),
                vec![format!(
                    "a valid label key {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                    regex_error(
                        LABEL_KEY_ERR_MSG,
                        LABEL_KEY_FMT,
                        &["MyName", "my.name", "123-abc"]
                    )
                )],
            ),
            ("Example.com/abc".into(), vec![prefix_msg.clone()]),
            ("example_com/abc".into(), vec![prefix_msg]),
            (
                "example.com/".into(),
                vec!["name part must be non-empty".into(), KEY_NAME_MSG.into()],
            ),
            (
                "/simple".into(),
                vec!["prefix part must be non-empty".into()],
            ),
            (
                String::new(),
                vec!["name part must be non-empty".into(), KEY_NAME_MSG.into()],
            ),
            (
                "a".repeat(64),
                vec!["name part must be no more than 63 bytes".into()],
            ),
            (
                format!("{}/b", "a".repeat(254)),
                vec!["prefix part must be no more than 253 bytes".into()],
            ),
        ];
        for (v, want) in cases {
            assert_eq!(is_qualified_name(&v), want, "{v:?}");
        }
    }

    #[test]
    fn label_values_like_validation_test_go() {
        for v in [
            String::new(),
            "simple".into(),
            "now-with-dashes".into(),
            "1-starts-with-num".into(),
            "end-with-num-1".into(),
            "1234".into(),
            "Bad_Name".into(),
            "Uppercase_Is_OK_123".into(),
            "a.b_c-d".into(),
            "a".repeat(63),
        ] {
            assert_eq!(is_valid_label_value(&v), Vec::<String>::new(), "{v:?}");
        }
        for v in [
            "nospecialchars%^=@",
            "Tama-nui-te-rā.is.Māori.sun",
            "\\backslashes\\are\\bad",
            "-starts-with-dash",
            "ends-with-dash-",
            ".starts.with.dot",
            "ends.with.dot.",
            "no spaces",
        ] {
            assert_eq!(is_valid_label_value(v), vec![VALUE_MSG], "{v:?}");
        }
        assert_eq!(
            is_valid_label_value(&"a".repeat(64)),
            vec!["must be no more than 63 bytes"]
        );
    }

    #[test]
    fn path_segment_names() {
        assert_eq!(is_valid_path_segment_name("My_PDB"), Vec::<String>::new());
        assert_eq!(is_valid_path_segment_name("."), vec!["may not be '.'"]);
        assert_eq!(is_valid_path_segment_name(".."), vec!["may not be '..'"]);
        assert_eq!(
            is_valid_path_segment_name("a/b%c"),
            vec!["may not contain '/'", "may not contain '%'"]
        );
        assert_eq!(
            NameRule::PathSegment.check("web..pdb"),
            Vec::<String>::new()
        );
        assert_eq!(
            NameRule::DnsLabel.check("web.pdb"),
            vec!["must not contain dots"]
        );
        assert_eq!(
            NameRule::DnsSubdomain.check("web.pdb"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn generated_names_keep_within_a_label() {
        assert_eq!(
            generate_name("web-7d4b9c8f5d-", "x2k9q"),
            "web-7d4b9c8f5d-x2k9q"
        );
        let base = format!("{}-", "a".repeat(60));
        let name = generate_name(&base, "x2k9q");
        assert_eq!(name, format!("{}x2k9q", "a".repeat(58)));
        assert_eq!(name.len(), 63);
        assert_eq!(is_dns1123_label(&name), Vec::<String>::new());
        assert_eq!(
            generate_name(&format!("{}-", "b".repeat(57)), "abcde").len(),
            63
        );
    }

    #[test]
    fn fargate_selector_namespaces_allow_wildcards() {
        assert_eq!(fargate_selector_namespace("batch"), Vec::<String>::new());
        assert_eq!(fargate_selector_namespace("prod-*"), Vec::<String>::new());
        assert_eq!(fargate_selector_namespace("team-?"), Vec::<String>::new());
        assert_eq!(fargate_selector_namespace("Batch_NS"), vec![LABEL_MSG]);
        assert_eq!(fargate_selector_namespace("Prod-*"), vec![LABEL_MSG]);
        assert_eq!(
            fargate_selector_namespace(&format!("{}*", "a".repeat(63))),
            vec!["must be no more than 63 characters"]
        );
    }
}
