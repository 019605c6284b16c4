//! A session (PROTOCOL.md "Session" and "Calls"): the calls in progress, keyed by stream id, and the
//! rules for which frame may arrive when.

use crate::defaults::Defaults;
use crate::delete::Delete;
use crate::exec::{Exec, Watch};
use crate::files::{Download, Progress, Upload};
use crate::listing::Listing;
use crate::logs::{Follower, Ring, Step};
use crate::proto::{self, code, Failure, Frame, Malformed, Outbox, Reader, Writer};
use crate::tunnel::{Listener, Tunnel};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Instant;

/// The protocol versions this agent speaks: 2 is 1 plus `RESOLVE`, 3 is 2 plus `ACCEPT` and the
/// egress port in `HELLO_OK`, 4 is 3 plus `DEFAULTS` (PROTOCOL.md "Session").
pub const MIN_VERSION: u16 = 1;
pub const VERSION: u16 = 4;
pub const AGENT_VERSION: &str = "airlock-agent 1.0";
/// How often an established session hears from the agent (`--heartbeat-ms`, default 2 s).
static HEARTBEAT_MILLIS: AtomicU32 = AtomicU32::new(2000);

pub fn heartbeat_millis() -> u32 {
    HEARTBEAT_MILLIS.load(Ordering::Relaxed)
}

pub fn set_heartbeat_millis(millis: u32) {
    HEARTBEAT_MILLIS.store(millis, Ordering::Relaxed);
}
/// Calls per session at once; beyond: ERROR LIMIT.
const MAX_CALLS: usize = 64;
/// The most bytes one request may span across PART frames (argv and env of an exec).
const MAX_REQUEST: usize = 16 << 20;

pub enum Call {
    Exec(Exec),
    Upload(Upload),
    Download(Download),
    List(Listing),
    Delete(Delete),
    Logs(Follower),
    /// an `ACCEPT` waiting for a connection, with its window
    Accept(u32),
    Tunnel(Tunnel),
}

/// Why a frame ends the session.
pub enum Fault {
    /// a malformed payload: scan mode
    Malformed,
    /// a frame that breaks the rules: ERROR PROTOCOL on stream 0, then scan mode
    Protocol(String),
}

impl From<Malformed> for Fault {
    fn from(_: Malformed) -> Fault {
        Fault::Malformed
    }
}

pub struct Session {
    pub established: bool,
    /// the version `HELLO_OK` chose
    version: u16,
    /// `--egress-port`: bound at start, outlives every session
    listener: Option<Listener>,
    calls: HashMap<u32, Call>,
    /// The highest stream id a request (or PART) used in this session. Airlock's ids only increase, so
    /// a frame for an id at or below it that is not active belongs to a call already finished (a
    /// CANCEL crossing an EXIT, a WINDOW from a slow reader): ignored, however long ago it finished.
    highest: u32,
    /// Requests that did not fit one frame: what came in PART frames so far (one at a time).
    part: Option<(u32, Vec<u8>)>,
    /// What `DEFAULTS` set last: the sandbox's, so no session end clears them.
    defaults: Defaults,
}

impl Session {
    pub fn new(listener: Option<Listener>) -> Session {
        Session {
            established: false,
            version: 0,
            listener,
            calls: HashMap::new(),
            highest: 0,
            part: None,
            defaults: Defaults::default(),
        }
    }

    /// Ends the session: every call aborted (exec trees killed by their shepherds, partial uploads
    /// removed and DELETE children killed when dropped, follows ended), nothing more sent for them.
    pub fn end(&mut self) {
        for (_, call) in self.calls.iter_mut() {
            if let Call::Exec(e) = call {
                e.abort();
            }
        }
        self.calls.clear();
        self.highest = 0;
        self.part = None;
        self.established = false;
    }

    /// The agent is exiting: every call but the log follows (which take the main command's last
    /// output) is aborted.
    pub fn end_execs(&mut self) {
        for (_, call) in self.calls.iter_mut() {
            if let Call::Exec(e) = call {
                e.abort();
            }
        }
        self.calls.retain(|_, c| matches!(c, Call::Logs(_)));
    }

