//! The shepherd: a child subreaper per exec. It forks the command in a new session; every process the
//! command starts stays its descendant whatever it does to its session or process group (orphans
//! re-parent to it). When the command exits, or when the agent writes to (or closes) its control pipe,
//! it SIGKILLs every descendant until none is left, and only then reports the command's status on its
//! status pipe and exits. It runs in a fork of the single-threaded agent, so it may allocate.

use crate::proto::{code, Failure};
use crate::sys::{self, errno, Fd};
use std::ffi::CString;
use std::os::raw::c_char;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;

const DEFAULT_PATH: &[u8] = b"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// status pipe records: 16 bytes, kind then three i32
pub const REC_STARTED: i32 = 1;
pub const REC_FORK_FAILED: i32 = 2;
pub const REC_EXITED: i32 = 3;

/// A command ready to exec: argv and the full environment as C strings.
pub struct Command {
    name: Vec<u8>,
    argv: Vec<CString>,
    env: Vec<CString>,
    path: Vec<u8>,
}

impl Command {
    /// argv plus `KEY=value` overrides on top of the agent's own environment.
    pub fn new(argv: &[&[u8]], overrides: &[&[u8]]) -> Result<Command, Failure> {
        if argv.is_empty() || argv[0].is_empty() {
            return Err(Failure::new(code::INVALID, "empty argv"));
        }
        let bad = |_| Failure::new(code::INVALID, "NUL byte in argv or env");
        let mut env: Vec<Vec<u8>> = std::env::vars_os()
            .map(|(k, v)| [k.as_bytes(), b"=", v.as_bytes()].concat())
            .collect();
        for o in overrides {
            let eq = match o.iter().position(|&c| c == b'=') {
                Some(i) if i > 0 => i,
                _ => return Err(Failure::new(code::INVALID, "env entry is not KEY=value")),
            };
            env.retain(|e| !(e.len() > eq && e[..=eq] == o[..=eq]));
            env.push(o.to_vec());
        }
        let path = env
            .iter()
            .find(|e| e.starts_with(b"PATH="))
            .map(|e| e[5..].to_vec())
            .unwrap_or_else(|| DEFAULT_PATH.to_vec());
        Ok(Command {
            name: argv[0].to_vec(),
            argv: argv.iter().map(|a| sys::cstr(a)).collect::<Result<_, _>>().map_err(bad)?,
            env: env.iter().map(|e| sys::cstr(e)).collect::<Result<_, _>>().map_err(bad)?,
            path,
        })
    }

    /// In a forked child: execve, with the PATH search of execvp. Returns only on failure, with the
    /// errno to report (ENOENT: not found anywhere; EACCES: found but not executable).
    pub fn exec(&self) -> i32 {
        let mut argv: Vec<*const c_char> = self.argv.iter().map(|a| a.as_ptr()).collect();
        argv.push(std::ptr::null());
        let mut envp: Vec<*const c_char> = self.env.iter().map(|e| e.as_ptr()).collect();
        envp.push(std::ptr::null());
        if self.name.contains(&b'/') {
            return errno(&sys::exec(&self.argv[0], &argv, &envp));
        }
        let mut seen_eacces = false;
        for dir in self.path.split(|&c| c == b':') {
            let dir: &[u8] = if dir.is_empty() { b"." } else { dir };
            let full = match CString::new([dir, b"/", &self.name].concat()) {
                Ok(c) => c,
                Err(_) => continue,
            };
            match errno(&sys::exec(&full, &argv, &envp)) {
                13 => seen_eacces = true,
                2 | 20 | 40 | 36 => {}
                e => return e,
            }
        }
        if seen_eacces {
            13
        } else {
            sys::ENOENT
        }
    }

