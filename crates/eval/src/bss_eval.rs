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
use ndarray::Array2;

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
    Ok(bss_eval_sources_sets(references, std::slice::from_ref(&estimates.to_vec()))?.remove(0))
}

/// [`bss_eval_sources`] of several sets of estimates of the same references (several
/// separators, or a separator beside its floor and ceiling): the same numbers, but the
/// references' correlations and matrices are computed and factorised once for all sets.
pub fn bss_eval_sources_sets(
    references: &[Vec<f64>],
    sets: &[Vec<Vec<f64>>],
) -> Result<Vec<Vec<SourceMeasures>>> {
    if sets.is_empty() {
        return Err(Error::Empty("bss_eval_sources_sets"));
    }
    for estimates in sets {
        validate(references, estimates)?;
    }
    let correlations = Correlations::of(references);
    let all: Vec<usize> = (0..references.len()).collect();
    // Every estimate is projected onto its own reference, and onto all of them.
    let every: Vec<&[f64]> = sets.iter().flatten().map(Vec::as_slice).collect();
    let onto_all = project_all(references, &gram(&correlations, &all), &all, &every)?;
    let onto_own: Vec<Vec<Vec<f64>>> = (0..references.len())
        .map(|j| {
            let of_j: Vec<&[f64]> = sets.iter().map(|set| set[j].as_slice()).collect();
            project_all(references, &gram(&correlations, &[j]), &[j], &of_j)
        })
        .collect::<Result<_>>()?;
    let sources = references.len();
    Ok(sets
        .iter()
        .enumerate()
        .map(|(s, estimates)| {
            (0..sources)
                .map(|j| measures(&estimates[j], &onto_own[j][s], &onto_all[s * sources + j]))
                .collect()
        })
        .collect())
}

/// SDR, SIR and SAR of `estimate` from its projections onto its own reference and onto all.
fn measures(estimate: &[f64], own: &[f64], every: &[f64]) -> SourceMeasures {
    let padded = |t: usize| estimate.get(t).copied().unwrap_or(0.0);
    let target = energy(own.iter().copied());
    let distortion = energy(own.iter().enumerate().map(|(t, p)| padded(t) - p));
    let interference = energy(own.iter().zip(every).map(|(p, q)| q - p));
    let artifacts = energy(every.iter().enumerate().map(|(t, q)| padded(t) - q));
    SourceMeasures {
        sdr: safe_db(target, distortion),
        sir: safe_db(target, interference),
        sar: safe_db(energy(every.iter().copied()), artifacts),
    }
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

/// The least-squares projections of `estimates` onto the span of the `chosen` references,
/// each delayed by 0 to `FILTER_LENGTH - 1` samples (their [`gram`] matrix given):
/// `samples + FILTER_LENGTH - 1` values each (mir_eval's `_project`).
fn project_all(
    references: &[Vec<f64>],
    gram: &Array2<f64>,
    chosen: &[usize],
    estimates: &[&[f64]],
) -> Result<Vec<Vec<f64>>> {
    // <s_i delayed by a, estimate> = sum_n s_i[n] estimate[n + a].
    let products = Array2::from_shape_fn((chosen.len() * FILTER_LENGTH, estimates.len()), |(row, e)| {
        let (i, a) = (chosen[row / FILTER_LENGTH], row % FILTER_LENGTH);
        lagged_product(estimates[e], &references[i], a as isize)
    });
    let filters = solve(gram, &products)?;
    Ok((0..estimates.len())
        .map(|e| {
            let samples = estimates[e].len();
            let mut projection = vec![0.0; samples + FILTER_LENGTH - 1];
            for (slot, &i) in chosen.iter().enumerate() {
                for a in 0..FILTER_LENGTH {
                    let c = filters[[slot * FILTER_LENGTH + a, e]];
                    for (t, &s) in references[i].iter().enumerate() {
                        projection[t + a] += c * s;
                    }
                }
            }
            projection
        })
        .collect())
}

/// `gram x = products` (a column per estimate) by Cholesky (the Gram matrix is symmetric
/// positive semi-definite), by least squares where it is singular (mir_eval:
/// `np.linalg.solve`, then `lstsq`).
fn solve(gram: &Array2<f64>, products: &Array2<f64>) -> Result<Array2<f64>> {
    match dl4mir_linalg::solve_spd_columns(gram, products) {
        Ok(x) if x.iter().all(|v| v.is_finite()) => Ok(x),
        _ => {
            let (u, s, v) = dl4mir_linalg::thin_svd(gram)
                .map_err(|e| Error::Parameter(format!("bss_eval_sources: {e}")))?;
            let cutoff = s.iter().copied().fold(0.0, f64::max) * f64::EPSILON * gram.nrows() as f64;
            let mut x = Array2::zeros(products.dim());
            for (k, &sigma) in s.iter().enumerate() {
                if sigma > cutoff {
                    let weights = u.column(k).dot(products) / sigma;
                    for (e, w) in weights.iter().enumerate() {
                        x.column_mut(e).scaled_add(*w, &v.column(k));
                    }
                }
            }
            Ok(x)
        }
    }
}
