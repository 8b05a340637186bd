//! Node group taints: a list of `{key, value, effect}`, or for self-managed groups eksctl's
//! legacy map form `key: value:Effect`.

use crate::scenario::decode::{Sink, join, seq, string};
use crate::scenario::eksctl::schema::{TAINT, open};
use crate::scenario::yaml::{Mark, Node};
use crate::sim::api::{Taint, TaintEffect};

/// Taints: a list of `{key, value, effect}`; self-managed groups also take eksctl's legacy
/// map form `key: value:Effect`.
pub(super) fn taints(sink: &mut Sink, node: &Node, path: &str, managed: bool) -> Vec<Taint> {
    let mut out = Vec::new();
    let effect = |sink: &mut Sink, text: &str, mark: Mark, p: &str| {
        TaintEffect::parse(text).or_else(|| {
            sink.error(
                mark,
                p,
                format!(
                    "invalid taint effect {text:?}: use NoSchedule, PreferNoSchedule or NoExecute"
                ),
            );
            None
        })
    };
    if let (Node::Map { entries, .. }, false) = (node, managed) {
        for (k, v) in entries {
            let p = join(path, &k.text);
            let Some(text) = string(sink, v, &p).or_else(|| v.is_null().then(String::new)) else {
                continue;
            };
            let Some((value, eff)) = text.rsplit_once(':') else {
                sink.error(
                    v.mark(),
                    &p,
                    format!(
                        "invalid taint {text:?}: expected value:Effect, e.g. \"true:NoSchedule\""
                    ),
                );
                continue;
            };
            if let Some(e) = effect(sink, eff, v.mark(), &p) {
                out.push(Taint::new(&k.text, value, e));
            }
        }
        return out;
    }
    for (p, n) in seq(sink, node, path) {
        let Some(t) = open(sink, n, &p, &TAINT) else {
            continue;
        };
        let Some(key) = t.req_str(sink, "key") else {
            continue;
        };
        let value = t.str(sink, "value").unwrap_or_default();
        let Some(eff) = t.req_str(sink, "effect") else {
            continue;
        };
        if let Some(e) = effect(sink, &eff, t.value_mark("effect"), &t.at("effect")) {
            out.push(Taint::new(&key, &value, e));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::yaml::parse_stream;

    fn decode(text: &str, managed: bool) -> (Vec<Taint>, Sink) {
        let root = parse_stream(text, 10)
            .unwrap()
            .documents
            .remove(0)
            .root
            .unwrap();
        let mut sink = Sink::default();
        (taints(&mut sink, &root, "taints", managed), sink)
    }

    #[test]
    fn list_and_legacy_map_forms() {
        let (t, _) = decode(
            "- {key: a, value: b, effect: NO_EXECUTE}\n- {key: c, effect: NoSchedule}\n",
            true,
        );
        assert_eq!(
            t,
            [
                Taint::new("a", "b", TaintEffect::NoExecute),
                Taint::new("c", "", TaintEffect::NoSchedule)
            ]
        );
        let (t, _) = decode(
            "dedicated: \"gpu:NoSchedule\"\nspecial: \":PreferNoSchedule\"\n",
            false,
        );
        assert_eq!(
            t,
            [
                Taint::new("dedicated", "gpu", TaintEffect::NoSchedule),
                Taint::new("special", "", TaintEffect::PreferNoSchedule)
            ]
        );
    }

    #[test]
    fn bad_effects_and_forms_are_errors() {
        let (_, sink) = decode("- {key: a, effect: Sometimes}\n", true);
        assert!(
            sink.diags[0]
                .message
                .starts_with("invalid taint effect \"Sometimes\"")
        );
        let (_, sink) = decode("dedicated: gpu\n", false);
        assert!(sink.diags[0].message.contains("expected value:Effect"));
        let (_, sink) = decode("dedicated: \"gpu:NoSchedule\"\n", true);
        assert!(sink.diags[0].message.contains("expected a list"));
    }
}
