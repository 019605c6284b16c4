//! `EXEC` (PROTOCOL.md "Exec"), agent side: the call's pipes, credit, timeout and `EXIT`. The process
//! work happens in the shepherd (shepherd.rs).

use crate::defaults::Defaults;
use crate::proto::{self, code, Failure, Outbox, Reader, Writer, EXIT, STARTED, STDERR, STDOUT, WINDOW};
use crate::shepherd::{self, Command, REC_FORK_FAILED, REC_STARTED};
use crate::sys::{self, errno, Fd, EAGAIN};
use std::time::{Duration, Instant};

/// Credit the agent grants for `STDIN`: at most this much stdin is buffered per exec.
const STDIN_WINDOW: usize = 64 << 10;

/// One `EXEC` call, agent side.
pub struct Exec {
    stream: u32,
    stdin: Option<Fd>,
    stdin_buf: Vec<u8>,
    stdin_end: bool,
    /// credit granted to Airlock for STDIN and not yet used
    stdin_credit: u64,
    out: Option<Fd>,
    err: Option<Fd>,
    status: Option<Fd>,
    status_buf: Vec<u8>,
    ctl: Option<Fd>,
    credit: u64,
    deadline: Option<Instant>,
    timed_out: bool,
    cancelled: bool,
    started: bool,
    exit: Option<(i32, bool)>,
}

/// `RESOLVE`: the program an `EXEC` with this argv[0], env and workdir would run, by the same PATH
/// search, and that path with every symlink resolved; both empty when there is none.
/// The agent's defaults (`DEFAULTS`) lie under both.
pub fn resolve(payload: &[u8], defaults: &Defaults) -> Result<Result<(Vec<u8>, Vec<u8>), Failure>, proto::Malformed> {
    let mut r = Reader::new(payload);
    let name = r.str()?;
    let env = r.list()?;
    let workdir = r.str()?;
    r.done()?;
    Ok(Command::new(&[name], &defaults.env(&env)).map(|cmd| {
        let path = cmd.resolve(defaults.workdir(workdir));
        let canonical = crate::shepherd::canonical(&path);
        (path, canonical)
    }))
}

/// What the poll loop watches for a call: an exec's pipes, a DELETE child's report (`Status`), the
/// egress listener, a tunnel's socket (`SocketIdle`: polled for errors only).
pub enum Watch {
    Stdin,
    Out,
    Err,
    Status,
    Listener,
    Socket,
    SocketIdle,
}

impl Exec {
    /// Parses `EXEC` and forks the shepherd; the agent's defaults (`DEFAULTS`) lie under the exec's
    /// own env and stand in for an empty workdir.
    pub fn start(stream: u32, payload: &[u8], defaults: &Defaults) -> Result<Result<Exec, Failure>, proto::Malformed> {
        let mut r = Reader::new(payload);
        let argv = r.list()?;
        let env = r.list()?;
        let workdir = r.str()?;
        let timeout = r.u32()?;
        let window = r.u32()?;
        let with_stdin = r.u8()? == 1;
        r.done()?;
        Ok(Exec::spawn(stream, &argv, &defaults.env(&env), defaults.workdir(workdir), timeout, window, with_stdin))
    }

