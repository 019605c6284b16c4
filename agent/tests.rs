//! End-to-end tests: the built agent as a child process, spoken to over its stdin and stdout.
//! Build and run: `bash agent/build.sh --test` (AIRLOCK_AGENT names the binary under test).

use std::io::{Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

#[path = "tests_liveness.rs"]
mod liveness;
#[path = "tests_session.rs"]
mod session;
#[path = "tests_pid1.rs"]
mod pid1;
#[path = "tests_tunnel.rs"]
mod tunnel;
#[path = "tests_defaults.rs"]
mod defaults;

const HELLO: u8 = 0x01;
const HELLO_OK: u8 = 0x02;
const HEARTBEAT: u8 = 0x03;
const MAIN_EXITED: u8 = 0x04;
const EXEC: u8 = 0x10;
const STARTED: u8 = 0x11;
const STDIN: u8 = 0x12;
const STDOUT: u8 = 0x13;
const STDERR: u8 = 0x14;
const EXIT: u8 = 0x15;
const WINDOW: u8 = 0x17;
const ERROR: u8 = 0x18;
const WRITE: u8 = 0x20;
const DATA: u8 = 0x21;
const OK: u8 = 0x22;
const READ: u8 = 0x23;
const FILE_INFO: u8 = 0x24;
const LIST: u8 = 0x25;
const ENTRIES: u8 = 0x26;
const DELETE: u8 = 0x27;
const RESOLVE: u8 = 0x28;
const RESOLVED: u8 = 0x29;
const LOGS: u8 = 0x30;
const LOG: u8 = 0x31;
const END: u8 = 1;

#[derive(Debug, Clone)]
struct Frame {
    kind: u8,
    flags: u8,
    stream: u32,
    payload: Vec<u8>,
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

struct P(Vec<u8>);
impl P {
    fn new() -> P {
        P(Vec::new())
    }
    fn u8(mut self, v: u8) -> P {
        self.0.push(v);
        self
    }
    fn u16(mut self, v: u16) -> P {
        self.0.extend_from_slice(&v.to_be_bytes());
        self
    }
    fn u32(mut self, v: u32) -> P {
        self.0.extend_from_slice(&v.to_be_bytes());
        self
    }
    fn u64(mut self, v: u64) -> P {
        self.0.extend_from_slice(&v.to_be_bytes());
        self
    }
    fn str(self, s: &[u8]) -> P {
        let mut p = self.u32(s.len() as u32);
        p.0.extend_from_slice(s);
        p
    }
    fn list(self, l: &[&str]) -> P {
        let mut p = self.u32(l.len() as u32);
        for s in l {
            p = p.str(s.as_bytes());
        }
        p
    }
}

fn frame(kind: u8, flags: u8, stream: u32, payload: &[u8]) -> Vec<u8> {
    let mut f = vec![0xA1, 0x7E, kind, flags];
    f.extend_from_slice(&stream.to_be_bytes());
    f.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    f.extend_from_slice(payload);
    f
}

fn agent_binary() -> String {
    std::env::var("AIRLOCK_AGENT").unwrap_or_else(|_| "target/agent/airlock-agent".to_string())
}

struct Agent {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Frame>,
    held: Vec<Frame>,
}

impl Agent {
    /// The agent with `args`, heartbeating every 500 ms (its default is 2 s) so liveness
    /// tests can tell a stalled loop within a second.
    fn spawn(args: &[&str]) -> Agent {
        let mut all = vec!["--heartbeat-ms", "500"];
        all.extend_from_slice(args);
        Agent::spawn_under(&agent_binary(), &all)
    }

    /// `program` with `args`: the agent itself, or a wrapper that runs it (unshare).
    fn spawn_under(program: &str, args: &[&str]) -> Agent {
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("agent binary (build with agent/build.sh)");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let mut chunk = [0u8; 65536];
            loop {
                let n = match stdout.read(&mut chunk) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => n,
                };
                buf.extend_from_slice(&chunk[..n]);
                while buf.len() >= 12 {
                    assert_eq!(&buf[..2], &[0xA1, 0x7E], "agent output out of frame");
                    let len = be32(&buf[8..12]) as usize;
                    assert!(len <= 65536);
                    if buf.len() < 12 + len {
                        break;
                    }
                    let f = Frame { kind: buf[2], flags: buf[3], stream: be32(&buf[4..8]), payload: buf[12..12 + len].to_vec() };
                    buf.drain(..12 + len);
                    if tx.send(f).is_err() {
                        return;
                    }
                }
            }
        });
        Agent { child, stdin, rx, held: Vec::new() }
    }

    /// Spawns and completes the handshake.
    fn connected(args: &[&str]) -> Agent {
        let mut a = Agent::spawn(args);
        a.hello([1; 16]);
        a
    }

    fn send(&mut self, kind: u8, flags: u8, stream: u32, payload: &[u8]) {
        self.stdin.write_all(&frame(kind, flags, stream, payload)).unwrap();
    }

    fn hello(&mut self, nonce: [u8; 16]) {
        assert_eq!(self.hello_offering(1, 2, nonce), 2);
    }

    /// Says HELLO offering versions `min..=max`; the version the agent chose.
    fn hello_offering(&mut self, min: u16, max: u16, nonce: [u8; 16]) -> u16 {
        self.stdin.write_all(&vec![0u8; 65548]).unwrap();
        self.send(HELLO, 0, 0, &P::new().u16(min).u16(max).0.iter().chain(nonce.iter()).copied().collect::<Vec<u8>>());
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let f = self.next_raw(deadline).expect("HELLO_OK");
            if f.kind == HELLO_OK && f.payload[2..18] == nonce {
                self.held.clear();
                return u16::from_be_bytes([f.payload[0], f.payload[1]]);
            }
        }
    }

    fn next_raw(&mut self, deadline: Instant) -> Option<Frame> {
        let wait = deadline.saturating_duration_since(Instant::now());
        match self.rx.recv_timeout(wait) {
            Ok(f) => Some(f),
            Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => None,
        }
    }

    /// The session's MAIN_EXITED, held back earlier or arriving within `secs`.
    fn main_exited(&mut self, secs: u64) -> Frame {
        if let Some(i) = self.held.iter().position(|f| f.kind == MAIN_EXITED) {
            return self.held.remove(i);
        }
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            match self.next_raw(deadline) {
                Some(f) if f.kind == MAIN_EXITED => return f,
                Some(_) => {}
                None => panic!("no MAIN_EXITED"),
            }
        }
    }

    /// The next frame of `stream` (heartbeats and other streams' frames are held back).
    fn next_on(&mut self, stream: u32, secs: u64) -> Frame {
        if let Some(i) = self.held.iter().position(|f| f.stream == stream) {
            return self.held.remove(i);
        }
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let f = self.next_raw(deadline).unwrap_or_else(|| panic!("no frame on stream {}", stream));
            if f.stream == stream && f.kind != HEARTBEAT {
                return f;
            }
            if f.kind != HEARTBEAT {
                self.held.push(f);
            }
        }
    }

    fn exec(&mut self, stream: u32, argv: &[&str], timeout_ms: u32, window: u32, stdin: bool) {
        let p = P::new().list(argv).list(&[]).str(b"").u32(timeout_ms).u32(window).u8(stdin as u8);
        self.send(EXEC, 0, stream, &p.0);
    }

    /// Runs to EXIT, granting credit as output arrives: (stdout, stderr, exit code, timedOut, cancelled).
    fn collect(&mut self, stream: u32) -> (Vec<u8>, Vec<u8>, i32, u8, u8) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        loop {
            let f = self.next_on(stream, 20);
            match f.kind {
                STARTED | WINDOW => {}
                STDOUT | STDERR => {
                    let n = f.payload.len() as u32;
                    if f.kind == STDOUT { &mut out } else { &mut err }.extend_from_slice(&f.payload);
                    self.send(WINDOW, 0, stream, &P::new().u32(n).0);
                }
                EXIT => {
                    let code = be32(&f.payload[..4]) as i32;
                    return (out, err, code, f.payload[4], f.payload[5]);
                }
                k => panic!("unexpected frame 0x{:02x}: {:?}", k, String::from_utf8_lossy(&f.payload)),
            }
        }
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn error_code(f: &Frame) -> u16 {
    assert_eq!(f.kind, ERROR, "expected ERROR, got 0x{:02x}", f.kind);
    u16::from_be_bytes([f.payload[0], f.payload[1]])
}

