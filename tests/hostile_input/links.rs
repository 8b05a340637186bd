//! The share-link and save surface: links and saves of the examples and of mutated scenarios,
//! damaged (base64, times, JSON) into `view::persist::decode_fragment` and `decode_save`; each
//! refusal must say what is wrong.

use eks_lab::scenario;
use eks_lab::sim::clock::SimTime;
use eks_lab::sim::spec::LabSpec;
use eks_lab::view::persist;

use super::budget::Watchdog;
use super::findings::{Failure, Findings, judge};
use super::fuzz::{LINK_INPUTS, examples, rounds, seed};
use super::mutate::{self, Rng};

/// Decodes a mutant as a share link and as a save and judges the answers; `Ok(true)` when
/// either restored a lab.
fn check_link(dog: &Watchdog, text: &str) -> Result<bool, Failure> {
    let mut ok = false;
    let said = |e: &str| {
        if e.trim().is_empty() {
            Err("refused with an empty message".to_string())
        } else {
            Ok(())
        }
    };
    judge(
        dog,
        text.as_bytes(),
        || persist::decode_fragment(text).map(|r| r.is_some()),
        |r| {
            ok |= r == Ok(true);
            r.map_or_else(|e| said(&e.message), |_| Ok(()))
        },
    )?;
    judge(
        dog,
        text.as_bytes(),
        || persist::decode_save(text).map(|_| ()),
        |r| {
            ok |= r.is_ok();
            r.map_or_else(|e| said(&e.message), |()| Ok(()))
        },
    )?;
    Ok(ok)
}

