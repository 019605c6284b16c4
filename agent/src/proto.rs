//! Framing (PROTOCOL.md "Frames"): the inbound decoder with its scan mode, payload readers and writers,
//! and the bounded outbound queue.

use crate::sys::{errno, Fd, EAGAIN};
use std::collections::VecDeque;
use std::io;

pub const MAGIC: [u8; 2] = [0xA1, 0x7E];
pub const HEADER: usize = 12;
pub const MAX_PAYLOAD: usize = 65536;
/// The longest `str` (an exec's env value of 32,768 characters is up to ~128 KB in UTF-8); a request
/// spans at most 16 MiB of PART frames anyway.
pub const MAX_STR: usize = 1 << 20;
pub const MAX_LIST: usize = 4096;
pub const FLAG_END: u8 = 1;
pub const HELLO_LEN: usize = 20;

pub const HELLO: u8 = 0x01;
pub const HELLO_OK: u8 = 0x02;
pub const HEARTBEAT: u8 = 0x03;
pub const MAIN_EXITED: u8 = 0x04;
pub const EXEC: u8 = 0x10;
pub const STARTED: u8 = 0x11;
pub const STDIN: u8 = 0x12;
pub const STDOUT: u8 = 0x13;
pub const STDERR: u8 = 0x14;
pub const EXIT: u8 = 0x15;
pub const CANCEL: u8 = 0x16;
pub const WINDOW: u8 = 0x17;
pub const ERROR: u8 = 0x18;
pub const WRITE: u8 = 0x20;
pub const DATA: u8 = 0x21;
pub const OK: u8 = 0x22;
pub const READ: u8 = 0x23;
pub const FILE_INFO: u8 = 0x24;
pub const LIST: u8 = 0x25;
pub const ENTRIES: u8 = 0x26;
pub const DELETE: u8 = 0x27;
pub const RESOLVE: u8 = 0x28;
pub const RESOLVED: u8 = 0x29;
pub const PART: u8 = 0x19;
pub const DEFAULTS: u8 = 0x1A;
pub const LOGS: u8 = 0x30;
pub const LOG: u8 = 0x31;
pub const ACCEPT: u8 = 0x40;
pub const ACCEPTED: u8 = 0x41;

fn known_type(t: u8) -> bool {
    matches!(t, 0x01..=0x04 | 0x10..=0x1A | 0x20..=0x29 | 0x30 | 0x31 | 0x40 | 0x41)
}

/// Error codes (PROTOCOL.md "Error codes").
pub mod code {
    pub const NOT_FOUND: u16 = 1;
    pub const NOT_A_DIRECTORY: u16 = 2;
    pub const NOT_A_FILE: u16 = 3;
    pub const PERMISSION_DENIED: u16 = 4;
    pub const READ_ONLY: u16 = 5;
    pub const NO_SPACE: u16 = 6;
    pub const NO_MEMORY: u16 = 7;
    pub const PATH_REFUSED: u16 = 8;
    pub const TOO_LARGE: u16 = 9;
    pub const LIMIT: u16 = 10;
    pub const INVALID: u16 = 11;
    pub const CANCELLED: u16 = 12;
    pub const TIMEOUT: u16 = 13;
    pub const TOO_MANY: u16 = 14;
    pub const PROTOCOL: u16 = 15;
    pub const VERSION: u16 = 16;
    pub const IN_USE: u16 = 17;
    pub const IO: u16 = 18;
    pub const INTERNAL: u16 = 99;
}

/// A call's failure: an error code and a short message for the `ERROR` frame.
#[derive(Debug)]
pub struct Failure(pub u16, pub String);

impl Failure {
    pub fn new(code: u16, msg: &str) -> Failure {
        Failure(code, msg.to_string())
    }
    /// Maps an errno from a file or process operation to the protocol's codes.
    pub fn from_io(e: &io::Error, what: &str) -> Failure {
        let c = match errno(e) {
            2 => code::NOT_FOUND,
            20 => code::NOT_A_DIRECTORY,
            21 => code::NOT_A_FILE,
            1 | 13 => code::PERMISSION_DENIED,
            30 => code::READ_ONLY,
            28 | 122 => code::NO_SPACE,
            12 => code::NO_MEMORY,
            18 | 40 => code::PATH_REFUSED,
            11 | 23 | 24 | 27 => code::LIMIT,
            16 | 26 | 39 => code::IN_USE,
            22 | 36 => code::INVALID,
            _ => code::INTERNAL,
        };
        Failure(c, format!("{}: {}", what, e))
    }
}

