//! The two VAEs the lab compares, and what is measured of each.
//!
//! - `notebook`: the course notebook's VAE, ported faithfully: `|STFT| / max` in, a ReLU
//!   out, summed squared error plus the KL term (beta = 1).
//! - `db` (the default): the same layers on standardised dB, no output ReLU, the
//!   unit-variance Gaussian likelihood (half the squared error) plus the KL term, whose
//!   beta warms up from 0 to 1 over the first third of training.

use crate::evaluate::{is_hit, log_spectral_distance, midi_to_hz, note_pitch};
use crate::features::{Decibels, Spectrogram, to_db};
use crate::latent;
use crate::loss::Weights;
use crate::model::{Vae, VaeConfig};
use crate::sound;
use crate::training::Settings;
use burn::prelude::*;
use dl4mir_datasets::Track;
use ndarray::Array2;
use rayon::prelude::*;

/// Which VAE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ModelName {
    /// The notebook's: linear magnitudes, summed squared error + KL.
    Notebook,
    /// The default: standardised dB, Gaussian likelihood + KL with a beta warm-up.
    Db,
}

impl ModelName {
    pub fn key(self) -> &'static str {
        match self {
            ModelName::Notebook => "notebook",
            ModelName::Db => "db",
        }
    }
}

/// What a model reads: the notebook's magnitudes or standardised dB.
pub enum Input {
    Magnitude,
    Decibels(Decibels),
}

impl Input {
    /// A `|STFT| / max` feature row as the model's input.
    pub fn encode(&self, row: &[f32]) -> Vec<f32> {
        match self {
            Input::Magnitude => row.to_vec(),
            Input::Decibels(db) => db.encode(row),
        }
    }

    /// A model output in dB re. the input's peak.
    pub fn output_db(&self, out: &[f32]) -> Vec<f32> {
        match self {
            Input::Magnitude => out.iter().map(|&v| to_db(v)).collect(),
            Input::Decibels(db) => db.decode_db(out),
        }
    }

    /// A model output as a magnitude re. the input's peak, for Griffin-Lim.
    pub fn output_magnitude(&self, out: &[f32]) -> Vec<f32> {
        match self {
            Input::Magnitude => out.to_vec(),
            Input::Decibels(db) => db.decode(out),
        }
    }
}

// ANCHOR: recipes
/// A model's layers and training, from the run's sizes (`epochs`, `batch_size`, `lr`) and
/// `beta`, the final weight of the KL term (1 unless `--beta` says otherwise).
pub fn recipe(
    name: ModelName,
    n_inputs: usize,
    split_k: usize,
    sizes: (usize, usize, f64),
    beta: f64,
) -> (VaeConfig, Settings) {
    let (epochs, batch_size, lr) = sizes;
    let config = VaeConfig::new(n_inputs).with_split_k(split_k);
    match name {
        ModelName::Notebook => {
            let weights = Weights { kl: beta, ..Weights::NOTEBOOK };
            (config, Settings { epochs, batch_size, lr, weights, warmup_epochs: 0 })
        }
        ModelName::Db => {
            let weights = Weights { kl: beta, ..Weights::GAUSSIAN };
            let settings =
                Settings { epochs, batch_size, lr, weights, warmup_epochs: epochs / 3 };
            (config.with_relu_output(false).with_latent(32), settings)
        }
    }
}
// ANCHOR_END: recipes

/// The mean and log-variance codes of every row, `[rows, latent]` each, 64 rows at a time.
pub fn encode_all(
    vae: &Vae,
    device: &Device,
    inputs: &[Vec<f32>],
) -> (Array2<f64>, Array2<f64>) {
    let width = inputs[0].len();
    let (mut means, mut log_vars) = (Vec::new(), Vec::new());
    for chunk in inputs.chunks(64) {
        let flat: Vec<f32> = chunk.iter().flatten().copied().collect();
        let x = Tensor::<2>::from_data(TensorData::new(flat, [chunk.len(), width]), device);
        let (mean, log_var) = vae.encode(x);
        means.extend(mean.into_data().iter::<f32>().map(f64::from));
        log_vars.extend(log_var.into_data().iter::<f32>().map(f64::from));
    }
    let n = inputs.len();
    let latent = means.len() / n;
    (
        Array2::from_shape_vec((n, latent), means).expect("n x latent"),
        Array2::from_shape_vec((n, latent), log_vars).expect("n x latent"),
    )
}

/// Decode codes (rows) to model outputs.
pub fn decode(vae: &Vae, device: &Device, codes: &[Vec<f32>]) -> Vec<Vec<f32>> {
    let latent = codes[0].len();
    let mut outputs = Vec::new();
    for chunk in codes.chunks(64) {
        let flat: Vec<f32> = chunk.iter().flatten().copied().collect();
        let z = Tensor::<2>::from_data(TensorData::new(flat, [chunk.len(), latent]), device);
        let x = vae.decode(z).into_data().try_to_vec::<f32>().expect("f32 output");
        outputs.extend(x.chunks(x.len() / chunk.len()).map(<[f32]>::to_vec));
    }
    outputs
}

