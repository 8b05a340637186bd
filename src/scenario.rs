//! Scenario files: one YAML stream holding an eksctl `ClusterConfig`, Kubernetes manifests
//! and an optional `Lab` document (seed, duration, timeline), turned into a `sim::spec::LabSpec`.
//!
//! Loading never panics and never stops at the first problem: every error and warning comes
//! back as a [`Diagnostic`] with its document, line, column and field path, like
//! `error: document 2, line 14, column 7: spec.template.spec.containers[0].resources.requests.cpu: invalid cpu quantity "500x": unknown suffix "x"`.
//! [`to_yaml`] writes a `LabSpec` back as a scenario file that loads to the same spec.
//!
//! ```
//! let text = "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: demo\nmanagedNodeGroups:\n  - name: ng-1\n";
//! let loaded = eks_lab::scenario::load(text).unwrap();
//! assert_eq!(loaded.spec.nodegroups[0].instance_types, ["m5.large"]);
//! assert_eq!(eks_lab::scenario::load(&eks_lab::scenario::to_yaml(&loaded.spec)).unwrap().spec, loaded.spec);
//! ```
//!
//! Timeline lines are parsed by `crate::cli`, the command-line parser the console and the
//! runner use too.

pub(crate) mod decode;
pub(crate) mod eksctl;
pub mod export;
pub(crate) mod lab;
pub(crate) mod manifest;
pub(crate) mod namespaces;
pub(crate) mod pod;
pub mod yaml;

use std::collections::BTreeSet;
use std::fmt;

pub use export::to_yaml;

use decode::Sink;
use manifest::Class;
use yaml::{Document, Mark, Node};

use crate::sim::spec::{LabSpec, Manifest};

pub use crate::limits::{MAX_DOCUMENTS, MAX_TEXT_BYTES as MAX_BYTES};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A problem in a scenario file, with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// 1-based document of the stream.
    pub document: usize,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// The field, e.g. `managedNodeGroups[0].instanceType`; empty for file-level problems.
    pub path: String,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{sev}: document {}, line {}, column {}: ",
            self.document, self.line, self.column
        )?;
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        write!(f, "{}", self.message)
    }
}

/// A loaded scenario and the warnings about what it contains but the lab ignores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub spec: LabSpec,
    pub warnings: Vec<Diagnostic>,
}

/// Reads a scenario file that arrives as bytes (from disk, from the browser's file picker).
/// Its size is checked before anything else, then its encoding: bytes that are not UTF-8
/// are refused with the document, line, column and byte offset of the first bad one.
pub fn load_bytes(bytes: &[u8]) -> Result<Loaded, Vec<Diagnostic>> {
    check_size(bytes.len() as u64).map_err(|d| vec![d])?;
    match yaml::decode_utf8(bytes) {
        Ok(text) => load(text),
        Err(e) => Err(vec![yaml_error(e)]),
    }
}

/// The YAML stream of `text`, and a sink holding its syntax errors.
fn parse(text: &str) -> Result<(yaml::Stream, Sink), Vec<Diagnostic>> {
    let stream = yaml::parse_stream(text, MAX_DOCUMENTS).map_err(|e| vec![yaml_error(e)])?;
    let mut sink = Sink {
        document: 1,
        ..Sink::default()
    };
    for e in &stream.errors {
        sink.document = e.document;
        sink.error(e.mark, "", e.message.clone());
    }
    Ok((stream, sink))
}

/// Reads a scenario file. `Err` holds every error (and the warnings), sorted by position.
pub fn load(text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    check_size(text.len() as u64).map_err(|d| vec![d])?;
    let (stream, mut sink) = parse(text)?;
    let mut spec = LabSpec::default();
    let sorted = classify(&mut sink, &stream.documents);
    decode_documents(&mut sink, &sorted, &mut spec);
    finish(sink, spec)
}

/// Refuses a scenario file of `len` bytes if it is over `MAX_TEXT_BYTES`, before it is read:
/// the runner and the browser check a file's size with this, then hand its bytes to
/// [`load_bytes`], which checks again.
pub fn check_size(len: u64) -> Result<(), Diagnostic> {
    match too_big(len, "file", "scenario files") {
        Some(d) => Err(d),
        None => Ok(()),
    }
}

