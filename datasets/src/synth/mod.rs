//! The synthetic EGFxSet: the real layout, file names and metadata, with sound made here.
//!
//! Each track is a plucked string at the note's real pitch ([`string::pluck`]), heard
//! through its pickup position, then through its effect ([`effects::apply`]). Everything
//! is seeded by the set's seed and the track id, so the set is identical on every machine
//! and can be made in parallel.

pub mod effects;
pub mod string;

use crate::checksum::{md5_bytes, md5_file};
use crate::effect::Pickup;
use crate::egfxset::SYNTH_INDEX_FILE;
use crate::error::{Error, Result};
use crate::index::{Index, IndexEntry, parse_track_id};
use crate::metadata::{REAL_METADATA_CSV, REAL_METADATA_MD5};
use crate::progress::progress_bar;
use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// File recording how a synthetic set was made (seed, length); present only while every
/// track its index lists is complete.
pub const SYNTH_MARKER_FILE: &str = "synth.json";

/// How to make the synthetic set.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthOptions {
    /// Seed of everything random. Default 0.
    pub seed: u64,
    /// Tracks per `<Effect>/<Pickup>` folder (65 folders of 138); `None` = all 8,970.
    pub per_folder: Option<usize>,
    /// Length of each recording in seconds. Default 5.0, as the real files.
    pub seconds: f32,
}

impl Default for SynthOptions {
    fn default() -> Self {
        Self { seed: 0, per_folder: None, seconds: 5.0 }
    }
}

impl SynthOptions {
    fn marker(&self) -> String {
        serde_json::json!({
            "generator": "dl4mir-datasets synth v2",
            "seed": self.seed,
            "seconds": self.seconds,
        })
        .to_string()
    }
}

/// What [`generate`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SynthOutcome {
    /// The set was already there, complete, made with the same options.
    AlreadyPresent { tracks: usize },
    /// The set was (re)made.
    Generated { tracks: usize },
}

/// The track ids of the set: all of the real index's, or `per_folder` from each folder,
/// chosen by the seed.
pub fn synth_track_ids(options: &SynthOptions) -> Vec<String> {
    let index = Index::real();
    let Some(per_folder) = options.per_folder else {
        return index.tracks.keys().cloned().collect();
    };
    let mut folders: BTreeMap<&str, Vec<&String>> = BTreeMap::new();
    for id in index.tracks.keys() {
        folders.entry(id.split('/').next().expect("ids have a folder")).or_default().push(id);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let mut ids = Vec::new();
    for (_, mut members) in folders {
        for i in 0..per_folder.min(members.len()) {
            let j = i + (rng.next_u64() % (members.len() - i) as u64) as usize;
            members.swap(i, j);
            ids.push(members[i].clone());
        }
    }
    ids.sort();
    ids
}

/// Make the synthetic EGFxSet in `root` (normally `<data_home>/egfxset-synth`): the tracks
/// `options` asks for (all of them, or `per_folder` from each folder), unless they are
/// already there. See [`generate_tracks`].
pub fn generate(root: &Path, options: &SynthOptions) -> Result<SynthOutcome> {
    generate_tracks(root, options, &synth_track_ids(options))
}

/// Make the tracks `ids` in `root`, keeping every track already made with the same seed and
/// length: a lab that needs only 2 of the 13 effects waits for those, and the next lab adds
/// its own. A set made with another seed or length is made again.
///
/// Files are written under temporary names and renamed; the index and the marker come
/// last, so an interrupted run leaves a set that the next call completes. A lock file keeps
/// two processes (two labs, two tests) from writing the same set at once.
pub fn generate_tracks(root: &Path, options: &SynthOptions, ids: &[String]) -> Result<SynthOutcome> {
    check(options)?;
    std::fs::create_dir_all(root).map_err(|e| Error::io("cannot create", root, e))?;
    let lock_path = root.join(".lock");
    let lock = std::fs::File::create(&lock_path).map_err(|e| Error::io("cannot create", &lock_path, e))?;
    lock.lock().map_err(|e| Error::io("cannot lock", &lock_path, e))?;

    let mut index = existing_index(root, options).unwrap_or_else(|| Index {
        tracks: BTreeMap::new(),
        metadata: IndexEntry { path: "egfxset_metadata.csv".into(), md5: REAL_METADATA_MD5.into() },
    });
    let frames = (options.seconds * 48_000.0).round() as u32;
    let missing: Vec<&String> =
        ids.iter()
            .filter(|id| {
                !index.tracks.get(*id).is_some_and(|e| {
                    dl4mir_audio::wav_info(root.join(&e.path)).is_ok_and(|w| w.frames == frames)
                })
            })
            .collect();
    if missing.is_empty() {
        return Ok(SynthOutcome::AlreadyPresent { tracks: ids.len() });
    }
    if let Some(unknown) = missing.iter().find(|id| !Index::real().tracks.contains_key(id.as_str())) {
        return Err(Error::UnknownTrack(unknown.to_string()));
    }
    let _ = std::fs::remove_file(root.join(SYNTH_MARKER_FILE));

    let bar = progress_bar(missing.len() as u64, "synthesizing");
    let entries: Vec<(String, IndexEntry)> = missing
        .par_iter()
        .map(|id| {
            let entry = write_track(root, id, options)?;
            bar.inc(1);
            Ok(((*id).clone(), entry))
        })
        .collect::<Result<_>>()?;
    bar.finish_and_clear();

    let csv_path = root.join("egfxset_metadata.csv");
    write_atomically(&csv_path, REAL_METADATA_CSV.as_bytes())?;
    debug_assert_eq!(md5_bytes(REAL_METADATA_CSV.as_bytes()), REAL_METADATA_MD5);
    index.metadata = IndexEntry { path: "egfxset_metadata.csv".into(), md5: md5_file(&csv_path)? };
    index.tracks.extend(entries);
    write_atomically(&root.join(SYNTH_INDEX_FILE), index.to_json().as_bytes())?;
    write_atomically(&root.join(SYNTH_MARKER_FILE), options.marker().as_bytes())?;
    Ok(SynthOutcome::Generated { tracks: missing.len() })
}

fn check(options: &SynthOptions) -> Result<()> {
    if options.seconds.is_nan() || options.seconds <= 0.0 {
        return Err(Error::Parameter(format!(
            "--seconds {} must be positive (the real files are 5 s)",
            options.seconds
        )));
    }
    if options.per_folder == Some(0) {
        return Err(Error::Parameter(
            "--per-folder 0 makes an empty set: give at least 1 (or leave it out for all)".into(),
        ));
    }
    Ok(())
}

/// The index of the set in `root` if it was made with the same seed and length.
fn existing_index(root: &Path, options: &SynthOptions) -> Option<Index> {
    let marker = std::fs::read_to_string(root.join(SYNTH_MARKER_FILE)).ok()?;
    if marker != options.marker() {
        return None;
    }
    let text = std::fs::read_to_string(root.join(SYNTH_INDEX_FILE)).ok()?;
    Index::from_json(&text, "synthetic index").ok()
}

/// Synthesize one track, write it as 24-bit 48 kHz mono, return its index entry.
fn write_track(root: &Path, id: &str, options: &SynthOptions) -> Result<IndexEntry> {
    let relative = Index::real().tracks[id].path.clone();
    let path = root.join(&relative);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
    }
    let samples = render(id, options)?;
    dl4mir_audio::write_wav(&path, &samples, 48_000, dl4mir_audio::WavFormat::Int24).map_err(
        |e| match e {
            dl4mir_audio::Error::Io { path, cause } => Error::io("cannot write", path, cause),
            other => Error::Audio(other),
        },
    )?;
    Ok(IndexEntry { path: relative, md5: md5_file(&path)? })
}

