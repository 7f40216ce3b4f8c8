// word2vec on Moby Dick: minillm's throughput with a given number of threads, and the top-10 neighbours of
// a few probe words. tests/bench/embed.sh runs it beside gensim (tests/bench/word2vec_gensim.py) with the
// same settings and prints the ratio.
//   bench_word2vec TEXT THREADS [PROBE...]   prints "words_per_second N" then "neighbours WORD: w1 w2 ..."
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "embed/word2vec.hpp"
#include "embed/word_vectors.hpp"
#include "io/atomic_file.hpp"

int main(int argc, char** argv) {
  using namespace minillm::embed;
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_word2vec TEXT THREADS [PROBE...]\n");
    return 2;
  }
  try {
    const std::vector<std::string> words = split_words(minillm::read_file(argv[1]));
    Word2VecOptions o;  // dim 100, window 5, negative 5, 5 epochs, min_count 5, subsample 1e-3, lr 0.025
    o.threads = std::atoi(argv[2]);
    const Word2VecResult r = train_word2vec(words, o);
    // The same measure as the gensim script: words of the text (all of them) times epochs, per second.
    fmt::print("words_per_second {:.0f}\n", double(words.size()) * o.epochs / r.seconds);
    fmt::print("seconds {:.3f}\n", r.seconds);
    const WordVectors vectors(r.vocabulary, r.vectors, o.dim);
    for (int i = 3; i < argc; ++i) {
      std::string line = fmt::format("neighbours {}:", argv[i]);
      for (const auto& n : vectors.nearest(argv[i], 10)) line += " " + n.word;
      fmt::print("{}\n", line);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
