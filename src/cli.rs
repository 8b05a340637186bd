//! `kubectl`, `eksctl` and `aws` command lines, parsed into `sim::command::Command`s. Shared by
//! the scenario timeline and the in-browser console.
//!
//! A line is split like a shell does (quotes, backslashes, `#` comments), flags are read the
//! way cobra reads them (`--flag=value`, `--flag value`, `-n ns`, boolean `--force`), and the
//! command is looked up in a table keyed by tool and verb path (`kubectl scale`,
//! `eksctl create nodegroup`, `aws eks update-addon`). Each table row lists its flags and a
//! builder; adding a command means adding a row. Errors read like the real tools' messages.

mod aws;
mod eksctl;
mod ekslab;
mod format;
mod kubectl;
mod words;

pub use format::format_command;
pub use words::tokenize;
pub(crate) use words::{parse_pairs, parse_resource_list};

use crate::sim::catalog::versions::known_versions;
use crate::sim::catalog::{AddonName, KubernetesVersion, version_info};
use crate::sim::command::Command;

/// Where a command runs: the lab's cluster and the current namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandContext {
    pub cluster: String,
    /// The namespace kubectl uses without `-n` (normally `default`).
    pub namespace: String,
}

impl CommandContext {
    pub fn new(cluster: impl Into<String>) -> CommandContext {
        CommandContext {
            cluster: cluster.into(),
            namespace: "default".to_string(),
        }
    }
}

/// Which program a line runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tool {
    Kubectl,
    Eksctl,
    /// The AWS CLI (`aws eks ...`, `aws autoscaling ...`).
    Aws,
    /// The lab's own commands (traffic, faults), which have no real-world equivalent.
    Ekslab,
}

impl Tool {
    pub const fn name(self) -> &'static str {
        match self {
            Tool::Kubectl => "kubectl",
            Tool::Eksctl => "eksctl",
            Tool::Aws => "aws",
            Tool::Ekslab => "ekslab",
        }
    }

    /// kubectl prints `error: ...`, eksctl `Error: ...`, the AWS CLI's argument parser
    /// `aws: error: ...`.
    pub fn error(self, msg: impl std::fmt::Display) -> String {
        match self {
            Tool::Kubectl | Tool::Ekslab => format!("error: {msg}"),
            Tool::Eksctl => format!("Error: {msg}"),
            Tool::Aws => format!("aws: error: {msg}"),
        }
    }

    /// A flag the command does not take: cobra's `unknown flag: --x`; the AWS CLI lists what
    /// it did not recognise (`Unknown options: --x`).
    fn unknown_flag(self, name: &str) -> String {
        match self {
            Tool::Aws => self.error(format!("Unknown options: --{name}")),
            _ => self.error(format!("unknown flag: --{name}")),
        }
    }

    /// A value flag at the end of the line: cobra's `flag needs an argument: --x`; argparse's
    /// `argument --x: expected one argument`.
    fn missing_value(self, long: &str) -> String {
        match self {
            Tool::Aws => self.error(format!("argument --{long}: expected one argument")),
            _ => self.error(format!("flag needs an argument: --{long}")),
        }
    }
}

/// One flag a command accepts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Flag {
    pub long: &'static str,
    pub short: Option<char>,
    /// Takes a value (`--replicas 3`); otherwise boolean (`--force`, `--force=false`).
    pub value: bool,
}

pub(crate) const fn flag(long: &'static str, short: Option<char>) -> Flag {
    Flag {
        long,
        short,
        value: true,
    }
}

pub(crate) const fn switch(long: &'static str, short: Option<char>) -> Flag {
    Flag {
        long,
        short,
        value: false,
    }
}

/// One row of the dispatch table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Verb {
    pub tool: Tool,
    /// Sub-command words; `|` separates aliases (`nodegroup|ng|nodegroups`).
    pub path: &'static [&'static str],
    pub flags: &'static [Flag],
    pub build: fn(&Args, &CommandContext) -> Result<Command, String>,
}

