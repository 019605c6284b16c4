//! airlock-agent: the in-sandbox end of Airlock's agent protocol (PROTOCOL.md, versions 1 to 4).
//!
//! One thread around poll(2): stdin (frames from Airlock), stdout (frames to Airlock, through a
//! bounded queue), a signalfd, every exec's pipes, the main command's output, the egress listener
//! and its tunnels. It never creates
//! threads, so a sandbox at its pids limit cannot crash it, and it may fork freely.

mod defaults;
mod delete;
mod exec;
mod files;
mod listing;
mod logs;
mod proto;
mod session;
mod shepherd;
mod sys;
mod tunnel;

use proto::{Decoder, Inbound, Outbox, Writer};
use session::{Fault, Session};
use std::time::{Duration, Instant};
use sys::{errno, Fd, PollFd, EAGAIN, POLLERR, POLLHUP, POLLIN, POLLOUT};

const DEFAULT_LOG_BYTES: usize = 1 << 20;
const MAX_LOG_BYTES: usize = 256 << 20;
const FORWARDED: [i32; 6] = [sys::SIGTERM, sys::SIGINT, sys::SIGHUP, sys::SIGQUIT, sys::SIGUSR1, sys::SIGUSR2];

/// The main command: its pid and the pipes of its stdout and stderr.
struct Main {
    pid: i32,
    out: Option<Fd>,
    err: Option<Fd>,
    status: Option<(i32, i32)>,
}

enum Token {
    Stdin,
    Stdout,
    Signals,
    MainOut,
    MainErr,
    Call(u32, exec::Watch),
}

struct Agent {
    stdin: Option<Fd>,
    stdout: Option<Fd>,
    signals: Fd,
    decoder: Decoder,
    out: Outbox,
    session: Session,
    ring: logs::Ring,
    main: Option<Main>,
    next_heartbeat: Instant,
    /// set when the agent should stop: the exit code
    exit: Option<i32>,
}

fn usage() -> ! {
    eprintln!("usage: airlock-agent [--log-bytes N] [--heartbeat-ms N] [--egress-port N] [-- command args...]");
    std::process::exit(2)
}

fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let mut log_bytes = DEFAULT_LOG_BYTES;
    let mut command: Vec<Vec<u8>> = Vec::new();
    let mut egress_port: Option<u16> = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].to_str() {
            Some("--log-bytes") => {
                i += 1;
                log_bytes = match args.get(i).and_then(|a| a.to_str()).and_then(|a| a.parse().ok()) {
                    Some(n) if n > 0 && n <= MAX_LOG_BYTES => n,
                    _ => usage(),
                };
            }
            Some("--heartbeat-ms") => {
                i += 1;
                match args.get(i).and_then(|a| a.to_str()).and_then(|a| a.parse().ok()) {
                    Some(n) if (100..=60_000).contains(&n) => session::set_heartbeat_millis(n),
                    _ => usage(),
                }
            }
            Some("--egress-port") => {
                i += 1;
                egress_port = match args.get(i).and_then(|a| a.to_str()).and_then(|a| a.parse().ok()) {
                    Some(n) if n > 0 => Some(n),
                    _ => usage(),
                };
            }
            Some("--") => {
                use std::os::unix::ffi::OsStrExt;
                command = args[i + 1..].iter().map(|a| a.as_bytes().to_vec()).collect();
                break;
            }
            _ => usage(),
        }
        i += 1;
    }
    sys::make_dumpable(false);
    sys::make_subreaper();
    let mut all = FORWARDED.to_vec();
    all.push(sys::SIGCHLD);
    let signals = match sys::block_into_signalfd(&all) {
        Ok(fd) => fd,
        Err(e) => {
            eprintln!("airlock-agent: signalfd: {}", e);
            std::process::exit(1)
        }
    };
    // bound before any process of the sandbox exists: none can take the port first (fail closed)
    let listener = egress_port.map(|port| match tunnel::Listener::bind(port) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("airlock-agent: cannot listen on 127.0.0.1:{}: {}", port, e);
            std::process::exit(1)
        }
    });
    let stdin = sys::adopt(0);
    let stdout = sys::adopt(1);
    if stdin.set_nonblocking().is_err() || stdout.set_nonblocking().is_err() {
        eprintln!("airlock-agent: cannot make stdio non-blocking");
        std::process::exit(1)
    }
    let mut agent = Agent {
        stdin: Some(stdin),
        stdout: Some(stdout),
        signals,
        decoder: Decoder::new(),
        out: Outbox::new(),
        session: Session::new(listener),
        ring: logs::Ring::new(log_bytes),
        main: None,
        next_heartbeat: Instant::now(),
        exit: None,
    };
    if !command.is_empty() {
        match start_main(&command) {
            Ok(m) => agent.main = Some(m),
            Err(e) => {
                eprintln!("airlock-agent: cannot start the main command: {}", e);
                std::process::exit(127)
            }
        }
    }
    let code = agent.run();
    std::process::exit(code)
}

