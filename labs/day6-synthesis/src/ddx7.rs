//! DDX7 (Caspe, McPherson & Sandler, ISMIR 2022): a TCN predicts each operator's output
//! level per frame; a fixed six-operator FM synth with fixed frequency ratios renders them;
//! the learned reverb ends the chain. Only levels are learned, never frequencies: the
//! chapter's loss-against-frequency figure shows why.

use crate::batch::NoteBatch;
use crate::notes::HOP;
use crate::reverb::Reverb;
use crate::tcn::{Tcn, TcnConfig};
use burn::prelude::*;
use burn::tensor::activation::sigmoid;
use dl4mir_ddsp::control::upsample;
use dl4mir_ddsp::fm::{Algorithm, FmSynth};

// ANCHOR: patch
/// The routing: DX7 algorithm 1's shape, which DDX7's `fmstrings` patch uses: a stack of
/// four (OP6 -> OP5 -> OP4 -> OP3) and a pair (OP2 -> OP1), both stacks' bottoms heard.
/// Operators are numbered from 1 in words and from 0 in code.
pub fn plucked_algorithm() -> Algorithm {
    let modulators = vec![vec![1], vec![], vec![3], vec![4], vec![5], vec![]];
    Algorithm::new(modulators, vec![0, 2]).expect("a valid routing")
}

/// DDX7's `fmstrings` ratios (OP1..OP6): whole numbers keep the spectrum harmonic, as a
/// string's nearly is; OP5's 3 and OP6's 14 put the bright partials of the attack at the
/// top of the four-operator stack.
pub const RATIOS: [f64; 6] = [1.0, 1.0, 1.0, 1.0, 3.0, 14.0];

/// The largest output level, in cycles (DDX7's recipes: 0.32 x 2 pi rad = a modulation index
/// of 2 rad).
pub const MAX_LEVEL: f64 = 0.32;
// ANCHOR_END: patch

pub fn synth() -> FmSynth {
    FmSynth::new(plucked_algorithm(), RATIOS.to_vec()).expect("one ratio per operator")
}

#[derive(Module, Debug)]
pub struct Ddx7 {
    pub tcn: Tcn,
    pub reverb: Reverb,
}

impl Ddx7 {
    pub fn new(config: TcnConfig, reverb_taps: usize, device: &Device) -> Self {
        Self { tcn: config.init(device), reverb: Reverb::new(reverb_taps, device) }
    }

    /// Per-frame levels `[batch, frames, 6]` in `0..MAX_LEVEL`.
    pub fn levels(&self, controls: Tensor<3>) -> Tensor<3> {
        sigmoid(self.tcn.forward(controls)).swap_dims(1, 2).mul_scalar(MAX_LEVEL)
    }

    // ANCHOR: forward
    /// `[batch, samples]`: the levels at audio rate through the FM synth, the carriers' sum
    /// divided by the maximum level (DDX7's patches do), then the reverb.
    pub fn forward(&self, batch: &NoteBatch) -> Tensor<2> {
        let levels = upsample(self.levels(batch.controls.clone()), HOP);
        let phases = batch.fm_phases.clone().expect("the batch was made for the FM synth");
        let dry = synth().render(phases, levels).div_scalar(MAX_LEVEL);
        self.reverb.forward(dry)
    }
    // ANCHOR_END: forward
}
