"""The Day 3 network in PyTorch: the same model, optimiser and batches, for timing.

    python labs/day3-mlp/twin.py --twin target/labs/day3-mlp/twin.json   # the run's own features
    python labs/day3-mlp/twin.py --device cuda                           # random notes, --full size

With --twin it reads the features the lab cached (a .npy file, in dB), scales them as the
run did and trains on the run's training notes; without, it trains on random inputs of the --full run's shape (3,105
notes of 1,856 values, batch 32, 98 steps an epoch). Prints one JSON line with the median
epoch time over --epochs epochs after one warm-up epoch, like `examples/day3_epoch.rs`.
"""

import argparse
import json
import os
import time

import numpy as np
import torch
from torch import nn


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--twin", help="twin.json written by `cargo run -p day3-mlp`")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("RAYON_NUM_THREADS", "0")) or None)
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    device = torch.device(args.device)

    if args.twin:
        twin = json.load(open(args.twin))
        features = np.load(twin["features"])
        labels = np.array(twin["labels"])
        train = np.array(twin["train"])
        if twin["scaling"] == "per_feature":  # the training notes' mean and std, as the lab
            mean, std = features[train].mean(axis=0), features[train].std(axis=0)
            features = (features - mean) / np.where(std > 1e-12, std, 1.0)
        else:  # the notebook's: each note over its own cells
            mean, std = features.mean(axis=1, keepdims=True), features.std(axis=1, keepdims=True)
            features = (features - mean) / np.where(std > 0, std, np.inf)
        x, y = features[train].astype(np.float32), labels[train]
        hidden, classes, lr, batch = twin["hidden"], twin["classes"], twin["lr"], twin["batch_size"]
        source = "lab features"
    else:
        rows, width = 3105, 1856
        x = (np.arange(rows * width, dtype=np.int64) * 7919 % 10007).astype(np.float32).reshape(rows, width) / 5003.5 - 1.0
        y = np.arange(rows) % 2
        hidden, classes, lr, batch = [64], 2, 0.01, 32
        source = "random"

    layers, width = [], x.shape[1]
    for units in hidden:
        layers += [nn.Linear(width, units), nn.ReLU()]
        width = units
    model = nn.Sequential(*layers, nn.Linear(width, classes)).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, eps=1e-8)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.tensor(x, dtype=torch.float32, device=device)
    y = torch.tensor(y, dtype=torch.long, device=device)

    times = []
    for _ in range(args.epochs + 1):
        start = time.perf_counter()
        order = torch.randperm(len(x), device=device)
        for i in range(0, len(x), batch):
            rows = order[i : i + batch]
            loss = loss_fn(model(x[rows]), y[rows])
            loss.item()  # the lab reads every loss too
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        if device.type == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    first = times.pop(0)
    times.sort()
    steps = (len(x) + batch - 1) // batch
    epoch = times[len(times) // 2]
    print(json.dumps({
        "model": "mlp", "framework": "pytorch " + torch.__version__, "device": args.device, "inputs": x.shape[1],
        "batch": batch, "threads": torch.get_num_threads(), "data": source, "first_epoch_s": first,
        "epoch_s": epoch, "steps_per_epoch": steps, "ms_per_step": 1e3 * epoch / steps,
    }))


if __name__ == "__main__":
    main()
