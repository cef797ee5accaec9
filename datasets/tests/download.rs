//! The download path against a local HTTP server (127.0.0.1 only) serving zips the tests
//! build: a full download, a cut-off download resumed with Range, a corrupt archive, a
//! zip-slip entry, and a server that ignores Range.

use dl4mir_datasets::checksum::md5_bytes;
use dl4mir_datasets::{DownloadOptions, Egfxset, RemoteFile, download_files};
use std::collections::HashMap;
use std::io::{Cursor, Read, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

mod common;

/// How the test server misbehaves.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Honours Range requests.
    Normal,
    /// Always sends the whole file with 200.
    IgnoresRange,
    /// The first response stops after this many bytes (the connection drops).
    CutFirstAt(usize),
}

/// What the server sent for one request.
#[derive(Debug, Clone)]
struct Served {
    file: String,
    range: Option<String>,
    bytes: usize,
}

struct TestServer {
    base: String,
    log: Arc<Mutex<Vec<Served>>>,
    server: Arc<tiny_http::Server>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

/// A reader that fails after its bytes: a dropped connection.
struct Broken(Cursor<Vec<u8>>);

impl Read for Broken {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.0.read(buf)? {
            0 => Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "cut off")),
            n => Ok(n),
        }
    }
}

fn serve(files: HashMap<String, Vec<u8>>, mode: Mode) -> TestServer {
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
    let base = format!("http://{}", server.server_addr().to_ip().unwrap());
    let log = Arc::new(Mutex::new(Vec::new()));
    let (thread_server, thread_log) = (server.clone(), log.clone());
    std::thread::spawn(move || {
        let mut first = true;
        for request in thread_server.incoming_requests() {
            let file = request.url().trim_start_matches('/').split('?').next().unwrap().to_string();
            let range =
                request.headers().iter().find(|h| h.field.equiv("Range")).map(|h| h.value.to_string());
            let Some(data) = files.get(&file) else {
                let _ = request.respond(tiny_http::Response::empty(404));
                continue;
            };
            let start = match (&range, mode) {
                (Some(r), Mode::Normal | Mode::CutFirstAt(_)) => {
                    r.trim_start_matches("bytes=").trim_end_matches('-').parse::<usize>().unwrap()
                }
                _ => 0,
            };
            let body = data[start..].to_vec();
            let status = if start > 0 { 206 } else { 200 };
            let mut headers = vec![];
            if start > 0 {
                let value = format!("bytes {start}-{}/{}", data.len() - 1, data.len());
                headers.push(tiny_http::Header::from_bytes("Content-Range", value).unwrap());
            }
            let sent = match mode {
                Mode::CutFirstAt(n) if first => n,
                _ => body.len(),
            };
            thread_log.lock().unwrap().push(Served { file, range, bytes: sent });
            let length = body.len();
            let reader: Box<dyn Read + Send> = match mode {
                Mode::CutFirstAt(n) if first => Box::new(Broken(Cursor::new(body[..n].to_vec()))),
                _ => Box::new(Cursor::new(body)),
            };
            first = false;
            // Content-Length, not chunks, as Zenodo sends: a dropped connection is then a short body.
            let response = tiny_http::Response::new(status.into(), headers, reader, Some(length), None)
                .with_chunked_threshold(usize::MAX);
            let _ = request.respond(response);
        }
    });
    TestServer { base, log, server }
}

/// A zip of `(name, bytes)` entries, stored uncompressed.
fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// Bytes that do not compress, so sizes are predictable.
fn noise(n: usize, seed: u32) -> Vec<u8> {
    let mut state = seed.max(1);
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect()
}

