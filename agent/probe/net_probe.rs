//! net-probe: a test tool, never shipped in the jar. Talks to the network from inside a sandbox the
//! way a program there would, and prints what happened, one line per answer; errors are printed as
//! the errno's name (`ECONNREFUSED`, `ENETUNREACH`, `ECONNRESET`…). Addresses are IP literals (a
//! sandbox resolves no names).
//!
//!   net-probe get PROXY_IP:PORT URL COUNT      COUNT absolute-form HTTP/1.1 GETs of URL through the
//!                                              proxy, a new connection each: `<status> <micros>`
//!   net-probe direct IP:PORT PATH COUNT        the same without a proxy (origin-form, Host header)
//!   net-probe tls PROXY_IP:PORT HOST:PORT SNI  CONNECT, the proxy's status line, then a TLS
//!                                              ClientHello with server_name SNI (empty: none) and
//!                                              `alert <level> <desc>`, `closed` or `data <n>`
//!   net-probe connect IP PORT                  a plain TCP connect: `ok` or the errno's name
//!
//! Built by `agent/build.sh` into target/agent/net-probe (static, standard library only).

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(30);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let a: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
    match a.as_slice() {
        ["get", proxy, url, count] => {
            let authority = url.strip_prefix("http://").map(|r| r.split('/').next().unwrap_or(""));
            let authority = authority.unwrap_or_else(|| usage());
            let head = format!("GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: net-probe\r\nConnection: close\r\n\r\n", url, authority);
            repeat(&address(proxy), &head, count);
        }
        ["direct", server, path, count] => {
            let head = format!("GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: net-probe\r\nConnection: close\r\n\r\n", path, server);
            repeat(&address(server), &head, count);
        }
        ["tls", proxy, target, sni] => tls(&address(proxy), target, sni),
        ["connect", ip, port] => {
            let addr = address(&format!("{}:{}", if ip.contains(':') { format!("[{}]", ip) } else { ip.to_string() }, port));
            match TcpStream::connect_timeout(&addr, Duration::from_secs(10)) {
                Ok(_) => println!("ok"),
                Err(e) => println!("{}", errno_name(&e)),
            }
        }
        _ => usage(),
    }
}

fn usage() -> ! {
    eprintln!("usage: net-probe get PROXY_IP:PORT URL COUNT | direct IP:PORT PATH COUNT | tls PROXY_IP:PORT HOST:PORT SNI | connect IP PORT");
    std::process::exit(2)
}

fn address(s: &str) -> SocketAddr {
    s.parse().unwrap_or_else(|_| {
        eprintln!("net-probe: {} is not IP:PORT", s);
        std::process::exit(2)
    })
}

/// COUNT requests, each on a new connection: `<status> <micros>` per request.
fn repeat(addr: &SocketAddr, head: &str, count: &str) {
    let n: u32 = count.parse().unwrap_or_else(|_| usage());
    for _ in 0..n {
        let began = Instant::now();
        let status = request(addr, head).unwrap_or_else(|e| errno_name(&e));
        println!("{} {}", status, began.elapsed().as_micros());
    }
}

/// Sends `head`, reads the answer (to its Content-Length, else to EOF): its status code.
fn request(addr: &SocketAddr, head: &str) -> io::Result<String> {
    let mut c = TcpStream::connect_timeout(addr, TIMEOUT)?;
    c.set_read_timeout(Some(TIMEOUT))?;
    c.write_all(head.as_bytes())?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16384];
    let (status, body_start, length) = loop {
        let n = c.read(&mut chunk)?;
        if n == 0 {
            return Ok("closed".to_string());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            let text = String::from_utf8_lossy(&buf[..end]).into_owned();
            let status = text.split_whitespace().nth(1).unwrap_or("?").to_string();
            let length = text.lines().find_map(|l| {
                let (k, v) = l.split_once(':')?;
                if k.trim().eq_ignore_ascii_case("content-length") {
                    v.trim().parse::<usize>().ok()
                } else {
                    None
                }
            });
            break (status, end + 4, length);
        }
    };
    let mut body = buf.len() - body_start;
    while length.map_or(true, |l| body < l) {
        match c.read(&mut chunk)? {
            0 => break,
            n => body += n,
        }
    }
    Ok(status)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn tls(proxy: &SocketAddr, target: &str, sni: &str) {
    match tls_exchange(proxy, target, sni) {
        Ok(()) => {}
        Err(e) => println!("{}", errno_name(&e)),
    }
}

