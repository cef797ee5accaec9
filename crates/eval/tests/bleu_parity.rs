//! BLEU against sacrebleu 2.6.0's numbers, stored by fixtures/make_bleu_fixtures.py.

use dl4mir_eval::text::{corpus_bleu, tokenize_13a};
use serde_json::Value;

fn fixture() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bleu.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
}

#[test]
fn corpus_bleu_matches_sacrebleu() {
    let f = fixture();
    for case in ["captions", "smoothed_and_short", "no_four_gram_right", "nothing_right"] {
        let hypotheses = strings(&f[case]["hypotheses"]);
        let references: Vec<Vec<String>> =
            f[case]["references"].as_array().unwrap().iter().map(strings).collect();
        let ours = corpus_bleu(&hypotheses, &references).unwrap();
        let theirs = f[case]["bleu"].as_f64().unwrap();
        assert!((ours - theirs).abs() < 1e-9, "{case}: ours {ours}, sacrebleu {theirs}");
    }
}

#[test]
fn tokenization_is_13a() {
    for (line, tokens) in fixture()["tokens_13a"].as_object().unwrap() {
        assert_eq!(tokenize_13a(line), strings(tokens), "{line}");
    }
}

#[test]
fn a_hypothesis_without_references_is_refused() {
    let err = corpus_bleu(&["a chorus".into()], &[vec![]]).unwrap_err().to_string();
    assert!(err.contains("references"), "{err}");
}
