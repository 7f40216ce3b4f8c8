// Refusing sizes that cannot fit, before allocating: the machine's memory, its override for tests, the
// wording of byte counts, and shapes too large for any machine.
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/memory.hpp"
#include "core/tensor.hpp"
#include "../test_support.hpp"

namespace minillm {
namespace {

using test_support::error_of;
using test_support::MemoryLimit;

TEST(Memory, FormatBytesUsesDecimalUnitsAndTwoSignificantDigits) {
  EXPECT_EQ(format_bytes(100), "100 bytes");
  EXPECT_EQ(format_bytes(12'000), "12 kB");
  EXPECT_EQ(format_bytes(1'500'000), "1.5 MB");
  EXPECT_EQ(format_bytes(24e9), "24 GB");
  EXPECT_EQ(format_bytes(13.2e12), "13 TB");
  EXPECT_EQ(format_bytes(999.4e9), "999 GB");
  EXPECT_EQ(format_bytes(999.6e9), "1.0 TB");
}

TEST(Memory, MachineMemoryIsReadFromTheSystem) {
  ::unsetenv("MINILLM_MEMORY_LIMIT");
  const MachineMemory m = machine_memory();
  EXPECT_GT(m.total_bytes, 64e6) << "no machine that builds minillm has less than 64 MB";
  EXPECT_GT(m.available_bytes, 0);
  EXPECT_LE(m.available_bytes, m.total_bytes);
}

TEST(Memory, TheLimitVariableMakesTheMachineLookSmaller) {
  MemoryLimit limit("3M");
  const MachineMemory m = machine_memory();
  EXPECT_EQ(m.total_bytes, 3.0 * 1024 * 1024);
  EXPECT_EQ(m.available_bytes, 3.0 * 1024 * 1024);
}

TEST(Memory, AMistypedLimitIsAnErrorNotNoLimit) {
  MemoryLimit limit("3 gigs");
  EXPECT_NE(error_of([] { machine_memory(); }).find("MINILLM_MEMORY_LIMIT=\"3 gigs\" is not a size"), std::string::npos);
}

TEST(Memory, RequireMemorySaysWhatNeedsHowMuchAndWhatTheMachineHas) {
  MemoryLimit limit("1G");
  EXPECT_NO_THROW(require_memory(1e6, "a small table"));
  const std::string message = error_of([] { require_memory(5e12, "the table", "use fewer rows"); });
  EXPECT_EQ(message, "the table needs 5.0 TB; this machine has 1.1 GB available (of 1.1 GB): use fewer rows");
}

TEST(Memory, ShapesBeyondAnyMachineAreErrorsNotOverflows) {
  const std::string message = error_of([] { Shape({int64_t{1} << 31, int64_t{1} << 31}); });
  EXPECT_NE(message.find("more elements than any machine can hold"), std::string::npos) << message;
  EXPECT_NE(error_of([] { Shape({int64_t{1} << 40, int64_t{1} << 40, 3}); }).find("more elements"),
            std::string::npos) << "a product that wraps around int64 must not pass";
  EXPECT_NO_THROW(Shape({int64_t{1} << 30, 1024}));
}

}  // namespace
}  // namespace minillm
