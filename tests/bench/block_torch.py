#!/usr/bin/python3
"""PyTorch peer of bench_block.cpp: the same GPT-2 block (pre-LayerNorm, causal attention with masked_fill,
tanh GELU), float32, forward + backward, same shapes, torch.set_num_threads(threads). Median of iterations
after a warm-up. Usage: block_torch.py THREADS ITERS. Prints `torch threads=.. ms=..`."""
import math
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

B, T, C, NH = 16, 128, 256, 4


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1, self.ln_2 = nn.LayerNorm(C), nn.LayerNorm(C)
        self.c_attn, self.attn_proj = nn.Linear(C, 3 * C), nn.Linear(C, C)
        self.c_fc, self.mlp_proj = nn.Linear(C, 4 * C), nn.Linear(4 * C, C)
        self.register_buffer("mask", torch.tril(torch.ones(T, T, dtype=torch.bool)))

    def attention(self, x):
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, NH, C // NH).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(C // NH)
        att = F.softmax(att.masked_fill(~self.mask, float("-inf")), dim=-1)
        return self.attn_proj((att @ v).transpose(1, 2).contiguous().view(B, T, C))

    def forward(self, x):
        x = x + self.attention(self.ln_1(x))
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


def main():
    threads, iters = int(sys.argv[1]), int(sys.argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    block = Block()
    x = torch.randn(B, T, C, requires_grad=True)
    dout = torch.randn(B, T, C)

    def step():
        block(x).backward(dout)

    step()
    times = []
    for _ in range(iters):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    print(f"torch threads={threads} ms={statistics.median(times) * 1e3:.2f} (torch {torch.__version__})")


main()
