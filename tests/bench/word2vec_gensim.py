#!/usr/bin/python3
"""gensim 4 (Debian python3-gensim) word2vec with minillm's settings, for tests/bench/embed.sh.

Usage: word2vec_gensim.py TEXT THREADS [PROBE...]
Tokenises like minillm (lowercase ASCII letter runs), cuts the word stream into 10,000-word sentences (as
minillm's trainer chunks it), trains skip-gram with negative sampling: dim 100, window 5, negative 5,
5 epochs, min_count 5, sample 1e-3, alpha 0.025. Prints the same lines as bench_word2vec.
"""
import re
import sys
import time

from gensim.models import Word2Vec
from gensim.models.word2vec_inner import FAST_VERSION

path, threads, probes = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
if FAST_VERSION < 0:
    sys.exit("error: gensim's compiled word2vec is missing; the comparison would be meaningless")
with open(path, encoding="utf-8", errors="replace") as f:
    words = re.findall(r"[a-z]+", f.read().lower())
sentences = [words[i:i + 10000] for i in range(0, len(words), 10000)]
model = Word2Vec(vector_size=100, window=5, negative=5, min_count=5, sample=1e-3, alpha=0.025, sg=1, hs=0,
                 workers=threads, seed=1)
start = time.perf_counter()
model.build_vocab(sentences)
model.train(sentences, total_examples=len(sentences), epochs=5)
seconds = time.perf_counter() - start
print(f"words_per_second {len(words) * 5 / seconds:.0f}")
print(f"seconds {seconds:.3f}")
for probe in probes:
    print(f"neighbours {probe}: " + " ".join(w for w, _ in model.wv.most_similar(probe, topn=10)))
