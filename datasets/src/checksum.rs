//! md5 of files, streamed (a real EGFxSet zip is up to 500 MB).

use crate::error::{Error, Result};
use md5::{Digest, Md5};
use std::io::Read;
use std::path::Path;

/// The md5 of a file's bytes, lowercase hex.
pub fn md5_file(path: &Path) -> Result<String> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io("cannot read", path, e))?;
    let mut hasher = Md5::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buffer).map_err(|e| Error::io("cannot read", path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

/// The md5 of bytes in memory, lowercase hex.
pub fn md5_bytes(bytes: &[u8]) -> String {
    hex(&Md5::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
