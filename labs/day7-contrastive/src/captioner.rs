//! Part 5: ClipCap's idea. A mapping network turns a clip's embedding (part 1's audio
//! tower, frozen) into a prefix of k vectors, which a small autoregressive decoder reads
//! before it writes the caption. GPT-2 cannot be fetched, so the decoder is first
//! pretrained here as a language model of the captions. ClipCap's two variants:
//! an MLP mapper (k = 10) with the decoder fine-tuned beside it, and a transformer mapper
//! (ClipCap's is k = 40; ours 10) with the decoder frozen.

pub use crate::text::id_tensor;
use crate::tokenizer::{END, PAD, START};
use burn::module::Param;
use burn::nn::attention::generate_autoregressive_mask;
use burn::nn::{
    Embedding, EmbeddingConfig, LayerNorm, LayerNormConfig, Linear, LinearConfig, Tanh,
};
use burn::prelude::*;
use burn::tensor::Int;
use burn::tensor::activation::log_softmax;
use day5_cnn_gru_attention::transformer::EncoderLayer;

#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct CaptionerConfig {
    pub vocabulary: usize,
    /// Caption tokens (start, words, end, padding).
    pub context: usize,
    /// Prefix vectors (ClipCap's k).
    pub prefix: usize,
    /// The embedding that maps to the prefix (the shared space).
    pub shared: usize,
    pub width: usize,
    pub heads: usize,
    pub layers: usize,
}

/// A small GPT: token and position embeddings, causal pre-norm layers (Day 5's), a final
/// norm and a linear head to the vocabulary. Dropout 0 (GPT-2 has 0.1): ClipCap keeps its
/// frozen GPT-2 in evaluation mode, and one setting serves both variants here.
#[derive(Module, Debug)]
pub struct Decoder {
    tokens: Embedding,
    positions: Embedding,
    layers: Vec<EncoderLayer>,
    norm: LayerNorm,
    head: Linear,
    /// Positions kept for the prefix: a caption's words are at `prefix..` with or without it.
    #[module(skip)]
    prefix: usize,
}

impl CaptionerConfig {
    pub fn decoder(&self, device: &Device) -> Decoder {
        Decoder {
            tokens: EmbeddingConfig::new(self.vocabulary, self.width).init(device),
            positions: EmbeddingConfig::new(self.prefix + self.context, self.width)
                .init(device),
            layers: (0..self.layers)
                .map(|_| EncoderLayer::new(self.width, self.heads, 0.0, device))
                .collect(),
            norm: LayerNormConfig::new(self.width).init(device),
            head: LinearConfig::new(self.width, self.vocabulary).init(device),
            prefix: self.prefix,
        }
    }

    /// ClipCap's MLP: shared -> k w / 2 -> tanh -> k w.
    pub fn mlp_mapper(&self, device: &Device) -> MlpMapper {
        let (k, w) = (self.prefix, self.width);
        MlpMapper {
            first: LinearConfig::new(self.shared, k * w / 2).init(device),
            activation: Tanh::new(),
            second: LinearConfig::new(k * w / 2, k * w).init(device),
            prefix: k,
        }
    }

    /// ClipCap's transformer mapper: the embedding mapped to k vectors, k learned constants
    /// beside them, non-causal layers; the constants' outputs are the prefix.
    pub fn transformer_mapper(&self, device: &Device) -> TransformerMapper {
        let (k, w) = (self.prefix, self.width);
        TransformerMapper {
            input: LinearConfig::new(self.shared, k * w).init(device),
            constants: Param::from_tensor(Tensor::random(
                [k, w],
                burn::tensor::Distribution::Normal(0.0, 1.0),
                device,
            )),
            layers: (0..self.layers)
                .map(|_| EncoderLayer::new(w, self.heads, 0.0, device))
                .collect(),
            prefix: k,
        }
    }
}

impl Decoder {
    /// The token embedding and the output head, flattened: enough to tell whether training
    /// changed the decoder.
    pub fn fingerprint(&self) -> Vec<f32> {
        let mut values: Vec<f32> =
            self.tokens.weight.val().into_data().iter::<f32>().collect();
        values.extend(self.head.weight.val().into_data().iter::<f32>());
        values
    }

    /// Token ids `[batch, t]` -> their embeddings `[batch, t, width]` (no positions).
    pub fn embed_words(&self, ids: Tensor<2, Int>) -> Tensor<3> {
        self.tokens.forward(ids)
    }

