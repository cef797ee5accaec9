//! BSS Eval's source measures (Vincent, Gribonval & Févotte, 2006), as
//! `mir_eval.separation.bss_eval_sources(references, estimates, compute_permutation=False)`
//! computes them (mir_eval 0.8; the call Sound of Pixels makes, estimate `j` judged
//! against reference `j`).
//!
//! Each estimate is split into the part that a 512-tap filter of its own reference can
//! explain (the target, `s_target`), the further part that filters of *all* the references
//! explain (interference from the other sources, `e_interf`), and the rest (artifacts,
//! `e_artif`):
//!
//! * SDR = `10 log10(|s_target|^2 / |e_interf + e_artif|^2)`
//! * SIR = `10 log10(|s_target|^2 / |e_interf|^2)`
//! * SAR = `10 log10(|s_target + e_interf|^2 / |e_artif|^2)`
//!
//! A filter is allowed, so a gain or a small delay is not an error; but the filter fits the
//! estimate's own correlation with the reference, so an estimate that only partly follows
//! its reference can score far *below* the plain SDR of [`crate::separation::sdr`].

use crate::error::{Error, Result};
use ndarray::{Array1, Array2};

/// The distortion filter's length in samples (mir_eval's `flen`).
pub const FILTER_LENGTH: usize = 512;

/// SDR, SIR and SAR of one estimate, in dB (`inf` when a denominator is exactly zero, as
/// mir_eval's `_safe_db`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SourceMeasures {
    pub sdr: f64,
    pub sir: f64,
    pub sar: f64,
}

/// BSS Eval's SDR, SIR and SAR of `estimates[j]` against `references[j]`, every reference
/// counted as a possible interferer. All signals must have one length, and none be silent
/// (mir_eval refuses silent ones too: the projection would be underdetermined).
pub fn bss_eval_sources(references: &[Vec<f64>], estimates: &[Vec<f64>]) -> Result<Vec<SourceMeasures>> {
    validate(references, estimates)?;
    let correlations = Correlations::of(references);
    // Every estimate is projected onto all the references: one Gram matrix for them all.
    let all: Vec<usize> = (0..references.len()).collect();
    let every_gram = gram(&correlations, &all);
    (0..estimates.len())
        .map(|j| {
            let estimate = &estimates[j];
            let own = project(references, &gram(&correlations, &[j]), &[j], estimate)?;
            let every = project(references, &every_gram, &all, estimate)?;
            let padded = |t: usize| estimate.get(t).copied().unwrap_or(0.0);
            let target = energy(own.iter().copied());
            let distortion = energy(own.iter().enumerate().map(|(t, p)| padded(t) - p));
            let interference = energy(own.iter().zip(&every).map(|(p, q)| q - p));
            let artifacts = energy(every.iter().enumerate().map(|(t, q)| padded(t) - q));
            Ok(SourceMeasures {
                sdr: safe_db(target, distortion),
                sir: safe_db(target, interference),
                sar: safe_db(energy(every.iter().copied()), artifacts),
            })
        })
        .collect()
}

fn energy(values: impl Iterator<Item = f64>) -> f64 {
    values.map(|v| v * v).sum()
}

fn safe_db(numerator: f64, denominator: f64) -> f64 {
    if denominator == 0.0 { f64::INFINITY } else { 10.0 * (numerator / denominator).log10() }
}

fn validate(references: &[Vec<f64>], estimates: &[Vec<f64>]) -> Result<()> {
    if references.is_empty() {
        return Err(Error::Empty("bss_eval_sources"));
    }
    if references.len() != estimates.len() {
        return Err(Error::Parameter(format!(
            "bss_eval_sources: {} references but {} estimates; give one estimate per reference",
            references.len(),
            estimates.len()
        )));
    }
    let samples = references[0].len();
    if samples == 0 {
        return Err(Error::Empty("bss_eval_sources"));
    }
    for (what, signals) in [("reference", references), ("estimate", estimates)] {
        for (j, signal) in signals.iter().enumerate() {
            if signal.len() != samples {
                return Err(Error::Parameter(format!(
                    "bss_eval_sources: {what} {j} has {} samples, reference 0 has {samples}; \
                     cut or pad them to one length",
                    signal.len()
                )));
            }
            if signal.iter().any(|v| !v.is_finite()) {
                return Err(Error::Parameter(format!("bss_eval_sources: {what} {j} is not finite")));
            }
            if signal.iter().all(|&v| v == 0.0) {
                return Err(Error::Parameter(format!(
                    "bss_eval_sources: {what} {j} is silent; BSS Eval is undefined for it \
                     (skip silent sources, as Sound of Pixels does)"
                )));
            }
        }
    }
    Ok(())
}