/// A parsed line: positional words after the verb path, and flags by long name.
#[derive(Debug, Clone)]
pub(crate) struct Args {
    pub tool: Tool,
    pub positionals: Vec<String>,
    pub flags: Vec<(&'static str, Option<String>)>,
    /// The flags the command declares (for messages that name a flag's shorthand).
    pub declared: &'static [Flag],
}

impl Args {
    pub fn has(&self, long: &str) -> bool {
        self.flags.iter().any(|(l, _)| *l == long)
    }

    /// The last value given for a flag.
    pub fn value(&self, long: &str) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(l, _)| *l == long)
            .and_then(|(_, v)| v.as_deref())
    }

    /// Every value given for a repeatable flag.
    pub fn values(&self, long: &str) -> Vec<&str> {
        self.flags
            .iter()
            .filter(|(l, _)| *l == long)
            .filter_map(|(_, v)| v.as_deref())
            .collect()
    }

    /// A boolean flag: absent is `default`, bare is true, `=true`/`=false` as written.
    pub fn switch(&self, long: &str, default: bool) -> Result<bool, String> {
        match self.flags.iter().rev().find(|(l, _)| *l == long) {
            None => Ok(default),
            Some((_, None)) => Ok(true),
            Some((_, Some(v))) => match v.as_str() {
                "true" => Ok(true),
                "false" => Ok(false),
                other => Err(self.tool.error(format!(
                    "invalid argument {other:?} for \"--{long}\" flag: must be true or false"
                ))),
            },
        }
    }

    /// A flag kubectl or eksctl declares as `int` (Go's 64-bit int: `IntVar`, `IntP`):
    /// read as pflag reads it (`strconv.ParseInt(s, 0, 64)`), refused with its message.
    pub fn int(&self, long: &str) -> Result<Option<i64>, String> {
        self.go_int(long, 64)
    }

    /// A flag declared `int32` (`Int32Var`), read with `strconv.ParseInt(s, 0, 32)`.
    pub fn int32(&self, long: &str) -> Result<Option<i32>, String> {
        self.go_int(long, 32)
            .map(|v| v.map(|v| i32::try_from(v).unwrap_or_default()))
    }

    /// pflag's `invalid argument "x" for "-r, --replicas" flag: strconv.ParseInt: parsing
    /// "x": invalid syntax` (spf13/pflag v1.0.10, the version kubectl and eksctl build with).
    fn go_int(&self, long: &str, bits: u32) -> Result<Option<i64>, String> {
        let Some(v) = self.value(long) else {
            return Ok(None);
        };
        words::go_parse_int(v, bits).map(Some).map_err(|cause| {
            let name = match self.short(long) {
                Some(c) => format!("-{c}, --{long}"),
                None => format!("--{long}"),
            };
            self.tool
                .error(format!("invalid argument {v:?} for {name:?} flag: {cause}"))
        })
    }

    fn short(&self, long: &str) -> Option<char> {
        self.declared
            .iter()
            .find(|f| f.long == long)
            .and_then(|f| f.short)
    }

    pub fn required(&self, long: &str) -> Result<&str, String> {
        self.value(long).ok_or_else(|| match self.tool {
            Tool::Kubectl | Tool::Ekslab => self
                .tool
                .error(format!("required flag(s) \"{long}\" not set")),
            Tool::Eksctl => self.tool.error(format!("--{long} must be set")),
            Tool::Aws => self
                .tool
                .error(format!("the following arguments are required: --{long}")),
        })
    }

    /// The namespace from `-n`/`--namespace`, or the context's.
    pub fn namespace(&self, ctx: &CommandContext) -> String {
        self.value("namespace")
            .map_or_else(|| ctx.namespace.clone(), str::to_string)
    }
}

