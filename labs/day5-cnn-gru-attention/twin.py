"""The Day 5 models in PyTorch: the same CNN, GRU and transformer, optimiser and batch
size, for timing one --full epoch against `examples/day5_epoch.rs`.

    python labs/day5-cnn-gru-attention/twin.py                  # CPU, all three models
    python labs/day5-cnn-gru-attention/twin.py --device cuda --model cnn

Trains on random inputs of the --full run's shape (6,727 notes of 64 x 87 log-mel values,
13 classes, batch 32: 211 steps an epoch). Prints one JSON line per model with the median
epoch time over --epochs epochs after one warm-up epoch, like the Rust example.
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
from torch import nn

MELS, FRAMES, CLASSES, NOTES = 64, 87, 13, 6727
LEARNING_RATES = {"cnn": 3e-3, "gru": 1e-2, "attention": 3e-3}  # as Architecture::default_lr


def block(c_in, c_out):
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU(), nn.MaxPool2d(2))


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.Sequential(block(1, 16), block(16, 32), block(32, 64))
        self.head = nn.Linear(64, CLASSES)

    def forward(self, x):  # [batch, mels, frames]
        return self.head(self.blocks(x.unsqueeze(1)).mean(dim=(2, 3)))


class GruClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(MELS, 64, batch_first=True)
        self.head = nn.Linear(64, CLASSES)

    def forward(self, x):
        states, _ = self.gru(x.transpose(1, 2))
        return self.head(states.mean(dim=1))


class EncoderLayer(nn.Module):
    """Pre-norm: x + attention(norm(x)), then x + feed-forward(norm(x))."""

    def __init__(self, d_model, heads, dropout):
        super().__init__()
        self.norm_1 = nn.LayerNorm(d_model)
        self.attention = nn.MultiheadAttention(d_model, heads, dropout=dropout, batch_first=True)
        self.norm_2 = nn.LayerNorm(d_model)
        self.feed = nn.Sequential(nn.Linear(d_model, 2 * d_model), nn.GELU(), nn.Linear(2 * d_model, d_model))
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        h = self.norm_1(x)
        context, _ = self.attention(h, h, h, need_weights=True, average_attn_weights=False)
        x = x + self.dropout(context)
        return x + self.dropout(self.feed(self.norm_2(x)))


class AttentionClassifier(nn.Module):
    def __init__(self, d_model=64, heads=4, layers=2):
        super().__init__()
        self.project = nn.Linear(MELS, d_model)
        position = torch.arange(FRAMES).unsqueeze(1)
        angle = position / torch.pow(10000.0, torch.arange(0, d_model, 2) / d_model)
        table = torch.zeros(FRAMES, d_model)
        table[:, 0::2], table[:, 1::2] = torch.sin(angle), torch.cos(angle)
        self.register_buffer("positions", table)
        self.layers = nn.ModuleList(EncoderLayer(d_model, heads, 0.1) for _ in range(layers))
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, CLASSES)

    def forward(self, x):
        h = self.project(x.transpose(1, 2)) + self.positions
        for layer in self.layers:
            h = layer(h)
        return self.head(self.norm(h).mean(dim=1))


MODELS = {"cnn": Cnn, "gru": GruClassifier, "attention": AttentionClassifier}


def time_epochs(name, x, y, device, epochs):
    torch.manual_seed(42)
    model = MODELS[name]().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATES[name], eps=1e-8)
    loss_fn = nn.CrossEntropyLoss()
    times = []
    for _ in range(epochs + 1):
        start = time.perf_counter()
        order = torch.randperm(len(x), device=device)
        for i in range(0, len(x), 32):
            rows = order[i : i + 32]
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
    parameters = sum(p.numel() for p in model.parameters())
    return first, times[len(times) // 2], parameters


def profile(name, x, y, device):
    """Forward (with the loss read back), backward and Adam of one step, in ms: the median
    of 20 steps after 3 warm-up steps, like the Rust example's --profile."""
    torch.manual_seed(42)
    model = MODELS[name]().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATES[name], eps=1e-8)
    loss_fn = nn.CrossEntropyLoss()
    times = [[], [], []]
    for i in range(23):
        rows = torch.arange(i * 32, i * 32 + 32, device=device) % len(x)
        t0 = time.perf_counter()
        loss = loss_fn(model(x[rows]), y[rows])
        loss.item()
        t1 = time.perf_counter()
        optimizer.zero_grad()
        loss.backward()
        t2 = time.perf_counter()
        optimizer.step()
        if device.type == "cuda":
            torch.cuda.synchronize()
        t3 = time.perf_counter()
        if i >= 3:
            for part, seconds in zip(times, [t1 - t0, t2 - t1, t3 - t2]):
                part.append(1e3 * seconds)
    forward, backward, adam = (sorted(t)[len(t) // 2] for t in times)
    print(f"profile {name} (ms): forward {forward:.1f}, backward {backward:.1f}, adam {adam:.1f}", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--model", choices=sorted(MODELS), help="one model; all three when left out")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("RAYON_NUM_THREADS", "0")) or None)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--notes", type=int, default=NOTES)
    parser.add_argument("--profile", action="store_true", help="also split a step into forward, backward, Adam")
    args = parser.parse_args()
    if args.epochs < 1:
        parser.error("--epochs must be at least 1 (one warm-up epoch is run before the timed ones)")
    if args.threads:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    width = MELS * FRAMES
    x = (np.arange(args.notes * width, dtype=np.int64) * 7919 % 10007).astype(np.float32) / 5003.5 - 1.0
    x = torch.tensor(x.reshape(args.notes, MELS, FRAMES), device=device)
    y = torch.tensor(np.arange(args.notes) % CLASSES, dtype=torch.long, device=device)
    for name in [args.model] if args.model else ["cnn", "gru", "attention"]:
        if args.profile:
            profile(name, x, y, device)
        first, epoch, parameters = time_epochs(name, x, y, device, args.epochs)
        steps = math.ceil(args.notes / 32)
        print(json.dumps({
            "model": name, "framework": "pytorch " + torch.__version__, "device": args.device, "batch": 32,
            "threads": torch.get_num_threads(), "parameters": parameters, "first_epoch_s": first,
            "epoch_s": epoch, "steps_per_epoch": steps, "ms_per_step": 1e3 * epoch / steps,
        }))


if __name__ == "__main__":
    main()
