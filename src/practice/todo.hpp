#pragma once
// What a practice stub throws until the learner writes the code. The tests catch it and report the task
// as "not implemented yet" rather than as a crash.
#include <stdexcept>
#include <string>

namespace minillm::practice {

class NotImplemented : public std::logic_error {
 public:
  explicit NotImplemented(const std::string& task)
      : std::logic_error("not implemented yet: " + task + " (replace the TODO in the practice file)") {}
};

}  // namespace minillm::practice
