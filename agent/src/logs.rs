//! The main command's output ring and `LOGS` followers (PROTOCOL.md "Logs").
//!
//! Positions are absolute byte offsets since the agent started, so a follower whose credit ran out can
//! tell what the ring overwrote meanwhile and skip it instead of holding the ring back.

use crate::proto::{self, Outbox, Reader, Writer, FLAG_END, LOG, MAX_PAYLOAD};
use std::collections::VecDeque;

pub const STDOUT: u8 = 1;
pub const STDERR: u8 = 2;

pub struct Ring {
    data: VecDeque<u8>,
    cap: usize,
    /// absolute offset of data[0]
    start: u64,
    /// (absolute offset, source) where each run of one source begins; the first may begin before `start`
    runs: VecDeque<(u64, u8)>,
    /// the main command's pipes are closed: followers end once they caught up
    pub closed: bool,
}

impl Ring {
    pub fn new(cap: usize) -> Ring {
        Ring { data: VecDeque::new(), cap: cap.max(1), start: 0, runs: VecDeque::new(), closed: false }
    }

    pub fn end(&self) -> u64 {
        self.start + self.data.len() as u64
    }

    pub fn push(&mut self, source: u8, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        if self.runs.back().map(|r| r.1) != Some(source) {
            self.runs.push_back((self.end(), source));
        }
        // only the newest `cap` bytes of a large write can be kept anyway
        let keep = &bytes[bytes.len().saturating_sub(self.cap)..];
        let lost = (bytes.len() - keep.len()) as u64;
        let overflow = (self.data.len() + keep.len()).saturating_sub(self.cap);
        self.data.drain(..overflow);
        self.start += overflow as u64 + lost;
        self.data.extend(keep);
        while self.runs.len() > 1 && self.runs[1].0 <= self.start {
            self.runs.pop_front();
        }
    }

    /// Where the last `lines` lines (0: all), at most `max_bytes`, begin.
    pub fn tail_start(&self, lines: u32, max_bytes: u64) -> u64 {
        let end = self.end();
        let mut from = self.start;
        if lines > 0 {
            let n = self.data.len();
            // a newline ending the output does not begin another line
            let mut i = if n > 0 && self.data[n - 1] == b'\n' { n - 1 } else { n };
            let mut seen = 0;
            while i > 0 {
                i -= 1;
                if self.data[i] == b'\n' {
                    seen += 1;
                    if seen == lines {
                        from = self.start + i as u64 + 1;
                        break;
                    }
                }
            }
        }
        from.max(end.saturating_sub(max_bytes))
    }

    /// The bytes from `pos` on (at most `max`), all of one source, or None when there are none.
    fn chunk(&self, pos: u64, stop: u64, max: usize) -> Option<(u8, Vec<u8>)> {
        let pos = pos.max(self.start);
        if pos >= stop {
            return None;
        }
        // the run holding `pos` is the last one beginning at or before it: a binary search, so a ring of
        // many short runs (alternating 1-byte writes) is read in O(log runs) per chunk, not O(runs)
        let k = self.runs.partition_point(|r| r.0 <= pos);
        let (source, run_end) = match k {
            0 => (STDOUT, stop),
            _ => (self.runs[k - 1].1, self.runs.get(k).map(|n| n.0).unwrap_or(stop).min(stop)),
        };
        let n = ((run_end - pos) as usize).min(max);
        let i = (pos - self.start) as usize;
        // copied slice by slice: a byte-wise iterator is slow in unoptimised builds
        let (a, b) = self.data.as_slices();
        let mut bytes = Vec::with_capacity(n);
        if i < a.len() {
            bytes.extend_from_slice(&a[i..(i + n).min(a.len())]);
        }
        if i + n > a.len() {
            bytes.extend_from_slice(&b[i.max(a.len()) - a.len()..i + n - a.len()]);
        }
        Some((source, bytes))
    }
}

/// One `LOGS` call.
pub struct Follower {
    stream: u32,
    pos: u64,
    /// without follow: where the kept output ended when asked
    stop: Option<u64>,
    credit: u64,
}

pub enum Step {
    Going,
    Finished,
}

impl Follower {
    /// Parses a `LOGS` payload: u32 tailLines, u32 maxBytes, u8 follow, u32 window.
    pub fn start(stream: u32, payload: &[u8], ring: &Ring) -> Result<Follower, proto::Malformed> {
        let mut r = Reader::new(payload);
        let lines = r.u32()?;
        let max_bytes = r.u32()?;
        let follow = r.u8()?;
        let window = r.u32()?;
        r.done()?;
        let end = ring.end();
        Ok(Follower {
            stream,
            pos: ring.tail_start(lines, max_bytes as u64),
            stop: if follow == 0 { Some(end) } else { None },
            credit: window as u64,
        })
    }

