//! The one error type of dl4mir-train: each message names the cause and the fix.

/// Result alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can stop a training run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `--device` names a backend this build does not have.
    #[error("this build has no {backend} support: rebuild with `--features {backend}` (or use --device cpu)")]
    BackendNotCompiled { backend: &'static str },

    /// The backend is compiled in, but no device answers.
    #[error("no {backend} device could be started ({reason}); run on the CPU with --device cpu")]
    DeviceUnavailable { backend: &'static str, reason: String },

    /// The loss became NaN or infinite.
    #[error(
        "the loss became {loss} at epoch {epoch}, step {step}: training diverged; \
         try a lower learning rate (--lr {suggested_lr})"
    )]
    NonFiniteLoss { epoch: usize, step: usize, loss: f32, suggested_lr: f64 },

    /// Features and labels do not pair up, or a batch size of zero.
    #[error("{0}")]
    Data(String),

    /// A file could not be written or read.
    #[error("cannot {action} {path}: {reason}")]
    Io { action: &'static str, path: std::path::PathBuf, reason: String },
}
