//! Part 5's run: the decoder pretrained as a language model of the captions, then ClipCap's
//! two variants trained on part 1's (frozen, cached) audio embeddings of the training
//! clips, then captions written for the held-out string's clips, greedily and by beam
//! search, scored by what they name (effect, pickup, register) and by BLEU-4 against every
//! caption the generator can write for the clip.

use crate::captioner::{
    Captioner, CaptionerConfig, Decoder, beam, caption_loss, greedy, id_tensor,
};
use crate::captions::{
    Facts, captions_of, named_effect, named_pickup, named_register, named_type, random_caption,
};
use crate::data::Clips;
use crate::model::AudioTower;
use crate::tokenizer::Tokenizer;
use crate::training::embed_clips;
use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use burn::tensor::{Int, TensorData};
use dl4mir_train::{LossLog, SeededRng, progress, run_epoch};
use serde_json::{Value, json};

/// ClipCap's beam width.
pub const BEAM_WIDTH: usize = 5;

#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct CaptioningSettings {
    pub language_model_epochs: usize,
    pub epochs: usize,
    pub batch_size: usize,
    pub lr: f64,
    /// The transformer mapper's, with the decoder frozen (ours: 3x `lr`). A frozen decoder
    /// cannot meet the mapper halfway; at `lr` the mapper barely moved in our few hundred
    /// steps (ClipCap trains for 10 epochs of COCO's 600,000 captions).
    pub frozen_mapper_lr: f64,
}

/// Embeddings `[n x shared]` as a tensor.
fn embedding_tensor(rows: &[Vec<f64>], device: &Device) -> Tensor<2> {
    let values: Vec<f32> = rows.iter().flat_map(|r| r.iter().map(|&v| v as f32)).collect();
    Tensor::from_data(TensorData::new(values, [rows.len(), rows[0].len()]), device)
}

/// Two captions of each clip of a batch: the one to write (all its tokens) and another as
/// context (its first `prefix` tokens), each drawn afresh.
pub struct CaptionBatch {
    pub ids: Tensor<2, Int>,
    pub context: Tensor<2, Int>,
}

/// Adam on `loss_of(model, embeddings, captions)` over `indices` (fresh captions each
/// step).
fn fit<M: Module + Clone>(
    mut model: M,
    loss_of: impl Fn(&M, Tensor<2>, CaptionBatch) -> Tensor<1>,
    (clips, embeddings, indices): (&Clips, &[Vec<f64>], &[usize]),
    (tokenizer, epochs, settings, name): (&Tokenizer, usize, CaptioningSettings, &str),
    (prefix, device, rng): (usize, &Device, &mut SeededRng),
) -> anyhow::Result<(M, LossLog)> {
    let mut optimizer = AdamConfig::new().with_epsilon(1e-8).init();
    let mut log = LossLog::default();
    let bar = progress(
        (epochs * indices.len().div_ceil(settings.batch_size)) as u64,
        format!("training {name}"),
    );
    for epoch in 1..=epochs {
        let mut order = indices.to_vec();
        dl4mir_eval::split::shuffle(&mut order, rand_core::Rng::next_u64(rng));
        let batches: Vec<Vec<usize>> =
            order.chunks(settings.batch_size).map(<[usize]>::to_vec).collect();
        run_epoch(epoch, batches.into_iter(), &bar, settings.lr, &mut log, |batch| {
            let mut draw =
                |i: usize| tokenizer.encode(&random_caption(&clips.facts[i], rng).text).0;
            let ids: Vec<Vec<usize>> = batch.iter().map(|&i| draw(i)).collect();
            let context: Vec<Vec<usize>> =
                batch.iter().map(|&i| draw(i)[..prefix].to_vec()).collect();
            let rows: Vec<Vec<f64>> = batch.iter().map(|&i| embeddings[i].clone()).collect();
            let captions = CaptionBatch {
                ids: id_tensor(&ids, device),
                context: id_tensor(&context, device),
            };
            let loss = loss_of(&model, embedding_tensor(&rows, device), captions);
            let value = loss.clone().into_scalar::<f32>();
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            model = optimizer.step(settings.lr, model.clone(), grads);
            value
        })?;
    }
    bar.finish_and_clear();
    Ok((model, log))
}

/// Whether a caption names an attribute (`Some`), and if so rightly.
type AttributeCheck = dyn Fn(&str, &Facts) -> Option<bool>;