/// Pids whose command line contains `marker` as an argument.
fn processes_with(marker: &str) -> Vec<String> {
    let mut found = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.parse::<u32>().is_err() {
            continue;
        }
        if let Ok(cmd) = std::fs::read(format!("/proc/{}/cmdline", name)) {
            if cmd.split(|&c| c == 0).any(|a| a == marker.as_bytes()) {
                found.push(name);
            }
        }
    }
    found
}

#[test]
fn handshake_heartbeat_and_recovery_after_garbage() {
    let mut a = Agent::connected(&[]);
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut beat = false;
    while let Some(f) = a.next_raw(deadline) {
        if f.kind == HEARTBEAT {
            beat = true;
            break;
        }
    }
    assert!(beat, "no heartbeat");
    // garbage, then an oversized header: scan mode, no crash
    a.stdin.write_all(b"\x00garbage\xA1\x7E\xFF").unwrap();
    a.stdin.write_all(&[0xA1, 0x7E, EXEC, 0, 0, 0, 0, 9, 0, 2, 0, 0]).unwrap();
    a.hello([2; 16]);
    a.exec(1, &["/bin/echo", "again"], 0, 65536, false);
    let (out, _, code, _, _) = a.collect(1);
    assert_eq!((out, code), (b"again\n".to_vec(), 0));
    // a request on a stream in use is a protocol error on stream 0
    a.exec(2, &["sleep", "5"], 0, 65536, false);
    a.exec(2, &["true"], 0, 65536, false);
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut got = None;
    while let Some(f) = a.next_raw(deadline) {
        if f.stream == 0 && f.kind == ERROR {
            got = Some(error_code(&f));
            break;
        }
    }
    assert_eq!(got, Some(15));
    a.hello([3; 16]);
    assert!(a.child.try_wait().unwrap().is_none());
}

