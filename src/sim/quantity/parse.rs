//! Kubernetes `resource.Quantity` text, read as k8s.io/apimachinery `pkg/api/resource`
//! (`quantity.go` `ParseQuantity`, `suffix.go`) reads it, into the lab's integer units.
//!
//! A quantity is a signed decimal number (`2`, `0.5`, `.5`, `1.`) and a suffix: decimal SI
//! (`n u m k M G T P E`), binary SI (`Ki Mi Gi Ti Pi Ei`) or an exponent (`e3`, `E-2`). The
//! value is exact (no floating point): a digit string, a power of ten and a power of two.
//! Converting to millicores or bytes rounds up, as `MilliValue` and `Value` do, and anything
//! beyond the lab's limits is refused before it is ever multiplied out, so no text, however
//! long or however large its exponent (`1e999999`, `99999999999999999999Ei`), overflows.

use std::fmt;

/// The regular expression upstream's `ErrFormatWrong` quotes.
pub const QUANTITY_FORMAT: &str = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

/// Why a quantity is refused, with upstream's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuantityError {
    /// `ErrFormatWrong`.
    Format,
    /// `ErrNumeric`.
    Numeric,
    /// `ErrSuffix`.
    Suffix,
    /// Negative, where the API server's `ValidateNonnegativeQuantity` refuses it; holds the
    /// quantity as upstream prints it (`-500m`).
    Negative(String),
    /// Above the lab's limit for the field (the message names it).
    TooLarge(String),
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuantityError::Format => write!(
                f,
                "quantities must match the regular expression '{QUANTITY_FORMAT}'"
            ),
            QuantityError::Numeric => write!(f, "unable to parse numeric part of quantity"),
            QuantityError::Suffix => write!(f, "unable to parse quantity's suffix"),
            QuantityError::Negative(q) => write!(
                f,
                "{}",
                crate::sim::api::bounds::invalid(
                    format_args!("{q:?}"),
                    crate::sim::api::bounds::IS_NEGATIVE
                )
            ),
            QuantityError::TooLarge(m) => write!(f, "{m}"),
        }
    }
}

/// An exact quantity: `(−1)^negative × digits × 10^exp10 × 2^exp2`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Exact {
    pub negative: bool,
    /// Decimal digits without leading zeros; empty for zero.
    pub digits: Vec<u8>,
    pub exp10: i128,
    pub exp2: u32,
    /// Binary SI suffix (upstream's `BinarySI` format), for printing.
    pub binary: bool,
}

/// `parseQuantityString`: (positive, value, num, denom, suffix), or `ErrFormatWrong`.
fn split(s: &str) -> Result<(bool, &str, &str, &str, &str), QuantityError> {
    let b = s.as_bytes();
    let end = b.len();
    let mut pos = 0;
    let mut positive = true;
    match b.first() {
        Some(b'-') => {
            positive = false;
            pos += 1;
        }
        Some(b'+') => pos += 1,
        _ => {}
    }
    while pos < end && b[pos] == b'0' {
        pos += 1;
    }
    if pos >= end {
        return Ok((positive, "0", "0", "", ""));
    }
    let num_start = pos;
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos >= end {
        return Ok((positive, s, &s[num_start..], "", ""));
    }
    // Upstream counts an empty numerator as "0".
    let num = if pos == num_start {
        "0"
    } else {
        &s[num_start..pos]
    };
    let mut denom = "";
    if b[pos] == b'.' {
        pos += 1;
        let start = pos;
        while pos < end && b[pos].is_ascii_digit() {
            pos += 1;
        }
        denom = &s[start..pos];
        if pos >= end {
            return Ok((positive, s, num, denom, ""));
        }
    }
    let value = &s[..pos];
    let suffix_start = pos;
    while pos < end && b"eEinumkKMGTP".contains(&b[pos]) {
        pos += 1;
    }
    if pos < end && matches!(b[pos], b'-' | b'+') {
        pos += 1;
    }
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos < end {
        return Err(QuantityError::Format);
    }
    Ok((positive, value, num, denom, &s[suffix_start..]))
}

