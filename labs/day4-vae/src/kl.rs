//! KL divergence between Gaussians: the closed form the loss uses, and a Monte-Carlo
//! estimate that checks it (the chapter's KL page runs the same comparison).

use rand_core::Rng;

// ANCHOR: closed_form
/// `KL(N(mu_q, var_q) || N(mu_p, var_p))` for one dimension:
/// `1/2 (log(var_p / var_q) + (var_q + (mu_q - mu_p)^2) / var_p - 1)`.
pub fn kl_gaussians(mu_q: f64, var_q: f64, mu_p: f64, var_p: f64) -> f64 {
    0.5 * ((var_p / var_q).ln() + (var_q + (mu_q - mu_p).powi(2)) / var_p - 1.0)
}
// ANCHOR_END: closed_form

// ANCHOR: monte_carlo
/// The same divergence as an average over draws `z ~ q` of `log q(z) - log p(z)`.
pub fn kl_monte_carlo(
    mu_q: f64,
    var_q: f64,
    mu_p: f64,
    var_p: f64,
    draws: usize,
    rng: &mut impl Rng,
) -> f64 {
    let log_density = |z: f64, mu: f64, var: f64| {
        -0.5 * ((2.0 * std::f64::consts::PI * var).ln() + (z - mu).powi(2) / var)
    };
    let total: f64 = (0..draws)
        .map(|_| {
            let z = mu_q + var_q.sqrt() * standard_normal(rng);
            log_density(z, mu_q, var_q) - log_density(z, mu_p, var_p)
        })
        .sum();
    total / draws as f64
}
// ANCHOR_END: monte_carlo

/// One draw from N(0, 1) by the Box-Muller transform.
pub fn standard_normal(rng: &mut impl Rng) -> f64 {
    let uniform =
        |rng: &mut dyn FnMut() -> u64| ((rng() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
    let mut next = || rng.next_u64();
    let (u1, u2) = (uniform(&mut next), uniform(&mut next));
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha8Rng;
    use rand_core::SeedableRng;

    #[test]
    fn closed_form_agrees_with_monte_carlo() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for (mu_q, var_q, mu_p, var_p) in
            [(0.0, 1.0, 0.0, 1.0), (1.0, 0.5, 0.0, 1.0), (-2.0, 3.0, 0.5, 0.2)]
        {
            let exact = kl_gaussians(mu_q, var_q, mu_p, var_p);
            let estimate = kl_monte_carlo(mu_q, var_q, mu_p, var_p, 400_000, &mut rng);
            // The estimate's standard error shrinks as 1/sqrt(draws): ~0.01 here.
            assert!((exact - estimate).abs() < 0.03 + 0.01 * exact, "{exact} vs {estimate}");
        }
        assert_eq!(kl_gaussians(0.3, 2.0, 0.3, 2.0), 0.0);
    }

    #[test]
    fn the_loss_kl_is_the_closed_form_summed_over_dimensions() {
        use burn::prelude::*;
        let device = Device::flex();
        let (mu, log_var) = ([0.5f32, -1.0, 0.0], [0.2f32, -0.7, 1.1]);
        let output = crate::model::Output {
            reconstruction: Tensor::<2>::zeros([1, 2], &device),
            mean: Tensor::from_data(TensorData::new(mu.to_vec(), [1, 3]), &device),
            log_variance: Tensor::from_data(
                TensorData::new(log_var.to_vec(), [1, 3]),
                &device,
            ),
        };
        let kl = crate::loss::vae_loss(
            &output,
            Tensor::zeros([1, 2], &device),
            crate::loss::Weights::NOTEBOOK,
        )
        .kl
        .into_scalar::<f32>();
        let exact: f64 = mu
            .iter()
            .zip(&log_var)
            .map(|(&m, &lv)| kl_gaussians(m as f64, (lv as f64).exp(), 0.0, 1.0))
            .sum();
        assert!((kl as f64 - exact).abs() < 1e-5, "{kl} vs {exact}");
    }
}
