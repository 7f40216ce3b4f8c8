"""FAISS IndexFlatIP on the files bench_search wrote (tests/bench/search.sh runs both in the same run).

    search_faiss.py DIR DIM THREADS REPS   prints batched_qps and single_qps (best of REPS), writes
                                           DIR/faiss_ids.i64 and DIR/faiss_scores.f32 (k = 10, batched)
    search_faiss.py compare DIR            compares minillm's and FAISS's top-10 ids: identical except where
                                           the scores tie within float rounding (1e-5)
"""
import sys
import time

import numpy as np


def bench(folder, dim, threads, reps):
    import faiss
    faiss.omp_set_num_threads(threads)
    base = np.fromfile(f"{folder}/base.f32", dtype=np.float32).reshape(-1, dim)
    queries = np.fromfile(f"{folder}/queries.f32", dtype=np.float32).reshape(-1, dim)
    index = faiss.IndexFlatIP(dim)
    index.add(base)
    batched = single = float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        scores, ids = index.search(queries, 10)
        batched = min(batched, time.perf_counter() - t)
        t = time.perf_counter()
        for q in range(len(queries)):
            index.search(queries[q:q + 1], 10)
        single = min(single, time.perf_counter() - t)
    ids.astype(np.int64).tofile(f"{folder}/faiss_ids.i64")
    scores.astype(np.float32).tofile(f"{folder}/faiss_scores.f32")
    print(f"batched_qps {len(queries) / batched:.1f}")
    print(f"single_qps {len(queries) / single:.1f}")


def compare(folder):
    ours = np.fromfile(f"{folder}/minillm_ids.i64", dtype=np.int64).reshape(-1, 10)
    theirs = np.fromfile(f"{folder}/faiss_ids.i64", dtype=np.int64).reshape(-1, 10)
    our_scores = np.fromfile(f"{folder}/minillm_scores.f32", dtype=np.float32).reshape(-1, 10)
    their_scores = np.fromfile(f"{folder}/faiss_scores.f32", dtype=np.float32).reshape(-1, 10)
    identical = int((ours == theirs).all(axis=1).sum())
    # Where the lists differ, the scores must agree rank by rank (a tie within rounding, ordered differently).
    differing = ~(ours == theirs).all(axis=1)
    worst = float(np.abs(our_scores[differing] - their_scores[differing]).max()) if differing.any() else 0.0
    ok = worst < 1e-5
    print(f"identical top-10 lists: {identical} of {len(ours)}; largest score gap where they differ: {worst:.2e}"
          f" -> {'same results (ties within rounding)' if ok else 'DIFFERENT RESULTS'}")
    return 0 if ok else 1


if __name__ == "__main__":
    if sys.argv[1] == "compare":
        sys.exit(compare(sys.argv[2]))
    bench(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
