//! The grep-able half of "no panic reaches the host": outside tests, `src/`
//! has no `unwrap`, `panic!`, `unreachable!`, `todo!` or `unimplemented!`,
//! and `expect` only where the claim holds whatever the input (a built-in
//! regex compiles; it is compiled by the tests too). Indexing is not covered:
//! hostile input is (tests/hostile.rs and the fuzzing of the reliability work).

use std::fs;
use std::path::{Path, PathBuf};

const FORBIDDEN: [&str; 5] = [
    ".unwrap()",
    "panic!(",
    "unreachable!(",
    "todo!(",
    "unimplemented!(",
];

/// The only `expect` claims allowed: true of the program, not of its input.
const INVARIANTS: [&str; 3] = [
    r#".expect("built-in regex compiles")"#,
    r#".expect("built-in regexes compile (tested)")"#,
    r#".expect("group 0 is the match")"#,
];

fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn src_has_no_unwrap_panic_or_unjustified_expect() {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    assert!(files.len() > 30, "found only {} files", files.len());
    let mut offences = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        // Unit tests sit at the end of a module, after `#[cfg(test)]`.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (number, line) in code.lines().enumerate() {
            let line = line.trim();
            if line.starts_with("//") {
                continue;
            }
            let forbidden = FORBIDDEN.iter().any(|word| line.contains(word));
            let unjustified_expect =
                line.contains(".expect(") && !INVARIANTS.iter().any(|claim| line.contains(claim));
            if forbidden || unjustified_expect {
                offences.push(format!("{}:{}: {line}", file.display(), number + 1));
            }
        }
    }
    assert!(
        offences.is_empty(),
        "may panic on input:\n{}",
        offences.join("\n")
    );
}
