//! End-to-end tests: nothing a call does on the filesystem stalls the agent's loop (heartbeats keep
//! their interval, other calls are served). A module of tests.rs, which has the client.

use super::*;

/// Airlock declares an agent lost after 1.4 s of silence; the tests allow at most this much.
const MAX_SILENCE: Duration = Duration::from_secs(1);

/// A scratch folder on tmpfs when there is one (where a large tree is cheap, as in a sandbox).
fn scratch(tag: &str) -> String {
    let base = if std::path::Path::new("/dev/shm").is_dir() { "/dev/shm" } else { "/tmp" };
    let d = format!("{}/airlock-agent-test-{}-{}", base, std::process::id(), tag);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `folders` folders of `files` empty files each below `dir`.
fn tree(dir: &str, folders: usize, files: usize) {
    for i in 0..folders {
        let sub = format!("{}/d{:03}", dir, i);
        std::fs::create_dir_all(&sub).unwrap();
        for j in 0..files {
            std::fs::File::create(format!("{}/file-{:05}", sub, j)).unwrap();
        }
    }
}

/// Every frame until the final frame on `stream` (`is_final` tells), with the longest silence between
/// two frames (counted from now) and the number of heartbeats.
fn until_final(a: &mut Agent, stream: u32, secs: u64, is_final: &dyn Fn(&Frame) -> bool) -> (Vec<Frame>, Duration, usize) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut last = Instant::now();
    let (mut frames, mut silence, mut beats) = (Vec::new(), Duration::from_secs(0), 0);
    loop {
        let f = a.next_raw(deadline).unwrap_or_else(|| panic!("no final frame on stream {}", stream));
        let now = Instant::now();
        silence = silence.max(now - last);
        last = now;
        if f.kind == HEARTBEAT {
            beats += 1;
            continue;
        }
        let done = f.stream == stream && is_final(&f);
        frames.push(f);
        if done {
            return (frames, silence, beats);
        }
    }
}

fn delete(a: &mut Agent, stream: u32, root: &str, path: &str) {
    a.send(DELETE, 0, stream, &P::new().str(root.as_bytes()).str(path.as_bytes()).0);
}

/// Processes whose parent is `pid`.
fn children_of(pid: u32) -> Vec<String> {
    let mut found = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.parse::<u32>().is_err() {
            continue;
        }
        if let Ok(stat) = std::fs::read_to_string(format!("/proc/{}/stat", name)) {
            let rest = &stat[stat.rfind(')').map_or(0, |i| i + 1)..];
            if rest.split_whitespace().nth(1) == Some(&pid.to_string()) {
                found.push(name);
            }
        }
    }
    found
}