#[test]
fn version_mismatch_is_refused() {
    let mut a = Agent::spawn(&[]);
    a.send(HELLO, 0, 0, &P::new().u16(5).u16(6).0.iter().chain([9u8; 16].iter()).copied().collect::<Vec<u8>>());
    let f = a.next_on(0, 5);
    assert_eq!(error_code(&f), 16);
}

#[test]
fn an_airlock_offering_version_one_only_gets_version_one() {
    let mut a = Agent::spawn(&[]);
    assert_eq!(a.hello_offering(1, 1, [5; 16]), 1);
    a.exec(1, &["true"], 0, 65536, false);
    assert_eq!(a.collect(1).2, 0);
}

#[test]
fn exec_echo_missing_command_and_round_trip() {
    let mut a = Agent::connected(&[]);
    a.exec(1, &["/bin/echo", "hi"], 0, 65536, false);
    let (out, err, code, t, c) = a.collect(1);
    assert_eq!((out, err, code, t, c), (b"hi\n".to_vec(), vec![], 0, 0, 0));
    a.exec(2, &["no-such-command-xyz"], 0, 65536, false);
    let (_, err, code, _, _) = a.collect(2);
    assert_eq!(code, 127);
    assert_eq!(err, b"no-such-command-xyz: command not found\n".to_vec());
    a.exec(3, &["/etc/hostname"], 0, 65536, false);
    assert_eq!(a.collect(3).2, 126);
    let n = 20;
    let t0 = Instant::now();
    for i in 0..n {
        a.exec(10 + i, &["true"], 0, 65536, false);
        assert_eq!(a.collect(10 + i).2, 0);
    }
    println!("exec `true` round trip: {:?} on average", t0.elapsed() / n);
    a.exec(4, &["sh", "-c", "exit 3"], 0, 65536, false);
    assert_eq!(a.collect(4).2, 3);
    a.exec(5, &["sh", "-c", "kill -9 $$"], 0, 65536, false);
    assert_eq!(a.collect(5).2, 137);
}

