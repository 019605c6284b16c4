//! The few glibc functions the agent needs, declared by hand (no crates), and thin safe wrappers.
//! Every wrapper turns -1 into `io::Error::last_os_error()`; every fd the agent opens is O_CLOEXEC.
#![allow(dead_code)]

use std::ffi::CString;
use std::io;
use std::os::raw::{c_char, c_int, c_long, c_void};

pub const O_RDONLY: c_int = 0;
pub const O_WRONLY: c_int = 1;
pub const O_RDWR: c_int = 2;
pub const O_CREAT: c_int = 0o100;
pub const O_EXCL: c_int = 0o200;
pub const O_NOCTTY: c_int = 0o400;
pub const O_NONBLOCK: c_int = 0o4000;
pub const O_CLOEXEC: c_int = 0o2000000;
pub const O_PATH: c_int = 0o10000000;
#[cfg(not(target_arch = "aarch64"))]
pub const O_DIRECTORY: c_int = 0o200000;
#[cfg(not(target_arch = "aarch64"))]
pub const O_NOFOLLOW: c_int = 0o400000;
#[cfg(target_arch = "aarch64")]
pub const O_DIRECTORY: c_int = 0o40000;
#[cfg(target_arch = "aarch64")]
pub const O_NOFOLLOW: c_int = 0o100000;

pub const AT_FDCWD: c_int = -100;
pub const AT_SYMLINK_NOFOLLOW: c_int = 0x100;
pub const AT_REMOVEDIR: c_int = 0x200;
pub const RESOLVE_NO_MAGICLINKS: u64 = 0x02;
pub const RESOLVE_BENEATH: u64 = 0x08;

pub const POLLIN: i16 = 0x1;
pub const POLLOUT: i16 = 0x4;
pub const POLLERR: i16 = 0x8;
pub const POLLHUP: i16 = 0x10;

pub const SIGHUP: c_int = 1;
pub const SIGINT: c_int = 2;
pub const SIGQUIT: c_int = 3;
pub const SIGKILL: c_int = 9;
pub const SIGUSR1: c_int = 10;
pub const SIGUSR2: c_int = 12;
pub const SIGTERM: c_int = 15;
pub const SIGCHLD: c_int = 17;
pub const SIGSTOP: c_int = 19;

pub const EINTR: i32 = 4;
pub const ECHILD: i32 = 10;
pub const EAGAIN: i32 = 11;
pub const ENOENT: i32 = 2;
pub const EEXIST: i32 = 17;
pub const ENOTDIR: i32 = 20;

const F_GETFL: c_int = 3;
const F_SETFL: c_int = 4;
const SIG_BLOCK: c_int = 0;
const SIG_SETMASK: c_int = 2;
pub const WNOHANG: c_int = 1;
const PR_SET_PDEATHSIG: c_int = 1;
const PR_SET_DUMPABLE: c_int = 4;
const PR_SET_CHILD_SUBREAPER: c_int = 36;
const SYS_OPENAT2: c_long = 437;

pub const PROC_SUPER_MAGIC: i64 = 0x9fa0;
pub const SYSFS_MAGIC: i64 = 0x6265_6572;
pub const CGROUP_SUPER_MAGIC: i64 = 0x0027_e0eb;
pub const CGROUP2_SUPER_MAGIC: i64 = 0x6367_7270;

#[repr(C)]
pub struct PollFd {
    pub fd: c_int,
    pub events: i16,
    pub revents: i16,
}

/// glibc's sigset_t: 1024 bits.
#[repr(C)]
pub struct SigSet([u64; 16]);

/// struct stat, read through offsets that are the same on x86_64 and aarch64 except st_mode.
#[repr(C)]
pub struct Stat([u64; 18]);

impl Stat {
    pub fn mode(&self) -> u32 {
        let w = if cfg!(target_arch = "aarch64") { self.0[2] } else { self.0[3] };
        w as u32
    }
    pub fn size(&self) -> u64 {
        self.0[6]
    }
    pub fn mtime_millis(&self) -> i64 {
        (self.0[11] as i64).saturating_mul(1000) + (self.0[12] as i64) / 1_000_000
    }
}

pub const S_IFMT: u32 = 0o170000;
pub const S_IFREG: u32 = 0o100000;
pub const S_IFDIR: u32 = 0o040000;
pub const S_IFLNK: u32 = 0o120000;

/// struct sockaddr_in; port and address in network byte order.
#[repr(C)]
struct SockAddrIn {
    family: u16,
    port: u16,
    addr: u32,
    zero: [u8; 8],
}

