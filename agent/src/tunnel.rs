//! Egress tunnels (PROTOCOL.md "Tunnels"), agent side: the listener bound at start, and one
//! accepted connection per `ACCEPT` call, relayed with credit in both directions.
//!
//! Nothing is allocated for a connection until an `ACCEPT` is waiting for it: the kernel's backlog
//! holds the others. Each tunnel buffers at most `WINDOW` bytes for its client.

use crate::proto::{self, code, Failure, Outbox, Writer, ACCEPTED, DATA, FLAG_END, OK, WINDOW as WINDOW_FRAME};
use crate::sys::{self, errno, Fd, EAGAIN};

/// Credit the agent grants Airlock per tunnel: at most this much is buffered for a client.
pub const WINDOW: usize = 64 << 10;
/// Connections the kernel keeps waiting for an `ACCEPT`.
pub const BACKLOG: i32 = 128;

/// accept(2)'s errors that concern one connection only: EINTR, EPERM, ENONET, EPROTO,
/// ENOPROTOOPT, EOPNOTSUPP, ENETDOWN, ENETUNREACH, ECONNABORTED, EHOSTDOWN, EHOSTUNREACH.
const GONE: [i32; 11] = [4, 1, 64, 71, 92, 95, 100, 101, 103, 112, 113];
const EMFILE: i32 = 24;
const ENFILE: i32 = 23;
const ENOBUFS: i32 = 105;
const ENOMEM: i32 = 12;

/// The listener: 127.0.0.1:port in the sandbox's own network namespace.
pub struct Listener {
    pub port: u16,
    pub fd: Fd,
}

impl Listener {
    pub fn bind(port: u16) -> std::io::Result<Listener> {
        Ok(Listener { port, fd: sys::listen_loopback(port, BACKLOG)? })
    }

    /// The next waiting connection: Ok(None) when there is none; Err for a failure that would
    /// recur at once (out of descriptors or memory, a broken listener), which the oldest `ACCEPT`
    /// answers instead of the loop spinning on a listener that stays readable.
    pub fn next(&self) -> Result<Option<(Fd, u16)>, Failure> {
        loop {
            match sys::accept_connection(&self.fd) {
                Ok(c) => return Ok(Some(c)),
                Err(e) if errno(&e) == EAGAIN => return Ok(None),
                // the client gave up before it was taken, and the network errors accept(2) passes
                // on: the next one
                Err(e) if GONE.contains(&errno(&e)) => continue,
                Err(e) => {
                    let c = if [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(&errno(&e)) { code::LIMIT } else { code::INTERNAL };
                    return Err(Failure(c, format!("accept: {}", e)));
                }
            }
        }
    }
}

/// One accepted connection.
pub struct Tunnel {
    stream: u32,
    sock: Fd,
    /// credit Airlock granted for DATA towards it
    credit: u64,
    /// bytes from Airlock not yet written to the client
    pending: Vec<u8>,
    /// credit granted to Airlock and not yet used
    granted: u64,
    /// bytes written to the client and not yet granted back: a `WINDOW` goes once they reach a
    /// quarter of the window (one per DATA frame would double a small exchange's frames). With
    /// Airlock's credit spent and `pending` written, the whole window is owed: never a stall.
    owed: u64,
    /// the client's side is still open: its bytes are read
    reading: bool,
    /// Airlock sent `END`: shutdown(SHUT_WR) once `pending` is written
    ending: bool,
    /// shutdown(SHUT_WR) done
    shut: bool,
    received: u64,
    /// ended cleanly (`OK` sent): closed without a reset
    clean: bool,
    /// both ends shut down at the TCP level without an error while nothing could be read (POLLHUP):
    /// no longer polled for errors only, which would report it again at once
    hung_up: bool,
}

impl Tunnel {
    /// The connection taken for an `ACCEPT` with `window`: answers `ACCEPTED` and the first `WINDOW`.
    pub fn open(stream: u32, sock: Fd, peer_port: u16, window: u32, out: &mut Outbox) -> Tunnel {
        out.send(ACCEPTED, 0, stream, &Writer::new().u16(peer_port).0);
        out.send(WINDOW_FRAME, 0, stream, &Writer::new().u32(WINDOW as u32).0);
        Tunnel {
            stream,
            sock,
            credit: window as u64,
            pending: Vec::new(),
            granted: WINDOW as u64,
            owed: 0,
            reading: true,
            ending: false,
            shut: false,
            received: 0,
            clean: false,
            hung_up: false,
        }
    }

