#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target into tests/fuzz/corpus/<target>/ (committed; rerun after a
format changes). Seeds are small valid files plus a few near misses, so the fuzzer starts from inputs that
reach deep into each loader instead of failing at the first byte."""
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
SEPARATOR = b"\n=====minillm-fuzz-next-file=====\n"  # fuzz_checkpoint.cpp's kSeparator
GPT2_PATTERN = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"


def write(target, name, data):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def safetensors(tensors, metadata=None):
    """tensors: name -> (shape, list of floats), written as F32 in sorted order like minillm does."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        shape, values = tensors[name]
        blob = struct.pack("<%df" % len(values), *values)
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def tiny_gpt_params(V=4, T=2, C=2):
    """The parameter names and shapes of minillm's GPT (gpt.cpp, nn/block.cpp) with one layer."""
    shapes = {"wte": [V, C], "wpe": [T, C], "ln_f.weight": [C], "ln_f.bias": [C]}
    block = {"ln_1.weight": [C], "ln_1.bias": [C], "attn.c_attn.weight": [3 * C, C], "attn.c_attn.bias": [3 * C],
             "attn.c_proj.weight": [C, C], "attn.c_proj.bias": [C], "ln_2.weight": [C], "ln_2.bias": [C],
             "mlp.c_fc.weight": [4 * C, C], "mlp.c_fc.bias": [4 * C], "mlp.c_proj.weight": [C, 4 * C],
             "mlp.c_proj.bias": [C]}
    shapes.update({"h.0." + k: v for k, v in block.items()})
    out = {}
    for i, (name, shape) in enumerate(sorted(shapes.items())):
        n = 1
        for d in shape:
            n *= d
        out[name] = (shape, [0.01 * ((i + j) % 7 - 3) for j in range(n)])
    return out


