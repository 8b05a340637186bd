//! Saving and sharing a lab: the autosave kept in the browser's storage and the share link.
//!
//! Both hold the same thing: a scenario file (the lab's spec, with every action the learner
//! took folded into its timeline at the simulated second it happened) and the simulated time
//! reached. The simulation is deterministic, so replaying that file to that time rebuilds the
//! exact same cluster. Everything read back is checked: a corrupt or oversized save or link
//! gives a message naming the problem, never a panic.

use serde::{Deserialize, Serialize};

use crate::scenario;
use crate::sim::clock::{SimDuration, SimTime};
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

/// A lab ready to rebuild: its spec and the time to replay it to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub spec: LabSpec,
    pub time: SimTime,
    pub speed: usize,
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
pub fn decode_save(text: &str) -> Result<Restored, String> {
    if text.len() > MAX_SAVE_BYTES {
        return Err(format!(
            "the saved lab is {} KB, more than the {} KB limit",
            text.len() / 1024,
            MAX_SAVE_BYTES / 1024
        ));
    }
    let saved: SavedLab =
        serde_json::from_str(text).map_err(|e| format!("the saved lab is not readable ({e})"))?;
    if saved.format != FORMAT || saved.version != 1 {
        return Err(format!(
            "the saved lab has an unknown format ({} v{})",
            saved.format, saved.version
        ));
    }
    restore(&saved.scenario, saved.time_ms, saved.speed)
}

fn restore(yaml: &str, time_ms: u64, speed: usize) -> Result<Restored, String> {
    if time_ms > MAX_REPLAY.as_millis() {
        return Err(format!(
            "the lab asks to replay {} of simulated time; the limit is 30 days",
            SimDuration(time_ms)
        ));
    }
    let loaded = scenario::load(yaml).map_err(|diags| {
        let first = diags
            .iter()
            .find(|d| d.severity == scenario::Severity::Error)
            .or(diags.first());
        first.map_or_else(
            || "the lab's scenario has errors".to_string(),
            |d| format!("the lab's scenario has an error: {d}"),
        )
    })?;
    crate::sim::Simulation::new(loaded.spec.clone())
        .map_err(|e| format!("the lab cannot be built: {e}"))?;
    Ok(Restored {
        spec: loaded.spec,
        time: SimTime(time_ms),
        speed,
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
pub fn decode_fragment(fragment: &str) -> Result<Option<Restored>, String> {
    let f = fragment.trim_start_matches('#');
    let mut lab = None;
    let mut t = 0u64;
    for part in f.split('&') {
        if let Some(v) = part.strip_prefix("lab=") {
            lab = Some(v);
        } else if let Some(v) = part.strip_prefix("t=") {
            t = v
                .parse()
                .map_err(|_| format!("the share link's time {v:?} is not a number of seconds"))?;
        }
    }
    let Some(encoded) = lab else { return Ok(None) };
    if encoded.len() > crate::limits::MAX_LINK_CHARS {
        return Err("the share link is too long to be a lab".to_string());
    }
    let bytes =
        base64url_decode(encoded).map_err(|e| format!("the share link is damaged ({e})"))?;
    let yaml = String::from_utf8(bytes)
        .map_err(|_| "the share link is damaged (not UTF-8 text)".to_string())?;
    restore(&yaml, t.saturating_mul(1000), 3).map(Some)
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

    #[test]
    fn corrupt_saves_and_links_give_messages() {
        assert!(
            decode_save("{not json")
                .unwrap_err()
                .contains("not readable")
        );
        assert!(
            decode_save(
                "{\"format\":\"x\",\"version\":1,\"scenario\":\"\",\"time_ms\":0,\"speed\":0}"
            )
            .unwrap_err()
            .contains("unknown format")
        );
        let huge = "x".repeat(MAX_SAVE_BYTES + 1);
        assert!(decode_save(&huge).unwrap_err().contains("limit"));
        let bad_yaml = serde_json::to_string(&SavedLab {
            format: FORMAT.into(),
            version: 1,
            scenario: "kind: [".into(),
            time_ms: 0,
            speed: 0,
        })
        .unwrap();
        assert!(decode_save(&bad_yaml).unwrap_err().contains("error"));
        let too_long = serde_json::to_string(&SavedLab {
            format: FORMAT.into(),
            version: 1,
            scenario: scenario::to_yaml(&crate::view::demo::demo_spec()),
            time_ms: MAX_REPLAY.as_millis() + 1,
            speed: 0,
        })
        .unwrap();
        assert!(decode_save(&too_long).unwrap_err().contains("30 days"));
        assert_eq!(decode_fragment("#debug-panic").unwrap(), None);
        assert!(decode_fragment("#lab=%%%").unwrap_err().contains("damaged"));
        assert!(
            decode_fragment("#lab=Zm9v&t=soon")
                .unwrap_err()
                .contains("not a number")
        );
        assert!(decode_fragment("#lab=Zm9v").unwrap_err().contains("error"));
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
