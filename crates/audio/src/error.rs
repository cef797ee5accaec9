//! The one error type of dl4mir-audio.
//!
//! Every message names the cause and, where there is one, the fix — the way librosa's
//! `ParameterError` quotes the offending value. Each message is whole in `Display`, and no
//! variant reports a `source()`: printed plainly (`{e}`) or as a chain (anyhow's `{e:#}`),
//! a message appears once.

use std::path::PathBuf;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in dl4mir-audio.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A parameter is out of range, e.g. `hop_length=0 must be a positive integer`.
    #[error("{0}")]
    Parameter(String),

    /// The signal has no samples.
    #[error("the input signal is empty (0 samples); check that the file or slice holds audio")]
    EmptySignal,

    /// The signal holds a NaN or an infinity.
    #[error(
        "the input signal is not finite: sample {index} is {value}; \
         remove NaN/inf values (e.g. from a division by zero) before analysis"
    )]
    NonFinite {
        /// Position of the first bad sample.
        index: usize,
        /// The bad value itself.
        value: f32,
    },

    /// A file could not be opened, read or written.
    ///
    /// The message holds what the operating system said, so the field is deliberately not
    /// named `source`: an error that is also another error's `source()` is printed twice by
    /// chain printers such as anyhow's `{:#}` ("cannot access x: denied: denied").
    #[error("cannot access {path}: {cause}")]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// What the operating system said.
        cause: std::io::Error,
    },

    /// The file is not a RIFF/WAVE file.
    #[error(
        "{path} is not a WAV file ({reason}); dl4mir reads WAV only: \
         convert it first, e.g. `ffmpeg -i input.mp3 output.wav`"
    )]
    NotWav {
        /// The file concerned.
        path: PathBuf,
        /// What the parser found wrong.
        reason: String,
    },

    /// The file ends before the length its header announces.
    #[error(
        "{path} is truncated: its header announces {expected} frames but the file ends early; \
         the file is damaged or was cut off while copying: fetch it again"
    )]
    Truncated {
        /// The file concerned.
        path: PathBuf,
        /// Frames announced by the header.
        expected: u32,
    },

    /// The WAV uses an encoding hound cannot decode.
    #[error(
        "{path} uses an unsupported sample format ({format}); supported are 8/16/24/32-bit \
         integer PCM and 32-bit float: convert it, e.g. `ffmpeg -i in.wav -c:a pcm_s24le out.wav`"
    )]
    UnsupportedFormat {
        /// The file concerned.
        path: PathBuf,
        /// The format found.
        format: String,
    },
}

/// Build a [`Error::Parameter`] from a `format!`-style message.
macro_rules! param_error {
    ($($arg:tt)*) => { $crate::error::Error::Parameter(format!($($arg)*)) };
}
pub(crate) use param_error;

/// `Err(..)` unless `value > 0`, with librosa's wording: `hop_length=0 must be a positive integer`.
pub(crate) fn check_positive(name: &str, value: usize) -> Result<()> {
    if value == 0 {
        return Err(param_error!("{name}={value} must be a positive integer"));
    }
    Ok(())
}

/// librosa's `util.valid_audio`: the signal must be non-empty and finite everywhere.
pub fn valid_audio(y: &[f32]) -> Result<()> {
    if y.is_empty() {
        return Err(Error::EmptySignal);
    }
    // Fast path: a float is NaN or infinite exactly when all its exponent bits are set.
    // An integer max over the exponent fields vectorises (a float search would not), so
    // the check costs a fraction of a millisecond even for a minute of audio.
    const EXPONENT: u32 = 0x7f80_0000;
    let all_finite = y.iter().map(|x| x.to_bits() & EXPONENT).max() != Some(EXPONENT);
    if all_finite {
        return Ok(());
    }
    let (index, &value) = y.iter().enumerate().find(|(_, v)| !v.is_finite()).expect("found above");
    Err(Error::NonFinite { index, value })
}
