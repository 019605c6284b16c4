//! End-to-end tests: the egress listener (`--egress-port`) and `ACCEPT` tunnels, attacked the way a
//! process of the sandbox would: floods of connections, a client that sends without reading, a
//! client that resets, a process that tries to take the port. A module of tests.rs, which has the
//! client.

use super::*;
use std::net::{Shutdown, TcpListener, TcpStream};

const CANCEL: u8 = 0x16;
const ACCEPT: u8 = 0x40;
const ACCEPTED: u8 = 0x41;
const IO: u16 = 18;

/// A port nobody listens on right now (the kernel's pick, released).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The agent listening on a free port: (agent in a version 3 session, port).
fn listening() -> (Agent, u16) {
    let port = free_port();
    let mut a = Agent::spawn(&["--egress-port", &port.to_string()]);
    let ok = hello_v3(&mut a, [1; 16]);
    assert_eq!(egress_port(&ok), port);
    (a, port)
}

/// HELLO offering 1 to 3: the HELLO_OK payload.
fn hello_v3(a: &mut Agent, nonce: [u8; 16]) -> Vec<u8> {
    a.stdin.write_all(&vec![0u8; 65548]).unwrap();
    let hello: Vec<u8> = P::new().u16(1).u16(3).0.iter().chain(nonce.iter()).copied().collect();
    a.send(HELLO, 0, 0, &hello);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let f = a.next_raw(deadline).expect("HELLO_OK");
        if f.kind == HELLO_OK && f.payload[2..18] == nonce {
            a.held.clear();
            assert_eq!(u16::from_be_bytes([f.payload[0], f.payload[1]]), 3);
            return f.payload;
        }
    }
}

/// The last field of a version 3 HELLO_OK.
fn egress_port(hello_ok: &[u8]) -> u16 {
    let n = hello_ok.len();
    u16::from_be_bytes([hello_ok[n - 2], hello_ok[n - 1]])
}

fn accept(a: &mut Agent, stream: u32, window: u32) {
    a.send(ACCEPT, 0, stream, &P::new().u32(window).0);
}

/// Waits for ACCEPTED on `stream` and the first WINDOW: (peer port, credit granted).
fn accepted(a: &mut Agent, stream: u32) -> (u16, u32) {
    let f = a.next_on(stream, 5);
    assert_eq!(f.kind, ACCEPTED, "{:?}", String::from_utf8_lossy(&f.payload));
    let port = u16::from_be_bytes([f.payload[0], f.payload[1]]);
    let w = a.next_on(stream, 5);
    assert_eq!(w.kind, WINDOW);
    (port, be32(&w.payload))
}

/// An ACCEPT on `stream`, a client connecting, the agent taking it: the client.
fn tunnel(a: &mut Agent, stream: u32, window: u32, port: u16) -> TcpStream {
    accept(a, stream, window);
    let c = connect(port);
    accepted(a, stream);
    c
}

fn connect(port: u16) -> TcpStream {
    let c = TcpStream::connect(("127.0.0.1", port)).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    c
}

/// The client's bytes as they come through the tunnel, granting credit back, up to DATA END.
fn drain(a: &mut Agent, stream: u32) -> Vec<u8> {
    let mut got = Vec::new();
    loop {
        let f = a.next_on(stream, 10);
        assert_eq!(f.kind, DATA, "{:?}", String::from_utf8_lossy(&f.payload));
        got.extend_from_slice(&f.payload);
        if f.flags & END != 0 {
            return got;
        }
        a.send(WINDOW, 0, stream, &P::new().u32(f.payload.len() as u32).0);
    }
}

/// The call's final frame: OK or ERROR (credit and data frames before it skipped).
fn final_on(a: &mut Agent, stream: u32) -> Frame {
    loop {
        let f = a.next_on(stream, 5);
        if f.kind != WINDOW && f.kind != DATA {
            return f;
        }
    }
}

fn ok_value(f: &Frame) -> u64 {
    assert_eq!(f.kind, OK, "{:?}", String::from_utf8_lossy(&f.payload));
    u64::from_be_bytes(f.payload[..8].try_into().unwrap())
}