fn temp_root(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dl4mir-download-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn real_sample() -> Vec<u8> {
    std::fs::read(common::sample_dir().join("Clean/Middle/6-22.wav")).unwrap()
}

fn remote(file: &str, bytes: &[u8], is_zip: bool) -> RemoteFile {
    RemoteFile { file: file.into(), md5: md5_bytes(bytes), is_zip }
}

#[test]
fn a_full_download_extracts_everything_and_a_second_run_fetches_nothing() {
    let csv = b"Effect ,Model,Effect Type,Knob Names,Knob Type,Setting \r\n".to_vec();
    let clean = zip_of(&[("Clean/Middle/6-22.wav", real_sample()), ("Clean/Neck/1-0.wav", noise(1000, 1))]);
    let chorus = zip_of(&[("Chorus/Bridge/1-0.wav", noise(2000, 2))]);
    let files = HashMap::from([
        ("egfxset_metadata.csv".to_string(), csv.clone()),
        ("Clean.zip".to_string(), clean.clone()),
        ("Chorus.zip".to_string(), chorus.clone()),
    ]);
    let server = serve(files, Mode::Normal);
    let root = temp_root("full");
    let remotes = [
        remote("egfxset_metadata.csv", &csv, false),
        remote("Clean.zip", &clean, true),
        remote("Chorus.zip", &chorus, true),
    ];
    download_files(&root, &remotes, &server.base, &DownloadOptions::default()).unwrap();
    assert_eq!(std::fs::read(root.join("Chorus/Bridge/1-0.wav")).unwrap(), noise(2000, 2));
    assert_eq!(std::fs::read(root.join("egfxset_metadata.csv")).unwrap(), csv);
    assert_eq!(server.log.lock().unwrap().len(), 3);

    // A partial download (one effect) is enough to use that effect.
    let set = Egfxset::open(&root).unwrap();
    let (y, sr) = set.track("Clean_Middle/6-22").unwrap().audio().unwrap();
    assert_eq!((sr, y.len()), (48_000, 48_000));

    download_files(&root, &remotes, &server.base, &DownloadOptions::default()).unwrap();
    assert_eq!(server.log.lock().unwrap().len(), 3, "nothing fetched again");

    // --force fetches again; --cleanup deletes the zips after extracting.
    let options = DownloadOptions { force: true, cleanup: true, ..Default::default() };
    download_files(&root, &remotes[1..2], &server.base, &options).unwrap();
    assert_eq!(server.log.lock().unwrap().len(), 4);
    assert!(!root.join("Clean.zip").exists() && root.join("Clean/Neck/1-0.wav").exists());
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_download_cut_off_half_way_resumes_with_only_the_rest() {
    let archive = zip_of(&[("Clean/Bridge/1-0.wav", noise(200_000, 3))]);
    let half = archive.len() / 2;
    let server = serve(HashMap::from([("Clean.zip".to_string(), archive.clone())]), Mode::CutFirstAt(half));
    let root = temp_root("resume");
    let remotes = [remote("Clean.zip", &archive, true)];

    // The server stops sending: after the stall timeout the download gives up, keeping
    // what it has.
    let impatient =
        DownloadOptions { stall_timeout: Some(std::time::Duration::from_millis(500)), ..Default::default() };
    let err = download_files(&root, &remotes, &server.base, &impatient).unwrap_err().to_string();
    assert!(err.contains("run again: the download resumes"), "{err}");
    assert_eq!(std::fs::metadata(root.join("Clean.zip.part")).unwrap().len(), half as u64);
    assert!(!root.join("Clean.zip").exists(), "a cut-off file never looks complete");
    assert!(!root.join("Clean").exists(), "nothing extracted");

    download_files(&root, &remotes, &server.base, &DownloadOptions::default()).unwrap();
    let log = server.log.lock().unwrap().clone();
    assert_eq!(log.len(), 2);
    assert!(log.iter().all(|s| s.file == "Clean.zip"));
    assert_eq!(log[1].range.as_deref(), Some(format!("bytes={half}-").as_str()));
    assert_eq!(log[1].bytes, archive.len() - half, "only the rest is fetched");
    assert_eq!(std::fs::read(root.join("Clean/Bridge/1-0.wav")).unwrap(), noise(200_000, 3));
    assert!(!root.join("Clean.zip.part").exists());
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_corrupt_archive_is_refused_and_nothing_is_extracted() {
    let good = zip_of(&[("Clean/Bridge/1-0.wav", noise(5000, 4))]);
    let mut corrupt = good.clone();
    corrupt[100] ^= 0xff;
    let server = serve(HashMap::from([("Clean.zip".to_string(), corrupt)]), Mode::Normal);
    let root = temp_root("corrupt");
    let err =
        download_files(&root, &[remote("Clean.zip", &good, true)], &server.base, &DownloadOptions::default())
            .unwrap_err()
            .to_string();
    assert!(
        err.contains("Clean.zip has md5") && err.contains("the download is corrupt; nothing was extracted"),
        "{err}"
    );
    assert!(
        !root.join("Clean").exists()
            && !root.join("Clean.zip").exists()
            && !root.join("Clean.zip.part").exists()
    );
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_zip_slip_entry_is_refused_before_anything_is_written() {
    let evil = zip_of(&[("Clean/Bridge/1-0.wav", noise(100, 5)), ("../escaped.wav", noise(100, 6))]);
    let server = serve(HashMap::from([("Clean.zip".to_string(), evil.clone())]), Mode::Normal);
    let root = temp_root("slip");
    let err =
        download_files(&root, &[remote("Clean.zip", &evil, true)], &server.base, &DownloadOptions::default())
            .unwrap_err()
            .to_string();
    assert!(err.contains("holds an entry `../escaped.wav` that would land outside"), "{err}");
    assert!(!root.join("Clean/Bridge/1-0.wav").exists(), "nothing extracted");
    assert!(!root.parent().unwrap().join("escaped.wav").exists());
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_server_without_range_support_restarts_from_zero_and_still_succeeds() {
    let archive = zip_of(&[("Clean/Bridge/1-0.wav", noise(50_000, 7))]);
    let server = serve(HashMap::from([("Clean.zip".to_string(), archive.clone())]), Mode::IgnoresRange);
    let root = temp_root("norange");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("Clean.zip.part"), &archive[..20_000]).unwrap();
    download_files(&root, &[remote("Clean.zip", &archive, true)], &server.base, &DownloadOptions::default())
        .unwrap();
    let log = server.log.lock().unwrap().clone();
    assert_eq!(log[0].range.as_deref(), Some("bytes=20000-"), "it asked to resume");
    assert_eq!(log[0].bytes, archive.len(), "the server sent everything");
    assert_eq!(std::fs::read(root.join("Clean/Bridge/1-0.wav")).unwrap(), noise(50_000, 7));
    std::fs::remove_dir_all(&root).unwrap();
}
