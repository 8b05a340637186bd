//! Each YAML limit at the limit (accepted) and one past it (refused, the message naming the
//! limit), through the loader; aliases that expand to gigabytes refused quickly and in little
//! memory.

use eks_lab::limits::{
    MAX_DIAGNOSTICS, MAX_DOCUMENTS, MAX_SUGGESTION_CHARS, MAX_TEXT_BYTES, MAX_YAML_DEPTH,
    MAX_YAML_EXPANDED_BYTES, MAX_YAML_NODES,
};
use eks_lab::scenario::yaml::{Node, parse_stream};
use std::time::Duration;

use eks_lab::scenario::{self, Diagnostic, Loaded};

use super::budget::{Cost, MEMORY_BUDGET, Outcome, TIME_BUDGET, Watchdog};

pub const CLUSTER: &str = "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: lab\n  region: us-east-1\n";

/// A Namespace whose `status` (a field the lab reads past without a word) holds `payload`.
fn with_status(payload: &str) -> String {
    format!(
        "{CLUSTER}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: limits\nstatus: {payload}\n"
    )
}

/// Loads `text` and measures it. Time is the thread's CPU time where the system gives it:
/// these inputs are big on purpose, and the work they cost is what is measured, not the load
/// of other processes on the machine.
pub fn measured(dog: &Watchdog, text: &str) -> (Result<Loaded, Vec<Diagnostic>>, Duration, usize) {
    let (outcome, cost) = dog.run(text.as_bytes(), || scenario::load(text));
    let Outcome::Answered(r) = outcome else {
        panic!("loading panicked: {outcome:?}")
    };
    (r, cost.cpu.unwrap_or(cost.time), cost.peak)
}

/// Loads `text` within the budgets (asserted) and returns the result with its cost.
pub fn load(dog: &Watchdog, text: &str) -> (Result<Loaded, Vec<Diagnostic>>, Cost) {
    let (r, work, peak) = measured(dog, text);
    assert!(
        work <= TIME_BUDGET && peak <= MEMORY_BUDGET,
        "{} bytes cost {} ms and {} MiB, over the budgets of {} ms and {} MiB",
        text.len(),
        work.as_millis(),
        peak >> 20,
        TIME_BUDGET.as_millis(),
        MEMORY_BUDGET >> 20
    );
    (
        r,
        Cost {
            time: work,
            cpu: Some(work),
            peak,
        },
    )
}

pub fn accepted(dog: &Watchdog, text: &str) -> Loaded {
    load(dog, text)
        .0
        .unwrap_or_else(|d| panic!("refused at the limit: {}", d[0]))
}

/// The one error of a refusal, which must name `needle`.
fn refused(dog: &Watchdog, text: &str, needle: &str) -> Diagnostic {
    let d = load(dog, text).0.expect_err("accepted past the limit");
    let first = d[0].clone();
    assert!(
        first.message.contains(needle),
        "{first} does not name {needle:?}"
    );
    assert!(first.document >= 1 && first.line >= 1 && first.column >= 1);
    first
}

/// Values and bytes of scalar text in a parsed text, counted as the reader counts them (no
/// merge keys, no duplicates: the tree holds each expanded value once).
fn size(text: &str) -> (usize, usize) {
    fn walk(n: &Node, acc: &mut (usize, usize)) {
        acc.0 += 1;
        match n {
            Node::Scalar(s) => acc.1 += s.text.len(),
            Node::Seq { items, .. } => items.iter().for_each(|i| walk(i, acc)),
            Node::Map { entries, .. } => {
                for (k, v) in entries {
                    acc.0 += 1;
                    acc.1 += k.text.len();
                    walk(v, acc);
                }
            }
        }
    }
    let mut acc = (0, 0);
    for d in parse_stream(text, MAX_DOCUMENTS).unwrap().documents {
        if let Some(r) = &d.root {
            walk(r, &mut acc);
        }
    }
    acc
}

/// `2 MiB`, `512 KiB`: a limit as the messages write it.
pub fn units(bytes: usize) -> String {
    if bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{} KiB", bytes >> 10)
    }
}

