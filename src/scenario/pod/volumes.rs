//! Pod volumes: what the lab models (emptyDir, hostPath, PVCs on EBS, configMap, secret) and
//! the other sources it only names.

use crate::scenario::decode::{Fields, Obj, Sink, join, obj, string};
use crate::scenario::yaml::Node;
use crate::sim::api::{Volume, VolumeSource};

/// Volume sources the lab names but does not simulate.
const OTHER_VOLUME_SOURCES: &[&str] = &[
    "projected",
    "downwardAPI",
    "nfs",
    "csi",
    "ephemeral",
    "awsElasticBlockStore",
    "gitRepo",
    "iscsi",
    "cephfs",
    "fc",
    "flexVolume",
    "glusterfs",
    "image",
    "rbd",
    "azureDisk",
    "azureFile",
    "gcePersistentDisk",
];

pub(super) fn volumes(sink: &mut Sink, s: &Obj<'_>) -> Vec<Volume> {
    let mut out: Vec<Volume> = Vec::new();
    let mut names = std::collections::BTreeSet::new();
    for (p, n) in s.seq(sink, "volumes") {
        let Some(v) = volume(sink, n, &p) else {
            continue;
        };
        if !names.insert(v.name.clone()) {
            sink.error(
                n.mark(),
                &join(&p, "name"),
                format!("Duplicate value: {:?}", v.name),
            );
            continue;
        }
        out.push(v);
    }
    out
}

fn volume(sink: &mut Sink, node: &Node, path: &str) -> Option<Volume> {
    let mut known = vec![
        "name",
        "emptyDir",
        "hostPath",
        "persistentVolumeClaim",
        "configMap",
        "secret",
    ];
    known.extend_from_slice(OTHER_VOLUME_SOURCES);
    let Node::Map { entries, .. } = node else {
        sink.error(
            node.mark(),
            path,
            format!("expected a mapping, got {}", node.describe()),
        );
        return None;
    };
    let mut sources = Vec::new();
    for (k, v) in entries {
        if k.text == "name" {
            continue;
        }
        if known.contains(&k.text.as_str()) {
            sources.push((k, v));
        } else {
            crate::scenario::decode::unknown_field(sink, k, path, &known);
        }
    }
    let name = node
        .get("name")
        .and_then(|n| string(sink, n, &join(path, "name")));
    let Some(name) = name else {
        sink.error(
            node.mark(),
            &join(path, "name"),
            "required field is missing",
        );
        return None;
    };
    let [(key, value)] = sources.as_slice() else {
        sink.error(node.mark(), path, "a volume needs exactly one source (emptyDir, hostPath, persistentVolumeClaim, configMap, secret, ...)");
        return None;
    };
    let p = join(path, &key.text);
    let source = match key.text.as_str() {
        "emptyDir" => {
            let e = obj(
                sink,
                value,
                &p,
                &Fields {
                    known: &["medium"],
                    unmodelled: &["sizeLimit"],
                    silent: &[],
                },
            )?;
            let medium = e.str(sink, "medium").unwrap_or_default();
            if !medium.is_empty() && medium != "Memory" {
                sink.error(
                    e.value_mark("medium"),
                    &e.at("medium"),
                    format!("Unsupported value: {medium:?}: supported values: \"\", \"Memory\""),
                );
                return None;
            }
            VolumeSource::EmptyDir {
                memory: medium == "Memory",
            }
        }
        "hostPath" => {
            let h = obj(sink, value, &p, &Fields::known(&["path", "type"]))?;
            h.req_str(sink, "path")?;
            VolumeSource::HostPath
        }
        "persistentVolumeClaim" => {
            let c = obj(sink, value, &p, &Fields::known(&["claimName", "readOnly"]))?;
            // EKS's default StorageClass (gp2/gp3) is backed by the EBS CSI driver.
            VolumeSource::PersistentVolumeClaim {
                claim_name: c.req_str(sink, "claimName")?,
                ebs: true,
            }
        }
        "configMap" => VolumeSource::ConfigMap,
        "secret" => VolumeSource::Secret,
        other => VolumeSource::Other(other.to_string()),
    };
    Some(Volume { name, source })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::yaml::parse_stream;

    fn decode(text: &str) -> (Vec<Volume>, Sink) {
        let root = parse_stream(text, 10)
            .unwrap()
            .documents
            .remove(0)
            .root
            .unwrap();
        let mut sink = Sink::default();
        let o = obj(&mut sink, &root, "spec", &Fields::known(&["volumes"])).unwrap();
        (volumes(&mut sink, &o), sink)
    }

    #[test]
    fn sources_map_to_the_lab_model() {
        let (v, sink) = decode(
            "volumes:\n  - {name: a, hostPath: {path: /var/log}}\n  - {name: b, configMap: {name: cfg}}\n  - {name: c, secret: {secretName: s}}\n  - {name: d, emptyDir: {}}\n",
        );
        assert!(sink.diags.is_empty(), "{:?}", sink.diags);
        let got: Vec<VolumeSource> = v.into_iter().map(|v| v.source).collect();
        assert_eq!(
            got,
            [
                VolumeSource::HostPath,
                VolumeSource::ConfigMap,
                VolumeSource::Secret,
                VolumeSource::EmptyDir { memory: false }
            ]
        );
    }

    #[test]
    fn one_source_per_volume_and_unique_names() {
        let (_, sink) = decode(
            "volumes:\n  - {name: a, emptyDir: {}, secret: {}}\n  - {name: b}\n  - {name: c, emptyDir: {}}\n  - {name: c, emptyDir: {}}\n",
        );
        let msgs: Vec<&str> = sink.diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(msgs.len(), 3, "{msgs:?}");
        assert!(msgs[0].contains("exactly one source"));
        assert!(msgs[2].contains("Duplicate value"));
    }
}