/// What is measured of one model on the held-out notes.
pub struct Assessment {
    /// Mean log-spectral distance (dB) of the reconstructions from the inputs.
    pub lsd_db: f64,
    /// Pitch (Hz) of each held-out note's reconstruction, through Griffin-Lim and YIN.
    pub pitch: Vec<Option<f64>>,
    /// How many of them lie within a semitone of the note's pitch.
    pub pitch_hits: usize,
    /// KL (nats) of each code dimension from the prior, averaged over the held-out notes.
    pub kl_per_dimension: Vec<f64>,
    /// Dimensions whose mean varies across all notes by more than [`latent::ACTIVE_VARIANCE`].
    pub active_dimensions: usize,
    /// Share of the means' variance in their first two principal components, and the points.
    pub pca: (Vec<(f64, f64)>, f64),
    /// |correlation| of PC 1 of the means with the notes' MIDI pitch.
    pub pc1_pitch_correlation: f64,
    /// Each held-out note's reconstruction as a magnitude re. its input's peak.
    pub reconstructions: Vec<Vec<f32>>,
    /// The same in dB, for the figures.
    pub reconstructions_db: Vec<Vec<f32>>,
    /// Every note's mean code (for the latent map and the interpolation).
    pub means: Array2<f64>,
}

// ANCHOR: assess
/// Reconstruct every held-out note from its mean code; measure the log-spectral distance
/// and the pitch of what Griffin-Lim makes of it; the KL of each code dimension; the codes'
/// shape (active dimensions, PCA).
pub fn assess(
    (vae, device): (&Vae, &Device),
    input: &Input,
    spec: &Spectrogram,
    (features, tracks): (&[f32], &[Track]),
    test: &[usize],
) -> anyhow::Result<Assessment> {
    let width = spec.width();
    let row = |i: usize| &features[i * width..(i + 1) * width];
    let inputs: Vec<Vec<f32>> = (0..tracks.len()).map(|i| input.encode(row(i))).collect();
    let (means, log_vars) = encode_all(vae, device, &inputs);
    let codes: Vec<Vec<f32>> =
        test.iter().map(|&i| means.row(i).iter().map(|&v| v as f32).collect()).collect();
    let outputs = decode(vae, device, &codes);
    let reconstructions_db: Vec<Vec<f32>> =
        outputs.iter().map(|o| input.output_db(o)).collect();
    let reconstructions: Vec<Vec<f32>> =
        outputs.iter().map(|o| input.output_magnitude(o)).collect();
    let lsd: f64 = test
        .iter()
        .zip(&reconstructions_db)
        .map(|(&i, r)| {
            log_spectral_distance(
                spec,
                &row(i).iter().map(|&v| to_db(v)).collect::<Vec<_>>(),
                r,
            )
        })
        .sum();
    let pitch = pitches(spec, &reconstructions)?;
    let pitch_hits = test
        .iter()
        .zip(&pitch)
        .filter(|(i, p)| is_hit(**p, midi_to_hz(tracks[**i].midi)))
        .count();
    let latent = means.ncols();
    let kl_per_dimension = (0..latent)
        .map(|j| {
            let kl = |&i: &usize| {
                -0.5 * (1.0 + log_vars[(i, j)]
                    - means[(i, j)].powi(2)
                    - log_vars[(i, j)].exp())
            };
            test.iter().map(kl).sum::<f64>() / test.len() as f64
        })
        .collect();
    let pca = latent::first_two_components(&means)?;
    let pc1: Vec<f64> = pca.0.iter().map(|p| p.0).collect();
    let midi: Vec<f64> = tracks.iter().map(|t| t.midi as f64).collect();
    Ok(Assessment {
        lsd_db: lsd / test.len() as f64,
        pitch,
        pitch_hits,
        kl_per_dimension,
        active_dimensions: latent::active_dimensions(&means),
        pc1_pitch_correlation: latent::correlation(&pc1, &midi).abs(),
        pca,
        reconstructions,
        reconstructions_db,
        means,
    })
}
// ANCHOR_END: assess

/// The pitch of each magnitude spectrogram once Griffin-Lim has made it a sound.
pub fn pitches(
    spec: &Spectrogram,
    magnitudes: &[Vec<f32>],
) -> anyhow::Result<Vec<Option<f64>>> {
    magnitudes
        .par_iter()
        .map(|m| note_pitch(&sound::render_native(spec, m)?, spec.sr))
        .collect()
}
