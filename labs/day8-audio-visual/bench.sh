#!/usr/bin/env bash
# The mix-and-separate training step, burn against PyTorch, same machine, same threads, one run:
#   bash labs/day8-audio-visual/bench.sh [THREADS] [STEPS]
# (PyTorch: `pip install torch`; the Rust side is a dev build, whose dependencies are
# optimised: the lab's own code is thin glue around burn's kernels.)
set -euo pipefail
threads=${1:-2}
steps=${2:-20}
cd "$(dirname "$0")/../.."
cargo build -q -p day8-audio-visual --example separation_step
RAYON_NUM_THREADS=$threads target/debug/examples/separation_step "$steps"
python3 labs/day8-audio-visual/twin.py --threads "$threads" --steps "$steps"
