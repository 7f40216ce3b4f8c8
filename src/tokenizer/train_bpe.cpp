#include "tokenizer/train_bpe.hpp"

#include <algorithm>
#include <queue>
#include <set>

#include <absl/container/flat_hash_map.h>

#include "core/error.hpp"
#include "tokenizer/regex_splitter.hpp"
#include "tokenizer/special_split.hpp"
#include "tokenizer/tokenizer_impl.hpp"

namespace minillm {

namespace {

using Pair = uint64_t;  // (left id << 32) | right id: one integer, so maps hash it cheaply
Pair make_pair_key(int32_t left, int32_t right) {
  return (uint64_t{static_cast<uint32_t>(left)} << 32) | static_cast<uint32_t>(right);
}
int32_t left_of(Pair p) { return static_cast<int32_t>(p >> 32); }
int32_t right_of(Pair p) { return static_cast<int32_t>(p & 0xFFFFFFFFu); }

// A unique pre-token of the corpus, as the tokens it currently consists of, and how often it occurs.
struct Word {
  std::vector<int32_t> ids;
  int64_t count;
};

// A heap entry. The heap's top is the pair to merge next: highest count, then the smallest pair.
struct Candidate {
  int64_t count;
  Pair pair;
  bool operator<(const Candidate& o) const { return count != o.count ? count < o.count : pair > o.pair; }
};

// The corpus as unique words with counts. Special-token text is cut out first so it never merges.
std::vector<Word> count_words(std::string_view corpus, const RegexSplitter& splitter,
                              const std::vector<std::string>& specials) {
  absl::flat_hash_map<std::string_view, int64_t> counts;
  auto count_segment = [&](std::string_view segment) { splitter.split(segment, [&](std::string_view piece) { ++counts[piece]; }); };
  const std::vector<std::string_view> special_views(specials.begin(), specials.end());
  split_on_specials(corpus, special_views, count_segment, [](size_t) {});

  std::vector<Word> words;
  words.reserve(counts.size());
  for (const auto& [piece, count] : counts) {
    Word w{std::vector<int32_t>(piece.size()), count};
    for (size_t i = 0; i < piece.size(); ++i) w.ids[i] = static_cast<unsigned char>(piece[i]);
    words.push_back(std::move(w));
  }
  // Hash-map order differs between standard libraries; sorting keeps every later step reproducible.
  std::sort(words.begin(), words.end(), [](const Word& a, const Word& b) { return a.ids < b.ids; });
  return words;
}

class Trainer {
 public:
  explicit Trainer(std::vector<Word> words) : words_(std::move(words)), seen_in_merge_(words_.size(), -1) {
    for (uint32_t w = 0; w < words_.size(); ++w) {
      const auto& ids = words_[w].ids;
      for (size_t i = 0; i + 1 < ids.size(); ++i) add(make_pair_key(ids[i], ids[i + 1]), words_[w].count, w);
    }
    for (const auto& [pair, count] : pair_counts_) heap_.push({count, pair});
  }

  // The most frequent pair (ties: smallest), or count 0 when nothing is left to merge. Entries whose
  // count went down since they were pushed are pushed again with the current count.
  Candidate best() {
    while (!heap_.empty()) {
      const Candidate top = heap_.top();
      heap_.pop();
      const int64_t current = count_of(top.pair);
      if (current == top.count) return top;
      if (current > 0) heap_.push({current, top.pair});
    }
    return {0, 0};
  }

  // Replaces every occurrence of `pair` by `merged` in the words that contain it, updating the counts of
  // the neighbouring pairs as it goes.
  void merge(Pair pair, int32_t merged, int merge_index) {
    std::vector<uint32_t> candidates = std::move(where_[pair]);
    where_.erase(pair);
    new_pairs_.clear();
    for (uint32_t w : candidates) {
      if (seen_in_merge_[w] == merge_index) continue;  // listed twice
      seen_in_merge_[w] = merge_index;
      merge_in_word(w, left_of(pair), right_of(pair), merged);
    }
    pair_counts_.erase(pair);
    std::sort(new_pairs_.begin(), new_pairs_.end());
    new_pairs_.erase(std::unique(new_pairs_.begin(), new_pairs_.end()), new_pairs_.end());
    for (Pair p : new_pairs_)
      if (count_of(p) > 0) heap_.push({count_of(p), p});
  }

  int64_t unique_words() const { return static_cast<int64_t>(words_.size()); }

 private:
  int64_t count_of(Pair p) const {
    auto it = pair_counts_.find(p);
    return it == pair_counts_.end() ? 0 : it->second;
  }

  void add(Pair p, int64_t count, uint32_t word) {
    pair_counts_[p] += count;
    auto& list = where_[p];
    if (list.empty() || list.back() != word) list.push_back(word);
  }
  void remove(Pair p, int64_t count) { pair_counts_[p] -= count; }

