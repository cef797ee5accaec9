//! Decibel conversions: `power_to_db`, `amplitude_to_db` and their inverses.
//!
//! Mirrors `librosa.power_to_db` / `librosa.amplitude_to_db` (librosa 0.11).

use crate::error::{Result, param_error};
use ndarray::{Array, Dimension};

/// The reference that maps to 0 dB (librosa's `ref` argument).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ref {
    /// A fixed value, e.g. `Ref::Value(1.0)` (librosa's default).
    Value(f32),
    /// The largest value of the input (`ref=np.max`): the loudest bin becomes 0 dB.
    Max,
}

/// Parameters of [`power_to_db`] (and, with other defaults, [`amplitude_to_db`]).
#[derive(Debug, Clone, PartialEq)]
pub struct DbParams {
    /// What becomes 0 dB (librosa's `ref`). Default `Ref::Value(1.0)`.
    pub reference: Ref,
    /// Floor applied before the logarithm, so silence is finite. Default `1e-10` (power)
    /// or `1e-5` (amplitude): both are -100 dB.
    pub amin: f32,
    /// Clip everything more than `top_db` below the peak. Default `Some(80.0)`.
    pub top_db: Option<f32>,
}

impl Default for DbParams {
    /// The defaults of `power_to_db`.
    fn default() -> Self {
        Self { reference: Ref::Value(1.0), amin: 1e-10, top_db: Some(80.0) }
    }
}

impl DbParams {
    /// The defaults of `amplitude_to_db` (`amin = 1e-5`).
    pub fn amplitude() -> Self {
        Self { amin: 1e-5, ..Default::default() }
    }
}

/// Power (e.g. `|D|^2`) to decibels: `10 log10(max(S, amin) / max(ref, amin))`, then
/// everything below `max - top_db` is raised to it.
///
/// # Errors
/// `amin <= 0`, or `top_db < 0`.
///
/// # Examples
/// ```
/// use dl4mir_audio::{power_to_db, DbParams, Ref};
/// use ndarray::array;
/// let s = array![1.0f32, 0.1, 1e-12];
/// let db = power_to_db(&s, &DbParams::default())?;
/// assert!((db[1] + 10.0).abs() < 1e-5);
/// assert_eq!(db[2], -80.0); // -120 dB, clipped at 80 dB below the peak
/// let db = power_to_db(&s, &DbParams { reference: Ref::Max, top_db: None, ..Default::default() })?;
/// assert_eq!(db[2], -100.0); // floored at amin = 1e-10
/// # Ok::<(), dl4mir_audio::Error>(())
/// ```
///
/// Matches `librosa.power_to_db(S, ref=..., amin=..., top_db=...)` to 1e-4 dB (tested).
pub fn power_to_db<D: Dimension>(s: &Array<f32, D>, params: &DbParams) -> Result<Array<f32, D>> {
    let DbParams { reference, amin, top_db } = *params;
    // `is_nan`: a NaN compares false with everything and would pass `amin <= 0.0`.
    if amin.is_nan() || amin <= 0.0 {
        return Err(param_error!("amin={amin} must be strictly positive"));
    }
    if let Ref::Value(v) = reference
        && !v.is_finite()
    {
        return Err(param_error!("ref={v} must be a finite number (or Ref::Max)"));
    }
    if let Some(top) = top_db
        && top < 0.0
    {
        return Err(param_error!("top_db={top} must be non-negative"));
    }
    let ref_value = match reference {
        Ref::Value(v) => v.abs(),
        Ref::Max => s.iter().copied().fold(f32::NEG_INFINITY, f32::max),
    };
    let offset = 10.0 * ref_value.max(amin).log10();
    let mut db = s.mapv(|x| 10.0 * x.max(amin).log10() - offset);
    if let Some(top) = top_db {
        let floor = db.iter().copied().fold(f32::NEG_INFINITY, f32::max) - top;
        db.mapv_inplace(|x| x.max(floor));
    }
    Ok(db)
}

/// Amplitude (e.g. `|D|`) to decibels: `20 log10(max(S, amin) / max(ref, amin))`, clipped
/// at `top_db` below the peak. Use `DbParams::amplitude()` for librosa's defaults.
///
/// Matches `librosa.amplitude_to_db` (tested).
pub fn amplitude_to_db<D: Dimension>(s: &Array<f32, D>, params: &DbParams) -> Result<Array<f32, D>> {
    // librosa squares everything and defers to power_to_db; so do we.
    let reference = match params.reference {
        Ref::Value(v) => Ref::Value(v * v),
        Ref::Max => Ref::Max,
    };
    let power = s.mapv(|x| x * x);
    power_to_db(&power, &DbParams { reference, amin: params.amin * params.amin, top_db: params.top_db })
}

/// Decibels back to power: `ref * 10^(dB / 10)`. Matches `librosa.db_to_power(S_db, ref=ref)`.
pub fn db_to_power<D: Dimension>(s_db: &Array<f32, D>, reference: f32) -> Array<f32, D> {
    s_db.mapv(|x| reference * 10f32.powf(0.1 * x))
}

/// Decibels back to amplitude: `ref * 10^(dB / 20)`. Matches `librosa.db_to_amplitude`.
pub fn db_to_amplitude<D: Dimension>(s_db: &Array<f32, D>, reference: f32) -> Array<f32, D> {
    db_to_power(s_db, reference * reference).mapv(f32::sqrt)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn db_round_trips_above_the_floor() {
        let s = array![[0.5f32, 2.0], [1e-3, 7.0]];
        let db = power_to_db(&s, &DbParams { top_db: None, ..Default::default() }).unwrap();
        let back = db_to_power(&db, 1.0);
        for (a, b) in s.iter().zip(back.iter()) {
            assert!((a - b).abs() <= 1e-5 * a);
        }
        let db = amplitude_to_db(&s, &DbParams { top_db: None, ..DbParams::amplitude() }).unwrap();
        assert!((db[[1, 1]] - 20.0 * 7f32.log10()).abs() < 1e-4);
    }

    #[test]
    fn non_positive_amin_is_refused() {
        let err = power_to_db(&array![1.0f32], &DbParams { amin: 0.0, ..Default::default() }).unwrap_err();
        assert_eq!(err.to_string(), "amin=0 must be strictly positive");
    }
}
