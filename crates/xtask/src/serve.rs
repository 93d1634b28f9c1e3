//! A static file server for the built playground (or any built site), on loopback only. It can write every request
//! it answers to a log file, one line each, so that a test can tell which requests the page made.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use axum::http::{header, HeaderValue};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

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
    // Bound here, not in the thread, so that a port in use is the caller's error.
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).map_err(|e| anyhow!("cannot listen on port {port}: {e}"))?;
    listener.set_nonblocking(true)?;
    let address = listener.local_addr()?;
    let log = match request_log {
        Some(path) => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            Some(std::fs::File::create(path).map_err(|e| anyhow!("cannot write the request log {}: {e}", path.display()))?)
        }
        None => None,
    };
    let app = router(dir, log.map(|file| Arc::new(Mutex::new(file))));
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_io().build()?;
    let handle = std::thread::spawn(move || {
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("a listener bound above");
            // Only a failing listener ends the server; a client that goes away is not its problem.
            if let Err(error) = axum::serve(listener, app).await {
                eprintln!("the server stopped: {error}");
            }
        });
    });
    Ok((address, handle))
}

/// The files of `dir` (a folder's `index.html` for the folder; nothing outside `dir`), never
/// cached, each request logged first when there is a log.
fn router(dir: &Path, log: Option<Arc<Mutex<std::fs::File>>>) -> axum::Router {
    let no_cache = SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    let router = axum::Router::new().fallback_service(ServeDir::new(dir)).layer(no_cache);
    let Some(log) = log else { return router };
    router.layer(axum::middleware::map_request(move |request: axum::extract::Request| {
        let log = log.clone();
        async move {
            // Written and flushed before the answer, so that a reader who has the answer finds
            // the line. A log that cannot be written is the test's to notice.
            let mut file = log.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let _ = writeln!(file, "{} {}", request.method(), request.uri()).and_then(|()| file.flush());
            request
        }
    }))
}

#[cfg(test)]
mod tests {
    use std::io::Read;
    use std::net::TcpStream;
    use std::time::Duration;

    use super::*;

    /// A folder with a page, a wasm file and, beside the folder, a file it must not serve.
    fn site(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("convex-lens-serve-{name}-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("www/sub")).unwrap();
        std::fs::write(dir.join("www/index.html"), "hello").unwrap();
        std::fs::write(dir.join("www/sub/index.html"), "sub").unwrap();
        std::fs::write(dir.join("www/x_bg.wasm"), b"\0asm").unwrap();
        std::fs::write(dir.join("secret"), "secret").unwrap();
        dir
    }

    /// Sends one request on a fresh connection and reads the answer until the server closes.
    fn get(address: SocketAddr, path: &str) -> String {
        let mut stream = TcpStream::connect(address).unwrap();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    }

    #[test]
    fn files_are_served_with_their_type_and_nothing_outside_the_folder() {
        let dir = site("files");
        let (address, _server) = start(&dir.join("www"), 0, None).unwrap();
        assert!(get(address, "/").ends_with("hello"));
        assert!(get(address, "/sub/").ends_with("sub"));
        let wasm = get(address, "/x_bg.wasm?v=1").to_ascii_lowercase();
        // Streaming compilation needs exactly this type.
        assert!(wasm.contains("content-type: application/wasm"), "{wasm}");
        assert!(wasm.contains("cache-control: no-cache"), "{wasm}");
        for outside in ["/../secret", "/sub/../../secret", "/%2e%2e/secret"] {
            let answer = get(address, outside);
            assert!(!answer.contains("secret") && !answer.starts_with("HTTP/1.1 200"), "{outside}: {answer}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn every_request_is_logged_before_it_is_answered() {
        let dir = site("log");
        let log = dir.join("requests.log");
        let (address, _server) = start(&dir.join("www"), 0, Some(&log)).unwrap();
        for path in ["/", "/missing.js?v=2"] {
            get(address, path);
        }
        assert_eq!(std::fs::read_to_string(&log).unwrap(), "GET /\nGET /missing.js?v=2\n");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A browser opens several connections at once and keeps them open after their first answer.
    /// tiny_http's pool stranded every connection past its fourth idle thread in such a burst
    /// until an earlier one closed: a page waited minutes for its preloaded scripts.
    #[test]
    fn connections_opened_in_a_burst_and_kept_open_are_all_answered() {
        let dir = site("burst");
        let (address, _server) = start(&dir.join("www"), 0, None).unwrap();
        let mut streams: Vec<TcpStream> = (0..12).map(|_| TcpStream::connect(address).unwrap()).collect();
        for stream in &mut streams {
            write!(stream, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        }
        for (i, stream) in streams.iter_mut().enumerate() {
            stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
            let mut buffer = [0; 512];
            let read = stream.read(&mut buffer).unwrap_or_else(|e| panic!("connection {i} is not answered: {e}"));
            assert!(String::from_utf8_lossy(&buffer[..read]).starts_with("HTTP/1.1 200"), "connection {i}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