    pub fn grant(&mut self, n: u32) {
        self.credit += n as u64;
    }

    /// What to poll the socket for, and whether that is no event at all (`idle`): a reset shows as
    /// POLLERR even when nothing can be read or written.
    pub fn watch(&self, data_room: usize) -> Option<(i32, i16, bool)> {
        let mut ev = 0;
        if self.reading && self.credit > 0 && data_room > 0 {
            ev |= sys::POLLIN;
        }
        if !self.pending.is_empty() {
            ev |= sys::POLLOUT;
        }
        if ev == 0 && self.hung_up {
            return None;
        }
        Some((self.sock.raw(), ev, ev == 0))
    }

    /// `DATA` from Airlock; Err(None) is a protocol error (beyond credit, after `END`).
    pub fn data(&mut self, data: &[u8], end: bool, out: &mut Outbox) -> Result<(), Option<Failure>> {
        if self.ending || data.len() as u64 > self.granted {
            return Err(None);
        }
        self.granted -= data.len() as u64;
        self.pending.extend_from_slice(data);
        self.ending = end;
        self.write(out).map_err(Some)
    }

    /// The socket is ready (or, when `idle`, reported an error or a hang-up).
    pub fn ready(&mut self, idle: bool, data_room: usize, out: &mut Outbox) -> Result<(), Failure> {
        if idle {
            // an error, or a hang-up: the client ended its side after Airlock's END, and what it
            // sent before is read once Airlock grants credit
            return match sys::socket_error(&self.sock) {
                Some(e) => Err(Failure(code::IO, format!("client: {}", e))),
                None => {
                    self.hung_up = true;
                    Ok(())
                }
            };
        }
        self.write(out)?;
        let max = (self.credit as usize).min(proto::MAX_PAYLOAD).min(data_room);
        if self.reading && max > 0 {
            match proto::read_frame(&self.sock, DATA, self.stream, &[], max) {
                Ok(Some(f)) if f.len() > proto::HEADER => {
                    let n = (f.len() - proto::HEADER) as u64;
                    self.credit -= n;
                    self.received += n;
                    out.push(f);
                }
                Ok(Some(_)) => {
                    // the client shut down its side: its last frame
                    self.reading = false;
                    out.send(DATA, FLAG_END, self.stream, &[]);
                }
                Ok(None) => {}
                Err(e) => return Err(Failure(code::IO, format!("client: {}", e))),
            }
        }
        Ok(())
    }

    /// Writes what the socket takes, gives the credit back, and shuts the client's side once
    /// Airlock's `END` is through.
    fn write(&mut self, out: &mut Outbox) -> Result<(), Failure> {
        let mut written = 0;
        while written < self.pending.len() {
            match self.sock.write(&self.pending[written..]) {
                Ok(n) => written += n,
                Err(e) if errno(&e) == EAGAIN => break,
                Err(e) => return Err(Failure(code::IO, format!("client: {}", e))),
            }
        }
        self.pending.drain(..written);
        if written > 0 && !self.ending {
            self.owed += written as u64;
            if self.owed >= (WINDOW / 4) as u64 {
                self.granted += self.owed;
                out.send(WINDOW_FRAME, 0, self.stream, &Writer::new().u32(self.owed as u32).0);
                self.owed = 0;
            }
        }
        if self.pending.is_empty() {
            self.pending = Vec::new(); // nothing held between bursts
            if self.ending && !self.shut {
                sys::shutdown_write(&self.sock).map_err(|e| Failure(code::IO, format!("client: {}", e)))?;
                self.shut = true;
            }
        }
        Ok(())
    }