/// Reads until EOF or an error: (bytes, the error's kind if any).
fn read_all(c: &mut TcpStream) -> (Vec<u8>, Option<std::io::ErrorKind>) {
    let mut got = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        match c.read(&mut buf) {
            Ok(0) => return (got, None),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) => return (got, Some(e.kind())),
        }
    }
}

#[test]
fn hello_ok_of_version_3_tells_the_egress_port() {
    let (_a, _) = listening();
    // without --egress-port: 0; offered only 1 to 2: no such field (a version 2 client's parser
    // takes the payload as it was)
    let mut a = Agent::spawn(&[]);
    assert_eq!(egress_port(&hello_v3(&mut a, [2; 16])), 0);
    let mut b = Agent::spawn(&["--egress-port", &free_port().to_string()]);
    b.stdin.write_all(&vec![0u8; 65548]).unwrap();
    b.send(HELLO, 0, 0, &P::new().u16(1).u16(2).0.iter().chain([3u8; 16].iter()).copied().collect::<Vec<u8>>());
    let f = b.next_on(0, 5);
    assert_eq!(f.kind, HELLO_OK);
    let agent_version_len = be32(&f.payload[22..26]) as usize;
    assert_eq!(f.payload.len(), 26 + agent_version_len + 8);
}

#[test]
fn bytes_flow_both_ways_with_half_close_then_ok() {
    let (mut a, port) = listening();
    accept(&mut a, 1, 65536);
    let mut c = connect(port);
    let (peer, credit) = accepted(&mut a, 1);
    assert_eq!(peer, c.local_addr().unwrap().port());
    assert!(credit > 0);
    c.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
    c.shutdown(Shutdown::Write).unwrap();
    assert_eq!(drain(&mut a, 1), b"GET / HTTP/1.1\r\n\r\n".to_vec());
    // the client's side ended; Airlock's answer still reaches it, then its END
    a.send(DATA, 0, 1, b"HTTP/1.1 200 OK\r\n");
    a.send(DATA, END, 1, b"\r\nbody");
    let (got, err) = read_all(&mut c);
    assert_eq!((got, err), (b"HTTP/1.1 200 OK\r\n\r\nbody".to_vec(), None));
    assert_eq!(ok_value(&final_on(&mut a, 1)), 18);
    // and the other order: Airlock ends first, the client keeps sending, then closes
    let mut c = tunnel(&mut a, 2, 65536, port);
    a.send(DATA, END, 2, b"bye");
    let mut three = [0u8; 3];
    c.read_exact(&mut three).unwrap();
    assert_eq!(&three, b"bye");
    assert_eq!(c.read(&mut three).unwrap(), 0, "no EOF after Airlock's END");
    c.write_all(b"still talking").unwrap();
    drop(c);
    assert_eq!(drain(&mut a, 2), b"still talking".to_vec());
    assert_eq!(ok_value(&final_on(&mut a, 2)), 13);
}

#[test]
fn accepts_are_served_oldest_first_and_wait_for_a_connection() {
    let (mut a, port) = listening();
    accept(&mut a, 1, 1024);
    accept(&mut a, 2, 1024);
    let first = connect(port);
    let (p1, _) = accepted(&mut a, 1);
    assert_eq!(p1, first.local_addr().unwrap().port());
    let second = connect(port);
    let (p2, _) = accepted(&mut a, 2);
    assert_eq!(p2, second.local_addr().unwrap().port());
    // a connection without an ACCEPT waits in the backlog, untouched, until one comes
    let third = connect(port);
    let deadline = Instant::now() + Duration::from_millis(300);
    while let Some(f) = a.next_raw(deadline) {
        assert!(f.kind == HEARTBEAT, "unexpected 0x{:02x} on {}", f.kind, f.stream);
    }
    accept(&mut a, 3, 1024);
    assert_eq!(accepted(&mut a, 3).0, third.local_addr().unwrap().port());
}