    pub fn grant(&mut self, n: u32) {
        self.credit += n as u64;
    }

    /// Whether there is something to send now.
    pub fn wants(&self, ring: &Ring) -> bool {
        let stop = self.stop.unwrap_or_else(|| ring.end());
        (self.credit > 1 && self.pos.max(ring.start) < stop) || self.finished(ring)
    }

    fn finished(&self, ring: &Ring) -> bool {
        let stop = self.stop.unwrap_or_else(|| ring.end());
        self.pos.max(ring.start) >= stop && (self.stop.is_some() || ring.closed)
    }

    /// Sends what credit and the queue allow; the source byte counts against credit.
    pub fn pump(&mut self, ring: &Ring, out: &mut Outbox) -> Step {
        loop {
            if self.finished(ring) {
                self.finish(out);
                return Step::Finished;
            }
            let stop = self.stop.unwrap_or_else(|| ring.end());
            let max = (self.credit.saturating_sub(1) as usize).min(MAX_PAYLOAD - 1).min(out.data_room());
            if max == 0 {
                return Step::Going;
            }
            match ring.chunk(self.pos, stop, max) {
                Some((source, bytes)) => {
                    self.pos = self.pos.max(ring.start) + bytes.len() as u64;
                    self.credit -= 1 + bytes.len() as u64;
                    out.send(LOG, 0, self.stream, &Writer::new().u8(source).bytes(&bytes).0);
                }
                None => return Step::Going,
            }
        }
    }

    /// The final frame: an empty `LOG` with `END`.
    pub fn finish(&self, out: &mut Outbox) {
        out.send(LOG, FLAG_END, self.stream, &[]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_drops_oldest_and_keeps_sources() {
        let mut r = Ring::new(10);
        r.push(STDOUT, b"aaaa\n");
        r.push(STDERR, b"bb\n");
        r.push(STDOUT, b"cccc\n");
        assert_eq!(r.end(), 13);
        assert_eq!(r.start, 3);
        assert_eq!(r.chunk(0, r.end(), 100), Some((STDOUT, b"a\n".to_vec())));
        assert_eq!(r.chunk(5, r.end(), 100), Some((STDERR, b"bb\n".to_vec())));
        assert_eq!(r.chunk(8, r.end(), 2), Some((STDOUT, b"cc".to_vec())));
        assert_eq!(r.tail_start(1, 100), 8);
        assert_eq!(r.tail_start(2, 100), 5);
        assert_eq!(r.tail_start(0, 4), 9);
    }

    /// Chunks read across the VecDeque's wrap-around give back exactly the kept bytes.
    #[test]
    fn chunks_across_the_wrap() {
        let mut r = Ring::new(7);
        let mut all = Vec::new();
        for i in 0..200u32 {
            let w: Vec<u8> = (0..(i % 5)).map(|k| (i * 7 + k) as u8).collect();
            r.push(STDOUT, &w);
            all.extend_from_slice(&w);
            let (mut pos, mut got) = (r.start, Vec::new());
            while let Some((_, b)) = r.chunk(pos, r.end(), 3) {
                pos += b.len() as u64;
                got.extend_from_slice(&b);
            }
            assert_eq!(got, all[all.len() - r.data.len()..]);
        }
    }

    /// 100,000 runs of one byte each (alternating stdout and stderr writes): a full tail used to walk
    /// the runs from the front for every chunk (quadratic: seconds of CPU, a silent agent).
    #[test]
    fn many_runs_are_read_quickly() {
        let n = 100_000;
        let mut r = Ring::new(n);
        for i in 0..n {
            r.push(if i % 2 == 0 { STDOUT } else { STDERR }, if i % 2 == 0 { b"o" } else { b"e" });
        }
        assert_eq!(r.runs.len(), n);
        let began = std::time::Instant::now();
        // generous: unit tests are built unoptimised (about 100-200 ms with rustc 1.63); the quadratic
        // walk managed some 3,400 of these chunks in 200 ms and would take minutes for all
        let limit = std::time::Duration::from_millis(1000);
        let (mut pos, stop) = (r.tail_start(0, u64::MAX), r.end());
        let mut chunks = 0;
        while let Some((source, bytes)) = r.chunk(pos, stop, 65535) {
            assert_eq!(bytes.len(), 1);
            assert_eq!((source, bytes[0]), if pos % 2 == 0 { (STDOUT, b'o') } else { (STDERR, b'e') });
            pos += 1;
            chunks += 1;
            assert!(began.elapsed() < limit, "{} chunks took over {:?}", chunks, limit);
        }
        assert_eq!(chunks, n);
        println!("logs: a tail of {} runs in {:?}", n, began.elapsed());
    }
}
