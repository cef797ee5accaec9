//! One error type: a synthesizer or filter bank set up wrongly, said with its fix.

/// What went wrong, in words that name the cause and the fix.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A setting out of range or inconsistent with another.
    #[error("{0}")]
    Setting(String),
}

/// `Result` with [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// `Err(Error::Setting(..))` from a format string.
macro_rules! setting_error {
    ($($arg:tt)*) => { $crate::error::Error::Setting(format!($($arg)*)) };
}
pub(crate) use setting_error;