const AF_INET: c_int = 2;
const SOCK_STREAM: c_int = 1;
const SOL_SOCKET: c_int = 1;
const SO_REUSEADDR: c_int = 2;
const SO_ERROR: c_int = 4;
const SO_LINGER: c_int = 13;
const SHUT_WR: c_int = 1;

#[repr(C)]
struct OpenHow {
    flags: u64,
    mode: u64,
    resolve: u64,
}

extern "C" {
    fn read(fd: c_int, buf: *mut c_void, n: usize) -> isize;
    fn write(fd: c_int, buf: *const c_void, n: usize) -> isize;
    fn close(fd: c_int) -> c_int;
    fn pipe2(fds: *mut c_int, flags: c_int) -> c_int;
    fn poll(fds: *mut PollFd, n: u64, timeout: c_int) -> c_int;
    fn fork() -> c_int;
    fn execve(path: *const c_char, argv: *const *const c_char, envp: *const *const c_char) -> c_int;
    fn dup2(old: c_int, new: c_int) -> c_int;
    fn setsid() -> c_int;
    fn prctl(option: c_int, a2: u64, a3: u64, a4: u64, a5: u64) -> c_int;
    fn signalfd(fd: c_int, mask: *const SigSet, flags: c_int) -> c_int;
    fn sigprocmask(how: c_int, set: *const SigSet, old: *mut SigSet) -> c_int;
    fn sigemptyset(set: *mut SigSet) -> c_int;
    fn sigaddset(set: *mut SigSet, sig: c_int) -> c_int;
    fn signal(sig: c_int, handler: usize) -> usize;
    fn waitpid(pid: c_int, status: *mut c_int, options: c_int) -> c_int;
    fn kill(pid: c_int, sig: c_int) -> c_int;
    fn getpid() -> c_int;
    fn getppid() -> c_int;
    fn syscall(n: c_long, ...) -> c_long;
    fn openat(dir: c_int, path: *const c_char, flags: c_int, ...) -> c_int;
    fn fstatfs(fd: c_int, buf: *mut [i64; 15]) -> c_int;
    fn fstatat(dir: c_int, path: *const c_char, buf: *mut Stat, flags: c_int) -> c_int;
    fn fstat(fd: c_int, buf: *mut Stat) -> c_int;
    fn mkdirat(dir: c_int, path: *const c_char, mode: u32) -> c_int;
    fn unlinkat(dir: c_int, path: *const c_char, flags: c_int) -> c_int;
    fn renameat(od: c_int, op: *const c_char, nd: c_int, np: *const c_char) -> c_int;
    fn fchmod(fd: c_int, mode: u32) -> c_int;
    fn fchdir(fd: c_int) -> c_int;
    fn fcntl(fd: c_int, cmd: c_int, ...) -> c_int;
    fn getdents64(fd: c_int, buf: *mut c_void, n: usize) -> isize;
    fn lseek(fd: c_int, off: i64, whence: c_int) -> i64;
    fn _exit(code: c_int) -> !;
    fn socket(domain: c_int, kind: c_int, protocol: c_int) -> c_int;
    fn setsockopt(fd: c_int, level: c_int, name: c_int, value: *const c_void, len: u32) -> c_int;
    fn getsockopt(fd: c_int, level: c_int, name: c_int, value: *mut c_void, len: *mut u32) -> c_int;
    fn bind(fd: c_int, addr: *const SockAddrIn, len: u32) -> c_int;
    fn listen(fd: c_int, backlog: c_int) -> c_int;
    fn accept4(fd: c_int, addr: *mut SockAddrIn, len: *mut u32, flags: c_int) -> c_int;
    fn shutdown(fd: c_int, how: c_int) -> c_int;
}

fn cvt(r: c_int) -> io::Result<c_int> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

pub fn errno(e: &io::Error) -> i32 {
    e.raw_os_error().unwrap_or(0)
}

/// A path or name as a C string; an interior NUL is EINVAL (the caller answers INVALID).
pub fn cstr(b: &[u8]) -> io::Result<CString> {
    CString::new(b).map_err(|_| io::Error::from_raw_os_error(22))
}

/// An owned file descriptor, closed on drop (std::os::fd arrived after rustc 1.63).
pub struct Fd(c_int);