    /// The path `exec` would run, made absolute against `workdir` (empty: the agent's own) and
    /// normalised by its words alone (symlinks are not followed); empty when no PATH entry holds an
    /// executable file of that name.
    pub fn resolve(&self, workdir: &[u8]) -> Vec<u8> {
        let cwd;
        let base: &[u8] = if workdir.is_empty() {
            cwd = std::env::current_dir().map(|d| d.as_os_str().as_bytes().to_vec()).unwrap_or_default();
            &cwd
        } else {
            workdir
        };
        let absolute = |p: &[u8]| if p.starts_with(b"/") { normal(p) } else { normal(&[base, b"/", p].concat()) };
        if self.name.contains(&b'/') {
            return absolute(&self.name);
        }
        for dir in self.path.split(|&c| c == b':') {
            let dir: &[u8] = if dir.is_empty() { b"." } else { dir };
            let candidate = absolute(&[dir, b"/", &self.name].concat());
            let runnable = std::fs::metadata(std::ffi::OsStr::from_bytes(&candidate))
                .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
                .unwrap_or(false);
            if runnable {
                return candidate;
            }
        }
        Vec::new()
    }

    pub fn not_found_message(&self, err: i32) -> Vec<u8> {
        let what = if err == sys::ENOENT && !self.name.contains(&b'/') {
            "command not found".to_string()
        } else {
            std::io::Error::from_raw_os_error(err).to_string()
        };
        [&self.name[..], b": ", what.as_bytes(), b"\n"].concat()
    }
}

/// `path` with every symlink resolved (`/bin/nmap` → `/usr/bin/nmap` where `/bin` links to
/// `usr/bin`); empty when `path` is empty or cannot be resolved.
pub fn canonical(path: &[u8]) -> Vec<u8> {
    if path.is_empty() {
        return Vec::new();
    }
    std::fs::canonicalize(std::ffi::OsStr::from_bytes(path)).map(|p| p.as_os_str().as_bytes().to_vec()).unwrap_or_default()
}