/// The strings, one after the other.
pub fn concat(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().concat()
}

#[test]
fn text_bytes_at_and_past_the_limit() {
    let dog = Watchdog::measuring_cpu("limit-text");
    let pad = |len: usize| {
        let mut t = format!("{CLUSTER}#");
        t.push_str(&"x".repeat(len - t.len() - 1));
        t.push('\n');
        assert_eq!(t.len(), len);
        t
    };
    let at = pad(MAX_TEXT_BYTES);
    accepted(&dog, &at);
    assert!(scenario::load_bytes(at.as_bytes()).is_ok());
    let past = pad(MAX_TEXT_BYTES + 1);
    let limit = format!(
        "at most {} ({MAX_TEXT_BYTES} bytes), the lab's limit",
        units(MAX_TEXT_BYTES)
    );
    let d = refused(&dog, &past, &limit);
    assert_eq!(
        d.to_string(),
        format!(
            "error: document 1, line 1, column 1: the file is {} bytes; scenario files may be {limit}",
            MAX_TEXT_BYTES + 1
        )
    );
    // Bytes: the size is checked before the encoding.
    let mut bad = at.clone().into_bytes();
    let last = bad.len() - 2;
    bad[last] = 0xff;
    let e = scenario::load_bytes(&bad).unwrap_err();
    assert!(e[0].message.contains("not valid UTF-8"), "{}", e[0]);
    assert_eq!(
        (e[0].line, e[0].column),
        (6, MAX_TEXT_BYTES - CLUSTER.len() - 1)
    );
    bad.push(b'\n');
    let e = scenario::load_bytes(&bad).unwrap_err();
    assert!(
        e[0].message
            .contains(&format!("is {} bytes", MAX_TEXT_BYTES + 1)),
        "{}",
        e[0]
    );
    // Pasted manifests have the same limit.
    let e = scenario::load_manifests(&past).unwrap_err();
    assert_eq!(
        e[0].message,
        format!(
            "the text is {} bytes; pasted manifests may be {limit}",
            MAX_TEXT_BYTES + 1
        )
    );
    assert!(scenario::check_size(MAX_TEXT_BYTES as u64).is_ok());
    assert!(scenario::check_size(u64::MAX).is_err());
}

#[test]
fn documents_at_and_past_the_limit() {
    let dog = Watchdog::measuring_cpu("limit-documents");
    // The ClusterConfig and empty documents after it.
    let docs = |n: usize| format!("{CLUSTER}{}", "---\n".repeat(n - 1));
    assert_eq!(parse_stream(&docs(7), 100).unwrap().documents.len(), 7);
    accepted(&dog, &docs(MAX_DOCUMENTS));
    let d = refused(
        &dog,
        &docs(MAX_DOCUMENTS + 1),
        "more than 5000 YAML documents, the lab's limit",
    );
    assert_eq!((d.document, d.line), (MAX_DOCUMENTS + 1, MAX_DOCUMENTS + 5));
}

#[test]
fn depth_at_and_past_the_limit() {
    let dog = Watchdog::measuring_cpu("limit-depth");
    // The Namespace's mapping is level 1, `status` holds the rest.
    let nested = |levels: usize| {
        with_status(&format!(
            "{}{}",
            "[".repeat(levels - 1),
            "]".repeat(levels - 1)
        ))
    };
    accepted(&dog, &nested(MAX_YAML_DEPTH));
    let d = refused(
        &dog,
        &nested(MAX_YAML_DEPTH + 1),
        "nested more than 64 levels deep, the lab's limit",
    );
    assert_eq!((d.document, d.line, d.column), (2, 11, 8 + MAX_YAML_DEPTH));
    // Block style too, and far deeper than the stack would take.
    let block = concat((0..=MAX_YAML_DEPTH).map(|i| format!("{}k{i}:\n", "  ".repeat(i))));
    refused(
        &dog,
        &format!("{CLUSTER}---\n{block}"),
        "nested more than 64",
    );
    refused(
        &dog,
        &with_status(&"[".repeat(1_000_000)),
        "nested more than 64",
    );
}

