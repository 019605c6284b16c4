//! `DELETE` (PROTOCOL.md "Files") in a forked child, so that removing a large tree never stalls the
//! poll loop (heartbeats, other calls). The child does the removal (files::delete_below) and writes one
//! record to a pipe the loop polls: u8 0 (done) or 1 (failed), u16 code, u16 length, the message. The
//! child is reaped from the agent's SIGCHLD with everything else; the loop tells the call which pid went
//! (`reaped`), so that a kill never reaches a reused pid.

use crate::files;
use crate::proto::{code, Failure, Malformed, Outbox, Reader, Writer, OK};
use crate::sys::{self, errno, Fd, EAGAIN};

/// The longest failure message the child reports (one record stays below PIPE_BUF: a single write).
const MAX_MESSAGE: usize = 1024;

/// One `DELETE` in progress: its child and the read end of its report pipe.
pub struct Delete {
    stream: u32,
    /// the child, until it was reaped
    pid: Option<i32>,
    report: Option<Fd>,
    buf: Vec<u8>,
}

impl Delete {
    /// Parses `DELETE`, checks the path (INVALID needs no child) and forks the child.
    pub fn start(stream: u32, payload: &[u8]) -> Result<Result<Delete, Failure>, Malformed> {
        let mut r = Reader::new(payload);
        let root = r.str()?;
        let path = r.str()?;
        r.done()?;
        Ok(Delete::spawn(stream, root, path))
    }

    fn spawn(stream: u32, root: &[u8], path: &[u8]) -> Result<Delete, Failure> {
        files::below(root, path)?;
        let io = |e: std::io::Error| Failure::from_io(&e, "delete");
        let (rd, wr) = sys::pipe().map_err(io)?;
        let agent = sys::my_pid();
        let pid = match sys::fork_process() {
            Ok(0) => child(agent, root, path, &wr),
            Ok(pid) => pid,
            Err(e) => return Err(Failure(code::LIMIT, format!("fork: {}", e))),
        };
        drop(wr);
        let mut d = Delete { stream, pid: Some(pid), report: Some(rd), buf: Vec::new() };
        if let Some(f) = &d.report {
            if let Err(e) = f.set_nonblocking() {
                d.kill();
                return Err(io(e));
            }
        }
        Ok(d)
    }

    /// The report pipe to poll (POLLIN).
    pub fn watch(&self) -> Option<i32> {
        self.report.as_ref().map(|f| f.raw())
    }

    /// The child `pid` was reaped: if it is ours, it must never be signalled again.
    pub fn reaped(&mut self, pid: i32) {
        if self.pid == Some(pid) {
            self.pid = None;
        }
    }

    fn kill(&mut self) {
        if let Some(pid) = self.pid {
            // not reaped yet, so the pid is still our child's (a zombie at worst)
            sys::send_signal(pid, sys::SIGKILL);
        }
    }

    /// Reads what the child reported. Some(result) once its record is complete, or when it died
    /// without one.
    fn read_report(&mut self) -> Option<Result<(), Failure>> {
        let mut chunk = [0u8; 2048];
        loop {
            if let Some(r) = parse(&self.buf) {
                self.report = None;
                return Some(r);
            }
            let f = self.report.as_ref()?;
            match f.read(&mut chunk) {
                Ok(0) => {
                    self.report = None;
                    return Some(Err(Failure::new(code::INTERNAL, "the delete's process died")));
                }
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
                Err(e) if errno(&e) == EAGAIN => return None,
                Err(e) => {
                    self.report = None;
                    return Some(Err(Failure::from_io(&e, "delete report")));
                }
            }
        }
    }

    /// The report pipe is readable: Some(result) when the call is over (`OK` already sent).
    pub fn ready(&mut self, out: &mut Outbox) -> Option<Result<(), Failure>> {
        let r = self.read_report()?;
        if r.is_ok() {
            out.send(OK, 0, self.stream, &Writer::new().u64(0).0);
        }
        Some(r)
    }

    /// `CANCEL`: a result that already arrived is answered as it is; otherwise the child is killed and
    /// the call is `CANCELLED`.
    pub fn cancel(&mut self, out: &mut Outbox) -> Result<(), Failure> {
        if let Some(r) = self.ready(out) {
            return r;
        }
        self.kill();
        Err(Failure::new(code::CANCELLED, "cancelled"))
    }
}

