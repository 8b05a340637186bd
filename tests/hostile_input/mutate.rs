//! A seeded generator, boundary values, and the mutations the fuzz test applies to scenario
//! files (bytes and lines).

/// SplitMix64: small, fast and the same on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// In `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Numbers at and past the edges of the types the lab reads: int32, int64, uint64, float64,
/// durations and quantities.
pub const BOUNDARY_NUMBERS: &[&str] = &[
    "0",
    "-1",
    "1",
    "2147483647",
    "2147483648",
    "-2147483648",
    "-2147483649",
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999",
    "1e309",
    "-1e309",
    "1e-400",
    "1e3",
    "1E9",
    "0x7fffffff",
    "0x8000000000000000",
    "0o777777777777777777777777",
    ".inf",
    "-.inf",
    ".nan",
    "1.5",
    "0.0000000001",
    "-0",
    "+5",
    "007",
];

/// Durations, times and quantities at and past the edges.
pub const BOUNDARY_UNITS: &[&str] = &[
    "99999999999999d",
    "99999999999999h",
    "9999999999999999999s",
    "18446744073709551615ms",
    "2562047788015215h",
    "720h",
    "720h1ms",
    "30d",
    "-5m",
    "0s",
    "1h-1m",
    "1.5h",
    "1e3s",
    "999999999Ei",
    "8Ei",
    "1Ei",
    "9223372036854775807Mi",
    "99999999999999999999m",
    "0.0001m",
    "1e400",
    "100000001",
    "65536",
    "-80",
    "1ki",
    "1Ki",
    "5x",
];

/// YAML syntax that breaks or bends a file where it lands.
const YAML_PIECES: &[&str] = &[
    "[",
    "]",
    "{",
    "}",
    ":",
    ": ",
    "- ",
    "&a ",
    "*a",
    "*a ",
    "! ",
    "!!str ",
    "!!binary ",
    "!!int ",
    "|",
    ">",
    "|-",
    "'",
    "\"",
    "#",
    "\t",
    "\n",
    "---\n",
    "...\n",
    "? ",
    ",",
    "  ",
    "~",
    "null",
    "true",
    "é",
    "%YAML 1.2\n",
    "<<: *a\n",
    "<<: ",
    "\\",
    "\"\\u0000\"",
    "\"\\uD800\"",
    "@",
    "`",
    "&a [*a]",
    "&b {c: *b}",
    "? [a, b]\n: c\n",
];

/// Bytes that are not UTF-8, or characters that are awkward in YAML.
const HOSTILE_BYTES: &[&[u8]] = &[
    b"\xff",
    b"\xfe",
    b"\xc0\x80",
    b"\xed\xa0\x80",
    b"\xe2\x82",
    b"\xf4\x90\x80\x80",
    b"\x80",
    b"\0",
    b"\x01",
    b"\x1b[31m",
    b"\x7f",
    b"\r",
    b"\r\n",
    b"\x0b",
    b"\x0c",
    "\u{2028}".as_bytes(),
    "\u{85}".as_bytes(),
    "\u{feff}".as_bytes(),
    "\u{202e}".as_bytes(),
    "\u{fffd}".as_bytes(),
    "🙂".as_bytes(),
];

const BOMS: &[&[u8]] = &[
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xef\xbb\xbf\xef\xbb\xbf",
    b"\x00\x00\xfe\xff",
];