    /// `HELLO`: a new session, answered with HELLO_OK or ERROR VERSION.
    pub fn hello(&mut self, f: &Frame, out: &mut Outbox) -> Result<(), Fault> {
        let mut r = Reader::new(&f.payload);
        let min = r.u16()?;
        let max = r.u16()?;
        let nonce = r.bytes(16)?;
        r.done()?;
        self.end();
        out.drop_pending();
        if min <= VERSION && MIN_VERSION <= max && min <= max {
            self.version = max.min(VERSION);
            let mut p = Writer::new()
                .u16(self.version)
                .bytes(nonce)
                .u32(proto::MAX_PAYLOAD as u32)
                .str(AGENT_VERSION.as_bytes())
                .u32(heartbeat_millis())
                .u32(crate::sys::my_pid() as u32);
            if self.version >= 3 {
                p = p.u16(self.listener.as_ref().map_or(0, |l| l.port));
            }
            out.send(proto::HELLO_OK, 0, 0, &p.0);
            self.established = true;
            Ok(())
        } else {
            out.error(0, &Failure(code::VERSION, format!("this agent speaks versions {} to {}", MIN_VERSION, VERSION)));
            Err(Fault::Malformed) // wait, in scan mode, for a HELLO we can answer
        }
    }

    fn finish(&mut self, stream: u32) {
        self.calls.remove(&stream);
    }

    fn fail(&mut self, stream: u32, f: &Failure, out: &mut Outbox) {
        out.error(stream, f);
        self.finish(stream);
    }

    /// A frame other than HELLO while the session is established.
    pub fn frame(&mut self, f: Frame, out: &mut Outbox, ring: &Ring) -> Result<(), Fault> {
        use proto::*;
        match f.kind {
            PART => self.part(f),
            EXEC | WRITE | READ | LIST | DELETE | LOGS | RESOLVE | ACCEPT | DEFAULTS => self.request(f, out, ring),
            STDIN | DATA | CANCEL | WINDOW => {
                if !self.calls.contains_key(&f.stream) {
                    if f.stream != 0 && f.stream <= self.highest {
                        return Ok(()); // a call already finished: crossed our final frame
                    }
                    return Err(Fault::Protocol(format!("frame 0x{:02x} for unknown stream {}", f.kind, f.stream)));
                }
                self.on_stream(f, out)
            }
            _ => Err(Fault::Protocol(format!("frame type 0x{:02x} is not sent to the agent", f.kind))),
        }
    }

    /// The head of a request too large for one frame; the request frame itself brings the rest.
    fn part(&mut self, f: Frame) -> Result<(), Fault> {
        let s = f.stream;
        if s == 0 || self.calls.contains_key(&s) {
            return Err(Fault::Protocol(format!("part of a request on stream {} which is in use", s)));
        }
        match &mut self.part {
            Some((stream, bytes)) if *stream == s => {
                if bytes.len() + f.payload.len() > MAX_REQUEST {
                    return Err(Fault::Protocol(format!("a request over {} bytes", MAX_REQUEST)));
                }
                bytes.extend_from_slice(&f.payload);
                self.highest = self.highest.max(s);
            }
            Some((stream, _)) => {
                return Err(Fault::Protocol(format!("parts of two requests at once ({} and {})", stream, s)));
            }
            None => {
                self.highest = self.highest.max(s);
                self.part = Some((s, f.payload));
            }
        }
        Ok(())
    }

    fn request(&mut self, mut f: Frame, out: &mut Outbox, ring: &Ring) -> Result<(), Fault> {
        let s = f.stream;
        if s == 0 || self.calls.contains_key(&s) {
            return Err(Fault::Protocol(format!("request on stream {} which is in use", s)));
        }
        match self.part.take() {
            Some((stream, mut head)) if stream == s => {
                head.extend_from_slice(&f.payload);
                f.payload = head;
            }
            Some((stream, _)) => {
                return Err(Fault::Protocol(format!("a request on stream {} while one on {} was in parts", s, stream)));
            }
            None => {}
        }
        self.highest = self.highest.max(s);
        if self.calls.len() >= MAX_CALLS {
            self.fail(s, &Failure(code::LIMIT, format!("more than {} calls at once", MAX_CALLS)), out);
            return Ok(());
        }
        if f.kind == proto::RESOLVE {
            // answered at once: no call stays open
            match crate::exec::resolve(&f.payload, &self.defaults)? {
                Ok((path, canonical)) => out.send(proto::RESOLVED, 0, s, &Writer::new().str(&path).str(&canonical).0),
                Err(e) => out.error(s, &e),
            }
            return Ok(());
        }
        if f.kind == proto::ACCEPT {
            return self.accept(s, &f.payload, out);
        }
        if f.kind == proto::DEFAULTS {
            return self.set_defaults(s, &f.payload, out);
        }
        let started = match f.kind {
            proto::EXEC => Exec::start(s, &f.payload, &self.defaults)?.map(Call::Exec),
            proto::WRITE => Upload::start(s, &f.payload, out)?.map(Call::Upload),
            proto::READ => Download::start(s, &f.payload, out)?.map(Call::Download),
            proto::LIST => Listing::start(s, &f.payload)?.map(Call::List),
            proto::DELETE => Delete::start(s, &f.payload)?.map(Call::Delete),
            _ => Ok(Call::Logs(Follower::start(s, &f.payload, ring)?)),
        };
        match started {
            Ok(call) => {
                self.calls.insert(s, call);
            }
            Err(e) => self.fail(s, &e, out),
        }
        Ok(())
    }

