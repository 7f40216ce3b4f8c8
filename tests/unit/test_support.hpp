#pragma once
// Helpers the unit tests share.
#include <cstdlib>
#include <string>

#include "core/error.hpp"

namespace minillm::test_support {

// The message of the minillm::Error that action() throws, or "(no error)" when it throws none: tests check
// that bad input gets a message saying what was wrong.
std::string error_of(auto&& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

// Sets MINILLM_MEMORY_LIMIT (what core/memory.hpp reports as the machine's memory) for one test's scope.
struct MemoryLimit {
  explicit MemoryLimit(const char* value) { ::setenv("MINILLM_MEMORY_LIMIT", value, 1); }
  ~MemoryLimit() { ::unsetenv("MINILLM_MEMORY_LIMIT"); }
  MemoryLimit(const MemoryLimit&) = delete;
  MemoryLimit& operator=(const MemoryLimit&) = delete;
};

}  // namespace minillm::test_support