/// A JSON string for `text`.
fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// Mutated share links and saves, of the examples and of mutated scenarios, into
/// `decode_fragment` and `decode_save`.
pub fn links(findings: &mut Findings) -> usize {
    let dog = Watchdog::new("links");
    let corpus: Vec<Vec<u8>> = examples().into_iter().map(|(_, b)| b).collect();
    let mut specs: Vec<LabSpec> = corpus
        .iter()
        .filter_map(|b| scenario::load_bytes(b).ok().map(|l| l.spec))
        .collect();
    let mut rng = Rng::new(seed() ^ 0x11_4b);
    let count = rounds(LINK_INPUTS);
    // Labs that load after a mutation: their links are valid links of odd labs.
    for _ in 0..400 {
        if specs.len() >= corpus.len() + 40 {
            break;
        }
        let mut b = rng.pick(&corpus).clone();
        mutate::mutate_scenario(&mut rng, &mut b, &corpus);
        if let Ok(l) = scenario::load_bytes(&b) {
            specs.push(l.spec);
        }
    }
    let max_secs = persist::MAX_REPLAY.as_millis() / 1000;
    let mut restored = 0;
    for _ in 0..count {
        let text = match rng.below(10) {
            // A real link, then damaged.
            0..=3 => {
                let spec = rng.pick(&specs);
                let t = if rng.chance(80) {
                    rng.next() % 3600
                } else {
                    rng.next() % (2 * max_secs)
                };
                let fragment = persist::share_fragment(spec, SimTime::from_secs(t));
                let (lab, time) = fragment.split_once("&t=").unwrap_or((&fragment, "0"));
                let mut lab = lab.trim_start_matches("lab=").to_string();
                if rng.chance(60) {
                    mutate_base64(&mut rng, &mut lab);
                }
                let time = if rng.chance(50) {
                    (*rng.pick(HOSTILE_TIMES)).to_string()
                } else {
                    time.to_string()
                };
                match rng.below(4) {
                    0 => format!("#t={time}&lab={lab}"),
                    1 => format!("#lab={lab}&t={time}&lab={lab}"),
                    _ => format!("#lab={lab}&t={time}"),
                }
            }
            // A link to a mutated scenario, whatever its bytes.
            4..=6 => {
                let mut b = rng.pick(&corpus).clone();
                for _ in 0..=rng.below(3) {
                    mutate::mutate_scenario(&mut rng, &mut b, &corpus);
                }
                format!(
                    "#lab={}&t={}",
                    persist::base64url_encode(&b),
                    rng.pick(HOSTILE_TIMES)
                )
            }
            // A save, damaged or holding a mutated scenario.
            7 | 8 => {
                let spec = rng.pick(&specs);
                let save =
                    persist::encode_save(spec, SimTime::from_secs(rng.next() % 3600), rng.below(6));
                let mut b = save.into_bytes();
                match rng.below(4) {
                    0 => {
                        for _ in 0..=rng.below(3) {
                            let at = rng.below(b.len());
                            b[at] = *rng.pick(b"{}[]\",:0 \\x");
                        }
                    }
                    1 => {
                        let at = rng.below(b.len() + 1);
                        b.truncate(at);
                    }
                    _ => {
                        let mut m = rng.pick(&corpus).clone();
                        mutate::mutate_scenario(&mut rng, &mut m, &corpus);
                        let time = rng.pick(mutate::BOUNDARY_NUMBERS);
                        let speed = rng.pick(mutate::BOUNDARY_NUMBERS);
                        b = format!(
                            "{{\"format\":\"ekslab-save\",\"version\":1,\"scenario\":{},\"time_ms\":{time},\"speed\":{speed}}}",
                            json_string(&String::from_utf8_lossy(&m))
                        )
                        .into_bytes();
                    }
                }
                String::from_utf8_lossy(&b).into_owned()
            }
            // Junk.
            _ => match rng.below(4) {
                0 => format!(
                    "#lab={}",
                    "A".repeat(persist::MAX_SAVE_BYTES.min(3 << 20) + rng.below(3))
                ),
                1 => "[".repeat(100_000),
                2 => format!(
                    "{{\"format\":\"ekslab-save\",\"version\":1,\"scenario\":\"{}\",\"time_ms\":0,\"speed\":0}}",
                    "\\u0000".repeat(rng.below(10_000))
                ),
                _ => (0..rng.below(200))
                    .map(|_| char::from(b' ' + (rng.next() % 95) as u8))
                    .collect(),
            },
        };
        match check_link(&dog, &text) {
            Ok(true) => restored += 1,
            Ok(false) => {}
            Err(f) => findings.add(f, text.as_bytes()),
        }
    }
    println!("share links and saves: {restored} of {count} mutants restore a lab");
    assert!(restored >= count / 20, "only {restored} mutants restore");
    println!("share links and saves: {}", dog.worst());
    findings.shrink(|input| check_link(&dog, &String::from_utf8_lossy(input)).err());
    count
}
/// Applies one mutation to base64url text.
pub fn mutate_base64(rng: &mut Rng, text: &mut String) {
    let mut b = std::mem::take(text).into_bytes();
    match rng.below(6) {
        0 => {
            if !b.is_empty() {
                let at = rng.below(b.len());
                b[at] = *rng.pick(b"!%+/= .\n~\xc3");
                // A lone UTF-8 lead byte would not be a string: keep it text.
                if b[at] >= 0x80 {
                    b[at] = b'?';
                }
            }
        }
        1 => {
            if !b.is_empty() {
                let at = rng.below(b.len());
                b[at] = *rng.pick(b"ABCDEFabcdef0189-_");
            }
        }
        2 => {
            let at = rng.below(b.len() + 1);
            b.truncate(at);
        }
        3 => {
            let at = rng.below(b.len() + 1);
            b.splice(
                at..at,
                rng.pick(&[&b"="[..], b"==", b"A", b"AB", b"%3D", b"&", b"&t=5"])
                    .iter()
                    .copied(),
            );
        }
        4 => {
            // One character too many for a whole number of bytes.
            b.push(b'A');
        }
        _ => {
            let at = rng.below(b.len() + 1);
            b.splice(
                at..at,
                std::iter::repeat_n(b'A', *rng.pick(&[1, 4, 1000, 100_000])),
            );
        }
    }
    *text = String::from_utf8(b).unwrap_or_default();
}