fn no_children_left(pid: u32) -> bool {
    let deadline = Instant::now() + Duration::from_secs(3);
    while Instant::now() < deadline {
        if children_of(pid).is_empty() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

#[test]
fn huge_folders_never_silence_the_session() {
    let mut a = Agent::connected(&[]);
    let root = scratch("huge");
    let flat = format!("{}/flat", root);
    std::fs::create_dir_all(&flat).unwrap();
    for j in 0..20_000 {
        std::fs::File::create(format!("{}/entry-{:05}", flat, j)).unwrap();
    }
    let deep = format!("{}/deep", root);
    tree(&deep, 100, 500);
    // a listing of 20,000 entries: counted, then sent, in slices
    a.send(LIST, 0, 1, &P::new().str(flat.as_bytes()).u32(100_000).0);
    let t0 = Instant::now();
    let (frames, silence, _) = until_final(&mut a, 1, 60, &|f| f.flags & END != 0);
    let n: u32 = frames.iter().filter(|f| f.kind == ENTRIES).map(|f| be32(&f.payload[..4])).sum();
    assert_eq!(n, 20_000);
    assert!(silence <= MAX_SILENCE, "silent for {:?} during a LIST", silence);
    println!("LIST of 20,000 entries: {:?}, longest silence {:?}", t0.elapsed(), silence);
    // a DELETE of 50,000 files: heartbeats keep coming, another call is served meanwhile
    let t0 = Instant::now();
    delete(&mut a, 2, &root, &root);
    assert_eq!(error_code(&a.next_on(2, 5)), 11); // deleting the root itself is INVALID
    delete(&mut a, 3, &root, &deep);
    a.exec(4, &["/bin/echo", "served"], 0, 65536, false);
    let (frames, silence, beats) = until_final(&mut a, 3, 120, &|f| f.kind == OK || f.kind == ERROR);
    let took = t0.elapsed();
    assert_eq!(frames.last().unwrap().kind, OK, "{:?}", String::from_utf8_lossy(&frames.last().unwrap().payload));
    assert!(silence <= MAX_SILENCE, "silent for {:?} during a DELETE", silence);
    assert!(!std::path::Path::new(&deep).exists(), "the tree is still there");
    // the exec sent after the DELETE was served while the delete was running
    let echo: Vec<u8> = frames.iter().filter(|f| f.stream == 4 && f.kind == STDOUT).flat_map(|f| f.payload.clone()).collect();
    let exited = frames.iter().any(|f| f.stream == 4 && f.kind == EXIT);
    assert!(exited && echo == b"served\n", "an exec was not served during the DELETE ({:?})", took);
    println!("DELETE of 50,000 files: {:?}, {} heartbeats, longest silence {:?}", took, beats, silence);
    a.held.extend(frames.into_iter().filter(|f| f.stream == 4));
    assert_eq!(a.collect(4).2, 0);
    assert!(no_children_left(a.child.id()), "left behind: {:?}", children_of(a.child.id()));
    let _ = std::fs::remove_dir_all(&root);
}

extern "C" {
    fn mkfifo(path: *const std::os::raw::c_char, mode: u32) -> i32;
}

#[test]
fn a_fifo_is_refused_promptly() {
    let mut a = Agent::connected(&[]);
    let root = scratch("fifo");
    std::fs::create_dir_all(format!("{}/sub", root)).unwrap();
    let fifo = format!("{}/sub/pipe", root);
    let c = std::ffi::CString::new(fifo.clone()).unwrap();
    assert_eq!(unsafe { mkfifo(c.as_ptr(), 0o600) }, 0);
    let t0 = Instant::now();
    a.send(READ, 0, 1, &P::new().str(fifo.as_bytes()).u64(1 << 20).u32(65536).0);
    assert_eq!(error_code(&a.next_on(1, 5)), 3); // NOT_A_FILE, without waiting for a writer
    a.send(LIST, 0, 2, &P::new().str(fifo.as_bytes()).u32(100).0);
    assert_eq!(error_code(&a.next_on(2, 5)), 2); // NOT_A_DIRECTORY
    assert!(t0.elapsed() < Duration::from_secs(1), "took {:?}", t0.elapsed());
    // an upload over a FIFO replaces it (the bytes go to a new file, renamed over it)
    assert_eq!(upload(&mut a, 3, &root, &fifo, b"data").kind, OK);
    assert_eq!(std::fs::read(&fifo).unwrap(), b"data");
    let c = std::ffi::CString::new(format!("{}/sub/pipe2", root)).unwrap();
    assert_eq!(unsafe { mkfifo(c.as_ptr(), 0o600) }, 0);
    delete(&mut a, 4, &root, &format!("{}/sub", root));
    assert_eq!(a.next_on(4, 5).kind, OK);
    assert!(!std::path::Path::new(&format!("{}/sub", root)).exists());
    a.exec(5, &["true"], 0, 65536, false);
    assert_eq!(a.collect(5).2, 0);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn cancel_and_session_end_kill_a_delete() {
    let mut a = Agent::connected(&[]);
    let root = scratch("cancel");
    let big = format!("{}/big", root);
    tree(&big, 40, 500);
    delete(&mut a, 1, &root, &big);
    a.send(0x16, 0, 1, &[]); // CANCEL
    let f = a.next_on(1, 5);
    assert_eq!(error_code(&f), 12, "{:?}", String::from_utf8_lossy(&f.payload)); // CANCELLED
    assert!(no_children_left(a.child.id()), "left behind: {:?}", children_of(a.child.id()));
    assert!(std::path::Path::new(&big).exists(), "the delete ran to the end");
    // a CANCEL crossing the answer is ignored; the stream is free again
    a.send(0x16, 0, 1, &[]);
    // a new session (HELLO) kills a running delete, too
    delete(&mut a, 2, &root, &big);
    std::thread::sleep(Duration::from_millis(50));
    a.hello([7; 16]);
    assert!(no_children_left(a.child.id()), "left behind: {:?}", children_of(a.child.id()));
    assert!(std::path::Path::new(&big).exists(), "the delete ran to the end");
    // and a delete left alone finishes
    delete(&mut a, 3, &root, &big);
    assert_eq!(a.next_on(3, 60).kind, OK);
    assert!(!std::path::Path::new(&big).exists());
    let _ = std::fs::remove_dir_all(&root);
}
