//! What RAVE-lite hears. RAVE trains on random crops of its recordings (`RandomCrop`), and
//! its `--augment gain` scales half of them by -6 to +3 dB (`transforms.RandomGain`, the
//! peak then limited to 1). Ours crops the same way, but scales *every* crop, by -24 to
//! +3 dB: the lab's notes are peak-normalised, so without a wide range they carry almost
//! nothing that their pitch does not already tell, and the latent learns to carry nothing.
//!
//! Beside each crop, the decoder's source (ours, see [`crate::rave`]): the PQMF bands of a
//! sawtooth at the note's known pitch, made once per pitch.

use crate::batch::uniform;
use crate::notes::{HOP, Note, SR};
use crate::rave::BANDS;
use burn::prelude::*;
use burn::tensor::TensorData;
use dl4mir_ddsp::pqmf::Pqmf;
use std::collections::BTreeMap;

/// Room for a crop to start in: the notes are loaded this much longer than the clips.
pub const CROP_ROOM: usize = 2048;
/// The range of a crop's gain (dB).
pub const GAIN_DB: (f32, f32) = (-24.0, 3.0);

/// Where a clip starts in its note, and how loud it is.
#[derive(Debug, Clone, Copy)]
pub struct Crop {
    pub offset: usize,
    pub gain_db: f32,
}

impl Crop {
    /// A random crop: a start on the control-frame grid within [`CROP_ROOM`], a gain
    /// within [`GAIN_DB`].
    pub fn draw(rng: &mut impl rand_core::Rng) -> Self {
        let starts = CROP_ROOM / HOP + 1;
        let offset = (rng.next_u32() as usize % starts) * HOP;
        let gain_db = GAIN_DB.0 + uniform(rng) * (GAIN_DB.1 - GAIN_DB.0);
        Self { offset, gain_db }
    }

    /// The clip of `samples` from `note`, the gain applied and the peak limited to 1 (as
    /// RAVE's `RandomGain` limits it); the loudness frames cut and shifted to match.
    pub fn apply(&self, note: &Note, samples: usize) -> Note {
        let mut clip = note.clone();
        let mut audio = note.audio[self.offset..self.offset + samples].to_vec();
        let peak = audio.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        let gain = 10f32.powf(self.gain_db / 20.0).min(1.0 / peak.max(1e-9));
        audio.iter_mut().for_each(|v| *v *= gain);
        clip.audio = audio;
        let frames = self.offset / HOP..(self.offset + samples) / HOP;
        let shift = 20.0 * gain.log10();
        clip.loudness_db = note.loudness_db[frames].iter().map(|ld| ld + shift).collect();
        clip
    }
}

/// The source bands of every pitch the notes play: `[BANDS, samples / BANDS]` each.
pub struct Sources {
    by_midi: BTreeMap<u8, Vec<f32>>,
    samples: usize,
}

impl Sources {
    pub fn new<'a>(
        notes: impl IntoIterator<Item = &'a Note>,
        samples: usize,
        pqmf: &Pqmf,
    ) -> Self {
        let device = Device::flex();
        let mut by_midi = BTreeMap::new();
        for note in notes {
            by_midi.entry(note.midi).or_insert_with(|| {
                let saw = dl4mir_ddsp::harmonic::sawtooth(note.f0_hz(), samples, SR as f64);
                let audio =
                    Tensor::<2>::from_data(TensorData::new(saw, [1, samples]), &device);
                pqmf.analysis(audio).into_data().iter::<f32>().collect()
            });
        }
        Self { by_midi, samples }
    }

    /// `[notes, BANDS, samples / BANDS]`: each note's source.
    pub fn tensor(&self, notes: &[&Note], device: &Device) -> Tensor<3> {
        let values: Vec<f32> =
            notes.iter().flat_map(|n| self.by_midi[&n.midi].iter().copied()).collect();
        Tensor::from_data(
            TensorData::new(values, [notes.len(), BANDS, self.samples / BANDS]),
            device,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::SeedableRng;

    #[test]
    fn a_crop_starts_on_the_frame_grid_and_never_clips() {
        let note = Note {
            id: "test".into(),
            effect: dl4mir_datasets::Effect::Clean,
            string: 1,
            fret: 0,
            midi: 64,
            audio: (0..6144).map(|i| 0.9 * ((i as f32) * 0.05).sin()).collect(),
            loudness_db: vec![-20.0; 6144 / HOP],
        };
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        for _ in 0..50 {
            let crop = Crop::draw(&mut rng);
            assert!(crop.offset.is_multiple_of(HOP) && crop.offset <= CROP_ROOM);
            assert!((GAIN_DB.0..=GAIN_DB.1).contains(&crop.gain_db));
            let clip = crop.apply(&note, 4096);
            assert_eq!((clip.audio.len(), clip.loudness_db.len()), (4096, 4096 / HOP));
            let peak = clip.audio.iter().fold(0.0f32, |m, v| m.max(v.abs()));
            assert!(peak <= 1.0 + 1e-6, "a gain of {} dB clipped: peak {peak}", crop.gain_db);
        }
        let loud = Crop { offset: 0, gain_db: 3.0 }.apply(&note, 4096);
        let peak = loud.audio.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        assert!((peak - 1.0).abs() < 1e-3, "+3 dB of a 0.9 peak is limited to 1, got {peak}");
    }
}
