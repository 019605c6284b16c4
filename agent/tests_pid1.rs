//! End-to-end test: the agent as PID 1 of its own PID namespace, as in a container without the
//! engine's init (`unshare --pid --fork --mount-proc`, which needs root; skipped otherwise). A module
//! of tests.rs, which has the client.

use super::*;

/// Whether this process may make a PID namespace with its own /proc.
fn can_unshare() -> bool {
    Command::new("unshare")
        .args(&["--pid", "--fork", "--mount-proc", "true"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Runs `script` with sh through the agent: (stdout, stderr, exit code).
fn sh(a: &mut Agent, stream: u32, script: &str) -> (String, String, i32) {
    a.exec(stream, &["sh", "-c", script], 10_000, 65536, false);
    let (out, err, code, _, _) = a.collect(stream);
    (String::from_utf8_lossy(&out).into_owned(), String::from_utf8_lossy(&err).into_owned(), code)
}

#[test]
fn serves_as_pid_1_of_a_pid_namespace() {
    if !can_unshare() {
        println!("pid 1: skipped (unshare --pid --fork --mount-proc needs root and util-linux)");
        return;
    }
    let agent = agent_binary();
    // the main command leaves an orphan (re-parented to the agent, the namespace's init), prints its
    // pid, and sleeps; --kill-child takes the namespace down when the test drops unshare
    // (the orphan waits for a file the test creates once it saw the orphan's parent)
    let go = format!("/tmp/airlock-agent-test-pid1-{}-go", std::process::id());
    let _ = std::fs::remove_file(&go);
    let main = format!("(sh -c 'while [ ! -e {} ]; do sleep 0.02; done' orphan & echo $!); exec sleep 300", go);
    let mut a = Agent::spawn_under(
        "unshare",
        &["--pid", "--fork", "--mount-proc", "--kill-child", &agent, "--", "sh", "-c", &main],
    );
    a.hello([5; 16]);
    // the agent is PID 1; its shepherd (parent check against the recorded pid, 1) runs the exec
    let (out, err, code) = sh(&mut a, 1, "cat /proc/1/comm; echo $$");
    assert_eq!(code, 0, "{}", err);
    let lines: Vec<&str> = out.lines().collect();
    let name: String = agent.rsplit('/').next().unwrap().chars().take(15).collect();
    assert_eq!(lines[0], name);
    assert!(lines[1].parse::<u32>().unwrap() > 1);
    // a DELETE's child checks its parent the same way
    let dir = format!("/tmp/airlock-agent-test-pid1-{}", std::process::id());
    std::fs::create_dir_all(format!("{}/t/a", dir)).unwrap();
    a.send(DELETE, 0, 2, &P::new().str(dir.as_bytes()).str(format!("{}/t", dir).as_bytes()).0);
    let f = a.next_on(2, 10);
    assert_eq!(f.kind, OK, "DELETE: {:?}", String::from_utf8_lossy(&f.payload));
    assert!(!std::path::Path::new(&format!("{}/t", dir)).exists());
    let _ = std::fs::remove_dir_all(&dir);
    // a shepherd's tree is killed when its command returns
    let (out, _, code) = sh(&mut a, 3, "sleep 4251 & setsid sleep 4251 & echo started");
    assert_eq!((out.as_str(), code), ("started\n", 0));
    let deadline = Instant::now() + Duration::from_secs(5);
    while !processes_with("4251").is_empty() {
        assert!(Instant::now() < deadline, "the exec's tree survived: {:?}", processes_with("4251"));
        std::thread::sleep(Duration::from_millis(20));
    }
    // the main command's orphan was re-parented to the agent, and once it exits it is reaped (no zombie)
    let logged = logs_request(&mut a, 4, 0, false);
    let orphan: u32 = String::from_utf8_lossy(&logged[0].1).trim().parse().expect("the orphan's pid");
    let (out, _, _) = sh(&mut a, 5, &format!("cut -d' ' -f4 /proc/{}/stat", orphan));
    assert_eq!(out.trim(), "1", "the orphan's parent");
    std::fs::write(&go, b"").unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut k = 100;
    loop {
        // gone from /proc: it exited and was reaped (a zombie would stay, state Z)
        let (out, _, _) = sh(&mut a, k, &format!("cut -d' ' -f3 /proc/{}/stat 2>/dev/null || echo gone", orphan));
        if out.trim() == "gone" {
            break;
        }
        assert!(Instant::now() < deadline, "the orphan was not reaped: state {}", out.trim());
        std::thread::sleep(Duration::from_millis(50));
        k += 1;
    }
    let _ = std::fs::remove_file(&go);
    // SIGKILL and SIGSTOP from inside the namespace do nothing to PID 1
    let (_, err, code) = sh(&mut a, 7, "kill -KILL 1; kill -STOP 1; sleep 0.2; cut -d' ' -f3 /proc/1/stat");
    assert_eq!(code, 0, "{}", err);
    let (out, _, code) = sh(&mut a, 8, "cut -d' ' -f3 /proc/1/stat");
    assert_eq!(code, 0);
    assert_ne!(out.trim(), "T", "PID 1 stopped");
    // SIGTERM to PID 1 from inside reaches the main command, whose exit ends the agent and the sandbox
    // (the exec's EXIT may not come: the agent ends its calls when the main command exits)
    a.exec(9, &["sh", "-c", "kill -TERM 1"], 10_000, 65536, false);
    let f = a.main_exited(5);
    assert_eq!((be32(&f.payload[..4]), be32(&f.payload[4..8])), (143, 15));
    assert_eq!(a.child.wait().unwrap().code(), Some(143));
}