impl Fd {
    pub fn raw(&self) -> c_int {
        self.0
    }
    pub fn read(&self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let r = unsafe { read(self.0, buf.as_mut_ptr() as *mut c_void, buf.len()) };
            if r >= 0 {
                return Ok(r as usize);
            }
            let e = io::Error::last_os_error();
            if errno(&e) != EINTR {
                return Err(e);
            }
        }
    }
    pub fn write(&self, buf: &[u8]) -> io::Result<usize> {
        loop {
            let r = unsafe { write(self.0, buf.as_ptr() as *const c_void, buf.len()) };
            if r >= 0 {
                return Ok(r as usize);
            }
            let e = io::Error::last_os_error();
            if errno(&e) != EINTR {
                return Err(e);
            }
        }
    }
    /// Writes all of `buf` (blocking descriptors only).
    pub fn write_all(&self, mut buf: &[u8]) -> io::Result<()> {
        while !buf.is_empty() {
            let n = self.write(buf)?;
            buf = &buf[n..];
        }
        Ok(())
    }
    pub fn set_nonblocking(&self) -> io::Result<()> {
        set_nonblocking(self.0)
    }
    pub fn stat(&self) -> io::Result<Stat> {
        let mut st = Stat([0; 18]);
        cvt(unsafe { fstat(self.0, &mut st) })?;
        Ok(st)
    }
    /// The filesystem magic (statfs f_type).
    pub fn fs_type(&self) -> io::Result<i64> {
        let mut buf = [0i64; 15];
        cvt(unsafe { fstatfs(self.0, &mut buf) })?;
        Ok(buf[0])
    }
    pub fn chmod(&self, mode: u32) -> io::Result<()> {
        cvt(unsafe { fchmod(self.0, mode) }).map(|_| ())
    }
    pub fn rewind(&self) -> io::Result<()> {
        if unsafe { lseek(self.0, 0, 0) } < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }
    /// Raw getdents64 records into `buf`; 0 at the end of the directory.
    pub fn getdents(&self, buf: &mut [u8]) -> io::Result<usize> {
        let r = unsafe { getdents64(self.0, buf.as_mut_ptr() as *mut c_void, buf.len()) };
        if r < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(r as usize)
    }
}

impl Drop for Fd {
    fn drop(&mut self) {
        unsafe {
            close(self.0);
        }
    }
}

pub fn set_nonblocking(fd: c_int) -> io::Result<()> {
    let fl = cvt(unsafe { fcntl(fd, F_GETFL) })?;
    cvt(unsafe { fcntl(fd, F_SETFL, fl | O_NONBLOCK) }).map(|_| ())
}

/// A pipe, both ends O_CLOEXEC: (read end, write end).
pub fn pipe() -> io::Result<(Fd, Fd)> {
    let mut fds = [0 as c_int; 2];
    cvt(unsafe { pipe2(fds.as_mut_ptr(), O_CLOEXEC) })?;
    Ok((Fd(fds[0]), Fd(fds[1])))
}

pub fn poll_fds(fds: &mut [PollFd], timeout_ms: i32) -> io::Result<usize> {
    let r = unsafe { poll(fds.as_mut_ptr(), fds.len() as u64, timeout_ms) };
    if r < 0 {
        let e = io::Error::last_os_error();
        if errno(&e) == EINTR {
            return Ok(0);
        }
        return Err(e);
    }
    Ok(r as usize)
}

pub fn sleep_ms(ms: i32) {
    unsafe {
        poll(std::ptr::null_mut(), 0, ms);
    }
}

/// fork(2). Safe to call because the agent never creates threads.
pub fn fork_process() -> io::Result<c_int> {
    cvt(unsafe { fork() })
}

pub fn exec(path: &CString, argv: &[*const c_char], envp: &[*const c_char]) -> io::Error {
    unsafe { execve(path.as_ptr(), argv.as_ptr(), envp.as_ptr()) };
    io::Error::last_os_error()
}

pub fn dup_onto(old: c_int, new: c_int) -> io::Result<()> {
    if old == new {
        // dup2 onto itself would keep O_CLOEXEC; clear it instead.
        return cvt(unsafe { fcntl(old, 2 /* F_SETFD */, 0) }).map(|_| ());
    }
    cvt(unsafe { dup2(old, new) }).map(|_| ())
}

pub fn new_session() {
    unsafe {
        setsid();
    }
}

pub fn exit_now(code: i32) -> ! {
    unsafe { _exit(code) }
}

pub fn my_pid() -> i32 {
    unsafe { getpid() }
}