/// `suffixer.interpret`: (base, exponent, binary), or `ErrSuffix`. An exponent too large for
/// an i64 is refused as upstream refuses it; one that fits is kept whole (upstream narrows it
/// to int32, wrapping; the lab does not wrap).
fn interpret(suffix: &str) -> Result<(u32, i128, bool), QuantityError> {
    let dec = |e: i128| Ok((10, e, false));
    match suffix {
        "" => dec(0),
        "n" => dec(-9),
        "u" => dec(-6),
        "m" => dec(-3),
        "k" => dec(3),
        "M" => dec(6),
        "G" => dec(9),
        "T" => dec(12),
        "P" => dec(15),
        "E" => dec(18),
        "Ki" => Ok((2, 10, true)),
        "Mi" => Ok((2, 20, true)),
        "Gi" => Ok((2, 30, true)),
        "Ti" => Ok((2, 40, true)),
        "Pi" => Ok((2, 50, true)),
        "Ei" => Ok((2, 60, true)),
        s if s.len() > 1 && s.starts_with(['e', 'E']) => {
            // strconv.ParseInt(s[1:], 10, 64): a sign, then digits only.
            let body = &s[1..];
            let digits = body.strip_prefix(['+', '-']).unwrap_or(body);
            if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return Err(QuantityError::Suffix);
            }
            body.parse::<i64>()
                .map(|e| (10, i128::from(e), false))
                .map_err(|_| QuantityError::Suffix)
        }
        _ => Err(QuantityError::Suffix),
    }
}

/// Reads a quantity exactly, with upstream's errors for malformed text.
pub(super) fn exact(s: &str) -> Result<Exact, QuantityError> {
    if s.is_empty() {
        return Err(QuantityError::Format);
    }
    let (positive, value, num, denom, suffix) = split(s)?;
    let (base, exponent, binary) = interpret(suffix)?;
    // Upstream's fast path (int64 arithmetic) needs few enough digits; otherwise it parses the
    // numeric part with `inf.Dec.SetString`, which fails when it has no digit at all
    // (`ErrNumeric`: `Ei`, `+Pi`, `e-10`).
    let precision: i128 = if base == 10 {
        18 - i128::try_from(num.len() + denom.len()).unwrap_or(i128::MAX)
    } else if denom.is_empty() {
        15 - i128::try_from(num.len()).unwrap_or(i128::MAX) - exponent * 3 / 10 - 1
    } else {
        -1
    };
    let scale =
        if base == 10 { exponent } else { 0 } - i128::try_from(denom.len()).unwrap_or(i128::MAX);
    let fast = precision >= 0 && scale >= -9;
    if !fast && !value.bytes().any(|c| c.is_ascii_digit()) {
        return Err(QuantityError::Numeric);
    }
    let mut digits: Vec<u8> = num
        .bytes()
        .chain(denom.bytes())
        .map(|c| c - b'0')
        .skip_while(|d| *d == 0)
        .collect();
    let mut exp10 = -i128::try_from(denom.len()).unwrap_or(i128::MAX);
    // Trailing zeros move into the exponent, so `1000000…0` stays short.
    while digits.last() == Some(&0) {
        digits.pop();
        exp10 += 1;
    }
    if digits.is_empty() {
        exp10 = 0;
    }
    let (exp10, exp2) = if base == 10 {
        (exp10 + exponent, 0)
    } else {
        (exp10, u32::try_from(exponent).unwrap_or(0))
    };
    Ok(Exact {
        negative: !positive && !digits.is_empty(),
        digits,
        exp10,
        exp2,
        binary,
    })
}

/// Whether `digits × 10^exp10 × 2^exp2` is surely larger than `10^38`, or surely below
/// `10^-22` (and so rounds up to one unit): the two cases that must not be multiplied out.
enum Magnitude {
    Huge,
    Tiny,
    Moderate,
}

fn magnitude(x: &Exact) -> Magnitude {
    // log10 of the value lies in [order − 1, order + 19) with 2^60 < 10^19.
    let order = i128::try_from(x.digits.len()).unwrap_or(i128::MAX) + x.exp10;
    if order > 38 {
        Magnitude::Huge
    } else if order + 19 < -22 {
        Magnitude::Tiny
    } else {
        Magnitude::Moderate
    }
}