/// The refusal of a text over `MAX_TEXT_BYTES`, naming the limit and the size found.
fn too_big(len: u64, what: &str, whose: &str) -> Option<Diagnostic> {
    (len > MAX_BYTES as u64).then(|| Diagnostic {
        severity: Severity::Error,
        document: 1,
        line: 1,
        column: 1,
        path: String::new(),
        message: format!(
            "the {what} is {len} bytes; {whose} may be at most {} ({MAX_BYTES} bytes), the lab's limit",
            in_units(MAX_BYTES)
        ),
    })
}

/// `2 MiB`, `512 KiB`, `100 bytes`: a limit as a person reads it.
pub(crate) fn in_units(bytes: usize) -> String {
    match bytes {
        b if b >= 1 << 20 && b.is_multiple_of(1 << 20) => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b.is_multiple_of(1 << 10) => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// A problem the YAML reader stopped at, as a diagnostic.
fn yaml_error(e: yaml::YamlError) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        document: e.document.max(1),
        line: e.mark.line.max(1),
        column: e.mark.column.max(1),
        path: String::new(),
        message: e.message,
    }
}

/// Reads pasted Kubernetes manifests (one or more documents, as `kubectl apply -f -` takes
/// them). ClusterConfig and Lab documents belong in scenario files and are refused here.
/// Warnings about unmodelled fields are dropped; errors carry positions in the pasted text.
pub fn load_manifests(text: &str) -> Result<Vec<Manifest>, Vec<Diagnostic>> {
    if let Some(d) = too_big(text.len() as u64, "text", "pasted manifests") {
        return Err(vec![d]);
    }
    let (stream, mut sink) = parse(text)?;
    let mut out = Vec::new();
    for doc in &stream.documents {
        sink.document = doc.index;
        let Some(root) = &doc.root else { continue };
        let kind = root
            .get("kind")
            .and_then(Node::as_text)
            .unwrap_or("")
            .to_string();
        let api = root
            .get("apiVersion")
            .and_then(Node::as_text)
            .unwrap_or("")
            .to_string();
        if kind.is_empty() || api.is_empty() {
            sink.error(root.mark(), "", "a manifest needs apiVersion and kind");
            continue;
        }
        match manifest::classify(&api, &kind) {
            Class::Modelled => {
                if let Some(m) = manifest::decode(&mut sink, root, "", &kind) {
                    out.push(m);
                }
            }
            Class::Unmodelled => sink.error(root.mark(), "kind", format!("kind {kind} is not modelled by the lab")),
            Class::WrongVersion(v) => sink.error(root.mark(), "apiVersion", format!("no matches for kind {kind:?} in version {api:?} (use {v})")),
            Class::Unknown => sink.error(root.mark(), "kind", format!("the lab applies Namespace, Deployment, DaemonSet, Job, PodDisruptionBudget and Pod manifests here, not {kind:?}")),
        }
    }
    if out.is_empty() && sink.error_count() == 0 {
        sink.error(
            Mark::START,
            "",
            "nothing to apply: paste at least one Kubernetes manifest",
        );
    }
    if sink.error_count() > 0 {
        let mut diags = sink.into_diagnostics();
        diags.retain(|d| d.severity == Severity::Error);
        return Err(diags);
    }
    Ok(out)
}

/// The documents of a file, by what they are.
#[derive(Default)]
struct Sorted<'a> {
    clusters: Vec<(&'a Document, &'a Node)>,
    labs: Vec<(&'a Document, &'a Node)>,
    manifests: Vec<(&'a Document, &'a Node, String)>,
}