/// `status: {a: &a [1000 x], b: [m × *a], c: [r × x]}` adding `extra` values to `base`.
fn values_payload(base: usize, total: usize) -> String {
    let extra = total - base;
    // The mapping, `a` (key, list, 1000 scalars), `b` and `c` (key, list); the `status` key
    // is in `base`.
    let fixed = 1 + 1002 + 2 + 2;
    let m = (extra - fixed) / 1001;
    let r = extra - fixed - m * 1001;
    format!(
        "{{a: &a [{}], b: [{}], c: [{}]}}",
        vec!["x"; 1000].join(", "),
        vec!["*a"; m].join(", "),
        vec!["x"; r].join(", ")
    )
}

#[test]
fn values_at_and_past_the_limit() {
    let dog = Watchdog::measuring_cpu("limit-values");
    let (base, _) = size(&with_status("~"));
    // `status: ~` is one value; the payload replaces it.
    let base = base - 1;
    let at = with_status(&values_payload(base, MAX_YAML_NODES));
    assert_eq!(size(&at).0, MAX_YAML_NODES);
    accepted(&dog, &at);
    let d = refused(
        &dog,
        &with_status(&values_payload(base, MAX_YAML_NODES + 1)),
        "more than 1000000 YAML values once anchors and aliases are expanded, the lab's limit",
    );
    assert_eq!((d.document, d.line), (2, 11));
}

/// `status: {s: &s <L bytes>, b: [m × *s], t: <r bytes>}` bringing the scalar bytes to `total`.
fn bytes_payload(base: usize, total: usize) -> String {
    // A quarter of the text limit: the anchor and the rest fit in one file.
    const L: usize = MAX_TEXT_BYTES / 4;
    // The keys "s", "b", "t" ("status" is in `base`).
    let extra = total - base - "sbt".len();
    let m = extra / L - 1;
    let r = extra - L * (m + 1);
    format!(
        "{{s: &s {}, b: [{}], t: {}}}",
        "s".repeat(L),
        vec!["*s"; m].join(", "),
        "t".repeat(r)
    )
}

#[test]
fn expanded_bytes_at_and_past_the_limit() {
    let dog = Watchdog::measuring_cpu("limit-bytes");
    let (_, base) = size(&with_status("~"));
    let base = base - 1;
    let at = with_status(&bytes_payload(base, MAX_YAML_EXPANDED_BYTES));
    assert!(at.len() < MAX_TEXT_BYTES);
    assert_eq!(size(&at).1, MAX_YAML_EXPANDED_BYTES);
    accepted(&dog, &at);
    let d = refused(
        &dog,
        &with_status(&bytes_payload(base, MAX_YAML_EXPANDED_BYTES + 1)),
        &format!(
            "more than {MAX_YAML_EXPANDED_BYTES} bytes ({}) of text once anchors and aliases are expanded, the lab's limit",
            units(MAX_YAML_EXPANDED_BYTES)
        ),
    );
    assert_eq!((d.document, d.line), (2, 11));
}

#[test]
fn aliases_that_expand_to_gigabytes_are_refused_quickly_in_little_memory() {
    let dog = Watchdog::measuring_cpu("limit-bombs");
    // A quarter of the text limit repeated 4096 times: a gigabyte or more.
    let part = MAX_TEXT_BYTES / 4;
    let gigabyte = with_status(&format!(
        "\n  {}",
        super::mutate::byte_bomb(part, 4096).replace('\n', "\n  ")
    ));
    assert!(part * 4096 >= 1 << 30 && gigabyte.len() < MAX_TEXT_BYTES);
    let (r, cost) = load(&dog, &gigabyte);
    let e = r.unwrap_err();
    assert!(
        e[0].message
            .contains("of text once anchors and aliases are expanded"),
        "{}",
        e[0]
    );
    assert!(cost.peak < 128 << 20, "peak {} MiB", cost.peak >> 20);
    // Ten to the ninth values from a few hundred bytes.
    let laughs = with_status(&format!(
        "\n  {}",
        super::mutate::alias_bomb(9, 10).replace('\n', "\n  ")
    ));
    let (r, cost) = load(&dog, &laughs);
    let e = r.unwrap_err();
    assert!(e[0].message.contains("1000000 YAML values"), "{}", e[0]);
    assert!(cost.peak < 192 << 20, "peak {} MiB", cost.peak >> 20);
}