/// In a forked child: whether its parent is still `agent`, the agent's pid recorded before the fork.
/// Never "the parent is not 1": the agent may itself be PID 1 of the container's PID namespace (then
/// its children see getppid() == 1 while it lives, and its death ends the namespace).
pub fn parent_is(agent: i32) -> bool {
    unsafe { getppid() == agent }
}

pub fn send_signal(pid: i32, sig: c_int) -> bool {
    unsafe { kill(pid, sig) == 0 }
}

/// waitpid(pid, WNOHANG or blocking): Ok(None) when no child changed state yet.
pub fn wait_child(pid: c_int, options: c_int) -> io::Result<Option<(c_int, c_int)>> {
    let mut status: c_int = 0;
    let r = cvt(unsafe { waitpid(pid, &mut status, options) })?;
    if r == 0 {
        Ok(None)
    } else {
        Ok(Some((r, status)))
    }
}

/// Exit code and signal from a wait status: (code, 0) or (128 + signal, signal).
pub fn decode_status(status: c_int) -> (i32, i32) {
    let sig = status & 0x7f;
    if sig == 0 {
        ((status >> 8) & 0xff, 0)
    } else {
        (128 + sig, sig)
    }
}

pub fn make_dumpable(on: bool) {
    unsafe {
        prctl(PR_SET_DUMPABLE, on as u64, 0, 0, 0);
    }
}

pub fn make_subreaper() {
    unsafe {
        prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    }
}

pub fn die_with_parent() {
    unsafe {
        prctl(PR_SET_PDEATHSIG, SIGKILL as u64, 0, 0, 0);
    }
}

fn sigset(signals: &[c_int]) -> SigSet {
    let mut set = SigSet([0; 16]);
    unsafe {
        sigemptyset(&mut set);
        for &s in signals {
            sigaddset(&mut set, s);
        }
    }
    set
}

/// Blocks `signals` and returns a non-blocking signalfd that reports them.
pub fn block_into_signalfd(signals: &[c_int]) -> io::Result<Fd> {
    let set = sigset(signals);
    cvt(unsafe { sigprocmask(SIG_BLOCK, &set, std::ptr::null_mut()) })?;
    cvt(unsafe { signalfd(-1, &set, O_CLOEXEC | O_NONBLOCK) }).map(Fd)
}

/// Reads one pending signal number from a signalfd, if any.
pub fn next_signal(fd: &Fd) -> Option<i32> {
    let mut info = [0u8; 128];
    match fd.read(&mut info) {
        Ok(128) => Some(u32::from_ne_bytes([info[0], info[1], info[2], info[3]]) as i32),
        _ => None,
    }
}

/// In a child before execve: an empty signal mask and default dispositions (Rust ignores SIGPIPE, and
/// an ignored disposition would survive the exec).
pub fn reset_signals() {
    let empty = sigset(&[]);
    unsafe {
        sigprocmask(SIG_SETMASK, &empty, std::ptr::null_mut());
        for sig in 1..32 {
            if sig != SIGKILL && sig != SIGSTOP {
                signal(sig, 0);
            }
        }
    }
}

pub fn change_dir(fd: &Fd) -> io::Result<()> {
    cvt(unsafe { fchdir(fd.0) }).map(|_| ())
}

/// openat2(2) with the given resolve flags; O_CLOEXEC is always added.
pub fn open_beneath(dir: c_int, path: &[u8], flags: c_int, mode: u32, resolve: u64) -> io::Result<Fd> {
    let p = cstr(path)?;
    let how = OpenHow { flags: (flags | O_CLOEXEC) as u64, mode: mode as u64, resolve };
    let r = unsafe {
        syscall(SYS_OPENAT2, dir as c_long, p.as_ptr(), &how as *const OpenHow, std::mem::size_of::<OpenHow>())
    };
    if r < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(Fd(r as c_int))
}

/// Plain openat(2) relative to a directory fd; O_CLOEXEC is always added.
pub fn open_at(dir: c_int, name: &[u8], flags: c_int, mode: u32) -> io::Result<Fd> {
    let p = cstr(name)?;
    cvt(unsafe { openat(dir, p.as_ptr(), flags | O_CLOEXEC, mode) }).map(Fd)
}

pub fn stat_at(dir: c_int, name: &[u8]) -> io::Result<Stat> {
    let p = cstr(name)?;
    let mut st = Stat([0; 18]);
    cvt(unsafe { fstatat(dir, p.as_ptr(), &mut st, AT_SYMLINK_NOFOLLOW) })?;
    Ok(st)
}

