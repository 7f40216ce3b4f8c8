#pragma once
// The MPI side of data-parallel training: dist::Communicator over MPI_COMM_WORLD. Built only when CMake
// finds MPI (find_package(MPI)); without it, minillm trains in one process and refuses an mpirun start.
#include <memory>

#include "dist/communicator.hpp"

namespace minillm::mpi {

// MPI for one command's lifetime. It starts MPI only when a launcher started the process
// (dist::launcher_world_size() > 0); any other run never touches MPI, and world() is null.
class Session {
 public:
  Session();
  // MPI_Finalize, except while an exception is unwinding: this rank's error ends it alone, without the
  // finalize every rank must join, and mpirun then ends the others (they may be waiting in a collective).
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  dist::Communicator* world() { return world_.get(); }

 private:
  std::unique_ptr<dist::Communicator> world_;
};

}  // namespace minillm::mpi