pub struct Frame {
    pub kind: u8,
    pub flags: u8,
    pub stream: u32,
    pub payload: Vec<u8>,
}

impl Frame {
    pub fn end(&self) -> bool {
        self.flags & FLAG_END != 0
    }
}

/// What the decoder hands back.
pub enum Inbound {
    Frame(Frame),
    /// A bad header: the decoder is now in scan mode.
    Garbage,
}

/// The inbound byte stream, cut into frames. Holds at most one frame plus one read.
pub struct Decoder {
    buf: Vec<u8>,
    start: usize,
    scanning: bool,
}

pub const DECODER_CAP: usize = 2 * (HEADER + MAX_PAYLOAD);

impl Decoder {
    /// A new decoder scans: nothing is acted on before the first HELLO.
    pub fn new() -> Decoder {
        Decoder { buf: Vec::new(), start: 0, scanning: true }
    }

    #[cfg(test)]
    pub fn scanning(&self) -> bool {
        self.scanning
    }

    /// Drops into scan mode (a malformed payload or a protocol error).
    pub fn scan(&mut self) {
        self.scanning = true;
    }

    /// How many bytes may be read in now.
    pub fn room(&self) -> usize {
        DECODER_CAP - (self.buf.len() - self.start)
    }

    pub fn push(&mut self, data: &[u8]) {
        if self.start > 0 && self.start >= self.buf.len() / 2 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        self.buf.extend_from_slice(data);
    }

    pub fn next(&mut self) -> Option<Inbound> {
        if self.scanning {
            return self.scan_for_hello().map(Inbound::Frame);
        }
        let avail = &self.buf[self.start..];
        if avail.len() < HEADER {
            return None;
        }
        let len = be32(&avail[8..12]) as usize;
        if avail[0..2] != MAGIC || !known_type(avail[2]) || len > MAX_PAYLOAD {
            self.scanning = true;
            return Some(Inbound::Garbage);
        }
        if avail.len() < HEADER + len {
            return None;
        }
        let frame = Frame {
            kind: avail[2],
            flags: avail[3],
            stream: be32(&avail[4..8]),
            payload: avail[HEADER..HEADER + len].to_vec(),
        };
        self.start += HEADER + len;
        Some(Inbound::Frame(frame))
    }

    /// Discards bytes up to a complete HELLO header on stream 0 with length 20, and returns that HELLO.
    fn scan_for_hello(&mut self) -> Option<Frame> {
        let avail = &self.buf[self.start..];
        let mut i = 0;
        while i < avail.len() {
            if avail[i] != MAGIC[0] {
                i += 1;
                continue;
            }
            if avail.len() - i < HEADER + HELLO_LEN {
                break; // a candidate, not complete yet: keep it
            }
            let h = &avail[i..i + HEADER];
            if h[1] == MAGIC[1] && h[2] == HELLO && be32(&h[4..8]) == 0 && be32(&h[8..12]) == HELLO_LEN as u32 {
                let frame = Frame {
                    kind: HELLO,
                    flags: h[3],
                    stream: 0,
                    payload: avail[i + HEADER..i + HEADER + HELLO_LEN].to_vec(),
                };
                self.start += i + HEADER + HELLO_LEN;
                self.scanning = false;
                return Some(frame);
            }
            i += 1;
        }
        self.start += i;
        None
    }
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// A payload that is shorter or longer than its fields.
#[derive(Debug)]
pub struct Malformed;

/// Reads payload fields, every length checked against what is there before anything is allocated.
pub struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(b: &'a [u8]) -> Reader<'a> {
        Reader { b, pos: 0 }
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], Malformed> {
        if self.b.len() - self.pos < n {
            return Err(Malformed);
        }
        let s = &self.b[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    pub fn u8(&mut self) -> Result<u8, Malformed> {
        Ok(self.take(1)?[0])
    }
    pub fn u16(&mut self) -> Result<u16, Malformed> {
        let s = self.take(2)?;
        Ok(u16::from_be_bytes([s[0], s[1]]))
    }
    pub fn u32(&mut self) -> Result<u32, Malformed> {
        Ok(be32(self.take(4)?))
    }
    pub fn u64(&mut self) -> Result<u64, Malformed> {
        let s = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(s);
        Ok(u64::from_be_bytes(a))
    }
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], Malformed> {
        self.take(n)
    }
    pub fn str(&mut self) -> Result<&'a [u8], Malformed> {
        let n = self.u32()? as usize;
        if n > MAX_STR {
            return Err(Malformed);
        }
        self.take(n)
    }
    pub fn list(&mut self) -> Result<Vec<&'a [u8]>, Malformed> {
        let n = self.u32()? as usize;
        // every item needs at least its 4-byte length: this bounds the allocation by the payload
        if n > MAX_LIST || n > (self.b.len() - self.pos) / 4 {
            return Err(Malformed);
        }
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(self.str()?);
        }
        Ok(v)
    }
    /// The payload must end exactly here.
    pub fn done(&self) -> Result<(), Malformed> {
        if self.pos == self.b.len() {
            Ok(())
        } else {
            Err(Malformed)
        }
    }
}

