#!/usr/bin/env python3
"""dl4mir-audio against librosa, on the same 60 s of 48 kHz audio, in one run.

Requirements (pinned): librosa==0.11.0. From the repository root:

    python3 -m venv /tmp/librosa-ref && /tmp/librosa-ref/bin/pip install librosa==0.11.0
    /tmp/librosa-ref/bin/python crates/audio/benches/compare_librosa.py

Both sides run on one thread (BLAS/OpenMP pinned below, rayon pool of 1 in the Rust
timing example); each figure is the median of repeated runs after a warm-up. The Rust side
is built in release and run through `cargo run --release --example timing`.
"""

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[var] = "1"

import json  # noqa: E402
import pathlib  # noqa: E402
import platform  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import timeit  # noqa: E402

import librosa  # noqa: E402
import numpy as np  # noqa: E402
import soundfile  # noqa: E402

REPEATS = 15
SR = 48_000
ROOT = pathlib.Path(__file__).resolve().parents[3]


def median_ms(fn):
    fn()  # warm-up (numba compiles, caches fill)
    times = timeit.repeat(fn, number=1, repeat=REPEATS)
    return 1000 * float(np.median(times))


def main():
    t = np.arange(60 * SR) / SR
    rng = np.random.default_rng(0)
    y = (0.5 * np.sin(2 * np.pi * 440 * t) + 0.2 * np.sin(2 * np.pi * 3001 * t) + 0.05 * rng.uniform(-0.5, 0.5, t.size)).astype(np.float32)
    with tempfile.TemporaryDirectory() as tmp:
        wav = pathlib.Path(tmp) / "bench.wav"
        soundfile.write(wav, y, SR, subtype="FLOAT")
        y, _ = librosa.load(wav, sr=None)
        ours = json.loads(
            subprocess.run(
                ["cargo", "run", "--quiet", "--release", "-p", "dl4mir-audio", "--example", "timing", "--", str(wav), str(REPEATS)],
                cwd=ROOT, check=True, capture_output=True, text=True,
            ).stdout
        )

    kw = dict(n_fft=2048, hop_length=512)
    theirs = {
        "stft": median_ms(lambda: librosa.stft(y, **kw)),
        "melspectrogram": median_ms(lambda: librosa.feature.melspectrogram(y=y, sr=SR, n_mels=128, **kw)),
        "mfcc": median_ms(lambda: librosa.feature.mfcc(y=y, sr=SR, n_mels=128, n_mfcc=20, **kw)),
    }
    print(f"60 s of 48 kHz mono, n_fft 2048, hop 512, 128 mel bands, one thread; {platform.processor() or platform.machine()}")
    print(f"librosa {librosa.__version__}, numpy {np.__version__}")
    print()
    print("| function | dl4mir-audio (ms) | librosa (ms) | speed-up |")
    print("|---|---:|---:|---:|")
    for name, ms in theirs.items():
        mine = ours[f"{name}_ms"]
        print(f"| `{name}` | {mine:.1f} | {ms:.1f} | {ms / mine:.1f}x |")
    print()
    print(f"Batch: mel spectrograms of {ours['batch'][0]['clips']} five-second clips (rayon)")
    print()
    print("| threads | time (ms) | speed-up over 1 thread |")
    print("|---:|---:|---:|")
    base = ours["batch"][0]["ms"]
    for row in ours["batch"]:
        print(f"| {row['threads']} | {row['ms']:.1f} | {base / row['ms']:.2f}x |")


if __name__ == "__main__":
    main()
