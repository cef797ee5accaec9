//! Fetching the real EGFxSet from Zenodo (record 7044411): 13 zips and the metadata CSV.
//!
//! Each file is downloaded to `<name>.part`, resumed with an HTTP Range request if a
//! previous run was cut off, checked against its md5, renamed, and only then extracted —
//! entry by entry through temporary names, refusing any entry that would land outside the
//! dataset folder.

use crate::checksum::md5_file;
use crate::effect::Effect;
use crate::error::{Error, Result};
use crate::metadata::REAL_METADATA_MD5;
use crate::progress::bytes_bar;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Where the files are served: `<base>/<file>?download=1`.
pub const ZENODO_BASE_URL: &str = "https://zenodo.org/records/7044411/files";

/// Environment variable overriding the base URL (a mirror, or a test server).
pub const BASE_URL_VAR: &str = "DL4MIR_EGFXSET_URL";

/// Options of [`download`].
#[derive(Debug, Clone, Default)]
pub struct DownloadOptions {
    /// Only these effects' archives (`None`: all 13). The CSV is always fetched.
    pub partial: Option<Vec<Effect>>,
    /// Fetch and extract again even if present.
    pub force: bool,
    /// Delete each zip once extracted.
    pub cleanup: bool,
    /// Base URL; `None`: `$DL4MIR_EGFXSET_URL`, else Zenodo.
    pub base_url: Option<String>,
    /// Give up when no byte arrives for this long (the next run resumes). `None`: 60 s.
    pub stall_timeout: Option<std::time::Duration>,
}

/// One file on the server: its name, its md5, and whether to extract it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteFile {
    /// Name on the server and on disk, e.g. `Digital-Delay.zip`.
    pub file: String,
    /// Expected md5, lowercase hex.
    pub md5: String,
    /// A zip to extract (the CSV is kept as is).
    pub is_zip: bool,
}

/// The real EGFxSet's files: the CSV, then the chosen effects' zips.
pub fn egfxset_remotes(effects: &[Effect]) -> Vec<RemoteFile> {
    let mut remotes = vec![RemoteFile {
        file: "egfxset_metadata.csv".into(),
        md5: REAL_METADATA_MD5.into(),
        is_zip: false,
    }];
    remotes.extend(effects.iter().map(|e| RemoteFile {
        file: e.archive(),
        md5: e.archive_md5().into(),
        is_zip: true,
    }));
    remotes
}

/// Download (and extract) EGFxSet into `root` (normally `<data_home>/egfxset`).
pub fn download(root: &Path, options: &DownloadOptions) -> Result<()> {
    let base = options
        .base_url
        .clone()
        .or_else(|| std::env::var(BASE_URL_VAR).ok())
        .unwrap_or_else(|| ZENODO_BASE_URL.to_string());
    let effects = options.partial.clone().unwrap_or_else(|| Effect::ALL.to_vec());
    download_files(root, &egfxset_remotes(&effects), &base, options)
}

/// Fetch `remotes` from `base` into `root`: skip what is already complete, resume what was
/// cut off, check every md5, extract zips. (`options.partial` and `base_url` are not used
/// here: the caller has chosen the files and the server.)
pub fn download_files(
    root: &Path,
    remotes: &[RemoteFile],
    base: &str,
    options: &DownloadOptions,
) -> Result<()> {
    std::fs::create_dir_all(root).map_err(|e| Error::io("cannot create", root, e))?;
    for remote in remotes {
        let target = root.join(&remote.file);
        let extracted_marker = root.join(format!(".{}.extracted", remote.file));
        if !options.force && (extracted_marker.exists() || (!remote.is_zip && target.exists())) {
            continue;
        }
        if options.force || !target.exists() || md5_file(&target)? != remote.md5 {
            let url = format!("{}/{}?download=1", base.trim_end_matches('/'), remote.file);
            fetch(&url, &target, &remote.md5, options)?;
        }
        if remote.is_zip {
            extract(&target, root)?;
            File::create(&extracted_marker).map_err(|e| Error::io("cannot write", &extracted_marker, e))?;
            if options.cleanup {
                std::fs::remove_file(&target).map_err(|e| Error::io("cannot delete", &target, e))?;
            }
        }
    }
    Ok(())
}