fn lines(text: &[u8]) -> Vec<Vec<u8>> {
    text.split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

/// The byte ranges of numbers (with a unit suffix, if any) in `text`.
fn number_spans(text: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if text[i].is_ascii_digit() && (i == 0 || !text[i - 1].is_ascii_alphanumeric()) {
            let start = i;
            while i < text.len() && (text[i].is_ascii_alphanumeric() || text[i] == b'.') {
                i += 1;
            }
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

/// An alias bomb: each level repeats the previous ten times.
pub fn alias_bomb(levels: usize, width: usize) -> String {
    let mut lines = vec![format!("b0: &b0 [{}]", vec!["lol"; width].join(", "))];
    for i in 1..=levels {
        let refs = vec![format!("*b{}", i - 1); width].join(", ");
        lines.push(format!("b{i}: &b{i} [{refs}]"));
    }
    lines.join("\n") + "\n"
}

/// An alias bomb by bytes: one long scalar, repeated.
pub fn byte_bomb(len: usize, copies: usize) -> String {
    format!(
        "s: &s {}\nmany: [{}]\n",
        "x".repeat(len),
        vec!["*s"; copies].join(", ")
    )
}

/// Applies one mutation to a scenario file. `others` are the other examples, for splices.
pub fn mutate_scenario(rng: &mut Rng, text: &mut Vec<u8>, others: &[Vec<u8>]) {
    let mut ls = lines(text);
    let n = ls.len().max(1);
    // Big inputs (alias bombs, megabyte keys, deep nesting, thousands of documents) cost a
    // debug build up to a second each: one mutation in a hundred and fifty is one, the rest
    // are small. The limit tests try each limit exactly.
    let kind = if rng.chance(1) && rng.chance(70) {
        14 + rng.below(3)
    } else if rng.chance(1) {
        21
    } else {
        match rng.below(19) {
            k @ 0..=13 => k,
            k => k + 3,
        }
    };
    match kind {
        // Byte flips.
        0 | 1 => {
            for _ in 0..=rng.below(4) {
                if !text.is_empty() {
                    let at = rng.below(text.len());
                    text[at] ^= 1 << rng.below(8);
                }
            }
            return;
        }
        2 => {
            let at = rng.below(text.len() + 1);
            text.splice(at..at, rng.pick(YAML_PIECES).bytes());
            return;
        }
        3 => {
            if !text.is_empty() {
                let at = rng.below(text.len());
                text.remove(at);
            }
            return;
        }
        // Lines: delete, duplicate, swap, indent or outdent.
        4 => {
            if !ls.is_empty() {
                let at = rng.below(ls.len());
                ls.remove(at);
            }
        }
        5 => {
            if !ls.is_empty() {
                let at = rng.below(ls.len());
                let line = ls[at].clone();
                for _ in 0..=rng.below(3) {
                    ls.insert(at, line.clone());
                }
            }
        }
        6 => {
            if ls.len() > 1 {
                let (a, b) = (rng.below(ls.len()), rng.below(ls.len()));
                ls.swap(a, b);
            }
        }
        7 => {
            if !ls.is_empty() {
                let at = rng.below(ls.len());
                if rng.chance(50) {
                    ls[at].splice(
                        0..0,
                        rng.pick(&[&b"  "[..], b" ", b"\t", b"    "])
                            .iter()
                            .copied(),
                    );
                } else {
                    let cut = ls[at].iter().take_while(|b| **b == b' ').count().min(2);
                    ls[at].drain(..cut);
                }
            }
        }
        // Splices between examples.
        8 | 9 => {
            let other = lines(&others[rng.below(others.len())]);
            if !other.is_empty() {
                let from = rng.below(other.len());
                let len = 1 + rng.below(20);
                let piece: Vec<Vec<u8>> = other.iter().skip(from).take(len).cloned().collect();
                let at = rng.below(ls.len() + 1);
                ls.splice(at..at, piece);
            }
        }
        // Numbers, durations and quantities at their boundaries.
        10..=13 => {
            let spans = number_spans(text);
            if !spans.is_empty() {
                for _ in 0..=rng.below(2) {
                    let spans = number_spans(text);
                    let (a, b) = *rng.pick(&spans);
                    let with = if rng.chance(50) {
                        rng.pick(BOUNDARY_NUMBERS)
                    } else {
                        rng.pick(BOUNDARY_UNITS)
                    };
                    text.splice(a..b, with.bytes());
                }
                return;
            }
        }
        // Deep nesting.
        14 => {
            let depth = *rng.pick(&[63, 64, 65, 100, 1000, 100_000]);
            let deep = if rng.chance(50) {
                format!("deep: {}{}\n", "[".repeat(depth), "]".repeat(depth))
            } else {
                let mut s = String::from("deep:\n");
                for d in 1..=depth.min(200) {
                    s.push_str(&" ".repeat(d));
                    s.push_str("- \n");
                }
                s
            };
            ls.insert(rng.below(n), deep.into_bytes());
        }
        // Alias bombs, by values and by bytes.
        15 => {
            let bomb = if rng.chance(50) {
                alias_bomb(1 + rng.below(9), 10)
            } else {
                byte_bomb(1 << (10 + rng.below(11)), 1 + rng.below(400))
            };
            let at = rng.below(n);
            ls.insert(at, bomb.into_bytes());
        }
        // Huge keys and long scalars, where a real key is.
        16 => {
            if !ls.is_empty() {
                let at = rng.below(ls.len());
                let indent: Vec<u8> = ls[at].iter().take_while(|b| **b == b' ').copied().collect();
                let len = *rng.pick(&[65, 1000, 100_000, 1 << 20]);
                let mut line = indent;
                if rng.chance(50) {
                    line.extend(std::iter::repeat_n(b'k', len));
                    line.extend_from_slice(b": 1\n");
                } else {
                    line.extend_from_slice(b"name: ");
                    line.extend(std::iter::repeat_n(b'v', len));
                    line.push(b'\n');
                }
                ls.insert(at, line);
            }
        }
        // Invalid UTF-8 and control characters.
        17 | 18 => {
            let at = rng.below(text.len() + 1);
            text.splice(at..at, rng.pick(HOSTILE_BYTES).iter().copied());
            return;
        }
        // Byte-order marks.
        19 => {
            let bom = rng.pick(BOMS);
            if rng.chance(80) {
                text.splice(0..0, bom.iter().copied());
            } else {
                let at = rng.below(text.len() + 1);
                text.splice(at..at, bom.iter().copied());
            }
            return;
        }
        // Truncation.
        20 => {
            let at = rng.below(text.len() + 1);
            text.truncate(at);
            return;
        }
        // Many documents, many entries.
        _ => {
            if rng.chance(30) {
                let count = *rng.pick(&[4999, 5000, 5001, 20_000]);
                text.extend("---\n".repeat(count).bytes());
                return;
            }
            if !ls.is_empty() {
                let at = rng.below(ls.len());
                let line = ls[at].clone();
                let count = 50 + rng.below(2000);
                ls.splice(at..at, std::iter::repeat_n(line, count));
            }
        }
    }
    *text = ls.concat();
}
