#include "search/index_file.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "search/vectors.hpp"

namespace minillm::search {

static_assert(std::endian::native == std::endian::little, "index files are little-endian; this host is not");

namespace {

constexpr size_t kHeaderBytes = 48;
constexpr size_t kChecksumBytes = 8;
constexpr uint32_t kFlagNormalised = 1, kFlagPlaces = 2, kFlagCommonDirection = 4, kFlagCheckpoint = 8;
constexpr uint32_t kMaxDim = 1 << 16;

template <typename T>
void put(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

void put_floats(std::string& out, const float* data, size_t n) {
  out.append(reinterpret_cast<const char*>(data), n * sizeof(float));
}

// u64 total bytes, then n u32 lengths, then the bytes one after the other.
void put_strings(std::string& out, const std::vector<std::string>& strings) {
  uint64_t total = 0;
  for (const std::string& s : strings) total += s.size();
  put<uint64_t>(out, total);
  for (const std::string& s : strings) {
    require(s.size() < (uint64_t(1) << 32), "a key of {} bytes is too long for an index file", s.size());
    put<uint32_t>(out, static_cast<uint32_t>(s.size()));
  }
  for (const std::string& s : strings) out += s;
}

// Reads the file front to back; every read is checked against the bytes left, so a size field that lies
// is caught before the allocation it would cause.
class Reader {
 public:
  Reader(std::string_view bytes, std::string name) : bytes_(bytes), name_(std::move(name)) {}
  size_t left() const { return bytes_.size() - pos_; }
  [[noreturn]] void damaged(const std::string& what) const {
    fail("{}: {}; the file is damaged or not a minillm index: build it again with `minillm index build`", name_,
         what);
  }
  std::string_view take(uint64_t n, const char* what) {
    if (n > left()) damaged(fmt::format("the {} need {} bytes but only {} are left", what, n, left()));
    const std::string_view s = bytes_.substr(pos_, size_t(n));
    pos_ += size_t(n);
    return s;
  }
  template <typename T>
  T get(const char* what) {
    T value;
    std::memcpy(&value, take(sizeof(T), what).data(), sizeof(T));
    return value;
  }
  // rows * cols floats, with the product checked before it can overflow.
  std::vector<float> floats(uint64_t rows, uint64_t cols, const char* what) {
    if (cols != 0 && rows > left() / sizeof(float) / cols)
      damaged(fmt::format("the {} ({} x {} floats) need more bytes than the {} left", what, rows, cols, left()));
    const std::string_view s = take(rows * cols * sizeof(float), what);
    std::vector<float> out(size_t(rows * cols));
    if (!s.empty()) std::memcpy(out.data(), s.data(), s.size());  // an empty vector's data() may be null
    // A nan or infinity would poison every score it touches (and the top-k's ordering).
    for (size_t i = 0; i < out.size(); ++i)
      if (!std::isfinite(out[i])) damaged(fmt::format("number {} of the {} is {}, not a finite float", i, what, out[i]));
    return out;
  }
  std::vector<std::string> strings(uint64_t n, const char* what) {
    const uint64_t total = get<uint64_t>(what);
    if (n > left() / sizeof(uint32_t) || total > left() - n * sizeof(uint32_t))
      damaged(fmt::format("the {} ({} of them, {} bytes) need more bytes than the {} left", what, n, total, left()));
    const std::string_view lengths = take(n * sizeof(uint32_t), what);
    std::vector<std::string> out(static_cast<size_t>(n));
    uint64_t used = 0;
    for (uint64_t i = 0; i < n; ++i) {
      uint32_t length;
      std::memcpy(&length, lengths.data() + i * sizeof(uint32_t), sizeof(uint32_t));
      if (length > total - used) damaged(fmt::format("the {}' lengths add up to more than their {} bytes", what, total));
      used += length;
    }
    if (used != total) damaged(fmt::format("the {}' lengths add up to {} bytes, not {}", what, used, total));
    for (uint64_t i = 0; i < n; ++i) {
      uint32_t length;
      std::memcpy(&length, lengths.data() + i * sizeof(uint32_t), sizeof(uint32_t));
      out[size_t(i)] = std::string(take(length, what));
    }
    return out;
  }

 private:
  std::string_view bytes_;
  std::string name_;
  size_t pos_ = 0;
};

struct Header {
  uint32_t version, flags, dim, lists;
  uint64_t count, words;
  uint32_t word_dim;
};

Header read_header(Reader& in, const std::string& name) {
  const std::string_view magic = in.take(8, "magic bytes");
  require(magic == std::string_view(kIndexMagic, 8),
          "{}: not a minillm index (it does not start with the bytes \"MLLMIDX\"); make one with `minillm index build`",
          name);
  Header h{};
  h.version = in.get<uint32_t>("version");
  require(h.version >= kOldestIndexVersion && h.version <= kIndexVersion,
          "{}: index format version {}, but this minillm reads versions {} to {}: build the index again with this "
          "minillm", name, h.version, kOldestIndexVersion, kIndexVersion);
  h.flags = in.get<uint32_t>("flags");
  h.dim = in.get<uint32_t>("dimension");
  h.lists = in.get<uint32_t>("IVF list count");
  h.count = in.get<uint64_t>("vector count");
  h.words = in.get<uint64_t>("word count");
  h.word_dim = in.get<uint32_t>("word dimension");
  in.take(4, "header");
  if (h.dim < 1 || h.dim > kMaxDim) in.damaged(fmt::format("dimension {} is outside 1..{}", h.dim, kMaxDim));
  if ((h.flags & kFlagCommonDirection) && h.words == 0) in.damaged("a common direction but no embedder");
  if (h.words > 0 && (h.word_dim != h.dim))
    in.damaged(fmt::format("word vectors of dimension {} cannot embed queries for vectors of dimension {}",
                           h.word_dim, h.dim));
  if (h.count == 0) in.damaged("it holds no vectors (minillm index build never writes an empty index)");
  if (h.lists > h.count) in.damaged(fmt::format("{} IVF lists for only {} vectors", h.lists, h.count));
  const uint32_t known = kFlagNormalised | kFlagPlaces | kFlagCommonDirection | (h.version >= 2 ? kFlagCheckpoint : 0);
  if ((h.flags & ~known) != 0) in.damaged(fmt::format("unknown flags {:#x} for version {}", h.flags, h.version));
  if ((h.flags & kFlagCheckpoint) && h.words > 0) in.damaged("both word vectors and a checkpoint to embed queries");
  return h;
}

std::vector<int32_t> read_assignment(Reader& in, uint64_t count, uint32_t lists) {
  if (count > in.left() / sizeof(int32_t)) in.damaged("the IVF list numbers need more bytes than are left");
  const std::string_view s = in.take(count * sizeof(int32_t), "IVF list numbers");
  std::vector<int32_t> out(static_cast<size_t>(count));
  if (!s.empty()) std::memcpy(out.data(), s.data(), s.size());
  for (int32_t l : out)
    if (l < 0 || uint32_t(l) >= lists) in.damaged(fmt::format("IVF list number {} is outside 0..{}", l, lists - 1));
  return out;
}

}  // namespace

std::string serialise_index(const SearchIndex& index) {
  const FlatIndex& flat = index.flat;
  const uint64_t count = uint64_t(flat.size());
  require(index.keys.size() == count, "an index of {} vectors needs {} keys, got {}", count, count, index.keys.size());
  require(index.places.empty() || index.places.size() == count, "{} places for {} vectors", index.places.size(), count);
  std::string out(kIndexMagic, 8);
  put<uint32_t>(out, kIndexVersion);
  require(!(index.embedder && index.checkpoint), "an index embeds queries with word vectors or a checkpoint, not both");
  const bool common = index.embedder && !index.embedder->common_direction().empty();
  put<uint32_t>(out, (index.normalised ? kFlagNormalised : 0) | (index.places.empty() ? 0 : kFlagPlaces) |
                         (common ? kFlagCommonDirection : 0) | (index.checkpoint ? kFlagCheckpoint : 0));
  put<uint32_t>(out, uint32_t(flat.dim()));
  put<uint32_t>(out, index.ivf ? uint32_t(index.ivf->lists()) : 0);
  put<uint64_t>(out, count);
  put<uint64_t>(out, index.embedder ? uint64_t(index.embedder->vocabulary_size()) : 0);
  put<uint32_t>(out, index.embedder ? uint32_t(index.embedder->dim()) : 0);
  put<uint32_t>(out, 0);
  put_floats(out, flat.data(), count * uint64_t(flat.dim()));
  put_strings(out, index.keys);
  if (!index.places.empty()) put_strings(out, index.places);
  if (index.checkpoint) {
    put_strings(out, {index.checkpoint->path});
    put<uint64_t>(out, index.checkpoint->model_hash);
    put<uint64_t>(out, index.checkpoint->tokenizer_hash);
  }
  if (index.embedder) {
    put_strings(out, index.embedder->words());
    put_floats(out, index.embedder->vectors().data(), index.embedder->vectors().size());
    put_floats(out, index.embedder->weights().data(), index.embedder->weights().size());
    if (common) put_floats(out, index.embedder->common_direction().data(), index.embedder->common_direction().size());
  }
  if (index.ivf) {
    put_floats(out, index.ivf->centroids().data(), index.ivf->centroids().size());
    for (int32_t l : index.ivf->assignment()) put<int32_t>(out, l);
  }
  put<uint64_t>(out, fnv1a64(out));
  return out;
}

SearchIndex parse_index(std::string_view bytes, const std::string& name) {
  require(bytes.substr(0, 8) == std::string_view(kIndexMagic, 8).substr(0, std::min<size_t>(8, bytes.size())),
          "{}: not a minillm index (it does not start with the bytes \"MLLMIDX\"); make one with `minillm index build`",
          name);
  require(bytes.size() >= kHeaderBytes + kChecksumBytes,
          "{}: {} bytes is too short for a minillm index (the header alone is {}); make one with `minillm index build`",
          name, bytes.size(), kHeaderBytes + kChecksumBytes);
  Reader in(bytes.substr(0, bytes.size() - kChecksumBytes), name);
  const Header h = read_header(in, name);
  uint64_t stored;
  std::memcpy(&stored, bytes.data() + bytes.size() - kChecksumBytes, sizeof stored);
  if (stored != fnv1a64(bytes.substr(0, bytes.size() - kChecksumBytes)))
    in.damaged("its checksum does not match its contents (cut short, or changed after it was written)");
  SearchIndex index;
  index.normalised = (h.flags & kFlagNormalised) != 0;
  index.flat = FlatIndex(int(h.dim));
  const std::vector<float> vectors = in.floats(h.count, h.dim, "vectors");
  index.flat.add(vectors.data(), int64_t(h.count));
  index.keys = in.strings(h.count, "keys");
  if (h.flags & kFlagPlaces) index.places = in.strings(h.count, "places");
  if (h.flags & kFlagCheckpoint) {
    CheckpointRef ref;
    ref.path = in.strings(1, "checkpoint path")[0];
    if (ref.path.empty()) in.damaged("the checkpoint's path is empty");
    ref.model_hash = in.get<uint64_t>("checkpoint's model hash");
    ref.tokenizer_hash = in.get<uint64_t>("checkpoint's tokenizer hash");
    index.checkpoint = std::move(ref);
  }
  if (h.words > 0) {
    std::vector<std::string> words = in.strings(h.words, "embedder words");
    std::vector<float> table = in.floats(h.words, h.word_dim, "embedder vectors");
    std::vector<float> weights = in.floats(h.words, 1, "embedder weights");
    index.embedder.emplace(std::move(words), std::move(table), int(h.word_dim), std::move(weights));
    if (h.flags & kFlagCommonDirection) {
      std::vector<float> direction = in.floats(1, h.dim, "common direction");
      if (std::abs(l2_norm(direction) - 1) > 1e-3) in.damaged("the common direction does not have length 1");
      index.embedder->set_common_direction(std::move(direction));
    }
  }
  if (h.lists > 0) {
    std::vector<float> centroids = in.floats(h.lists, h.dim, "IVF centroids");
    std::vector<int32_t> assignment = read_assignment(in, h.count, h.lists);
    index.ivf.emplace(index.flat, std::move(centroids), std::move(assignment));
  }
  if (in.left() != 0) in.damaged(fmt::format("{} bytes follow the last section", in.left()));
  return index;
}

void save_index(const std::filesystem::path& path, const SearchIndex& index) {
  write_file_atomically(path, serialise_index(index));
}

SearchIndex load_index(const std::filesystem::path& path) {
  require(std::filesystem::is_regular_file(path), "{}: no such index file; make one with `minillm index build`",
          path.string());
  return parse_index(read_file(path), path.string());
}

}  // namespace minillm::search