    /// `DEFAULTS`: answered at once; refused defaults leave the ones before in place.
    fn set_defaults(&mut self, s: u32, payload: &[u8], out: &mut Outbox) -> Result<(), Fault> {
        if self.version < 4 {
            return Err(Fault::Protocol(format!("DEFAULTS in a session of version {}", self.version)));
        }
        match Defaults::parse(payload)? {
            Ok(d) => {
                self.defaults = d;
                out.send(proto::OK, 0, s, &Writer::new().u64(0).0);
            }
            Err(e) => out.error(s, &e),
        }
        Ok(())
    }

    /// `ACCEPT`: queued until a connection comes (the oldest, lowest stream id, is served first).
    fn accept(&mut self, s: u32, payload: &[u8], out: &mut Outbox) -> Result<(), Fault> {
        if self.version < 3 {
            return Err(Fault::Protocol(format!("ACCEPT in a session of version {}", self.version)));
        }
        let mut r = Reader::new(payload);
        let window = r.u32()?;
        r.done()?;
        if self.listener.is_none() {
            out.error(s, &Failure::new(code::INVALID, "no egress port: the agent was started without --egress-port"));
        } else {
            self.calls.insert(s, Call::Accept(window));
            self.take_connections(out);
        }
        Ok(())
    }

    /// Hands waiting connections to waiting `ACCEPT`s, oldest first.
    fn take_connections(&mut self, out: &mut Outbox) {
        let listener = match &self.listener {
            Some(l) => l,
            None => return,
        };
        loop {
            let oldest = self.calls.iter().filter(|(_, c)| matches!(c, Call::Accept(_))).map(|(&s, _)| s).min();
            let s = match oldest {
                Some(s) => s,
                None => return,
            };
            match listener.next() {
                Ok(Some((sock, port))) => {
                    let window = match self.calls.get(&s) {
                        Some(Call::Accept(w)) => *w,
                        _ => return,
                    };
                    self.calls.insert(s, Call::Tunnel(Tunnel::open(s, sock, port, window, out)));
                }
                Ok(None) => return,
                Err(f) => {
                    self.fail(s, &f, out);
                    return;
                }
            }
        }
    }

    fn on_stream(&mut self, f: Frame, out: &mut Outbox) -> Result<(), Fault> {
        let s = f.stream;
        let call = match self.calls.get_mut(&s) {
            Some(c) => c,
            None => return Ok(()),
        };
        let beyond = || Fault::Protocol(format!("data beyond credit on stream {}", s));
        match (f.kind, call) {
            (proto::WINDOW, call) => {
                let mut r = Reader::new(&f.payload);
                let n = r.u32()?;
                r.done()?;
                match call {
                    Call::Exec(e) => e.grant(n),
                    Call::Download(d) => d.grant(n),
                    Call::Logs(l) => l.grant(n),
                    Call::Tunnel(t) => t.grant(n),
                    _ => {}
                }
            }
            (proto::CANCEL, call) => match call {
                Call::Exec(e) => e.cancel(),
                Call::Logs(l) => {
                    l.finish(out);
                    self.finish(s);
                }
                Call::Delete(d) => match d.cancel(out) {
                    Ok(()) => self.finish(s),
                    Err(e) => self.fail(s, &e, out),
                },
                _ => self.fail(s, &Failure::new(code::CANCELLED, "cancelled"), out),
            },
            (proto::STDIN, Call::Exec(e)) => e.stdin_frame(&f.payload, f.end(), out).map_err(|_| beyond())?,
            (proto::DATA, Call::Upload(u)) => match u.data(&f.payload, f.end(), out) {
                Ok(Progress::Going) => {}
                Ok(Progress::Done) => self.finish(s),
                Err(None) => return Err(beyond()),
                Err(Some(e)) => self.fail(s, &e, out),
            },
            (proto::DATA, Call::Tunnel(t)) => match t.data(&f.payload, f.end(), out) {
                Ok(()) => {}
                Err(None) => return Err(Fault::Protocol(format!("data beyond credit or after END on stream {}", s))),
                Err(Some(e)) => self.fail(s, &e, out),
            },
            _ => return Err(Fault::Protocol(format!("frame 0x{:02x} does not fit stream {}", f.kind, s))),
        }
        Ok(())
    }

