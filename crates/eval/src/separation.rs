//! Source-separation quality for Day 8.
//!
//! Three numbers go by "SDR", from strict to lenient:
//! * the plain SDR here, `10 log10(|s|^2 / |s - s_hat|^2)`: any difference counts as error;
//! * [`si_sdr`], scale-invariant SDR (Le Roux et al., 2019): the estimate may be off by a
//!   gain;
//! * BSS Eval's SDR ([`crate::bss_eval`]; Vincent et al., 2006; `mir_eval.separation`):
//!   the estimate may be off by a 512-tap filter of its reference. That does not make it
//!   the most lenient: the filter is the least-squares fit, so what it leaves of a partial
//!   estimate counts against it. `s_hat = 0.5 s + e` with `|e| = |s|` and `e` unrelated to
//!   `s` has a plain SDR of -1.0 dB and a BSS Eval SDR of -5.8 dB over 48,000 samples
//!   (-6.0 dB in the limit: the 512 taps fit a little of the noise); a test checks both.

use crate::error::{Error, Result, same_length};

/// Plain signal-to-distortion ratio in dB: `10 log10(sum s^2 / sum (s - s_hat)^2)`.
pub fn sdr(reference: &[f64], estimate: &[f64]) -> Result<f64> {
    same_length("sdr", reference.len(), estimate.len())?;
    let signal: f64 = reference.iter().map(|s| s * s).sum();
    let error: f64 = reference.iter().zip(estimate).map(|(s, e)| (s - e).powi(2)).sum();
    if signal == 0.0 {
        return Err(Error::Parameter("sdr: the reference is silent".into()));
    }
    Ok(10.0 * (signal / error).log10())
}

/// Scale-invariant SDR in dB: project the estimate onto the reference,
/// `target = (<s_hat, s> / |s|^2) s`, and compare it with the rest, `s_hat - target`.
pub fn si_sdr(reference: &[f64], estimate: &[f64]) -> Result<f64> {
    same_length("si_sdr", reference.len(), estimate.len())?;
    let energy: f64 = reference.iter().map(|s| s * s).sum();
    if energy == 0.0 {
        return Err(Error::Parameter("si_sdr: the reference is silent".into()));
    }
    let scale = reference.iter().zip(estimate).map(|(s, e)| s * e).sum::<f64>() / energy;
    let target: f64 = reference.iter().map(|s| (scale * s).powi(2)).sum();
    let residual: f64 = reference.iter().zip(estimate).map(|(s, e)| (e - scale * s).powi(2)).sum();
    Ok(10.0 * (target / residual).log10())
}
