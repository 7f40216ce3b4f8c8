#pragma once
// Tensors: contiguous, row-major float32 buffers with a shape.
//
// Two kinds, following llm.c:
//   - Tensor owns its storage (a std::vector<float>);
//   - TensorView points into storage owned by someone else, typically a TensorArena that holds all the
//     parameters (or gradients, or activations) of a model in ONE allocation, viewed through named tensors.
// Row-major means the last index moves fastest: element (i, j) of an [R, C] tensor is at i * C + j.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <vector>

namespace minillm {

// A shape like [B, T, C]. Every dimension must be >= 1: an empty tensor is almost always a bug.
class Shape {
 public:
  Shape() = default;
  Shape(std::initializer_list<int64_t> dims);
  explicit Shape(std::vector<int64_t> dims);

  int64_t operator[](size_t axis) const { return dims_.at(axis); }
  size_t rank() const { return dims_.size(); }
  int64_t numel() const;  // product of the dimensions (1 for a scalar shape [])
  const std::vector<int64_t>& dims() const { return dims_; }
  std::string str() const;  // "[4, 300]"
  bool operator==(const Shape& other) const = default;

 private:
  std::vector<int64_t> dims_;
};

// A non-owning view: a pointer and a shape. Cheap to copy.
struct TensorView {
  float* data = nullptr;
  Shape shape;

  int64_t numel() const { return shape.numel(); }
  std::span<float> span() const { return {data, static_cast<size_t>(numel())}; }
  float& at(int64_t i) const { return data[i]; }
  float& at(int64_t i, int64_t j) const { return data[i * shape[1] + j]; }  // rank-2 row-major
  void fill(float value) const;
  void zero() const { fill(0.0f); }
};

// The same, read-only: what a const arena or tensor hands out.
struct ConstTensorView {
  const float* data = nullptr;
  Shape shape;

  int64_t numel() const { return shape.numel(); }
  std::span<const float> span() const { return {data, static_cast<size_t>(numel())}; }
  float at(int64_t i) const { return data[i]; }
  float at(int64_t i, int64_t j) const { return data[i * shape[1] + j]; }  // rank-2 row-major
};

// An owning tensor.
class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(Shape shape, float fill_value = 0.0f);
  Tensor(Shape shape, std::vector<float> values);  // values.size() must equal shape.numel()

  float* data() { return values_.data(); }
  const float* data() const { return values_.data(); }
  const Shape& shape() const { return shape_; }
  int64_t numel() const { return shape_.numel(); }
  float& operator[](int64_t i) { return values_[static_cast<size_t>(i)]; }
  float operator[](int64_t i) const { return values_[static_cast<size_t>(i)]; }
  float& at(int64_t i, int64_t j) { return values_[static_cast<size_t>(i * shape_[1] + j)]; }
  float at(int64_t i, int64_t j) const { return values_[static_cast<size_t>(i * shape_[1] + j)]; }
  std::vector<float>& values() { return values_; }
  const std::vector<float>& values() const { return values_; }
  TensorView view() { return {values_.data(), shape_}; }

 private:
  Shape shape_;
  std::vector<float> values_;
};

// Many named tensors in one allocation (llm.c's "parameters in one buffer"). Usage:
//   TensorArena params;
//   params.add("wte", {V, C});
//   params.add("wpe", {T, C});
//   params.allocate();              // one zeroed allocation for all of them
//   TensorView wte = params["wte"];
// Order of add() is the order in memory, so a flat optimizer loop over params.data() sees them all.
// Looking a name up scans the list, so code on the hot path looks its pointers up once, when the arena is
// allocated (Gpt keeps them in structs of pointers, as llm.c does), not on every forward. A const arena
// hands out read-only views.
class TensorArena {
 public:
  struct Entry {
    std::string name;
    Shape shape;
    size_t offset = 0;  // in floats from the start of the buffer
  };

  void add(std::string name, Shape shape);  // only before allocate(); names must be unique
  void allocate();                          // allocates and zeroes; add() is closed afterwards
  bool allocated() const { return allocated_; }

  TensorView operator[](const std::string& name);  // throws Error naming the missing tensor
  ConstTensorView operator[](const std::string& name) const;
  bool contains(const std::string& name) const;
  const std::vector<Entry>& entries() const { return entries_; }
  float* data() { return buffer_.data(); }
  const float* data() const { return buffer_.data(); }
  size_t size() const { return total_; }  // total floats
  void zero();

 private:
  const Entry& find(const std::string& name) const;  // Error naming a missing tensor or an unallocated arena

  std::vector<Entry> entries_;
  std::vector<float> buffer_;
  size_t total_ = 0;
  bool allocated_ = false;
};

// One row of a tensor table: a tensor's name and shape, and, for a model parameter, whether Hugging Face's
// GPT-2 stores it transposed (its Conv1D weights). Models declare their tensors as such tables once, and
// arenas, model files and memory estimates are made from them.
struct TensorSpec {
  std::string name;
  Shape shape;
  bool hf_transposed = false;
};

// Adds every row (as prefix + name) to an arena not yet allocated.
void add_tensors(TensorArena& arena, const std::vector<TensorSpec>& table, const std::string& prefix = "");
// The floats of all rows, in double (for estimates: L blocks of a huge model never overflow).
double table_floats(const std::vector<TensorSpec>& table);

}  // namespace minillm