#[test]
fn cancel_resets_the_client_and_a_pending_accept_is_cancelled() {
    let (mut a, port) = listening();
    let mut c = tunnel(&mut a, 1, 65536, port);
    c.write_all(b"half a request").unwrap();
    a.send(CANCEL, 0, 1, &[]);
    assert_eq!(error_code(&final_on(&mut a, 1)), 12);
    let (_, err) = read_all(&mut c);
    assert_eq!(err, Some(std::io::ErrorKind::ConnectionReset), "the client saw a clean end");
    // an ACCEPT not served yet: cancelled, and no connection is taken for it
    accept(&mut a, 2, 65536);
    a.send(CANCEL, 0, 2, &[]);
    assert_eq!(error_code(&a.next_on(2, 5)), 12);
    let waiting = connect(port);
    accept(&mut a, 3, 65536);
    assert_eq!(accepted(&mut a, 3).0, waiting.local_addr().unwrap().port());
}

extern "C" {
    fn setsockopt(fd: i32, level: i32, name: i32, value: *const std::os::raw::c_void, len: u32) -> i32;
    fn socket(domain: i32, kind: i32, protocol: i32) -> i32;
    fn bind(fd: i32, addr: *const u8, len: u32) -> i32;
    fn close(fd: i32) -> i32;
}

/// SO_LINGER 0: dropping the stream resets the connection.
fn reset_on_drop(c: &TcpStream) {
    use std::os::unix::io::AsRawFd;
    let linger: [i32; 2] = [1, 0];
    assert_eq!(unsafe { setsockopt(c.as_raw_fd(), 1, 13, linger.as_ptr() as *const _, 8) }, 0);
}

#[test]
fn a_client_reset_mid_stream_is_error_io() {
    let (mut a, port) = listening();
    let mut c = tunnel(&mut a, 1, 65536, port);
    c.write_all(b"partial").unwrap();
    let f = a.next_on(1, 5);
    assert_eq!((f.kind, f.payload), (DATA, b"partial".to_vec()));
    reset_on_drop(&c);
    drop(c);
    assert_eq!(error_code(&final_on(&mut a, 1)), IO);
    // while Airlock grants no credit and sends nothing, the reset is seen all the same
    let mut c = tunnel(&mut a, 2, 4, port);
    c.write_all(b"more than four bytes").unwrap();
    assert_eq!(a.next_on(2, 5).payload, b"more".to_vec());
    reset_on_drop(&c);
    drop(c);
    assert_eq!(error_code(&final_on(&mut a, 2)), IO);
    // the session and the listener go on
    let _c = tunnel(&mut a, 3, 65536, port);
}

