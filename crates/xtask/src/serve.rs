//! A static file server for the built playground, on loopback only. It can write every request
//! it answers to a log file, one line each, so that a test can tell which requests the page made.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::thread::JoinHandle;

use anyhow::{anyhow, bail, Result};

use crate::build::{self, Profile};

const DEFAULT_PORT: u16 = 8080;

/// `cargo xtask serve [--port N] [--dev] [--no-build] [--request-log FILE] [--dir DIR]`; `--dir`
/// serves a folder already built (the docs site of `tests/docs-site`, say) instead of the
/// playground.
pub fn command(args: &[String]) -> Result<()> {
    let mut port = DEFAULT_PORT;
    let mut no_build = false;
    let mut request_log = None;
    let mut dir = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--port" => port = iter.next().ok_or_else(|| anyhow!("--port needs a number"))?.parse()?,
            "--dev" => {}
            "--no-build" => no_build = true,
            "--request-log" => request_log = Some(PathBuf::from(iter.next().ok_or_else(|| anyhow!("--request-log needs a file"))?)),
            "--dir" => dir = Some(PathBuf::from(iter.next().ok_or_else(|| anyhow!("--dir needs a folder"))?)),
            other => bail!("unknown option {other}"),
        }
    }
    let dist = match dir {
        Some(dir) => dir,
        None if no_build => crate::dist_dir(),
        None => build::build(Profile::from_args(args))?,
    };
    let (address, handle) = start(&dist, port, request_log.as_deref())?;
    println!("convex-lens playground: http://{address}/  (Ctrl-C to stop)");
    handle.join().map_err(|_| anyhow!("the server thread panicked"))
}

/// Serves `dir` on 127.0.0.1:`port` (0 picks a free port) from a background thread. With a
/// `request_log`, emptied first, every request is written to it as `METHOD URL` before it is
/// answered.
pub fn start(dir: &Path, port: u16, request_log: Option<&Path>) -> Result<(SocketAddr, JoinHandle<()>)> {
    let server = tiny_http::Server::http(("127.0.0.1", port)).map_err(|e| anyhow!("cannot listen on port {port}: {e}"))?;
    let address = server.server_addr().to_ip().ok_or_else(|| anyhow!("not an IP listener"))?;
    let dir = dir.to_path_buf();
    let mut log = match request_log {
        Some(path) => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            Some(std::fs::File::create(path).map_err(|e| anyhow!("cannot write the request log {}: {e}", path.display()))?)
        }
        None => None,
    };
    let handle = std::thread::spawn(move || {
        for request in server.incoming_requests() {
            if let Some(log) = &mut log {
                // Written and flushed before the answer, so that a reader who has the answer
                // finds the line. A log that cannot be written is the test's to notice.
                let _ = writeln!(log, "{} {}", request.method(), request.url()).and_then(|()| log.flush());
            }
            let response = respond(&dir, request.url());
            // A client that went away is not the server's problem.
            let _ = request.respond(response);
        }
    });
    Ok((address, handle))
}

fn respond(dir: &Path, url: &str) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let not_found = || tiny_http::Response::from_string("not found").with_status_code(404);
    let Some(path) = resolve(dir, url) else {
        return not_found();
    };
    match std::fs::read(&path) {
        Ok(bytes) => {
            let content_type = tiny_http::Header::from_bytes("Content-Type", content_type(&path)).expect("valid header");
            let no_cache = tiny_http::Header::from_bytes("Cache-Control", "no-cache").expect("valid header");
            tiny_http::Response::from_data(bytes).with_header(content_type).with_header(no_cache)
        }
        Err(_) => not_found(),
    }
}

/// Maps a URL path to a file inside `dir`, refusing anything that would leave it.
fn resolve(dir: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let relative = Path::new(path.trim_start_matches('/'));
    if relative.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let file = dir.join(relative);
    Some(if path.ends_with('/') || file.is_dir() { file.join("index.html") } else { file })
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_resolve_inside_the_served_directory_only() {
        let dir = Path::new("/srv/www");
        assert_eq!(resolve(dir, "/"), Some(dir.join("index.html")));
        assert_eq!(resolve(dir, "/worker.js?v=1"), Some(dir.join("worker.js")));
        assert_eq!(resolve(dir, "/../secret"), None);
        assert_eq!(resolve(dir, "/a/../../secret"), None);
    }

    #[test]
    fn every_request_is_logged_before_it_is_answered() {
        use std::io::Read;
        let dir = std::env::temp_dir().join(format!("convex-lens-serve-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "hello").unwrap();
        let log = dir.join("requests.log");
        let (address, _server) = start(&dir, 0, Some(&log)).unwrap();
        for path in ["/", "/missing.js?v=2"] {
            let mut stream = std::net::TcpStream::connect(address).unwrap();
            write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
            let mut answer = String::new();
            stream.read_to_string(&mut answer).unwrap();
        }
        assert_eq!(std::fs::read_to_string(&log).unwrap(), "GET /\nGET /missing.js?v=2\n");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn wasm_is_served_as_application_wasm_for_streaming_compilation() {
        assert_eq!(content_type(Path::new("x_bg.wasm")), "application/wasm");
    }
}
