#pragma once
// train_word2vec with a progress bar (ui::ProgressBar on stderr: rate, time left and the loss), for the
// command line and the chapter 02 demo.
#include <string>
#include <vector>

#include "embed/word2vec.hpp"

namespace minillm::embed {

// Progress is counted in words of the text, all epochs together (word2vec reports the fraction done); the
// loss shown is the mean since the current epoch started.
Word2VecResult train_word2vec_with_progress(const std::vector<std::string>& words, const Word2VecOptions& options,
                                            const std::string& label = "word2vec");

}  // namespace minillm::embed
