//! A static file server for the built playground, on loopback only.

use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::thread::JoinHandle;

use anyhow::{anyhow, bail, Result};

use crate::build::{self, Profile};

const DEFAULT_PORT: u16 = 8080;

/// `cargo xtask serve [--port N] [--dev] [--no-build]`.
pub fn command(args: &[String]) -> Result<()> {
    let mut port = DEFAULT_PORT;
    let mut no_build = false;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--port" => port = iter.next().ok_or_else(|| anyhow!("--port needs a number"))?.parse()?,
            "--dev" => {}
            "--no-build" => no_build = true,
            other => bail!("unknown option {other}"),
        }
    }
    let dist = if no_build { crate::dist_dir() } else { build::build(Profile::from_args(args))? };
    let (address, handle) = start(&dist, port)?;
    println!("convex-lens playground: http://{address}/  (Ctrl-C to stop)");
    handle.join().map_err(|_| anyhow!("the server thread panicked"))
}

/// Serves `dir` on 127.0.0.1:`port` (0 picks a free port) from a background thread.
pub fn start(dir: &Path, port: u16) -> Result<(SocketAddr, JoinHandle<()>)> {
    let server = tiny_http::Server::http(("127.0.0.1", port)).map_err(|e| anyhow!("cannot listen on port {port}: {e}"))?;
    let address = server.server_addr().to_ip().ok_or_else(|| anyhow!("not an IP listener"))?;
    let dir = dir.to_path_buf();
    let handle = std::thread::spawn(move || {
        for request in server.incoming_requests() {
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
    fn wasm_is_served_as_application_wasm_for_streaming_compilation() {
        assert_eq!(content_type(Path::new("x_bg.wasm")), "application/wasm");
    }
}