/// `r_ij[k] = sum_n s_i[n] s_j[n - k]` for lags `|k| < FILTER_LENGTH`: every inner product
/// between delayed copies of two references is one of them.
struct Correlations {
    sources: usize,
    /// `[i][j][k + FILTER_LENGTH - 1]`.
    lags: Vec<Vec<f64>>,
}

impl Correlations {
    fn of(references: &[Vec<f64>]) -> Self {
        let sources = references.len();
        let mut lags = vec![Vec::new(); sources * sources];
        for i in 0..sources {
            for j in 0..sources {
                lags[i * sources + j] = (-(FILTER_LENGTH as isize - 1)..FILTER_LENGTH as isize)
                    .map(|k| lagged_product(&references[i], &references[j], k))
                    .collect();
            }
        }
        Self { sources, lags }
    }

    /// `<s_i delayed by a, s_j delayed by b>` = `r_ij[b - a]`.
    fn delayed(&self, i: usize, a: usize, j: usize, b: usize) -> f64 {
        self.lags[i * self.sources + j][b + FILTER_LENGTH - 1 - a]
    }
}

/// `sum_n x[n] y[n - k]` over the samples both signals have (zero beyond their ends).
fn lagged_product(x: &[f64], y: &[f64], k: isize) -> f64 {
    let n = x.len() as isize;
    let (start, end) = (k.max(0), n.min(n + k));
    (start..end).map(|t| x[t as usize] * y[(t - k) as usize]).sum()
}

/// The inner products of the `chosen` references, each delayed by 0 to `FILTER_LENGTH - 1`
/// samples, with each other.
fn gram(correlations: &Correlations, chosen: &[usize]) -> Array2<f64> {
    let size = chosen.len() * FILTER_LENGTH;
    Array2::from_shape_fn((size, size), |(row, col)| {
        let (i, a) = (chosen[row / FILTER_LENGTH], row % FILTER_LENGTH);
        let (j, b) = (chosen[col / FILTER_LENGTH], col % FILTER_LENGTH);
        correlations.delayed(i, a, j, b)
    })
}

/// The least-squares projection of `estimate` onto the span of the `chosen` references,
/// each delayed by 0 to `FILTER_LENGTH - 1` samples (their [`gram`] matrix given):
/// `samples + FILTER_LENGTH - 1` values (mir_eval's `_project`).
fn project(
    references: &[Vec<f64>],
    gram: &Array2<f64>,
    chosen: &[usize],
    estimate: &[f64],
) -> Result<Vec<f64>> {
    // <s_i delayed by a, estimate> = sum_n s_i[n] estimate[n + a].
    let products = Array1::from_shape_fn(chosen.len() * FILTER_LENGTH, |row| {
        let (i, a) = (chosen[row / FILTER_LENGTH], row % FILTER_LENGTH);
        lagged_product(estimate, &references[i], a as isize)
    });
    let filters = solve(gram, &products)?;
    let samples = estimate.len();
    let mut projection = vec![0.0; samples + FILTER_LENGTH - 1];
    for (slot, &i) in chosen.iter().enumerate() {
        for a in 0..FILTER_LENGTH {
            let c = filters[slot * FILTER_LENGTH + a];
            for (t, &s) in references[i].iter().enumerate() {
                projection[t + a] += c * s;
            }
        }
    }
    Ok(projection)
}

/// `gram x = products` by Cholesky (the Gram matrix is symmetric positive semi-definite),
/// by least squares where it is singular (mir_eval: `np.linalg.solve`, then `lstsq`).
fn solve(gram: &Array2<f64>, products: &Array1<f64>) -> Result<Array1<f64>> {
    match dl4mir_linalg::solve_spd(gram, products) {
        Ok(x) if x.iter().all(|v| v.is_finite()) => Ok(x),
        _ => {
            let (u, s, v) = dl4mir_linalg::thin_svd(gram)
                .map_err(|e| Error::Parameter(format!("bss_eval_sources: {e}")))?;
            let cutoff = s.iter().copied().fold(0.0, f64::max) * f64::EPSILON * gram.nrows() as f64;
            let mut x = Array1::zeros(products.len());
            for (k, &sigma) in s.iter().enumerate() {
                if sigma > cutoff {
                    let weight = u.column(k).dot(products) / sigma;
                    x.scaled_add(weight, &v.column(k));
                }
            }
            Ok(x)
        }
    }
}
