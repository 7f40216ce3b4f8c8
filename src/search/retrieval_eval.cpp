#include "search/retrieval_eval.hpp"

#include <algorithm>
#include <sstream>

#include "core/error.hpp"
#include "io/atomic_file.hpp"

namespace minillm::search {

namespace {

// The text with every run of whitespace turned into one space (how passages store their text).
std::string squeeze_spaces(std::string_view s) {
  std::string out;
  for (char c : s) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<std::string> sentences_of(const std::string& text, int min_words) {
  std::vector<std::string> out;
  std::string current;
  for (char c : text) {
    current += c;
    if (c == '.' || c == '?' || c == '!') {
      const std::string s = squeeze_spaces(current);
      if (std::count(s.begin(), s.end(), ' ') + 1 >= min_words) out.push_back(s);
      current.clear();
    }
  }
  return out;
}

}  // namespace

std::vector<RetrievalQuery> load_questions(const std::filesystem::path& path, const std::vector<Passage>& passages,
                                           int* unanswerable) {
  std::istringstream in(read_file(path));
  std::vector<RetrievalQuery> queries;
  int missing = 0, number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    require(tab != std::string::npos && tab > 0 && tab + 1 < line.size(),
            "{}:{}: expected a question, a tab, then a phrase from its answer", path.string(), number);
    RetrievalQuery q{line.substr(0, tab), {}};
    const std::string phrase = squeeze_spaces(line.substr(tab + 1));
    for (size_t p = 0; p < passages.size(); ++p)
      if (passages[p].text.find(phrase) != std::string::npos) q.answers.push_back(int64_t(p));
    if (q.answers.empty()) ++missing;
    else queries.push_back(std::move(q));
  }
  if (unanswerable != nullptr) *unanswerable = missing;
  return queries;
}

std::vector<RetrievalQuery> dropped_word_queries(const std::vector<Passage>& passages, int count, Rng& rng,
                                                 int min_words) {
  std::vector<std::pair<int64_t, std::string>> pool;
  for (size_t p = 0; p < passages.size(); ++p)
    for (std::string& s : sentences_of(passages[p].text, min_words)) pool.emplace_back(int64_t(p), std::move(s));
  require(!pool.empty(), "no sentence of {} or more words to make queries from", min_words);
  std::vector<RetrievalQuery> queries;
  for (int i = 0; i < count; ++i) {
    const auto& [passage, sentence] = pool[size_t(rng.below(pool.size()))];
    std::istringstream words(sentence);
    std::vector<std::string> kept;
    for (std::string w; words >> w;) kept.push_back(w);
    // Drop half: a random half of the positions, keeping the rest in order.
    std::vector<size_t> order(kept.size());
    for (size_t j = 0; j < order.size(); ++j) order[j] = j;
    for (size_t j = order.size(); j > 1; --j) std::swap(order[j - 1], order[size_t(rng.below(j))]);
    order.resize(kept.size() - kept.size() / 2);
    std::sort(order.begin(), order.end());
    std::string text;
    for (size_t j : order) text += (text.empty() ? "" : " ") + kept[j];
    queries.push_back({text, {passage}});
  }
  return queries;
}

Retriever vector_retriever(const FlatIndex& index, QueryEmbedder embed) {
  return [&index, embed = std::move(embed)](const std::string& query, int k) {
    std::vector<float> q(size_t(index.dim()));
    embed(query, q.data());
    const SearchResults r = index.search(q.data(), 1, k);
    return std::vector<int64_t>(r.ids.begin(), r.ids.end());
  };
}

Retriever bm25_retriever(const Bm25& bm25) {
  return [&bm25](const std::string& query, int k) {
    std::vector<int64_t> ids;
    for (const Hit& h : bm25.search(query, k)) ids.push_back(h.id);
    return ids;
  };
}

RecallAt passage_recall(const std::vector<RetrievalQuery>& queries, const Retriever& search) {
  RecallAt r;
  if (queries.empty()) return r;
  for (const RetrievalQuery& q : queries) {
    const std::vector<int64_t> got = search(q.text, 5);
    const auto found_within = [&](size_t k) {
      for (size_t i = 0; i < got.size() && i < k; ++i)
        if (std::find(q.answers.begin(), q.answers.end(), got[i]) != q.answers.end()) return true;
      return false;
    };
    r.at1 += found_within(1);
    r.at5 += found_within(5);
  }
  r.at1 /= double(queries.size());
  r.at5 /= double(queries.size());
  return r;
}

}  // namespace minillm::search
