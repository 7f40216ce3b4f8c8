#include "core/tensor.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.hpp"

namespace minillm {

namespace {
void check_dims(const std::vector<int64_t>& dims) {
  for (size_t axis = 0; axis < dims.size(); ++axis) {
    require(dims[axis] >= 1, "shape [{}] has dimension {} = {}; every dimension must be at least 1",
            fmt::join(dims, ", "), axis, dims[axis]);
  }
  // Sizes read from files can be anything: past 2^60 elements a byte count overflows 64 bits (and no machine
  // holds it), so such a shape is an Error here rather than a wrapped-around element count later.
  int64_t numel = 1;
  for (int64_t d : dims)
    require(!__builtin_mul_overflow(numel, d, &numel) && numel <= (int64_t{1} << 60),
            "shape [{}] has more elements than any machine can hold", fmt::join(dims, ", "));
}
}  // namespace

Shape::Shape(std::initializer_list<int64_t> dims) : dims_(dims) { check_dims(dims_); }
Shape::Shape(std::vector<int64_t> dims) : dims_(std::move(dims)) { check_dims(dims_); }

int64_t Shape::numel() const {
  int64_t n = 1;
  for (int64_t d : dims_) n *= d;
  return n;
}

std::string Shape::str() const { return fmt::format("[{}]", fmt::join(dims_, ", ")); }

void TensorView::fill(float value) const { std::fill_n(data, numel(), value); }

Tensor::Tensor(Shape shape, float fill_value)
    : shape_(std::move(shape)), values_(static_cast<size_t>(shape_.numel()), fill_value) {}

Tensor::Tensor(Shape shape, std::vector<float> values) : shape_(std::move(shape)), values_(std::move(values)) {
  require(static_cast<int64_t>(values_.size()) == shape_.numel(),
          "a tensor of shape {} needs {} values, got {}", shape_.str(), shape_.numel(), values_.size());
}

void TensorArena::add(std::string name, Shape shape) {
  require(!allocated_, "cannot add tensor '{}' after the arena was allocated", name);
  require(!contains(name), "tensor '{}' was added twice", name);
  size_t n = static_cast<size_t>(shape.numel());
  entries_.push_back({std::move(name), std::move(shape), total_});
  total_ += n;
}

void TensorArena::allocate() {
  buffer_.assign(total_, 0.0f);
  allocated_ = true;
}

bool TensorArena::contains(const std::string& name) const {
  return std::any_of(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.name == name; });
}

const TensorArena::Entry& TensorArena::find(const std::string& name) const {
  require(allocated_, "tensor '{}' was requested before the arena was allocated", name);
  for (const Entry& e : entries_) {
    if (e.name == name) return e;
  }
  fail("no tensor named '{}' in this arena", name);
}

TensorView TensorArena::operator[](const std::string& name) {
  const Entry& e = find(name);
  return {buffer_.data() + e.offset, e.shape};
}

ConstTensorView TensorArena::operator[](const std::string& name) const {
  const Entry& e = find(name);
  return {buffer_.data() + e.offset, e.shape};
}

void TensorArena::zero() { std::fill(buffer_.begin(), buffer_.end(), 0.0f); }

void add_tensors(TensorArena& arena, const std::vector<TensorSpec>& table, const std::string& prefix) {
  for (const TensorSpec& row : table) arena.add(prefix + row.name, row.shape);
}

double table_floats(const std::vector<TensorSpec>& table) {
  double floats = 0;
  for (const TensorSpec& row : table) floats += double(row.shape.numel());
  return floats;
}

}  // namespace minillm
