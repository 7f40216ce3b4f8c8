#include "embed/word2vec_progress.hpp"

#include "ui/progress.hpp"

namespace minillm::embed {

Word2VecResult train_word2vec_with_progress(const std::vector<std::string>& words, const Word2VecOptions& options,
                                            const std::string& label) {
  const double total_words = static_cast<double>(words.size()) * options.epochs;
  ui::ProgressBar bar(label, total_words, "words");
  Word2VecResult result = train_word2vec(words, options, [&](const Word2VecProgress& p) {
    bar.update(p.fraction_done * total_words, {{"loss", p.mean_loss}});
  });
  bar.update(total_words);  // the last report may come before the very end
  bar.finish();
  return result;
}

}  // namespace minillm::embed
