//! Text that arrives as bytes (a file from disk or the browser's file picker): checked as UTF-8
//! (YAML 1.2's encoding for the lab; a UTF-8 byte-order mark is allowed), with the first bad
//! byte reported by document, line, column and byte offset.

use super::{Mark, YamlError};

/// The bytes as text, or where they stop being UTF-8.
pub fn decode_utf8(bytes: &[u8]) -> Result<&str, YamlError> {
    let e = match std::str::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(e) => e,
    };
    let offset = e.valid_up_to();
    let good = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
    let byte = bytes.get(offset).copied().unwrap_or_default();
    let (document, mark) = position(good);
    let what = if e.error_len().is_none() {
        " (a character cut short at the end of the file)"
    } else {
        ""
    };
    let hint = if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        " (it looks like UTF-16: save it as UTF-8)"
    } else {
        ""
    };
    Err(YamlError {
        document,
        mark,
        message: format!(
            "the file is not valid UTF-8{hint}: invalid byte 0x{byte:02x} at byte offset {offset}{what}"
        ),
    })
}

/// The document, line and column just after `text` (1-based, columns in characters). Line
/// breaks are YAML's (`\n`, `\r\n`, `\r`); a document starts at its first content or at a
/// `---` line, as the YAML parser counts them.
fn position(text: &str) -> (usize, Mark) {
    let mut document = 0;
    let mut open = false;
    let mut line = 1;
    let mut line_start = 0;
    for (i, (start, l)) in split_lines(text).enumerate() {
        line = i + 1;
        line_start = start;
        let content = l.trim_start_matches('\u{feff}');
        let is_marker = content.starts_with("---")
            && content[3..].chars().next().is_none_or(char::is_whitespace);
        let is_end = content.starts_with("...")
            && content[3..].chars().next().is_none_or(char::is_whitespace);
        let blank = content.trim().is_empty() || content.trim_start().starts_with('#');
        if is_marker {
            document += 1;
            open = true;
        } else if is_end {
            open = false;
        } else if !blank && !open && !content.starts_with('%') {
            document += 1;
            open = true;
        }
    }
    let column = text[line_start..].chars().count() + 1;
    (document.max(1), Mark { line, column })
}

/// The lines of `text` with the byte offset each starts at; the last one may be cut short (it
/// is the line the bad byte is on).
fn split_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = Some(0);
    std::iter::from_fn(move || {
        let from = start?;
        let rest = &text[from..];
        if let Some(i) = rest.find(['\n', '\r']) {
            let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
            start = Some(from + i + skip);
            Some((from, &rest[..i]))
        } else {
            start = None;
            Some((from, rest))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(bytes: &[u8]) -> (usize, usize, usize, String) {
        let e = decode_utf8(bytes).unwrap_err();
        (e.document, e.mark.line, e.mark.column, e.message)
    }

    #[test]
    fn valid_text_passes_through() {
        assert_eq!(decode_utf8("a: é\n".as_bytes()).unwrap(), "a: é\n");
        assert_eq!(decode_utf8(b"").unwrap(), "");
    }

    #[test]
    fn the_first_bad_byte_is_positioned() {
        assert_eq!(
            err(b"a: 1\nbb: \xff\n"),
            (
                1,
                2,
                5,
                "the file is not valid UTF-8: invalid byte 0xff at byte offset 9".into()
            )
        );
        // Columns count characters, not bytes.
        assert_eq!(
            err("é: "
                .as_bytes()
                .iter()
                .chain(b"\xc3(")
                .copied()
                .collect::<Vec<_>>()
                .as_slice())
            .2,
            4
        );
        // CRLF and lone CR both end lines.
        assert_eq!(err(b"a\r\nb\rc\xff").1, 3);
    }

    #[test]
    fn documents_are_counted_like_the_parser_counts_them() {
        assert_eq!(err(b"# c\n---\na: 1\n---\nb: \xff").0, 2);
        assert_eq!(err(b"a: 1\n---\nb: \xff").0, 2);
        assert_eq!(err(b"---\n---\n\xff").0, 2);
        assert_eq!(err(b"a: 1\n...\nb: \xfe").0, 2);
        assert_eq!(err(b"%YAML 1.2\n---\n\xff").0, 1);
        assert_eq!(err(b"a: \"\n---x\"\n\xff").0, 1);
    }

    #[test]
    fn truncated_characters_and_utf16_are_named() {
        let (_, line, column, msg) = err(b"a: \xe2\x82");
        assert_eq!((line, column), (1, 4));
        assert_eq!(
            msg,
            "the file is not valid UTF-8: invalid byte 0xe2 at byte offset 3 (a character cut short at the end of the file)"
        );
        assert!(
            err(b"\xff\xfea\0:\0")
                .3
                .starts_with("the file is not valid UTF-8 (it looks like UTF-16: save it as UTF-8): invalid byte 0xff at byte offset 0")
        );
    }
}
