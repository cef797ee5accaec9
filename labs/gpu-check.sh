#!/usr/bin/env bash
# Days 3 and 4 on a GPU, ours (burn, Vulkan) and PyTorch (CUDA) side by side, in one go:
# the numbers of BENCHMARKS.md's GPU rows. Written for the workplace's lent NVIDIA machine,
# which has PyTorch and a driver but no Rust and no Vulkan loader, so everything else is
# carried in (see "Using a GPU" in the book):
#
#   .gl/    the Vulkan loader packages (apt-get download libvulkan1 ...)
#   .gpu/   release binaries built with `--features vulkan`, stripped and xz-compressed:
#           day3_epoch, day4_epoch (examples), day4-vae and/or day3-mlp (the labs)
#
# Run from the repository root. Prints one JSON line per measurement; the whole log and the
# labs' metrics.json go to $OUT.
set -u
OUT=${OUT:-/tmp/gpu-check}
mkdir -p "$OUT" /tmp/bin
for f in .gl/*.deb; do dpkg -x "$f" /; done
ldconfig
export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
export DL4MIR_DATA_HOME=/tmp/data PYTHONUNBUFFERED=1
for b in .gpu/*.xz; do xz -dc "$b" > "/tmp/bin/$(basename "$b" .xz)"; done
chmod +x /tmp/bin/*
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
nproc

step() { # name, command...: run and time it, keep its output in $OUT/all.log
  local name=$1; shift
  local start=$EPOCHREALTIME
  "$@" > "/tmp/$name.log" 2>&1
  local rc=$?
  echo "== $name rc=$rc $(awk "BEGIN { printf \"%.1f\", $EPOCHREALTIME - $start }") s"
  { echo "== $name: $*"; cat "/tmp/$name.log"; } >> "$OUT/all.log"
  grep '^{' "/tmp/$name.log" || tail -5 "/tmp/$name.log"
}

# Day 3: one --full epoch (98 steps of 32), ours twice (the second finds its kernels cached).
step day3_vulkan_first /tmp/bin/day3_epoch --device vulkan --epochs 5
step day3_vulkan_again /tmp/bin/day3_epoch --device vulkan --epochs 5
step day3_torch_cuda python3 labs/day3-mlp/twin.py --device cuda --epochs 5
# Day 4 at the notebook's size: the first layer as one product, then split-K.
step day4_vulkan_plain /tmp/bin/day4_epoch --device vulkan --setting full --split-k 1 --steps 20 --warmup 3
step day4_vulkan_splitk /tmp/bin/day4_epoch --device vulkan --setting full --split-k 180 --steps 30 --warmup 3
step day4_torch_cuda python3 labs/day4-vae/twin.py --device cuda --setting full --steps 50 --warmup 3
step day4_torch_cuda_splitk python3 labs/day4-vae/twin.py --device cuda --setting full --steps 50 --warmup 3 --split-k 180
# The labs themselves, as a student runs them, on the GPU.
# (A call carries at most 64 MiB: bring the lab binaries that fit.)
for lab in day3-mlp day4-vae; do
  [ -x "/tmp/bin/$lab" ] || continue
  step "${lab}_lab" timeout 150 "/tmp/bin/$lab" --device vulkan --out "/tmp/labs/$lab"
  cp "/tmp/labs/$lab/metrics.json" "$OUT/${lab}_metrics.json"
  tail -3 "/tmp/${lab}_lab.log"
done