fn classify<'a>(sink: &mut Sink, documents: &'a [Document]) -> Sorted<'a> {
    let mut sorted = Sorted::default();
    for doc in documents {
        sink.document = doc.index;
        let Some(root) = &doc.root else { continue };
        if !matches!(root, Node::Map { .. }) {
            sink.error(
                root.mark(),
                "",
                format!(
                    "a scenario document must be a mapping with apiVersion and kind, got {}",
                    root.describe()
                ),
            );
            continue;
        }
        let field = |sink: &mut Sink, key: &str| match root.get(key) {
            Some(n) if !n.is_null() => decode::string(sink, n, key),
            _ => {
                sink.error(root.mark(), key, "required field is missing");
                None
            }
        };
        let (Some(api), Some(kind)) = (field(sink, "apiVersion"), field(sink, "kind")) else {
            continue;
        };
        let api_mark = root.get("apiVersion").map_or(root.mark(), Node::mark);
        let kind_mark = root.get("kind").map_or(root.mark(), Node::mark);
        match (api.as_str(), kind.as_str()) {
            (eksctl::API_VERSION, "ClusterConfig") => sorted.clusters.push((doc, root)),
            (lab::API_VERSION, lab::KIND) => sorted.labs.push((doc, root)),
            (_, "ClusterConfig") => sink.error(api_mark, "apiVersion", format!("no matches for kind \"ClusterConfig\" in version {api:?} (use {})", eksctl::API_VERSION)),
            (_, lab::KIND) => sink.error(api_mark, "apiVersion", format!("no matches for kind \"Lab\" in version {api:?} (use {})", lab::API_VERSION)),
            (_, "List") => sink.error(kind_mark, "kind", "kind List is not read by the lab: put each of its items in a document of its own, separated by ---"),
            _ => match manifest::classify(&api, &kind) {
                Class::Modelled => sorted.manifests.push((doc, root, kind)),
                Class::Unmodelled => sink.warn(kind_mark, "kind", format!("kind {kind} is not modelled by the lab; ignored")),
                Class::WrongVersion(v) => sink.error(api_mark, "apiVersion", format!("no matches for kind {kind:?} in version {api:?} (use {v})")),
                Class::Unknown => sink.error(kind_mark, "kind", format!("unknown kind {kind:?} in version {api:?}: the lab reads eksctl ClusterConfig, Lab, Namespace, Deployment, DaemonSet, Job, PodDisruptionBudget and Pod documents")),
            },
        }
    }
    if documents.iter().all(|d| d.root.is_none()) {
        sink.document = 1;
        sink.error(
            Mark::START,
            "",
            "the file is empty: a scenario needs at least an eksctl ClusterConfig document",
        );
    } else if sorted.clusters.is_empty() && !any_cluster_kind(documents) {
        sink.document = 1;
        sink.error(Mark::START, "", "no eksctl ClusterConfig document (apiVersion: eksctl.io/v1alpha5, kind: ClusterConfig) in the file");
    }
    for (extra, what) in [
        (sorted.clusters.get(1), "ClusterConfig"),
        (sorted.labs.get(1), "Lab"),
    ] {
        if let Some((doc, root)) = extra {
            sink.document = doc.index;
            sink.error(
                root.mark(),
                "",
                format!("a scenario holds at most one {what} document; this is another one"),
            );
        }
    }
    sorted
}

/// Is there a document of kind `ClusterConfig`, whatever its apiVersion (which has its own
/// error)?
fn any_cluster_kind(documents: &[Document]) -> bool {
    documents
        .iter()
        .filter_map(|d| d.root.as_ref())
        .any(|r| r.get("kind").and_then(Node::as_text) == Some("ClusterConfig"))
}

fn decode_documents(sink: &mut Sink, sorted: &Sorted<'_>, spec: &mut LabSpec) {
    if let Some((doc, root)) = sorted.clusters.first() {
        sink.document = doc.index;
        let cfg = eksctl::decode(sink, root);
        spec.cluster = cfg.cluster;
        spec.nodegroups = cfg.nodegroups;
        spec.fargate_profiles = cfg.fargate_profiles;
    }
    let mut entry_places = Vec::new();
    if let Some((doc, root)) = sorted.labs.first() {
        sink.document = doc.index;
        entry_places = lab::decode(sink, root, spec)
            .into_iter()
            .map(|p| namespaces::Place {
                document: doc.index,
                mark: p.mark,
                path: p.path,
            })
            .collect();
    }
    let mut seen = BTreeSet::new();
    let mut manifest_places = Vec::new();
    for (doc, root, kind) in &sorted.manifests {
        sink.document = doc.index;
        let Some(m) = manifest::decode(sink, root, "", kind) else {
            continue;
        };
        let key = (m.kind(), m.namespace().to_string(), m.name().to_string());
        if !seen.insert(key) {
            let mark = root.lookup("metadata.name").map_or(root.mark(), Node::mark);
            let what = if m.namespace().is_empty() {
                String::new()
            } else {
                format!(" in namespace {:?}", m.namespace())
            };
            sink.error(
                mark,
                "metadata.name",
                format!("{} {:?}{what} is defined twice", kind, m.name()),
            );
            continue;
        }
        let ns = root.lookup("metadata.namespace");
        manifest_places.push(namespaces::Place {
            document: doc.index,
            mark: ns.map_or(root.mark(), Node::mark),
            path: if ns.is_some() {
                "metadata.namespace"
            } else {
                "metadata"
            }
            .to_string(),
        });
        spec.manifests.push(m);
    }
    let manifests: Vec<_> = manifest_places.into_iter().zip(&spec.manifests).collect();
    let timeline: Vec<_> = entry_places.into_iter().zip(&spec.timeline).collect();
    namespaces::check(sink, &manifests, &timeline);
    if sink.error_count() == 0
        && let (Some((doc, root)), Err(msg)) = (
            sorted.clusters.first(),
            crate::sim::eks::validation::validate_spec(spec),
        )
    {
        sink.document = doc.index;
        let (mark, path, message) = locate(root, &msg);
        sink.error(mark, &path, message);
    }
}

