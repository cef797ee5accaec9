#!/usr/bin/env bash
# DDX7's training step, burn against PyTorch, same machine, same threads, one run:
#   bash labs/day6-synthesis/bench.sh [THREADS] [STEPS]
# (PyTorch: `pip install torch`; the Rust side is a dev build, whose dependencies are
# optimised: the lab's own code is thin glue around burn's kernels.)
set -euo pipefail
threads=${1:-2}
steps=${2:-10}
cd "$(dirname "$0")/../.."
cargo build -q -p day6-synthesis --example fm_step
RAYON_NUM_THREADS=$threads target/debug/examples/fm_step "$steps"
python3 labs/day6-synthesis/twin.py --threads "$threads" --steps "$steps"
