//! Text metrics for Day 7's captions: corpus BLEU exactly as sacrebleu 2 computes it by
//! default (13a tokenization, n-grams up to 4, the closest reference length for the
//! brevity penalty, "exp" smoothing), checked against sacrebleu on fixed inputs.

use crate::error::{Error, Result, same_length};
use std::collections::HashMap;

/// sacrebleu's `13a` tokenizer (mteval-v13a): punctuation split off, periods and commas
/// unless beside a digit, a dash after a digit.
pub fn tokenize_13a(line: &str) -> Vec<String> {
    let line = line.replace("<skipped>", "").replace("-\n", "").replace('\n', " ");
    let line = line.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
    let symbol = |c: char| matches!(c, '{'..='~' | '['..='`' | ' '..='&' | '('..='+' | ':'..='@' | '/');
    let mut chars: Vec<char> = Vec::new();
    for c in format!(" {line} ").chars() {
        if symbol(c) {
            chars.extend([' ', c, ' ']);
        } else {
            chars.push(c);
        }
    }
    let digit = |c: char| c.is_ascii_digit();
    let period_or_comma = |c: char| c == '.' || c == ',';
    // Each of sacrebleu's three remaining patterns is two characters, matched left to right
    // without overlap, as `re.sub` does.
    let chars = pairs(&chars, |a, b| !digit(a) && period_or_comma(b), |a, b| vec![a, ' ', b, ' ']);
    let chars = pairs(&chars, |a, b| period_or_comma(a) && !digit(b), |a, b| vec![' ', a, ' ', b]);
    let chars = pairs(&chars, |a, b| digit(a) && b == '-', |a, b| vec![a, ' ', b, ' ']);
    chars.into_iter().collect::<String>().split_whitespace().map(str::to_string).collect()
}

fn pairs(
    chars: &[char],
    matches: impl Fn(char, char) -> bool,
    replace: impl Fn(char, char) -> Vec<char>,
) -> Vec<char> {
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        if i + 1 < chars.len() && matches(chars[i], chars[i + 1]) {
            out.extend(replace(chars[i], chars[i + 1]));
            i += 2;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

const MAX_ORDER: usize = 4;

fn ngrams(tokens: &[String]) -> HashMap<&[String], usize> {
    let mut counts = HashMap::new();
    for n in 1..=MAX_ORDER {
        for gram in tokens.windows(n) {
            *counts.entry(gram).or_insert(0) += 1;
        }
    }
    counts
}

/// Corpus BLEU (0 to 100) of `hypotheses` against each one's `references` (any number,
/// at least one each), as `sacrebleu.corpus_bleu` with its defaults.
pub fn corpus_bleu(hypotheses: &[String], references: &[Vec<String>]) -> Result<f64> {
    if hypotheses.is_empty() {
        return Err(Error::Empty("corpus_bleu"));
    }
    same_length("references vs hypotheses", references.len(), hypotheses.len())?;
    let (mut correct, mut total) = ([0usize; MAX_ORDER], [0usize; MAX_ORDER]);
    let (mut sys_len, mut ref_len) = (0usize, 0usize);
    for (hypothesis, refs) in hypotheses.iter().zip(references) {
        if refs.is_empty() {
            return Err(Error::Empty("the references of a hypothesis"));
        }
        let hyp = tokenize_13a(hypothesis.trim_end());
        let tokenized: Vec<Vec<String>> = refs.iter().map(|r| tokenize_13a(r.trim_end())).collect();
        // Each n-gram's count is clipped at its largest count in any one reference.
        let mut best: HashMap<&[String], usize> = HashMap::new();
        for r in &tokenized {
            for (gram, count) in ngrams(r) {
                let entry = best.entry(gram).or_insert(0);
                *entry = (*entry).max(count);
            }
        }
        for (gram, count) in ngrams(&hyp) {
            total[gram.len() - 1] += count;
            correct[gram.len() - 1] += count.min(best.get(gram).copied().unwrap_or(0));
        }
        // The closest reference length (the shorter on a tie).
        let closest = tokenized
            .iter()
            .map(Vec::len)
            .min_by_key(|&l| (l.abs_diff(hyp.len()), l))
            .expect("at least one reference");
        sys_len += hyp.len();
        ref_len += closest;
    }
    Ok(bleu_of(&correct, &total, sys_len, ref_len))
}

/// sacrebleu's `compute_bleu` with `smooth_method = "exp"`.
fn bleu_of(correct: &[usize; MAX_ORDER], total: &[usize; MAX_ORDER], sys_len: usize, ref_len: usize) -> f64 {
    if correct.iter().all(|&c| c == 0) {
        return 0.0;
    }
    let brevity = if sys_len < ref_len {
        if sys_len > 0 { (1.0 - ref_len as f64 / sys_len as f64).exp() } else { 0.0 }
    } else {
        1.0
    };
    let mut precisions = [0.0f64; MAX_ORDER];
    let mut smooth = 1.0;
    for n in 0..MAX_ORDER {
        if total[n] == 0 {
            break;
        }
        precisions[n] = if correct[n] == 0 {
            smooth *= 2.0;
            100.0 / (smooth * total[n] as f64)
        } else {
            100.0 * correct[n] as f64 / total[n] as f64
        };
    }
    // sacrebleu's `my_log`: log 0 is -9999999999.
    let log = |p: f64| if p == 0.0 { -9_999_999_999.0 } else { p.ln() };
    brevity * (precisions.iter().map(|&p| log(p)).sum::<f64>() / MAX_ORDER as f64).exp()
}
