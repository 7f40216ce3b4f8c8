#include "mpi/mpi_world.hpp"

#include <exception>
#include <limits>
#include <numeric>

#include <mpi.h>

#include "core/error.hpp"

namespace minillm::mpi {

namespace {

int count_of(size_t n) {
  require(n <= size_t(std::numeric_limits<int>::max()), "{} values are too many for one MPI message", n);
  return static_cast<int>(n);
}

// Where each rank's shard starts: the running sum of the counts before it.
std::vector<int> offsets_of(std::span<const int> counts) {
  std::vector<int> offsets(counts.size(), 0);
  std::exclusive_scan(counts.begin(), counts.end(), offsets.begin(), 0);
  return offsets;
}

class MpiWorld final : public dist::Communicator {
 public:
  MpiWorld() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }

  // lesson: mpi_all_reduce
  void all_reduce_sum(std::span<float> x) override {
    MPI_Allreduce(MPI_IN_PLACE, x.data(), count_of(x.size()), MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
  }
  void start_all_reduce_sum(std::span<float> x) override {
    MPI_Request& request = pending_.emplace_back();
    MPI_Iallreduce(MPI_IN_PLACE, x.data(), count_of(x.size()), MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD, &request);
  }
  // end lesson: mpi_all_reduce
  void all_reduce_sum(std::span<double> x) override {
    MPI_Allreduce(MPI_IN_PLACE, x.data(), count_of(x.size()), MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  }
  void progress() override {
    int done = 0;
    if (!pending_.empty()) MPI_Testall(count_of(pending_.size()), pending_.data(), &done, MPI_STATUSES_IGNORE);
  }
  void wait_all() override {
    MPI_Waitall(count_of(pending_.size()), pending_.data(), MPI_STATUSES_IGNORE);
    pending_.clear();
  }

  // lesson: mpi_zero_collectives
  void reduce_scatter_sum(std::span<const float> x, std::span<float> shard, std::span<const int> counts) override {
    require(size_t(counts[rank_]) == shard.size(), "reduce_scatter: a shard of {} floats for a count of {}",
            shard.size(), counts[rank_]);
    MPI_Reduce_scatter(x.data(), shard.data(), counts.data(), MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
  }
  void all_gather(std::span<float> x, std::span<const int> counts) override {
    const std::vector<int> offsets = offsets_of(counts);
    MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, x.data(), counts.data(), offsets.data(), MPI_FLOAT,
                   MPI_COMM_WORLD);
  }
  // end lesson: mpi_zero_collectives
  void gather_to_first(std::span<const float> shard, std::span<float> whole, std::span<const int> counts) override {
    const std::vector<int> offsets = offsets_of(counts);
    MPI_Gatherv(shard.data(), count_of(shard.size()), MPI_FLOAT, whole.data(), counts.data(), offsets.data(),
                MPI_FLOAT, 0, MPI_COMM_WORLD);
  }
  int64_t broadcast_from_first(int64_t value) override {
    MPI_Bcast(&value, 1, MPI_INT64_T, 0, MPI_COMM_WORLD);
    return value;
  }
  void broadcast_from_first(std::span<float> x) override {
    MPI_Bcast(x.data(), count_of(x.size()), MPI_FLOAT, 0, MPI_COMM_WORLD);
  }
  std::vector<uint64_t> all_gather(std::span<const uint64_t> mine) override {
    std::vector<uint64_t> all(mine.size() * size_t(size_));
    MPI_Allgather(mine.data(), count_of(mine.size()), MPI_UINT64_T, all.data(), count_of(mine.size()), MPI_UINT64_T,
                  MPI_COMM_WORLD);
    return all;
  }

 private:
  int rank_ = 0, size_ = 1;
  std::vector<MPI_Request> pending_;
};

}  // namespace

Session::Session() {
  if (dist::launcher_world_size() == 0) return;
  int provided = 0;
  // Only the main thread calls MPI (OpenMP's threads compute, never communicate): FUNNELED is enough.
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  world_ = std::make_unique<MpiWorld>();
}

Session::~Session() {
  if (!world_ || std::uncaught_exceptions() > 0) return;
  world_.reset();
  MPI_Finalize();
}

}  // namespace minillm::mpi
