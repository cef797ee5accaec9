//! The notes the lab learns from: EGFxSet recordings at 16 kHz, cut to a fixed length and
//! peak-normalised, each with the controls DDX7 feeds its decoder: the known pitch (from the
//! string and fret, so no pitch tracker can be wrong) and the frame loudness.

use dl4mir_audio::{LoadParams, LoudnessParams, frame_loudness, load};
use dl4mir_datasets::{
    Class, DatasetChoice, Effect, IfMissing, Pickup, Track, open_classes_where,
};
use std::path::Path;

/// DDX7's sample rate and hop: 250 control frames a second.
pub const SR: u32 = 16_000;
pub const HOP: usize = 64;

/// One note, ready to train on.
#[derive(Debug, Clone)]
pub struct Note {
    pub id: String,
    pub effect: Effect,
    pub string: u8,
    pub fret: u8,
    pub midi: u8,
    /// `samples` values at [`SR`], peak 0.9.
    pub audio: Vec<f32>,
    /// Loudness per frame (dB, DDSP 1.x), `samples / HOP` values.
    pub loudness_db: Vec<f32>,
}

impl Note {
    /// The known pitch (Hz) of the fretted string.
    pub fn f0_hz(&self) -> f64 {
        midi_to_hz(self.midi as f64)
    }

    /// DDX7's decoder inputs per frame: `[midi / 127, loudness / 80 + 1]`.
    pub fn controls(&self) -> Vec<[f32; 2]> {
        let pitch = self.midi as f32 / 127.0;
        self.loudness_db.iter().map(|&ld| [pitch, ld / 80.0 + 1.0]).collect()
    }

    pub fn frames(&self) -> usize {
        self.loudness_db.len()
    }
}

pub fn midi_to_hz(midi: f64) -> f64 {
    440.0 * 2f64.powf((midi - 69.0) / 12.0)
}

/// Which notes a part reads: one effect, one pickup, some frets of every string.
#[derive(Debug, Clone)]
pub struct NoteChoice {
    pub effect: Effect,
    pub pickup: Pickup,
    pub frets: Vec<u8>,
    /// Seconds kept from each note's onset (a multiple of `HOP / SR`).
    pub seconds: f64,
}

impl NoteChoice {
    pub fn samples(&self) -> usize {
        let frames = (self.seconds * SR as f64 / HOP as f64).round() as usize;
        frames * HOP
    }

    /// In words, for the summary and `metrics.json`.
    pub fn describe(&self) -> String {
        let frets: Vec<String> = self.frets.iter().map(u8::to_string).collect();
        format!(
            "{} notes, {:?} pickup, frets {} of every string, first {} s",
            self.effect,
            self.pickup,
            frets.join(", "),
            self.seconds
        )
    }
}

/// Open and load the chosen notes (tracks a partial download lacks are skipped).
pub fn load_notes(
    dataset: DatasetChoice,
    home: &Path,
    choice: &NoteChoice,
    seed: u64,
) -> anyhow::Result<Vec<Note>> {
    let classes: Vec<Class> = vec![(choice.effect.to_string(), vec![choice.effect])];
    let (tracks, _) = open_classes_where(
        dataset,
        home,
        &classes,
        |s| s.pickups(&[choice.pickup]).frets(&choice.frets),
        (None, seed),
        IfMissing::GoOn,
    )?;
    anyhow::ensure!(
        !tracks.is_empty(),
        "no {} notes found for {}; fetch them with `cargo run -p dl4mir-datasets -- download`",
        choice.effect,
        choice.describe()
    );
    tracks.iter().map(|t| load_note(t, choice.samples())).collect()
}

/// One track's first `samples` samples at 16 kHz (zero-padded if shorter), peak 0.9.
pub fn load_note(track: &Track, samples: usize) -> anyhow::Result<Note> {
    let params =
        LoadParams { sr: Some(SR), offset: 0.0, duration: Some(samples as f64 / SR as f64) };
    let (mut audio, _) = load(&track.audio_path, &params)?;
    audio.resize(samples, 0.0);
    let peak = audio.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    anyhow::ensure!(peak > 0.0, "{} is silent in its first {samples} samples", track.id);
    audio.iter_mut().for_each(|v| *v *= 0.9 / peak);
    let loudness_db = frame_loudness(&audio, &LoudnessParams::default())?;
    Ok(Note {
        id: track.id.clone(),
        effect: track.effect,
        string: track.string,
        fret: track.fret,
        midi: track.midi,
        audio,
        loudness_db,
    })
}

/// Split by string: the held-out string's notes test, the others train.
pub fn split_by_string(
    notes: Vec<Note>,
    test_string: u8,
) -> anyhow::Result<(Vec<Note>, Vec<Note>)> {
    let (test, train): (Vec<Note>, Vec<Note>) =
        notes.into_iter().partition(|n| n.string == test_string);
    anyhow::ensure!(
        !train.is_empty() && !test.is_empty(),
        "the lab needs notes on string {test_string} to test (found {}) and on the others to train \
         (found {}); fetch more with `cargo run -p dl4mir-datasets -- download` or choose another --test-string",
        test.len(),
        train.len()
    );
    Ok((train, test))
}
