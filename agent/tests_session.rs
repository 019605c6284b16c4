//! End-to-end tests: late frames for long-finished streams, and strings over 64 KiB in requests
//! spread over PART frames. A module of tests.rs, which has the client.

use super::*;

const CANCEL: u8 = 0x16;
const PART: u8 = 0x19;

/// The next frame on stream 0 other than a heartbeat within `millis`, if any.
pub(super) fn session_frame(a: &mut Agent, millis: u64) -> Option<Frame> {
    let deadline = Instant::now() + Duration::from_millis(millis);
    while let Some(f) = a.next_raw(deadline) {
        if f.stream == 0 && f.kind != HEARTBEAT {
            return Some(f);
        }
        if f.kind != HEARTBEAT {
            a.held.push(f);
        }
    }
    None
}

/// Sends a request of any size: PART frames of 65536 bytes, then the request frame with the rest.
pub(super) fn request(a: &mut Agent, kind: u8, stream: u32, payload: &[u8]) {
    let mut rest = payload;
    while rest.len() > 65536 {
        a.send(PART, 0, stream, &rest[..65536]);
        rest = &rest[65536..];
    }
    a.send(kind, 0, stream, rest);
}

#[test]
fn late_frames_for_long_finished_streams_are_ignored() {
    let mut a = Agent::connected(&[]);
    // 5,000 calls, each finished (LOGS without follow, no main command: an empty LOG with END)
    let n = 5000u32;
    let batch = 32;
    let mut s = 1;
    while s <= n {
        let last = (s + batch - 1).min(n);
        for k in s..=last {
            a.send(LOGS, 0, k, &P::new().u32(0).u32(1024).u8(0).u32(1024).0);
        }
        for k in s..=last {
            let f = a.next_on(k, 10);
            assert_eq!((f.kind, f.flags & END), (LOG, END), "stream {}", k);
        }
        s = last + 1;
    }
    // late frames for the first ones, finished 5,000 calls ago: ignored, the session stays
    a.send(CANCEL, 0, 1, &[]);
    a.send(WINDOW, 0, 2, &P::new().u32(4096).0);
    a.send(STDIN, END, 3, b"late");
    a.send(DATA, END, 4, b"late");
    a.exec(n + 1, &["/bin/echo", "still here"], 0, 65536, false);
    let (out, _, code, _, _) = a.collect(n + 1);
    assert_eq!((out, code), (b"still here\n".to_vec(), 0));
    assert!(session_frame(&mut a, 300).is_none(), "the late frames ended the session");
    // a frame for a stream above every id used so far is still a protocol error
    a.send(CANCEL, 0, n + 100, &[]);
    let f = session_frame(&mut a, 5000).expect("ERROR PROTOCOL on stream 0");
    assert_eq!(error_code(&f), 15);
    // and a new session starts from scratch: the old ids are unknown again
    a.hello([4; 16]);
    a.send(CANCEL, 0, 1, &[]);
    let f = session_frame(&mut a, 5000).expect("ERROR PROTOCOL on stream 0");
    assert_eq!(error_code(&f), 15);
}

#[test]
fn env_values_over_64_kib() {
    let mut a = Agent::connected(&[]);
    // 100 KB: about the longest env value Airlock accepts (32,768 characters of UTF-8); it reaches the
    // command
    let value = "é".repeat(50_000);
    let env = format!("BIG={}", value);
    let p = P::new()
        .list(&["sh", "-c", "printf %s \"$BIG\" | wc -c"])
        .list(&[&env])
        .str(b"")
        .u32(0)
        .u32(65536)
        .u8(0);
    request(&mut a, EXEC, 1, &p.0);
    let (out, err, code, _, _) = a.collect(1);
    assert_eq!((String::from_utf8_lossy(&out).trim(), code), ("100000", 0), "{}", String::from_utf8_lossy(&err));
    // 200 KB: the protocol carries it; the kernel refuses one env string over 128 KiB (E2BIG), which is
    // the command's failure (126), not the session's
    let env = format!("BIG={}", "v".repeat(200_000));
    let p = P::new().list(&["true"]).list(&[&env]).str(b"").u32(0).u32(65536).u8(0);
    request(&mut a, EXEC, 2, &p.0);
    let (_, err, code, _, _) = a.collect(2);
    assert_eq!(code, 126, "{}", String::from_utf8_lossy(&err));
    assert!(String::from_utf8_lossy(&err).contains("Argument list too long"), "{}", String::from_utf8_lossy(&err));
    // a 200 KB path string is read too (and refused by the filesystem, not the parser)
    let path = format!("/{}", "p".repeat(200_000));
    request(&mut a, READ, 3, &P::new().str(path.as_bytes()).u64(10).u32(65536).0);
    assert_eq!(a.next_on(3, 5).kind, ERROR);
    assert!(session_frame(&mut a, 300).is_none(), "a long string ended the session");
}
