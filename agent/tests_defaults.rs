//! End-to-end tests: `DEFAULTS` (version 4) under later execs and resolves, across sessions, replaced,
//! refused. A module of tests.rs, which has the client.

use super::session::{request, session_frame};
use super::*;

const DEFAULTS: u8 = 0x1A;

/// A version 4 session.
fn connected_v4() -> Agent {
    let mut a = Agent::spawn(&[]);
    assert_eq!(a.hello_offering(1, 4, [4; 16]), 4);
    a
}

/// Sends DEFAULTS: the answer.
fn defaults(a: &mut Agent, stream: u32, env: &[&str], workdir: &str) -> Frame {
    request(a, DEFAULTS, stream, &P::new().list(env).str(workdir.as_bytes()).0);
    a.next_on(stream, 5)
}

/// Runs `sh -c script` with the exec's own env and workdir: its stdout.
fn run(a: &mut Agent, stream: u32, script: &str, env: &[&str], workdir: &str) -> String {
    let p = P::new().list(&["sh", "-c", script]).list(env).str(workdir.as_bytes()).u32(0).u32(65536).u8(0);
    a.send(EXEC, 0, stream, &p.0);
    let (out, err, code, _, _) = a.collect(stream);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
    String::from_utf8(out).unwrap()
}

#[test]
fn defaults_lie_under_every_later_exec_and_an_execs_own_env_wins() {
    let mut a = connected_v4();
    assert_eq!(defaults(&mut a, 1, &["A=from-defaults", "B=also"], "/tmp").kind, OK);
    assert_eq!(run(&mut a, 2, "echo $A $B; pwd", &[], ""), "from-defaults also\n/tmp\n");
    assert_eq!(run(&mut a, 3, "echo $A $B; pwd", &["A=own"], "/"), "own also\n/\n");
    // the agent's own environment is still there under them
    let home = std::env::var("PATH").unwrap();
    assert_eq!(run(&mut a, 4, "echo $PATH", &[], ""), format!("{}\n", home));
}

#[test]
fn resolve_sees_the_defaults_as_its_exec_would() {
    let mut a = connected_v4();
    assert_eq!(defaults(&mut a, 1, &["PATH=/nowhere"], "/bin").kind, OK);
    a.send(RESOLVE, 0, 2, &P::new().str(b"sh").list(&[]).str(b"").0);
    let f = a.next_on(2, 5);
    assert_eq!((f.kind, &f.payload[..4]), (RESOLVED, &[0u8, 0, 0, 0][..]), "sh is not on /nowhere");
    a.send(RESOLVE, 0, 3, &P::new().str(b"./sh").list(&[]).str(b"").0);
    let f = a.next_on(3, 5);
    assert_eq!(f.kind, RESOLVED);
    assert_eq!(&f.payload[4..4 + be32(&f.payload[..4]) as usize], b"/bin/sh", "relative to the default workdir");
}

#[test]
fn a_workdir_is_checked_as_an_execs_and_a_refusal_keeps_the_defaults_before() {
    let mut a = connected_v4();
    assert_eq!(defaults(&mut a, 1, &["A=kept"], "/tmp").kind, OK);
    assert_eq!(error_code(&defaults(&mut a, 2, &["A=new"], "/no/such/folder-xyz")), 1);
    assert_eq!(error_code(&defaults(&mut a, 3, &["A=new"], "/etc/hostname")), 2);
    assert_eq!(error_code(&defaults(&mut a, 4, &["A=new"], "/proc/self/cwd")), 8);
    assert_eq!(error_code(&defaults(&mut a, 5, &["NOEQUALS"], "")), 11);
    assert_eq!(run(&mut a, 6, "echo $A; pwd", &[], ""), "kept\n/tmp\n");
    let n = 200;
    let t0 = Instant::now();
    for i in 0..n {
        assert_eq!(defaults(&mut a, 10 + i, &["A=1", "TOKEN=abcdefghijklmnopqrstuvwxyz"], "/tmp").kind, OK);
    }
    println!("DEFAULTS round trip (2 entries and a workdir): {:?} on average", t0.elapsed() / n);
}

#[test]
fn defaults_outlive_the_session_and_a_second_call_replaces_them() {
    let mut a = connected_v4();
    // an env value over one frame comes in PART frames, as an exec's would
    let big = format!("BIG={}", "v".repeat(100_000));
    assert_eq!(defaults(&mut a, 1, &["A=1", "B=2", &big], "/tmp").kind, OK);
    assert_eq!(a.hello_offering(1, 4, [7; 16]), 4);
    assert_eq!(run(&mut a, 1, "echo $A $B ${#BIG}; pwd", &[], ""), "1 2 100000\n/tmp\n");
    assert_eq!(defaults(&mut a, 2, &["B=3"], "").kind, OK);
    let cwd = std::env::current_dir().unwrap();
    assert_eq!(run(&mut a, 3, "echo \"$A\" $B; pwd", &[], ""), format!(" 3\n{}\n", cwd.display()));
    // a session of version 3 runs under them too, but cannot set them
    assert_eq!(a.hello_offering(1, 3, [8; 16]), 3);
    assert_eq!(run(&mut a, 1, "echo $B", &[], ""), "3\n");
}

#[test]
fn defaults_in_a_session_before_version_4_are_a_protocol_error() {
    let mut a = Agent::spawn(&[]);
    assert_eq!(a.hello_offering(1, 3, [3; 16]), 3);
    a.send(DEFAULTS, 0, 1, &P::new().list(&["A=1"]).str(b"").0);
    let f = session_frame(&mut a, 5000).expect("ERROR PROTOCOL on stream 0");
    assert_eq!(error_code(&f), 15);
    // the agent waits for a new HELLO, and nothing was set
    assert_eq!(a.hello_offering(1, 4, [9; 16]), 4);
    assert_eq!(run(&mut a, 1, "echo \"[$A]\"", &[], ""), "[]\n");
}