/// A Kubernetes version EKS offers, from a flag value (`1.35`, `v1.35`); the message names
/// the versions the lab knows.
pub(crate) fn kubernetes_version(text: &str) -> Result<KubernetesVersion, String> {
    let v = KubernetesVersion::parse(text)?;
    if version_info(v).is_none() {
        return Err(format!(
            "invalid version {text:?}: EKS versions the lab knows are {}",
            known_versions()
        ));
    }
    Ok(v)
}

/// An add-on the lab models, by its EKS name.
pub(crate) fn addon_name(text: &str) -> Result<AddonName, String> {
    AddonName::parse(text).ok_or_else(|| {
        let known: Vec<&str> = AddonName::KNOWN.iter().map(|a| a.as_str()).collect();
        format!(
            "unknown add-on {text:?}: the lab models {}",
            known.join(", ")
        )
    })
}

/// Every command the parser knows.
fn table() -> impl Iterator<Item = &'static Verb> {
    kubectl::VERBS
        .iter()
        .chain(eksctl::VERBS.iter())
        .chain(aws::VERBS.iter())
        .chain(ekslab::VERBS.iter())
}

/// Flags every command of a tool takes.
fn globals(tool: Tool) -> &'static [Flag] {
    match tool {
        Tool::Kubectl => kubectl::GLOBAL_FLAGS,
        Tool::Eksctl => eksctl::GLOBAL_FLAGS,
        Tool::Aws => aws::GLOBAL_FLAGS,
        Tool::Ekslab => ekslab::GLOBAL_FLAGS,
    }
}

fn matches_word(pattern: &str, word: &str) -> bool {
    pattern.split('|').any(|p| p == word)
}

/// Parses one command line.
pub fn parse_command(line: &str, ctx: &CommandContext) -> Result<Command, String> {
    crate::limits::check::command_bytes(line.len()).map_err(|e| format!("error: {e}"))?;
    // A line the shell cannot split never reaches a tool: the shell answers.
    let words = tokenize(line).map_err(|e| format!("bash: {e}"))?;
    let Some((program, rest)) = words.split_first() else {
        return Err("empty command".to_string());
    };
    let tool = match program.as_str() {
        "kubectl" => Tool::Kubectl,
        "eksctl" => Tool::Eksctl,
        "aws" => Tool::Aws,
        "ekslab" => Tool::Ekslab,
        other => {
            return Err(format!(
                "{other}: command not found (the lab runs kubectl, eksctl, aws and its own ekslab commands)"
            ));
        }
    };
    // Every flag of the tool, to know which flags take a value before the verb is known.
    let mut all: Vec<Flag> = globals(tool).to_vec();
    all.extend(
        table()
            .filter(|v| v.tool == tool)
            .flat_map(|v| v.flags.iter().copied()),
    );
    // `kubectl get pods -o wide`: say the command is unsupported, not that `-o` is unknown.
    let (positionals, flags) = split_flags(tool, rest, &all)
        .map_err(|e| unsupported(tool, &plain_words(tool, rest)).unwrap_or(e))?;
    let verbs: Vec<&Verb> = table().filter(|v| v.tool == tool).collect();
    let verb = verbs
        .iter()
        .filter(|v| {
            v.path.len() <= positionals.len()
                && v.path
                    .iter()
                    .zip(&positionals)
                    .all(|(p, w)| matches_word(p, w))
        })
        .max_by_key(|v| v.path.len())
        .copied();
    let Some(verb) = verb else {
        return Err(unknown_command(tool, &verbs, &positionals));
    };
    for (long, _) in &flags {
        if !verb
            .flags
            .iter()
            .chain(globals(tool))
            .any(|f| f.long == *long)
        {
            return Err(tool.unknown_flag(long));
        }
    }
    // The AWS CLI takes no positional words after the operation.
    if tool == Tool::Aws
        && let Some(extra) = positionals.get(verb.path.len())
    {
        return Err(tool.error(format!("Unknown options: {extra}")));
    }
    let args = Args {
        tool,
        positionals: positionals[verb.path.len()..].to_vec(),
        flags,
        declared: verb.flags,
    };
    (verb.build)(&args, ctx)
}