/// Hostile share-link times.
pub const HOSTILE_TIMES: &[&str] = &[
    "0",
    "1",
    "-1",
    "",
    "2592000",
    "2592001",
    "99999999999999",
    "18446744073709551615",
    "18446744073709551616",
    "1e9",
    "1.5",
    "0x10",
    " 5",
    "5 ",
    "+5",
    "soon",
    "٣",
];

/// A hostile share link opens a paused lab with a message, within a second of work: whatever
/// it asks for, decoding it and building the lab takes no step of the simulation (a replay
/// to its time runs later, in slices the page can stop).
#[test]
fn hostile_links_open_a_paused_lab_with_a_message_within_a_second() {
    let spec = eks_lab::view::demo::demo_spec();
    let good = persist::share_fragment(&spec, SimTime::EPOCH);
    let payload = good
        .strip_prefix("lab=")
        .and_then(|r| r.split('&').next())
        .unwrap();
    let many = format!(
        "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {{name: big}}\n{}",
        super::limits::concat((0..2000).map(|i| format!(
            "---
apiVersion: v1
kind: Namespace
metadata: {{name: ns-{i}}}
"
        )))
    );
    let bomb = {
        let mut l = vec!["a: &a [x, x, x, x, x, x, x, x, x, x]".to_string()];
        for i in 0..9 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            l.push(format!(
                "l{i}: &l{i} [{}]",
                vec![format!("*{prev}"); 10].join(", ")
            ));
        }
        l.join("\n")
    };
    let encode = |text: &str| persist::base64url_encode(text.as_bytes());
    let cases: Vec<(&str, String)> = vec![
        (
            "a time past 30 days",
            format!("#lab={payload}&t=999999999999"),
        ),
        (
            "a time no u64 holds",
            format!("#lab={payload}&t=99999999999999999999999"),
        ),
        ("a negative time", format!("#lab={payload}&t=-1")),
        (
            "a time that is not a number",
            format!("#lab={payload}&t=tomorrow"),
        ),
        ("damaged base64", format!("#lab={}!!&t=5", &payload[..100])),
        (
            "not UTF-8",
            format!(
                "#lab={}&t=5",
                persist::base64url_encode(&[0xff, 0xfe, 0x00])
            ),
        ),
        ("an alias bomb", format!("#lab={}&t=5", encode(&bomb))),
        (
            "a link past the limit",
            format!("#lab={}", "A".repeat(eks_lab::limits::MAX_LINK_CHARS + 1)),
        ),
        (
            "a valid lab of 2,000 namespaces",
            format!("#lab={}&t=60", encode(&many)),
        ),
    ];
    for (what, link) in cases {
        let t0 = std::time::Instant::now();
        let opened = persist::decode_fragment(&link);
        let lab = match &opened {
            Ok(Some(r)) => Some(eks_lab::sim::Simulation::new(r.spec.clone()).unwrap()),
            _ => None,
        };
        let took = t0.elapsed();
        assert!(took < std::time::Duration::from_secs(1), "{what}: {took:?}");
        if let Some(lab) = lab {
            assert_eq!(lab.now(), SimTime::EPOCH, "{what}: no step was taken");
        }
        match opened {
            Ok(Some(r)) if what.starts_with("a valid lab") => {
                assert_eq!((r.time.as_secs(), r.notice), (60, None), "{what}");
            }
            Ok(Some(r)) => {
                assert_eq!(r.time, SimTime::EPOCH, "{what}: opened at its start");
                let n = r.notice.unwrap_or_default();
                assert!(n.contains("open at its start, paused"), "{what}: {n}");
            }
            Ok(None) => panic!("{what}: not read as a link"),
            Err(u) => {
                assert!(!u.message.is_empty(), "{what}");
                assert!(!u.text.is_empty(), "{what}: its text is kept to download");
            }
        }
    }
}