/// What a set of generated captions names, and how often rightly; their corpus BLEU.
pub fn score(texts: &[String], facts: &[&Facts]) -> anyhow::Result<Value> {
    let n = texts.len() as f64;
    let mut out = serde_json::Map::new();
    let attributes: [(&str, Box<AttributeCheck>); 4] = [
        ("effect", Box::new(|t, f| named_effect(t).map(|e| e == f.effect))),
        ("type", Box::new(|t, f| named_type(t).map(|e| e == f.effect_type))),
        ("pickup", Box::new(|t, f| named_pickup(t).map(|p| p == f.pickup))),
        ("register", Box::new(|t, f| named_register(t).map(|r| r == f.register()))),
    ];
    // Chance for "right when named": always naming the test clips' most common value.
    let majority = |key: &dyn Fn(&Facts) -> String| -> f64 {
        let mut counts = std::collections::BTreeMap::new();
        for f in facts {
            *counts.entry(key(f)).or_insert(0usize) += 1;
        }
        *counts.values().max().unwrap_or(&0) as f64 / n
    };
    let chances = [
        majority(&|f| f.effect.to_string()),
        majority(&|f| f.effect_type.name().to_string()),
        majority(&|f| format!("{:?}", f.pickup)),
        majority(&|f| format!("{:?}", f.register())),
    ];
    for ((name, check), chance) in attributes.into_iter().zip(chances) {
        let said: Vec<bool> =
            texts.iter().zip(facts).filter_map(|(t, f)| check(t, f)).collect();
        let right = said.iter().filter(|&&r| r).count();
        out.insert(
            name.into(),
            json!({ "named": said.len() as f64 / n, "right_when_named": right as f64 / said.len().max(1) as f64,
                    "right_of_all": right as f64 / n, "chance": chance }),
        );
    }
    let references: Vec<Vec<String>> = facts
        .iter()
        .map(|f| captions_of(f).into_iter().flatten().map(|c| c.text).collect())
        .collect();
    out.insert("bleu".into(), json!(dl4mir_eval::text::corpus_bleu(texts, &references)?));
    out.insert(
        "distinct_captions".into(),
        json!(texts.iter().collect::<std::collections::BTreeSet<_>>().len()),
    );
    Ok(Value::Object(out))
}