/// Builds a payload.
pub struct Writer(pub Vec<u8>);

impl Writer {
    pub fn new() -> Writer {
        Writer(Vec::new())
    }
    pub fn u8(mut self, v: u8) -> Writer {
        self.0.push(v);
        self
    }
    pub fn u16(mut self, v: u16) -> Writer {
        self.0.extend_from_slice(&v.to_be_bytes());
        self
    }
    pub fn u32(mut self, v: u32) -> Writer {
        self.0.extend_from_slice(&v.to_be_bytes());
        self
    }
    pub fn u64(mut self, v: u64) -> Writer {
        self.0.extend_from_slice(&v.to_be_bytes());
        self
    }
    pub fn i32(self, v: i32) -> Writer {
        self.u32(v as u32)
    }
    pub fn i64(self, v: i64) -> Writer {
        self.u64(v as u64)
    }
    pub fn bytes(mut self, b: &[u8]) -> Writer {
        self.0.extend_from_slice(b);
        self
    }
    pub fn str(self, b: &[u8]) -> Writer {
        let n = b.len().min(MAX_STR);
        self.u32(n as u32).bytes(&b[..n])
    }
}

pub fn header(kind: u8, flags: u8, stream: u32, len: usize) -> [u8; HEADER] {
    let mut h = [0u8; HEADER];
    h[0..2].copy_from_slice(&MAGIC);
    h[2] = kind;
    h[3] = flags;
    h[4..8].copy_from_slice(&stream.to_be_bytes());
    h[8..12].copy_from_slice(&(len as u32).to_be_bytes());
    h
}

/// Data frames may fill the queue up to this; control frames may go this much beyond.
pub const QUEUE_DATA_LIMIT: usize = 1 << 20;
pub const QUEUE_CONTROL_EXTRA: usize = 256 << 10;

/// The outbound queue: whole frames, the first one possibly partly written.
pub struct Outbox {
    frames: VecDeque<Vec<u8>>,
    offset: usize,
    bytes: usize,
}

impl Outbox {
    pub fn new() -> Outbox {
        Outbox { frames: VecDeque::new(), offset: 0, bytes: 0 }
    }

    pub fn send(&mut self, kind: u8, flags: u8, stream: u32, payload: &[u8]) {
        let mut f = Vec::with_capacity(HEADER + payload.len());
        f.extend_from_slice(&header(kind, flags, stream, payload.len()));
        f.extend_from_slice(payload);
        self.push(f);
    }

    /// Queues a complete frame (header included).
    pub fn push(&mut self, frame: Vec<u8>) {
        self.bytes += frame.len();
        self.frames.push_back(frame);
    }

    pub fn error(&mut self, stream: u32, f: &Failure) {
        let msg = f.1.as_bytes();
        let msg = &msg[..msg.len().min(1024)];
        self.send(ERROR, 0, stream, &Writer::new().u16(f.0).str(msg).0);
    }

    /// How many data bytes may be queued now (0: read no sources).
    pub fn data_room(&self) -> usize {
        QUEUE_DATA_LIMIT.saturating_sub(self.bytes)
    }