    fn spawn(
        stream: u32,
        argv: &[&[u8]],
        env: &[&[u8]],
        workdir: &[u8],
        timeout: u32,
        window: u32,
        with_stdin: bool,
    ) -> Result<Exec, Failure> {
        let cmd = Command::new(argv, env)?;
        let wd = if workdir.is_empty() {
            None
        } else {
            let fd = sys::open_beneath(sys::AT_FDCWD, workdir, sys::O_PATH | sys::O_DIRECTORY, 0, sys::RESOLVE_NO_MAGICLINKS)
                .map_err(|e| Failure::from_io(&e, "workdir"))?;
            Some(fd)
        };
        let io = |e: std::io::Error| Failure::from_io(&e, "exec");
        let (in_r, in_w) = if with_stdin { sys::pipe().map_err(io)? } else { (sys::open_dev_null().map_err(io)?, sys::open_dev_null().map_err(io)?) };
        let (out_r, out_w) = sys::pipe().map_err(io)?;
        let (err_r, err_w) = sys::pipe().map_err(io)?;
        let (st_r, st_w) = sys::pipe().map_err(io)?;
        let (ctl_r, ctl_w) = sys::pipe().map_err(io)?;
        let agent = sys::my_pid();
        // the shepherd is reaped from the agent's SIGCHLD; its report comes through the status pipe
        match sys::fork_process() {
            Ok(0) => shepherd::run(agent, &cmd, [&in_r, &out_w, &err_w], wd.as_ref(), &st_w, &ctl_r),
            Ok(_) => {}
            Err(e) => return Err(Failure(code::LIMIT, format!("fork: {}", e))),
        }
        for fd in [&in_w, &out_r, &err_r, &st_r, &ctl_w] {
            fd.set_nonblocking().map_err(io)?;
        }
        Ok(Exec {
            stream,
            stdin: if with_stdin { Some(in_w) } else { None },
            stdin_buf: Vec::new(),
            stdin_end: !with_stdin,
            stdin_credit: 0,
            out: Some(out_r),
            err: Some(err_r),
            status: Some(st_r),
            status_buf: Vec::new(),
            ctl: Some(ctl_w),
            credit: window as u64,
            deadline: if timeout > 0 { Some(Instant::now() + Duration::from_millis(timeout as u64)) } else { None },
            timed_out: false,
            cancelled: false,
            started: false,
            exit: None,
        })
    }

    pub fn deadline(&self) -> Option<Instant> {
        if self.exit.is_none() && !self.timed_out && !self.cancelled {
            self.deadline
        } else {
            None
        }
    }

    /// The descriptors to poll now, given how much the outbound queue takes.
    pub fn watches(&self, data_room: usize) -> Vec<(i32, i16, Watch)> {
        let mut w = Vec::new();
        if let Some(f) = &self.stdin {
            if !self.stdin_buf.is_empty() {
                w.push((f.raw(), sys::POLLOUT, Watch::Stdin));
            }
        }
        if self.credit > 0 && data_room > 0 {
            if let Some(f) = &self.out {
                w.push((f.raw(), sys::POLLIN, Watch::Out));
            }
            if let Some(f) = &self.err {
                w.push((f.raw(), sys::POLLIN, Watch::Err));
            }
        }
        if let Some(f) = &self.status {
            w.push((f.raw(), sys::POLLIN, Watch::Status));
        }
        w
    }

    fn kill(&mut self) {
        if let Some(c) = &self.ctl {
            let _ = c.write(b"k");
        }
    }

    pub fn cancel(&mut self) {
        if self.exit.is_none() && !self.cancelled && !self.timed_out {
            self.cancelled = true;
            self.kill();
        }
    }

    pub fn tick(&mut self, now: Instant) {
        if let Some(d) = self.deadline() {
            if now >= d {
                self.timed_out = true;
                self.kill();
            }
        }
    }

    pub fn grant(&mut self, n: u32) {
        self.credit += n as u64;
    }

    /// A `STDIN` frame; Err is a protocol error (beyond credit).
    pub fn stdin_frame(&mut self, data: &[u8], end: bool, out: &mut Outbox) -> Result<(), ()> {
        if data.len() as u64 > self.stdin_credit {
            return Err(());
        }
        self.stdin_credit -= data.len() as u64;
        if self.stdin.is_none() {
            // the command closed its stdin: what it never reads is given back as credit
            if !data.is_empty() && !self.stdin_end {
                self.give_stdin_credit(data.len(), out);
            }
        } else {
            self.stdin_buf.extend_from_slice(data);
        }
        if end {
            self.stdin_end = true;
        }
        self.write_stdin(out);
        Ok(())
    }

    fn give_stdin_credit(&mut self, n: usize, out: &mut Outbox) {
        if n > 0 && self.exit.is_none() {
            self.stdin_credit += n as u64;
            out.send(WINDOW, 0, self.stream, &Writer::new().u32(n as u32).0);
        }
    }

