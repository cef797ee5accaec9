//! Part 3: zero-shot effect classification. No classifier head: a clip's class is the
//! prompt nearest to it in the shared space. MusCALL prompts with the raw label; a template
//! puts the label in a sentence like the training captions. Then a true zero-shot test:
//! one effect's clips and captions are left out of training entirely, and its clips are
//! classified with a prompt made only of words seen in training.

use crate::captions::{Register, pickup_phrases, register_phrases};
use crate::data::Clips;
use crate::model::Towers;
use crate::tokenizer::{Tokenizer, words};
use crate::training::{embed_clips, embed_texts, similarities};
use burn::prelude::*;
use dl4mir_datasets::{Effect, Pickup};
use serde_json::{Value, json};

/// The raw label (MusCALL's prompt), e.g. `tube screamer`.
pub fn label_prompt(effect: Effect) -> String {
    effect.to_string()
}

/// The label in a sentence like the captions.
pub fn template_prompt(effect: Effect) -> String {
    match effect {
        Effect::Clean => "a clean guitar note with no effect".into(),
        e => format!("a guitar note through a {e}"),
    }
}

/// The predicted class of each clip: the nearest prompt.
pub fn classify(
    model: &Towers,
    clips: &Clips,
    indices: &[usize],
    prompts: &[String],
    tokenizer: &Tokenizer,
    device: &Device,
) -> Vec<usize> {
    let audio = embed_clips(&model.audio, clips, indices, device);
    nearest_prompts(model, &audio, prompts, tokenizer, device)
}

/// [`classify`] of clips already embedded (`audio[i]`, part 1's audio tower).
fn nearest_prompts(
    model: &Towers,
    audio: &[Vec<f64>],
    prompts: &[String],
    tokenizer: &Tokenizer,
    device: &Device,
) -> Vec<usize> {
    let text = embed_texts(&model.text, tokenizer, prompts, device);
    similarities(audio, &text)
        .iter()
        .map(|row| (0..row.len()).max_by(|&a, &b| row[a].total_cmp(&row[b])).unwrap_or(0))
        .collect()
}

/// Accuracy of `predicted` against the clips' effects, and the chance level (the largest
/// class's share: always guessing it).
pub fn accuracy(clips: &Clips, indices: &[usize], predicted: &[usize]) -> Value {
    let right =
        indices.iter().zip(predicted).filter(|(i, p)| clips.labels[**i] == **p).count();
    json!({ "accuracy": right as f64 / indices.len() as f64, "chance": majority_share(clips, indices) })
}

fn majority_share(clips: &Clips, indices: &[usize]) -> f64 {
    let labels: Vec<usize> = indices.iter().map(|&i| clips.labels[i]).collect();
    share_of_commonest(&labels, Effect::ALL.len())
}

/// The share of the commonest of `classes` classes among `labels`: always guessing it.
fn share_of_commonest(labels: &[usize], classes: usize) -> f64 {
    let mut counts = vec![0usize; classes];
    for &l in labels {
        counts[l] += 1;
    }
    *counts.iter().max().unwrap_or(&0) as f64 / labels.len().max(1) as f64
}

/// The held-out effect's prompt: its type and its character, in words of the training
/// captions (sweep echo: a delay whose repeats are swept like a modulation).
pub fn composed_prompt(effect: Effect) -> String {
    match effect {
        Effect::SweepEcho => "repeating echoes with a sweeping modulation".into(),
        Effect::TapeEcho => "a warm delay with repeating echoes".into(),
        Effect::Phaser => "a guitar note with a swirling modulation".into(),
        Effect::SpringReverb => "a guitar note with a spacious reverb".into(),
        e => format!("a guitar note with {}", e.effect_type().name()),
    }
}

/// Every word of `prompt` the tokenizer knows (else the test is not zero-shot by words).
pub fn unseen_words(prompt: &str, tokenizer: &Tokenizer) -> Vec<String> {
    words(prompt).into_iter().filter(|w| !tokenizer.knows(w)).collect()
}

/// The held-out effect's clips among all 13 prompts (its own composed, the others their
/// templates): how many land on their effect, how many on an effect of their type.
pub fn held_out_scores(
    model: &Towers,
    clips: &Clips,
    held_out: Effect,
    indices: &[usize],
    tokenizer: &Tokenizer,
    device: &Device,
) -> Value {
    let prompts: Vec<String> = Effect::ALL
        .iter()
        .map(|&e| if e == held_out { composed_prompt(e) } else { template_prompt(e) })
        .collect();
    let predicted = classify(model, clips, indices, &prompts, tokenizer, device);
    let own = Effect::ALL.iter().position(|&e| e == held_out).expect("one of the 13");
    let its_type = held_out.effect_type();
    let as_effect = predicted.iter().filter(|&&p| p == own).count();
    let as_type =
        predicted.iter().filter(|&&p| Effect::ALL[p].effect_type() == its_type).count();
    let of_type = Effect::ALL.iter().filter(|e| e.effect_type() == its_type).count();
    let n = indices.len() as f64;
    json!({
        "effect": held_out.to_string(), "prompt": composed_prompt(held_out), "clips": indices.len(),
        "as_its_effect": as_effect as f64 / n, "as_its_type": as_type as f64 / n,
        "chance_effect": 1.0 / Effect::ALL.len() as f64,
        "chance_type": of_type as f64 / Effect::ALL.len() as f64,
        "type": its_type.name(),
        "predicted": Effect::ALL.iter().enumerate().map(|(c, e)| (e.to_string(), predicted.iter().filter(|&&p| p == c).count())).filter(|(_, k)| *k > 0).collect::<std::collections::BTreeMap<_, _>>(),
    })
}

/// What the shared space tells of a clip beyond its effect: its register and its pickup,
/// each read as the nearest of that attribute's prompts, against always guessing the
/// test clips' most common value. Part 5's captioner can only name what this finds.
pub fn attributes_by_prompts(
    model: &Towers,
    clips: &Clips,
    indices: &[usize],
    tokenizer: &Tokenizer,
    device: &Device,
) -> Value {
    let registers = [Register::Low, Register::Middle, Register::High];
    let register_prompts: Vec<String> =
        registers.iter().map(|&r| register_phrases(r)[0].to_string()).collect();
    let register_truth: Vec<usize> = indices
        .iter()
        .map(|&i| registers.iter().position(|&r| r == clips.facts[i].register()).unwrap_or(0))
        .collect();
    let pickup_prompts: Vec<String> = Pickup::ALL
        .iter()
        .map(|&p| format!("a guitar note played on {}", pickup_phrases(p)[0]))
        .collect();
    let pickup_truth: Vec<usize> = indices
        .iter()
        .map(|&i| Pickup::ALL.iter().position(|&p| p == clips.facts[i].pickup).unwrap_or(0))
        .collect();
    let audio = embed_clips(&model.audio, clips, indices, device);
    let score = |prompts: &[String], truth: &[usize]| {
        let predicted = nearest_prompts(model, &audio, prompts, tokenizer, device);
        let right = predicted.iter().zip(truth).filter(|(p, t)| p == t).count();
        let n = truth.len().max(1) as f64;
        json!({ "accuracy": right as f64 / n, "chance": share_of_commonest(truth, prompts.len()) })
    };
    json!({
        "register": score(&register_prompts, &register_truth),
        "pickup": score(&pickup_prompts, &pickup_truth),
    })
}