/// `error: unknown command "foo" for "kubectl"` (or `for "eksctl create"`).
fn unknown_command(tool: Tool, verbs: &[&Verb], positionals: &[String]) -> String {
    if tool == Tool::Aws {
        return aws::unknown_command(verbs, positionals);
    }
    let Some(first) = positionals.first() else {
        return tool.error(format!(
            "a command is required: {} <command> [flags]",
            tool.name()
        ));
    };
    if let Some(msg) = unsupported(tool, positionals) {
        return msg;
    }
    let known_first = verbs
        .iter()
        .any(|v| v.path.first().is_some_and(|p| matches_word(p, first)));
    if !known_first {
        return tool.error(format!("unknown command {first:?} for \"{}\"", tool.name()));
    }
    match positionals.get(1) {
        Some(second) => tool.error(format!(
            "unknown command {second:?} for \"{} {first}\"",
            tool.name()
        )),
        None => tool.error(format!("\"{} {first}\" needs a sub-command", tool.name())),
    }
}

/// Real commands the lab does not run (yet): a clearer message than "unknown command".
fn unsupported(tool: Tool, positionals: &[String]) -> Option<String> {
    const KUBECTL: &[&str] = &[
        "apply",
        "get",
        "describe",
        "top",
        "logs",
        "exec",
        "edit",
        "patch",
        "label",
        "annotate",
        "autoscale",
        "expose",
        "run",
        "port-forward",
        "explain",
        "config",
        "version",
        "cluster-info",
        "taint",
        "replace",
        "wait",
        "events",
        "api-resources",
        "auth",
        "diff",
        "kustomize",
        "cp",
        "attach",
        "proxy",
        "certificate",
        "debug",
    ];
    const EKSCTL: &[&str] = &[
        "get",
        "drain",
        "enable",
        "set",
        "unset",
        "info",
        "version",
        "completion",
        "register",
        "deregister",
        "associate",
        "disassociate",
        "anywhere",
    ];
    const EKSCTL_RESOURCES: &[&str] = &[
        "cluster",
        "addon",
        "iamserviceaccount",
        "iamidentitymapping",
        "podidentityassociation",
        "accessentry",
        "nodegroup",
        "fargateprofile",
        "labels",
    ];
    if tool == Tool::Aws {
        return aws::unsupported(positionals);
    }
    let first = positionals.first()?.as_str();
    let words = match tool {
        Tool::Kubectl if KUBECTL.contains(&first) => first.to_string(),
        Tool::Eksctl if EKSCTL.contains(&first) => first.to_string(),
        Tool::Eksctl if ["create", "delete", "update", "upgrade", "utils"].contains(&first) => {
            let second = positionals.get(1)?.as_str();
            let known = first == "utils" || EKSCTL_RESOURCES.contains(&second);
            if !known {
                return None;
            }
            format!("{first} {second}")
        }
        _ => return None,
    };
    Some(tool.error(format!(
        "\"{} {words}\" is not supported by the lab yet",
        tool.name()
    )))
}

/// The words that are neither flags nor values of global flags, for messages when the flags
/// themselves do not parse.
fn plain_words(tool: Tool, words: &[String]) -> Vec<String> {
    let mut skip = false;
    let mut out = Vec::new();
    for w in words {
        if std::mem::take(&mut skip) {
            continue;
        }
        if w.starts_with('-') {
            skip = globals(tool).iter().any(|f| {
                f.value
                    && (*w == format!("--{}", f.long)
                        || f.short.is_some_and(|c| *w == format!("-{c}")))
            });
        } else {
            out.push(w.clone());
        }
    }
    out
}

