//! # dl4mir-audio
//!
//! The audio toolbox of the dl4mir course: every lab reads its sound and computes its
//! features with it. Names, defaults and numbers are librosa 0.11's, so the librosa
//! documentation and this one can be read side by side:
//!
//! | librosa | here |
//! |---|---|
//! | `librosa.load(path, sr=None)` | [`load`]`(path, &LoadParams { sr: None, ..Default::default() })` |
//! | `librosa.resample(y, orig_sr=a, target_sr=b)` | [`resample`]`(&y, a, b)` |
//! | `librosa.stft(y)` / `librosa.istft(D)` | [`stft`]`(&y, &StftParams::default())` / [`istft`] |
//! | `librosa.feature.melspectrogram(y=y, sr=sr)` | [`feature::melspectrogram`] |
//! | `librosa.power_to_db(S, ref=np.max)` | [`power_to_db`]`(&s, &DbParams { reference: Ref::Max, ..Default::default() })` |
//! | `librosa.feature.mfcc(y=y, sr=sr)` | [`feature::mfcc`] |
//! | `librosa.griffinlim(S)` | [`griffin_lim`] |
//! | `librosa.onset.onset_strength(y=y, sr=sr)` | [`onset::onset_strength`] |
//! | `librosa.feature.tempo(y=y, sr=sr)` | [`feature::tempo`] |
//! | `librosa.yin(y, fmin=fmin, fmax=fmax, sr=sr)` | [`pitch::yin`] |
//! | `librosa.A_weighting(f)`, DDSP's `compute_loudness` | [`a_weighting`], [`frame_loudness`] |
//!
//! Keyword arguments become a parameter struct whose `Default` is librosa's defaults, so a
//! call names only what it changes:
//!
//! ```
//! use dl4mir_audio::feature::{melspectrogram, MelSpectrogramParams};
//! use dl4mir_audio::StftParams;
//! let y = vec![0.0f32; 48_000];
//! // Day 3's input: 32 mel bands up to 8 kHz, n_fft = hop = 4096 at 48 kHz.
//! let m = melspectrogram(&y, &MelSpectrogramParams {
//!     sr: 48_000,
//!     stft: StftParams { n_fft: 4096, hop_length: Some(4096), ..Default::default() },
//!     n_mels: 32,
//!     fmax: Some(8000.0),
//!     ..Default::default()
//! })?;
//! assert_eq!(m.dim(), (32, 12));
//! # Ok::<(), dl4mir_audio::Error>(())
//! ```
//!
//! Spectrograms are [`ndarray::Array2`] shaped `[frequency, time]`, as librosa's.
//! Every function is checked against stored librosa output in `tests/`.

pub mod audio;
pub mod batch;
pub mod convert;
pub mod db;
mod error;
pub mod feature;
pub mod filters;
mod griffinlim;
pub mod loudness;
pub mod onset;
pub mod pitch;
mod power_frames;
pub mod spectrum;

pub use audio::{
    LoadParams, WavFormat, WavInfo, load, load_channels, resample, to_mono, wav_info, write_wav,
};
pub use db::{DbParams, Ref, amplitude_to_db, db_to_amplitude, db_to_power, power_to_db};
pub use error::{Error, Result, valid_audio};
pub use griffinlim::{GriffinLimParams, PhaseInit, griffin_lim};
pub use loudness::{LoudnessParams, a_weighting, frame_loudness};
pub use pitch::{YinParams, yin};
pub use spectrum::{IstftParams, PadMode, StftParams, istft, magnitude, power, stft};
