//! Features computed from a signal, grouped as in `librosa.feature`.
//!
//! * Spectral features: [`melspectrogram`], [`mfcc`], [`rms`], [`zero_crossing_rate`],
//!   [`spectral_centroid`], [`spectral_bandwidth`], [`spectral_rolloff`],
//!   [`spectral_flatness`].
//! * Rhythm features: [`tempogram`], [`fourier_tempogram`], [`tempo`].

mod rhythm;
mod spectral;

pub use rhythm::{TempoParams, TempogramParams, fourier_tempogram, tempo, tempo_from_onset, tempogram};
pub use spectral::{
    FrameParams, MelSpectrogramParams, MfccParams, SpectralParams, melspectrogram, mfcc, rms,
    spectral_bandwidth, spectral_centroid, spectral_flatness, spectral_rolloff, zero_crossing_rate,
};