/// Flags as given, by long name, with their values.
type FlagValues = Vec<(&'static str, Option<String>)>;

/// Separates flags from positional words, resolving short flags and values.
fn split_flags(
    tool: Tool,
    words: &[String],
    all: &[Flag],
) -> Result<(Vec<String>, FlagValues), String> {
    let mut positionals = Vec::new();
    let mut flags = Vec::new();
    let mut i = 0;
    let mut only_positionals = false;
    while let Some(w) = words.get(i) {
        i += 1;
        if only_positionals || !w.starts_with('-') || w == "-" {
            positionals.push(w.clone());
            continue;
        }
        if w == "--" {
            only_positionals = true;
            continue;
        }
        let (f, inline) = if let Some(long) = w.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let f = all
                .iter()
                .find(|f| f.long == name)
                .ok_or_else(|| tool.unknown_flag(name))?;
            (f, value)
        } else {
            let mut cs = w.chars().skip(1);
            let c = cs.next().unwrap_or('-');
            let rest: String = cs.collect();
            let f = all
                .iter()
                .find(|f| f.short == Some(c))
                .ok_or_else(|| tool.error(format!("unknown shorthand flag: '{c}' in {w}")))?;
            let value = if rest.is_empty() {
                None
            } else {
                Some(rest.strip_prefix('=').unwrap_or(&rest).to_string())
            };
            (f, value)
        };
        let value = match (f.value, inline) {
            (true, Some(v)) => Some(v),
            (true, None) => {
                let v = words.get(i).ok_or_else(|| tool.missing_value(f.long))?;
                i += 1;
                Some(v.clone())
            }
            (false, v) => v,
        };
        flags.push((f.long, value));
    }
    Ok((positionals, flags))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_unknown_lines() {
        let ctx = CommandContext::new("lab");
        assert_eq!(parse_command("  ", &ctx).unwrap_err(), "empty command");
        assert_eq!(parse_command("# hi", &ctx).unwrap_err(), "empty command");
        assert_eq!(
            parse_command("kubectl foo", &ctx).unwrap_err(),
            "error: unknown command \"foo\" for \"kubectl\""
        );
        assert_eq!(
            parse_command("eksctl frobnicate", &ctx).unwrap_err(),
            "Error: unknown command \"frobnicate\" for \"eksctl\""
        );
        assert_eq!(
            parse_command("kubectl get pods -o wide", &ctx).unwrap_err(),
            "error: \"kubectl get\" is not supported by the lab yet"
        );
        assert_eq!(
            parse_command("kubectl -n shop describe pod web", &ctx).unwrap_err(),
            "error: \"kubectl describe\" is not supported by the lab yet"
        );
        assert_eq!(
            parse_command("eksctl create cluster -f lab.yaml", &ctx).unwrap_err(),
            "Error: \"eksctl create cluster\" is not supported by the lab yet"
        );
        assert_eq!(
            parse_command("eksctl create banana", &ctx).unwrap_err(),
            "Error: unknown command \"banana\" for \"eksctl create\""
        );
        assert!(
            parse_command("helm install x", &ctx)
                .unwrap_err()
                .starts_with("helm: command not found")
        );
    }

    #[test]
    fn flags_are_checked_per_command() {
        let ctx = CommandContext::new("lab");
        assert_eq!(
            parse_command("kubectl scale deployment web --replica=3", &ctx).unwrap_err(),
            "error: unknown flag: --replica"
        );
        assert_eq!(
            parse_command("kubectl cordon n1 --replicas=3", &ctx).unwrap_err(),
            "error: unknown flag: --replicas"
        );
        assert_eq!(
            parse_command("kubectl scale deployment web --replicas", &ctx).unwrap_err(),
            "error: flag needs an argument: --replicas"
        );
        assert_eq!(
            parse_command("kubectl drain n1 -z", &ctx).unwrap_err(),
            "error: unknown shorthand flag: 'z' in -z"
        );
    }
}
