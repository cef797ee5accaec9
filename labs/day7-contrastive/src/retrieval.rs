//! Part 2: retrieval on the held-out string, text to audio and audio to text. A templated
//! caption is true of many clips ("delay on a low note from the neck pickup"), so a clip
//! counts as a right answer for a caption when everything the caption names is true of it;
//! recall@k and the median rank then count the best-placed right answer, each beside what
//! a random ranking scores with the same sets of right answers.

use crate::captions::{Caption, random_caption};
use crate::data::Clips;
use crate::model::{AudioTower, TextTower};
use crate::tokenizer::Tokenizer;
use crate::training::{embed_clips, embed_texts, similarities};
use burn::prelude::*;
use dl4mir_eval::retrieval::{
    chance_median_rank, chance_recall_at_k, median_rank_of_sets, recall_at_k_of_sets,
};
use dl4mir_train::SeededRng;
use serde_json::{Value, json};

/// R@1/5/10 and the median rank, and their chance levels.
pub fn scores(similarity: &[Vec<f64>], relevant: &[Vec<bool>]) -> anyhow::Result<Value> {
    let mut out = serde_json::Map::new();
    let mut chance = serde_json::Map::new();
    for k in [1, 5, 10] {
        out.insert(
            format!("recall_at_{k}"),
            json!(recall_at_k_of_sets(similarity, relevant, k)?),
        );
        chance.insert(format!("recall_at_{k}"), json!(chance_recall_at_k(relevant, k)?));
    }
    out.insert("median_rank".into(), json!(median_rank_of_sets(similarity, relevant)?));
    chance.insert("median_rank".into(), json!(chance_median_rank(relevant)?));
    let right: usize = relevant.iter().map(|r| r.iter().filter(|&&x| x).count()).sum();
    out.insert("mean_right_answers".into(), json!(right as f64 / relevant.len() as f64));
    out.insert("chance".into(), Value::Object(chance));
    Ok(Value::Object(out))
}

/// What part 2 hands on: the test captions and both similarity matrices.
pub struct Retrieval {
    /// The test clips' unit embeddings (the listening examples reuse them).
    pub audio: Vec<Vec<f64>>,
    /// `captions x clips`.
    pub text_to_audio: Vec<Vec<f64>>,
    pub metrics: Value,
}

/// One caption per test clip, drawn once (seeded): the queries of every model compared.
pub fn test_captions(clips: &Clips, rng: &mut SeededRng) -> Vec<Caption> {
    clips.test.iter().map(|&i| random_caption(&clips.facts[i], rng)).collect()
}

pub fn run(
    (audio_tower, text_tower): (&AudioTower, &TextTower),
    clips: &Clips,
    captions: Vec<Caption>,
    tokenizer: &Tokenizer,
    device: &Device,
) -> anyhow::Result<Retrieval> {
    let test = &clips.test;
    let texts: Vec<String> = captions.iter().map(|c| c.text.clone()).collect();
    let audio = embed_clips(audio_tower, clips, test, device);
    let text = embed_texts(text_tower, tokenizer, &texts, device);
    let text_to_audio = similarities(&text, &audio);
    let audio_to_text = similarities(&audio, &text);
    // relevant[q][i]: caption q is true of clip i.
    let caption_fits: Vec<Vec<bool>> = captions
        .iter()
        .map(|c| test.iter().map(|&i| c.is_true_of(&clips.facts[i])).collect())
        .collect();
    let clip_fits: Vec<Vec<bool>> = (0..test.len())
        .map(|i| (0..captions.len()).map(|q| caption_fits[q][i]).collect())
        .collect();
    let metrics = json!({
        "text_to_audio": scores(&text_to_audio, &caption_fits)?,
        "audio_to_text": scores(&audio_to_text, &clip_fits)?,
        // Only the clip's own caption counts (caption identity): MusCALL's protocol.
        "text_to_audio_own_caption_only": scores(&text_to_audio, &identity(test.len()))?,
        "test_clips": test.len(),
    });
    Ok(Retrieval { audio, text_to_audio, metrics })
}

fn identity(n: usize) -> Vec<Vec<bool>> {
    (0..n).map(|q| (0..n).map(|i| i == q).collect()).collect()
}

/// The book's listening examples: three text queries and the two test clips each finds
/// first, written as WAV files (the clip's first two seconds at 16 kHz).
pub const QUERIES: [&str; 3] = [
    "a guitar note with repeating echoes",
    "a guitar note with gritty overdrive",
    "a clean guitar note with no effect",
];

pub fn listen(
    (audio, text_tower): (&[Vec<f64>], &TextTower),
    clips: &Clips,
    tokenizer: &Tokenizer,
    out: &std::path::Path,
    device: &Device,
) -> anyhow::Result<Value> {
    let test = &clips.test;
    let texts: Vec<String> = QUERIES.iter().map(|q| q.to_string()).collect();
    let similarity = similarities(&embed_texts(text_tower, tokenizer, &texts, device), audio);
    let mut found = Vec::new();
    for (q, row) in similarity.iter().enumerate() {
        let mut order: Vec<usize> = (0..row.len()).collect();
        order.sort_by(|&a, &b| row[b].total_cmp(&row[a]));
        let mut hits = Vec::new();
        for (rank, &k) in order.iter().take(2).enumerate() {
            let track = &clips.tracks[test[k]];
            let file = format!("query{}_{}.wav", q + 1, rank + 1);
            let load = dl4mir_audio::LoadParams {
                sr: Some(16_000),
                offset: 0.0,
                duration: Some(2.0),
            };
            let (y, sr) = dl4mir_audio::load(&track.audio_path, &load)?;
            dl4mir_audio::write_wav(out.join(&file), &y, sr, dl4mir_audio::WavFormat::Int16)?;
            hits.push(json!({ "clip": track.id, "file": file, "similarity": row[k] }));
        }
        found.push(json!({ "query": QUERIES[q], "found": crate::numbered(hits) }));
    }
    Ok(crate::numbered(found))
}
