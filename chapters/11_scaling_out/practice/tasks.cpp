// Chapter 11 practice. Replace each TODO with your code, then run `./run practice 11`.
#include "tasks.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <stdexcept>

#include "practice/todo.hpp"

namespace ch11 {

Rows shard_batch(int global_batch, int ranks, int rank) {
  // TODO(shard_batch): this rank's rows of the global batch (step 2), refusing a batch that does not divide
  // evenly and a rank that does not exist, as tasks.hpp says.
  throw minillm::practice::NotImplemented("shard_batch");
}

Shard zero1_shard(int64_t n, int ranks, int rank) {
  // TODO(zero1_shard): this rank's part of n floats when they do not divide evenly (step 7): which ranks get
  // one more, and where does this rank's part start?
  throw minillm::practice::NotImplemented("zero1_shard");
}

Traffic naive_ring_allreduce(Buffers& buffers) {
  // TODO(naive_ring_allreduce): pass whole buffers around the ring for N - 1 steps, every rank summing what
  // arrives (step 5). All ranks send at once: keep what each one received until the next step.
  throw minillm::practice::NotImplemented("naive_ring_allreduce");
}

Traffic reduce_scatter(Buffers& buffers) {
  // TODO(reduce_scatter): N - 1 steps of one chunk per rank to the right neighbour, added there (step 6).
  // Work out which chunk rank r must send in step s so that it ends up owning chunk (r + 1) mod N.
  throw minillm::practice::NotImplemented("reduce_scatter");
}

Traffic all_gather(Buffers& buffers) {
  // TODO(all_gather): N - 1 steps passing finished chunks to the right, overwriting there (step 6). In step
  // 0 each rank sends the chunk it owns; what does it send after that?
  throw minillm::practice::NotImplemented("all_gather");
}

CostPrediction predict_step(const CostInput& in) {
  // TODO(predict_step): the four numbers of CostPrediction from the lesson's cost model (step 10). Mind the
  // units: gigabits, bytes, seconds.
  throw minillm::practice::NotImplemented("predict_step");
}

std::vector<std::vector<int>> bucket_gradients(const std::vector<int64_t>& sizes, int64_t cap_floats) {
  // TODO(bucket_gradients): group the tensors, in order, into buckets no larger than the cap unless a single
  // tensor is (step 8).
  throw minillm::practice::NotImplemented("bucket_gradients");
}

std::vector<int> diverged_ranks(const Buffers& parameters) {
  // TODO(diverged_ranks): hash every rank's parameters (FNV-1a over their bytes), find the hash most ranks
  // share, and list the others (step 9).
  throw minillm::practice::NotImplemented("diverged_ranks");
}

}  // namespace ch11
