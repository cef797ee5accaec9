//! DDX7's differentiable FM synthesizer (Caspe, McPherson & Sandler, ISMIR 2022).
//!
//! Each operator is a sine at a fixed ratio of the note's f0. Its output level follows a
//! control the network predicts per frame; a modulator's output, times 2 pi, is added to the
//! phase of the operators it feeds (so its level is a modulation index in cycles: DDX7's
//! maximum level 0.32 is an index of 0.32 x 2 pi = 2 radians), a carrier's is heard.
//! Which operator feeds which is the patch's "algorithm" (the DX7 has 32 of them), held here
//! as data. Only the levels are learned: the frequencies come from the known pitch, because
//! a spectral loss gives a useless gradient for a frequency (the chapter plots why).

use crate::error::{Result, setting_error};
use burn::prelude::*;

/// Who modulates whom. Operators are numbered from 0 (the DX7's "OP1").
#[derive(Debug, Clone, PartialEq)]
pub struct Algorithm {
    /// For each operator, the operators whose outputs are added to its phase.
    modulators: Vec<Vec<usize>>,
    /// The operators that are heard; their outputs are summed.
    carriers: Vec<usize>,
    /// An order in which every operator comes after all of its modulators.
    order: Vec<usize>,
}

impl Algorithm {
    /// Check a routing: indices in range, at least one carrier, no operator that modulates
    /// itself through a loop (the DX7's feedback loop is not modelled, as in DDX7).
    pub fn new(modulators: Vec<Vec<usize>>, carriers: Vec<usize>) -> Result<Self> {
        let n = modulators.len();
        if n == 0 || carriers.is_empty() {
            return Err(setting_error!(
                "an FM algorithm needs at least one operator and one carrier (got {n} operators, {} carriers)",
                carriers.len()
            ));
        }
        if let Some(&bad) = modulators.iter().flatten().chain(&carriers).find(|&&i| i >= n) {
            return Err(setting_error!(
                "operator {bad} is named in an algorithm of {n} operators; number them 0..{n}"
            ));
        }
        let order = evaluation_order(&modulators).ok_or_else(|| {
            setting_error!(
                "the FM algorithm has a modulation loop (feedback), which this synthesizer does not \
                 model; remove the operator that feeds back"
            )
        })?;
        Ok(Self { modulators, carriers, order })
    }

    /// Operators in the routing.
    pub fn operators(&self) -> usize {
        self.modulators.len()
    }

    /// The heard operators.
    pub fn carriers(&self) -> &[usize] {
        &self.carriers
    }

    /// The operators that modulate operator `i`.
    pub fn modulators_of(&self, i: usize) -> &[usize] {
        &self.modulators[i]
    }

    /// A one-line text diagram, DX7 numbering: `OP2 -> OP1 (out)`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        for &i in &self.order {
            let into: Vec<String> = (0..self.operators())
                .filter(|&j| self.modulators[j].contains(&i))
                .map(|j| format!("OP{}", j + 1))
                .collect();
            if !into.is_empty() {
                parts.push(format!("OP{} -> {}", i + 1, into.join(" + ")));
            }
        }
        let heard: Vec<String> = self.carriers.iter().map(|c| format!("OP{}", c + 1)).collect();
        parts.push(format!("out = {}", heard.join(" + ")));
        parts.join("; ")
    }
}

/// Kahn's algorithm: modulators before the operators they feed; `None` on a loop.
fn evaluation_order(modulators: &[Vec<usize>]) -> Option<Vec<usize>> {
    let n = modulators.len();
    let mut done = vec![false; n];
    let mut order = Vec::with_capacity(n);
    while order.len() < n {
        let ready = (0..n).find(|&i| !done[i] && modulators[i].iter().all(|&m| done[m]))?;
        done[ready] = true;
        order.push(ready);
    }
    Some(order)
}

/// An FM synthesizer: an algorithm and each operator's frequency ratio to the f0.
#[derive(Debug, Clone, PartialEq)]
pub struct FmSynth {
    pub algorithm: Algorithm,
    pub ratios: Vec<f64>,
}

impl FmSynth {
    /// A synth whose ratios match its algorithm's operators and are positive.
    pub fn new(algorithm: Algorithm, ratios: Vec<f64>) -> Result<Self> {
        if ratios.len() != algorithm.operators() {
            return Err(setting_error!(
                "{} frequency ratios for {} operators; give one ratio per operator",
                ratios.len(),
                algorithm.operators()
            ));
        }
        if let Some(r) = ratios.iter().find(|r| !(r.is_finite() && **r > 0.0)) {
            return Err(setting_error!("frequency ratio {r} must be a positive number, e.g. 1 or 3.5"));
        }
        Ok(Self { algorithm, ratios })
    }

    /// The operators' phases for one note (see [`crate::control::phases`]):
    /// `f0_frames.len() * hop` rows of one phase per operator.
    pub fn phases(&self, f0_frames_hz: &[f64], hop: usize, sr: f64) -> Vec<f32> {
        crate::control::phases(f0_frames_hz, hop, sr, &self.ratios)
    }

    // ANCHOR: render
    /// Render `[batch, samples]` from phases and levels, both `[batch, samples, operators]`:
    /// `out_i = level_i * sin(phase_i + 2 pi * sum of out_j over i's modulators)` (DDX7's
    /// `core.py`), the carriers summed. Differentiable in the levels. DDX7's patches then
    /// divide by the maximum level, so that full-scale carriers sum to about 1.
    pub fn render(&self, phases: Tensor<3>, levels: Tensor<3>) -> Tensor<2> {
        let [batch, samples, n] = levels.dims();
        assert_eq!(n, self.algorithm.operators(), "one level per operator");
        assert_eq!(phases.dims(), [batch, samples, n], "one phase per operator and sample");
        let mut outputs: Vec<Option<Tensor<2>>> = vec![None; n];
        for &i in &self.algorithm.order {
            let mut argument = phases.clone().slice_dim(2, i..i + 1).squeeze_dim::<2>(2);
            for &m in self.algorithm.modulators_of(i) {
                let modulation = outputs[m].clone().expect("modulators come first");
                argument = argument + modulation.mul_scalar(std::f64::consts::TAU);
            }
            let level = levels.clone().slice_dim(2, i..i + 1).squeeze_dim::<2>(2);
            outputs[i] = Some(level * argument.sin());
        }
        let carriers = self.algorithm.carriers().iter();
        let mut heard = carriers.map(|&c| outputs[c].clone().expect("rendered"));
        let first = heard.next().expect("an algorithm has a carrier");
        heard.fold(first, |sum, y| sum + y)
    }
    // ANCHOR_END: render
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routings_are_checked() {
        assert!(Algorithm::new(vec![vec![1], vec![]], vec![0]).is_ok());
        let looped = Algorithm::new(vec![vec![1], vec![0]], vec![0]).unwrap_err().to_string();
        assert!(looped.contains("loop"), "{looped}");
        let out_of_range = Algorithm::new(vec![vec![2], vec![]], vec![0]).unwrap_err().to_string();
        assert!(out_of_range.contains("operator 2"), "{out_of_range}");
        let two = Algorithm::new(vec![vec![1], vec![]], vec![0]).unwrap();
        assert!(FmSynth::new(two.clone(), vec![1.0]).is_err());
        assert!(FmSynth::new(two, vec![1.0, -2.0]).is_err());
    }

    #[test]
    fn describe_names_the_routing() {
        let stack = Algorithm::new(vec![vec![1], vec![2], vec![]], vec![0]).unwrap();
        assert_eq!(stack.describe(), "OP3 -> OP2; OP2 -> OP1; out = OP1");
    }
}