    fn write_stdin(&mut self, out: &mut Outbox) {
        let mut written = 0;
        if let Some(f) = &self.stdin {
            while written < self.stdin_buf.len() {
                match f.write(&self.stdin_buf[written..]) {
                    Ok(n) => written += n,
                    Err(e) if errno(&e) == EAGAIN => break,
                    Err(_) => {
                        // EPIPE: nobody reads; drop what is buffered
                        written = self.stdin_buf.len();
                        self.stdin = None;
                        break;
                    }
                }
            }
        }
        self.stdin_buf.drain(..written);
        self.give_stdin_credit(written, out);
        if self.stdin_end && self.stdin_buf.is_empty() {
            self.stdin = None; // a real EOF for the command
        }
    }

    /// Handles readiness of one watched descriptor.
    pub fn ready(&mut self, which: Watch, out: &mut Outbox) -> Result<(), Failure> {
        match which {
            Watch::Stdin => self.write_stdin(out),
            Watch::Out | Watch::Err => {
                let (slot, kind) = match which {
                    Watch::Out => (&mut self.out, STDOUT),
                    _ => (&mut self.err, STDERR),
                };
                let max = (self.credit as usize).min(proto::MAX_PAYLOAD).min(out.data_room());
                if let Some(f) = slot {
                    if max > 0 {
                        match proto::read_frame(f, kind, self.stream, &[], max) {
                            Ok(Some(frame)) if frame.len() > proto::HEADER => {
                                self.credit -= (frame.len() - proto::HEADER) as u64;
                                out.push(frame);
                            }
                            Ok(None) => {}
                            _ => *slot = None, // EOF (or an error): this output is complete
                        }
                    }
                }
            }
            Watch::Status => self.read_status(out)?,
            Watch::Listener | Watch::Socket | Watch::SocketIdle => {}
        }
        Ok(())
    }

    fn read_status(&mut self, out: &mut Outbox) -> Result<(), Failure> {
        let mut buf = [0u8; 64];
        let n = match &self.status {
            Some(f) => match f.read(&mut buf) {
                Ok(n) => n,
                Err(e) if errno(&e) == EAGAIN => return Ok(()),
                Err(_) => 0,
            },
            None => return Ok(()),
        };
        if n == 0 {
            self.status = None;
            if self.exit.is_none() {
                return Err(Failure::new(code::INTERNAL, "the exec's shepherd died"));
            }
            return Ok(());
        }
        self.status_buf.extend_from_slice(&buf[..n]);
        while self.status_buf.len() >= 16 {
            let rec: Vec<i32> = self.status_buf[..16]
                .chunks(4)
                .map(|c| i32::from_ne_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            self.status_buf.drain(..16);
            match rec[0] {
                REC_STARTED => {
                    self.started = true;
                    out.send(STARTED, 0, self.stream, &Writer::new().u32(rec[1] as u32).0);
                    if self.stdin.is_some() {
                        self.give_stdin_credit(STDIN_WINDOW, out);
                    }
                }
                REC_FORK_FAILED => {
                    let e = std::io::Error::from_raw_os_error(rec[1]);
                    return Err(Failure(code::LIMIT, format!("fork: {}", e)));
                }
                _ => {
                    self.exit = Some((rec[1], rec[3] != 0));
                    self.stdin = None;
                    self.stdin_buf = Vec::new();
                    self.ctl = None;
                }
            }
        }
        Ok(())
    }

    /// Sends `EXIT` once the shepherd reported and both outputs were read to EOF.
    pub fn try_finish(&mut self, out: &mut Outbox) -> bool {
        let (code, killed) = match self.exit {
            Some(e) if self.out.is_none() && self.err.is_none() => e,
            _ => return false,
        };
        let by_request = killed && (self.timed_out || self.cancelled);
        let code = if by_request { 137 } else { code };
        let p = Writer::new()
            .i32(code)
            .u8((by_request && self.timed_out) as u8)
            .u8((by_request && self.cancelled) as u8);
        out.send(EXIT, 0, self.stream, &p.0);
        true
    }

    /// Session end: the shepherd kills the tree; the agent reaps it from SIGCHLD.
    pub fn abort(&mut self) {
        self.kill();
    }
}
