//! syscall-probe: a test tool, never shipped in the jar. Makes the one system call named on its
//! command line, the way an attacker inside a sandbox would, and prints how the kernel answered:
//! `ok`, or the errno's name (`EPERM` when the sandbox's seccomp profile refuses it). The
//! integration tests upload it into a sandbox and run it there.
//! Built by `agent/build.sh` into target/agent/syscall-probe (static, standard library only).

use std::os::raw::{c_char, c_int, c_long, c_void};

extern "C" {
    fn syscall(n: c_long, ...) -> c_long;
    fn fork() -> c_int;
    fn pause() -> c_int;
    fn kill(pid: c_int, sig: c_int) -> c_int;
    fn waitpid(pid: c_int, status: *mut c_int, options: c_int) -> c_int;
    fn close(fd: c_int) -> c_int;
    fn _exit(code: c_int) -> !;
}

#[cfg(target_arch = "x86_64")]
mod nr {
    pub const GETPID: i64 = 39;
    pub const PTRACE: i64 = 101;
    pub const MODIFY_LDT: i64 = 154;
    pub const ADD_KEY: i64 = 248;
    pub const KEYCTL: i64 = 250;
    pub const PERF_EVENT_OPEN: i64 = 298;
    pub const PROCESS_VM_READV: i64 = 310;
    pub const BPF: i64 = 321;
    pub const USERFAULTFD: i64 = 323;
    pub const IO_URING_SETUP: i64 = 425;
}

#[cfg(target_arch = "aarch64")]
mod nr {
    pub const GETPID: i64 = 172;
    pub const PTRACE: i64 = 117;
    pub const ADD_KEY: i64 = 217;
    pub const KEYCTL: i64 = 219;
    pub const PERF_EVENT_OPEN: i64 = 241;
    pub const PROCESS_VM_READV: i64 = 270;
    pub const BPF: i64 = 280;
    pub const USERFAULTFD: i64 = 282;
    pub const IO_URING_SETUP: i64 = 425;
}

const PTRACE_TRACEME: i64 = 0;
const PTRACE_ATTACH: i64 = 16;
const SIGKILL: c_int = 9;
const O_CLOEXEC: i64 = 0o2000000;
const UFFD_USER_MODE_ONLY: i64 = 1;
const KEYCTL_GET_KEYRING_ID: i64 = 0;
const KEY_SPEC_PROCESS_KEYRING: i64 = -2;
const KEY_SPEC_SESSION_KEYRING: i64 = -3;

/// What process_vm_readv reads out of the child: the same address in both after fork.
static SECRET: u64 = 0x5ec2_e7;

#[repr(C)]
struct IoVec {
    base: *mut c_void,
    len: usize,
}

/// 0 when the call succeeded, else its errno.
fn outcome(r: c_long) -> i32 {
    if r < 0 {
        std::io::Error::last_os_error().raw_os_error().unwrap_or(-1)
    } else {
        0
    }
}

/// Like `outcome`, closing the fd a successful call made.
fn fd_outcome(r: c_long) -> i32 {
    if r >= 0 {
        unsafe { close(r as c_int) };
    }
    outcome(r)
}

/// Another process of the sandbox to aim at: a child that waits to be killed.
fn sleeper() -> c_int {
    let pid = unsafe { fork() };
    if pid == 0 {
        loop {
            unsafe { pause() };
        }
    }
    assert!(pid > 0, "fork failed");
    pid
}

fn reap(pid: c_int) -> c_int {
    let mut status = 0;
    unsafe { waitpid(pid, &mut status, 0) };
    status
}

fn end(pid: c_int) {
    unsafe { kill(pid, SIGKILL) };
    reap(pid);
}

fn ptrace_attach() -> i32 {
    let target = sleeper();
    let e = outcome(unsafe { syscall(nr::PTRACE, PTRACE_ATTACH, target as c_long, 0 as c_long, 0 as c_long) });
    end(target);
    e
}

/// PTRACE_TRACEME in a child (which then exits with the errno), so the probe itself is never traced.
fn ptrace_traceme() -> i32 {
    let pid = unsafe { fork() };
    if pid == 0 {
        let e = outcome(unsafe { syscall(nr::PTRACE, PTRACE_TRACEME, 0 as c_long, 0 as c_long, 0 as c_long) });
        unsafe { _exit(e) };
    }
    (reap(pid) >> 8) & 0xff
}

