//! Self-attention written out once by hand, and checked against burn's multi-head attention
//! on the same weights.

use burn::nn::attention::{MhaInput, MultiHeadAttention};
use burn::prelude::*;
use burn::tensor::activation::softmax;

// ANCHOR: scaled_dot_product
/// Scaled dot-product attention: each query position takes a weighted average of the
/// values, weighted by `softmax(q . k / sqrt(d))` over the key positions. A `mask` of
/// `true` hides a key position (padding) by giving it a very low score before the softmax.
///
/// # Shapes
/// `q: [batch, heads, n_q, d]`, `k, v: [batch, heads, n_k, d]`, `mask: [batch, n_k]`
/// -> context `[batch, heads, n_q, d]`, weights `[batch, heads, n_q, n_k]`
pub fn scaled_dot_product(
    q: Tensor<4>,
    k: Tensor<4>,
    v: Tensor<4>,
    mask: Option<Tensor<2, Bool>>,
) -> (Tensor<4>, Tensor<4>) {
    let d = q.dims()[3] as f64;
    let mut scores = q.matmul(k.swap_dims(2, 3)).div_scalar(d.sqrt()); // [b, h, n_q, n_k]
    if let Some(mask) = mask {
        let [b, n_k] = mask.dims();
        let hidden = mask.reshape([b, 1, 1, n_k]).expand(scores.dims());
        scores = scores.mask_fill(hidden, -1.0e4);
    }
    let weights = softmax(scores, 3);
    (weights.clone().matmul(v), weights)
}
// ANCHOR_END: scaled_dot_product

// ANCHOR: by_hand
/// burn's multi-head attention computed with the function above, from the same weights:
/// project, split into heads, attend, merge the heads, project back.
pub fn multi_head_by_hand(
    mha: &MultiHeadAttention,
    x: Tensor<3>,
    mask: Option<Tensor<2, Bool>>,
) -> Tensor<3> {
    let [batch, n, d_model] = x.dims();
    let heads = mha.n_heads;
    let split = |t: Tensor<3>| t.reshape([batch, n, heads, d_model / heads]).swap_dims(1, 2);
    let (q, k, v) = (
        split(mha.query.forward(x.clone())),
        split(mha.key.forward(x.clone())),
        split(mha.value.forward(x)),
    );
    let (context, _) = scaled_dot_product(q, k, v, mask);
    mha.output.forward(context.swap_dims(1, 2).reshape([batch, n, d_model]))
}
// ANCHOR_END: by_hand

/// burn's own forward pass of the same module, for the comparison.
pub fn multi_head_burn(
    mha: &MultiHeadAttention,
    x: Tensor<3>,
    mask: Option<Tensor<2, Bool>>,
) -> Tensor<3> {
    let input = MhaInput::self_attn(x);
    let input = match mask {
        Some(mask) => input.mask_pad(mask),
        None => input,
    };
    mha.forward(input).context
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::nn::attention::MultiHeadAttentionConfig;

    #[test]
    fn attention_by_hand_equals_burns_multi_head_attention() {
        let device = Device::flex();
        device.seed(9);
        // No dropout, so that burn's module is deterministic.
        let mha = MultiHeadAttentionConfig::new(16, 4).with_dropout(0.0).init(&device);
        let x = Tensor::<3>::random(
            [2, 7, 16],
            burn::tensor::Distribution::Normal(0.0, 1.0),
            &device,
        );
        let mask = Tensor::<2, Bool>::from_data(
            TensorData::new(
                vec![
                    false, false, false, false, false, true, true, false, false, false, false,
                    false, false, false,
                ],
                [2, 7],
            ),
            &device,
        );
        for mask in [None, Some(mask)] {
            let ours = multi_head_by_hand(&mha, x.clone(), mask.clone());
            let burns = multi_head_burn(&mha, x.clone(), mask);
            let diff = (ours - burns).abs().max().into_scalar::<f32>();
            assert!(diff < 1e-5, "attention by hand differs from burn's by {diff}");
        }
    }

    #[test]
    fn attention_weights_are_a_distribution_and_ignore_masked_keys() {
        let device = Device::flex();
        let q =
            Tensor::<4>::random([1, 1, 3, 4], burn::tensor::Distribution::Default, &device);
        let k =
            Tensor::<4>::random([1, 1, 5, 4], burn::tensor::Distribution::Default, &device);
        let mask = Tensor::<2, Bool>::from_data(
            TensorData::new(vec![false, false, false, true, true], [1, 5]),
            &device,
        );
        let (_, w) = scaled_dot_product(q, k.clone(), k, Some(mask));
        let sums = w.clone().sum_dim(3).into_data().iter::<f32>().collect::<Vec<_>>();
        assert!(sums.iter().all(|s| (s - 1.0).abs() < 1e-5), "{sums:?}");
        let hidden: f32 = w.slice([0..1, 0..1, 0..3, 3..5]).sum().into_scalar();
        assert!(hidden < 1e-6, "masked keys got weight {hidden}");
    }
}
