#!/usr/bin/python3
"""PyTorch peer of bench_decode_q8.cpp: the GPT-2 124M shapes of decode_torch.py (random weights, a KV cache,
the tied head), built from nn.Linear modules so that torch.quantization.quantize_dynamic can turn every linear
layer, the head included, into int8 (weights int8 per output channel, activations quantized on the fly).
Measures greedy decoding of TOKENS tokens after a 64-token prompt (best of 3) in float32 and in dynamic int8
with each quantized engine this PyTorch has (qnnpack, onednn/fbgemm/x86), at torch.set_num_threads(THREADS).
Usage: decode_torch_int8.py THREADS TOKENS. Prints one line per variant:
  torch threads=.. variant=float32|int8-ENGINE cached_tok_s=.."""
import math
import os
import sys
import time

os.environ.setdefault("TORCH_CPP_LOG_LEVEL", "ERROR")  # qnnpack warns once per layer about reduce_range
import torch
import torch.nn as nn
import torch.nn.functional as F

V, MAXT, L, NH, C = 50257, 1024, 12, 12, 768
HS = C // NH


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(C), nn.LayerNorm(C)
        self.attn, self.proj = nn.Linear(C, 3 * C), nn.Linear(C, C)
        self.fc, self.fcproj = nn.Linear(C, 4 * C), nn.Linear(4 * C, C)

    def forward(self, x, cache):
        t = x.shape[0]
        q, k, v = self.attn(self.ln1(x)).split(C, dim=1)
        q, k, v = (z.view(t, NH, HS).transpose(0, 1) for z in (q, k, v))
        if cache is not None:
            k, v = torch.cat([cache[0], k], dim=1), torch.cat([cache[1], v], dim=1)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(HS)
        if t > 1:
            total = k.shape[1]
            att = att.masked_fill(~torch.ones(t, total, dtype=torch.bool).tril(total - t), float("-inf"))
        y = (att.softmax(dim=-1) @ v).transpose(0, 1).reshape(t, C)
        x = x + self.proj(y)
        return x + self.fcproj(F.gelu(self.fc(self.ln2(x)), approximate="tanh")), (k, v)


class Gpt(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(V, C), nn.Embedding(MAXT, C)
        self.blocks = nn.ModuleList(Block() for _ in range(L))
        self.lnf = nn.LayerNorm(C)
        self.head = nn.Linear(C, V, bias=False)
        self.head.weight = self.wte.weight  # tied (quantize_dynamic gives the head its own int8 copy)
        for p in self.parameters():
            if p.dim() == 2:
                nn.init.normal_(p, std=0.02)

    def forward(self, ids, caches):
        start = 0 if caches[0] is None else caches[0][0].shape[1]
        x = self.wte(ids) + self.wpe(torch.arange(start, start + ids.shape[0]))
        for i, block in enumerate(self.blocks):
            x, caches[i] = block(x, caches[i])
        return self.head(self.lnf(x[-1:]))[0]


def decode_rate(model, prompt, tokens):
    best = 0.0
    with torch.inference_mode():
        for _ in range(3):
            caches = [None] * L
            logits = model(prompt, caches)
            start = time.perf_counter()
            for _ in range(tokens):
                logits = model(logits.argmax().reshape(1), caches)
            best = max(best, tokens / (time.perf_counter() - start))
    return best


def main():
    threads, tokens = int(sys.argv[1]), int(sys.argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model = Gpt().eval()
    prompt = torch.randint(0, V, (64,))
    print(f"torch threads={threads} variant=float32 cached_tok_s={decode_rate(model, prompt, tokens):.2f}", flush=True)
    for engine in torch.backends.quantized.supported_engines:
        if engine == "none":
            continue
        torch.backends.quantized.engine = engine
        int8 = torch.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)
        print(f"torch threads={threads} variant=int8-{engine} cached_tok_s={decode_rate(int8, prompt, tokens):.2f}",
              flush=True)


if __name__ == "__main__":
    main()
