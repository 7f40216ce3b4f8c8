#pragma once
// An index on disk: everything a later `minillm index query` needs, in one self-contained file.
//
//   the vectors [count, dim] (float32), whether they are unit length;
//   a key per vector (the word, or the passage's text) and its place in the source ("line 12, CHAPTER 1.");
//   how to embed a text query the same way: the word vectors and weights used (TextEmbedder), so the file
//   works even after the .vec file it came from is gone; or, for GPT-state passages, the checkpoint's path
//   and hashes (CheckpointRef: a model is too big to copy into every index, so it is named and checked);
//   optionally an IVF layer (the centroids and each vector's list);
//   a checksum of all of the above.
//
// The byte layout is in docs/formats.md. load_index() checks the magic, the version and every size
// against the file's size before allocating anything, so a damaged or hostile file is one clear Error,
// never a crash or a huge allocation. save_index() writes atomically (temporary file, then rename).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "io/file_hash.hpp"
#include "search/checkpoint_ref.hpp"
#include "search/flat_index.hpp"
#include "search/ivf_index.hpp"
#include "search/text_embedder.hpp"

namespace minillm::search {

inline constexpr char kIndexMagic[8] = {'M', 'L', 'L', 'M', 'I', 'D', 'X', '\0'};
// Version 2 added the checkpoint section (GPT-state passages); version 1 files, which cannot have one, are
// still read.
inline constexpr uint32_t kIndexVersion = 2;
inline constexpr uint32_t kOldestIndexVersion = 1;

struct SearchIndex {
  FlatIndex flat{1};
  bool normalised = true;
  std::vector<std::string> keys;    // [count]
  std::vector<std::string> places;  // [count]; empty strings for word indexes
  std::optional<TextEmbedder> embedder;     // word-vector passages (or words); or else
  std::optional<CheckpointRef> checkpoint;  // GPT-state passages: the model that embedded them
  std::optional<IvfIndex> ivf;
};

void save_index(const std::filesystem::path& path, const SearchIndex& index);
SearchIndex load_index(const std::filesystem::path& path);

// The bytes save_index writes and the parse of such bytes (for tests and fuzzers; `name` is used in errors).
std::string serialise_index(const SearchIndex& index);
SearchIndex parse_index(std::string_view bytes, const std::string& name);

// FNV-1a, 64 bits (io/file_hash.hpp): the file's checksum.
using minillm::fnv1a64;
using minillm::kFnv1a64Offset;

}  // namespace minillm::search
