//! The one error type of dl4mir-eval: mismatched or empty inputs, named with their sizes.

/// Result alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can be wrong with the inputs of a metric.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// Two inputs that must pair up have different lengths.
    #[error("{what}: {left} vs {right} values; they must have one entry per sample")]
    LengthMismatch { what: &'static str, left: usize, right: usize },
    /// Nothing to evaluate.
    #[error("{0}: no samples to evaluate")]
    Empty(&'static str),
    /// A bad argument, quoted.
    #[error("{0}")]
    Parameter(String),
}

/// `Err` unless `a` and `b` have the same, non-zero length.
pub(crate) fn same_length(what: &'static str, a: usize, b: usize) -> Result<()> {
    if a != b {
        return Err(Error::LengthMismatch { what, left: a, right: b });
    }
    if a == 0 {
        return Err(Error::Empty(what));
    }
    Ok(())
}