    /// Descriptors of the calls to poll, with the stream each belongs to.
    pub fn watches(&self, data_room: usize) -> Vec<(i32, i16, u32, Watch)> {
        let mut v = Vec::new();
        let mut accepting = false;
        for (&s, call) in &self.calls {
            match call {
                Call::Accept(_) => accepting = true,
                Call::Tunnel(t) => {
                    if let Some((fd, ev, idle)) = t.watch(data_room) {
                        v.push((fd, ev, s, if idle { Watch::SocketIdle } else { Watch::Socket }));
                    }
                }
                Call::Exec(e) => {
                    for (fd, ev, w) in e.watches(data_room) {
                        v.push((fd, ev, s, w));
                    }
                }
                Call::Delete(d) => {
                    if let Some(fd) = d.watch() {
                        v.push((fd, crate::sys::POLLIN, s, Watch::Status));
                    }
                }
                _ => {}
            }
        }
        if let (true, Some(l)) = (accepting, &self.listener) {
            v.push((l.fd.raw(), crate::sys::POLLIN, 0, Watch::Listener));
        }
        v
    }

    /// A watched descriptor of a call is ready: an exec's pipe, a DELETE child's report.
    pub fn call_ready(&mut self, stream: u32, w: Watch, out: &mut Outbox) {
        if let Watch::Listener = w {
            self.take_connections(out);
            return;
        }
        let room = out.data_room();
        match self.calls.get_mut(&stream) {
            Some(Call::Tunnel(t)) => {
                if let Err(f) = t.ready(matches!(w, Watch::SocketIdle), room, out) {
                    self.fail(stream, &f, out);
                }
            }
            Some(Call::Exec(e)) => {
                if let Err(f) = e.ready(w, out) {
                    e.abort();
                    self.fail(stream, &f, out);
                }
            }
            Some(Call::Delete(d)) => match d.ready(out) {
                Some(Ok(())) => self.finish(stream),
                Some(Err(f)) => self.fail(stream, &f, out),
                None => {}
            },
            _ => {}
        }
    }

    /// A child was reaped (from the agent's SIGCHLD): the DELETE call it belonged to must not kill it.
    pub fn reaped(&mut self, pid: i32) {
        for call in self.calls.values_mut() {
            if let Call::Delete(d) = call {
                d.reaped(pid);
            }
        }
    }

    /// The earliest deadline (exec timeout, upload idle), and whether some call can send right now.
    pub fn next_wakeup(&self, data_room: usize, ring: &Ring) -> (Option<Instant>, bool) {
        let mut at: Option<Instant> = None;
        let mut now = false;
        let mut earliest = |d: Instant| at = Some(at.map_or(d, |a| a.min(d)));
        for call in self.calls.values() {
            match call {
                Call::Exec(e) => {
                    if let Some(d) = e.deadline() {
                        earliest(d);
                    }
                }
                Call::Upload(u) => earliest(u.deadline()),
                Call::Download(d) => now |= d.wants(data_room),
                Call::List(l) => now |= l.counting() || data_room > 0,
                Call::Delete(_) | Call::Accept(_) | Call::Tunnel(_) => {}
                Call::Logs(l) => now |= l.wants(ring),
            }
        }
        (at, now)
    }

    /// Timeouts, then everything that can send: files, listings, follows, finished execs.
    pub fn progress(&mut self, now: Instant, out: &mut Outbox, ring: &Ring) {
        let mut done: Vec<(u32, Option<Failure>)> = Vec::new();
        for (&s, call) in self.calls.iter_mut() {
            let r = match call {
                Call::Exec(e) => {
                    e.tick(now);
                    Ok(if e.try_finish(out) { Progress::Done } else { Progress::Going })
                }
                Call::Upload(u) => {
                    if now >= u.deadline() {
                        Err(Failure::new(code::TIMEOUT, "upload silent for 30 s"))
                    } else {
                        Ok(Progress::Going)
                    }
                }
                Call::Download(d) => d.pump(out),
                Call::List(l) => l.pump(out),
                Call::Delete(_) | Call::Accept(_) => Ok(Progress::Going),
                Call::Tunnel(t) => Ok(if t.try_finish(out) { Progress::Done } else { Progress::Going }),
                Call::Logs(l) => Ok(match l.pump(ring, out) {
                    Step::Going => Progress::Going,
                    Step::Finished => Progress::Done,
                }),
            };
            match r {
                Ok(Progress::Going) => {}
                Ok(Progress::Done) => done.push((s, None)),
                Err(f) => done.push((s, Some(f))),
            }
        }
        for (s, f) in done {
            match f {
                Some(f) => self.fail(s, &f, out),
                None => self.finish(s),
            }
        }
    }
}
