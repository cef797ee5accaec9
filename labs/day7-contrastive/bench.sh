#!/usr/bin/env bash
# The joint model's training step, burn against PyTorch, same machine, same threads, one run:
#   bash labs/day7-contrastive/bench.sh [THREADS] [STEPS]
# (PyTorch: `pip install torch`; the Rust side is a dev build, whose dependencies are
# optimised: the lab's own code is thin glue around burn's kernels.)
set -euo pipefail
threads=${1:-2}
steps=${2:-20}
cd "$(dirname "$0")/../.."
cargo build -q -p day7-contrastive --example contrastive_step
RAYON_NUM_THREADS=$threads target/debug/examples/contrastive_step "$steps"
python3 labs/day7-contrastive/twin.py --threads "$threads" --steps "$steps"