fn tls_exchange(proxy: &SocketAddr, target: &str, sni: &str) -> io::Result<()> {
    let mut c = TcpStream::connect_timeout(proxy, TIMEOUT)?;
    c.set_read_timeout(Some(TIMEOUT))?;
    c.write_all(format!("CONNECT {} HTTP/1.1\r\nHost: {}\r\n\r\n", target, target).as_bytes())?;
    // the head byte by byte: what follows it belongs to the tunnel
    let mut head = Vec::new();
    let mut one = [0u8; 1];
    while find(&head, b"\r\n\r\n").is_none() && head.len() < 65536 {
        if c.read(&mut one)? == 0 {
            break;
        }
        head.push(one[0]);
    }
    let status = String::from_utf8_lossy(&head).lines().next().unwrap_or("").to_string();
    if status.is_empty() {
        println!("closed");
        return Ok(());
    }
    println!("{}", status);
    c.write_all(&client_hello(sni))?;
    let mut answer = Vec::new();
    let mut chunk = [0u8; 16384];
    loop {
        let n = c.read(&mut chunk)?;
        if n == 0 {
            if answer.is_empty() {
                println!("closed");
            } else {
                println!("data {}", answer.len());
            }
            return Ok(());
        }
        answer.extend_from_slice(&chunk[..n]);
        if answer[0] == 0x15 && answer.len() >= 7 {
            println!("alert {} {}", answer[5], answer[6]);
            return Ok(());
        }
        if answer[0] != 0x15 {
            println!("data {}", answer.len());
            return Ok(());
        }
    }
}

/// A TLS 1.2/1.3 ClientHello record: the usual suites, groups, signature algorithms, an x25519
/// key share, and server_name when `sni` is not empty.
fn client_hello(sni: &str) -> Vec<u8> {
    let mut random = [0u8; 64];
    if let Ok(mut f) = std::fs::File::open("/dev/urandom") {
        let _ = f.read_exact(&mut random);
    }
    let mut ext = Vec::new();
    if !sni.is_empty() {
        let name = sni.as_bytes();
        let mut list = u16b(name.len() + 3).to_vec();
        list.push(0); // host_name
        list.extend_from_slice(&u16b(name.len()));
        list.extend_from_slice(name);
        extension(&mut ext, 0x0000, &list);
    }
    extension(&mut ext, 0x000a, &[0, 4, 0x00, 0x1d, 0x00, 0x17]);
    extension(&mut ext, 0x000b, &[1, 0]);
    extension(&mut ext, 0x000d, &[0, 16, 4, 3, 8, 4, 4, 1, 5, 3, 8, 5, 5, 1, 8, 6, 6, 1]);
    extension(&mut ext, 0x002b, &[4, 3, 4, 3, 3]);
    extension(&mut ext, 0x002d, &[1, 1]);
    let mut share = vec![0, 36, 0x00, 0x1d, 0, 32];
    share.extend_from_slice(&random[32..]);
    extension(&mut ext, 0x0033, &share);
    let suites = [0x13, 0x01, 0x13, 0x02, 0x13, 0x03, 0xc0, 0x2b, 0xc0, 0x2f, 0xc0, 0x2c, 0xc0, 0x30, 0xcc, 0xa9, 0xcc, 0xa8];
    let mut body = vec![3, 3];
    body.extend_from_slice(&random[..32]);
    body.push(32);
    body.extend_from_slice(&random[..32]);
    body.extend_from_slice(&u16b(suites.len()));
    body.extend_from_slice(&suites);
    body.extend_from_slice(&[1, 0]);
    body.extend_from_slice(&u16b(ext.len()));
    body.extend_from_slice(&ext);
    let mut hs = vec![1, 0, (body.len() >> 8) as u8, body.len() as u8];
    hs.extend_from_slice(&body);
    let mut record = vec![0x16, 3, 1];
    record.extend_from_slice(&u16b(hs.len()));
    record.extend_from_slice(&hs);
    record
}

fn u16b(n: usize) -> [u8; 2] {
    [(n >> 8) as u8, n as u8]
}

fn extension(out: &mut Vec<u8>, kind: u16, data: &[u8]) {
    out.extend_from_slice(&kind.to_be_bytes());
    out.extend_from_slice(&u16b(data.len()));
    out.extend_from_slice(data);
}

fn errno_name(e: &io::Error) -> String {
    let name = match e.raw_os_error() {
        Some(1) => "EPERM",
        Some(13) => "EACCES",
        Some(22) => "EINVAL",
        Some(32) => "EPIPE",
        Some(99) => "EADDRNOTAVAIL",
        Some(101) => "ENETUNREACH",
        Some(103) => "ECONNABORTED",
        Some(104) => "ECONNRESET",
        Some(110) => "ETIMEDOUT",
        Some(111) => "ECONNREFUSED",
        Some(113) => "EHOSTUNREACH",
        Some(11) => "ETIMEDOUT", // a read timeout (EAGAIN on a socket with SO_RCVTIMEO)
        Some(n) => return format!("E{}", n),
        None if e.kind() == io::ErrorKind::TimedOut => "ETIMEDOUT",
        None => return format!("error: {}", e),
    };
    name.to_string()
}