/// `path` without empty, `.` and `..` segments (`..` takes away the segment before it).
fn normal(path: &[u8]) -> Vec<u8> {
    let mut segments: Vec<&[u8]> = Vec::new();
    for segment in path.split(|&c| c == b'/') {
        match segment {
            b"" | b"." => {}
            b".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = Vec::new();
    for s in segments {
        out.push(b'/');
        out.extend_from_slice(s);
    }
    if out.is_empty() {
        out.push(b'/');
    }
    out
}

/// In a forked child: stdio onto the given fds, a new session, default signals, then exec.
/// Exec failure: errno through `err_pipe` (when given) and exit 127 (not found) or 126.
pub fn become_command(cmd: &Command, stdio: [i32; 3], workdir: Option<&Fd>, err_pipe: Option<&Fd>) -> ! {
    sys::new_session();
    for (target, &fd) in stdio.iter().enumerate() {
        if sys::dup_onto(fd, target as i32).is_err() {
            sys::exit_now(126);
        }
    }
    if let Some(w) = workdir {
        if sys::change_dir(w).is_err() {
            sys::exit_now(126);
        }
    }
    sys::reset_signals();
    let e = cmd.exec();
    match err_pipe {
        Some(p) => {
            let _ = p.write(&e.to_ne_bytes());
        }
        None => {
            let _ = sys::adopt(2).write(&cmd.not_found_message(e));
        }
    }
    sys::exit_now(if e == sys::ENOENT { 127 } else { 126 })
}

/// SIGKILLs every descendant of `me` and reaps until none is left (waitpid says ECHILD).
/// Returns the wait status of `watch` if it was reaped here.
pub fn kill_descendants(me: i32, watch: i32) -> Option<i32> {
    let mut watched = None;
    // No child (not even a zombie) means no descendant at all: every descendant's chain runs through a
    // child, and orphans are re-parented to this subreaper before their parent becomes reapable. So
    // the /proc scan is only needed while something is left.
    let reap = |watched: &mut Option<i32>| loop {
        match sys::wait_child(-1, sys::WNOHANG) {
            Ok(Some((pid, st))) => {
                if pid == watch {
                    *watched = Some(st);
                }
            }
            Ok(None) => return false,
            Err(_) => return true, // ECHILD
        }
    };
    loop {
        if reap(&mut watched) {
            return watched;
        }
        if watch > 0 && watched.is_none() {
            // not reaped yet, so still our child (a zombie at worst): killed even without /proc
            sys::send_signal(watch, sys::SIGKILL);
        }
        for pid in descendants(me) {
            sys::send_signal(pid, sys::SIGKILL);
        }
        if reap(&mut watched) {
            return watched;
        }
        // the killed are not reapable yet, or one forked between the scan and the kill: look again
        sys::sleep_ms(1);
    }
}

/// Whether /proc shows this process's PID namespace (as a container's does): `/proc/self` names our
/// own pid. Otherwise its pids are another namespace's, and the agent as PID 1 would take the host's
/// init for itself and every process for its descendant.
pub fn proc_is_ours() -> bool {
    match std::fs::read_link("/proc/self") {
        Ok(p) => p.to_str().and_then(|s| s.parse::<i32>().ok()) == Some(sys::my_pid()),
        Err(_) => false,
    }
}

/// Every process whose parent chain leads to `root`, from /proc/*/stat (none when /proc is another PID
/// namespace's).
fn descendants(root: i32) -> Vec<i32> {
    let mut parent: Vec<(i32, i32)> = Vec::new();
    if !proc_is_ours() {
        return Vec::new();
    }
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for e in dir.flatten() {
            let pid = match e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) {
                Some(p) => p,
                None => continue,
            };
            if let Ok(stat) = std::fs::read(format!("/proc/{}/stat", pid)) {
                // "pid (comm) S ppid ...": comm may hold anything, so parse after the last ')'
                if let Some(close) = stat.iter().rposition(|&c| c == b')') {
                    let rest = String::from_utf8_lossy(&stat[close + 1..]).into_owned();
                    if let Some(ppid) = rest.split_whitespace().nth(1).and_then(|s| s.parse().ok()) {
                        parent.push((pid, ppid));
                    }
                }
            }
        }
    }
    let mut found = vec![root];
    let mut grew = true;
    while grew {
        grew = false;
        for &(pid, ppid) in &parent {
            if found.contains(&ppid) && !found.contains(&pid) {
                found.push(pid);
                grew = true;
            }
        }
    }
    found.remove(0);
    found
}

fn record(kind: i32, a: i32, b: i32, c: i32) -> [u8; 16] {
    let mut r = [0u8; 16];
    for (i, v) in [kind, a, b, c].iter().enumerate() {
        r[i * 4..i * 4 + 4].copy_from_slice(&v.to_ne_bytes());
    }
    r
}