    /// `prefix: [batch, k, width]` (or none) and `ids: [batch, t]` -> logits
    /// `[batch, k + t, vocabulary]` (`[batch, t, vocabulary]` without a prefix).
    ///
    /// The words sit at positions `k..k + t` with or without a prefix (ours): pretrained
    /// on captions alone, the decoder then finds its words where it learned them when a
    /// prefix is put before them, which matters most for the frozen variant. GPT-2, trained
    /// on contexts of 1,024 tokens, needs no such care.
    pub fn forward(&self, prefix: Option<Tensor<3>>, ids: Tensor<2, Int>) -> Tensor<3> {
        let [batch, t] = ids.dims();
        let device = ids.device();
        let words = self.tokens.forward(ids);
        let positions = |range: std::ops::Range<usize>| {
            let n = range.len();
            let ids = Tensor::<1, Int>::arange(range.start as i64..range.end as i64, &device);
            self.positions.forward(ids.reshape([1, n]).repeat_dim(0, batch))
        };
        let words = words + positions(self.prefix..self.prefix + t);
        let h = match prefix {
            Some(p) => Tensor::cat(vec![p + positions(0..self.prefix), words], 1),
            None => words,
        };
        let length = h.dims()[1];
        let causal = generate_autoregressive_mask(batch, length, &device);
        let mut h = h;
        for layer in &self.layers {
            h = layer.forward_masked(h, Some(causal.clone())).0;
        }
        self.head.forward(self.norm.forward(h))
    }
}

#[derive(Module, Debug)]
pub struct MlpMapper {
    first: Linear,
    activation: Tanh,
    second: Linear,
    #[module(skip)]
    prefix: usize,
}

#[derive(Module, Debug)]
pub struct TransformerMapper {
    input: Linear,
    constants: Param<Tensor<2>>,
    layers: Vec<EncoderLayer>,
    #[module(skip)]
    prefix: usize,
}

/// Embeddings `[batch, shared]` -> a prefix `[batch, k, width]`.
pub trait Mapper: Module + Clone {
    fn prefix(&self, embedding: Tensor<2>) -> Tensor<3>;
}

impl Mapper for MlpMapper {
    fn prefix(&self, embedding: Tensor<2>) -> Tensor<3> {
        let batch = embedding.dims()[0];
        let out = self.second.forward(self.activation.forward(self.first.forward(embedding)));
        let width = out.dims()[1] / self.prefix;
        out.reshape([batch, self.prefix, width])
    }
}

impl Mapper for TransformerMapper {
    fn prefix(&self, embedding: Tensor<2>) -> Tensor<3> {
        let batch = embedding.dims()[0];
        let mapped = self.input.forward(embedding);
        let width = mapped.dims()[1] / self.prefix;
        let mapped = mapped.reshape([batch, self.prefix, width]);
        let constants = self.constants.val().unsqueeze_dim::<3>(0).repeat_dim(0, batch);
        let mut h = Tensor::cat(vec![mapped, constants], 1);
        for layer in &self.layers {
            h = layer.forward(h).0;
        }
        h.slice_dim(1, self.prefix..2 * self.prefix)
    }
}

/// A mapper (one of ClipCap's two) and the decoder it writes with.
#[derive(Module, Debug)]
pub struct Captioner {
    pub mlp: Option<MlpMapper>,
    pub transformer: Option<TransformerMapper>,
    pub decoder: Decoder,
}

impl Captioner {
    /// The prefix of `embedding: [batch, shared]`.
    pub fn prefix(&self, embedding: Tensor<2>) -> Tensor<3> {
        match (&self.mlp, &self.transformer) {
            (Some(m), _) => m.prefix(embedding),
            (None, Some(t)) => t.prefix(embedding),
            (None, None) => unreachable!("a captioner is made with a mapper"),
        }
    }
}

// ANCHOR: loss
/// Next-token cross-entropy over the caption's tokens (the prefix predicts nothing): the
/// logit at position `k + i` predicts token `i + 1`; padding targets are left out.
pub fn caption_loss(logits: Tensor<3>, ids: Tensor<2, Int>, prefix: usize) -> Tensor<1> {
    let [batch, t] = ids.dims();
    let predicted = logits.slice_dim(1, prefix..prefix + t - 1);
    let targets = ids.slice_dim(1, 1..t);
    let picked = log_softmax(predicted, 2)
        .gather(2, targets.clone().unsqueeze_dim::<3>(2))
        .reshape([batch, t - 1]);
    let counted = targets.not_equal_elem(PAD as i64).float();
    (picked * counted.clone()).sum().neg() / counted.sum()
}
// ANCHOR_END: loss

/// The log-probabilities of the next token after each row's last one: `[rows][vocabulary]`.
fn next_token(
    decoder: &Decoder,
    prefix: Option<Tensor<3>>,
    rows: &[Vec<usize>],
    device: &Device,
) -> Vec<Vec<f64>> {
    let logits = decoder.forward(prefix, id_tensor(rows, device));
    let [n, length, vocabulary] = logits.dims();
    let last =
        log_softmax(logits.slice_dim(1, length - 1..length), 2).reshape([n, vocabulary]);
    let values: Vec<f32> = last.into_data().iter::<f32>().collect();
    values.chunks(vocabulary).map(|r| r.iter().map(|&v| v as f64).collect()).collect()
}

