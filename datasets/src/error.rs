//! The one error type of dl4mir-datasets: each message names the cause and the fix, whole
//! in `Display`; no variant reports its cause again as a `source()`, so a chain printer
//! (anyhow's `{e:#}`, as the labs print) shows each message once.

use std::path::PathBuf;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong with a dataset.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The dataset folder does not exist.
    #[error(
        "no EGFxSet at {path}; make the synthetic one with `cargo run -p dl4mir-datasets -- synth` \
         or fetch the real one with `cargo run -p dl4mir-datasets -- download` (add --data-home DIR \
         to put it elsewhere)"
    )]
    DatasetMissing {
        /// Where it was looked for.
        path: PathBuf,
    },

    /// A track's audio file is not on disk.
    #[error(
        "{path} is missing (track {track}); run `cargo run -p dl4mir-datasets -- validate` to list \
         every missing file, then `download` (or `synth`) again"
    )]
    TrackMissing {
        /// The track id.
        track: String,
        /// The expected path.
        path: PathBuf,
    },

    /// A class a lab needs has no recordings on disk (a partial download).
    #[error(
        "no recordings of {class} in {root}; fetch them with `cargo run -p dl4mir-datasets -- \
         download --partial {download}` (add --data-home DIR if the set lives elsewhere), or choose \
         other classes"
    )]
    ClassMissing {
        /// The class, as the lab names it.
        class: String,
        /// The dataset folder.
        root: PathBuf,
        /// The effects to name to `download --partial`, quoted.
        download: String,
    },

    /// A track id that is not in the index.
    #[error("there is no track `{0}` in EGFxSet; ids look like `Chorus_Bridge/1-0` (see `track_ids()`)")]
    UnknownTrack(String),

    /// A file or folder could not be read or written.
    #[error("{action} {path}: {cause}{hint}")]
    Io {
        /// What was being done ("cannot write", "cannot create").
        action: &'static str,
        /// The file concerned.
        path: PathBuf,
        /// What the operating system said. In the message already, so not a `source()`
        /// (a field named `source` would be one, and chain printers would repeat it).
        cause: std::io::Error,
        /// A fix, where one is known (e.g. for a full disk).
        hint: &'static str,
    },

    /// The index or the metadata CSV does not parse.
    #[error("{what} does not parse: {reason}; it is damaged: fetch it again (`download --force`)")]
    Parse {
        /// Which file.
        what: String,
        /// Where and why.
        reason: String,
    },

    /// A track's audio is wrong (truncated, wrong rate or bit depth). Transparent: the
    /// audio error's message is the whole message. (`#[error("{0}")]` with `#[from]` made
    /// the inner error also this one's `source()`, so `{e:#}` printed it twice.)
    #[error(transparent)]
    Audio(#[from] dl4mir_audio::Error),

    /// A recording is not in EGFxSet's format.
    #[error(
        "{path} is {found}, but EGFxSet is 48 kHz 24-bit mono; the file is not from EGFxSet or \
         was converted: fetch it again (`download --force`)"
    )]
    WrongFormat {
        /// The file concerned.
        path: PathBuf,
        /// What it is.
        found: String,
    },

    /// A download failed.
    #[error("downloading {url} failed: {reason}")]
    Download {
        /// What was fetched.
        url: String,
        /// Why it failed, and what to do.
        reason: String,
    },

    /// A downloaded file's checksum is wrong.
    #[error(
        "{path} has md5 {found} but should have {expected}: the download is corrupt; \
         nothing was extracted. Run the download again (it starts over for this file)"
    )]
    Checksum {
        /// The file concerned.
        path: PathBuf,
        /// Its md5.
        found: String,
        /// The md5 it must have.
        expected: String,
    },

    /// A zip entry would be written outside the dataset folder.
    #[error(
        "{archive} holds an entry `{entry}` that would land outside the dataset folder; refusing to extract it"
    )]
    UnsafeArchive {
        /// The zip file.
        archive: PathBuf,
        /// The offending entry name.
        entry: String,
    },

    /// A bad argument (an unknown effect name, a zero count).
    #[error("{0}")]
    Parameter(String),
}

impl Error {
    /// An I/O error on `path`, with a hint for the common fixable causes.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        let hint = match source.kind() {
            std::io::ErrorKind::StorageFull => {
                " (the disk is full: free some space or use --data-home on another disk)"
            }
            std::io::ErrorKind::PermissionDenied => " (not writable: choose another folder with --data-home)",
            std::io::ErrorKind::ReadOnlyFilesystem => " (read-only: choose another folder with --data-home)",
            _ => "",
        };
        Error::Io { action, path: path.into(), cause: source, hint }
    }
}