/// Finds the field a `validate_spec` message is about (`metadata.version: ...`,
/// `nodegroup "ng-1": ...`).
fn locate(root: &Node, msg: &str) -> (Mark, String, String) {
    if let Some((path, rest)) = msg.split_once(": ")
        && !path.contains(' ')
        && let Some(node) = root.lookup(path)
    {
        return (node.mark(), path.to_string(), rest.to_string());
    }
    for (prefix, lists) in [
        ("nodegroup \"", ["managedNodeGroups", "nodeGroups"]),
        ("Fargate profile \"", ["fargateProfiles", "fargateProfiles"]),
    ] {
        let Some(name) = msg.strip_prefix(prefix).and_then(|r| r.split('"').next()) else {
            continue;
        };
        for list in lists {
            if let Some(Node::Seq { items, .. }) = root.get(list)
                && let Some((i, n)) = items
                    .iter()
                    .enumerate()
                    .find(|(_, n)| n.get("name").and_then(Node::as_text) == Some(name))
            {
                return (n.mark(), format!("{list}[{i}]"), msg.to_string());
            }
        }
    }
    (root.mark(), String::new(), msg.to_string())
}

fn finish(sink: Sink, spec: LabSpec) -> Result<Loaded, Vec<Diagnostic>> {
    let kept = sink.diags.len();
    let mut diags = sink.into_diagnostics();
    // By position; the note of those left out, if any, stays last.
    crate::sim::sort::sort_by_key(&mut diags[..kept], |d| (d.document, d.line, d.column));
    if diags.iter().any(|d| d.severity == Severity::Error) {
        Err(diags)
    } else {
        Ok(Loaded {
            spec,
            warnings: diags,
        })
    }
}

#[cfg(test)]
mod manifests_only_tests {
    use super::*;