// ANCHOR: greedy
/// Greedy decoding of every row at once: the most likely next token until the end token
/// (or `max_tokens`). `prefix: [n, k, width]`, or none (the language model alone).
pub fn greedy(
    decoder: &Decoder,
    prefix: Option<Tensor<3>>,
    n: usize,
    max_tokens: usize,
    device: &Device,
) -> Vec<Vec<usize>> {
    let mut rows = vec![vec![START]; n];
    let mut done = vec![false; n];
    for _ in 0..max_tokens {
        if done.iter().all(|&d| d) {
            break;
        }
        let next = next_token(decoder, prefix.clone(), &rows, device);
        for ((row, scores), done) in rows.iter_mut().zip(next).zip(done.iter_mut()) {
            // A finished row is padded, so that all rows stay one tensor.
            let token = if *done { PAD } else { argmax(&scores) };
            *done |= token == END;
            row.push(token);
        }
    }
    rows
}
// ANCHOR_END: greedy

fn argmax(values: &[f64]) -> usize {
    (0..values.len()).max_by(|&a, &b| values[a].total_cmp(&values[b])).unwrap_or(0)
}

// ANCHOR: beam
/// Beam search as ClipCap's `generate_beam`: keep the `width` continuations of highest mean
/// log-probability per token; a beam that wrote the end token stops growing; the best
/// finished beam by the same mean wins. `prefix: [1, k, width]`.
pub fn beam(
    decoder: &Decoder,
    prefix: Tensor<3>,
    width: usize,
    max_tokens: usize,
    device: &Device,
) -> Vec<usize> {
    // (tokens, sum of log-probabilities, tokens scored)
    let mut beams: Vec<(Vec<usize>, f64, usize)> = vec![(vec![START], 0.0, 0)];
    for _ in 0..max_tokens {
        let open: Vec<usize> =
            (0..beams.len()).filter(|&b| beams[b].0.last() != Some(&END)).collect();
        if open.is_empty() {
            break;
        }
        let rows: Vec<Vec<usize>> = open.iter().map(|&b| beams[b].0.clone()).collect();
        let next =
            next_token(decoder, Some(prefix.clone().repeat_dim(0, rows.len())), &rows, device);
        let mut candidates: Vec<(Vec<usize>, f64, usize)> =
            beams.iter().filter(|b| b.0.last() == Some(&END)).cloned().collect();
        for (&b, scores) in open.iter().zip(&next) {
            let mut order: Vec<usize> = (0..scores.len()).collect();
            order.sort_by(|&x, &y| scores[y].total_cmp(&scores[x]));
            for &token in order.iter().take(width) {
                let (mut tokens, sum, count) = beams[b].clone();
                tokens.push(token);
                candidates.push((tokens, sum + scores[token], count + 1));
            }
        }
        candidates.sort_by(|x, y| (y.1 / y.2 as f64).total_cmp(&(x.1 / x.2 as f64)));
        candidates.truncate(width);
        beams = candidates;
    }
    beams.into_iter().next().map(|b| b.0).unwrap_or_default()
}
// ANCHOR_END: beam

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> CaptionerConfig {
        CaptionerConfig {
            vocabulary: 9,
            context: 5,
            prefix: 2,
            shared: 4,
            width: 8,
            heads: 2,
            layers: 1,
        }
    }

    #[test]
    fn the_loss_skips_the_prefix_and_the_padding() {
        let device = Device::flex();
        // Uniform logits: every counted target costs log 9, whatever the padding.
        let logits = Tensor::<3>::zeros([1, 2 + 5, 9], &device);
        let ids = id_tensor(&[vec![START, 5, END, PAD, PAD]], &device);
        let loss = caption_loss(logits, ids, 2).into_scalar::<f32>() as f64;
        assert!((loss - 9f64.ln()).abs() < 1e-5, "{loss}");
    }

    #[test]
    fn mappers_make_a_prefix_and_decoding_stops_at_the_end() {
        let device = Device::flex();
        let c = config();
        let embedding = Tensor::<2>::ones([3, 4], &device);
        assert_eq!(c.mlp_mapper(&device).prefix(embedding.clone()).dims(), [3, 2, 8]);
        let prefix = c.transformer_mapper(&device).prefix(embedding);
        assert_eq!(prefix.dims(), [3, 2, 8]);
        let decoder = c.decoder(&device);
        let rows = greedy(&decoder, Some(prefix.clone()), 3, 3, &device);
        assert!(rows.iter().all(|r| r[0] == START && r.len() <= 4));
        let best = beam(&decoder, prefix.slice_dim(0, 0..1), 5, 3, &device);
        assert!(best[0] == START && best.len() <= 4);
    }
}