/// Forks the main command: its own session, stdin /dev/null, stdout and stderr to pipes.
fn start_main(argv: &[Vec<u8>]) -> Result<Main, String> {
    let refs: Vec<&[u8]> = argv.iter().map(|a| &a[..]).collect();
    let cmd = shepherd::Command::new(&refs, &[]).map_err(|f| f.1)?;
    let null = sys::open_dev_null().map_err(|e| e.to_string())?;
    let (out_r, out_w) = sys::pipe().map_err(|e| e.to_string())?;
    let (err_r, err_w) = sys::pipe().map_err(|e| e.to_string())?;
    let pid = match sys::fork_process() {
        Ok(0) => shepherd::become_command(&cmd, [null.raw(), out_w.raw(), err_w.raw()], None, None),
        Ok(pid) => pid,
        Err(e) => return Err(e.to_string()),
    };
    out_r.set_nonblocking().map_err(|e| e.to_string())?;
    err_r.set_nonblocking().map_err(|e| e.to_string())?;
    Ok(Main { pid, out: Some(out_r), err: Some(err_r), status: None })
}

impl Agent {
    fn run(&mut self) -> i32 {
        let mut buf = vec![0u8; proto::MAX_PAYLOAD];
        loop {
            if let Some(code) = self.exit {
                return self.shutdown(code);
            }
            let now = Instant::now();
            let room = self.out.data_room();
            let mut fds: Vec<PollFd> = Vec::new();
            let mut tokens: Vec<Token> = Vec::new();
            let mut watch = |fds: &mut Vec<PollFd>, fd: i32, events: i16, t: Token| {
                fds.push(PollFd { fd, events, revents: 0 });
                tokens.push(t);
            };
            watch(&mut fds, self.signals.raw(), POLLIN, Token::Signals);
            if let Some(f) = &self.stdin {
                if !self.out.control_full() && self.decoder.room() > 0 {
                    watch(&mut fds, f.raw(), POLLIN, Token::Stdin);
                }
            }
            if let Some(f) = &self.stdout {
                if !self.out.is_empty() {
                    watch(&mut fds, f.raw(), POLLOUT, Token::Stdout);
                }
            }
            if let Some(m) = &self.main {
                // the ring never blocks: the main command's output is always read
                if let Some(f) = &m.out {
                    watch(&mut fds, f.raw(), POLLIN, Token::MainOut);
                }
                if let Some(f) = &m.err {
                    watch(&mut fds, f.raw(), POLLIN, Token::MainErr);
                }
            }
            for (fd, ev, stream, w) in self.session.watches(room) {
                watch(&mut fds, fd, ev, Token::Call(stream, w));
            }
            let (deadline, busy) = self.session.next_wakeup(room, &self.ring);
            let mut wake = self.next_heartbeat;
            if let Some(d) = deadline {
                wake = wake.min(d);
            }
            let timeout = if busy { 0 } else { wake.saturating_duration_since(now).as_millis().min(60_000) as i32 + 1 };
            if let Err(e) = sys::poll_fds(&mut fds, timeout) {
                eprintln!("airlock-agent: poll: {}", e);
                return 1;
            }
            let mut stdin_ready = false;
            for (pfd, t) in fds.iter().zip(tokens.into_iter()) {
                if pfd.revents == 0 {
                    continue;
                }
                match t {
                    Token::Signals => self.on_signals(),
                    Token::Stdin => stdin_ready = true,
                    Token::Stdout => self.flush(),
                    Token::MainOut => self.read_main(true),
                    Token::MainErr => self.read_main(false),
                    Token::Call(s, w) => self.session.call_ready(s, w, &mut self.out),
                }
            }
            // requests last: a HELLO among them ends calls whose descriptors were polled above
            if stdin_ready {
                self.read_stdin(&mut buf);
            }
            let now = Instant::now();
            if self.session.established {
                self.session.progress(now, &mut self.out, &self.ring);
                if now >= self.next_heartbeat {
                    if self.out.is_empty() {
                        self.out.send(proto::HEARTBEAT, 0, 0, &[]);
                    }
                    self.next_heartbeat = now + Duration::from_millis(session::heartbeat_millis() as u64);
                }
            } else {
                self.next_heartbeat = now + Duration::from_millis(session::heartbeat_millis() as u64);
            }
            self.flush();
        }
    }

    fn flush(&mut self) {
        if let Some(f) = &self.stdout {
            if let Err(e) = self.out.flush(f) {
                // nobody can hear us any more; keep serving the main command
                eprintln!("airlock-agent: stdout: {}", e);
                self.stdout = None;
                self.out.drop_pending();
            }
        } else {
            self.out.drop_pending();
        }
    }

