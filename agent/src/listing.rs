//! `LIST` (PROTOCOL.md "Files"): a folder's entries, counted first, then sent as the queue takes them.

use crate::files::Progress;
use crate::proto::{self, code, Failure, Malformed, Outbox, Reader, Writer, ENTRIES, FLAG_END};
use crate::sys::{self, Fd};
use std::time::{Duration, Instant};

/// `(name, d_type)` of each getdents64 record, without "." and "..".
pub fn dirents(buf: &[u8]) -> Vec<&[u8]> {
    let mut v = Vec::new();
    let mut i = 0;
    while i + 19 <= buf.len() {
        let reclen = u16::from_ne_bytes([buf[i + 16], buf[i + 17]]) as usize;
        if reclen == 0 || i + reclen > buf.len() {
            break;
        }
        let raw = &buf[i + 19..i + reclen];
        let name = &raw[..raw.iter().position(|&c| c == 0).unwrap_or(raw.len())];
        if name != b"." && name != b".." {
            v.push(name);
        }
        i += reclen;
    }
    v
}

/// One `LIST` in progress: entries are first counted (so that TOO_MANY comes before any entry), then
/// go out as the queue takes them; both in slices of at most `SLICE`, so a huge folder never stalls the
/// loop.
pub struct Listing {
    stream: u32,
    dir: Fd,
    max: u32,
    /// entries counted so far while counting; None once counted (and rewound)
    counting: Option<u64>,
    count: u32,
    pending: Vec<u8>,
    pending_n: u32,
}

/// The longest a listing works in one turn of the loop.
const SLICE: Duration = Duration::from_millis(20);

impl Listing {
    pub fn start(stream: u32, payload: &[u8]) -> Result<Result<Listing, Failure>, Malformed> {
        let mut r = Reader::new(payload);
        let path = r.str()?;
        let max = r.u32()?;
        r.done()?;
        Ok(Listing::open(stream, path, max))
    }

    fn open(stream: u32, path: &[u8], max: u32) -> Result<Listing, Failure> {
        let fail = |e: std::io::Error| Failure::from_io(&e, "list");
        // O_DIRECTORY fails before a FIFO or device would be opened; O_NONBLOCK anyway
        let flags = sys::O_RDONLY | sys::O_DIRECTORY | sys::O_NONBLOCK;
        let dir = sys::open_beneath(sys::AT_FDCWD, path, flags, 0, sys::RESOLVE_NO_MAGICLINKS).map_err(fail)?;
        Ok(Listing { stream, dir, max, counting: Some(0), count: 0, pending: Vec::new(), pending_n: 0 })
    }

    /// Whether the listing can go on without room in the queue (it is counting).
    pub fn counting(&self) -> bool {
        self.counting.is_some()
    }

    /// Counts on for at most `budget` (at least one batch): Ok(true) once all are counted.
    fn count_some(&mut self, budget: Duration) -> Result<bool, Failure> {
        let fail = |e: std::io::Error| Failure::from_io(&e, "list");
        let mut n = match self.counting {
            Some(n) => n,
            None => return Ok(true),
        };
        let until = Instant::now() + budget;
        let mut buf = vec![0u8; 32 << 10];
        loop {
            let got = self.dir.getdents(&mut buf).map_err(fail)?;
            if got == 0 {
                self.dir.rewind().map_err(fail)?;
                self.counting = None;
                return Ok(true);
            }
            n += dirents(&buf[..got]).len() as u64;
            if n > self.max as u64 {
                return Err(Failure(code::TOO_MANY, format!("more than {} entries", self.max)));
            }
            self.counting = Some(n);
            if Instant::now() >= until {
                return Ok(false);
            }
        }
    }

    fn emit(&mut self, out: &mut Outbox, flags: u8) {
        let mut p = Writer::new().u32(self.pending_n).0;
        p.append(&mut self.pending);
        self.pending_n = 0;
        out.send(ENTRIES, flags, self.stream, &p);
    }

    pub fn pump(&mut self, out: &mut Outbox) -> Result<Progress, Failure> {
        let fail = |e: std::io::Error| Failure::from_io(&e, "list");
        if !self.count_some(SLICE)? {
            return Ok(Progress::Going);
        }
        let until = Instant::now() + SLICE;
        let mut buf = vec![0u8; 16 << 10];
        while out.data_room() > 0 && Instant::now() < until {
            let got = self.dir.getdents(&mut buf).map_err(fail)?;
            if got == 0 {
                self.emit(out, FLAG_END);
                return Ok(Progress::Done);
            }
            for name in dirents(&buf[..got]) {
                let st = match sys::stat_at(self.dir.raw(), name) {
                    Ok(st) => st,
                    Err(_) => continue, // gone since getdents
                };
                self.count += 1;
                if self.count > self.max {
                    return Err(Failure(code::TOO_MANY, format!("more than {} entries", self.max)));
                }
                let kind = match st.mode() & sys::S_IFMT {
                    sys::S_IFREG => 0,
                    sys::S_IFDIR => 1,
                    sys::S_IFLNK => 2,
                    _ => 3,
                };
                let e = Writer::new().str(name).u8(kind).u64(st.size()).i64(st.mtime_millis()).0;
                if 4 + self.pending.len() + e.len() > proto::MAX_PAYLOAD {
                    self.emit(out, 0);
                }
                self.pending.extend_from_slice(&e);
                self.pending_n += 1;
            }
        }
        Ok(Progress::Going)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(tag: &str, n: usize) -> String {
        let base = if std::path::Path::new("/dev/shm").is_dir() { "/dev/shm" } else { "/tmp" };
        let dir = format!("{}/airlock-agent-unit-list-{}-{}", base, sys::my_pid(), tag);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for i in 0..n {
            std::fs::write(format!("{}/entry-with-a-longish-name-{:06}", dir, i), b"").unwrap();
        }
        dir
    }

    #[test]
    fn counting_goes_in_slices() {
        let dir = folder("slices", 5000);
        let mut l = Listing::open(1, dir.as_bytes(), 5000).ok().unwrap();
        assert!(l.counting());
        // a zero budget is one batch per turn: 5000 entries take several turns
        let mut turns = 0;
        while !l.count_some(Duration::from_millis(0)).ok().unwrap() {
            turns += 1;
        }
        assert!(turns > 1, "counted 5000 entries in one batch");
        assert!(!l.counting());
        let mut out = Outbox::new();
        // 5000 entries fit the queue: they go out within a few turns
        for _ in 0..1000 {
            if let Progress::Done = l.pump(&mut out).ok().unwrap() {
                break;
            }
        }
        assert_eq!(l.count, 5000);
        let mut l = Listing::open(2, dir.as_bytes(), 4999).ok().unwrap();
        let mut r = Ok(false);
        while let Ok(false) = r {
            r = l.count_some(Duration::from_millis(0));
        }
        assert!(matches!(r, Err(Failure(code::TOO_MANY, _))));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