#[test]
fn a_client_that_floods_without_reading_gets_only_the_credit() {
    let (mut a, port) = listening();
    let window = 100_000u32;
    accept(&mut a, 1, window);
    let mut c = connect(port);
    let (_, credit) = accepted(&mut a, 1);
    // client → Airlock: 10 MB offered, exactly the window comes through until Airlock grants more
    c.set_nonblocking(true).unwrap();
    let chunk = vec![7u8; 65536];
    let mut offered = 0usize;
    let until = Instant::now() + Duration::from_secs(2);
    while Instant::now() < until && offered < 32 << 20 {
        match c.write(&chunk) {
            Ok(n) => offered += n,
            Err(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
    let mut got = 0usize;
    let deadline = Instant::now() + Duration::from_millis(500);
    while let Some(f) = a.next_raw(deadline) {
        if f.stream == 1 && f.kind == DATA {
            got += f.payload.len();
        }
    }
    assert_eq!(got, window as usize, "the agent read past the credit ({} offered)", offered);
    assert!(offered < 32 << 20, "the agent buffered what the client sent");
    // Airlock → client: the client reads nothing; once the socket's buffers are full the agent
    // grants nothing more
    let mut sent = 0u64;
    let mut granted = credit as u64;
    let block = vec![9u8; 65536];
    loop {
        while granted > 0 {
            let n = granted.min(65536) as usize;
            a.send(DATA, 0, 1, &block[..n]);
            sent += n as u64;
            granted -= n as u64;
        }
        assert!(sent < 64 << 20, "{} bytes went in without the client reading", sent);
        let until = Instant::now() + Duration::from_secs(1);
        while let Some(f) = a.next_raw(until) {
            if f.stream == 1 && f.kind == WINDOW {
                granted += be32(&f.payload) as u64;
                break;
            }
        }
        if granted == 0 {
            break;
        }
    }
    // one byte beyond the credit is a protocol error that ends the session
    a.send(DATA, 0, 1, b"x");
    assert_eq!(error_code(&a.next_on(0, 5)), 15);
    println!("tunnel: {} bytes offered by a client, {} sent by Airlock before the credit ran out", offered, sent);
}

/// The agent's resident memory in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", pid)).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn a_connect_flood_costs_the_agent_nothing() {
    let (mut a, port) = listening();
    accept(&mut a, 1, 65536);
    let _first = connect(port);
    accepted(&mut a, 1);
    let before = rss_kib(a.child.id());
    // the backlog (128) fills; connects beyond it wait in the kernel or time out
    let mut clients = Vec::new();
    for _ in 0..300 {
        let addr = format!("127.0.0.1:{}", port).parse().unwrap();
        if let Ok(c) = TcpStream::connect_timeout(&addr, Duration::from_millis(50)) {
            clients.push(c);
        }
    }
    assert!(clients.len() >= 100, "only {} connections", clients.len());
    for c in clients.iter_mut() {
        let _ = c.write(&[0u8; 1000]);
    }
    // heartbeats keep coming: the loop is not spinning on a listener nobody accepts from
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut beats = 0;
    while let Some(f) = a.next_raw(deadline) {
        assert_eq!(f.kind, HEARTBEAT, "0x{:02x} on {}", f.kind, f.stream);
        beats += 1;
    }
    assert!(beats >= 2);
    let after = rss_kib(a.child.id());
    assert!(after < before + 512, "RSS grew from {} to {} KiB", before, after);
    // the first waiting one is served by the next ACCEPT, in the kernel's order
    accept(&mut a, 2, 65536);
    assert_eq!(accepted(&mut a, 2).0, clients[0].local_addr().unwrap().port());
    println!("tunnel: {} waiting connections, agent RSS {} -> {} KiB", clients.len(), before, after);
}

#[test]
fn a_session_end_resets_tunnels_and_the_listener_stays() {
    let (mut a, port) = listening();
    let mut c = tunnel(&mut a, 1, 65536, port);
    accept(&mut a, 2, 65536); // pending: dropped with the session
    hello_v3(&mut a, [9; 16]);
    let (_, err) = read_all(&mut c);
    assert_eq!(err, Some(std::io::ErrorKind::ConnectionReset));
    let waiting = connect(port);
    let deadline = Instant::now() + Duration::from_millis(300);
    while let Some(f) = a.next_raw(deadline) {
        assert_eq!(f.kind, HEARTBEAT, "the dropped ACCEPT took a connection");
    }
    accept(&mut a, 1, 65536);
    assert_eq!(accepted(&mut a, 1).0, waiting.local_addr().unwrap().port());
}

/// bind(2) of 127.0.0.1 or 0.0.0.0:`port` with SO_REUSEADDR and SO_REUSEPORT, as a process of the
/// sandbox (the same user) would try: the errno, 0 when it got the port.
fn try_to_take(port: u16, any: bool) -> i32 {
    let fd = unsafe { socket(2, 1, 0) };
    assert!(fd >= 0);
    let one: i32 = 1;
    for opt in [2, 15] {
        assert_eq!(unsafe { setsockopt(fd, 1, opt, &one as *const i32 as *const _, 4) }, 0);
    }
    let mut addr = [0u8; 16];
    addr[0..2].copy_from_slice(&2u16.to_ne_bytes());
    addr[2..4].copy_from_slice(&port.to_be_bytes());
    if !any {
        addr[4..8].copy_from_slice(&[127, 0, 0, 1]);
    }
    let r = unsafe { bind(fd, addr.as_ptr(), 16) };
    let e = if r == 0 { 0 } else { std::io::Error::last_os_error().raw_os_error().unwrap() };
    unsafe { close(fd) };
    e
}

#[test]
fn nobody_can_bind_the_port_beside_the_agent() {
    let (mut a, port) = listening();
    assert_eq!(try_to_take(port, false), 98); // EADDRINUSE
    assert_eq!(try_to_take(port, true), 98);
    // and a port taken before the agent starts: it refuses to run (fail closed)
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let taken_port = taken.local_addr().unwrap().port().to_string();
    let out = Command::new(agent_binary()).args(&["--egress-port", &taken_port]).stdin(Stdio::null()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot listen"), "{}", String::from_utf8_lossy(&out.stderr));
    for bad in ["0", "65536", "x"] {
        let out = Command::new(agent_binary()).args(&["--egress-port", bad]).stdin(Stdio::null()).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "--egress-port {}", bad);
    }
    // an exec's processes do not hold the listener: it is not among their descriptors
    a.exec(9, &["sh", "-c", "ls -l /proc/$$/fd | grep -c socket || true"], 0, 65536, false);
    let (out, _, _, _, _) = a.collect(9);
    assert_eq!(String::from_utf8_lossy(&out).trim(), "0");
}

#[test]
fn accept_without_a_listener_or_in_an_older_session() {
    let mut a = Agent::spawn(&[]);
    hello_v3(&mut a, [4; 16]);
    accept(&mut a, 1, 65536);
    assert_eq!(error_code(&a.next_on(1, 5)), 11); // INVALID
    // a session of version 2 knows no ACCEPT: a protocol error
    let port = free_port();
    let mut b = Agent::spawn(&["--egress-port", &port.to_string()]);
    assert_eq!(b.hello_offering(1, 2, [5; 16]), 2);
    accept(&mut b, 1, 65536);
    assert_eq!(error_code(&b.next_on(0, 5)), 15);
}

#[test]
fn many_tunnels_at_once() {
    let (mut a, port) = listening();
    let n = 60u32;
    for s in 1..=n {
        accept(&mut a, s, 65536);
    }
    accept(&mut a, n + 1, 65536);
    accept(&mut a, n + 2, 65536);
    accept(&mut a, n + 3, 65536);
    accept(&mut a, n + 4, 65536);
    accept(&mut a, n + 5, 65536); // the 65th call at once
    assert_eq!(error_code(&a.next_on(n + 5, 5)), 10); // LIMIT
    let mut clients: Vec<TcpStream> = (0..n).map(|_| connect(port)).collect();
    for s in 1..=n {
        accepted(&mut a, s);
    }
    for (i, c) in clients.iter_mut().enumerate() {
        c.write_all(format!("client {}", i).as_bytes()).unwrap();
        c.shutdown(Shutdown::Write).unwrap();
    }
    for s in 1..=n {
        let got = drain(&mut a, s);
        a.send(DATA, END, s, &got);
    }
    for (i, c) in clients.iter_mut().enumerate() {
        assert_eq!(read_all(c), (format!("client {}", i).into_bytes(), None));
    }
    for s in 1..=n {
        ok_value(&final_on(&mut a, s));
    }
}

/// Not an assertion: what one short request and answer through a fresh tunnel costs here (connect,
/// ACCEPTED, the request, the answer, both ends), printed for the notes.
#[test]
fn tunnel_round_trip() {
    let (mut a, port) = listening();
    let n = 200u32;
    let mut times = Vec::new();
    let ahead = 8; // ACCEPTs kept waiting, as a gateway would
    for s in 1..=ahead {
        accept(&mut a, s, 65536);
    }
    for s in 1..=n {
        accept(&mut a, s + ahead, 65536);
        let began = Instant::now();
        let mut c = connect(port);
        accepted(&mut a, s);
        c.write_all(b"GET http://example.org/ HTTP/1.1\r\n\r\n").unwrap();
        let f = a.next_on(s, 5);
        assert_eq!(f.kind, DATA);
        a.send(DATA, END, s, b"HTTP/1.1 204 No Content\r\n\r\n");
        let mut answer = Vec::new();
        c.read_to_end(&mut answer).unwrap();
        times.push(began.elapsed());
        drop(c);
    }
    times.sort();
    println!("tunnel: fresh connection, request and answer: p50 {:?}, p90 {:?}", times[times.len() / 2], times[times.len() * 9 / 10]);
}
