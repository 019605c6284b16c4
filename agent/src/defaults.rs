//! `DEFAULTS` (PROTOCOL.md "Defaults"): environment entries and a working folder that every later
//! `EXEC` and `RESOLVE` of this agent starts from. They live in the agent's memory only and outlive
//! sessions: they are the sandbox's, not a connection's.

use crate::proto::{self, code, Failure, Reader};
use crate::sys;

#[derive(Default)]
pub struct Defaults {
    /// `KEY=value` entries, added to the agent's environment under an exec's own
    env: Vec<Vec<u8>>,
    /// empty: the agent's own folder
    workdir: Vec<u8>,
}

impl Defaults {
    /// Parses a `DEFAULTS` payload: the defaults it sets, or why they are refused.
    pub fn parse(payload: &[u8]) -> Result<Result<Defaults, Failure>, proto::Malformed> {
        let mut r = Reader::new(payload);
        let env = r.list()?;
        let workdir = r.str()?;
        r.done()?;
        Ok(Defaults::checked(&env, workdir))
    }

    /// Refuses what an exec would refuse: an entry that is not `KEY=value` or holds a NUL byte; a
    /// working folder that is missing, not a folder or reached through a magic link.
    fn checked(env: &[&[u8]], workdir: &[u8]) -> Result<Defaults, Failure> {
        for e in env {
            if !matches!(e.iter().position(|&c| c == b'='), Some(i) if i > 0) {
                return Err(Failure::new(code::INVALID, "env entry is not KEY=value"));
            }
            if e.contains(&0) {
                return Err(Failure::new(code::INVALID, "NUL byte in env"));
            }
        }
        if workdir.contains(&0) {
            return Err(Failure::new(code::INVALID, "NUL byte in workdir"));
        }
        if !workdir.is_empty() {
            sys::open_beneath(sys::AT_FDCWD, workdir, sys::O_PATH | sys::O_DIRECTORY, 0, sys::RESOLVE_NO_MAGICLINKS)
                .map_err(|e| Failure::from_io(&e, "workdir"))?;
        }
        Ok(Defaults { env: env.iter().map(|e| e.to_vec()).collect(), workdir: workdir.to_vec() })
    }

    /// The environment entries of an exec: the defaults, then its own (a later entry overrides an
    /// earlier one of the same key).
    pub fn env<'a>(&'a self, own: &[&'a [u8]]) -> Vec<&'a [u8]> {
        self.env.iter().map(|e| &e[..]).chain(own.iter().copied()).collect()
    }

    /// An exec's working folder: its own, or the default when it gave none.
    pub fn workdir<'a>(&'a self, own: &'a [u8]) -> &'a [u8] {
        if own.is_empty() {
            &self.workdir
        } else {
            own
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::Writer;

    fn payload(env: &[&[u8]], workdir: &[u8]) -> Vec<u8> {
        let mut w = Writer::new().u32(env.len() as u32);
        for e in env {
            w = w.str(e);
        }
        w.str(workdir).0
    }

    fn parse(env: &[&[u8]], workdir: &[u8]) -> Result<Defaults, Failure> {
        Defaults::parse(&payload(env, workdir)).ok().expect("well-formed")
    }

    #[test]
    fn an_execs_own_env_and_workdir_come_after_the_defaults() {
        let d = parse(&[b"A=1", b"B=2"], b"/tmp").unwrap();
        assert_eq!(d.env(&[b"B=3"]), vec![&b"A=1"[..], b"B=2", b"B=3"]);
        assert_eq!(d.workdir(b""), b"/tmp");
        assert_eq!(d.workdir(b"/"), b"/");
        let none = Defaults::default();
        assert!(none.env(&[]).is_empty());
        assert_eq!(none.workdir(b""), b"");
    }

    #[test]
    fn refuses_what_an_exec_would_refuse() {
        assert_eq!(parse(&[b"=x"], b"").err().unwrap().0, code::INVALID);
        assert_eq!(parse(&[b"NOEQUALS"], b"").err().unwrap().0, code::INVALID);
        assert_eq!(parse(&[b"A=\0"], b"").err().unwrap().0, code::INVALID);
        assert_eq!(parse(&[], b"/no/such/folder-xyz").err().unwrap().0, code::NOT_FOUND);
        assert_eq!(parse(&[], b"/etc/hostname").err().unwrap().0, code::NOT_A_DIRECTORY);
        assert_eq!(parse(&[], b"/proc/self/cwd").err().unwrap().0, code::PATH_REFUSED);
        assert!(Defaults::parse(&[0, 0, 0, 0]).is_err(), "a payload short of its workdir is malformed");
    }
}
