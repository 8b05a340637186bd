//! Saving and sharing a lab: the autosave kept in the browser's storage and the share link.
//!
//! Both hold the same thing: a scenario file (the lab's spec, with every action the learner
//! took folded into its timeline at the simulated second it happened) and the simulated time
//! reached. The simulation is deterministic, so replaying that file to that time rebuilds the
//! exact same cluster. Everything read back is checked: a corrupt or oversized save or link
//! gives a message naming the problem, never a panic.

use serde::{Deserialize, Serialize};

use crate::scenario;
use crate::sim::clock::SimTime;
use crate::sim::spec::LabSpec;

/// The storage key of the autosave.
pub const STORAGE_KEY: &str = "ekslab.lab.v1";
/// Where a save that could not be read is kept, so nothing the learner built is lost.
pub const CORRUPT_KEY: &str = "ekslab.lab.v1.unreadable";
pub use crate::limits::{MAX_SAVE_BYTES, MAX_SIM_TIME as MAX_REPLAY};

/// What is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedLab {
    /// Always `ekslab-save`.
    pub format: String,
    pub version: u32,
    /// The scenario file, timeline included.
    pub scenario: String,
    /// Simulated milliseconds reached.
    pub time_ms: u64,
    /// Playback speed index.
    pub speed: usize,
}

/// A lab ready to rebuild: its spec, the time to replay it to, and what to tell the learner
/// about it (a time it could not be replayed to, say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub spec: LabSpec,
    pub time: SimTime,
    pub speed: usize,
    pub notice: Option<String>,
}

/// A save or link that could not be opened: why, and its text as it came, so the learner can
/// download it and nothing they built is lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub message: String,
    pub text: String,
}

impl Unreadable {
    fn new(message: impl Into<String>, text: &str) -> Unreadable {
        Unreadable {
            message: message.into(),
            text: text.to_string(),
        }
    }
}

const FORMAT: &str = "ekslab-save";

/// Serializes a lab for the autosave.
pub fn encode_save(spec: &LabSpec, time: SimTime, speed: usize) -> String {
    let saved = SavedLab {
        format: FORMAT.into(),
        version: 1,
        scenario: scenario::to_yaml(spec),
        time_ms: time.as_millis(),
        speed,
    };
    serde_json::to_string(&saved).unwrap_or_default()
}

/// Reads an autosave back.
pub fn decode_save(text: &str) -> Result<Restored, Unreadable> {
    if text.len() > MAX_SAVE_BYTES {
        return Err(Unreadable::new(
            format!(
                "the saved lab is {} KB, more than the lab's limit of {} KB",
                text.len() / 1024,
                MAX_SAVE_BYTES / 1024
            ),
            text,
        ));
    }
    let saved: SavedLab = serde_json::from_str(text)
        .map_err(|e| Unreadable::new(format!("the saved lab is not readable ({e})"), text))?;
    if saved.format != FORMAT || saved.version != 1 {
        return Err(Unreadable::new(
            format!(
                "the saved lab has an unknown format ({} v{})",
                saved.format, saved.version
            ),
            text,
        ));
    }
    restore(&saved.scenario, Ok(saved.time_ms), saved.speed)
}

/// Loads the scenario and decides the time to replay to. A time the lab cannot replay to (past
/// `MAX_REPLAY`, or not a number) opens the lab at its start, paused, with a notice saying why:
/// the scenario and its timeline are intact.
fn restore(yaml: &str, time_ms: Result<u64, String>, speed: usize) -> Result<Restored, Unreadable> {
    let loaded = scenario::load(yaml).map_err(|diags| {
        let errors: Vec<_> = diags
            .iter()
            .filter(|d| d.severity == scenario::Severity::Error)
            .collect();
        let message = match errors.as_slice() {
            [] => "the lab's scenario has errors".to_string(),
            [one] => format!("the lab's scenario has an error: {one}"),
            [first, rest @ ..] => format!(
                "the lab's scenario has {} errors, the first: {first}",
                rest.len() + 1
            ),
        };
        Unreadable::new(message, yaml)
    })?;
    crate::sim::Simulation::new(loaded.spec.clone())
        .map_err(|e| Unreadable::new(format!("the lab cannot be built: {e}"), yaml))?;
    let (time, notice) = match time_ms {
        Ok(ms) if ms <= MAX_REPLAY.as_millis() => (SimTime(ms), None),
        Ok(ms) => (
            SimTime::EPOCH,
            Some(format!(
                "This lab asks to be replayed to {} of simulated time; the lab replays at most {} days. It is open at its start, paused, with its timeline intact.",
                SimTime(ms),
                MAX_REPLAY.as_millis() / 86_400_000
            )),
        ),
        Err(why) => (
            SimTime::EPOCH,
            Some(format!(
                "{why}; the lab is open at its start, paused, with its timeline intact."
            )),
        ),
    };
    Ok(Restored {
        spec: loaded.spec,
        time,
        speed,
        notice,
    })
}

