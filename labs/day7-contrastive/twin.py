"""The joint model's training step in PyTorch, the twin of `examples/contrastive_step.rs`,
for timing.

    python labs/day7-contrastive/twin.py --threads 2 --steps 20
    python labs/day7-contrastive/twin.py --device cuda --steps 50

The same step as the lab's default run: batch 32; Day 5's CNN (three blocks of 3 x 3
convolution, batch norm, ReLU, 2 x 2 max pooling, 16-32-64 channels, global mean, a linear
head of 64) on log-mels of 32 x 32; a text transformer (learned positions, two pre-norm
layers of width 64 with 4 heads and a feed-forward of 128, dropout 0.1, a causal mask, read
at the end token) on captions of 21 tokens; bias-free projections to 32, L2 norm, a learned
logit scale (log(1/0.07), clamped at log 100); the symmetric cross-entropy; backward; Adam
(eps 1e-8, lr 1e-3). Prints the median time per step, as the Rust example does.
"""

import argparse
import math
import time

import torch
from torch import nn
import torch.nn.functional as F


class Cnn(nn.Module):
    def __init__(self, widths=(1, 16, 32, 64), out=64):
        super().__init__()
        self.blocks = nn.ModuleList(
            nn.Sequential(nn.Conv2d(a, b, 3, padding=1), nn.BatchNorm2d(b), nn.ReLU(), nn.MaxPool2d(2))
            for a, b in zip(widths[:-1], widths[1:])
        )
        self.head = nn.Linear(widths[-1], out)

    def forward(self, x):
        h = x.unsqueeze(1)
        for block in self.blocks:
            h = block(h)
        return self.head(h.mean(dim=(2, 3)))


class Layer(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.norm_1, self.norm_2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attention = nn.MultiheadAttention(d, heads, dropout=dropout, batch_first=True)
        self.feed = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, mask):
        h = self.norm_1(x)
        attended, _ = self.attention(h, h, h, attn_mask=mask, need_weights=False)
        x = x + self.dropout(attended)
        return x + self.dropout(self.feed(self.norm_2(x)))


class Towers(nn.Module):
    def __init__(self, vocabulary=200, context=21, width=64, shared=32):
        super().__init__()
        self.cnn = Cnn()
        self.audio_projection = nn.Linear(64, shared, bias=False)
        self.tokens = nn.Embedding(vocabulary, width)
        self.positions = nn.Embedding(context, width)
        self.layers = nn.ModuleList(Layer(width, 4, 0.1) for _ in range(2))
        self.norm = nn.LayerNorm(width)
        self.text_projection = nn.Linear(width, shared, bias=False)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))
        self.register_buffer("mask", torch.triu(torch.ones(context, context, dtype=torch.bool), 1))

    def loss(self, log_mels, ids, ends):
        audio = F.normalize(self.audio_projection(self.cnn(log_mels)), dim=-1)
        positions = torch.arange(ids.shape[1], device=ids.device)
        h = self.tokens(ids) + self.positions(positions)
        for layer in self.layers:
            h = layer(h, self.mask)
        h = self.norm(h)[torch.arange(ids.shape[0]), ends]
        text = F.normalize(self.text_projection(h), dim=-1)
        logits = self.logit_scale.exp() * audio @ text.t()
        labels = torch.arange(len(logits), device=logits.device)
        return (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels)) / 2


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    device = torch.device(args.device)
    batch, context, vocabulary = 32, 21, 200
    model = Towers(vocabulary, context).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-8)
    log_mels = torch.rand(batch, 32, 32, device=device) * 2 - 1
    ids = torch.zeros(batch, context, dtype=torch.long)
    ends = torch.zeros(batch, dtype=torch.long)
    for i in range(batch):
        words = 8 + i % 12
        ids[i, 0] = 2
        ids[i, 1 : words + 1] = torch.tensor([4 + (i * 7 + j * 13) % (vocabulary - 4) for j in range(words)])
        ids[i, words + 1] = 3
        ends[i] = words + 1
    ids, ends = ids.to(device), ends.to(device)
    times = []
    for step in range(args.steps + 2):
        if device.type == "cuda":
            torch.cuda.synchronize()
        started = time.perf_counter()
        optimizer.zero_grad()
        loss = model.loss(log_mels, ids, ends)
        loss.item()
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            model.logit_scale.clamp_(max=math.log(100))
        if device.type == "cuda":
            torch.cuda.synchronize()
        if step >= 2:
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    print(f"PyTorch {torch.__version__} ({args.device}, {args.threads} threads): contrastive step, "
          f"batch {batch}: median {times[len(times) // 2]:.1f} ms over {args.steps} steps")


if __name__ == "__main__":
    main()
