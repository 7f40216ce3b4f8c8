#pragma once
// Building a SearchIndex from word vectors (of the words themselves, or of a text's passages), or of a text's
// passages from a GPT's states.
#include <optional>
#include <string_view>

#include "search/gpt_embedder.hpp"
#include "search/index_file.hpp"
#include "search/passages.hpp"

namespace minillm::search {

// An index whose keys are the words of `vectors` and whose vectors are theirs, scaled to length 1.
SearchIndex build_word_index(const embed::WordVectors& vectors);

// An index of passages, each embedded by `embedder` (unit length). With remove_common, the direction all
// passages share is found first and removed from them (and, through the saved embedder, from queries). Passages with no known word get a zero
// vector (they match nothing) and are counted in *unembedded if given.
SearchIndex build_passage_index(const std::vector<Passage>& passages, TextEmbedder embedder,
                                bool remove_common = false, int64_t* unembedded = nullptr);

// An index of passages, each the pooled final-LayerNorm state of `embedder`'s GPT (unit length); the index
// records the embedder's checkpoint, so `index query` embeds a text the same way. `progress` (if given)
// advances by one per passage.
SearchIndex build_gpt_passage_index(const std::vector<Passage>& passages, GptEmbedder& embedder,
                                    ui::ProgressBar* progress = nullptr);

}  // namespace minillm::search
