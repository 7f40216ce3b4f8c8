#!/usr/bin/python3
"""PyTorch peer of bench_decode.cpp: a GPT-2 124M-shaped model (V 50257, 1,024 positions, 12 layers, 12 heads,
C 768), float32, random weights, written in plain torch with a KV cache (each layer keeps its keys and values;
a new token runs one position and attends over them; logits for the last position only), under
torch.inference_mode(). Measures, with torch.set_num_threads(THREADS): the prefill of a 512-token prompt
(best of 3), and greedy decoding of TOKENS tokens after a 64-token prompt.
Usage: decode_torch.py THREADS TOKENS. Prints `torch threads=.. prefill512_ms=.. cached_tok_s=..`."""
import math
import sys
import time

import torch
import torch.nn.functional as F

V, MAXT, L, NH, C = 50257, 1024, 12, 12, 768
HS = C // NH


def make_model(gen):
    def w(*shape, std=0.02):
        return torch.randn(*shape, generator=gen) * std
    layers = []
    for _ in range(L):
        layers.append({"ln1": (torch.ones(C), torch.zeros(C)), "attn": (w(3 * C, C), torch.zeros(3 * C)),
                       "proj": (w(C, C), torch.zeros(C)), "ln2": (torch.ones(C), torch.zeros(C)),
                       "fc": (w(4 * C, C), torch.zeros(4 * C)), "fcproj": (w(C, 4 * C), torch.zeros(C))})
    return {"wte": w(V, C), "wpe": w(MAXT, C), "layers": layers, "lnf": (torch.ones(C), torch.zeros(C))}


def forward(m, ids, cache):
    """ids [t] at positions len(cache)..; cache: per layer [k, v] of shape [NH, T, HS] (or None)."""
    start = 0 if cache[0] is None else cache[0][0].shape[1]
    t = ids.shape[0]
    x = m["wte"][ids] + m["wpe"][start:start + t]
    for i, p in enumerate(m["layers"]):
        a = F.layer_norm(x, (C,), *p["ln1"])
        q, k, v = F.linear(a, *p["attn"]).split(C, dim=1)
        q, k, v = (z.view(t, NH, HS).transpose(0, 1) for z in (q, k, v))
        if cache[i] is not None:
            k = torch.cat([cache[i][0], k], dim=1)
            v = torch.cat([cache[i][1], v], dim=1)
        cache[i] = (k, v)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=(t > 1)) if hasattr(F, "scaled_dot_product_attention") \
            else attention(q, k, v, t)
        x = x + F.linear(y.transpose(0, 1).reshape(t, C), *p["proj"])
        h = F.linear(F.layer_norm(x, (C,), *p["ln2"]), *p["fc"])
        x = x + F.linear(F.gelu(h, approximate="tanh"), *p["fcproj"])
    return F.linear(F.layer_norm(x[-1:], (C,), *m["lnf"]), m["wte"])[0]  # last position only


def attention(q, k, v, t):
    att = (q @ k.transpose(-2, -1)) / math.sqrt(HS)
    if t > 1:
        total = k.shape[1]
        mask = torch.ones(t, total, dtype=torch.bool).tril(total - t)
        att = att.masked_fill(~mask, float("-inf"))
    return att.softmax(dim=-1) @ v


def main():
    threads, tokens = int(sys.argv[1]), int(sys.argv[2])
    torch.set_num_threads(threads)
    gen = torch.Generator().manual_seed(1)
    m = make_model(gen)
    prompt = torch.randint(0, V, (512,), generator=gen)
    with torch.inference_mode():
        best = 1e30
        for _ in range(3):
            start = time.perf_counter()
            forward(m, prompt, [None] * L)
            best = min(best, time.perf_counter() - start)
        cache = [None] * L
        logits = forward(m, prompt[:64], cache)
        start = time.perf_counter()
        for _ in range(tokens):
            logits = forward(m, logits.argmax().reshape(1), cache)
        tok_s = tokens / (time.perf_counter() - start)
    print(f"torch threads={threads} prefill512_ms={best * 1e3:.1f} cached_tok_s={tok_s:.2f}")


if __name__ == "__main__":
    main()