/// The shepherd's life (in the forked child). Never returns.
pub fn run(agent: i32, cmd: &Command, stdio: [&Fd; 3], workdir: Option<&Fd>, status: &Fd, ctl: &Fd) -> ! {
    sys::make_subreaper();
    sys::die_with_parent();
    if !sys::parent_is(agent) {
        sys::exit_now(1); // the agent died before PDEATHSIG was armed
    }
    let mut keep = vec![2, stdio[0].raw(), stdio[1].raw(), stdio[2].raw(), status.raw(), ctl.raw()];
    if let Some(w) = workdir {
        keep.push(w.raw());
    }
    sys::close_all_except(&keep);
    if let Ok(null) = sys::open_dev_null() {
        let _ = sys::dup_onto(null.raw(), 0);
        let _ = sys::dup_onto(null.raw(), 1);
    }
    let sigfd = match sys::block_into_signalfd(&[sys::SIGCHLD]) {
        Ok(f) => f,
        Err(e) => sys::exit_now(errno(&e)),
    };
    let (err_r, err_w) = match sys::pipe() {
        Ok(p) => p,
        Err(e) => {
            let _ = status.write(&record(REC_FORK_FAILED, errno(&e), 0, 0));
            sys::exit_now(0);
        }
    };
    let child = match sys::fork_process() {
        Ok(0) => become_command(cmd, [stdio[0].raw(), stdio[1].raw(), stdio[2].raw()], workdir, Some(&err_w)),
        Ok(pid) => pid,
        Err(e) => {
            let _ = status.write(&record(REC_FORK_FAILED, errno(&e), 0, 0));
            sys::exit_now(0);
        }
    };
    let _ = status.write(&record(REC_STARTED, child, 0, 0));
    drop(err_w);
    let mut e = [0u8; 4];
    if let Ok(4) = err_r.read(&mut e) {
        let _ = stdio[2].write(&cmd.not_found_message(i32::from_ne_bytes(e)));
    }
    let mut result: Option<i32> = None;
    let mut killed = false;
    while result.is_none() {
        while let Ok(Some((pid, st))) = sys::wait_child(-1, sys::WNOHANG) {
            if pid == child {
                result = Some(st);
            }
        }
        if result.is_some() {
            break;
        }
        let mut fds = [
            sys::PollFd { fd: sigfd.raw(), events: sys::POLLIN, revents: 0 },
            sys::PollFd { fd: ctl.raw(), events: sys::POLLIN, revents: 0 },
        ];
        let _ = sys::poll_fds(&mut fds, -1);
        while sys::next_signal(&sigfd).is_some() {}
        if fds[1].revents != 0 {
            // a byte or EOF: the agent wants the tree dead (timeout, CANCEL, session end)
            killed = true;
            result = kill_descendants(sys::my_pid(), child).or(result);
            if result.is_none() {
                result = Some(9); // reaped unseen: cannot happen, but never hang
            }
        }
    }
    kill_descendants(sys::my_pid(), child);
    let (code, sig) = sys::decode_status(result.unwrap_or(9));
    let _ = status.write(&record(REC_EXITED, code, sig, killed as i32));
    sys::exit_now(0)
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_folds_dots_and_empty_segments() {
        assert_eq!(normal(b"/w/./a//b/../c"), b"/w/a/c".to_vec());
        assert_eq!(normal(b"/../x"), b"/x".to_vec());
        assert_eq!(normal(b"/"), b"/".to_vec());
    }

    #[test]
    fn resolve_finds_what_exec_would_run() {
        let dir = std::env::temp_dir().join(format!("airlock-resolve-{}", std::process::id()));
        let bin = dir.join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let tool = bin.join("tool");
        std::fs::write(&tool, b"#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::write(dir.join("plain"), b"x").unwrap();
        let d = dir.as_os_str().as_bytes();
        let path_env = [b"PATH=/nowhere:" as &[u8], bin.as_os_str().as_bytes(), b":", d].concat();
        let resolve = |name: &[u8]| Command::new(&[name], &[&path_env[..]]).unwrap().resolve(d);

        assert_eq!(resolve(b"tool"), tool.as_os_str().as_bytes().to_vec());
        assert_eq!(resolve(b"plain"), Vec::<u8>::new()); // not executable: exec would not run it
        assert_eq!(resolve(b"missing"), Vec::<u8>::new());
        assert_eq!(resolve(b"./bin/../bin/tool"), tool.as_os_str().as_bytes().to_vec());
        assert_eq!(resolve(b"/usr/bin/../bin/x"), b"/usr/bin/x".to_vec());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn canonical_follows_symlinked_folders() {
        let dir = std::env::temp_dir().join(format!("airlock-canonical-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("usr/bin")).unwrap();
        std::fs::write(dir.join("usr/bin/tool"), b"x").unwrap();
        std::os::unix::fs::symlink("usr/bin", dir.join("bin")).unwrap();
        let d = dir.canonicalize().unwrap();
        let linked = [d.as_os_str().as_bytes(), b"/bin/tool"].concat();

        assert_eq!(canonical(&linked), [d.as_os_str().as_bytes(), b"/usr/bin/tool"].concat());
        assert_eq!(canonical(b""), Vec::<u8>::new());
        assert_eq!(canonical(&[d.as_os_str().as_bytes(), b"/bin/missing"].concat()), Vec::<u8>::new());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
