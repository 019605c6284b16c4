//! `WRITE`, `READ` and the work of `DELETE` (PROTOCOL.md "Files"; `LIST` is in listing.rs, the
//! `DELETE` call in delete.rs). Paths below a root are resolved with
//! openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS), so the kernel, not string checks, keeps them in.

use crate::listing::dirents;
use crate::proto::{self, code, Failure, Malformed, Outbox, Reader, Writer, DATA, FILE_INFO, FLAG_END, OK, WINDOW};
use crate::sys::{self, errno, Fd};
use std::time::{Duration, Instant};

const MIB: u64 = 1 << 20;
/// Credit granted for `DATA` of an upload: at most this much is in flight.
const UPLOAD_WINDOW: u64 = 256 << 10;
pub const UPLOAD_IDLE: Duration = Duration::from_secs(30);
const BENEATH: u64 = sys::RESOLVE_BENEATH | sys::RESOLVE_NO_MAGICLINKS;
const MAX_DELETE_DEPTH: u32 = 256;

/// `path` relative to `root`: its components (no "", ".", ".."), at least one.
pub fn below<'a>(root: &[u8], path: &'a [u8]) -> Result<Vec<&'a [u8]>, Failure> {
    let mut root = root;
    while root.len() > 1 && root.ends_with(b"/") {
        root = &root[..root.len() - 1];
    }
    let invalid = |m: &str| Err(Failure::new(code::INVALID, m));
    if !root.starts_with(b"/") || !path.starts_with(b"/") {
        return invalid("root and path must be absolute");
    }
    let rest = if root == b"/" {
        path
    } else if path.starts_with(root) && path.get(root.len()) == Some(&b'/') {
        &path[root.len()..]
    } else {
        return invalid("path is not below root");
    };
    let mut comps = Vec::new();
    for c in rest.split(|&b| b == b'/') {
        match c {
            b"" | b"." => {}
            b".." => return invalid("path contains .."),
            c => comps.push(c),
        }
    }
    if comps.is_empty() {
        return invalid("path is the root itself");
    }
    Ok(comps)
}

fn open_root(root: &[u8]) -> Result<Fd, Failure> {
    sys::open_beneath(sys::AT_FDCWD, root, sys::O_PATH | sys::O_DIRECTORY, 0, sys::RESOLVE_NO_MAGICLINKS)
        .map_err(|e| Failure::from_io(&e, "root"))
}

/// Opens the folder `comps` below `root` (an O_PATH fd), creating missing ones (0755) when `create`.
fn open_dir_below(root: &Fd, comps: &[&[u8]], create: bool) -> Result<Fd, Failure> {
    let fail = |e: std::io::Error| Failure::from_io(&e, "folder");
    let join = |n: usize| if n == 0 { b".".to_vec() } else { comps[..n].join(&b'/') };
    let flags = sys::O_PATH | sys::O_DIRECTORY;
    match sys::open_beneath(root.raw(), &join(comps.len()), flags, 0, BENEATH) {
        Err(e) if create && errno(&e) == sys::ENOENT => {}
        r => return r.map_err(fail),
    }
    let mut dir = sys::open_beneath(root.raw(), b".", flags, 0, BENEATH).map_err(fail)?;
    for i in 0..comps.len() {
        match sys::open_beneath(root.raw(), &join(i + 1), flags, 0, BENEATH) {
            Ok(d) => dir = d,
            Err(e) if errno(&e) == sys::ENOENT => {
                // mkdirat never follows a symlink in its last component; the parent came through openat2
                match sys::mkdir_at(dir.raw(), comps[i], 0o755) {
                    Err(e) if errno(&e) != sys::EEXIST => return Err(fail(e)),
                    _ => {}
                }
                dir = sys::open_beneath(root.raw(), &join(i + 1), flags, 0, BENEATH).map_err(fail)?;
            }
            Err(e) => return Err(fail(e)),
        }
    }
    Ok(dir)
}

/// Free bytes in the sandbox's memory cgroup, None when there is no limit or it cannot be read.
fn memory_free() -> Option<u64> {
    let num = |p: &str| -> Option<u64> { std::str::from_utf8(&cgroup_file(p)?).ok()?.trim().parse().ok() };
    let (usage, limit) = match num("/sys/fs/cgroup/memory.current") {
        Some(u) => (u, num("/sys/fs/cgroup/memory.max")?), // "max" does not parse: no limit
        None => (num("/sys/fs/cgroup/memory/memory.usage_in_bytes")?, num("/sys/fs/cgroup/memory/memory.limit_in_bytes")?),
    };
    Some(limit.saturating_sub(usage))
}