/// What part 5 reports, and a few captions to print in the book.
pub fn run(
    audio: &AudioTower,
    clips: &Clips,
    tokenizer: &Tokenizer,
    (config, settings): (CaptionerConfig, CaptioningSettings),
    (device, rng): (&Device, &mut SeededRng),
) -> anyhow::Result<(Value, Vec<(String, LossLog)>)> {
    let all: Vec<usize> = (0..clips.tracks.len()).collect();
    // Part 1's audio embeddings, computed once: the captioners only read them.
    let embeddings = embed_clips(audio, clips, &all, device);
    let train = &clips.train;
    let k = config.prefix;
    anyhow::ensure!(
        k < tokenizer.context,
        "a prefix of {k} needs captions of more than {k} tokens (they have {})",
        tokenizer.context
    );
    let (language_model, lm_log) = fit(
        config.decoder(device),
        // ANCHOR: pretraining
        // Ours: the language model reads another caption of the same clip in the prefix's
        // place, as GPT-2 reads the text before it; so it learns to use what stands there.
        |d: &Decoder, _, c: CaptionBatch| {
            let context = d.embed_words(c.context);
            caption_loss(d.forward(Some(context), c.ids.clone()), c.ids, k)
        },
        // ANCHOR_END: pretraining
        (clips, &embeddings, train),
        (
            tokenizer,
            settings.language_model_epochs,
            settings,
            "the decoder as a language model",
        ),
        (k, device, rng),
    )?;
    let captioner_loss = |c: &Captioner, e: Tensor<2>, captions: CaptionBatch| {
        caption_loss(
            c.decoder.forward(Some(c.prefix(e)), captions.ids.clone()),
            captions.ids,
            k,
        )
    };
    let fine_tuned = Captioner {
        mlp: Some(config.mlp_mapper(device)),
        transformer: None,
        decoder: language_model.clone(),
    };
    let (fine_tuned, mlp_log) = fit(
        fine_tuned,
        captioner_loss,
        (clips, &embeddings, train),
        (tokenizer, settings.epochs, settings, "ClipCap's MLP, decoder fine-tuned"),
        (k, device, rng),
    )?;
    let frozen = Captioner {
        mlp: None,
        transformer: Some(config.transformer_mapper(device)),
        decoder: language_model.clone().no_grad(),
    };
    let (frozen, transformer_log) = fit(
        frozen,
        captioner_loss,
        (clips, &embeddings, train),
        (
            tokenizer,
            settings.epochs,
            CaptioningSettings { lr: settings.frozen_mapper_lr, ..settings },
            "ClipCap's transformer mapper, decoder frozen",
        ),
        (k, device, rng),
    )?;
    let unchanged = same_parameters(&frozen.decoder, &language_model);

    let inference = device.clone().without_autodiff();
    let test = &clips.test;
    let facts: Vec<&Facts> = test.iter().map(|&i| &clips.facts[i]).collect();
    let test_embeddings: Vec<Vec<f64>> = test.iter().map(|&i| embeddings[i].clone()).collect();
    let max_tokens = tokenizer.context - 1;
    let text_of = |rows: Vec<Vec<usize>>| -> Vec<String> {
        rows.iter().map(|r| tokenizer.decode(r)).collect()
    };
    let mut metrics = serde_json::Map::new();
    let mut examples = serde_json::Map::new();
    // The baseline: the language model without any audio writes one caption for all.
    let lm = language_model.valid();
    let unconditioned = text_of(greedy(&lm, None, test.len(), max_tokens, &inference));
    metrics.insert("language_model_alone".into(), score(&unconditioned, &facts)?);
    examples.insert("language_model_alone".into(), json!(unconditioned[0]));
    for (name, model) in [("mlp_fine_tuned", &fine_tuned), ("transformer_frozen", &frozen)] {
        let valid = model.valid();
        let prefix = valid.prefix(embedding_tensor(&test_embeddings, &inference));
        let greedy_texts = text_of(greedy(
            &valid.decoder,
            Some(prefix.clone()),
            test.len(),
            max_tokens,
            &inference,
        ));
        let beam_texts: Vec<String> = (0..test.len())
            .map(|i| {
                tokenizer.decode(&beam(
                    &valid.decoder,
                    prefix.clone().slice_dim(0, i..i + 1),
                    BEAM_WIDTH,
                    max_tokens,
                    &inference,
                ))
            })
            .collect();
        // The same captioner, greedily, on clips of the strings it was trained on: what it
        // names there and not on the held-out string, it learned from cues of those strings.
        let seen = &clips.validation;
        let seen_embeddings: Vec<Vec<f64>> =
            seen.iter().map(|&i| embeddings[i].clone()).collect();
        let seen_texts = text_of(greedy(
            &valid.decoder,
            Some(valid.prefix(embedding_tensor(&seen_embeddings, &inference))),
            seen.len(),
            max_tokens,
            &inference,
        ));
        let seen_facts: Vec<&Facts> = seen.iter().map(|&i| &clips.facts[i]).collect();
        metrics.insert(
            name.into(),
            json!({
                "greedy": score(&greedy_texts, &facts)?, "beam": score(&beam_texts, &facts)?,
                "greedy_on_seen_strings": score(&seen_texts, &seen_facts)?,
            }),
        );
        examples.insert(
            name.into(),
            // Four clips spread over the test set (it is ordered by effect).
            crate::numbered((0..4).map(|j| j * test.len() / 4).map(|i| json!({
                "clip": clips.tracks[test[i]].id, "greedy": greedy_texts[i], "beam": beam_texts[i],
            }))),
        );
    }
    metrics.insert("frozen_decoder_unchanged".into(), json!(unchanged));
    metrics.insert("examples".into(), Value::Object(examples));
    metrics.insert(
        "setup".into(),
        json!({ "config": config, "settings": settings, "beam_width": BEAM_WIDTH }),
    );
    Ok((
        Value::Object(metrics),
        vec![
            ("language model".to_string(), lm_log),
            ("ClipCap MLP".to_string(), mlp_log),
            ("ClipCap transformer".to_string(), transformer_log),
        ],
    ))
}

/// Whether two decoders hold the same numbers (the frozen one must).
fn same_parameters(a: &Decoder, b: &Decoder) -> bool {
    a.fingerprint() == b.fingerprint()
}