#[test]
fn resolve_answers_the_program_an_exec_would_run_without_running_it() {
    let mut a = Agent::connected(&[]);
    let mut resolve = |stream: u32, name: &str, env: &[&str], workdir: &str| {
        a.send(RESOLVE, 0, stream, &P::new().str(name.as_bytes()).list(env).str(workdir.as_bytes()).0);
        let f = a.next_on(stream, 5);
        assert_eq!(f.kind, RESOLVED);
        let len = be32(&f.payload[..4]) as usize;
        let rest = &f.payload[4 + len..];
        let canonical_len = be32(&rest[..4]) as usize;
        assert_eq!(rest.len(), 4 + canonical_len);
        let text = |b: &[u8]| String::from_utf8(b.to_vec()).unwrap();
        (text(&f.payload[4..4 + len]), text(&rest[4..]))
    };
    let sh_canonical = std::fs::canonicalize("/bin/sh").unwrap().to_str().unwrap().to_string();
    assert_eq!(resolve(1, "sh", &["PATH=/nowhere:/bin"], "/tmp"), ("/bin/sh".into(), sh_canonical.clone()));
    assert_eq!(resolve(2, "no-such-command-xyz", &[], "/tmp"), (String::new(), String::new()));
    assert_eq!(resolve(3, "./x/../sh", &[], "/bin").0, "/bin/sh");
    assert_eq!(resolve(4, "/usr/bin/../bin/true", &[], "").0, "/usr/bin/true");
    let n = 200;
    let t0 = Instant::now();
    for i in 0..n {
        assert_eq!(resolve(10 + i, "sh", &["PATH=/bin"], "/tmp").0, "/bin/sh");
    }
    println!("RESOLVE round trip: {:?} on average", t0.elapsed() / n);
}

#[test]
fn exec_stdin_reaches_eof() {
    let mut a = Agent::connected(&[]);
    a.exec(1, &["cat"], 0, 65536, true);
    assert_eq!(a.next_on(1, 5).kind, STARTED);
    let w = a.next_on(1, 5);
    assert_eq!(w.kind, WINDOW);
    assert!(be32(&w.payload) >= 6);
    a.send(STDIN, 0, 1, b"abc");
    a.send(STDIN, END, 1, b"def");
    let (out, _, code, _, _) = a.collect(1);
    assert_eq!((out, code), (b"abcdef".to_vec(), 0));
}

#[test]
fn timeout_kills_the_whole_tree() {
    let mut a = Agent::connected(&[]);
    let script = "sleep 4242 & setsid sleep 4242 & env -i sleep 4242 & wait";
    a.exec(1, &["sh", "-c", script], 700, 65536, false);
    let t0 = Instant::now();
    let (_, _, code, timed_out, cancelled) = a.collect(1);
    assert_eq!((code, timed_out, cancelled), (137, 1, 0));
    assert!(t0.elapsed() < Duration::from_secs(5));
    assert!(processes_with("4242").is_empty(), "left behind: {:?}", processes_with("4242"));
}

#[test]
fn children_of_a_returned_exec_are_killed() {
    let mut a = Agent::connected(&[]);
    a.exec(1, &["sh", "-c", "sleep 4243 & setsid sleep 4243 & echo started"], 0, 65536, false);
    let (out, _, code, _, _) = a.collect(1);
    assert_eq!((out, code), (b"started\n".to_vec(), 0));
    assert!(processes_with("4243").is_empty(), "left behind: {:?}", processes_with("4243"));
    // and a cancel
    a.exec(2, &["sh", "-c", "sleep 4244 & sleep 4244"], 0, 65536, false);
    assert_eq!(a.next_on(2, 5).kind, STARTED);
    std::thread::sleep(Duration::from_millis(200));
    a.send(0x16, 0, 2, &[]);
    let (_, _, code, t, c) = a.collect(2);
    assert_eq!((code, t, c), (137, 0, 1));
    assert!(processes_with("4244").is_empty());
}

