//! Retrieval metrics for Day 7 (audio <-> text): recall@k, median rank, average precision.
//!
//! For paired data, `similarity[q][i]` scores item `i` for query `q` and the one right
//! answer for query `q` is item `q` (the diagonal).

use crate::error::{Error, Result, same_length};

/// Rank (1 = best) of the right item of each query: 1 + the number of items scoring strictly
/// higher. Ties go in the right item's favour.
pub fn ranks(similarity: &[Vec<f64>]) -> Result<Vec<usize>> {
    if similarity.is_empty() {
        return Err(Error::Empty("ranks"));
    }
    similarity
        .iter()
        .enumerate()
        .map(|(q, row)| {
            same_length("similarity row vs number of queries", row.len(), similarity.len())?;
            Ok(1 + row.iter().filter(|&&s| s > row[q]).count())
        })
        .collect()
}

/// Fraction of queries whose right item is within the top `k`.
pub fn recall_at_k(similarity: &[Vec<f64>], k: usize) -> Result<f64> {
    let ranks = ranks(similarity)?;
    Ok(ranks.iter().filter(|&&r| r <= k).count() as f64 / ranks.len() as f64)
}

/// Median rank of the right item (the middle two averaged for an even count).
pub fn median_rank(similarity: &[Vec<f64>]) -> Result<f64> {
    Ok(median(ranks(similarity)?.into_iter().map(|r| r as f64).collect()))
}

/// Rank (1 = best) of the best-placed right item of each query when a query may have
/// several: `relevant[q][i]` says whether item `i` is right for query `q` (templated
/// captions fit many clips). 1 + the number of wrong items scoring strictly higher than the
/// best right one; ties go in the right items' favour. A query with no right item is an
/// error.
pub fn first_relevant_ranks(similarity: &[Vec<f64>], relevant: &[Vec<bool>]) -> Result<Vec<usize>> {
    if similarity.is_empty() {
        return Err(Error::Empty("first_relevant_ranks"));
    }
    same_length("relevance rows vs similarity rows", relevant.len(), similarity.len())?;
    similarity
        .iter()
        .zip(relevant)
        .map(|(row, right)| {
            same_length("relevance row vs similarity row", right.len(), row.len())?;
            let best =
                row.iter().zip(right).filter(|(_, r)| **r).map(|(s, _)| *s).fold(f64::NEG_INFINITY, f64::max);
            if best == f64::NEG_INFINITY {
                return Err(Error::Empty("the right items of a query"));
            }
            Ok(1 + row.iter().zip(right).filter(|(s, r)| !**r && **s > best).count())
        })
        .collect()
}

/// Fraction of queries with a right item within the top `k`.
pub fn recall_at_k_of_sets(similarity: &[Vec<f64>], relevant: &[Vec<bool>], k: usize) -> Result<f64> {
    let ranks = first_relevant_ranks(similarity, relevant)?;
    Ok(ranks.iter().filter(|&&r| r <= k).count() as f64 / ranks.len() as f64)
}

/// Median rank of the first right item.
pub fn median_rank_of_sets(similarity: &[Vec<f64>], relevant: &[Vec<bool>]) -> Result<f64> {
    let ranks = first_relevant_ranks(similarity, relevant)?.into_iter().map(|r| r as f64).collect();
    Ok(median(ranks))
}

/// The chance of a right item within the top `k` of a random order of `n` items of which
/// `r` are right: `1 - C(n - r, k) / C(n, k)`.
fn chance_of_top_k(n: usize, r: usize, k: usize) -> f64 {
    let none_in_top: f64 = (0..k.min(n)).map(|j| (n - r).saturating_sub(j) as f64 / (n - j) as f64).product();
    1.0 - none_in_top
}

/// Recall@k of a random ranking, averaged over the queries (each has its own number of
/// right items).
pub fn chance_recall_at_k(relevant: &[Vec<bool>], k: usize) -> Result<f64> {
    if relevant.is_empty() {
        return Err(Error::Empty("chance_recall_at_k"));
    }
    let each = relevant.iter().map(|row| chance_of_top_k(row.len(), row.iter().filter(|&&r| r).count(), k));
    Ok(each.sum::<f64>() / relevant.len() as f64)
}