def main():
    # tokenizer_roundtrip: text of several kinds
    write("tokenizer_roundtrip", "ascii", "Call me Ishmael. Some years ago--never mind how long precisely--")
    write("tokenizer_roundtrip", "utf8", "Ünïcödé wörds, 日本語のテキスト, emoji 🙂🙃 and 1234567 digits\r\n\t x")
    write("tokenizer_roundtrip", "special", "end<|endoftext|>start <|fim_prefix|>x<|endofprompt|>")
    write("tokenizer_roundtrip", "bytes", bytes([0, 255, 254, 0xC3, 0x28, 0xE2, 0x82, 10, 32, 32, 0xF0, 0x9F]))

    # bpe_file: minillm-bpe files
    good = ("minillm-bpe 2\npattern " + json.dumps(GPT2_PATTERN) + "\nspecial 259 \"<|endoftext|>\"\nmerges 3\n"
            "merge 104 101    # \"h\" + \"e\" = \"he\"\nmerge 256 32\nmerge 116 257\n")
    write("bpe_file", "good", good)
    write("bpe_file", "comments", "minillm-bpe 2\n# a comment\n\npattern \"\\\\s+|\\\\S+\"\nmerges 2\nmerge 97 97\nmerge 256 256\n")
    write("bpe_file", "version1", "minillm-bpe 1\r\npattern \" ?\\\\p{L}+|.\"\r\nmerge 32 116\r\n")

    # tiktoken_file: first byte even = npm json, odd = plain .tiktoken (named gpt2.tiktoken)
    ranks = "! 0 " + " ".join(__import__("base64").b64encode(bytes([b])).decode() for b in range(256))
    ranks += "\n! 256 " + " ".join(__import__("base64").b64encode(t).decode() for t in [b"he", b" t", b"he "])
    npm = {"pat_str": GPT2_PATTERN, "special_tokens": {"<|endoftext|>": 259}, "bpe_ranks": ranks}
    write("tiktoken_file", "npm_json", b"\x00" + json.dumps(npm).encode())
    plain = "".join("%s %d\n" % (__import__("base64").b64encode(bytes([b])).decode(), b) for b in range(256))
    plain += "aGU= 256\n"
    write("tiktoken_file", "plain", b"\x01" + plain.encode())

    # safetensors
    write("safetensors", "arena", safetensors({"a": ([2, 3], [1, 2, 3, 4, 5, 6]), "b": ([4], [0.5] * 4)},
                                              {"format": "pt"}))
    write("safetensors", "scalar", safetensors({"s": ([], [3.0])}))
    write("safetensors", "extra", safetensors({"a": ([2, 3], [0] * 6), "b": ([4], [1] * 4), "c": ([1], [2])}))

    # safetensors_reader: the same files plus half-precision tensors
    write("safetensors_reader", "arena", safetensors({"a": ([2, 3], [1, 2, 3, 4, 5, 6]), "b": ([4], [0.5] * 4)}))
    half = {"h": {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]},
            "b": {"dtype": "BF16", "shape": [1, 2], "data_offsets": [4, 8]},
            "m": {"dtype": "BOOL", "shape": [3], "data_offsets": [8, 11]}}
    text = json.dumps(half, separators=(",", ":")).encode()
    write("safetensors_reader", "half", struct.pack("<Q", len(text)) + text +
          struct.pack("<HH", 0x3C00, 0xFC00) + struct.pack("<HH", 0x3F80, 0x7FC0) + b"\x01\x00\x01")

    # checkpoint: one checkpoint folder (train/checkpoint.hpp) as config.json, model.safetensors (Hugging
    # Face names, Conv1D weights stored [in, out]), state.json and optimizer.safetensors (minillm's arena
    # names and [out, in] shapes), joined by SEPARATOR
    params = tiny_gpt_params()
    conv1d = (".attn.c_attn.weight", ".attn.c_proj.weight", ".mlp.c_fc.weight", ".mlp.c_proj.weight")
    hf = {}
    for name, (shape, values) in params.items():
        if name.endswith(conv1d):
            rows, cols = shape
            hf[name] = ([cols, rows], [values[r * cols + c] for c in range(cols) for r in range(rows)])
        else:
            hf[name + ".weight" if name in ("wte", "wpe") else name] = (shape, values)
    moments = {}
    for name, (shape, values) in params.items():
        moments["m." + name] = (shape, [v * 0.1 for v in values])
        moments["v." + name] = (shape, [v * v for v in values])
    config = {"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "vocab_size": 4, "n_positions": 2,
              "n_ctx": 2, "n_embd": 2, "n_layer": 1, "n_head": 1, "activation_function": "gelu_new",
              "layer_norm_epsilon": 1e-5, "minillm_tokenizer": "gpt2"}
    state = {"step": 3, "total_steps": 10, "adamw_steps": 3, "rng": "1 2 3 4", "tokenizer": "gpt2",
             "tokenizer_hash": "0123456789abcdef"}
    write("checkpoint", "tiny", json.dumps(config, indent=2).encode() + SEPARATOR +
          safetensors(hf, {"format": "pt"}) + SEPARATOR + json.dumps(state, indent=2).encode() + SEPARATOR +
          safetensors(moments))

    # config: training configs as `minillm train --config` reads them
    write("config", "full", json.dumps({"model": {"n_layer": 2, "n_head": 2, "n_embd": 64, "context_length": 32},
                                        "corpus": "book.txt", "tokenizer": "gpt2", "batch": 4, "steps": 100,
                                        "lr": 0.001, "min_lr": 0.0001, "warmup": 10, "eval_every": 10,
                                        "checkpoint_every": 50, "seed": 1, "val_fraction": 0.1}))
    write("config", "minutes", '{"corpus": "a.txt", "minutes": 0.5, "steps": 0, "clip": 1.0, "beta2": 0.95}')

    # word_vectors: word2vec text format
    write("word_vectors", "three", "3 4\nthe 0.1 0.2 0.3 0.4\nwhale -1 0.5 2e-3 7\nship 0 0 1 1\n")
    write("word_vectors", "crlf", "2 2\r\nsea 1.5 -2\r\nsky 3 4\r\n")

    # csv: loss logs as `minillm plot` reads them
    write("csv", "loss", "step,train_loss,val_loss\n1,4.20,4.25\n2,3.90,\n3,3.50,3.60\n")
    write("csv", "comments", "# a comment\nx, y\n\n0.5, 1e-3\n1.5, 2e3\n")

    # search_index: minillm index files (docs/formats.md, "Search index"), written from the byte layout
    def strings(items):
        raw = [s.encode() for s in items]
        return struct.pack("<Q", sum(len(r) for r in raw)) + b"".join(struct.pack("<I", len(r)) for r in raw) + b"".join(raw)

    def floats(values):
        return struct.pack("<%df" % len(values), *values)

    def index_file(flags, vectors, keys, places=None, embedder=None, ivf=None):
        n, d = len(vectors), len(vectors[0])
        w = len(embedder[0]) if embedder else 0
        body = b"MLLMIDX\0" + struct.pack("<IIII", 1, flags, d, len(ivf[0]) if ivf else 0)
        body += struct.pack("<QQII", n, w, d if w else 0, 0)
        body += floats([x for v in vectors for x in v]) + strings(keys)
        if places is not None:
            body += strings(places)
        if embedder:
            words, word_vectors, weights = embedder
            body += strings(words) + floats([x for v in word_vectors for x in v]) + floats(weights)
        if ivf:
            centroids, lists = ivf
            body += floats([x for c in centroids for x in c]) + struct.pack("<%di" % len(lists), *lists)
        checksum = 0xCBF29CE484222325
        for byte in body:
            checksum = ((checksum ^ byte) * 0x100000001B3) % (1 << 64)
        return body + struct.pack("<Q", checksum)

    unit = [[0.6, 0.8], [1.0, 0.0], [0.0, 1.0]]
    write("search_index", "words", index_file(1, unit, ["whale", "sea", "ship"]))
    write("search_index", "passages_ivf", index_file(3, unit, ["Call me Ishmael.", "The sea.", "A ship!"],
                                                     places=["line 1", "line 2", "line 3"],
                                                     embedder=(["call", "sea"], [[1.0, 0.0], [0.0, 1.0]], [1.0, 0.5]),
                                                     ivf=([[1.0, 0.0], [0.0, 1.0]], [0, 0, 1])))


if __name__ == "__main__":
    main()
