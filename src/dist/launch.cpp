#include <cstdlib>
#include <initializer_list>

#include "dist/communicator.hpp"

namespace minillm::dist {

namespace {
// The first of the variables that is set, as a positive count (0 if none is).
int positive_env(std::initializer_list<const char*> names) {
  for (const char* name : names) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') continue;
    const long n = std::strtol(value, nullptr, 10);
    if (n > 0) return static_cast<int>(n);
  }
  return 0;
}
}  // namespace

int launcher_world_size() { return positive_env({"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}); }
int launcher_local_size() { return positive_env({"OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS"}); }

}  // namespace minillm::dist