    #[test]
    fn pasted_manifests_load_and_mistakes_have_positions() {
        let ok = load_manifests("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: batch\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx}]\n").unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[1].name(), "web");
        let err = load_manifests(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replica: 3\n",
        )
        .unwrap_err();
        assert!(
            err.iter()
                .any(|d| d.line == 6 && d.message.contains("replica")),
            "{err:?}"
        );
        let err = load_manifests(
            "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: x}\n",
        )
        .unwrap_err();
        assert!(!err.is_empty());
        assert!(
            load_manifests("").unwrap_err()[0]
                .message
                .contains("nothing to apply")
        );
        assert!(
            load_manifests("a: [").unwrap_err()[0]
                .message
                .contains("YAML")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLUSTER: &str =
        "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: demo\n";

    #[test]
    fn a_cluster_alone_gets_the_defaults() {
        let l = load(CLUSTER).unwrap();
        assert_eq!(l.spec.seed, 1);
        assert_eq!(l.spec.duration, None);
        assert_eq!(l.spec.start_date, crate::sim::spec::DEFAULT_START_DATE);
        assert!(l.warnings.is_empty());
    }

    #[test]
    fn display_reads_like_a_compiler_message() {
        let d = Diagnostic {
            severity: Severity::Error,
            document: 2,
            line: 14,
            column: 7,
            path: "spec.replicas".into(),
            message: "expected an integer, got a string \"3\"".into(),
        };
        assert_eq!(
            d.to_string(),
            "error: document 2, line 14, column 7: spec.replicas: expected an integer, got a string \"3\""
        );
    }

    #[test]
    fn file_level_errors() {
        assert!(load("").unwrap_err()[0].message.contains("empty"));
        assert!(
            load("# just a comment\n---\n").unwrap_err()[0]
                .message
                .contains("empty")
        );
        assert!(
            load("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n").unwrap_err()[0]
                .message
                .contains("no eksctl ClusterConfig")
        );
        let two = format!("{CLUSTER}---\n{CLUSTER}");
        let e = load(&two).unwrap_err();
        assert_eq!((e[0].document, e[0].line), (2, 6));
        assert!(
            load("- a\n- b\n").unwrap_err()[0]
                .message
                .contains("must be a mapping")
        );
        let big = "#".repeat(MAX_BYTES + 1);
        assert!(
            load(&big).unwrap_err()[0]
                .message
                .contains(&format!("at most {}", in_units(MAX_BYTES)))
        );
        assert_eq!(
            [in_units(2 << 20), in_units(512 << 10), in_units(1536)],
            ["2 MiB", "512 KiB", "1536 bytes"]
        );
    }

    #[test]
    fn bytes_are_checked_for_size_then_encoding() {
        let l = load_bytes(CLUSTER.as_bytes()).unwrap();
        assert_eq!(l.spec, load(CLUSTER).unwrap().spec);
        let mut bad = format!("{CLUSTER}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ")
            .into_bytes();
        bad.extend_from_slice(b"b\xffd\n");
        let e = load_bytes(&bad).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(
            e[0].to_string(),
            "error: document 2, line 9, column 10: the file is not valid UTF-8: invalid byte 0xff at byte offset 128"
        );
        // Size first: a big file is refused for its size, whatever its bytes.
        let mut big = vec![b'#'; MAX_BYTES + 1];
        big[10] = 0xff;
        assert_eq!(
            load_bytes(&big).unwrap_err()[0].message,
            format!(
                "the file is {} bytes; scenario files may be at most {} ({MAX_BYTES} bytes), the lab's limit",
                MAX_BYTES + 1,
                in_units(MAX_BYTES)
            )
        );
    }

    #[test]
    fn unmodelled_and_unknown_kinds() {
        let l = load(&format!(
            "{CLUSTER}---\napiVersion: v1\nkind: Service\nmetadata: {{name: web}}\n"
        ))
        .unwrap();
        assert_eq!(
            l.warnings[0].message,
            "kind Service is not modelled by the lab; ignored"
        );
        let e = load(&format!("{CLUSTER}---\napiVersion: v1\nkind: Banana\n")).unwrap_err();
        assert!(e[0].message.starts_with("unknown kind \"Banana\""));
        let e = load(&format!(
            "{CLUSTER}---\napiVersion: apps/v1beta1\nkind: Deployment\n"
        ))
        .unwrap_err();
        assert_eq!(
            e[0].message,
            "no matches for kind \"Deployment\" in version \"apps/v1beta1\" (use apps/v1)"
        );
    }

    #[test]
    fn duplicate_objects_and_missing_namespaces() {
        let ns = "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: batch}\n";
        let e = load(&format!("{CLUSTER}{ns}{ns}")).unwrap_err();
        assert_eq!((e[0].document, e[0].path.as_str()), (3, "metadata.name"));
        assert!(e[0].message.contains("defined twice"));
        let pod = "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: jobs}\nspec: {containers: [{name: a, image: b}]}\n";
        let l = load(&format!("{CLUSTER}{pod}")).unwrap();
        assert!(
            l.warnings[0]
                .message
                .contains("namespace \"jobs\" is not created")
        );
    }

    #[test]
    fn validate_spec_errors_are_positioned() {
        let text = format!("{CLUSTER}  version: \"1.23\"\n");
        let e = load(&text).unwrap_err();
        assert_eq!(
            (e[0].line, e[0].column, e[0].path.as_str()),
            (5, 12, "metadata.version")
        );
        assert!(
            e[0].message.contains("end of extended support"),
            "{}",
            e[0].message
        );
    }
}