impl Drop for Delete {
    /// Finished, cancelled, session end or agent exit: a child still running is killed.
    fn drop(&mut self) {
        self.kill();
    }
}

/// A complete record in `buf`, if there is one.
fn parse(buf: &[u8]) -> Option<Result<(), Failure>> {
    if buf.len() < 5 {
        return None;
    }
    let c = u16::from_be_bytes([buf[1], buf[2]]);
    let len = u16::from_be_bytes([buf[3], buf[4]]) as usize;
    if buf.len() < 5 + len {
        return None;
    }
    if buf[0] == 0 {
        return Some(Ok(()));
    }
    Some(Err(Failure(c, String::from_utf8_lossy(&buf[5..5 + len]).into_owned())))
}

fn record(r: &Result<(), Failure>) -> Vec<u8> {
    match r {
        Ok(()) => vec![0, 0, 0, 0, 0],
        Err(Failure(c, m)) => {
            let mut end = m.len().min(MAX_MESSAGE);
            while !m.is_char_boundary(end) {
                end -= 1;
            }
            let p = Writer::new().u8(1).u16(*c).u16(end as u16).bytes(m[..end].as_bytes());
            p.0
        }
    }
}

/// The child's life: holds nothing of the agent's but the report pipe (and stderr), never touches
/// the channel, dies with the agent, exits with _exit. Never returns.
fn child(agent: i32, root: &[u8], path: &[u8], report: &Fd) -> ! {
    sys::die_with_parent();
    if !sys::parent_is(agent) {
        sys::exit_now(1); // the agent died before PDEATHSIG was armed
    }
    sys::close_all_except(&[2, report.raw()]);
    if let Ok(null) = sys::open_dev_null() {
        let _ = sys::dup_onto(null.raw(), 0);
        let _ = sys::dup_onto(null.raw(), 1);
    }
    // no signalfd here: an empty mask and default dispositions (a plain SIGTERM ends it too)
    sys::reset_signals();
    let r = files::delete_below(root, path);
    let _ = report.write(&record(&r));
    sys::exit_now(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip() {
        assert!(matches!(parse(&record(&Ok(()))), Some(Ok(()))));
        let long = "é".repeat(MAX_MESSAGE);
        let r = parse(&record(&Err(Failure(code::NOT_FOUND, long)))).unwrap();
        match r {
            Err(Failure(c, m)) => {
                assert_eq!(c, code::NOT_FOUND);
                assert!(m.len() <= MAX_MESSAGE && m.starts_with('é') && !m.contains('\u{fffd}'));
            }
            Ok(()) => panic!("a failure came back as OK"),
        }
        let rec = record(&Err(Failure::new(code::LIMIT, "deep")));
        assert!(parse(&rec[..rec.len() - 1]).is_none());
        assert!(crate::proto::MAX_PAYLOAD > rec.len());
    }

    #[test]
    fn deletes_in_a_child() {
        let root = format!("/tmp/airlock-agent-unit-delete-{}", sys::my_pid());
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(format!("{}/t/a/b", root)).unwrap();
        std::fs::write(format!("{}/t/a/b/f", root), b"x").unwrap();
        let mut out = Outbox::new();
        let path = format!("{}/t", root);
        let mut d = Delete::spawn(7, root.as_bytes(), path.as_bytes()).ok().unwrap();
        let mut res = None;
        for _ in 0..5000 {
            res = d.ready(&mut out);
            if res.is_some() {
                break;
            }
            sys::sleep_ms(1);
        }
        assert!(matches!(res, Some(Ok(()))));
        assert!(!std::path::Path::new(&path).exists());
        let pid = d.pid.unwrap();
        drop(d);
        assert!(matches!(sys::wait_child(pid, 0), Ok(Some(_))));
        // a missing path: the child's failure comes back with its code
        let mut d = Delete::spawn(8, root.as_bytes(), path.as_bytes()).ok().unwrap();
        let pid = d.pid.unwrap();
        let _ = sys::wait_child(pid, 0);
        d.reaped(pid);
        match d.ready(&mut out) {
            Some(Err(Failure(c, _))) => assert_eq!(c, code::NOT_FOUND),
            _ => panic!("expected NOT_FOUND"),
        }
        assert!(matches!(Delete::spawn(9, root.as_bytes(), root.as_bytes()), Err(Failure(code::INVALID, _))));
        let _ = std::fs::remove_dir_all(&root);
    }
}
