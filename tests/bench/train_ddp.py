#!/usr/bin/python3
"""PyTorch DDP peer of `mpirun -np 2 minillm train` (tests/bench/train_mpi.sh): chapter 06's GPT-2 (the model of
train_torch.py: 4 layers, 4 heads, width 256, context 128, tied head) trained by 2 processes of 1 thread each,
DistributedDataParallel over gloo, on the global batch of 16 sequences (8 per process), AdamW and clipping as
minillm's. Tokens/s is global: 16 x 128 over the mean step time of rank 0 after 3 warm-up steps.

  train_ddp.py IDS_FILE [--steps N] [--procs P]
IDS_FILE: int32 token ids (minillm's tokenized-corpus cache). Prints `ddp tokens/s: N` and `ddp step ms: M`.
Run with Debian's python (torch 1.13): /usr/bin/python3.
"""
import argparse
import os
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch.nn.parallel import DistributedDataParallel

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_torch  # noqa: E402  (the same GPT, optimizer and batches as the single-process peer)

B_GLOBAL, T = train_torch.B, train_torch.T


def worker(rank, procs, ids_file, steps, port):
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    torch.set_num_threads(1)
    dist.init_process_group("gloo", rank=rank, world_size=procs)
    ids = torch.from_numpy(np.fromfile(ids_file, dtype="<i4").astype(np.int64))
    train = ids[: len(ids) - len(ids) // 10]
    torch.manual_seed(1)
    gpt = train_torch.GPT(4096)
    # The causal masks are constant bool buffers, which gloo cannot broadcast: DDP leaves them alone.
    DistributedDataParallel._set_params_and_buffers_to_ignore_for_model(
        gpt, [name for name, _ in gpt.named_buffers()])
    model = DistributedDataParallel(gpt)
    opt = train_torch.make_optimizer(model.module)
    gen = torch.Generator().manual_seed(2)  # the same global batches on every rank: each takes its rows
    rows = B_GLOBAL // procs
    times = []
    for i in range(3 + steps):
        x, y = train_torch.batch(train, gen)
        x, y = x[rank * rows:(rank + 1) * rows], y[rank * rows:(rank + 1) * rows]
        dist.barrier()
        start = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = model(x, y).mean()
        loss.backward()  # DDP all-reduces the gradients in buckets during the backward
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if i >= 3:
            times.append(time.perf_counter() - start)
    if rank == 0:
        mean = sum(times) / len(times)
        print(f"ddp step ms: {mean * 1e3:.1f} (mean of {steps} steps, {procs} processes x 1 thread)")
        print(f"ddp tokens/s: {B_GLOBAL * T / mean:.0f}")
    dist.destroy_process_group()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ids")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--procs", type=int, default=2)
    args = ap.parse_args()
    port = 29500 + os.getpid() % 1000
    mp.spawn(worker, args=(args.procs, args.ids, args.steps, port), nprocs=args.procs, join=True)


if __name__ == "__main__":
    sys.exit(main())
