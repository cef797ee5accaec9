//! BSS Eval against mir_eval 0.8.2 (`tests/fixtures/make_bss_eval_fixtures.py` writes the
//! numbers; the signals are remade here from the same formula).

use dl4mir_eval::bss_eval::bss_eval_sources;
use dl4mir_eval::separation;
use serde_json::Value;

mod common;
use common::lcg_noise;

fn fixture() -> Value {
    serde_json::from_str(include_str!("fixtures/bss_eval.json")).unwrap()
}

fn source(k: usize, n: usize) -> Vec<f64> {
    let f = 110.0 * (k + 1) as f64 * 1.37;
    let noise = lcg_noise(100 + k as u64, n);
    (0..n)
        .map(|t| {
            let t_f = t as f64;
            let sine = (std::f64::consts::TAU * f * t_f / 8000.0 + 0.3 * k as f64).sin();
            sine * (-t_f / n as f64).exp() + 0.5 * noise[t]
        })
        .collect()
}

fn estimate(references: &[Vec<f64>], j: usize) -> Vec<f64> {
    let (sources, n) = (references.len(), references[0].len());
    let noise = lcg_noise(200 + j as u64, n);
    (0..n)
        .map(|t| {
            let own = if t >= 3 { references[j][t - 3] } else { 0.0 };
            let leak = if sources > 1 { references[(j + 1) % sources][t] } else { 0.0 };
            0.9 * own + 0.3 * leak + 0.2 * noise[t]
        })
        .collect()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

fn close(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() < 1e-9, "{what}: {got} vs mir_eval's {want}");
}

#[test]
fn sdr_sir_and_sar_match_mir_eval() {
    let fixture = fixture();
    for name in ["two_sources", "three_sources"] {
        let case = &fixture["cases"][name];
        let (sources, n) =
            (case["sources"].as_u64().unwrap() as usize, case["samples"].as_u64().unwrap() as usize);
        let references: Vec<Vec<f64>> = (0..sources).map(|k| source(k, n)).collect();
        let estimates: Vec<Vec<f64>> = (0..sources).map(|j| estimate(&references, j)).collect();
        let measures = bss_eval_sources(&references, &estimates).unwrap();
        for (j, m) in measures.iter().enumerate() {
            close(m.sdr, floats(&case["sdr"])[j], &format!("{name}: SDR of {j}"));
            close(m.sir, floats(&case["sir"])[j], &format!("{name}: SIR of {j}"));
            close(m.sar, floats(&case["sar"])[j], &format!("{name}: SAR of {j}"));
        }
    }
}

#[test]
fn a_partial_estimate_scores_below_its_plain_sdr() {
    let case = &fixture()["cases"]["half_plus_noise"];
    let n = case["samples"].as_u64().unwrap() as usize;
    let s = lcg_noise(1, n);
    let noise = lcg_noise(2, n);
    let scale = (s.iter().map(|v| v * v).sum::<f64>() / noise.iter().map(|v| v * v).sum::<f64>()).sqrt();
    let half: Vec<f64> = s.iter().zip(&noise).map(|(a, e)| 0.5 * a + scale * e).collect();
    let plain = separation::sdr(&s, &half).unwrap();
    close(plain, case["plain_sdr"].as_f64().unwrap(), "plain SDR");
    let bss = bss_eval_sources(&[s], &[half]).unwrap()[0];
    close(bss.sdr, floats(&case["sdr"])[0], "BSS Eval SDR");
    assert!(bss.sir.is_infinite(), "one source: no interference, SIR {}", bss.sir);
    assert!(bss.sdr < plain - 4.0, "BSS Eval {:.2} dB, plain {plain:.2} dB", bss.sdr);
}

#[test]
fn bad_input_is_one_clear_line() {
    let tone: Vec<f64> = (0..600).map(|t| (t as f64 * 0.1).sin()).collect();
    let silent = vec![0.0; 600];
    let err = bss_eval_sources(&[tone.clone(), silent.clone()], &[tone.clone(), tone.clone()]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "bss_eval_sources: reference 1 is silent; BSS Eval is undefined for it (skip silent sources, as Sound of Pixels does)"
    );
    let err = bss_eval_sources(std::slice::from_ref(&tone), &[tone[..500].to_vec()]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "bss_eval_sources: estimate 0 has 500 samples, reference 0 has 600; cut or pad them to one length"
    );
    let err = bss_eval_sources(std::slice::from_ref(&tone), &[]).unwrap_err();
    assert!(err.to_string().contains("1 references but 0 estimates"), "{err}");
}

#[test]
fn several_sets_score_as_each_set_alone() {
    let references: Vec<Vec<f64>> = (0..2).map(|k| source(k, 2000)).collect();
    let first: Vec<Vec<f64>> = (0..2).map(|j| estimate(&references, j)).collect();
    let second: Vec<Vec<f64>> = first.iter().rev().cloned().collect(); // swapped: poor
    let together =
        dl4mir_eval::bss_eval::bss_eval_sources_sets(&references, &[first.clone(), second.clone()]).unwrap();
    for (set, alone) in [first, second].iter().zip(&together) {
        let one = bss_eval_sources(&references, set).unwrap();
        for (a, b) in one.iter().zip(alone) {
            assert!(
                (a.sdr - b.sdr).abs() < 1e-9 && (a.sir - b.sir).abs() < 1e-9 && (a.sar - b.sar).abs() < 1e-9
            );
        }
    }
    assert!(together[0][0].sdr > together[1][0].sdr + 5.0);
}
