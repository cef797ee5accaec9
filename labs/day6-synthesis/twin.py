"""DDX7's training step in PyTorch, the twin of `examples/fm_step.rs`, for timing.

    python labs/day6-synthesis/twin.py --threads 2 --steps 10
    python labs/day6-synthesis/twin.py --device cuda --steps 50

The same step as the lab's default run: batch 8 of 8,192 samples at 16 kHz; a causal TCN
(five blocks 32 wide, kernel 3, dilations 1-16, weight norm, 1x1 residuals on the first and
last) predicts six operator levels per frame (hop 64); the levels, upsampled linearly, play
DDX7's string patch (OP2 -> OP1, OP6 -> OP5 -> OP4 -> OP3; ratios 1, 1, 1, 1, 3, 14; max
level 0.32 cycles); the learned reverb (FFT convolution); the multi-resolution loss (FFT
sizes 2048..64, 75% overlap, normalised STFT, linear + log L1); backward; Adam. Prints the
median time per step, as the Rust example does.
"""

import argparse
import math
import time

import torch
from torch import nn
from torch.nn.utils.parametrizations import weight_norm


class CausalConv(nn.Module):
    def __init__(self, d_in, d_out, kernel, dilation):
        super().__init__()
        self.pad = dilation * (kernel - 1)
        self.conv = weight_norm(nn.Conv1d(d_in, d_out, kernel, dilation=dilation))

    def forward(self, x):
        return self.conv(nn.functional.pad(x, (self.pad, 0)))


class Block(nn.Module):
    def __init__(self, d_in, width, d_out, dilation, first, last):
        super().__init__()
        self.a = CausalConv(d_in, width, 3, dilation)
        self.b = CausalConv(width, d_out, 3, dilation)
        self.skip = CausalConv(d_in, d_out, 1, 1) if first or last else None
        self.last = last

    def forward(self, x):
        h = self.b(torch.relu(self.a(x)))
        if not self.last:
            h = torch.relu(h)
        return h + (self.skip(x) if self.skip is not None else x)


class Ddx7(nn.Module):
    RATIOS = [1.0, 1.0, 1.0, 1.0, 3.0, 14.0]
    MAX_LEVEL = 0.32

    def __init__(self, width, taps, sr=16000):
        super().__init__()
        self.blocks = nn.ModuleList(
            [Block(2 if i == 0 else width, width, 6 if i == 4 else width, 2**i, i == 0, i == 4) for i in range(5)]
        )
        self.noise = nn.Parameter(torch.rand(taps) * 2 - 1)
        self.decay = nn.Parameter(torch.tensor(5.0))
        self.wet = nn.Parameter(torch.tensor(-4.0))
        self.register_buffer("t", torch.arange(taps) / sr)

    def forward(self, controls, phases, hop):
        h = controls
        for block in self.blocks:
            h = block(h)
        levels = torch.sigmoid(h) * self.MAX_LEVEL  # [batch, 6, frames]
        levels = nn.functional.interpolate(levels, scale_factor=hop, mode="linear").transpose(1, 2)
        out = [None] * 6
        modulators = {0: [1], 2: [3], 3: [4], 4: [5]}
        for i in [5, 4, 3, 2, 1, 0]:
            arg = phases[..., i] + sum(2 * math.pi * out[m] for m in modulators.get(i, []))
            out[i] = levels[..., i] * torch.sin(arg)
        dry = (out[0] + out[2]) / self.MAX_LEVEL
        ir = self.noise * torch.exp(-nn.functional.softplus(-self.decay) * self.t * 500) * torch.sigmoid(self.wet)
        ir = torch.cat([torch.ones(1, device=ir.device), ir[1:]])
        n = 1 << (dry.shape[-1] + ir.shape[-1] - 2).bit_length()
        wet = torch.fft.irfft(torch.fft.rfft(dry, n) * torch.fft.rfft(ir, n), n)
        return wet[..., : dry.shape[-1]]


def spectral_loss(x, y, sizes=(2048, 1024, 512, 256, 128, 64)):
    total = 0.0
    for n in sizes:
        window = torch.hann_window(n, device=x.device)
        stft = lambda s: torch.stft(s, n, n // 4, window=window, normalized=True, return_complex=True).abs()
        sx, sy = stft(x), stft(y)
        total = total + (sx - sy).abs().mean() + (torch.log(sx + 1e-7) - torch.log(sy + 1e-7)).abs().mean()
    return total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    batch, frames, hop = 8, 128, 64
    samples = frames * hop
    device = torch.device(args.device)
    t = torch.arange(samples, dtype=torch.float64) / 16000
    ratios = torch.tensor(Ddx7.RATIOS, dtype=torch.float64)
    phases = ((220.0 * t[:, None] * ratios) % 1.0 * 2 * math.pi).float()
    phases = phases.expand(batch, samples, 6).to(device)
    controls = torch.rand(batch, 2, frames, device=device)
    target = torch.randn(batch, samples, device=device) * 0.3
    model = Ddx7(32, samples).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    times = []
    for step in range(args.steps + 2):
        if device.type == "cuda":
            torch.cuda.synchronize()
        started = time.perf_counter()
        loss = spectral_loss(model(controls, phases, hop), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if device.type == "cuda":
            torch.cuda.synchronize()
        if step >= 2:
            times.append(1000 * (time.perf_counter() - started))
    times.sort()
    print(f"PyTorch {torch.__version__} ({args.device}, {args.threads} threads): DDX7 step, "
          f"batch {batch} x {samples} samples: median {times[len(times) // 2]:.1f} ms over {args.steps} steps")


if __name__ == "__main__":
    main()
