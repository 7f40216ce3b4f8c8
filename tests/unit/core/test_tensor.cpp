// Shape, Tensor, TensorView and TensorArena: row-major offsets, one allocation for many named tensors, and
// errors that name the tensor or dimension at fault.
#include <gtest/gtest.h>

#include <string>
#include <type_traits>
#include <vector>

#include "core/error.hpp"
#include "core/tensor.hpp"

namespace {

using minillm::Error;
using minillm::Shape;
using minillm::Tensor;
using minillm::TensorArena;
using minillm::TensorView;

// Runs `body`, expects an Error, and returns its message (empty if nothing was thrown).
template <typename Body>
std::string error_message(Body&& body) {
  try {
    body();
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected minillm::Error";
  return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(Shape, NumelRankAndText) {
  Shape s{2, 3, 4};
  EXPECT_EQ(s.rank(), 3u);
  EXPECT_EQ(s.numel(), 24) << "2*3*4";
  EXPECT_EQ(s[1], 3);
  EXPECT_EQ(s.str(), "[2, 3, 4]");
  EXPECT_EQ(Shape{}.numel(), 1) << "a scalar shape [] holds one number";
  EXPECT_EQ(Shape(std::vector<int64_t>{5, 6}), (Shape{5, 6}));
  EXPECT_NE((Shape{5, 6}), (Shape{6, 5}));
}

TEST(Shape, ZeroOrNegativeDimensionsAreRejectedNamingTheAxis) {
  std::string message = error_message([] { Shape s{4, 0, 3}; });
  EXPECT_TRUE(contains(message, "[4, 0, 3]")) << message;
  EXPECT_TRUE(contains(message, "dimension 1 = 0")) << message;
  message = error_message([] { Shape s(std::vector<int64_t>{-2}); });
  EXPECT_TRUE(contains(message, "dimension 0 = -2")) << message;
}

TEST(Tensor, RowMajorLayout) {
  // [2, 3]: row 0 is 0 1 2, row 1 is 3 4 5; element (i, j) is at i*3 + j.
  Tensor t(Shape{2, 3}, std::vector<float>{0, 1, 2, 3, 4, 5});
  EXPECT_EQ(t.at(1, 2), 5.0f) << "(1, 2) in a 2x3 matrix is offset 1*3+2 = 5";
  EXPECT_EQ(t.at(0, 2), 2.0f);
  EXPECT_EQ(t[4], 4.0f);
  t.at(1, 0) = 42.0f;
  EXPECT_EQ(t.data()[3], 42.0f) << "(1, 0) is offset 3";
}

TEST(Tensor, FillValueAndSizeCheck) {
  Tensor t(Shape{3, 2}, 1.5f);
  EXPECT_EQ(t.numel(), 6);
  for (float v : t.values()) EXPECT_EQ(v, 1.5f);
  std::string message = error_message([] { Tensor bad(Shape{2, 2}, std::vector<float>{1, 2, 3}); });
  EXPECT_TRUE(contains(message, "[2, 2]") && contains(message, "needs 4 values, got 3")) << message;
}

TEST(TensorView, ViewsShareStorage) {
  Tensor t(Shape{2, 2});
  TensorView v = t.view();
  v.at(1, 1) = 7.0f;
  EXPECT_EQ(t.at(1, 1), 7.0f) << "a view writes into the tensor it views";
  v.fill(2.0f);
  for (float x : t.values()) EXPECT_EQ(x, 2.0f);
  EXPECT_EQ(v.span().size(), 4u);
  v.zero();
  EXPECT_EQ(t[0], 0.0f);
}

TEST(TensorArena, TensorsLiveInOneBufferInTheOrderAdded) {
  TensorArena arena;
  arena.add("wte", {5, 4});
  arena.add("wpe", {3, 4});
  arena.add("bias", {4});
  arena.allocate();
  EXPECT_EQ(arena.size(), 20u + 12u + 4u);
  ASSERT_EQ(arena.entries().size(), 3u);
  EXPECT_EQ(arena.entries()[1].offset, 20u) << "wpe starts after the 5*4 floats of wte";
  EXPECT_EQ(arena.entries()[2].offset, 32u);
  EXPECT_EQ(arena["wte"].data, arena.data());
  EXPECT_EQ(arena["wpe"].data, arena.data() + 20);
  EXPECT_EQ(arena["bias"].data, arena.data() + 32);
  EXPECT_EQ(arena["wpe"].shape, (Shape{3, 4}));
  for (size_t i = 0; i < arena.size(); ++i) ASSERT_EQ(arena.data()[i], 0.0f) << "allocate() zeroes";

  arena["wpe"].at(2, 3) = 9.0f;
  EXPECT_EQ(arena.data()[20 + 2 * 4 + 3], 9.0f) << "a named view writes into the shared buffer";
  arena.zero();
  EXPECT_EQ(arena.data()[31], 0.0f);
  EXPECT_TRUE(arena.contains("bias"));
  EXPECT_FALSE(arena.contains("lm_head"));

  // A const arena hands out read-only views of the same memory (no writable pointer through a const_cast).
  const TensorArena& read_only = arena;
  static_assert(std::is_same_v<decltype(read_only["wpe"]), minillm::ConstTensorView>);
  static_assert(std::is_same_v<decltype(read_only["wpe"].data), const float*>);
  EXPECT_EQ(read_only["wpe"].data, arena.data() + 20);
  EXPECT_EQ(read_only["wpe"].at(2, 3), arena["wpe"].at(2, 3));
}

TEST(TensorArena, ErrorsNameTheTensor) {
  TensorArena arena;
  arena.add("wte", {2, 2});
  EXPECT_TRUE(contains(error_message([&] { arena.add("wte", {3}); }), "'wte'")) << "a duplicate name";
  EXPECT_TRUE(contains(error_message([&] { (void)arena["wte"]; }), "before the arena was allocated"));
  arena.allocate();
  std::string message = error_message([&] { (void)arena["lm_head"]; });
  EXPECT_TRUE(contains(message, "'lm_head'")) << message;
  message = error_message([&] { arena.add("late", {1}); });
  EXPECT_TRUE(contains(message, "'late'") && contains(message, "after")) << message;
}

TEST(TensorArena, ZeroSizeTensorsAreRejected) {
  TensorArena arena;
  std::string message = error_message([&] { arena.add("empty", Shape{0, 4}); });
  EXPECT_TRUE(contains(message, "dimension 0 = 0")) << message;
}

}  // namespace
