// Text or not: what `embed train` refuses before learning from it.
#include <string>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "io/text_check.hpp"

namespace minillm {
namespace {

std::string error_of(std::string_view bytes) {
  try {
    require_text(bytes, "input.txt");
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(TextCheck, CountsNulBytesAndInvalidUtf8) {
  const TextCheck plain = check_text("Call me Ishmael.\n");
  EXPECT_EQ(plain.nul_bytes, 0u);
  EXPECT_EQ(plain.invalid_utf8, 0u);
  const TextCheck utf8 = check_text("Ünïcödé 日本語 🙂");
  EXPECT_EQ(utf8.invalid_utf8, 0u) << "2-, 3- and 4-byte sequences are valid";
  const TextCheck mixed = check_text(std::string("ab\0c\xff\xc3\x28\xed\xa0\x80", 10));
  EXPECT_EQ(mixed.nul_bytes, 1u);
  EXPECT_EQ(mixed.first_nul, 2u);
  EXPECT_EQ(mixed.invalid_utf8, 5u) << "0xFF, a lead byte without its continuation, and a UTF-16 surrogate (3)";
}

TEST(TextCheck, TextPassesEvenWithSomeLatin1) {
  EXPECT_EQ(error_of("The whale, the whale!\n"), "(no error)");
  EXPECT_EQ(error_of("caf\xe9 au lait, na\xefve r\xe9sum\xe9 of a long sentence in Latin-1"), "(no error)")
      << "a few invalid bytes in mostly ASCII text are accents, not binary data";
}

TEST(TextCheck, BinaryDataIsRefusedWithTheReason) {
  EXPECT_EQ(error_of(std::string("PK\x03\x04\0\0 zip", 10)),
            "input.txt is not text: it has 2 NUL bytes (the first at byte 4), so it is binary data; give a plain text "
            "file");
  std::string noise(4000, '\0');
  Rng rng(7);
  for (char& c : noise) c = static_cast<char>(0x80 + rng.next_u32() % 0x80);  // high bytes, no NULs
  const std::string message = error_of(noise);
  EXPECT_NE(message.find("input.txt is not text: "), std::string::npos) << message;
  EXPECT_NE(message.find("are not UTF-8, so it is binary or compressed data"), std::string::npos) << message;
}

}  // namespace
}  // namespace minillm
