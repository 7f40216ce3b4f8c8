#!/usr/bin/python3
"""PyTorch peer of tests/bench/bench_train.cpp: the same GPT-2 (4 layers, 4 heads, width 256, context 128,
batch 16, tied head, GPT-2 init) on the same token ids, with the same AdamW (betas 0.9/0.95, weight decay
0.1 on 2D tensors, clip 1.0) and schedule (warmup 30 steps, cosine 1e-3 -> 1e-4).

  train_torch.py DIR [--steps N] [--minutes M]
DIR holds ids.i32 and token_bytes.i32 written by bench_train. Prints `key: value` lines: the best
tokens/s over torch's thread settings (1 and 2), peak memory, and with --minutes the validation bits per
byte after that time budget (same split and windows as minillm: the last 10% of the ids, 8 batches).
Run with Debian's python (torch 1.13): /usr/bin/python3.
"""
import argparse
import math
import os
import resource
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

V, T, L, NH, C, B = 4096, 128, 4, 4, 256, 16


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(C)
        self.c_attn = nn.Linear(C, 3 * C)
        self.c_proj = nn.Linear(C, C)
        self.ln_2 = nn.LayerNorm(C)
        self.c_fc = nn.Linear(C, 4 * C)
        self.mlp_proj = nn.Linear(4 * C, C)
        self.register_buffer("mask", torch.tril(torch.ones(T, T, dtype=torch.bool)))

    def forward(self, x):
        b, t, _ = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(C, dim=2)
        q, k, v = (z.view(b, t, NH, C // NH).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(C // NH)
        att = att.masked_fill(~self.mask[:t, :t], float("-inf")).softmax(dim=-1)
        x = x + self.c_proj((att @ v).transpose(1, 2).reshape(b, t, C))
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class GPT(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.wte = nn.Embedding(vocab, C)
        self.wpe = nn.Embedding(T, C)
        self.h = nn.ModuleList(Block() for _ in range(L))
        self.ln_f = nn.LayerNorm(C)
        for name, p in self.named_parameters():
            if p.dim() == 2:
                std = 0.02 / math.sqrt(2 * L) if name.endswith("c_proj.weight") or "mlp_proj" in name else 0.02
                nn.init.normal_(p, 0.0, std)
            elif name.endswith("bias"):
                nn.init.zeros_(p)

    def forward(self, idx, targets):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        for block in self.h:
            x = block(x)
        logits = self.ln_f(x) @ self.wte.weight.T  # the tied head
        return F.cross_entropy(logits.view(-1, logits.shape[-1]), targets.view(-1), reduction="none")


def make_optimizer(model):
    decay = [p for p in model.parameters() if p.dim() == 2]
    rest = [p for p in model.parameters() if p.dim() != 2]
    return torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": rest, "weight_decay": 0.0}],
                             lr=1e-3, betas=(0.9, 0.95), eps=1e-8)


def lr_at(step, total, warmup=30, max_lr=1e-3, min_lr=1e-4):
    if step < warmup:
        return max_lr * (step + 1) / warmup
    if step >= total:
        return min_lr
    progress = (step - warmup) / max(1, total - warmup)
    return min_lr + 0.5 * (1 + math.cos(math.pi * progress)) * (max_lr - min_lr)


def batch(train, gen):
    starts = torch.randint(0, len(train) - T, (B,), generator=gen)
    x = torch.stack([train[s:s + T] for s in starts])
    y = torch.stack([train[s + 1:s + T + 1] for s in starts])
    return x, y


def step(model, opt, train, gen, lr):
    x, y = batch(train, gen)
    for g in opt.param_groups:
        g["lr"] = lr
    opt.zero_grad(set_to_none=True)
    loss = model(x, y).mean()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    return loss.item()


def evaluate(model, val, token_bytes, batches=8):
    windows = (len(val) - 1) // T
    nats, nbytes = 0.0, 0
    with torch.no_grad():
        for bi in range(batches):
            starts = [((bi * B + b) % windows) * T for b in range(B)]
            x = torch.stack([val[s:s + T] for s in starts])
            y = torch.stack([val[s + 1:s + T + 1] for s in starts])
            nats += model(x, y).double().sum().item()
            nbytes += int(token_bytes[y].sum())
    return nats / (batches * B * T), nats / (math.log(2) * nbytes)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--minutes", type=float, default=0)
    args = ap.parse_args()
    ids = torch.from_numpy(np.fromfile(os.path.join(args.dir, "ids.i32"), dtype="<i4").astype(np.int64))
    token_bytes = torch.from_numpy(np.fromfile(os.path.join(args.dir, "token_bytes.i32"), dtype="<i4").astype(np.int64))
    n_val = int(len(ids) * 0.1)
    train, val = ids[:len(ids) - n_val], ids[len(ids) - n_val:]
    vocab = len(token_bytes)

    best = {}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        torch.manual_seed(1)
        model, gen = GPT(vocab), torch.Generator().manual_seed(2)
        opt = make_optimizer(model)
        for _ in range(3):
            step(model, opt, train, gen, 1e-3)
        times = []
        for _ in range(args.steps):
            t = time.perf_counter()
            step(model, opt, train, gen, 1e-3)
            times.append(time.perf_counter() - t)
        best[threads] = B * T / min(times)
        print(f"torch tokens/s with {threads} thread(s): {best[threads]:.0f}")
    threads = max(best, key=best.get)
    print(f"torch tokens/s: {best[threads]:.0f} (best thread setting: {threads})")
    print(f"torch peak memory MB: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f}")

    if args.minutes > 0:
        torch.set_num_threads(threads)
        torch.manual_seed(1)
        model, gen = GPT(vocab), torch.Generator().manual_seed(2)
        opt = make_optimizer(model)
        start, n, total = time.perf_counter(), 0, None
        while total is None or n < total:
            step(model, opt, train, gen, lr_at(n, total or 10**9))
            n += 1
            if n == 3:  # like minillm: fix the step count from the speed of the first steps
                total = max(n + 1, int(args.minutes * 60 / ((time.perf_counter() - start) / 3)))
        loss, bpb = evaluate(model, val, token_bytes)
        print(f"torch {args.minutes:g} minutes: {n} steps, val loss {loss:.4f}, val bits per byte: {bpb:.4f}")


if __name__ == "__main__":
    sys.exit(main())