#[test]
fn hints_are_bounded_by_the_length_they_compare() {
    let dog = Watchdog::measuring_cpu("limit-hints");
    // Explicit keys (`? key`): YAML limits implicit ones to 1024 characters.
    let deployment = |keys: &[String]| {
        let extra = concat(keys.iter().map(|k| format!("  ? {k}\n  : 1\n")));
        format!(
            "{CLUSTER}---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n{extra}  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec:\n      containers: [{{name: web, image: nginx}}]\n"
        )
    };
    // A typo gets its hint; a word at the limit is compared, one past it is not.
    let e = load(&dog, &deployment(&["replica".into()])).0.unwrap_err();
    assert_eq!(
        e[0].message,
        "unknown field \"replica\" (did you mean \"replicas\"?)"
    );
    for len in [MAX_SUGGESTION_CHARS, MAX_SUGGESTION_CHARS + 1] {
        let key = "r".repeat(len);
        let e = load(&dog, &deployment(std::slice::from_ref(&key)))
            .0
            .unwrap_err();
        assert_eq!(e[0].message, format!("unknown field {key:?}"));
        assert_eq!(e[0].path, format!("spec.{key}"));
    }
    // Ten keys of 100 KB (a megabyte of unknown fields): answered in the time budget. A full
    // edit distance would compare each of their characters with every field name.
    let huge: Vec<String> = (0..10)
        .map(|i| format!("{i}{}", "replicas".repeat(12_500)))
        .collect();
    let (r, _) = load(&dog, &deployment(&huge));
    let e = r.unwrap_err();
    assert_eq!(
        e.len(),
        10,
        "{}",
        e[0].to_string().chars().take(300).collect::<String>()
    );
}

#[test]
fn diagnostics_at_and_past_the_limit() {
    let dog = Watchdog::measuring_cpu("limit-diagnostics");
    let unknown = |n: usize| format!("{CLUSTER}{}", concat((0..n).map(|i| format!("f{i}: 1\n"))));
    let e = load(&dog, &unknown(MAX_DIAGNOSTICS)).0.unwrap_err();
    assert_eq!(e.len(), MAX_DIAGNOSTICS);
    assert!(e.iter().all(|d| d.message.starts_with("unknown field")));
    let e = load(&dog, &unknown(MAX_DIAGNOSTICS + 1)).0.unwrap_err();
    assert_eq!(e.len(), MAX_DIAGNOSTICS + 1);
    assert_eq!(
        e[MAX_DIAGNOSTICS].to_string(),
        "error: document 1, line 1006, column 1: 1 more error not listed, from here on: the lab lists the first 1000 problems of a file"
    );
    // A short file whose aliases repeat a toleration of ten unknown fields 47,000 times:
    // 517,001 errors (eleven a toleration, and `x`), answered in the budget with a thousand.
    let keys: Vec<String> = (0..10).map(|i| format!("k{i}: 1")).collect();
    let amplified = format!(
        "{CLUSTER}---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers: [{{name: a, image: b}}]\n  x: &c {{{}}}\n  tolerations: [{}]\n",
        keys.join(", "),
        vec!["*c"; 47_000].join(", ")
    );
    let (r, cost) = load(&dog, &amplified);
    let e = r.unwrap_err();
    assert_eq!(e.len(), MAX_DIAGNOSTICS + 1);
    assert!(
        e[MAX_DIAGNOSTICS]
            .message
            .starts_with("516001 more errors not listed"),
        "{}",
        e[MAX_DIAGNOSTICS]
    );
    assert!(cost.peak < 128 << 20, "peak {} MiB", cost.peak >> 20);
}