    /// Whether the queue is so full that no more requests should be read.
    pub fn control_full(&self) -> bool {
        self.bytes >= QUEUE_DATA_LIMIT + QUEUE_CONTROL_EXTRA
    }

    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }

    /// Drops every queued frame except one already partly written (the peer's parser needs it whole).
    pub fn drop_pending(&mut self) {
        let keep = if self.offset > 0 { self.frames.pop_front() } else { None };
        self.frames.clear();
        self.bytes = 0;
        if let Some(f) = keep {
            self.bytes = f.len();
            self.frames.push_back(f);
        }
    }

    /// Writes as much as the (non-blocking) descriptor takes.
    pub fn flush(&mut self, fd: &Fd) -> io::Result<()> {
        while let Some(front) = self.frames.front() {
            match fd.write(&front[self.offset..]) {
                Ok(n) => {
                    self.offset += n;
                    if self.offset == front.len() {
                        self.bytes -= front.len();
                        self.frames.pop_front();
                        self.offset = 0;
                    }
                }
                Err(e) if errno(&e) == EAGAIN => return Ok(()),
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

/// Reads up to `max` bytes from `fd` straight into a new data frame: Ok(None) on EAGAIN, an empty
/// payload on EOF.
pub fn read_frame(fd: &Fd, kind: u8, stream: u32, prefix: &[u8], max: usize) -> io::Result<Option<Vec<u8>>> {
    let mut f = vec![0u8; HEADER + prefix.len() + max];
    f[HEADER..HEADER + prefix.len()].copy_from_slice(prefix);
    match fd.read(&mut f[HEADER + prefix.len()..]) {
        Ok(n) => {
            let len = prefix.len() + n;
            f.truncate(HEADER + len);
            if f.capacity() > 2 * f.len() + 4096 {
                // a short read: the queue must not hold 64 KiB for each byte a peer trickles
                f.shrink_to_fit();
            }
            f[..HEADER].copy_from_slice(&header(kind, 0, stream, len));
            Ok(Some(f))
        }
        Err(e) if errno(&e) == EAGAIN => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_sandbox_holds_busy_is_in_use_not_internal() {
        for e in [16, 26, 39] {
            let f = Failure::from_io(&io::Error::from_raw_os_error(e), "delete");
            assert_eq!(f.0, code::IN_USE, "errno {}", e);
        }
        assert_eq!(Failure::from_io(&io::Error::from_raw_os_error(40), "open").0, code::PATH_REFUSED);
    }

    fn hello() -> Vec<u8> {
        let mut f = header(HELLO, 0, 0, 20).to_vec();
        f.extend_from_slice(&[0, 1, 0, 1]);
        f.extend_from_slice(&[7u8; 16]);
        f
    }

    #[test]
    fn scan_finds_hello_after_zeros_and_garbage() {
        let mut d = Decoder::new();
        d.push(&vec![0u8; 65548]);
        assert!(d.next().is_none());
        d.push(&[0xA1, 0x7E, 0x55]);
        d.push(&hello());
        match d.next() {
            Some(Inbound::Frame(f)) => assert_eq!(f.kind, HELLO),
            _ => panic!("no hello"),
        }
        assert!(!d.scanning());
    }

    #[test]
    fn oversized_and_unknown_headers_are_garbage() {
        let mut d = Decoder::new();
        d.push(&hello());
        assert!(matches!(d.next(), Some(Inbound::Frame(_))));
        d.push(&header(EXEC, 0, 1, MAX_PAYLOAD + 1));
        assert!(matches!(d.next(), Some(Inbound::Garbage)));
        assert!(d.scanning());
        assert!(d.next().is_none());
    }

    #[test]
    fn reader_checks_lengths() {
        let p = Writer::new().u32(3).u32(1_000_000).0;
        let mut r = Reader::new(&p);
        assert!(r.list().is_err());
        let p = Writer::new().str(b"ab").u8(1).0;
        let mut r = Reader::new(&p);
        assert_eq!(r.str().unwrap(), b"ab");
        assert!(r.done().is_err());
        assert_eq!(r.u8().unwrap(), 1);
        assert!(r.done().is_ok());
        assert!(r.u8().is_err());
    }

    /// A peer writing one byte at a time while Airlock reads slowly: each frame queued held a 64 KiB
    /// buffer for its one byte (a megabyte of such frames in the queue is 5 GB of memory).
    #[test]
    fn a_short_read_keeps_no_large_buffer() {
        let (r, w) = crate::sys::pipe().unwrap();
        w.write_all(b"x").unwrap();
        let f = read_frame(&r, DATA, 1, &[], MAX_PAYLOAD).unwrap().unwrap();
        assert_eq!(f.len(), HEADER + 1);
        assert!(f.capacity() < 4096 + 2 * f.len(), "capacity {}", f.capacity());
    }

    #[test]
    fn strings_up_to_one_mib() {
        // an env value of 200 KB (Airlock allows 32,768 characters, up to ~128 KB in UTF-8)
        let big = vec![b'v'; 200_000];
        let p = Writer::new().str(&big).0;
        assert_eq!(Reader::new(&p).str().unwrap(), &big[..]);
        let most = vec![b'x'; MAX_STR];
        let p = Writer::new().str(&most).0;
        assert_eq!(Reader::new(&p).str().unwrap().len(), 1 << 20);
        let mut p = Writer::new().u32(MAX_STR as u32 + 1).0;
        p.extend_from_slice(&most);
        p.push(b'x');
        assert!(Reader::new(&p).str().is_err());
    }
}
