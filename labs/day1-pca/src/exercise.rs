//! Exercise: which features separate two, then three, effects best? (The chapter folds
//! this solution away; its test checks it runs and that its scores mean what they say.)

use crate::features::{self, FeatureSet};
use crate::pca::{covariance, project_2d, standardise, top_eigenpairs};
use crate::separability::{cross_validated_accuracy, fisher_criterion};
use rand_chacha::ChaCha8Rng;

/// Folds of the cross-validated accuracy: two of the six strings held out in each.
pub const FOLDS: usize = 3;

/// One cell of the table: a feature set, a number of effects, its scores.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Score {
    pub features: &'static str,
    #[serde(skip)]
    pub description: &'static str,
    pub effects: usize,
    /// Fisher's `J` of the 2-D projection of every note.
    pub fisher: f64,
    /// Nearest-centroid accuracy of the 2-D projection on held-out strings.
    /// (`None` when the notes are too few to hold strings out.)
    pub accuracy: Option<f64>,
}

// ANCHOR: solution
/// Standardise, PCA to two dimensions, score with Fisher's criterion; and the accuracy
/// of the same recipe on strings it never saw (see `cross_validated_accuracy`).
pub fn separability(
    set: FeatureSet,
    excerpts: &[Vec<f32>],
    (labels, strings): (&[usize], &[usize]),
    rng: &mut ChaCha8Rng,
) -> anyhow::Result<(f64, Option<f64>)> {
    let x = features::matrix(set, excerpts)?;
    let z = standardise(&x);
    let top = top_eigenpairs(&covariance(&z)?, 2, rng)?;
    let points = project_2d(&z, &top[0].vector, &top[1].vector);
    Ok((
        fisher_criterion(&points, labels),
        cross_validated_accuracy(&x, labels, strings, FOLDS)?,
    ))
}

/// Every feature set on the first two effects, then on all the effects given.
pub fn compare_feature_sets(
    excerpts: &[Vec<f32>],
    (labels, strings): (&[usize], &[usize]),
    rng: &mut ChaCha8Rng,
) -> anyhow::Result<Vec<Score>> {
    let n_effects = labels.iter().max().map_or(0, |m| m + 1);
    let first_two: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] < 2).collect();
    let pick = |values: &[usize]| first_two.iter().map(|&i| values[i]).collect::<Vec<_>>();
    let two_excerpts: Vec<Vec<f32>> = first_two.iter().map(|&i| excerpts[i].clone()).collect();
    let (two_labels, two_strings) = (pick(labels), pick(strings));
    let mut cases = vec![(2, &two_excerpts[..], &two_labels[..], &two_strings[..])];
    if n_effects > 2 {
        cases.push((n_effects, excerpts, labels, strings));
    }
    let mut scores = Vec::new();
    for set in FeatureSet::ALL {
        for &(effects, x, y, s) in &cases {
            let (fisher, accuracy) = separability(set, x, (y, s), rng)?;
            scores.push(Score {
                features: set.name(),
                description: set.description(),
                effects,
                fisher,
                accuracy,
            });
        }
    }
    Ok(scores)
}
// ANCHOR_END: solution

/// The scores of two and three effects as a Markdown table, one row per feature set (the
/// book includes it): `J` and the accuracy on held-out strings, with chance beside it.
pub fn table(scores: &[Score], effects: &[String]) -> String {
    let (two, three) = (effects[..2].join(" vs "), format!("+ {}", effects[2]));
    let mut lines = vec![
        format!(
            "| features | J, {two} | J, {three} | accuracy, {two} (chance 50%) | accuracy, {three} (chance 33%) |"
        ),
        "|---|---:|---:|---:|---:|".to_string(),
    ];
    for pair in scores.chunks(2) {
        lines.push(format!(
            "| {} | {:.2} | {:.2} | {} | {} |",
            pair[0].description,
            pair[0].fisher,
            pair[1].fisher,
            percent(pair[0].accuracy),
            percent(pair[1].accuracy)
        ));
    }
    lines.join("\n") + "\n"
}

fn percent(accuracy: Option<f64>) -> String {
    accuracy.map_or("n/a".into(), |a| format!("{:.0}%", 100.0 * a))
}

/// The best feature set by accuracy among the scores of `effects` effects, and its score.
pub fn best(scores: &[Score], effects: usize) -> Option<&Score> {
    let key = |s: &Score| s.accuracy.unwrap_or(f64::NEG_INFINITY);
    scores.iter().filter(|s| s.effects == effects).max_by(|a, b| key(a).total_cmp(&key(b)))
}
