//! The Dataset API, after mirdata's: `Egfxset::initialize`, `track_ids`, `track`, and a
//! [`Track`] whose audio loads lazily.

use crate::effect::{Effect, EffectType, Pickup};
use crate::error::{Error, Result};
use crate::index::{Index, note_name, open_string_midi, parse_track_id};
use crate::metadata::{EffectMetadata, REAL_METADATA_CSV, Setting, parse_metadata};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// File name of the index a synthetic set writes beside its audio.
pub const SYNTH_INDEX_FILE: &str = "egfxset_index_synth.json";

/// One recording and everything known about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Track {
    /// Track id, e.g. `Digital Delay_Bridge/1-0`.
    pub id: String,
    /// The WAV file.
    pub audio_path: PathBuf,
    /// The effect (its `Display` is the CSV's name, e.g. `digital delay`).
    pub effect: Effect,
    /// The effect's folder name, e.g. `Digital Delay`.
    pub effect_folder: String,
    pub effect_type: EffectType,
    /// The pedal or amplifier (empty for clean).
    pub model: String,
    pub pickup: Pickup,
    /// Guitar string, 1 (high E) to 6 (low E): the labs hold one out for testing.
    pub string: u8,
    /// Fret played, 0-22 (see [`crate::index::fret_of`] for the two oddly numbered sessions).
    pub fret: u8,
    /// MIDI note: open-string note + fret (E4 = 64 on string 1).
    pub midi: u8,
    /// e.g. `E4`.
    pub note_name: String,
    pub knob_names: Vec<String>,
    pub knob_types: Vec<String>,
    pub settings: Vec<Setting>,
    /// Expected md5 of the audio file.
    pub md5: String,
}

impl Track {
    /// The recording: mono samples at 48 kHz. Checks the format is EGFxSet's (48 kHz,
    /// 24-bit, mono) and names the file and the fix if not.
    pub fn audio(&self) -> Result<(Vec<f32>, u32)> {
        if !self.audio_path.exists() {
            return Err(Error::TrackMissing { track: self.id.clone(), path: self.audio_path.clone() });
        }
        let info = dl4mir_audio::wav_info(&self.audio_path)?;
        if info.sr != 48_000 || info.bits_per_sample != 24 || info.channels != 1 || info.float {
            let kind = if info.float { "float" } else { "int" };
            return Err(Error::WrongFormat {
                path: self.audio_path.clone(),
                found: format!(
                    "{} Hz {}-bit {kind}, {} channel(s)",
                    info.sr, info.bits_per_sample, info.channels
                ),
            });
        }
        let params = dl4mir_audio::LoadParams { sr: None, ..Default::default() };
        Ok(dl4mir_audio::load(&self.audio_path, &params)?)
    }
}

/// EGFxSet, real or synthetic, at one folder.
#[derive(Debug, Clone)]
pub struct Egfxset {
    root: PathBuf,
    index: Index,
    metadata: BTreeMap<Effect, EffectMetadata>,
    synthetic: bool,
}

impl Egfxset {
    /// Open the real dataset under a data home (`<data_home>/egfxset`).
    pub fn initialize(data_home: &Path) -> Result<Egfxset> {
        Self::open(&crate::home::egfxset_dir(data_home))
    }

    /// Open a dataset folder: its own index if it has one (a synthetic set), else the real
    /// index; the metadata CSV from the folder, or the embedded copy if absent.
    pub fn open(root: &Path) -> Result<Egfxset> {
        if !root.is_dir() {
            return Err(Error::DatasetMissing { path: root.to_path_buf() });
        }
        let own_index = root.join(SYNTH_INDEX_FILE);
        let (index, synthetic) = if own_index.exists() {
            let text =
                std::fs::read_to_string(&own_index).map_err(|e| Error::io("cannot read", &own_index, e))?;
            (Index::from_json(&text, &own_index.display().to_string())?, true)
        } else {
            (Index::real().clone(), false)
        };
        let csv_path = root.join(&index.metadata.path);
        let metadata = if csv_path.exists() {
            let text =
                std::fs::read_to_string(&csv_path).map_err(|e| Error::io("cannot read", &csv_path, e))?;
            parse_metadata(&text, &csv_path.display().to_string())?
        } else {
            parse_metadata(REAL_METADATA_CSV, "the embedded metadata CSV")?
        };
        Ok(Egfxset { root: root.to_path_buf(), index, metadata, synthetic })
    }

    /// The synthetic set as it will be once complete: every track of the real index, under
    /// `root`, whether made yet or not (see [`crate::open_tracks`]).
    pub(crate) fn planned_synth(root: &Path) -> Result<Egfxset> {
        let metadata = parse_metadata(REAL_METADATA_CSV, "the embedded metadata CSV")?;
        Ok(Egfxset { root: root.to_path_buf(), index: Index::real().clone(), metadata, synthetic: true })
    }

    /// The dataset folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether this is the generated twin rather than the real recordings.
    pub fn is_synthetic(&self) -> bool {
        self.synthetic
    }

    /// The index in use.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Every track id, sorted.
    pub fn track_ids(&self) -> impl Iterator<Item = &str> {
        self.index.tracks.keys().map(String::as_str)
    }

    /// One track, with its metadata joined in.
    pub fn track(&self, id: &str) -> Result<Track> {
        let entry = self.index.tracks.get(id).ok_or_else(|| Error::UnknownTrack(id.to_string()))?;
        let key = parse_track_id(id)?;
        let meta = self.metadata.get(&key.effect).cloned().unwrap_or_else(EffectMetadata::clean);
        let midi = open_string_midi(key.string) + key.fret;
        Ok(Track {
            id: id.to_string(),
            audio_path: self.root.join(&entry.path),
            effect: key.effect,
            effect_folder: key.effect.folder().to_string(),
            effect_type: key.effect.effect_type(),
            model: meta.model,
            pickup: key.pickup,
            string: key.string,
            fret: key.fret,
            midi,
            note_name: note_name(midi),
            knob_names: meta.knob_names,
            knob_types: meta.knob_types,
            settings: meta.settings,
            md5: entry.md5.clone(),
        })
    }

    /// Every track.
    pub fn tracks(&self) -> Result<Vec<Track>> {
        self.track_ids().map(|id| self.track(id)).collect()
    }

    /// Start a selection of tracks (by effect, type, pickup, string; then a seeded sample).
    pub fn select(&self) -> crate::select::Selection<'_> {
        crate::select::Selection::new(self)
    }
}