fn process_vm_readv() -> i32 {
    let target = sleeper();
    let mut copy = 0u64;
    let local = IoVec { base: &mut copy as *mut u64 as *mut c_void, len: 8 };
    let remote = IoVec { base: &SECRET as *const u64 as *mut c_void, len: 8 };
    let r = unsafe {
        syscall(nr::PROCESS_VM_READV, target as c_long, &local as *const IoVec, 1 as c_long, &remote as *const IoVec, 1 as c_long, 0 as c_long)
    };
    let e = outcome(r);
    end(target);
    assert!(e != 0 || copy == SECRET, "read something else");
    e
}

fn io_uring_setup() -> i32 {
    let mut params = [0u8; 120];
    fd_outcome(unsafe { syscall(nr::IO_URING_SETUP, 1 as c_long, params.as_mut_ptr()) })
}

fn userfaultfd() -> i32 {
    fd_outcome(unsafe { syscall(nr::USERFAULTFD, O_CLOEXEC | UFFD_USER_MODE_ONLY) })
}

/// A software counter of the probe's own user-mode time: what perf_event_paranoid 2 still allows.
fn perf_event_open() -> i32 {
    let mut attr = [0u64; 14];
    attr[0] = 1 | (112 << 32); // type PERF_TYPE_SOFTWARE, size PERF_ATTR_SIZE_VER5
    attr[1] = 1; // PERF_COUNT_SW_TASK_CLOCK
    attr[5] = 1 | 1 << 5 | 1 << 6; // disabled, exclude_kernel, exclude_hv
    let r = unsafe { syscall(nr::PERF_EVENT_OPEN, attr.as_mut_ptr(), 0 as c_long, -1 as c_long, -1 as c_long, 8 as c_long) };
    fd_outcome(r)
}

/// BPF_MAP_CREATE of a one-entry array.
fn bpf() -> i32 {
    let mut attr = [0u32; 5];
    attr[0] = 2; // BPF_MAP_TYPE_ARRAY
    attr[1] = 4; // key_size
    attr[2] = 4; // value_size
    attr[3] = 1; // max_entries
    fd_outcome(unsafe { syscall(nr::BPF, 0 as c_long, attr.as_mut_ptr(), 20 as c_long) })
}

fn keyctl() -> i32 {
    outcome(unsafe { syscall(nr::KEYCTL, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 1 as c_long) })
}

fn add_key() -> i32 {
    let kind = b"user\0";
    let name = b"airlock-probe\0";
    let payload = b"x";
    outcome(unsafe {
        syscall(
            nr::ADD_KEY,
            kind.as_ptr() as *const c_char,
            name.as_ptr() as *const c_char,
            payload.as_ptr(),
            payload.len() as c_long,
            KEY_SPEC_PROCESS_KEYRING,
        )
    })
}

/// Reads the LDT (x86 only): a call only Wine-like emulators need.
#[cfg(target_arch = "x86_64")]
fn modify_ldt() -> i32 {
    let mut ldt = [0u8; 16];
    outcome(unsafe { syscall(nr::MODIFY_LDT, 0 as c_long, ldt.as_mut_ptr(), ldt.len() as c_long) })
}

fn getpid() -> i32 {
    outcome(unsafe { syscall(nr::GETPID) })
}

fn name(errno: i32) -> String {
    match errno {
        0 => "ok".to_string(),
        1 => "EPERM".to_string(),
        13 => "EACCES".to_string(),
        22 => "EINVAL".to_string(),
        38 => "ENOSYS".to_string(),
        other => format!("errno {}", other),
    }
}

fn main() {
    let call = std::env::args().nth(1).unwrap_or_default();
    let errno = match call.as_str() {
        "getpid" => getpid(),
        "ptrace-attach" => ptrace_attach(),
        "ptrace-traceme" => ptrace_traceme(),
        "process_vm_readv" => process_vm_readv(),
        "io_uring_setup" => io_uring_setup(),
        "userfaultfd" => userfaultfd(),
        "perf_event_open" => perf_event_open(),
        "bpf" => bpf(),
        "keyctl" => keyctl(),
        "add_key" => add_key(),
        #[cfg(target_arch = "x86_64")]
        "modify_ldt" => modify_ldt(),
        _ => {
            eprintln!("usage: syscall-probe getpid|ptrace-attach|ptrace-traceme|process_vm_readv|io_uring_setup|userfaultfd|perf_event_open|bpf|keyctl|add_key|modify_ldt");
            std::process::exit(2)
        }
    };
    println!("{}", name(errno));
}
