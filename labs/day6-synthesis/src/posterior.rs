//! The two VAEs of the lab (part 2's programmer, part 3's RAVE-lite) share their Gaussian
//! posterior: a draw by reparameterisation and the KL divergence to N(0, I).

use burn::prelude::*;
use burn::tensor::Distribution;

/// `mean + noise * sigma * eps` with `eps ~ N(0, I)`: the reparameterised draw at `noise`
/// 1, the mean itself at 0 (evaluation), and between them a draw with its spread scaled
/// down (RAVE-lite's warm-up).
pub fn draw<const D: usize>(
    mean: Tensor<D>,
    log_variance: Tensor<D>,
    noise: f64,
) -> Tensor<D> {
    if noise == 0.0 {
        return mean;
    }
    let eps = Tensor::random(mean.dims(), Distribution::Normal(0.0, 1.0), &mean.device());
    mean + eps * log_variance.mul_scalar(0.5).exp().mul_scalar(noise)
}

/// The KL to N(0, I), summed over dimension 1 (the code), averaged over the rest (the batch,
/// and the frames of a latent sequence), as RAVE v1 computes it.
pub fn kl<const D: usize>(mean: Tensor<D>, log_variance: Tensor<D>) -> Tensor<1> {
    let terms = mean.powf_scalar(2.0) + log_variance.clone().exp() - log_variance - 1.0;
    terms.sum_dim(1).mean().mul_scalar(0.5)
}
