//! The hand-written gradient, checked against burn's automatic differentiation on the
//! same batch: the check every hand derivation deserves.

use crate::softmax::{Linear, cross_entropy_and_gradients, one_hot};
use burn::prelude::*;
use burn::tensor::TensorData;
use burn::tensor::activation::log_softmax;
use ndarray::Array2;

// ANCHOR: autodiff
/// The largest absolute difference between the hand gradients of the cross-entropy and
/// burn's (computed in f32, so expect ~1e-7, not 1e-15).
pub fn max_gradient_difference(
    model: &Linear,
    x: &Array2<f64>,
    labels: &[usize],
    device: &Device,
) -> anyhow::Result<f64> {
    let classes = model.b.len();
    let y = one_hot(labels, classes);
    let (_, hand) = cross_entropy_and_gradients(model, x, &y)?;

    let tensor = |a: &Array2<f64>| {
        let values: Vec<f32> = a.iter().map(|&v| v as f32).collect();
        Tensor::<2>::from_data(TensorData::new(values, [a.nrows(), a.ncols()]), device)
    };
    let w = tensor(&model.w).require_grad();
    let bias: Vec<f32> = model.b.iter().map(|&v| v as f32).collect();
    let b = Tensor::<1>::from_data(TensorData::new(bias, [classes]), device).require_grad();
    let logits = tensor(x).matmul(w.clone()) + b.clone().unsqueeze::<2>();
    let loss = (log_softmax(logits, 1) * tensor(&y)).sum().neg() / x.nrows() as f32;
    let grads = loss.backward();
    let to_vec = |t: Option<Tensor<2>>| -> anyhow::Result<Vec<f32>> {
        let t = t.ok_or_else(|| anyhow::anyhow!("burn returned no gradient"))?;
        t.into_data().try_to_vec::<f32>().map_err(|e| anyhow::anyhow!("{e:?}"))
    };
    let auto_w = to_vec(w.grad(&grads))?;
    let auto_b = to_vec(b.grad(&grads).map(|g| g.unsqueeze::<2>()))?;
    let differences = hand.w.iter().zip(&auto_w).chain(hand.b.iter().zip(&auto_b));
    Ok(differences.map(|(&h, &a)| (h - a as f64).abs()).fold(0.0, f64::max))
}
// ANCHOR_END: autodiff

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn hand_gradients_equal_autodiff() {
        let device = dl4mir_train::device(dl4mir_train::DeviceChoice::Cpu).unwrap();
        let x = array![[0.5, -1.0, 2.0], [1.5, 0.3, -0.2], [-0.7, 0.8, 0.1], [0.2, 0.2, -1.3]];
        let model =
            Linear { w: array![[0.1, -0.3], [0.4, 0.2], [-0.5, 0.05]], b: array![0.2, -0.1] };
        let difference = max_gradient_difference(&model, &x, &[1, 0, 1, 1], &device).unwrap();
        assert!(difference < 1e-6, "hand and autodiff gradients differ by {difference}");
        // And the check can fail: a wrong label changes the gradient.
        let (_, right) =
            cross_entropy_and_gradients(&model, &x, &one_hot(&[1, 0, 1, 1], 2)).unwrap();
        let (_, wrong) =
            cross_entropy_and_gradients(&model, &x, &one_hot(&[0, 0, 1, 1], 2)).unwrap();
        assert!((right.w - wrong.w).iter().any(|d| d.abs() > 1e-3));
    }
}