/// The first bytes of a cgroupfs file. Anything else in its place (a FIFO, whose open would wait for a
/// writer, a device, a file on another filesystem) is None: opened non-blocking, checked, never waited on.
fn cgroup_file(path: &str) -> Option<Vec<u8>> {
    let flags = sys::O_RDONLY | sys::O_NOCTTY | sys::O_NONBLOCK;
    let f = sys::open_beneath(sys::AT_FDCWD, path.as_bytes(), flags, 0, sys::RESOLVE_NO_MAGICLINKS).ok()?;
    let fs = f.fs_type().ok()?;
    if (fs != sys::CGROUP_SUPER_MAGIC && fs != sys::CGROUP2_SUPER_MAGIC) || f.stat().ok()?.mode() & sys::S_IFMT != sys::S_IFREG {
        return None;
    }
    let mut buf = vec![0u8; 64];
    let n = f.read(&mut buf).ok()?;
    buf.truncate(n);
    Some(buf)
}

pub enum Progress {
    Going,
    /// the final frame was sent
    Done,
}

/// One `WRITE` in progress.
pub struct Upload {
    stream: u32,
    dir: Fd,
    tmp: Vec<u8>,
    name: Vec<u8>,
    file: Option<Fd>,
    size: u64,
    got: u64,
    mode: u32,
    credit: u64,
    next_check: u64,
    last: Instant,
}

impl Upload {
    pub fn start(stream: u32, payload: &[u8], out: &mut Outbox) -> Result<Result<Upload, Failure>, Malformed> {
        let mut r = Reader::new(payload);
        let root = r.str()?;
        let path = r.str()?;
        let size = r.u64()?;
        let mode = r.u32()?;
        r.done()?;
        Ok(Upload::create(stream, root, path, size, mode, out))
    }

    fn create(stream: u32, root: &[u8], path: &[u8], size: u64, mode: u32, out: &mut Outbox) -> Result<Upload, Failure> {
        let comps = below(root, path)?;
        let rootfd = open_root(root)?;
        let (name, parents) = comps.split_last().ok_or_else(|| Failure::new(code::INVALID, "no name"))?;
        let dir = open_dir_below(&rootfd, parents, true)?;
        check_memory(size)?;
        let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let tmp = format!(".airlock-upload-{}-{}-{:x}", sys::my_pid(), stream, stamp).into_bytes();
        let flags = sys::O_WRONLY | sys::O_CREAT | sys::O_EXCL | sys::O_NOFOLLOW;
        let file = sys::open_at(dir.raw(), &tmp, flags, 0o600).map_err(|e| Failure::from_io(&e, "create"))?;
        let mut u = Upload {
            stream,
            dir,
            tmp,
            name: name.to_vec(),
            file: Some(file),
            size,
            got: 0,
            mode: mode & 0o7777,
            credit: 0,
            next_check: MIB,
            last: Instant::now(),
        };
        // the WINDOW tells Airlock the file exists (it may be 0 for an empty file)
        u.grant(UPLOAD_WINDOW.min(size), out, true);
        Ok(u)
    }

    fn grant(&mut self, n: u64, out: &mut Outbox, always: bool) {
        if n > 0 || always {
            self.credit += n;
            out.send(WINDOW, 0, self.stream, &Writer::new().u32(n as u32).0);
        }
    }

    pub fn deadline(&self) -> Instant {
        self.last + UPLOAD_IDLE
    }

