//! `cargo xtask serve`: build the book, serve it at http://127.0.0.1:PORT, and rebuild the
//! HTML when a chapter, the theme or a lab's source changes; open pages reload themselves.
//! Labs are not rerun on a change (that can take minutes): `cargo xtask book` does that.
//!
//! A few dozen lines of std instead of a web framework: one thread per request, files from
//! `target/book/`, and a small script added to each page that asks the server every second
//! whether a newer build exists.

use crate::book;
use crate::project_root;
use anyhow::{Context, Result};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

const RELOAD_SCRIPT: &str = r#"<script>
(function () {
  let seen = null;
  setInterval(async () => {
    try {
      const build = await (await fetch('/__build')).text();
      if (seen !== null && build !== seen) location.reload();
      seen = build;
    } catch (e) { /* the server restarts: try again next time */ }
  }, 1000);
})();
</script>"#;

pub fn run(port: u16) -> Result<()> {
    book::run(false)?;
    let build = Arc::new(AtomicU64::new(1));
    let watched = build.clone();
    std::thread::spawn(move || watch_and_rebuild(&watched));
    let listener = TcpListener::bind(("127.0.0.1", port))
        .with_context(|| format!("port {port} is taken: pass another with --port"))?;
    println!("serving the book at http://127.0.0.1:{port}/ (Ctrl-C to stop)");
    for stream in listener.incoming().flatten() {
        let build = build.load(Ordering::SeqCst);
        std::thread::spawn(move || {
            let _ = respond(stream, build); // a client that went away is not our problem
        });
    }
    Ok(())
}

/// Poll the book's and the labs' sources; rebuild the HTML when any changed.
fn watch_and_rebuild(build: &AtomicU64) {
    let mut last = newest_change();
    loop {
        std::thread::sleep(Duration::from_millis(500));
        let now = newest_change();
        if now > last {
            last = now;
            match book::build_html() {
                Ok(()) => {
                    build.fetch_add(1, Ordering::SeqCst);
                    println!("rebuilt the HTML");
                }
                Err(e) => eprintln!("error: {e:#}"),
            }
        }
    }
}

fn newest_change() -> SystemTime {
    let root = project_root();
    let mut newest = SystemTime::UNIX_EPOCH;
    for dir in [root.join("book/src"), root.join("book/theme"), root.join("labs")] {
        newest = newest.max(newest_in(&dir));
    }
    newest.max(modified(&root.join("book/book.toml")))
}

fn newest_in(dir: &Path) -> SystemTime {
    let Ok(entries) = std::fs::read_dir(dir) else { return SystemTime::UNIX_EPOCH };
    let mut newest = SystemTime::UNIX_EPOCH;
    for entry in entries.flatten() {
        let path = entry.path();
        let skip = path.file_name().is_some_and(|n| n == "generated" || n == "target");
        if path.is_dir() && !skip {
            newest = newest.max(newest_in(&path));
        } else if !skip {
            newest = newest.max(modified(&path));
        }
    }
    newest
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path).and_then(|m| m.modified()).unwrap_or(SystemTime::UNIX_EPOCH)
}

/// Answer one GET request.
fn respond(mut stream: TcpStream, build: u64) -> Result<()> {
    let mut request_line = String::new();
    BufReader::new(&stream).read_line(&mut request_line)?;
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = percent_decode(target.split(['?', '#']).next().unwrap_or("/"));
    if path == "/__build" {
        return send(&mut stream, "200 OK", "text/plain", build.to_string().as_bytes());
    }
    match resolve(&book::html_dir(), &path) {
        Some(file) => {
            let body = std::fs::read(&file)?;
            let kind = content_type(&file);
            if kind.starts_with("text/html") {
                let html =
                    String::from_utf8_lossy(&body).replacen("</body>", &format!("{RELOAD_SCRIPT}</body>"), 1);
                send(&mut stream, "200 OK", kind, html.as_bytes())
            } else {
                send(&mut stream, "200 OK", kind, &body)
            }
        }
        None => send(&mut stream, "404 Not Found", "text/plain", b"not found"),
    }
}

/// The file under `root` a URL path names, if it exists and stays inside `root`.
fn resolve(root: &Path, path: &str) -> Option<PathBuf> {
    if path.split('/').any(|part| part == "..") {
        return None;
    }
    let file = root.join(path.trim_start_matches('/'));
    let file = if file.is_dir() { file.join("index.html") } else { file };
    file.is_file().then_some(file)
}

fn send(stream: &mut TcpStream, status: &str, kind: &str, body: &[u8]) -> Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body)?;
    Ok(())
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css",
        "js" => "text/javascript",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "wav" => "audio/wav",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        _ => "application/octet-stream",
    }
}

/// `%20` and friends back to bytes (file names with spaces, e.g. an effect's name).
fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex =
            bytes.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_inside_the_book_only() {
        assert_eq!(percent_decode("/Spring%20Reverb/a.wav"), "/Spring Reverb/a.wav");
        let root = std::env::temp_dir().join(format!("dl4mir-serve-{}", std::process::id()));
        std::fs::create_dir_all(root.join("day1")).unwrap();
        std::fs::write(root.join("day1/index.html"), "x").unwrap();
        assert_eq!(resolve(&root, "/day1/"), Some(root.join("day1/index.html")));
        assert_eq!(resolve(&root, "/../etc/passwd"), None);
        assert_eq!(resolve(&root, "/missing.html"), None);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
