//! The mirdata index of EGFxSet (version 1): every track id, its file and the file's md5.
//!
//! The real index is embedded in the crate, gzip-compressed (240 kB instead of 1.3 MB);
//! `datasets/egfxset_index_1.json.gz` is mirdata's file, and a test checks its md5
//! (c72222f93e03fce0f6135a60aefe5312). The synthetic set writes its own index, same format,
//! with the md5 of the files it actually wrote.

use crate::effect::{Effect, Pickup};
use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::io::Read;
use std::sync::OnceLock;

/// md5 of mirdata's `egfxset_index_1.json`.
pub const REAL_INDEX_MD5: &str = "c72222f93e03fce0f6135a60aefe5312";

const REAL_INDEX_GZ: &[u8] = include_bytes!("../egfxset_index_1.json.gz");

/// One file of the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    /// Path relative to the dataset folder, e.g. `Digital Delay/Bridge/1-0.wav`.
    pub path: String,
    /// Its md5, lowercase hex.
    pub md5: String,
}

/// A dataset index: tracks by id, plus the metadata CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    /// Track id -> audio file.
    pub tracks: BTreeMap<String, IndexEntry>,
    /// The metadata CSV.
    pub metadata: IndexEntry,
}

impl Index {
    /// The real EGFxSet index, parsed once per process.
    pub fn real() -> &'static Index {
        static REAL: OnceLock<Index> = OnceLock::new();
        REAL.get_or_init(|| {
            Index::from_json(&real_index_json(), "the embedded EGFxSet index")
                .expect("the embedded index parses (tested)")
        })
    }

    /// Parse mirdata's JSON format: `{"version", "tracks": {id: {"audio": [path, md5]}},
    /// "metadata": {name: [path, md5]}}`.
    pub fn from_json(text: &str, what: &str) -> Result<Index> {
        let bad = |reason: String| Error::Parse { what: what.to_string(), reason };
        let json: serde_json::Value = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
        let pair = |v: &serde_json::Value, at: &str| -> Result<IndexEntry> {
            match v.as_array().map(|a| a.as_slice()) {
                Some([path, md5]) => Ok(IndexEntry {
                    path: path
                        .as_str()
                        .ok_or_else(|| bad(format!("{at}: path is not a string")))?
                        .to_string(),
                    md5: md5.as_str().ok_or_else(|| bad(format!("{at}: md5 is not a string")))?.to_string(),
                }),
                _ => Err(bad(format!("{at}: expected [path, md5]"))),
            }
        };
        let tracks_json = json["tracks"].as_object().ok_or_else(|| bad("no \"tracks\" object".into()))?;
        let mut tracks = BTreeMap::new();
        for (id, entry) in tracks_json {
            tracks.insert(id.clone(), pair(&entry["audio"], id)?);
        }
        let metadata = json["metadata"]
            .as_object()
            .and_then(|m| m.values().next())
            .ok_or_else(|| bad("no \"metadata\" entry".into()))
            .and_then(|v| pair(v, "metadata"))?;
        Ok(Index { tracks, metadata })
    }

    /// Write the same JSON format (used by the synthetic set).
    pub fn to_json(&self) -> String {
        let tracks: serde_json::Map<String, serde_json::Value> = self
            .tracks
            .iter()
            .map(|(id, e)| (id.clone(), serde_json::json!({ "audio": [e.path, e.md5] })))
            .collect();
        let json = serde_json::json!({
            "version": "1",
            "tracks": tracks,
            "metadata": { "egfxset_metadata": [self.metadata.path, self.metadata.md5] },
        });
        serde_json::to_string_pretty(&json).expect("a JSON value serialises")
    }
}

/// The embedded real index as text (decompressed on each call; [`Index::real`] caches).
pub fn real_index_json() -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(REAL_INDEX_GZ)
        .read_to_string(&mut text)
        .expect("the embedded gzip is valid");
    text
}

/// What a track id says: `<EffectFolder>_<Pickup>/<string>-<number>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackKey {
    pub effect: Effect,
    pub pickup: Pickup,
    /// Guitar string, 1 (high E) to 6 (low E).
    pub string: u8,
    /// The number in the file name, as recorded (not always the fret: see [`fret_of`]).
    pub file_number: u8,
    /// The fret played, 0 to 22.
    pub fret: u8,
}

/// Parse a track id. Accepts the real index's `3.12` spelling (23 `Flanger/Bridge-Middle`
/// files use a dot instead of a hyphen).
pub fn parse_track_id(id: &str) -> Result<TrackKey> {
    let bad = || Error::Parse {
        what: format!("track id `{id}`"),
        reason: "expected `<Effect>_<Pickup>/<string>-<fret>`".into(),
    };
    let (folder_pickup, note) = id.split_once('/').ok_or_else(bad)?;
    let (folder, pickup) = folder_pickup.split_once('_').ok_or_else(bad)?;
    let effect = Effect::from_folder(folder).ok_or_else(bad)?;
    let pickup = Pickup::parse(pickup).ok_or_else(bad)?;
    let (string, number) = note.split_once(['-', '.']).ok_or_else(bad)?;
    let string: u8 = string.parse().ok().filter(|s| (1..=6).contains(s)).ok_or_else(bad)?;
    let file_number: u8 = number.parse().map_err(|_| bad())?;
    let fret = fret_of(effect, pickup, string, file_number);
    if fret > 22 {
        return Err(bad());
    }
    Ok(TrackKey { effect, pickup, string, file_number, fret })
}

/// The fret played in a recording, from its file number. The index is the truth for file
/// names; the pitch needs this rule for two recording sessions that numbered differently:
///
/// * `TapeEcho/Bridge-Middle`, strings 2 and 3: numbered 23-45, i.e. fret + 23.
/// * `TubeScreamer/Bridge-Middle`, string 1: numbered 0-23 without 17 (23 files for 23
///   frets), so files 18-23 are frets 17-22.
///
/// Everywhere else the number is the fret.
pub fn fret_of(effect: Effect, pickup: Pickup, string: u8, number: u8) -> u8 {
    match (effect, pickup, string) {
        (Effect::TapeEcho, Pickup::BridgeMiddle, 2 | 3) if number >= 23 => number - 23,
        (Effect::TubeScreamer, Pickup::BridgeMiddle, 1) if number >= 18 => number - 1,
        _ => number,
    }
}

/// MIDI note of an open string: 1 (high E) = 64 ... 6 (low E) = 40.
pub fn open_string_midi(string: u8) -> u8 {
    [64, 59, 55, 50, 45, 40][(string - 1) as usize]
}

/// Scientific pitch name of a MIDI note: 60 is `C4`, 64 is `E4`.
pub fn note_name(midi: u8) -> String {
    const NAMES: [&str; 12] = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];
    format!("{}{}", NAMES[(midi % 12) as usize], (midi / 12) as i32 - 1)
}