/// Limbs of 18 decimal digits.
const BASE: u128 = 1_000_000_000_000_000_000;

/// `⌈|x| × 10^unit_exp10⌉`, or `None` when it is beyond `u128` (far beyond any lab limit).
pub(super) fn ceil_scaled(x: &Exact, unit_exp10: i128) -> Option<u128> {
    if x.digits.is_empty() {
        return Some(0);
    }
    let shifted = Exact {
        exp10: x.exp10 + unit_exp10,
        ..x.clone()
    };
    match magnitude(&shifted) {
        Magnitude::Huge => return None,
        Magnitude::Tiny => return Some(1),
        Magnitude::Moderate => {}
    }
    // digits × 2^exp2 in base-10^18 limbs (one pass: a limb times 2^60 fits u128), then back
    // to decimal digits (little-endian) to shift by exp10.
    let mut limbs: Vec<u128> = shifted
        .digits
        .rchunks(18)
        .map(|c| c.iter().fold(0u128, |a, d| a * 10 + u128::from(*d)))
        .collect();
    if shifted.exp2 > 0 {
        let m = 1u128 << shifted.exp2.min(60);
        let mut carry = 0u128;
        for l in &mut limbs {
            let v = *l * m + carry;
            *l = v % BASE;
            carry = v / BASE;
        }
        while carry > 0 {
            limbs.push(carry % BASE);
            carry /= BASE;
        }
    }
    let mut d: Vec<u8> = Vec::with_capacity(limbs.len() * 18);
    for l in limbs {
        let mut v = l;
        for _ in 0..18 {
            d.push(u8::try_from(v % 10).unwrap_or(0));
            v /= 10;
        }
    }
    let (whole, fraction_nonzero) = if shifted.exp10 >= 0 {
        let zeros = usize::try_from(shifted.exp10).ok()?;
        let mut w = vec![0; zeros];
        w.extend(d);
        (w, false)
    } else {
        let cut = usize::try_from(-shifted.exp10).ok()?;
        if cut >= d.len() {
            (Vec::new(), d.iter().any(|v| *v != 0))
        } else {
            let frac = d[..cut].iter().any(|v| *v != 0);
            (d[cut..].to_vec(), frac)
        }
    };
    let mut v: u128 = 0;
    for digit in whole.iter().rev() {
        v = v.checked_mul(10)?.checked_add(u128::from(*digit))?;
    }
    if fraction_nonzero {
        v = v.checked_add(1)?;
    }
    Some(v)
}

/// A negative quantity as upstream's `Quantity.String()` prints it, for the API server's
/// message: binary SI with the largest suffix that divides it when it was written in binary
/// SI and is a whole number of at least 1Ki, else decimal SI with the largest suffix that
/// keeps the number whole (`-500m`, `-2`, `-1500k`).
pub(super) fn canonical(x: &Exact) -> String {
    let sign = if x.negative { "-" } else { "" };
    if let (true, Some(v)) = (x.binary, ceil_scaled(x, 0))
        && ceil_scaled(x, 9) == v.checked_mul(1_000_000_000)
        && v >= 1024
    {
        let mut v = v;
        let mut i = 0;
        while v.is_multiple_of(1024) && i < 6 {
            v /= 1024;
            i += 1;
        }
        return format!("{sign}{v}{}", ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][i]);
    }
    // In nano-units, which upstream rounds every value up to.
    let Some(mut nanos) = ceil_scaled(x, 9) else {
        return format!("{sign}{}", digits_text(x));
    };
    if nanos == 0 {
        return "0".to_string();
    }
    let suffixes = ["n", "u", "m", "", "k", "M", "G", "T", "P", "E"];
    let mut i = 0;
    while i + 1 < suffixes.len() && nanos.is_multiple_of(1000) {
        nanos /= 1000;
        i += 1;
    }
    format!("{sign}{nanos}{}", suffixes[i])
}

