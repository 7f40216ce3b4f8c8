#pragma once
// `minillm index build` and `minillm index query`: their settings, one row each (io/config_fields.hpp), so
// each default is written once and --help shows it the way every command does.
#include <cstdint>
#include <string>
#include <vector>

#include "io/config_fields.hpp"

namespace minillm::search {

#define MINILLM_INDEX_BUILD_CONFIG(X)                                                                          \
  X(std::string, passages, "paragraphs", "--passages", any_value(),                                           \
    "paragraphs (the text's own) or windows (--window words, --overlap words)")                                \
  X(int, window, 100, "--window", greater_than(0), "words per window (--passages windows)")                   \
  X(int, overlap, 20, "--overlap", at_least(0), "words shared by neighbouring windows")                        \
  X(std::string, weights, "plain", "--weights", any_value(),                                                   \
    "plain or sif (rare words count more, the direction all passages share is removed)")                       \
  X(int, ivf_lists, 0, "--ivf", greater_than_or_unset(0), "also build an IVF layer with this many k-means lists") \
  X(uint64_t, seed, 1, "--seed", any_value(), "random seed (k-means)")

#define MINILLM_INDEX_QUERY_CONFIG(X)                                                                          \
  X(int, k, 5, "-k", greater_than(0), "how many results")                                                      \
  X(int, nprobe, 0, "--nprobe", greater_than_or_unset(0), "IVF lists to scan per query (not given: lists / 8)")

struct IndexBuildSettings {
  using Self = IndexBuildSettings;
  MINILLM_INDEX_BUILD_CONFIG(MINILLM_CONFIG_MEMBER)
  static std::vector<ConfigField<Self>> fields() { return {MINILLM_INDEX_BUILD_CONFIG(MINILLM_CONFIG_FIELD)}; }
};

struct IndexQuerySettings {
  using Self = IndexQuerySettings;
  MINILLM_INDEX_QUERY_CONFIG(MINILLM_CONFIG_MEMBER)
  static std::vector<ConfigField<Self>> fields() { return {MINILLM_INDEX_QUERY_CONFIG(MINILLM_CONFIG_FIELD)}; }
};

}  // namespace minillm::search
