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

/// How the two terms are weighed.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Weights {
    /// Factor on the summed squared error: 1 in the notebook; 1/2 is the negative
    /// log-likelihood of a Gaussian decoder with unit variance (up to a constant).
    pub reconstruction: f64,
    /// beta, the factor on the KL term.
    pub kl: f64,
}

impl Weights {
    /// The notebook's: `sum (x_hat - x)^2 + KL` (its `BCE` variable holds this squared error).
    pub const NOTEBOOK: Weights = Weights { reconstruction: 1.0, kl: 1.0 };
    /// The evidence lower bound of a unit-variance Gaussian decoder: `1/2 sum (x_hat - x)^2 + KL`.
    pub const GAUSSIAN: Weights = Weights { reconstruction: 0.5, kl: 1.0 };
}

// ANCHOR: loss
/// `w_rec sum (x_hat - x)^2 + beta KL(q(z|x) || N(0, I))`, where for a diagonal Gaussian
/// `KL = -1/2 sum (1 + log sigma^2 - mu^2 - sigma^2)` (closed form; see `kl.rs`).
pub fn vae_loss(output: &Output, x: Tensor<2>, weights: Weights) -> Loss {
    let reconstruction = (output.reconstruction.clone() - x).powi_scalar(2).sum();
    let kl = kl_per_dimension(output).sum();
    let total = reconstruction.clone().mul_scalar(weights.reconstruction)
        + kl.clone().mul_scalar(weights.kl);
    Loss { total, reconstruction, kl }
}

/// `[batch, latent]`: each code dimension's KL divergence from N(0, 1), in nats.
pub fn kl_per_dimension(output: &Output) -> Tensor<2> {
    let (mean, log_variance) = (output.mean.clone(), output.log_variance.clone());
    (log_variance.clone().add_scalar(1.0) - mean.powi_scalar(2) - log_variance.exp())
        .mul_scalar(-0.5)
}
// ANCHOR_END: loss
