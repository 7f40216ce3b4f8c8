#pragma once
// Cutting text at special tokens ("<|endoftext|>") before pre-tokenization, so they never merge with
// their neighbours. Used by encoding (allowed specials become their ids) and by training (specials are
// left out of the counts).
#include <string_view>
#include <vector>

namespace minillm {

// Calls on_text(segment) for the ordinary text between special tokens (possibly empty) and
// on_special(k) for each occurrence of specials[k], in order. At one position the longest special wins.
// Each special's next occurrence is searched again only once it has been passed, so a text with many
// specials costs one scan per special, not one per occurrence.
template <typename OnText, typename OnSpecial>
void split_on_specials(std::string_view text, const std::vector<std::string_view>& specials, OnText&& on_text,
                       OnSpecial&& on_special) {
  constexpr size_t kNone = std::string_view::npos;
  std::vector<size_t> next_at(specials.size());
  for (size_t k = 0; k < specials.size(); ++k) next_at[k] = specials[k].empty() ? kNone : text.find(specials[k]);
  size_t position = 0;
  while (true) {
    size_t best = kNone, best_k = 0;
    for (size_t k = 0; k < specials.size(); ++k) {
      if (next_at[k] != kNone && next_at[k] < position) next_at[k] = text.find(specials[k], position);
      if (next_at[k] == kNone) continue;
      if (next_at[k] < best || (next_at[k] == best && specials[k].size() > specials[best_k].size())) {
        best = next_at[k];
        best_k = k;
      }
    }
    if (best == kNone) break;
    on_text(text.substr(position, best - position));
    on_special(best_k);
    position = best + specials[best_k].size();
  }
  on_text(text.substr(position));
}

}  // namespace minillm
