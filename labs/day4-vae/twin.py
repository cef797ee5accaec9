"""The Day 4 VAE in PyTorch: the same model, loss, optimiser and batch size, for timing.

    python labs/day4-vae/twin.py --twin target/labs/day4-vae/twin.json   # the run's features, one epoch
    python labs/day4-vae/twin.py --setting full --steps 5                 # random spectrograms, --full size
    python labs/day4-vae/twin.py --setting full --device cuda --steps 50 --split-k 180

Without --twin it times --steps training steps after --warmup untimed ones on random
spectrograms of the run's shape (`full`: 235,980 values, batch 4, 1,869 steps an epoch;
`default`: 8,127 values, batch 16) and prints the time per step and the epoch it implies,
like `examples/day4_epoch.rs`. --split-k computes the first layer as burn's split-K layer
does (a batched product over chunks, then a sum), to compare the two formulations.
"""

import argparse
import json
import os
import time

import numpy as np
import torch
from torch import nn


class SplitK(nn.Module):
    """`x W + b` with the inner dimension in `chunks` pieces, as dl4mir-train's SplitKLinear."""

    def __init__(self, d_in, d_out, chunks):
        super().__init__()
        self.linear, self.chunks = nn.Linear(d_in, d_out), chunks

    def forward(self, x):
        k, w = self.chunks, self.linear.weight.t()  # [d_in, d_out]
        xs = x.reshape(x.shape[0], k, -1).transpose(0, 1)  # [k, batch, c]
        return torch.bmm(xs, w.reshape(k, -1, w.shape[1])).sum(0) + self.linear.bias


class Vae(nn.Module):
    def __init__(self, width, split_k=1):
        super().__init__()
        first = SplitK(width, 512, split_k) if split_k > 1 else nn.Linear(width, 512)
        self.encoder = nn.Sequential(first, nn.ReLU(), nn.Linear(512, 256), nn.ReLU())
        self.mean, self.log_variance = nn.Linear(256, 128), nn.Linear(256, 128)
        self.decoder = nn.Sequential(
            nn.Linear(128, 256), nn.ReLU(), nn.Linear(256, 512), nn.ReLU(), nn.Linear(512, width), nn.ReLU()
        )

    def forward(self, x):
        h = self.encoder(x)
        mean, log_variance = self.mean(h), self.log_variance(h)
        z = mean + torch.randn_like(mean) * torch.exp(0.5 * log_variance)
        return self.decoder(z), mean, log_variance


def loss_fn(x_hat, x, mean, log_variance, beta=1.0):
    reconstruction = ((x_hat - x) ** 2).sum()
    kl = -0.5 * (1 + log_variance - mean**2 - log_variance.exp()).sum()
    return reconstruction + beta * kl


def nearest_divisor(n, wanted):
    return min((d for d in range(1, n + 1) if n % d == 0), key=lambda d: (abs(d - wanted), d))


def median_ms(f, sync):
    for _ in range(2):
        f()
    sync()
    times = []
    for _ in range(10):
        start = time.perf_counter()
        f()
        sync()
        times.append(1e3 * (time.perf_counter() - start))
    return sorted(times)[5]


