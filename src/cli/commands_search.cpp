// `minillm index build`, `minillm index query` (semantic search: chapter 08).
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/command_registry.hpp"
#include "cli/config_flags.hpp"
#include "core/error.hpp"
#include "core/rng.hpp"
#include "embed/word_vectors.hpp"
#include "io/atomic_file.hpp"
#include "search/build_index.hpp"
#include "search/index_file.hpp"
#include "search/index_settings.hpp"
#include "ui/progress.hpp"

namespace minillm::cli {

namespace {

// The command's options: its settings table's rows (search/index_settings.hpp) and the paths.
struct BuildOptions : search::IndexBuildSettings {
  std::string input, vectors, checkpoint, out;
  bool weights_given = false;
};

struct QueryOptions : search::IndexQuerySettings {
  std::string index, text, queries, checkpoint;
  bool json = false, exact = false;
};

std::vector<search::Passage> passages_of(const BuildOptions& o, const std::string& text) {
  if (o.passages == "paragraphs") return search::split_paragraphs(text);
  if (o.passages == "windows") return search::split_word_windows(text, o.window, o.overlap);
  fail("unknown --passages \"{}\": use paragraphs (the text's own) or windows (--window words, --overlap words)",
       o.passages);
}

// Passages embedded as the pooled states of a GPT (src/search/gpt_embedder.hpp).
search::SearchIndex build_gpt_index(const BuildOptions& o) {
  require(!o.input.empty(), "--checkpoint embeds the passages of a text: give the text with --input");
  require(!o.weights_given, "--weights is for word vectors (--vectors); a GPT embeds each token in its context");
  search::GptEmbedder embedder = search::GptEmbedder::open(o.checkpoint);
  const std::vector<search::Passage> passages = passages_of(o, read_file(o.input));
  require(!passages.empty(), "{} has no words to index", o.input);
  ui::ProgressBar bar("embedding passages", double(passages.size()), "passages");
  search::SearchIndex index = search::build_gpt_passage_index(passages, embedder, &bar);
  bar.finish();
  fmt::print("Indexed {} passages ({}) of {}, each the mean of the final LayerNorm's states of the GPT in {} over its "
             "tokens ({} numbers), scaled to length 1.\nThe index records the checkpoint's path and hashes: queries "
             "are embedded by the same model.\n", passages.size(), o.passages, o.input, o.checkpoint, embedder.dim());
  return index;
}

void build_index(const BuildOptions& o) {
  require(!o.vectors.empty() || !o.checkpoint.empty(),
          "say how to embed: --vectors WORDS.vec (word vectors) or --checkpoint RUN (a trained GPT, with --input)");
  require(o.vectors.empty() || o.checkpoint.empty(),
          "--vectors and --checkpoint are two ways to embed the passages: give one of them, not both");
  search::SearchIndex index;
  if (!o.checkpoint.empty()) {
    index = build_gpt_index(o);
  } else if (o.input.empty()) {
    const embed::WordVectors vectors = embed::WordVectors::load_text(o.vectors);
    index = search::build_word_index(vectors);
    fmt::print("Indexed the {} words of {} ({} numbers each).\n", vectors.size(), o.vectors, vectors.dim());
  } else {
    const embed::WordVectors vectors = embed::WordVectors::load_text(o.vectors);
    require(o.weights == "plain" || o.weights == "sif",
            "unknown --weights \"{}\": use plain (every word counts the same) or sif (rare words count more)", o.weights);
    const std::string text = read_file(o.input);
    const std::vector<search::Passage> passages = passages_of(o, text);
    require(!passages.empty(), "{} has no words to index", o.input);
    int64_t unembedded = 0;
    index = search::build_passage_index(
        passages, o.weights == "sif" ? search::TextEmbedder::sif(vectors, text) : search::TextEmbedder::plain(vectors),
        o.weights == "sif", &unembedded);
    fmt::print("Indexed {} passages ({}) of {}, each the {} of its words' vectors from {}.\n", passages.size(),
               o.passages, o.input, o.weights == "sif" ? "SIF-weighted mean, common direction removed," : "plain mean",
               o.vectors);
    if (unembedded > 0) fmt::print("{} passages have no word the vectors know: they match nothing.\n", unembedded);
  }
  if (o.ivf_lists > 0) {
    Rng rng(o.seed);
    index.ivf.emplace(search::IvfIndex::train(index.flat, o.ivf_lists, rng));
    fmt::print("Added an IVF layer: {} lists from k-means (search them with --nprobe).\n", o.ivf_lists);
  }
  search::save_index(o.out, index);
  fmt::print("Saved the index to {}.\n", o.out);
}

// The query vectors of a word2vec text file, as rows [n, dim], unit length like the index's.
std::vector<float> read_query_vectors(const std::string& path, int dim, std::vector<std::string>& names) {
  const embed::WordVectors queries = embed::WordVectors::load_text(path);
  require(queries.dim() == dim, "{} holds vectors of {} numbers, but the index's have {}", path, queries.dim(), dim);
  std::vector<float> rows;
  for (int i = 0; i < queries.size(); ++i) {
    const auto v = queries.vector(i);
    rows.insert(rows.end(), v.begin(), v.end());
  }
  names = queries.vocabulary().words();
  return rows;
}

search::SearchResults run_search(const search::SearchIndex& index, const QueryOptions& o, const float* q, int64_t nq) {
  if (index.ivf && !o.exact) {
    const int nprobe = o.nprobe > 0 ? std::min(o.nprobe, index.ivf->lists()) : std::max(1, index.ivf->lists() / 8);
    return index.ivf->search(q, nq, o.k, nprobe);
  }
  return index.flat.search(q, nq, o.k);
}

void print_json(const search::SearchIndex& index, const search::SearchResults& r, const std::vector<std::string>& names) {
  for (int64_t q = 0; q < r.queries; ++q) {
    nlohmann::json line;
    line["query"] = names[size_t(q)];
    std::vector<int64_t> ids;
    std::vector<std::string> keys;
    std::vector<double> scores;
    for (int i = 0; i < r.k; ++i) {
      const int64_t id = r.ids[size_t(q * r.k + i)];
      if (id < 0) break;
      ids.push_back(id);
      keys.push_back(index.keys[size_t(id)]);
      scores.push_back(r.scores[size_t(q * r.k + i)]);
    }
    line["ids"] = ids;
    line["keys"] = keys;
    line["scores"] = scores;
    fmt::print("{}\n", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
}

void print_text_results(const search::SearchIndex& index, const search::SearchResults& r) {
  for (int i = 0; i < r.k && r.ids[size_t(i)] >= 0; ++i) {
    const int64_t id = r.ids[size_t(i)];
    const std::string& key = index.keys[size_t(id)];
    if (index.places.empty()) {
      fmt::print("  {:<16} {:.3f}\n", key, r.scores[size_t(i)]);
    } else {
      fmt::print("{}. score {:.3f}, passage {} ({})\n   {}{}\n", i + 1, r.scores[size_t(i)], id,
                 index.places[size_t(id)], key.substr(0, 300), key.size() > 300 ? " ..." : "");
    }
  }
}

// A text query embedded the way the index's vectors were: by its word vectors, or by its checkpoint's GPT.
std::vector<float> embed_query_text(const search::SearchIndex& index, const QueryOptions& o) {
  const int dim = index.flat.dim();
  std::vector<float> q(static_cast<size_t>(dim));
  if (index.checkpoint) {
    search::GptEmbedder embedder = search::GptEmbedder::open_recorded(*index.checkpoint, o.index, o.checkpoint);
    require(embedder.dim() == dim, "{}: its vectors have {} numbers but the checkpoint's GPT makes {}: rebuild the "
            "index", o.index, dim, embedder.dim());
    require(embedder.embed(o.text, q.data()) > 0, "the query is empty: give some text to search for");
    return q;
  }
  require(index.embedder.has_value(), "{} keeps no word vectors, so it cannot embed a text: use --queries", o.index);
  require(index.embedder->embed(o.text, q.data()) > 0,
          "none of the words of \"{}\" is in the index's vocabulary ({} words): try other words", o.text,
          index.embedder->vocabulary_size());
  return q;
}

void query_index(const QueryOptions& o) {
  require(o.text.empty() != o.queries.empty(),
          "give either a text to search for (minillm index query X.idx \"the white whale\") or --queries Q.vec");
  const search::SearchIndex index = search::load_index(o.index);
  require(o.checkpoint.empty() || index.checkpoint.has_value(),
          "{} embeds queries with its word vectors: --checkpoint is only for indexes of GPT-state passages", o.index);
  const int dim = index.flat.dim();
  std::vector<std::string> names;
  std::vector<float> q;
  if (!o.queries.empty()) {
    q = read_query_vectors(o.queries, dim, names);
  } else {
    q = embed_query_text(index, o);
    names.push_back(o.text);
  }
  const int64_t nq = int64_t(q.size()) / dim;
  const auto start = std::chrono::steady_clock::now();
  const search::SearchResults r = run_search(index, o, q.data(), nq);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (o.json) {
    print_json(index, r, names);
    nlohmann::json summary = {{"queries", nq}, {"k", o.k}, {"seconds", seconds},
                              {"queries_per_second", seconds > 0 ? double(nq) / seconds : 0.0},
                              {"search", index.ivf && !o.exact ? "ivf" : "flat"}};
    fmt::print("{}\n", summary.dump());
    return;
  }
  if (o.queries.empty()) {
    fmt::print("Best {} for \"{}\" (cosine similarity):\n", index.places.empty() ? "words" : "passages", o.text);
    print_text_results(index, r);
  } else {
    print_json(index, r, names);
  }
}

}  // namespace

static CommandRegistrar reg(25, [](CLI::App& app) {
  auto* index = app.add_subcommand("index", "Semantic search: build a vector index, query it");
  index->require_subcommand(1);
  auto* build = index->add_subcommand("build", "Index the words of a vectors file, or the passages of a text");
  auto b = std::make_shared<BuildOptions>();
  build->add_option("--vectors", b->vectors, "word vectors (word2vec text format, from `minillm embed train`)");
  build->add_option("--checkpoint", b->checkpoint, "instead of --vectors: embed each passage as the mean of a GPT's "
                    "final-LayerNorm states (a training run's folder, a model folder or a Hugging Face GPT-2 folder)");
  build->add_option("--out", b->out, "the index file to write")->required();
  build->add_option("--input", b->input, "a text: index its passages (without it, the words are indexed)");
  auto build_settings = std::make_shared<ConfigFlags<BuildOptions>>();
  add_config_flags<search::IndexBuildSettings, BuildOptions>(
      *build, build_settings, [](BuildOptions& o) -> search::IndexBuildSettings& { return o; });
  build->callback([b, build_settings] {
    build_settings->apply(*b);
    b->weights_given = build_settings->given.count("--weights") > 0;
    build_index(*b);
  });

  auto* query = index->add_subcommand("query", "Search an index with a text or with query vectors");
  auto q = std::make_shared<QueryOptions>();
  query->add_option("INDEX", q->index, "an index file (from `minillm index build`)")->required();
  query->add_option("TEXT", q->text, "what to search for, in words");
  query->add_option("--queries", q->queries, "query vectors, one per row (word2vec text format)");
  query->add_flag("--json", q->json, "one JSON line per query, then a summary line");
  query->add_flag("--exact", q->exact, "scan every vector even when the index has an IVF layer");
  query->add_option("--checkpoint", q->checkpoint, "where the GPT of a GPT-state index is now, if it moved (it must "
                    "be the same model: its hash is checked)");
  auto query_settings = std::make_shared<ConfigFlags<QueryOptions>>();
  add_config_flags<search::IndexQuerySettings, QueryOptions>(
      *query, query_settings, [](QueryOptions& o) -> search::IndexQuerySettings& { return o; });
  query->callback([q, query_settings] {
    query_settings->apply(*q);
    query_index(*q);
  });
});

}  // namespace minillm::cli
