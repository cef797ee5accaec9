//! Cross-validation splits: k-fold, stratified k-fold, grouped k-fold.
//!
//! Without shuffling, the folds are exactly scikit-learn's (`KFold`, `StratifiedKFold`,
//! `GroupKFold`; tested). With a seed they are shuffled by this crate's own generator: the
//! same seed gives the same folds on every machine, but not numpy's folds.
//!
//! The labs hold out whole guitar strings: [`group_k_fold`] with `groups = strings` never
//! lets one string's notes appear in both training and test data.

use crate::error::{Error, Result};
use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

/// One split: indices of the training and test samples, each sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fold {
    pub train: Vec<usize>,
    pub test: Vec<usize>,
}

/// Turn a fold number per sample into `k` folds.
fn folds_from_assignment(assignment: &[usize], k: usize) -> Vec<Fold> {
    (0..k)
        .map(|f| {
            let (test, train): (Vec<usize>, Vec<usize>) =
                (0..assignment.len()).partition(|&i| assignment[i] == f);
            Fold { train, test }
        })
        .collect()
}

fn check_k(k: usize, available: usize, what: &str) -> Result<()> {
    if k < 2 || k > available {
        return Err(Error::Parameter(format!(
            "k={k} folds need 2 <= k <= {available} (the number of {what})"
        )));
    }
    Ok(())
}

/// A seeded Fisher-Yates shuffle: the same seed gives the same order on every machine.
pub fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for i in (1..items.len()).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

/// `k` folds of `n` samples: contiguous blocks (the first `n % k` one sample larger), after
/// a seeded shuffle if `shuffle_seed` is given. Matches `sklearn.model_selection.KFold(k)`.
pub fn k_fold(n: usize, k: usize, shuffle_seed: Option<u64>) -> Result<Vec<Fold>> {
    check_k(k, n, "samples")?;
    let mut order: Vec<usize> = (0..n).collect();
    if let Some(seed) = shuffle_seed {
        shuffle(&mut order, seed);
    }
    let mut assignment = vec![0; n];
    let mut start = 0;
    for f in 0..k {
        let size = n / k + usize::from(f < n % k);
        for &i in &order[start..start + size] {
            assignment[i] = f;
        }
        start += size;
    }
    Ok(folds_from_assignment(&assignment, k))
}

/// `k` folds that keep each class's proportion in every fold.
/// Matches `sklearn.model_selection.StratifiedKFold(k)` (tested); with a seed, each class's
/// fold labels are shuffled as scikit-learn's `shuffle=True` does, by our generator.
pub fn stratified_k_fold(labels: &[usize], k: usize, shuffle_seed: Option<u64>) -> Result<Vec<Fold>> {
    check_k(k, labels.len(), "samples")?;
    // Classes numbered by first appearance, as scikit-learn encodes them.
    let mut first_seen: Vec<usize> = Vec::new();
    let encoded: Vec<usize> = labels
        .iter()
        .map(|l| {
            first_seen.iter().position(|s| s == l).unwrap_or_else(|| {
                first_seen.push(*l);
                first_seen.len() - 1
            })
        })
        .collect();
    let n_classes = first_seen.len();
    // Deal the sorted labels round-robin into the folds: fold f gets per_class[c][f] of class c.
    let mut sorted = encoded.clone();
    sorted.sort_unstable();
    let mut per_class = vec![vec![0usize; k]; n_classes];
    for (i, &c) in sorted.iter().enumerate() {
        per_class[c][i % k] += 1;
    }
    let mut assignment = vec![0; labels.len()];
    for (c, counts) in per_class.iter().enumerate() {
        let mut folds_for_class: Vec<usize> =
            counts.iter().enumerate().flat_map(|(f, &n)| std::iter::repeat_n(f, n)).collect();
        if let Some(seed) = shuffle_seed {
            shuffle(&mut folds_for_class, seed.wrapping_add(c as u64));
        }
        let members = (0..labels.len()).filter(|&i| encoded[i] == c);
        for (i, f) in members.zip(folds_for_class) {
            assignment[i] = f;
        }
    }
    Ok(folds_from_assignment(&assignment, k))
}

/// `k` folds in which each group (e.g. a guitar string) lies wholly in one test fold.
///
/// Without a seed: the largest groups first, each into the fold with the fewest samples so
/// far, as `sklearn.model_selection.GroupKFold(k)` (tested). With a seed: the groups are
/// shuffled and dealt into `k` nearly equal runs, as its `shuffle=True`.
pub fn group_k_fold(groups: &[usize], k: usize, shuffle_seed: Option<u64>) -> Result<Vec<Fold>> {
    let mut unique: Vec<usize> = groups.to_vec();
    unique.sort_unstable();
    unique.dedup();
    check_k(k, unique.len(), "groups")?;
    let group_index = |g: usize| unique.binary_search(&g).expect("from the same list");
    let mut fold_of_group = vec![0usize; unique.len()];
    match shuffle_seed {
        None => {
            let mut sizes = vec![0usize; unique.len()];
            for &g in groups {
                sizes[group_index(g)] += 1;
            }
            let mut by_size: Vec<usize> = (0..unique.len()).collect();
            by_size.sort_by_key(|&g| sizes[g]); // stable, ascending ...
            by_size.reverse(); // ... then reversed, as numpy's argsort(kind="stable")[::-1]
            let mut fold_sizes = vec![0usize; k];
            for g in by_size {
                let lightest = (0..k).min_by_key(|&f| fold_sizes[f]).expect("k >= 2");
                fold_sizes[lightest] += sizes[g];
                fold_of_group[g] = lightest;
            }
        }
        Some(seed) => {
            let mut order: Vec<usize> = (0..unique.len()).collect();
            shuffle(&mut order, seed);
            // numpy.array_split: the first len % k runs one longer.
            let mut start = 0;
            for f in 0..k {
                let size = unique.len() / k + usize::from(f < unique.len() % k);
                for &g in &order[start..start + size] {
                    fold_of_group[g] = f;
                }
                start += size;
            }
        }
    }
    let assignment: Vec<usize> = groups.iter().map(|&g| fold_of_group[group_index(g)]).collect();
    Ok(folds_from_assignment(&assignment, k))
}
