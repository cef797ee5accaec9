//! Tempo accuracy for Day 10, after Gouyon et al. (2006), "An experimental comparison of
//! audio tempo induction algorithms", as used by MIREX.

use crate::error::{Error, Result, same_length};

/// Relative tolerance of both accuracies: 4%.
pub const TOLERANCE: f64 = 0.04;

/// Whether `estimate` is within `TOLERANCE` of `reference`: `|est - ref| <= 0.04 ref`.
/// The same test as `mir_eval.tempo.detection(..., tol=0.04)`'s "one correct" (tested).
pub fn within_tolerance(reference: f64, estimate: f64) -> bool {
    (estimate - reference).abs() <= TOLERANCE * reference
}

/// Whether `estimate` is right up to the usual metrical confusions: within 4% of the
/// reference times 1, 2, 3, 1/2 or 1/3 (octave and triple errors count as correct).
pub fn within_tolerance_up_to_octave(reference: f64, estimate: f64) -> bool {
    [1.0, 2.0, 3.0, 0.5, 1.0 / 3.0].iter().any(|f| within_tolerance(reference, estimate / f))
}

/// Accuracy 1: fraction of clips whose estimate is within 4% of the reference.
pub fn accuracy1(references: &[f64], estimates: &[f64]) -> Result<f64> {
    fraction(references, estimates, within_tolerance)
}

/// Accuracy 2: as Accuracy 1, also accepting 2x, 3x, 1/2x and 1/3x the reference.
pub fn accuracy2(references: &[f64], estimates: &[f64]) -> Result<f64> {
    fraction(references, estimates, within_tolerance_up_to_octave)
}

fn fraction(references: &[f64], estimates: &[f64], hit: fn(f64, f64) -> bool) -> Result<f64> {
    same_length("tempo accuracy", references.len(), estimates.len())?;
    if let Some(r) = references.iter().find(|&&r| r <= 0.0 || !r.is_finite()) {
        return Err(Error::Parameter(format!("reference tempo {r} BPM must be positive")));
    }
    Ok(references.iter().zip(estimates).filter(|(r, e)| hit(**r, **e)).count() as f64
        / references.len() as f64)
}