#[test]
fn output_flows_only_within_credit() {
    let mut a = Agent::connected(&[]);
    let total: usize = 10_000_000;
    a.exec(1, &["head", "-c", &total.to_string(), "/dev/zero"], 0, 100_000, false);
    let mut got = 0usize;
    let deadline = Instant::now() + Duration::from_millis(700);
    while let Some(f) = a.next_raw(deadline) {
        if f.stream == 1 && f.kind == STDOUT {
            got += f.payload.len();
        }
    }
    assert_eq!(got, 100_000, "delivered beyond (or short of) the credit");
    let t0 = Instant::now();
    a.send(WINDOW, 0, 1, &P::new().u32(got as u32).0);
    let (out, _, code, _, _) = a.collect(1);
    assert_eq!((got + out.len(), code), (total, 0));
    println!("10 MB through a credit-granting client: {:?}", t0.elapsed());
}

fn temp_dir(tag: &str) -> String {
    let d = format!("/tmp/airlock-agent-test-{}-{}", std::process::id(), tag);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn upload(a: &mut Agent, stream: u32, root: &str, path: &str, bytes: &[u8]) -> Frame {
    a.send(WRITE, 0, stream, &P::new().str(root.as_bytes()).str(path.as_bytes()).u64(bytes.len() as u64).u32(0o640).0);
    let mut sent = 0;
    let mut credit = 0u64;
    loop {
        let f = a.next_on(stream, 10);
        match f.kind {
            WINDOW => credit += be32(&f.payload) as u64,
            _ => return f,
        }
        while credit > 0 || sent == bytes.len() {
            let n = (credit as usize).min(65536).min(bytes.len() - sent);
            let end = if sent + n == bytes.len() { END } else { 0 };
            a.send(DATA, end, stream, &bytes[sent..sent + n]);
            sent += n;
            credit -= n as u64;
            if end == END {
                return a.next_on(stream, 10);
            }
        }
    }
}

#[test]
fn files_round_trip_list_delete_and_symlink_escape() {
    let mut a = Agent::connected(&[]);
    let root = temp_dir("files");
    let content: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let path = format!("{}/sub/dir/f.bin", root);
    let ok = upload(&mut a, 1, &root, &path, &content);
    assert_eq!(ok.kind, OK, "{:?}", String::from_utf8_lossy(&ok.payload));
    assert_eq!(std::fs::read(&path).unwrap(), content);
    // download
    a.send(READ, 0, 2, &P::new().str(path.as_bytes()).u64(10_000_000).u32(1 << 20).0);
    let info = a.next_on(2, 5);
    assert_eq!(info.kind, FILE_INFO);
    assert_eq!(u64::from_be_bytes(info.payload[..8].try_into().unwrap()), content.len() as u64);
    assert_eq!(be32(&info.payload[8..12]), 0o640);
    let mut back = Vec::new();
    loop {
        let f = a.next_on(2, 5);
        assert_eq!(f.kind, DATA);
        back.extend_from_slice(&f.payload);
        a.send(WINDOW, 0, 2, &P::new().u32(f.payload.len() as u32).0);
        if f.flags & END != 0 {
            break;
        }
    }
    assert!(back == content);
    a.send(READ, 0, 3, &P::new().str(path.as_bytes()).u64(10).u32(65536).0);
    assert_eq!(error_code(&a.next_on(3, 5)), 9);
    a.send(READ, 0, 4, &P::new().str(b"/proc/self/status").u64(1 << 20).u32(65536).0);
    assert_eq!(error_code(&a.next_on(4, 5)), 8);
    // a symlink out of root
    std::os::unix::fs::symlink("/etc", format!("{}/link", root)).unwrap();
    let refused = upload(&mut a, 5, &root, &format!("{}/link/f", root), b"x");
    assert_eq!(error_code(&refused), 8);
    assert!(!std::path::Path::new("/etc/f").exists());
    // listing
    a.send(LIST, 0, 6, &P::new().str(root.as_bytes()).u32(100).0);
    let f = a.next_on(6, 5);
    assert_eq!((f.kind, f.flags), (ENTRIES, END));
    assert_eq!(be32(&f.payload[..4]), 2);
    let text = String::from_utf8_lossy(&f.payload).into_owned();
    assert!(text.contains("sub") && text.contains("link"));
    a.send(LIST, 0, 7, &P::new().str(root.as_bytes()).u32(1).0);
    assert_eq!(error_code(&a.next_on(7, 5)), 14);
    // delete: the link (never its target), the tree, never the root
    a.send(DELETE, 0, 8, &P::new().str(root.as_bytes()).str(format!("{}/link", root).as_bytes()).0);
    assert_eq!(a.next_on(8, 5).kind, OK);
    assert!(std::path::Path::new("/etc/hostname").exists() || std::path::Path::new("/etc/passwd").exists());
    a.send(DELETE, 0, 9, &P::new().str(root.as_bytes()).str(format!("{}/sub", root).as_bytes()).0);
    assert_eq!(a.next_on(9, 5).kind, OK);
    assert!(!std::path::Path::new(&format!("{}/sub", root)).exists());
    a.send(DELETE, 0, 10, &P::new().str(root.as_bytes()).str(root.as_bytes()).0);
    assert_eq!(error_code(&a.next_on(10, 5)), 11);
    let _ = std::fs::remove_dir_all(&root);
}

fn logs_request(a: &mut Agent, stream: u32, tail: u32, follow: bool) -> Vec<(u8, Vec<u8>)> {
    a.send(LOGS, 0, stream, &P::new().u32(tail).u32(1 << 20).u8(follow as u8).u32(1 << 20).0);
    let mut got = Vec::new();
    loop {
        let f = a.next_on(stream, 10);
        assert_eq!(f.kind, LOG);
        if f.flags & END != 0 {
            return got;
        }
        got.push((f.payload[0], f.payload[1..].to_vec()));
    }
}

#[test]
fn logs_tail_and_follow_the_main_command() {
    // stdout and stderr are two pipes: their relative order holds only with a pause in between
    let script = "echo one; sleep 0.1; echo two >&2; sleep 0.1; echo three; sleep 1; echo four; exit 5";
    let mut a = Agent::connected(&["--log-bytes", "4096", "--", "sh", "-c", script]);
    std::thread::sleep(Duration::from_millis(600));
    let tail = logs_request(&mut a, 1, 2, false);
    assert_eq!(tail, vec![(2, b"two\n".to_vec()), (1, b"three\n".to_vec())]);
    let all = logs_request(&mut a, 2, 0, true);
    let text: Vec<u8> = all.iter().flat_map(|(_, b)| b.clone()).collect();
    assert_eq!(text, b"one\ntwo\nthree\nfour\n".to_vec());
    let f = a.main_exited(3);
    assert_eq!(be32(&f.payload[..4]), 5);
    let status = a.child.wait().unwrap();
    assert_eq!(status.code(), Some(5));
}

#[test]
fn terminates_on_sigterm_without_main_command() {
    let mut a = Agent::connected(&[]);
    let rss = std::fs::read_to_string(format!("/proc/{}/status", a.child.id())).unwrap();
    if let Some(l) = rss.lines().find(|l| l.starts_with("VmRSS")) {
        println!("idle agent {}", l);
    }
    unsafe {
        kill(a.child.id() as i32, 15);
    }
    let status = a.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

extern "C" {
    fn kill(pid: i32, sig: i32) -> i32;
}
