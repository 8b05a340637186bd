//! The runner reads files as bytes: a file that is not UTF-8 gets the position of its first
//! bad byte, a file too big is refused by its size, one that cannot be read says why.

use std::process::Command;

use super::budget::out_dir;

fn ekslab(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ekslab"))
        .args(args)
        .output()
        .expect("ekslab runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_runner_positions_invalid_utf8_and_refuses_big_files_by_size() {
    let dir = out_dir();
    let bad = dir.join("runner-not-utf8.yaml");
    let mut bytes = b"apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: lab\n  region: us-east-1\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: caf".to_vec();
    let offset = bytes.len();
    bytes.extend_from_slice(b"\xe9\n");
    std::fs::write(&bad, &bytes).unwrap();
    let file = bad.to_str().unwrap();
    for verb in ["validate", "run"] {
        let (code, err) = ekslab(&[verb, file]);
        assert_eq!(code, 1, "{err}");
        assert_eq!(
            err.lines().next().unwrap_or(""),
            format!(
                "{file}: error: document 2, line 10, column 12: the file is not valid UTF-8: invalid byte 0xe9 at byte offset {offset}"
            )
        );
    }
    let big = dir.join("runner-big.yaml");
    std::fs::write(&big, vec![b'#'; eks_lab::limits::MAX_TEXT_BYTES + 10]).unwrap();
    let (code, err) = ekslab(&["validate", big.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    let max = eks_lab::limits::MAX_TEXT_BYTES;
    assert!(
        err.contains(&format!(
            "error: document 1, line 1, column 1: the file is {} bytes; scenario files may be at most {} ({max} bytes), the lab's limit",
            max + 10,
            super::limits::units(max)
        )),
        "{err}"
    );
    let (code, err) = ekslab(&["validate", "/no/such/file.yaml"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("ekslab: cannot read /no/such/file.yaml: "),
        "{err}"
    );
    let (code, err) = ekslab(&["run", dir.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("it is a directory"), "{err}");
}
