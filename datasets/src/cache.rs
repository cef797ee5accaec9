//! Features computed once and kept on disk, so a lab's second run starts training at once.
//!
//! A cache file holds one row of `f32` features per track, as a NumPy `.npy` file (so a
//! PyTorch script can `np.load` the very same inputs). Its name is a hash of what the
//! features depend on: the lab's settings (a string the lab writes, e.g. its STFT
//! parameters) and, for every track, its id, file size and modification time. Change a
//! setting, select other notes or remake the dataset, and the name changes with it: a stale
//! file is never read.
//!
//! Files live in `<data home>/cache/`; deleting that folder is always safe.

use crate::egfxset::Track;
use crate::error::{Error, Result};
use md5::{Digest, Md5};
use rayon::prelude::*;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Features of `tracks` (row-major, `tracks.len()` rows of `width`), read from the cache
/// under `data_home` if present, else computed with `compute` (in parallel, with a
/// progress bar) and saved. Returns the features and the cache file's path.
pub fn cached_features(
    data_home: &Path,
    name: &str,
    settings: &str,
    tracks: &[Track],
    width: usize,
    compute: impl Fn(&Track) -> Result<Vec<f32>> + Sync,
) -> Result<(Vec<f32>, PathBuf)> {
    let path = cache_path(data_home, name, settings, tracks)?;
    if let Ok(values) = read_npy(&path, tracks.len(), width) {
        return Ok((values, path));
    }
    let bar = crate::progress::progress_bar(tracks.len() as u64, "features");
    let rows: Vec<Vec<f32>> = tracks
        .par_iter()
        .map(|track| {
            let row = compute(track)?;
            if row.len() != width {
                return Err(Error::Parameter(format!(
                    "features of {} have {} values, expected {width}",
                    track.id,
                    row.len()
                )));
            }
            bar.inc(1);
            Ok(row)
        })
        .collect::<Result<_>>()?;
    bar.finish_and_clear();
    let values: Vec<f32> = rows.into_iter().flatten().collect();
    write_npy(&path, &values, tracks.len(), width)?;
    Ok((values, path))
}

/// `<data home>/cache/<name>-<hash>.npy`.
fn cache_path(data_home: &Path, name: &str, settings: &str, tracks: &[Track]) -> Result<PathBuf> {
    let mut hash = Md5::new();
    hash.update(settings.as_bytes());
    for track in tracks {
        let meta = std::fs::metadata(&track.audio_path)
            .map_err(|e| Error::io("cannot read", &track.audio_path, e))?;
        let modified = meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        hash.update(track.id.as_bytes());
        hash.update(meta.len().to_le_bytes());
        hash.update(modified.map_or(0, |d| d.as_nanos()).to_le_bytes());
    }
    let digest: String = hash.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect();
    Ok(data_home.join("cache").join(format!("{name}-{digest}.npy")))
}

/// The `.npy` header of a C-ordered little-endian `f32` array `[rows, width]`, padded so
/// the data start on a 64-byte boundary (format version 1.0).
fn npy_header(rows: usize, width: usize) -> Vec<u8> {
    let dict = format!("{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {width}), }}");
    let unpadded = 10 + dict.len() + 1;
    let mut header = b"\x93NUMPY\x01\x00".to_vec();
    let length = dict.len() + 1 + (64 - unpadded % 64) % 64;
    header.extend_from_slice(&(length as u16).to_le_bytes());
    header.extend_from_slice(dict.as_bytes());
    header.resize(10 + length - 1, b' ');
    header.push(b'\n');
    header
}

/// Write through a temporary file and a rename, so two runs never see half a file.
fn write_npy(path: &Path, values: &[f32], rows: usize, width: usize) -> Result<()> {
    let folder = path.parent().expect("cache files live in a folder");
    std::fs::create_dir_all(folder).map_err(|e| Error::io("cannot create", folder, e))?;
    let temporary = path.with_extension(format!("tmp{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&temporary)?);
        file.write_all(&npy_header(rows, width))?;
        for v in values {
            file.write_all(&v.to_le_bytes())?;
        }
        file.flush()?;
        std::fs::rename(&temporary, path)
    };
    write().map_err(|e| Error::io("cannot write", path, e))
}

/// The array in `path` if it is exactly `[rows, width]` of `f32`; any other file is an
/// error (the caller then recomputes).
fn read_npy(path: &Path, rows: usize, width: usize) -> std::io::Result<Vec<f32>> {
    let expected = npy_header(rows, width);
    let mut file = std::io::BufReader::new(std::fs::File::open(path)?);
    let mut header = vec![0u8; expected.len()];
    file.read_exact(&mut header)?;
    if header != expected {
        return Err(std::io::Error::other("another shape"));
    }
    let mut bytes = Vec::with_capacity(rows * width * 4);
    file.read_to_end(&mut bytes)?;
    if bytes.len() != rows * width * 4 {
        return Err(std::io::Error::other("truncated"));
    }
    Ok(bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npy_files_round_trip_and_their_header_is_aligned() {
        let dir = std::env::temp_dir().join(format!("dl4mir-npy-{}", std::process::id()));
        let path = dir.join("x.npy");
        let values: Vec<f32> = (0..12).map(|i| i as f32 * 0.5 - 2.0).collect();
        write_npy(&path, &values, 3, 4).unwrap();
        assert_eq!(npy_header(3, 4).len() % 64, 0);
        assert_eq!(read_npy(&path, 3, 4).unwrap(), values);
        assert!(read_npy(&path, 4, 3).is_err(), "another shape must not be read as this one");
        std::fs::remove_dir_all(dir).ok();
    }
}
