//! The sounds: EGFxSet notes at Sound of Pixels' 11,025 Hz, peak-normalised (so that real
//! and synthetic recordings, and every pedal's output level, meet the model alike), and the
//! crops a scene takes from them.

use dl4mir_audio::{LoadParams, load};
use dl4mir_datasets::{
    Effect, EffectType, IfMissing, cached_features, effect_classes, open_classes,
};
use dl4mir_train::{CommonArgs, uniform};

/// Sound of Pixels' rate.
pub const SR: u32 = 11_025;
/// A scene's sound: 2^13 - 1 samples (0.74 s), as the paper's 65,535 = 2^16 - 1, so that a
/// centred STFT with hop 256 has exactly 1 + 8191 / 256 = 32 frames.
pub const SAMPLES: usize = 8_191;
/// What is kept of each note: its first second.
const LOADED: usize = SR as usize;
/// A crop starts up to this many samples before the note (silence first, so the onset
/// falls anywhere in the first half of the scene) or after it.
const EARLIEST: isize = -4096;
const LATEST: isize = 2048;

/// The notes, each with its effect and string.
pub struct Notes {
    /// `LOADED` samples per note at [`SR`], peak 0.9.
    pub audio: Vec<Vec<f32>>,
    pub effect: Vec<Effect>,
    pub string: Vec<u8>,
    /// Indices of the notes on the test string, and of the rest.
    pub test: Vec<usize>,
    pub train: Vec<usize>,
}

impl Notes {
    /// Up to `per_class` notes of every effect (all with `None`), read once and cached.
    pub fn load(
        args: &CommonArgs,
        per_class: Option<usize>,
        test_string: u8,
    ) -> anyhow::Result<Self> {
        let home = args.data_home();
        let (tracks, _) = open_classes(
            args.dataset,
            &home,
            &effect_classes(),
            per_class,
            args.seed,
            IfMissing::Stop,
        )?;
        let params = LoadParams { sr: Some(SR), offset: 0.0, duration: Some(1.0) };
        let (values, _) = cached_features(
            &home,
            "day8",
            "11025 Hz, 1 s, peak 0.9",
            &tracks,
            LOADED,
            |track| {
                let (mut audio, _) = load(&track.audio_path, &params)?;
                audio.resize(LOADED, 0.0);
                let peak = audio.iter().fold(0.0f32, |m, v| m.max(v.abs()));
                let gain = if peak > 0.0 { 0.9 / peak } else { 0.0 };
                Ok(audio.iter().map(|v| v * gain).collect())
            },
        )?;
        let audio: Vec<Vec<f32>> = values.chunks(LOADED).map(<[f32]>::to_vec).collect();
        let (test, train): (Vec<usize>, Vec<usize>) =
            (0..tracks.len()).partition(|&i| tracks[i].string == test_string);
        let notes = Self {
            audio,
            effect: tracks.iter().map(|t| t.effect).collect(),
            string: tracks.iter().map(|t| t.string).collect(),
            test,
            train,
        };
        for (what, indices) in [("test", &notes.test), ("training", &notes.train)] {
            let classes = notes.classes_among(indices).len();
            anyhow::ensure!(
                classes >= 3,
                "the {what} notes hold {classes} effect families; scenes need at least 3 (use more notes: \
                 leave out --quick, or choose another --test-string)"
            );
        }
        Ok(notes)
    }

    /// The effect families present among `indices`, in `EffectType::ALL` order: the classes
    /// a scene keeps apart (two reverbs, hall and plate, are too alike to be told apart in a
    /// mixture by a model trained in a minute).
    pub fn classes_among(&self, indices: &[usize]) -> Vec<EffectType> {
        EffectType::ALL
            .iter()
            .copied()
            .filter(|&t| indices.iter().any(|&i| self.effect[i].effect_type() == t))
            .collect()
    }
}

/// Where a scene's sound comes from: a note, the crop's start relative to the note's onset
/// (negative: silence first) and a gain.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Crop {
    pub note: usize,
    pub start: isize,
    pub gain: f32,
}

impl Crop {
    /// A random crop of `note`, at gain 1.
    pub fn draw(note: usize, rng: &mut impl rand_core::Rng) -> Self {
        let span = (LATEST - EARLIEST) as f32;
        let start = EARLIEST + (uniform(rng) * span) as isize;
        Crop { note, start, gain: 1.0 }
    }

    /// The crop's [`SAMPLES`] samples.
    pub fn samples(&self, notes: &Notes) -> Vec<f32> {
        let audio = &notes.audio[self.note];
        (0..SAMPLES as isize)
            .map(|t| {
                let i = t + self.start;
                if i >= 0 && (i as usize) < audio.len() {
                    self.gain * audio[i as usize]
                } else {
                    0.0
                }
            })
            .collect()
    }
}

/// RMS loudness of `audio` in `frames` equal windows, each divided by the loudest (a
/// silent sound gives zeros): how far a sounding sprite moves in each video frame.
pub fn envelope(audio: &[f32], frames: usize) -> Vec<f32> {
    let window = audio.len().div_ceil(frames);
    let rms: Vec<f32> = audio
        .chunks(window)
        .map(|w| (w.iter().map(|v| v * v).sum::<f32>() / w.len() as f32).sqrt())
        .collect();
    let loudest = rms.iter().fold(0.0f32, |m, &v| m.max(v));
    rms.iter().map(|v| if loudest > 0.0 { v / loudest } else { 0.0 }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_note(audio: Vec<f32>) -> Notes {
        Notes {
            audio: vec![audio],
            effect: vec![Effect::Clean],
            string: vec![1],
            test: vec![],
            train: vec![0],
        }
    }

    #[test]
    fn a_crop_before_the_onset_starts_with_silence() {
        let notes = one_note((1..=LOADED).map(|i| i as f32).collect());
        let crop = Crop { note: 0, start: -3, gain: 2.0 }.samples(&notes);
        assert_eq!(crop.len(), SAMPLES);
        assert_eq!(&crop[..5], &[0.0, 0.0, 0.0, 2.0, 4.0]);
        let late = Crop { note: 0, start: 5, gain: 1.0 }.samples(&notes);
        assert_eq!(late[0], 6.0);
    }

    #[test]
    fn crops_fall_in_their_range() {
        let mut rng = <rand_chacha::ChaCha8Rng as rand_core::SeedableRng>::seed_from_u64(1);
        for _ in 0..200 {
            let crop = Crop::draw(0, &mut rng);
            assert!((EARLIEST..LATEST).contains(&crop.start));
        }
    }

    #[test]
    fn the_envelope_peaks_at_one_and_follows_the_loudness() {
        let mut audio = vec![0.0; 800];
        audio[200..400].iter_mut().for_each(|v| *v = 0.5);
        audio[400..600].iter_mut().for_each(|v| *v = -0.25);
        assert_eq!(envelope(&audio, 4), vec![0.0, 1.0, 0.5, 0.0]);
        assert_eq!(envelope(&[0.0; 16], 4), vec![0.0; 4]);
    }
}
