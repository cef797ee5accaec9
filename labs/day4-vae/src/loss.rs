//! The VAE's loss: how far the reconstruction is from the input, plus how far the code's
//! distribution is from the prior N(0, I).

use crate::model::Output;
use burn::prelude::*;

/// The two terms, each summed over the batch, and their weighted total.
pub struct Loss {
    pub total: Tensor<1>,
    pub reconstruction: Tensor<1>,
    pub kl: Tensor<1>,
}

// ANCHOR: loss
/// `sum (x_hat - x)^2 + beta * KL(q(z|x) || N(0, I))`, where for a diagonal Gaussian
/// `KL = -1/2 sum (1 + log sigma^2 - mu^2 - sigma^2)` (closed form; see `kl.rs`).
/// `beta = 1` is the notebook's loss (and the evidence lower bound's, up to constants).
pub fn vae_loss(output: &Output, x: Tensor<2>, beta: f64) -> Loss {
    let reconstruction = (output.reconstruction.clone() - x).powi_scalar(2).sum();
    let (mean, log_variance) = (output.mean.clone(), output.log_variance.clone());
    let kl = (log_variance.clone().add_scalar(1.0) - mean.powi_scalar(2) - log_variance.exp())
        .sum()
        .mul_scalar(-0.5);
    Loss { total: reconstruction.clone() + kl.clone().mul_scalar(beta), reconstruction, kl }
}
// ANCHOR_END: loss