def profile(x, width, chunks, device, sync):
    """The parts of a step, as examples/day4_epoch.rs --profile times them."""
    model = Vae(width, chunks).to(device)
    xg = x.clone().requires_grad_()

    def forward():
        x_hat, mean, log_variance = model(x)
        return loss_fn(x_hat, x, mean, log_variance).item()

    def forward_backward():
        out = model(xg)
        loss_fn(out[0], x, out[1], out[2]).backward()
        return xg.grad.sum().item()

    def first_layer(k):
        layer = (SplitK(width, 512, k) if k > 1 else nn.Linear(width, 512)).to(device)
        return median_ms(lambda: (layer(xg).sum().backward(), xg.grad.sum().item()), sync)

    h = torch.rand(x.shape[0], 512, device=device, requires_grad=True)
    last = nn.Linear(512, width).to(device)
    last_layer = median_ms(lambda: (((torch.relu(last(h)) - x) ** 2).sum().backward(), h.grad.sum().item()), sync)
    layer = nn.Linear(512, width).to(device)
    optimizer = torch.optim.Adam(layer.parameters(), lr=1e-3, eps=1e-8)

    def update():
        optimizer.zero_grad()
        layer(h).sum().backward()
        optimizer.step()
        return layer.bias.sum().item()

    def no_update():
        optimizer.zero_grad()
        layer(h).sum().backward()
        return h.grad.sum().item()

    print(json.dumps({"profile_ms": {
        "forward_and_loss": median_ms(forward, sync), "forward_and_backward": median_ms(forward_backward, sync),
        "first_layer_fwd_bwd_plain": first_layer(1), "first_layer_fwd_bwd_split_k": first_layer(chunks),
        "last_layer_fwd_bwd_plain": last_layer, "adam_update_of_one_wide_layer": median_ms(update, sync) - median_ms(no_update, sync),
    }}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--twin", help="twin.json written by `cargo run -p day4-vae`")
    parser.add_argument("--setting", default="full", choices=["full", "default"])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("RAYON_NUM_THREADS", "0")) or None)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--split-k", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="also time the parts of a step")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    device = torch.device(args.device)
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)

    if args.twin:
        twin = json.load(open(args.twin))
        x = torch.tensor(np.load(twin["features"])[np.array(twin["train"])], device=device)
        width, batch, lr, beta = twin["width"], twin["batch_size"], twin["lr"], twin["beta"]
        train_notes = len(x)
    else:
        width, batch, train_notes = {"full": (235980, 4, 7475), "default": (8127, 16, 338)}[args.setting]
        lr, beta = 1e-3, 1.0
        # The same values as examples/day4_epoch.rs, in [0, 0.05) like a normalised spectrogram.
        index = np.arange(4 * batch * width, dtype=np.int64)
        values = ((index % (batch * width)) * 7919 + (index // (batch * width)) * 104729) % 10007
        values = values.astype(np.float32) / 200140.0
        x = torch.tensor(values.reshape(4 * batch, width), device=device)
    chunks = nearest_divisor(width, args.split_k) if args.split_k > 1 else 1
    model = Vae(width, chunks).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, eps=1e-8)

    def step(rows):
        xb = x[rows]
        x_hat, mean, log_variance = model(xb)
        loss = loss_fn(x_hat, xb, mean, log_variance, beta)
        value = loss.item()  # waits for the device, as the lab does
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return value

    steps_per_epoch = (train_notes + batch - 1) // batch
    if args.twin:  # one real epoch, after a warm-up of a few steps
        for i in range(args.warmup):
            step(torch.arange(i * batch, (i + 1) * batch) % len(x))
        sync()
        start = time.perf_counter()
        order = torch.randperm(len(x))
        for i in range(0, len(x), batch):
            last = step(order[i : i + batch])
        sync()
        epoch = time.perf_counter() - start
        ms = 1e3 * epoch / steps_per_epoch
    else:
        batches = [torch.arange(k * batch, (k + 1) * batch) for k in range(4)]
        for i in range(args.warmup):
            step(batches[i % 4])
        sync()
        start = time.perf_counter()
        for i in range(args.steps):
            last = step(batches[i % 4])
        sync()
        ms = 1e3 * (time.perf_counter() - start) / args.steps
        epoch = ms * steps_per_epoch / 1e3
    if args.profile:
        profile(x[:batch], width, chunks, device, sync)
    print(json.dumps({
        "model": "vae", "framework": "pytorch " + torch.__version__, "device": args.device,
        "setting": "twin.json" if args.twin else args.setting, "inputs": width, "batch": batch, "split_k": chunks,
        "threads": torch.get_num_threads(), "ms_per_step": ms, "steps_per_epoch": steps_per_epoch,
        "epoch_s": epoch, "last_loss": last,
    }))


if __name__ == "__main__":
    main()