  // lesson: merge_in_word
  void merge_in_word(uint32_t w, int32_t a, int32_t b, int32_t merged) {
    std::vector<int32_t>& ids = words_[w].ids;
    const int64_t c = words_[w].count;
    size_t write = 0;
    for (size_t read = 0; read < ids.size();) {
      if (read + 1 < ids.size() && ids[read] == a && ids[read + 1] == b) {
        // ... x a b y ...  becomes  ... x M y ...: the pairs (x,a), (a,b), (b,y) go, (x,M), (M,y) come.
        if (write > 0) {
          remove(make_pair_key(ids[write - 1], a), c);
          add_new(make_pair_key(ids[write - 1], merged), c, w);
        }
        remove(make_pair_key(a, b), c);
        if (read + 2 < ids.size()) {
          remove(make_pair_key(b, ids[read + 2]), c);
          add_new(make_pair_key(merged, ids[read + 2]), c, w);
        }
        ids[write++] = merged;
        read += 2;
      } else {
        ids[write++] = ids[read++];
      }
    }
    ids.resize(write);
  }
  // end lesson: merge_in_word

  void add_new(Pair p, int64_t count, uint32_t word) {
    add(p, count, word);
    new_pairs_.push_back(p);
  }

  std::vector<Word> words_;
  absl::flat_hash_map<Pair, int64_t> pair_counts_;
  absl::flat_hash_map<Pair, std::vector<uint32_t>> where_;  // pair -> words that (may) contain it
  std::priority_queue<Candidate> heap_;
  std::vector<int> seen_in_merge_;
  std::vector<Pair> new_pairs_;
};

}  // namespace

namespace {

// The options' errors, then the corpus as unique words with counts (the start of both forms).
std::vector<Word> words_to_train_on(std::string_view corpus, const BpeTrainOptions& options) {
  require(!corpus.empty(), "the training corpus is empty: give train_bpe some text (a few kilobytes at least)");
  const int special_count = static_cast<int>(options.special_tokens.size());
  require(options.vocab_size >= 256 + special_count,
          "vocab size {} is too small: a byte-level vocabulary needs the 256 byte tokens plus {} special token(s), "
          "so at least {}", options.vocab_size, special_count, 256 + special_count);
  std::set<std::string> distinct;
  for (const std::string& s : options.special_tokens) {
    require(!s.empty(), "a special token cannot be the empty string");
    require(distinct.insert(s).second, "the special token \"{}\" is listed twice", s);
  }
  return count_words(corpus, RegexSplitter(options.pattern), options.special_tokens);
}

int merges_wanted(const BpeTrainOptions& options) {
  return options.vocab_size - 256 - static_cast<int>(options.special_tokens.size());
}

// The merges learned so far, as the result both forms return.
struct LearnedMerges {
  std::vector<std::pair<TokenId, TokenId>> merges;
  std::vector<int64_t> counts;
  void add(Pair pair, int64_t count) {
    merges.emplace_back(token_id(left_of(pair)), token_id(right_of(pair)));
    counts.push_back(count);
  }
  BpeTrainResult result(const BpeTrainOptions& options, int64_t unique_words) {
    return BpeTrainResult{Tokenizer::from_merges(options.pattern, std::move(merges), options.special_tokens),
                          std::move(counts), unique_words};
  }
};

// ids with every (a, b), left to right, replaced by merged.
void merge_pair_in(std::vector<int32_t>& ids, int32_t a, int32_t b, int32_t merged) {
  size_t out = 0;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i + 1 < ids.size() && ids[i] == a && ids[i + 1] == b) {
      ids[out++] = merged;
      ++i;
    } else {
      ids[out++] = ids[i];
    }
  }
  ids.resize(out);
}

}  // namespace

// lesson: train_bpe_plain
BpeTrainResult train_bpe_plain(std::string_view corpus, const BpeTrainOptions& options) {
  std::vector<Word> words = words_to_train_on(corpus, options);
  LearnedMerges learned;
  for (int m = 0; m < merges_wanted(options); ++m) {
    // 1. count every adjacent pair, each word weighted by how often it occurs
    absl::flat_hash_map<Pair, int64_t> counts;
    for (const Word& w : words)
      for (size_t i = 0; i + 1 < w.ids.size(); ++i) counts[make_pair_key(w.ids[i], w.ids[i + 1])] += w.count;
    // 2. the most frequent pair; of equal counts, the smallest pair (Candidate's order)
    Candidate best{0, 0};
    for (const auto& [pair, count] : counts)
      if (best < Candidate{count, pair}) best = {count, pair};
    if (best.count == 0) break;  // every word is a single token: nothing left to merge
    // 3. make it token 256 + m, everywhere
    for (Word& w : words) merge_pair_in(w.ids, left_of(best.pair), right_of(best.pair), 256 + m);
    learned.add(best.pair, best.count);
    if (options.on_merge) options.on_merge(m + 1, merges_wanted(options));
  }
  return learned.result(options, static_cast<int64_t>(words.size()));
}
// end lesson: train_bpe_plain

BpeTrainResult train_bpe(std::string_view corpus, const BpeTrainOptions& options) {
  Trainer trainer(words_to_train_on(corpus, options));
  LearnedMerges learned;
  const int wanted = merges_wanted(options);
  for (int m = 0; m < wanted; ++m) {
    const Candidate best = trainer.best();
    if (best.count == 0) break;  // every word is a single token: nothing left to merge
    trainer.merge(best.pair, 256 + m, m);
    learned.add(best.pair, best.count);
    if (options.on_merge) options.on_merge(m + 1, wanted);
  }
  return learned.result(options, trainer.unique_words());
}

}  // namespace minillm