    fn read_stdin(&mut self, buf: &mut [u8]) {
        let f = match &self.stdin {
            Some(f) => f,
            None => return,
        };
        let max = self.decoder.room().min(buf.len());
        match f.read(&mut buf[..max]) {
            Ok(0) => self.stdin = None, // Airlock went away: stop reading, keep running
            Ok(n) => self.decoder.push(&buf[..n]),
            Err(e) if errno(&e) == EAGAIN => return,
            Err(e) => {
                eprintln!("airlock-agent: stdin: {}", e);
                self.stdin = None;
            }
        }
        while let Some(inbound) = self.decoder.next() {
            let fault = match inbound {
                Inbound::Garbage => Some(Fault::Malformed),
                Inbound::Frame(f) if f.kind == proto::HELLO && f.stream == 0 => {
                    self.session.hello(&f, &mut self.out).err()
                }
                Inbound::Frame(f) => {
                    if self.session.established {
                        self.session.frame(f, &mut self.out, &self.ring).err()
                    } else {
                        Some(Fault::Malformed)
                    }
                }
            };
            if let Some(fault) = fault {
                self.fault(fault);
            }
            if self.out.control_full() {
                break; // read on once the peer took some of our frames
            }
        }
    }

    /// A broken frame: the session ends, the decoder scans for the next HELLO.
    fn fault(&mut self, fault: Fault) {
        if self.session.established {
            self.session.end();
            self.out.drop_pending();
            let msg = match fault {
                Fault::Protocol(m) => m,
                Fault::Malformed => "malformed frame".to_string(),
            };
            self.out.error(0, &proto::Failure(proto::code::PROTOCOL, msg));
        }
        self.decoder.scan();
    }

    fn read_main(&mut self, stdout: bool) {
        let m = match &mut self.main {
            Some(m) => m,
            None => return,
        };
        let slot = if stdout { &mut m.out } else { &mut m.err };
        let mut buf = [0u8; 16 << 10];
        if let Some(f) = slot {
            match f.read(&mut buf) {
                Ok(0) => *slot = None,
                Ok(n) => self.ring.push(if stdout { logs::STDOUT } else { logs::STDERR }, &buf[..n]),
                Err(e) if errno(&e) == EAGAIN => {}
                Err(_) => *slot = None,
            }
        }
        if m.out.is_none() && m.err.is_none() {
            self.ring.closed = true;
        }
    }

    fn on_signals(&mut self) {
        while let Some(sig) = sys::next_signal(&self.signals) {
            if sig == sys::SIGCHLD {
                self.reap();
            } else if let Some(m) = &self.main {
                if m.status.is_none() {
                    sys::send_signal(m.pid, sig);
                }
            } else if sig == sys::SIGTERM || sig == sys::SIGINT {
                self.exit = Some(0);
            }
        }
    }

    /// Reaps every exited child: shepherds and DELETE children report through their pipes, orphans
    /// re-parented to us need only reaping, and the main command ends the agent.
    fn reap(&mut self) {
        while let Ok(Some((pid, status))) = sys::wait_child(-1, sys::WNOHANG) {
            // a DELETE's child: its pid must not be signalled any more (it could be reused)
            self.session.reaped(pid);
            if let Some(m) = &mut self.main {
                if m.pid == pid {
                    let (code, sig) = sys::decode_status(status);
                    m.status = Some((code, sig));
                    if self.session.established {
                        self.out.send(proto::MAIN_EXITED, 0, 0, &Writer::new().i32(code).i32(sig).0);
                    }
                    self.exit = Some(code);
                }
            }
        }
    }

    /// Kills what is left, lets followers take the main command's last output, flushes (at most 1 s).
    fn shutdown(&mut self, code: i32) -> i32 {
        self.session.end_execs();
        shepherd::kill_descendants(sys::my_pid(), -1);
        if self.main.is_some() {
            for _ in 0..64 {
                self.read_main(true);
                self.read_main(false);
                if self.ring.closed {
                    break;
                }
            }
            self.ring.closed = true;
        }
        let until = Instant::now() + Duration::from_secs(1);
        loop {
            if self.session.established {
                self.session.progress(Instant::now(), &mut self.out, &self.ring);
            }
            self.flush();
            let now = Instant::now();
            if self.out.is_empty() || self.stdout.is_none() || now >= until {
                break;
            }
            if let Some(f) = &self.stdout {
                let mut p = [PollFd { fd: f.raw(), events: POLLOUT, revents: 0 }];
                let _ = sys::poll_fds(&mut p, (until - now).as_millis() as i32 + 1);
                if p[0].revents & (POLLERR | POLLHUP) != 0 {
                    break;
                }
            }
        }
        code
    }
}