    /// Sends `OK` once both directions ended; true when the call is over.
    pub fn try_finish(&mut self, out: &mut Outbox) -> bool {
        if self.reading || !self.shut {
            return false;
        }
        out.send(OK, 0, self.stream, &Writer::new().u64(self.received).0);
        self.clean = true;
        true
    }
}

impl Drop for Tunnel {
    /// Cancelled, failed or cut off by the session's end: the client sees a reset, never an end
    /// that could pass for a complete answer.
    fn drop(&mut self) {
        if !self.clean {
            sys::reset_on_close(&self.sock);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::os::unix::io::IntoRawFd;

    /// A tunnel over a real loopback connection: (tunnel, the client's end, the frames it queued).
    fn pair(window: u32) -> (Tunnel, TcpStream, Outbox) {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        let (server, peer) = l.accept().unwrap();
        server.set_nonblocking(true).unwrap();
        let mut out = Outbox::new();
        let t = Tunnel::open(7, sys::adopt(server.into_raw_fd()), peer.port(), window, &mut out);
        (t, client, out)
    }

    #[test]
    fn data_beyond_the_credit_or_after_end_is_refused() {
        let (mut t, _c, mut out) = pair(10);
        assert!(matches!(t.data(&vec![1u8; WINDOW + 1], false, &mut out), Err(None)));
        assert!(t.data(b"last", true, &mut out).is_ok());
        assert!(matches!(t.data(b"more", false, &mut out), Err(None)));
        assert!(matches!(t.data(b"", true, &mut out), Err(None)));
    }

    #[test]
    fn end_from_both_sides_finishes_cleanly() {
        let (mut t, mut c, mut out) = pair(10);
        t.data(b"hi", true, &mut out).unwrap();
        let mut got = Vec::new();
        c.read_to_end(&mut got).unwrap();
        assert_eq!(got, b"hi");
        assert!(!t.try_finish(&mut out), "finished while the client's side is open");
        c.write_all(b"0123456789abc").unwrap();
        c.shutdown(std::net::Shutdown::Write).unwrap();
        let mut reads = 0;
        while t.reading && reads < 1000 {
            t.ready(false, 1 << 20, &mut out).unwrap();
            if t.credit == 0 {
                t.grant(100);
            }
            reads += 1;
        }
        assert_eq!(t.received, 13);
        assert!(t.try_finish(&mut out));
    }

    /// Airlock ended its side, the client sent its last bytes and ended its own while Airlock had
    /// granted no credit: the hang-up poll(2) reports is no error, and the bytes still come.
    #[test]
    fn a_hang_up_without_credit_loses_nothing() {
        let (mut t, mut c, mut out) = pair(0);
        t.data(b"", true, &mut out).unwrap();
        c.write_all(b"late").unwrap();
        c.shutdown(std::net::Shutdown::Write).unwrap();
        let (fd, ev, idle) = t.watch(1 << 20).unwrap();
        assert!(idle && ev == 0);
        let mut p = [sys::PollFd { fd, events: ev, revents: 0 }];
        sys::poll_fds(&mut p, 5000).unwrap();
        assert!(p[0].revents & sys::POLLHUP != 0, "revents {}", p[0].revents);
        t.ready(true, 1 << 20, &mut out).unwrap();
        assert!(t.watch(1 << 20).is_none(), "polled again for the same hang-up");
        t.grant(100);
        let mut reads = 0;
        while t.reading && reads < 1000 {
            t.ready(false, 1 << 20, &mut out).unwrap();
            reads += 1;
        }
        assert_eq!(t.received, 4);
        assert!(t.try_finish(&mut out));
    }

    #[test]
    fn a_tunnel_dropped_unfinished_resets_its_client() {
        let (t, mut c, _) = pair(10);
        drop(t);
        let mut buf = [0u8; 8];
        let e = c.read(&mut buf).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset);
    }
}
