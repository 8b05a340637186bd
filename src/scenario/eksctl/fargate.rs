//! eksctl `fargateProfiles[]`: selectors by namespace and labels, within the EKS quotas.

use std::collections::BTreeMap;

use super::schema::{FARGATE_PROFILE, FARGATE_SELECTOR, open};
use super::vpc::{SubnetMap, fargate_subnets};
use crate::scenario::decode::{Obj, Sink, join};
use crate::scenario::yaml::Node;
use crate::sim::eks::FargateProfileSelector;
use crate::sim::eks::quotas::{
    MAX_FARGATE_PROFILES, MAX_LABELS_PER_SELECTOR, MAX_SELECTORS_PER_PROFILE,
};
use crate::sim::spec::FargateProfileSpec;

/// `fargateProfiles[]`, checked for duplicates and the per-cluster quota; their `subnets` are
/// checked against the cluster's.
pub(crate) fn decode_fargate_profiles(
    sink: &mut Sink,
    top: &Obj<'_>,
    subnets: &SubnetMap,
) -> Vec<FargateProfileSpec> {
    let mut out: Vec<FargateProfileSpec> = Vec::new();
    for (p, n) in top.seq(sink, "fargateProfiles") {
        let Some(fp) = decode_in(sink, n, &p, Some(subnets)) else {
            continue;
        };
        if out.iter().any(|o| o.name == fp.name) {
            let mark = n.get("name").map_or(n.mark(), Node::mark);
            sink.error(
                mark,
                &join(&p, "name"),
                format!("Fargate profile {:?} is defined twice", fp.name),
            );
        } else if out.len() >= MAX_FARGATE_PROFILES {
            sink.error(
                n.mark(),
                &p,
                format!("at most {MAX_FARGATE_PROFILES} Fargate profiles per cluster (EKS quota)"),
            );
        } else {
            out.push(fp);
        }
    }
    out
}

/// One Fargate profile (of the timeline: its subnets are taken as written).
pub(crate) fn decode_fargate_profile(
    sink: &mut Sink,
    node: &Node,
    path: &str,
) -> Option<FargateProfileSpec> {
    decode_in(sink, node, path, None)
}

/// eksctl's profile name rules (validation.go `FargateProfile.Validate`), with its messages.
pub fn check_profile_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        Err("invalid Fargate profile: empty name".to_string())
    } else if name.starts_with(RESERVED_PREFIX) {
        Err(format!(
            "invalid Fargate profile {name:?}: name should NOT start with {RESERVED_PREFIX:?}"
        ))
    } else {
        Ok(())
    }
}

/// eksctl's `ReservedProfileNamePrefix`: names AWS keeps for itself.
const RESERVED_PREFIX: &str = "eks-";

fn decode_in(
    sink: &mut Sink,
    node: &Node,
    path: &str,
    subnets: Option<&SubnetMap>,
) -> Option<FargateProfileSpec> {
    let before = sink.error_count();
    let o = open(sink, node, path, &FARGATE_PROFILE)?;
    let name = o.str(sink, "name").unwrap_or_default();
    if let Err(e) = check_profile_name(&name) {
        sink.error(o.value_mark("name"), &o.at("name"), e);
        return None;
    }
    let mut selectors = Vec::new();
    let items = o.seq(sink, "selectors");
    if items.is_empty() {
        // eksctl's FargateProfile.Validate.
        sink.error(
            o.key_mark("selectors"),
            &o.at("selectors"),
            format!("invalid Fargate profile {name:?}: no profile selector"),
        );
    }
    if items.len() > MAX_SELECTORS_PER_PROFILE {
        sink.error(
            o.value_mark("selectors"),
            &o.at("selectors"),
            format!("at most {MAX_SELECTORS_PER_PROFILE} selectors per Fargate profile"),
        );
    }
    for (i, (p, n)) in items.into_iter().enumerate() {
        let Some(s) = open(sink, n, &p, &FARGATE_SELECTOR) else {
            continue;
        };
        let Some(namespace) = s.str(sink, "namespace").filter(|ns| !ns.is_empty()) else {
            sink.error(
                s.value_mark("namespace"),
                &s.at("namespace"),
                format!("invalid Fargate profile {name:?}: invalid profile selector at index #{i}: empty namespace"),
            );
            continue;
        };
        let labels: BTreeMap<String, String> = s.string_map(sink, "labels").unwrap_or_default();
        if labels.len() > MAX_LABELS_PER_SELECTOR {
            sink.error(
                s.value_mark("labels"),
                &s.at("labels"),
                format!("at most {MAX_LABELS_PER_SELECTOR} labels per selector"),
            );
        }
        selectors.push(FargateProfileSelector { namespace, labels });
    }
    let subnets = match subnets {
        Some(map) => fargate_subnets(sink, &o, map),
        None => o.string_list(sink, "subnets").unwrap_or_default(),
    };
    (sink.error_count() == before).then_some(FargateProfileSpec {
        name,
        selectors,
        subnets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(text: &str) -> (Option<FargateProfileSpec>, Sink) {
        let (root, mut sink) = crate::scenario::decode::first_document(text);
        (
            decode_fargate_profile(&mut sink, &root, "fargateProfiles[0]"),
            sink,
        )
    }

    #[test]
    fn selectors_need_a_namespace() {
        let (fp, sink) = decode(
            "name: fp\nselectors:\n  - namespace: batch\n    labels: {compute: fargate}\npodExecutionRoleARN: arn:aws:iam::1:role/x\n",
        );
        let fp = fp.unwrap();
        assert_eq!(
            fp.selectors[0].labels.get("compute").map(String::as_str),
            Some("fargate")
        );
        assert_eq!(sink.diags[0].path, "fargateProfiles[0].podExecutionRoleARN");
        let (fp, sink) = decode("name: fp\nselectors:\n  - labels: {a: b}\n");
        assert!(fp.is_none());
        assert_eq!(
            sink.diags[0].path,
            "fargateProfiles[0].selectors[0].namespace"
        );
        assert_eq!(
            sink.diags[0].message,
            "invalid Fargate profile \"fp\": invalid profile selector at index #0: empty namespace"
        );
    }

    #[test]
    fn quotas_are_checked() {
        let many = (0..6)
            .map(|i| format!("  - namespace: ns{i}\n"))
            .collect::<Vec<_>>()
            .concat();
        let (fp, sink) = decode(&format!("name: fp\nselectors:\n{many}"));
        assert!(fp.is_none());
        assert!(sink.diags[0].message.contains("at most 5 selectors"));
        let (_, sink) = decode("name: fp\nselectors: []\n");
        assert_eq!(
            sink.diags[0].message,
            "invalid Fargate profile \"fp\": no profile selector"
        );
    }
}
