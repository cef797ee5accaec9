"""The mix-and-separate training step in PyTorch, the twin of `examples/separation_step.rs`,
for timing.

    python labs/day8-audio-visual/twin.py --threads 2 --steps 20
    python labs/day8-audio-visual/twin.py --device cuda --steps 50

The same step as the lab's default run: batch 8 mixtures of two sources; the U-Net (input
batch norm; four 4 x 4 stride-2 convolutions 8-16-32-64 with batch norm after all but the
first and leaky ReLU 0.2; bilinear up-sampling, 3 x 3 convolutions with batch norm and ReLU,
skips; a last 3 x 3 convolution to K = 8) on log-magnitudes of 32 x 32; the image CNN
(3 x 3 convolutions 4 (stride 2), 8 (stride 2), 16, each with batch norm and ReLU, a 1 x 1
convolution to 8) on frames of 64 x 64, max-pooled and squashed by a sigmoid; the inner-
product synthesizer; the weighted binary cross-entropy on logits; backward; Adam (lr 1e-3).
Prints the median time per step, as the Rust example does.
"""

import argparse
import time

import torch
from torch import nn
import torch.nn.functional as F


class UNet(nn.Module):
    def __init__(self, width=8, levels=4, channels=8):
        super().__init__()
        widths = [width << i for i in range(levels)]
        self.input_norm = nn.BatchNorm2d(1)
        self.downs = nn.ModuleList(
            nn.Conv2d(1 if i == 0 else widths[i - 1], widths[i], 4, stride=2, padding=1) for i in range(levels)
        )
        self.down_norms = nn.ModuleList(nn.BatchNorm2d(widths[i]) for i in range(1, levels))
        up_input = lambda j: widths[j] if j == levels - 1 else 2 * widths[j]
        self.ups = nn.ModuleList(nn.Conv2d(up_input(j), widths[j - 1], 3, padding=1) for j in range(levels - 1, 0, -1))
        self.ups.append(nn.Conv2d(up_input(0), channels, 3, padding=1))
        self.up_norms = nn.ModuleList(nn.BatchNorm2d(widths[j - 1]) for j in range(levels - 1, 0, -1))

    def forward(self, x):
        x = self.input_norm(x)
        skips = []
        for i, conv in enumerate(self.downs):
            x = conv(x)
            if i > 0:
                x = self.down_norms[i - 1](x)
            x = F.leaky_relu(x, 0.2)
            skips.append(x)
        skips.pop()
        for j, conv in enumerate(self.ups):
            x = conv(F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False))
            if j < len(self.up_norms):
                x = torch.cat([F.relu(self.up_norms[j](x)), skips.pop()], dim=1)
        return x


class FrameNet(nn.Module):
    def __init__(self, width=8, channels=8):
        super().__init__()
        w = width
        self.convs = nn.ModuleList(
            [nn.Conv2d(3, w // 2, 3, stride=2, padding=1), nn.Conv2d(w // 2, w, 3, stride=2, padding=1),
             nn.Conv2d(w, 2 * w, 3, padding=1)]
        )
        self.norms = nn.ModuleList(nn.BatchNorm2d(c) for c in (w // 2, w, 2 * w))
        self.to_channels = nn.Conv2d(2 * w, channels, 1)

    def pooled(self, frames):
        x = frames
        for conv, norm in zip(self.convs, self.norms):
            x = F.relu(norm(conv(x)))
        x = self.to_channels(x)
        return torch.sigmoid(x.flatten(2).max(dim=2).values)


class AudioVisual(nn.Module):
    def __init__(self, channels=8):
        super().__init__()
        self.sound = UNet(channels=channels)
        self.frame = FrameNet(channels=channels)
        self.scale = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(1))

    def logits(self, log_mix, frames, n_mix=2):
        sound = self.sound(log_mix).repeat(n_mix, 1, 1, 1)
        image = self.frame.pooled(frames) * self.scale
        return (image[:, :, None, None] * sound).sum(dim=1) + self.bias


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    device = torch.device(args.device)
    batch = 8
    model = AudioVisual().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    log_mix = torch.rand(batch, 1, 32, 32, device=device) * 12 - 8
    frames = torch.rand(2 * batch, 3, 64, 64, device=device)
    targets = (torch.rand(2 * batch, 32, 32, device=device) > 0.5).float()
    weights = torch.rand(2 * batch, 32, 32, device=device) * 4 + 1e-3
    times = []
    for step in range(args.steps + 2):
        if device.type == "cuda":
            torch.cuda.synchronize()
        started = time.perf_counter()
        optimizer.zero_grad()
        logits = model.logits(log_mix, frames)
        loss = ((F.softplus(logits) - targets * logits) * weights).mean()
        loss.item()
        loss.backward()
        optimizer.step()
        if device.type == "cuda":
            torch.cuda.synchronize()
        if step >= 2:
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    print(f"PyTorch {torch.__version__} ({args.device}, {args.threads} threads): separation step, "
          f"batch {batch}: median {times[len(times) // 2]:.1f} ms over {args.steps} steps")


if __name__ == "__main__":
    main()
