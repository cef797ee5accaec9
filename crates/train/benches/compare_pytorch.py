#!/usr/bin/env python3
"""burn's CPU backend (flex) against PyTorch on the CPU, the same models, the same thread
count, in one run.

Requirements: torch (any recent CPU or CUDA build; it runs on the CPU here). From the
repository root:

    python3 -m venv /tmp/torch-ref && /tmp/torch-ref/bin/pip install torch numpy
    /tmp/torch-ref/bin/python crates/train/benches/compare_pytorch.py [threads ...]

For each thread count (default: 1 and all cores) the Rust side runs
`crates/train/examples/step_timing.rs` (release build) with RAYON_NUM_THREADS set, and
PyTorch runs the same cases with torch.set_num_threads. Each figure is a median after a
warm-up. Cases:

* mlp_example: Linear(16, 32) - ReLU - Linear(32, 3), batch 32, one Adam step;
* day3_mlp: Linear(1856, 64) - ReLU - Linear(64, 2), batch 32, one Adam step;
* wide_linear / wide_split_k: forward and backward of Day 4's first layer,
  Linear(235,980, 512) at batch 4, plain and split into 180 chunks;
* adam_update_120m: Adam's update alone over that layer's 120.8 M weights;
* zeros_120m: a zero-filled tensor of that size (the cost of a large result's memory).
"""

import json
import os
import pathlib
import platform
import subprocess
import sys
import time

import numpy as np
import torch

ROOT = pathlib.Path(__file__).resolve().parents[3]
DAY4_INPUT = 235_980


def median_ms(fn, repeats):
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * float(np.median(times))


def inputs(rows, cols):
    i = np.arange(rows * cols, dtype=np.int64)
    return torch.from_numpy(((i * 7919 % 2003) / 1001.5 - 1.0).astype(np.float32).reshape(rows, cols))


def mlp_step_ms(sizes, batch, repeats):
    model = torch.nn.Sequential(torch.nn.Linear(sizes[0], sizes[1]), torch.nn.ReLU(), torch.nn.Linear(sizes[1], sizes[2]))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    x = inputs(batch, sizes[0])
    y = torch.arange(batch) % sizes[2]

    def step():
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()

    return median_ms(step, repeats)


def wide_layer_ms(chunks, repeats):
    layer = torch.nn.Linear(DAY4_INPUT, 512)
    x = inputs(4, DAY4_INPUT).requires_grad_()
    w = layer.weight  # PyTorch stores [out, in]; split-K splits the inner dimension alike

    def plain():
        x.grad = None
        layer.zero_grad()
        layer(x).sum().backward()

    def split():
        x.grad = None
        layer.zero_grad()
        c = DAY4_INPUT // chunks
        xs = x.reshape(4, chunks, c).transpose(0, 1)  # [k, batch, c]
        ws = w.t().reshape(chunks, c, 512)  # [k, c, out]
        (torch.bmm(xs, ws).sum(0) + layer.bias).sum().backward()

    return median_ms(split if chunks else plain, repeats)


def adam_update_ms(repeats):
    layer = torch.nn.Linear(DAY4_INPUT, 512, bias=False)
    optimizer = torch.optim.Adam(layer.parameters(), lr=1e-3)
    layer.weight.grad = torch.full_like(layer.weight, 1e-3)
    return median_ms(optimizer.step, repeats)


def theirs(threads, repeats):
    torch.manual_seed(0)
    torch.set_num_threads(threads)
    return {
        "mlp_example_step_ms": mlp_step_ms([16, 32, 3], 32, repeats * 20),
        "day3_mlp_step_ms": mlp_step_ms([1856, 64, 2], 32, repeats * 10),
        "wide_linear_ms": wide_layer_ms(None, repeats),
        "wide_split_k_ms": wide_layer_ms(180, repeats),
        "adam_update_120m_ms": adam_update_ms(3),
        "zeros_120m_ms": median_ms(lambda: torch.zeros(DAY4_INPUT, 512)[0, 0].item(), repeats),
    }


def ours(threads, repeats):
    env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
    command = ["cargo", "run", "--quiet", "--release", "-p", "dl4mir-train", "--example", "step_timing", "--", str(repeats)]
    return json.loads(subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout)


def main():
    repeats = 5
    thread_counts = [int(t) for t in sys.argv[1:]] or sorted({1, os.cpu_count()})
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores; torch {torch.__version__}")
    print()
    print("| case | threads | burn flex (ms) | PyTorch (ms) | burn / PyTorch |")
    print("|---|---:|---:|---:|---:|")
    for threads in thread_counts:
        mine, reference = ours(threads, repeats), theirs(threads, repeats)
        for key, ms in reference.items():
            name = key.removesuffix("_ms")
            print(f"| {name} | {threads} | {mine[key]:.3f} | {ms:.3f} | {mine[key] / ms:.2f}x |")


if __name__ == "__main__":
    main()