/// The median rank a random ranking gives: for each query, the smallest rank whose chance
/// of holding the first right item is at least one half; their median over the queries.
pub fn chance_median_rank(relevant: &[Vec<bool>]) -> Result<f64> {
    if relevant.is_empty() {
        return Err(Error::Empty("chance_median_rank"));
    }
    let each = relevant
        .iter()
        .map(|row| {
            let (n, r) = (row.len(), row.iter().filter(|&&x| x).count());
            (1..=n).find(|&k| chance_of_top_k(n, r, k) >= 0.5).unwrap_or(n) as f64
        })
        .collect();
    Ok(median(each))
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 }
}

/// Average precision of one ranked list: the mean of the precision at each relevant item,
/// `AP = sum_n (R_n - R_(n-1)) P_n` over score thresholds from high to low (tied scores
/// form one threshold). Matches `sklearn.metrics.average_precision_score(relevant, scores)`.
pub fn average_precision(relevant: &[bool], scores: &[f64]) -> Result<f64> {
    same_length("average_precision", relevant.len(), scores.len())?;
    let total_relevant = relevant.iter().filter(|&&r| r).count();
    if total_relevant == 0 {
        return Err(Error::Parameter("average_precision needs at least one relevant item".into()));
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let (mut tp, mut seen, mut ap, mut last_recall) = (0usize, 0usize, 0.0, 0.0);
    let mut i = 0;
    while i < order.len() {
        // Take every item tied at this score at once.
        let threshold = scores[order[i]];
        while i < order.len() && scores[order[i]] == threshold {
            tp += usize::from(relevant[order[i]]);
            seen += 1;
            i += 1;
        }
        let recall = tp as f64 / total_relevant as f64;
        ap += (recall - last_recall) * (tp as f64 / seen as f64);
        last_recall = recall;
    }
    Ok(ap)
}

/// Mean of [`average_precision`] over queries.
pub fn mean_average_precision(relevant: &[Vec<bool>], scores: &[Vec<f64>]) -> Result<f64> {
    same_length("mean_average_precision", relevant.len(), scores.len())?;
    let aps: Vec<f64> =
        relevant.iter().zip(scores).map(|(r, s)| average_precision(r, s)).collect::<Result<_>>()?;
    Ok(aps.iter().sum::<f64>() / aps.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_of_right_answers() {
        // Query 0: items 1 and 2 are right; item 0 (wrong) scores highest, then item 2.
        // Query 1: only item 0 is right and it scores lowest of three.
        let similarity = vec![vec![0.9, 0.1, 0.5], vec![0.2, 0.8, 0.7]];
        let relevant = vec![vec![false, true, true], vec![true, false, false]];
        assert_eq!(first_relevant_ranks(&similarity, &relevant).unwrap(), [2, 3]);
        assert_eq!(recall_at_k_of_sets(&similarity, &relevant, 2).unwrap(), 0.5);
        assert_eq!(median_rank_of_sets(&similarity, &relevant).unwrap(), 2.5);
        // With the diagonal as the only right item, the sets agree with `ranks`.
        let diagonal = vec![vec![true, false, false], vec![false, true, false]];
        let square = vec![similarity[0].clone(), similarity[1].clone(), vec![0.0, 0.0, 1.0]];
        let mut diagonal_square = diagonal.clone();
        diagonal_square.push(vec![false, false, true]);
        assert_eq!(first_relevant_ranks(&square, &diagonal_square).unwrap(), ranks(&square).unwrap());
        let none = vec![vec![false, false, false], vec![true, false, false]];
        assert!(first_relevant_ranks(&similarity, &none).is_err());
    }

    #[test]
    fn chance_levels_by_counting() {
        // One right item of 10: recall@k = k / 10; its median rank is 5 (P(rank <= 5) = 0.5).
        let one_of_ten = vec![(0..10).map(|i| i == 0).collect::<Vec<_>>()];
        assert!((chance_recall_at_k(&one_of_ten, 1).unwrap() - 0.1).abs() < 1e-12);
        assert!((chance_recall_at_k(&one_of_ten, 5).unwrap() - 0.5).abs() < 1e-12);
        assert_eq!(chance_median_rank(&one_of_ten).unwrap(), 5.0);
        // Two right of 4, top 1: 1/2; top 2: 1 - C(2,2)/C(4,2) = 5/6.
        let two_of_four = vec![vec![true, true, false, false]];
        assert!((chance_recall_at_k(&two_of_four, 2).unwrap() - 5.0 / 6.0).abs() < 1e-12);
        assert_eq!(chance_median_rank(&two_of_four).unwrap(), 1.0);
    }
}
