//! `podlint lsp` as an editor starts it: the real binary, launcher flags, exit statuses.
//! (The protocol itself is tested in-process in fixtures/tests/lsp.rs.)

use std::io::{Read, Write};
use std::process::{Command, Stdio};

fn frame(body: &str) -> String {
    format!("Content-Length: {}\r\n\r\n{body}", body.len())
}

const INITIALIZE: &str =
    r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#;
const SHUTDOWN: &str = r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#;
const EXIT: &str = r#"{"jsonrpc":"2.0","method":"exit"}"#;

/// Runs `podlint lsp ARGS` with `messages` on stdin; its exit status and stdout.
fn run(args: &[&str], messages: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_podlint"))
        .arg("lsp")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Each message after the answer to the one before, as a client would send them.
    let mut stdout = child.stdout.take().unwrap();
    let mut seen = String::new();
    for message in messages {
        stdin.write_all(frame(message).as_bytes()).unwrap();
        stdin.flush().unwrap();
        if message.contains("\"id\"") {
            // Read until this request's answer arrived.
            let id = message
                .split("\"id\":")
                .nth(1)
                .unwrap()
                .split(',')
                .next()
                .unwrap();
            let needle = format!("\"id\":{id}");
            let mut buf = [0u8; 4096];
            while !seen.contains(&needle) {
                let n = stdout.read(&mut buf).unwrap();
                assert!(n > 0, "the server closed stdout; so far: {seen}");
                seen.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        }
    }
    drop(stdin);
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    seen.push_str(&rest);
    (child.wait().unwrap().code(), seen)
}

#[test]
fn vscode_launch_flags_are_accepted_and_shutdown_then_exit_is_status_0() {
    let (status, out) = run(
        &["--stdio", "--clientProcessId=4242"],
        &[INITIALIZE, SHUTDOWN, EXIT],
    );
    assert_eq!(status, Some(0), "{out}");
    assert!(out.contains("\"capabilities\""), "{out}");
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let (status, _) = run(&["--stdio"], &[INITIALIZE, EXIT]);
    assert_eq!(status, Some(1));
}

#[test]
fn a_malformed_message_is_answered_and_the_server_keeps_serving() {
    let (status, out) = run(&[], &[INITIALIZE, "{oops", "[1]", SHUTDOWN, EXIT]);
    assert_eq!(status, Some(0), "{out}");
    assert!(out.contains("-32700") && out.contains("-32600"), "{out}");
    let shutdown = out
        .split("Content-Length")
        .find(|m| m.contains(r#""id":2"#));
    assert!(
        shutdown.is_some_and(|m| m.contains(r#""result":null"#)),
        "{out}"
    );
}

#[test]
fn other_transports_are_refused_with_status_2() {
    let output = Command::new(env!("CARGO_BIN_EXE_podlint"))
        .args(["lsp", "--node-ipc"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("stdin and stdout"));
}
