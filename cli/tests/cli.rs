//! The `preflight` binary, run as users run it, on the committed sample events.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn repo_file(relative: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative)
        .to_string_lossy()
        .into_owned()
}

fn preflight(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_preflight"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn sample_events_come_out_without_planted_secrets() {
    let samples = repo_file("samples/sentry-python-events.jsonl");
    let input = std::fs::read_to_string(&samples).unwrap();
    assert!(
        input.contains("PLANTED-"),
        "the samples carry planted secrets"
    );
    let output = preflight(&["process", &samples], "");
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert_eq!(stdout.lines().count(), input.lines().count());
    assert!(!stdout.contains("PLANTED-"), "{stdout}");
    assert!(!stdout.contains("203.0.113.77"));
    for line in stdout.lines() {
        let event: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(
            event["_meta"].is_object(),
            "every sample event had something scrubbed"
        );
    }
}

#[test]
fn envelopes_as_sentry_sdk_sends_them_are_read() {
    let envelope = repo_file("samples/sentry-python.envelope");
    let raw = std::fs::read(&envelope).unwrap();
    assert!(String::from_utf8_lossy(&raw).contains("PLANTED-"));
    let output = preflight(&["process", &envelope], "");
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    let kinds: Vec<String> = stdout
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .map(|event| event["type"].as_str().unwrap_or("error").to_owned())
        .collect();
    assert_eq!(
        kinds,
        vec!["error", "transaction"],
        "the sessions item is skipped"
    );
    assert!(!stdout.contains("PLANTED-"), "{stdout}");
}

#[test]
fn diff_shows_each_change() {
    let output = preflight(
        &["process", "--diff", "-"],
        r#"[{"event_id": "0123456789abcdef", "extra": {"token": "abc"}}, {"message": "hi"}]"#,
    );
    assert!(output.status.success());
    let stdout = text(&output.stdout);
    assert!(stdout.contains("event 1/2 01234567: 1 changed"), "{stdout}");
    assert!(
        stdout.contains(
            "  extra.token  (@preflight:secret-key)\n    - \"abc\"\n    + \"[Filtered]\""
        ),
        "{stdout}"
    );
    assert!(stdout.contains("event 2/2 - hi: unchanged"), "{stdout}");
    assert!(
        stdout.contains("2 events: 1 changed (1 values), 1 unchanged, 0 dropped"),
        "{stdout}"
    );
}

#[test]
fn dropped_events_are_omitted_with_a_reason() {
    let output = preflight(&["process"], "{\"message\": \"kept\"}\n[1, 2]\n");
    assert!(output.status.success());
    assert_eq!(text(&output.stdout).lines().count(), 1);
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("event 2 dropped: processing failed"),
        "{stderr}"
    );
    assert!(stderr.contains("event 3 dropped"), "{stderr}");
}

#[test]
fn check_names_the_json_path_and_fails() {
    let directory = std::env::temp_dir().join(format!("preflight-cli-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let bad = directory.join("bad.json");
    std::fs::write(&bad, r#"{"scrub": {"deny_keys": ["a", 2]}}"#).unwrap();
    let output = preflight(&["check", "--policy", bad.to_str().unwrap()], "");
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("scrub.deny_keys[1]: expected a string, found a number"),
        "{stderr}"
    );

    let good = directory.join("good.json");
    std::fs::write(&good, r#"{"scrub": {"deny_keys": ["ssn"]}}"#).unwrap();
    let output = preflight(&["check", "--policy", good.to_str().unwrap()], "");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    std::fs::remove_dir_all(&directory).unwrap();
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(preflight(&["frobnicate"], "").status.code(), Some(2));
    assert_eq!(
        preflight(&["process", "/nonexistent/events.json"], "")
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn a_hint_file_is_read_by_the_cores_reader() {
    let dir = std::env::temp_dir().join(format!("preflight-cli-hint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    };
    let policy = write(
        "policy.json",
        r#"{"filters": {"ignore_errors": ["ClientDisconnect"], "ignore_status": [404]}}"#,
    );
    let event = r#"{"event_id": "00000000000000000000000000000000", "message": "gone"}"#;
    // By the exception's class (a base class, as the bindings name them) and by its status.
    for hint in [
        r#"{"exception_types": ["MyDisconnect", "ClientDisconnect"]}"#,
        r#"{"status_code": [null, 404]}"#,
    ] {
        let hint = write("hint.json", hint);
        let output = preflight(&["process", "--policy", &policy, "--hint", &hint], event);
        assert!(output.status.success(), "{}", text(&output.stderr));
        assert_eq!(text(&output.stdout), "", "dropped by the hint");
        assert!(
            text(&output.stderr).contains("dropped"),
            "{}",
            text(&output.stderr)
        );
    }
    let kept = preflight(&["process", "--policy", &policy], event);
    assert!(
        text(&kept.stdout).contains("gone"),
        "without the hint it is kept"
    );
    let bad = write("bad.json", "[1]");
    let refused = preflight(&["process", "--hint", &bad], event);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused.stderr).contains("a hint is a JSON object"),
        "{}",
        text(&refused.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