/// The samples of one track.
pub fn render(id: &str, options: &SynthOptions) -> Result<Vec<f32>> {
    let key = parse_track_id(id)?;
    let sr = 48_000.0;
    let n = (options.seconds * sr).round() as usize;
    // Each track's generator: the set's seed and the id's own hash (FNV-1a), so parallel
    // workers draw the same numbers whatever the order.
    let id_hash =
        id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3));
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed ^ id_hash);
    let midi = crate::index::open_string_midi(key.string) + key.fret;
    let detune_cents = (string::uniform(&mut rng) - 0.5) * 6.0;
    let f0 = 440.0 * 2f32.powf((midi as f32 - 69.0 + detune_cents / 100.0) / 12.0);
    let pickups: &[f32] = match key.pickup {
        Pickup::Bridge => &[string::BRIDGE],
        Pickup::BridgeMiddle => &[string::BRIDGE, string::MIDDLE],
        Pickup::Middle => &[string::MIDDLE],
        Pickup::MiddleNeck => &[string::MIDDLE, string::NECK],
        Pickup::Neck => &[string::NECK],
    };
    let pluck_at = 0.12 + 0.1 * string::uniform(&mut rng);
    let mut y = string::pluck(f0, sr, n, pluck_at, pickups, &mut rng);
    // Level before the pedal: a player's dynamics vary.
    let peak = y.iter().fold(0.0f32, |m, v| m.max(v.abs())).max(1e-9);
    let level = 0.3 + 0.2 * string::uniform(&mut rng);
    y.iter_mut().for_each(|v| *v *= level / peak);
    effects::apply(key.effect, &mut y, sr);
    // Keep every file inside full scale.
    let peak = y.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    if peak > 0.95 {
        y.iter_mut().for_each(|v| *v *= 0.95 / peak);
    }
    Ok(y)
}

/// Write `bytes` to `path` through a temporary file and a rename.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("partial");
    std::fs::write(&tmp, bytes).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io("cannot write", path, e)
    })?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io("cannot write", path, e))
}