/// The URL fragment of a share link: `lab=<base64url scenario>&t=<seconds>`.
pub fn share_fragment(spec: &LabSpec, time: SimTime) -> String {
    format!(
        "lab={}&t={}",
        base64url_encode(scenario::to_yaml(spec).as_bytes()),
        time.as_secs()
    )
}

/// Reads a share link's fragment (with or without the leading `#`). `Ok(None)` when the
/// fragment is not a share link at all.
pub fn decode_fragment(fragment: &str) -> Result<Option<Restored>, Unreadable> {
    let f = fragment.trim_start_matches('#');
    let mut lab = None;
    let mut t: Result<u64, String> = Ok(0);
    for part in f.split('&') {
        if let Some(v) = part.strip_prefix("lab=") {
            lab = Some(v);
        } else if let Some(v) = part.strip_prefix("t=") {
            t = v
                .parse::<u64>()
                .ok()
                .and_then(|secs| secs.checked_mul(1000))
                .ok_or_else(|| {
                    let shown: String = v.chars().take(40).collect();
                    format!("The share link's time {shown:?} is not a number of seconds the lab can replay to")
                });
        }
    }
    let Some(encoded) = lab else { return Ok(None) };
    if encoded.len() > crate::limits::MAX_LINK_CHARS {
        return Err(Unreadable::new(
            format!(
                "the share link holds {} characters, more than the lab's limit of {} (a scenario of {} MiB)",
                encoded.len(),
                crate::limits::MAX_LINK_CHARS,
                crate::limits::MAX_TEXT_BYTES / (1024 * 1024)
            ),
            f,
        ));
    }
    let bytes = base64url_decode(encoded)
        .map_err(|e| Unreadable::new(format!("the share link is damaged ({e})"), f))?;
    let yaml = String::from_utf8(bytes).map_err(|e| {
        Unreadable::new(
            format!(
                "the share link is damaged (not UTF-8 text at byte {})",
                e.utf8_error().valid_up_to()
            ),
            f,
        )
    })?;
    restore(&yaml, t, 3).map(Some)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64 with the URL-safe alphabet and no padding (RFC 4648 §5).
pub fn base64url_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// Decodes unpadded base64url.
pub fn base64url_decode(text: &str) -> Result<Vec<u8>, String> {
    let mut vals = Vec::with_capacity(text.len());
    for (i, c) in text.bytes().enumerate() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            b'=' => break,
            _ => return Err(format!("unexpected character at position {}", i + 1)),
        };
        vals.push(u32::from(v));
    }
    if vals.len() % 4 == 1 {
        return Err("truncated".to_string());
    }
    let mut out = Vec::with_capacity(vals.len() * 3 / 4);
    for chunk in vals.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, v)| acc | (v << (18 - 6 * i)));
        out.push((n >> 16) as u8);
        if chunk.len() > 2 {
            out.push((n >> 8) as u8);
        }
        if chunk.len() > 3 {
            out.push(n as u8);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Simulation;

    #[test]
    fn base64url_round_trips_and_rejects_junk() {
        for s in ["", "a", "ab", "abc", "abcd", "hello, world", "ünïcødé ⎈"] {
            assert_eq!(
                base64url_decode(&base64url_encode(s.as_bytes())).unwrap(),
                s.as_bytes()
            );
        }
        assert_eq!(base64url_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64url_encode(b"fo"), "Zm8");
        assert!(
            base64url_decode("Zm9v!")
                .unwrap_err()
                .contains("position 5")
        );
        assert!(base64url_decode("Z").is_err());
    }

    #[test]
    fn a_save_restores_the_same_lab_at_the_same_time() {
        let spec = crate::view::demo::demo_spec();
        let text = encode_save(&spec, SimTime::from_secs(600), 2);
        let r = decode_save(&text).unwrap();
        assert_eq!(r.time, SimTime::from_secs(600));
        assert_eq!(r.speed, 2);
        let mut a = Simulation::new(spec).unwrap();
        a.step_until(SimTime::from_secs(600));
        let mut b = Simulation::new(r.spec).unwrap();
        b.step_until(r.time);
        assert_eq!(a.digest(), b.digest());
    }

    fn save_of(scenario: String, time_ms: u64) -> String {
        serde_json::to_string(&SavedLab {
            format: FORMAT.into(),
            version: 1,
            scenario,
            time_ms,
            speed: 0,
        })
        .unwrap()
    }

    #[test]
    fn corrupt_saves_and_links_give_messages_and_keep_their_text() {
        let e = decode_save("{not json").unwrap_err();
        assert!(e.message.contains("not readable"), "{}", e.message);
        assert_eq!(e.text, "{not json");
        assert!(
            decode_save(
                "{\"format\":\"x\",\"version\":1,\"scenario\":\"\",\"time_ms\":0,\"speed\":0}"
            )
            .unwrap_err()
            .message
            .contains("unknown format")
        );
        let bad_yaml = save_of("kind: [".into(), 0);
        let e = decode_save(&bad_yaml).unwrap_err();
        assert!(e.message.contains("has an error"), "{}", e.message);
        assert_eq!(e.text, "kind: [", "the scenario is kept for download");
        assert_eq!(decode_fragment("#debug-panic").unwrap(), None);
        let e = decode_fragment("#lab=%%%").unwrap_err();
        assert!(e.message.contains("damaged"));
        assert_eq!(e.text, "lab=%%%");
        assert!(
            decode_fragment("#lab=Zm9v")
                .unwrap_err()
                .message
                .contains("error")
        );
        let e = decode_fragment(&format!("#lab={}", base64url_encode(b"a: \xff"))).unwrap_err();
        assert_eq!(
            e.message,
            "the share link is damaged (not UTF-8 text at byte 3)"
        );
    }

    #[test]
    fn a_time_the_lab_cannot_replay_to_opens_it_at_the_start_paused() {
        let spec = crate::view::demo::demo_spec();
        let yaml = scenario::to_yaml(&spec);
        // At the limit: replayed to it.
        let r = decode_save(&save_of(yaml.clone(), MAX_REPLAY.as_millis())).unwrap();
        assert_eq!(
            (r.time.as_millis(), &r.notice),
            (MAX_REPLAY.as_millis(), &None)
        );
        // One past it: opened at the start, with a notice, the scenario intact.
        let r = decode_save(&save_of(yaml.clone(), MAX_REPLAY.as_millis() + 1)).unwrap();
        assert_eq!(r.time, SimTime::EPOCH);
        assert_eq!(r.spec, spec);
        assert_eq!(
            r.notice.as_deref(),
            Some(
                "This lab asks to be replayed to 30d 00:00:00 of simulated time; the lab replays at most 30 days. It is open at its start, paused, with its timeline intact."
            )
        );
        let enc = base64url_encode(yaml.as_bytes());
        for t in ["soon", "99999999999999999999", "18446744073709552", "-5"] {
            let r = decode_fragment(&format!("#lab={enc}&t={t}"))
                .unwrap()
                .unwrap();
            assert_eq!(r.time, SimTime::EPOCH, "t={t}");
            assert!(
                r.notice
                    .as_deref()
                    .is_some_and(|n| n.contains("is not a number of seconds")),
                "t={t}: {:?}",
                r.notice
            );
        }
        let r = decode_fragment(&format!("#lab={enc}&t=2592001"))
            .unwrap()
            .unwrap();
        assert_eq!(r.time, SimTime::EPOCH);
        assert!(r.notice.unwrap().contains("at most 30 days"));
        let r = decode_fragment(&format!("#lab={enc}&t=2592000"))
            .unwrap()
            .unwrap();
        assert_eq!((r.time.as_secs(), r.notice), (2_592_000, None));
    }

    #[test]
    fn oversized_saves_and_links_are_refused_at_the_limit_plus_one() {
        let huge = "x".repeat(MAX_SAVE_BYTES + 1);
        let e = decode_save(&huge).unwrap_err();
        assert!(
            e.message.contains("more than the lab's limit"),
            "{}",
            e.message
        );
        assert_eq!(e.text.len(), huge.len());
        let at_limit = "x".repeat(MAX_SAVE_BYTES);
        assert!(
            decode_save(&at_limit)
                .unwrap_err()
                .message
                .contains("not readable")
        );
        let long = format!("lab={}", "A".repeat(crate::limits::MAX_LINK_CHARS + 1));
        let e = decode_fragment(&long).unwrap_err();
        assert!(
            e.message.contains("more than the lab's limit"),
            "{}",
            e.message
        );
        // At the limit the link is decoded (and this one is not a scenario).
        let at = format!("lab={}", "A".repeat(crate::limits::MAX_LINK_CHARS));
        assert!(
            decode_fragment(&at)
                .unwrap_err()
                .message
                .contains("scenario")
        );
    }

    #[test]
    fn a_share_link_round_trips() {
        let spec = crate::view::demo::demo_spec();
        let frag = share_fragment(&spec, SimTime::from_secs(125));
        let r = decode_fragment(&format!("#{frag}")).unwrap().unwrap();
        assert_eq!(r.spec, spec);
        assert_eq!(r.time, SimTime::from_secs(125));
    }
}