fn digits_text(x: &Exact) -> String {
    let d: String = x.digits.iter().map(|d| char::from(b'0' + d)).collect();
    format!("{d}e{}", x.exp10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_text_gets_upstreams_errors() {
        for bad in [
            "x", "500x", "1.2.3", "1 ", " 1", "1e3.5", "1E5i", "1Kix", "..", "1m5x",
        ] {
            assert_eq!(exact(bad), Err(QuantityError::Format), "{bad:?}");
        }
        assert_eq!(exact(""), Err(QuantityError::Format));
        // `--1` reads as 0 with the suffix `-1`, which is no suffix.
        for bad in [
            "1kk",
            "1K",
            "1ki",
            "1e",
            "1e+",
            "1m5",
            "1Mii",
            "1e99999999999999999999",
            "--1",
        ] {
            assert_eq!(exact(bad), Err(QuantityError::Suffix), "{bad:?}");
        }
        for bad in ["Ei", "+Pi", "e-10", "-Ei"] {
            assert_eq!(exact(bad), Err(QuantityError::Numeric), "{bad:?}");
        }
        assert_eq!(
            QuantityError::Format.to_string(),
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        );
    }

    #[test]
    fn upstreams_odd_zeros_parse_as_zero() {
        // All of these are 0 to ParseQuantity: no digit, and a fast-path suffix.
        for zero in [
            "0", "00", "+", "-", ".", "Mi", "Ti", "k", "-0", "0.000", ".Ki",
        ] {
            let x = exact(zero).unwrap();
            assert_eq!(ceil_scaled(&x, 3), Some(0), "{zero:?}");
            assert!(!x.negative, "{zero:?}");
        }
    }

    #[test]
    fn values_are_exact_and_round_up() {
        let milli = |s: &str| ceil_scaled(&exact(s).unwrap(), 3);
        let units = |s: &str| ceil_scaled(&exact(s).unwrap(), 0);
        assert_eq!(milli("500m"), Some(500));
        assert_eq!(milli("0.5"), Some(500));
        assert_eq!(milli(".5"), Some(500));
        assert_eq!(milli("1."), Some(1000));
        assert_eq!(milli("+2"), Some(2000));
        assert_eq!(milli("1e3"), Some(1_000_000));
        assert_eq!(milli("1E3"), Some(1_000_000));
        assert_eq!(milli("1e-3"), Some(1));
        assert_eq!(milli("1.0005"), Some(1001));
        assert_eq!(milli("100u"), Some(1));
        assert_eq!(milli("1n"), Some(1));
        assert_eq!(milli("1e-999999"), Some(1), "rounds up, never to zero");
        assert_eq!(units("1Ki"), Some(1024));
        assert_eq!(units("1.5Gi"), Some(3 << 29));
        assert_eq!(units("1Ei"), Some(1 << 60));
        assert_eq!(units("1E"), Some(10u128.pow(18)));
        assert_eq!(units("0.1"), Some(1));
        assert_eq!(units("1.1Ki"), Some(1127), "1126.4 rounds up");
        assert_eq!(units("12e6"), Some(12_000_000));
        assert_eq!(units("000123"), Some(123));
        assert_eq!(units("1e999999"), None);
        assert_eq!(
            units("99999999999999999999Ei"),
            Some(115_292_150_460_684_697_598_847_078_495_393_153_024)
        );
        assert_eq!(units("999999999999999999999Ei"), None);
        assert_eq!(units(&format!("0.{}1", "0".repeat(100_000))), Some(1));
        assert_eq!(units(&format!("1{}", "0".repeat(100_000))), None);
    }

    #[test]
    fn negatives_print_as_upstream_does() {
        let c = |s: &str| canonical(&exact(s).unwrap());
        assert_eq!(c("-1"), "-1");
        assert_eq!(c("-0.5"), "-500m");
        assert_eq!(c("-500m"), "-500m");
        assert_eq!(c("-1Gi"), "-1Gi");
        assert_eq!(c("-1536Mi"), "-1536Mi");
        assert_eq!(c("-1.5k"), "-1500");
        assert_eq!(c("-2e3"), "-2k");
        assert!(exact("-1").unwrap().negative);
        assert_eq!(
            QuantityError::Negative(c("-0.5")).to_string(),
            "Invalid value: \"-500m\": must be greater than or equal to 0"
        );
    }
}
