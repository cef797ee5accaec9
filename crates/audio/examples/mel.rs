//! Print a summary of a WAV file's mel spectrogram.
//!
//! ```text
//! cargo run -p dl4mir-audio --example mel -- path/to/file.wav [--n-mels 128] [--n-fft 2048] [--hop-length 512]
//! ```
//!
//! With no path, it analyses one of the three real EGFxSet recordings committed as test
//! fixtures in `datasets/tests/fixtures/egfxset-sample`.

use dl4mir_audio::feature::{MelSpectrogramParams, melspectrogram};
use dl4mir_audio::{DbParams, LoadParams, Ref, StftParams, load, power_to_db};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

struct Args {
    path: PathBuf,
    n_mels: usize,
    n_fft: usize,
    hop_length: usize,
}

fn parse_args() -> Result<Args, String> {
    let default = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../datasets/tests/fixtures/egfxset-sample/Clean/Middle/6-22.wav");
    let default = default.canonicalize().unwrap_or(default);
    let mut args = Args { path: default, n_mels: 128, n_fft: 2048, hop_length: 512 };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut number = |name: &str| -> Result<usize, String> {
            let value = it.next().ok_or(format!("{name} needs a value, e.g. `{name} 64`"))?;
            value.parse().map_err(|_| format!("{name} takes a whole number, not `{value}`"))
        };
        match arg.as_str() {
            "--n-mels" => args.n_mels = number("--n-mels")?,
            "--n-fft" => args.n_fft = number("--n-fft")?,
            "--hop-length" => args.hop_length = number("--hop-length")?,
            "-h" | "--help" => {
                println!("usage: mel [WAV] [--n-mels N] [--n-fft N] [--hop-length N]");
                std::process::exit(0);
            }
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`; try --help")),
            path => args.path = PathBuf::from(path),
        }
    }
    Ok(args)
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let (y, sr) =
        load(&args.path, &LoadParams { sr: None, ..Default::default() }).map_err(|e| e.to_string())?;
    let params = MelSpectrogramParams {
        sr,
        stft: StftParams { n_fft: args.n_fft, hop_length: Some(args.hop_length), ..Default::default() },
        n_mels: args.n_mels,
        ..Default::default()
    };
    let start = std::time::Instant::now();
    let mel = melspectrogram(&y, &params).map_err(|e| e.to_string())?;
    let elapsed = start.elapsed();
    let db = power_to_db(&mel, &DbParams { reference: Ref::Max, ..Default::default() })
        .map_err(|e| e.to_string())?;

    println!("{}", args.path.display());
    println!("  {} samples at {sr} Hz = {:.3} s", y.len(), y.len() as f64 / sr as f64);
    println!(
        "  mel spectrogram: {} bands x {} frames (n_fft {}, hop {} = {:.1} ms), computed in {:.2} ms",
        mel.nrows(),
        mel.ncols(),
        args.n_fft,
        args.hop_length,
        1000.0 * args.hop_length as f64 / sr as f64,
        elapsed.as_secs_f64() * 1000.0
    );
    // Where the energy is: the loudest band on average, and a coarse dB profile.
    let mean_db: Vec<f32> = db.rows().into_iter().map(|r| r.mean().unwrap_or(f32::NAN)).collect();
    let (loudest, level) = mean_db
        .iter()
        .enumerate()
        .fold((0, f32::NEG_INFINITY), |b, (i, &v)| if v > b.1 { (i, v) } else { b });
    let centres = dl4mir_audio::convert::mel_frequencies(args.n_mels + 2, 0.0, sr as f64 / 2.0, false);
    println!("  loudest band: #{loudest} (~{:.0} Hz), mean {level:.1} dB re peak", centres[loudest + 1]);
    println!("  mean level per band, low to high (dB re peak):");
    let n_groups = 8.min(mean_db.len());
    for g in 0..n_groups {
        let (lo, hi) = (g * mean_db.len() / n_groups, (g + 1) * mean_db.len() / n_groups);
        let avg = mean_db[lo..hi].iter().sum::<f32>() / (hi - lo) as f32;
        let bar = "#".repeat(((avg + 80.0).max(0.0) / 2.0) as usize);
        println!("    {:>6.0}-{:<6.0} Hz {avg:>6.1} {bar}", centres[lo], centres[hi + 1]);
    }
    Ok(())
}