pub fn mkdir_at(dir: c_int, name: &[u8], mode: u32) -> io::Result<()> {
    let p = cstr(name)?;
    cvt(unsafe { mkdirat(dir, p.as_ptr(), mode) }).map(|_| ())
}

pub fn unlink_at(dir: c_int, name: &[u8], remove_dir: bool) -> io::Result<()> {
    let p = cstr(name)?;
    cvt(unsafe { unlinkat(dir, p.as_ptr(), if remove_dir { AT_REMOVEDIR } else { 0 }) }).map(|_| ())
}

pub fn rename_at(dir: c_int, from: &[u8], to: &[u8]) -> io::Result<()> {
    let f = cstr(from)?;
    let t = cstr(to)?;
    cvt(unsafe { renameat(dir, f.as_ptr(), dir, t.as_ptr()) }).map(|_| ())
}

/// Closes every descriptor except those in `keep` (the shepherd holds nothing of the agent's).
pub fn close_all_except(keep: &[c_int]) {
    let mut open: Vec<c_int> = Vec::new();
    match std::fs::read_dir("/proc/self/fd") {
        Ok(dir) => {
            for e in dir.flatten() {
                if let Some(fd) = e.file_name().to_str().and_then(|s| s.parse::<c_int>().ok()) {
                    open.push(fd);
                }
            }
        }
        Err(_) => open.extend(3..4096),
    }
    for fd in open {
        if fd > 2 && !keep.contains(&fd) {
            unsafe {
                close(fd);
            }
        }
    }
}

/// Wraps a raw descriptor the caller owns (from a fork's inheritance or a dup).
pub fn adopt(fd: c_int) -> Fd {
    Fd(fd)
}

/// A listening TCP socket on 127.0.0.1:`port` (SO_REUSEADDR, never SO_REUSEPORT: nobody can bind
/// the port beside it), non-blocking, with a backlog of `backlog`.
pub fn listen_loopback(port: u16, backlog: c_int) -> io::Result<Fd> {
    let fd = Fd(cvt(unsafe { socket(AF_INET, SOCK_STREAM | O_NONBLOCK | O_CLOEXEC, 0) })?);
    let one: c_int = 1;
    let p = &one as *const c_int as *const c_void;
    cvt(unsafe { setsockopt(fd.0, SOL_SOCKET, SO_REUSEADDR, p, 4) })?;
    let addr = SockAddrIn { family: AF_INET as u16, port: port.to_be(), addr: 0x7f00_0001u32.to_be(), zero: [0; 8] };
    cvt(unsafe { bind(fd.0, &addr, std::mem::size_of::<SockAddrIn>() as u32) })?;
    cvt(unsafe { listen(fd.0, backlog) })?;
    Ok(fd)
}

/// accept4(2): the connection (non-blocking, O_CLOEXEC) and the peer's port.
pub fn accept_connection(listener: &Fd) -> io::Result<(Fd, u16)> {
    let mut addr = SockAddrIn { family: 0, port: 0, addr: 0, zero: [0; 8] };
    let mut len = std::mem::size_of::<SockAddrIn>() as u32;
    let fd = cvt(unsafe { accept4(listener.0, &mut addr, &mut len, O_NONBLOCK | O_CLOEXEC) })?;
    Ok((Fd(fd), u16::from_be(addr.port)))
}

/// shutdown(SHUT_WR): the peer reads EOF.
pub fn shutdown_write(fd: &Fd) -> io::Result<()> {
    cvt(unsafe { shutdown(fd.0, SHUT_WR) }).map(|_| ())
}

/// SO_LINGER 0: closing the socket then resets the connection instead of ending it cleanly.
pub fn reset_on_close(fd: &Fd) {
    let linger: [c_int; 2] = [1, 0];
    unsafe {
        setsockopt(fd.0, SOL_SOCKET, SO_LINGER, linger.as_ptr() as *const c_void, 8);
    }
}

/// The socket's pending error (SO_ERROR), cleared by reading it.
pub fn socket_error(fd: &Fd) -> Option<io::Error> {
    let mut err: c_int = 0;
    let mut len: u32 = 4;
    let r = unsafe { getsockopt(fd.0, SOL_SOCKET, SO_ERROR, &mut err as *mut c_int as *mut c_void, &mut len) };
    if r == 0 && err != 0 {
        Some(io::Error::from_raw_os_error(err))
    } else {
        None
    }
}

pub fn open_dev_null() -> io::Result<Fd> {
    open_at(AT_FDCWD, b"/dev/null", O_RDWR | O_NOCTTY, 0)
}