/// Download `url` to `target`, resuming `target.part` if present; verify the md5 before
/// renaming. A corrupt result is deleted, so the next run starts over.
fn fetch(url: &str, target: &Path, md5: &str, options: &DownloadOptions) -> Result<()> {
    let part = PathBuf::from(format!("{}.part", target.display()));
    if options.force {
        let _ = std::fs::remove_file(&part);
    }
    let have = std::fs::metadata(&part).map(|m| m.len()).unwrap_or(0);
    let failed = |reason: String| Error::Download { url: url.to_string(), reason };

    let stall = options.stall_timeout.unwrap_or(std::time::Duration::from_secs(60));
    let agent: ureq::Agent = ureq::Agent::config_builder().timeout_per_read(Some(stall)).build().into();
    let mut request = agent.get(url);
    if have > 0 {
        request = request.header("Range", format!("bytes={have}-"));
    }
    let response = request.call();
    let mut response = match response {
        Ok(r) => r,
        // 416: nothing left to fetch — the part file is already whole (checked below).
        Err(ureq::Error::StatusCode(416)) if have > 0 => return finish(&part, target, md5),
        Err(e) => {
            return Err(failed(format!(
                "{e}; check the network (or {BASE_URL_VAR}) and run again: it resumes"
            )));
        }
    };
    let resumed = response.status() == 206;
    let mut file = if resumed {
        OpenOptions::new().append(true).open(&part).map_err(|e| Error::io("cannot write", &part, e))?
    } else {
        // 200: the server sent everything (it ignores Range, or there was nothing to resume).
        File::create(&part).map_err(|e| Error::io("cannot write", &part, e))?
    };
    let start = if resumed { have } else { 0 };
    let total = response.body().content_length().map(|n| n + start);
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let bar = bytes_bar(total.unwrap_or(0), name);
    bar.set_position(start);
    let mut reader = response.body_mut().with_config().limit(u64::MAX).reader();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = reader
            .read(&mut buffer)
            .map_err(|e| failed(format!("{e}; run again: the download resumes where it stopped")))?;
        if n == 0 {
            break;
        }
        file.write_all(&buffer[..n]).map_err(|e| Error::io("cannot write", &part, e))?;
        bar.inc(n as u64);
    }
    file.flush().map_err(|e| Error::io("cannot write", &part, e))?;
    bar.finish_and_clear();
    finish(&part, target, md5)
}

/// Check the finished part file's md5, then rename it into place.
fn finish(part: &Path, target: &Path, md5: &str) -> Result<()> {
    let found = md5_file(part)?;
    if found != md5 {
        let _ = std::fs::remove_file(part);
        return Err(Error::Checksum { path: target.to_path_buf(), found, expected: md5.to_string() });
    }
    std::fs::rename(part, target).map_err(|e| Error::io("cannot write", target, e))
}

/// Extract every entry of `archive` under `root`, refusing entries that would escape it.
pub fn extract(archive: &Path, root: &Path) -> Result<()> {
    let file = File::open(archive).map_err(|e| Error::io("cannot read", archive, e))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| Error::Parse {
        what: archive.display().to_string(),
        reason: format!("not a readable zip ({e})"),
    })?;
    // Check every name first: a bad entry means nothing is extracted.
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| zip_error(archive, e))?;
        if entry.enclosed_name().is_none() {
            return Err(Error::UnsafeArchive {
                archive: archive.to_path_buf(),
                entry: entry.name().map(|n| n.into_owned()).unwrap_or_else(|_| "<unreadable name>".into()),
            });
        }
    }
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| zip_error(archive, e))?;
        let relative = entry.enclosed_name().expect("checked above");
        let out = root.join(relative);
        if entry.is_dir() {
            std::fs::create_dir_all(&out).map_err(|e| Error::io("cannot create", &out, e))?;
            continue;
        }
        if let Some(parent) = out.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
        }
        let tmp = PathBuf::from(format!("{}.partial", out.display()));
        let written = File::create(&tmp)
            .and_then(|mut f| std::io::copy(&mut entry, &mut f).and_then(|_| f.flush()))
            .and_then(|_| std::fs::rename(&tmp, &out));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(Error::io("cannot write", &out, e));
        }
    }
    Ok(())
}

fn zip_error(archive: &Path, e: zip::result::ZipError) -> Error {
    Error::Parse { what: archive.display().to_string(), reason: e.to_string() }
}
