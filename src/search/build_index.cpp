#include "search/build_index.hpp"

#include "search/vectors.hpp"

namespace minillm::search {

SearchIndex build_word_index(const embed::WordVectors& vectors) {
  SearchIndex index;
  TextEmbedder embedder = TextEmbedder::plain(vectors);
  std::vector<float> rows = embedder.vectors();
  normalise_rows(rows.data(), vectors.size(), vectors.dim());
  index.flat = FlatIndex(vectors.dim());
  index.flat.add(rows.data(), vectors.size());
  index.keys = vectors.vocabulary().words();
  index.embedder.emplace(std::move(embedder));
  return index;
}

SearchIndex build_passage_index(const std::vector<Passage>& passages, TextEmbedder embedder, bool remove_common,
                                int64_t* unembedded) {
  SearchIndex index;
  if (remove_common) {
    std::vector<std::string> texts;
    for (const Passage& p : passages) texts.push_back(p.text);
    embedder.remove_common_direction(texts);
  }
  const int dim = embedder.dim();
  std::vector<float> rows(passages.size() * size_t(dim));
  int64_t empty = 0;
  for (size_t i = 0; i < passages.size(); ++i) {
    index.keys.push_back(passages[i].text);
    index.places.push_back(passages[i].place());
    empty += embedder.embed(passages[i].text, rows.data() + i * size_t(dim)) == 0;
  }
  if (unembedded != nullptr) *unembedded = empty;
  index.flat = FlatIndex(dim);
  index.flat.add(rows.data(), int64_t(passages.size()));
  index.embedder.emplace(std::move(embedder));
  return index;
}

SearchIndex build_gpt_passage_index(const std::vector<Passage>& passages, GptEmbedder& embedder,
                                    ui::ProgressBar* progress) {
  SearchIndex index;
  std::vector<std::string> texts;
  for (const Passage& p : passages) {
    texts.push_back(p.text);
    index.keys.push_back(p.text);
    index.places.push_back(p.place());
  }
  const std::vector<float> rows = embedder.embed_all(texts, nullptr, progress);
  index.flat = FlatIndex(embedder.dim());
  index.flat.add(rows.data(), int64_t(passages.size()));
  index.checkpoint = embedder.ref();
  return index;
}

}  // namespace minillm::search
