//! The two VAEs of the lab (part 2's programmer, part 3's RAVE-lite) share their Gaussian
//! posterior: a draw by reparameterisation and the KL divergence to N(0, I).

use burn::prelude::*;
use burn::tensor::Distribution;

/// `mean + sigma * noise`, or the mean itself when not `sample`d (evaluation).
pub fn draw<const D: usize>(
    mean: Tensor<D>,
    log_variance: Tensor<D>,
    sample: bool,
) -> Tensor<D> {
    if !sample {
        return mean;
    }
    let noise = Tensor::random(mean.dims(), Distribution::Normal(0.0, 1.0), &mean.device());
    mean + noise * log_variance.mul_scalar(0.5).exp()
}

/// The KL to N(0, I), summed over dimension 1 (the code), averaged over the rest (the batch,
/// and the frames of a latent sequence), as RAVE v1 computes it.
pub fn kl<const D: usize>(mean: Tensor<D>, log_variance: Tensor<D>) -> Tensor<1> {
    let terms = mean.powf_scalar(2.0) + log_variance.clone().exp() - log_variance - 1.0;
    terms.sum_dim(1).mean().mul_scalar(0.5)
}