    /// A `DATA` frame. Err(None) is a protocol error (beyond credit); Err(Some) fails the call.
    pub fn data(&mut self, bytes: &[u8], end: bool, out: &mut Outbox) -> Result<Progress, Option<Failure>> {
        if bytes.len() as u64 > self.credit {
            return Err(None);
        }
        self.credit -= bytes.len() as u64;
        self.last = Instant::now();
        if self.got + bytes.len() as u64 > self.size {
            return Err(Some(Failure::new(code::INVALID, "more bytes than size")));
        }
        if self.got + bytes.len() as u64 >= self.next_check {
            check_memory(self.size - self.got)?;
            self.next_check += MIB;
        }
        if let Some(f) = &self.file {
            f.write_all(bytes).map_err(|e| Failure::from_io(&e, "write"))?;
        }
        self.got += bytes.len() as u64;
        if end {
            if self.got != self.size {
                return Err(Some(Failure::new(code::INVALID, "fewer bytes than size")));
            }
            self.commit()?;
            out.send(OK, 0, self.stream, &Writer::new().u64(self.size).0);
            return Ok(Progress::Done);
        }
        let more = (self.size - self.got).saturating_sub(self.credit).min(bytes.len() as u64);
        self.grant(more, out, false);
        Ok(Progress::Going)
    }

    fn commit(&mut self) -> Result<(), Failure> {
        let f = match self.file.take() {
            Some(f) => f,
            None => return Err(Failure::new(code::INTERNAL, "upload already closed")),
        };
        f.chmod(self.mode).map_err(|e| Failure::from_io(&e, "chmod"))?;
        drop(f);
        sys::rename_at(self.dir.raw(), &self.tmp, &self.name).map_err(|e| Failure::from_io(&e, "rename"))?;
        self.tmp.clear();
        Ok(())
    }
}

impl Drop for Upload {
    /// On failure, cancel or session end the temporary file goes.
    fn drop(&mut self) {
        if !self.tmp.is_empty() {
            let _ = sys::unlink_at(self.dir.raw(), &self.tmp, false);
        }
    }
}

fn check_memory(remaining: u64) -> Result<(), Failure> {
    match memory_free() {
        Some(free) if free < remaining.saturating_add(4 * MIB) => {
            Err(Failure::new(code::NO_MEMORY, "the sandbox's memory would not hold the upload"))
        }
        _ => Ok(()),
    }
}

/// One `READ` in progress.
pub struct Download {
    stream: u32,
    file: Fd,
    left: u64,
    credit: u64,
}

impl Download {
    pub fn start(stream: u32, payload: &[u8], out: &mut Outbox) -> Result<Result<Download, Failure>, Malformed> {
        let mut r = Reader::new(payload);
        let path = r.str()?;
        let max = r.u64()?;
        let window = r.u32()?;
        r.done()?;
        Ok(Download::open(stream, path, max, window, out))
    }

    fn open(stream: u32, path: &[u8], max: u64, window: u32, out: &mut Outbox) -> Result<Download, Failure> {
        if !path.starts_with(b"/") {
            return Err(Failure::new(code::INVALID, "path must be absolute"));
        }
        // O_NONBLOCK: opening a FIFO must not hang the agent (it is refused below anyway)
        let flags = sys::O_RDONLY | sys::O_NOCTTY | sys::O_NONBLOCK;
        let file = sys::open_beneath(sys::AT_FDCWD, path, flags, 0, sys::RESOLVE_NO_MAGICLINKS)
            .map_err(|e| Failure::from_io(&e, "open"))?;
        let fs = file.fs_type().map_err(|e| Failure::from_io(&e, "statfs"))?;
        if fs == sys::PROC_SUPER_MAGIC || fs == sys::SYSFS_MAGIC {
            return Err(Failure::new(code::PATH_REFUSED, "procfs and sysfs are not read"));
        }
        let st = file.stat().map_err(|e| Failure::from_io(&e, "stat"))?;
        if st.mode() & sys::S_IFMT != sys::S_IFREG {
            return Err(Failure::new(code::NOT_A_FILE, "not a regular file"));
        }
        if st.size() > max {
            return Err(Failure(code::TOO_LARGE, format!("{} bytes, over {}", st.size(), max)));
        }
        let info = Writer::new().u64(st.size()).u32(st.mode() & 0o7777).i64(st.mtime_millis());
        out.send(FILE_INFO, 0, stream, &info.0);
        Ok(Download { stream, file, left: st.size(), credit: window as u64 })
    }

    pub fn grant(&mut self, n: u32) {
        self.credit += n as u64;
    }

    pub fn wants(&self, room: usize) -> bool {
        self.left == 0 || (self.credit > 0 && room > 0)
    }

