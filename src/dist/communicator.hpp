#pragma once
// What data-parallel training asks of the processes it runs in: their number, this one's rank, and the
// collective operations between them. The trainer is written against this interface; src/mpi/ implements
// it over MPI (built only when MPI is installed), so the trainer and its tests build without MPI.
// Every rank must make the same calls in the same order (a collective waits for all of them).
#include <cstdint>
#include <span>
#include <vector>

#include "core/error.hpp"

namespace minillm::dist {

// An error every rank raises at the same point from values they all share (the settings they compared, say),
// so rank 0's message is everyone's: the other ranks exit without printing it again.
class AgreedError : public Error {
 public:
  using Error::Error;
};

class Communicator {
 public:
  virtual ~Communicator() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;

  // x on every rank becomes the element-wise sum of every rank's x.
  virtual void all_reduce_sum(std::span<float> x) = 0;
  virtual void all_reduce_sum(std::span<double> x) = 0;
  // The same, started now and finished by wait_all(): the backward goes on while the sum travels.
  // progress() lets the started sums advance (MPI moves data only inside its calls).
  virtual void start_all_reduce_sum(std::span<float> x) = 0;
  virtual void progress() = 0;
  virtual void wait_all() = 0;
  // ZeRO-1. x (every rank's whole buffer) summed, of which this rank receives its shard (counts[r] floats
  // for rank r, in rank order). all_gather: each rank's shard of x, at its offset, sent to every rank.
  virtual void reduce_scatter_sum(std::span<const float> x, std::span<float> shard, std::span<const int> counts) = 0;
  virtual void all_gather(std::span<float> x, std::span<const int> counts) = 0;
  // Rank 0's `whole` assembled from every rank's shard (other ranks' `whole` is untouched, may be empty).
  virtual void gather_to_first(std::span<const float> shard, std::span<float> whole, std::span<const int> counts) = 0;
  // Rank 0's value, or its x, on every rank.
  virtual int64_t broadcast_from_first(int64_t value) = 0;
  virtual void broadcast_from_first(std::span<float> x) = 0;
  // Every rank's values, rank by rank (size() * mine.size()).
  virtual std::vector<uint64_t> all_gather(std::span<const uint64_t> mine) = 0;
};

// How the process was started: the number of ranks its launcher (mpirun, srun) started, from the variables
// it sets (OpenMPI: OMPI_COMM_WORLD_SIZE, others: PMI_SIZE); 0 when it was not started by one. Reading
// them needs no MPI, so a build without MPI can refuse an mpirun start instead of training N copies.
int launcher_world_size();
// Ranks on this machine (OMPI_COMM_WORLD_LOCAL_SIZE, else MPI_LOCALNRANKS), 0 when unknown.
int launcher_local_size();

}  // namespace minillm::dist