    pub fn pump(&mut self, out: &mut Outbox) -> Result<Progress, Failure> {
        loop {
            if self.left == 0 {
                out.send(DATA, FLAG_END, self.stream, &[]);
                return Ok(Progress::Done);
            }
            let max = (self.credit.min(self.left) as usize).min(proto::MAX_PAYLOAD).min(out.data_room());
            if max == 0 {
                return Ok(Progress::Going);
            }
            let mut frame = match proto::read_frame(&self.file, DATA, self.stream, &[], max) {
                Ok(Some(f)) => f,
                Ok(None) => return Ok(Progress::Going),
                Err(e) => return Err(Failure::from_io(&e, "read")),
            };
            let n = (frame.len() - proto::HEADER) as u64;
            self.credit -= n;
            self.left = if n == 0 { 0 } else { self.left - n }; // shrank meanwhile: end here
            if self.left == 0 {
                frame[3] = FLAG_END;
                out.push(frame);
                return Ok(Progress::Done);
            }
            out.push(frame);
        }
    }
}

/// `DELETE`'s work, done in its child (delete.rs): removes `path` below `root`.
pub fn delete_below(root: &[u8], path: &[u8]) -> Result<(), Failure> {
    let comps = below(root, path)?;
    let rootfd = open_root(root)?;
    let (name, parents) = comps.split_last().ok_or_else(|| Failure::new(code::INVALID, "no name"))?;
    let dir = open_dir_below(&rootfd, parents, false)?;
    remove_tree(&dir, name, 0)
}

/// Removes `name` in `parent` without following symlinks: a folder with everything in it.
fn remove_tree(parent: &Fd, name: &[u8], depth: u32) -> Result<(), Failure> {
    let fail = |e: std::io::Error| Failure::from_io(&e, "delete");
    let st = sys::stat_at(parent.raw(), name).map_err(fail)?;
    if st.mode() & sys::S_IFMT != sys::S_IFDIR {
        return sys::unlink_at(parent.raw(), name, false).map_err(fail);
    }
    if depth >= MAX_DELETE_DEPTH {
        return Err(Failure::new(code::LIMIT, "folder tree too deep"));
    }
    let dir = sys::open_at(parent.raw(), name, sys::O_RDONLY | sys::O_DIRECTORY | sys::O_NOFOLLOW, 0).map_err(fail)?;
    let mut buf = vec![0u8; 8 << 10];
    loop {
        // read a batch, remove it, start over: never iterate a folder while it changes under us
        let got = dir.getdents(&mut buf).map_err(fail)?;
        let names: Vec<Vec<u8>> = dirents(&buf[..got]).into_iter().map(|n| n.to_vec()).collect();
        if got == 0 {
            break;
        }
        if names.is_empty() {
            continue;
        }
        for n in &names {
            remove_tree(&dir, n, depth + 1)?;
        }
        dir.rewind().map_err(fail)?;
    }
    sys::unlink_at(parent.raw(), name, true).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_root() {
        assert_eq!(below(b"/tmp/x/", b"/tmp/x/a/./b").unwrap(), vec![&b"a"[..], &b"b"[..]]);
        assert!(below(b"/tmp/x", b"/tmp/xy/a").is_err());
        assert!(below(b"/tmp/x", b"/tmp/x").is_err());
        assert!(below(b"/tmp/x", b"/tmp/x/../etc").is_err());
        assert_eq!(below(b"/", b"/etc").unwrap(), vec![&b"etc"[..]]);
    }
    extern "C" {
        fn mkfifo(path: *const std::os::raw::c_char, mode: u32) -> i32;
    }

    #[test]
    fn cgroup_file_never_waits_for_a_fifo() {
        let dir = format!("/tmp/airlock-agent-unit-cgroup-{}", sys::my_pid());
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = format!("{}/memory.current", dir);
        let c = sys::cstr(fifo.as_bytes()).unwrap();
        assert_eq!(unsafe { mkfifo(c.as_ptr(), 0o600) }, 0);
        // should the read wait for a writer, one comes after 3 s, and the elapsed time fails the test
        let p = fifo.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(3));
            let _ = std::fs::OpenOptions::new().read(true).write(true).open(&p);
        });
        let t0 = Instant::now();
        assert!(cgroup_file(&fifo).is_none());
        assert!(t0.elapsed() < Duration::from_secs(2), "waited for a writer");
        // a regular file that is not on cgroupfs is not the memory cgroup either
        let plain = format!("{}/memory.max", dir);
        std::fs::write(&plain, b"123\n").unwrap();
        assert!(cgroup_file(&plain).is_none());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
