#include "tokenizer/tokenizer.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "tokenizer/encode_speed.hpp"
#include "tokenizer/special_split.hpp"
#include "tokenizer/tokenizer_impl.hpp"
#include "tokenizer/utf8.hpp"

namespace minillm {

// ---- building ---------------------------------------------------------------------------------------

namespace {
void add_specials(Tokenizer::Impl& t, std::vector<SpecialToken> specials) {
  for (const SpecialToken& s : specials) {
    require(!s.text.empty(), "a special token cannot be empty");
    require(to_int(s.id) >= 0, "special token \"{}\" has a negative id {}", s.text, to_int(s.id));
    const size_t id = static_cast<size_t>(to_int(s.id));
    // Special ids sit just past the vocabulary (o200k_base's last is 21 past its ranks); one far beyond it
    // would make every id table that long, so it is a damaged file, refused before anything is allocated.
    require(id < t.vocab.size() + 65536, "special token \"{}\" has id {}, far past the vocabulary's {} tokens (at "
            "most 65536 past them are allowed): the file is damaged", s.text, id, t.vocab.size());
    if (id >= t.vocab.size()) {
      t.vocab.resize(id + 1);
      t.is_valid_id.resize(id + 1, 0);
    }
    require(!t.is_valid_id[id], "special token \"{}\" has id {}, which is already taken by another token", s.text,
            id);
    t.vocab[id] = s.text;
    t.is_valid_id[id] = 1;
  }
  t.specials = std::move(specials);
}
}  // namespace

std::shared_ptr<const Tokenizer::Impl> make_from_ranks(std::string name, std::string pattern,
                                                       std::vector<std::string> tokens_by_rank,
                                                       std::vector<SpecialToken> specials) {
  auto t = std::make_shared<Tokenizer::Impl>();
  t->name = std::move(name);
  t->splitter = std::make_unique<RegexSplitter>(pattern);
  t->pattern = std::move(pattern);
  const size_t ranked = tokens_by_rank.size();
  t->vocab = std::move(tokens_by_rank);
  t->is_valid_id.assign(ranked, 0);
  for (size_t rank = 0; rank < ranked; ++rank) t->is_valid_id[rank] = !t->vocab[rank].empty();  // gaps are empty
  const std::vector<char> is_ranked = t->is_valid_id;
  add_specials(*t, std::move(specials));  // may grow `vocab`, so the views below are taken after it
  t->whole_piece_lookup = true;
  t->piece_ids = BytesMap(ranked);
  for (size_t rank = 0; rank < ranked; ++rank)
    if (is_ranked[rank]) t->piece_ids.insert(t->vocab[rank], static_cast<int32_t>(rank));
  for (int b = 0; b < 256; ++b) {
    const char byte = static_cast<char>(b);
    t->byte_ids[b] = t->piece_ids.find(std::string_view(&byte, 1));
    require(t->byte_ids[b] != BytesMap::kNone, "the rank file has no token for the single byte {}: it is not a "
            "byte-level BPE vocabulary (or the file is damaged; run ./run fetch)", b);
  }
  // Every way of cutting a token into two tokens is a merge to that token.
  for (size_t rank = 0; rank < ranked; ++rank) {
    if (!is_ranked[rank]) continue;
    const std::string_view bytes = t->vocab[rank];
    for (size_t cut = 1; cut < bytes.size(); ++cut) {
      const int32_t left = t->piece_ids.find(bytes.substr(0, cut));
      if (left == BytesMap::kNone) continue;
      const int32_t right = t->piece_ids.find(bytes.substr(cut));
      if (right == BytesMap::kNone) continue;
      t->pairs.insert(left, right, static_cast<int32_t>(rank));
    }
  }
  return t;
}

std::shared_ptr<const Tokenizer::Impl> make_from_merges(std::string name, std::string pattern,
                                                        std::vector<std::pair<TokenId, TokenId>> merges,
                                                        std::vector<SpecialToken> specials) {
  auto t = std::make_shared<Tokenizer::Impl>();
  t->name = std::move(name);
  t->splitter = std::make_unique<RegexSplitter>(pattern);
  t->pattern = std::move(pattern);
  t->vocab.reserve(256 + merges.size() + specials.size());
  for (int b = 0; b < 256; ++b) {
    t->vocab.emplace_back(1, static_cast<char>(b));
    t->byte_ids[b] = b;
  }
  for (size_t i = 0; i < merges.size(); ++i) {
    const int32_t left = to_int(merges[i].first), right = to_int(merges[i].second);
    const int32_t merged = static_cast<int32_t>(256 + i);
    require(left >= 0 && left < merged && right >= 0 && right < merged,
            "merge {} joins tokens {} and {}, but only tokens 0..{} exist at that point", i, left, right, merged - 1);
    t->vocab.push_back(t->vocab[left] + t->vocab[right]);
    t->pairs.insert(left, right, merged);
  }
  t->is_valid_id.assign(t->vocab.size(), 1);
  t->merges = std::move(merges);
  add_specials(*t, std::move(specials));
  return t;
}

Tokenizer Tokenizer::from_merges(const std::string& pattern, std::vector<std::pair<TokenId, TokenId>> merges,
                                 const std::vector<std::string>& special_tokens) {
  std::vector<SpecialToken> specials;
  for (size_t i = 0; i < special_tokens.size(); ++i)
    specials.push_back({special_tokens[i], token_id(static_cast<int64_t>(256 + merges.size() + i))});
  return Tokenizer(make_from_merges("bpe", pattern, std::move(merges), std::move(specials)));
}

Tokenizer::Tokenizer(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {
  require(impl_ != nullptr, "internal: a Tokenizer needs a vocabulary (use from_tiktoken, load or train_bpe)");
}

// ---- encoding ---------------------------------------------------------------------------------------

// Every piece the regex cuts from the text becomes its tokens: a single byte is its byte's token; with
// tiktoken's rule a piece that is itself a token is that token; anything else goes through the merge
// (bpe_merge_scan, with the fast paths of encode_speed.hpp around it).
void Tokenizer::Impl::encode_ordinary_into(std::string_view text, std::vector<int32_t>& out) const {
  PieceCache cache;  // each distinct piece is merged once per call
  splitter->split(text, [&](std::string_view piece) {
    if (piece.size() == 1) {
      out.push_back(byte_ids[static_cast<unsigned char>(piece[0])]);
      return;
    }
    if (whole_piece_lookup) {
      if (const int32_t id = piece_ids.find(piece); id != BytesMap::kNone) {
        out.push_back(id);
        return;
      }
    }
    if (cache.append_cached(piece, out)) return;
    const size_t before = out.size();
    bpe_merge(piece, byte_ids.data(), pairs, out);
    cache.remember(piece, out, before);
  });
}

namespace {
TokenIds to_token_ids(const std::vector<int32_t>& ids) {
  TokenIds result(ids.size());
  std::transform(ids.begin(), ids.end(), result.begin(), [](int32_t id) { return token_id(id); });
  return result;
}
}  // namespace

TokenIds Tokenizer::encode_ordinary(std::string_view text) const {
  std::vector<int32_t> ids;
  ids.reserve(text.size() / 3 + 16);
  impl_->encode_ordinary_into(text, ids);
  return to_token_ids(ids);
}

TokenIds Tokenizer::encode(std::string_view text) const { return encode(text, AllowedSpecial::none()); }

TokenIds Tokenizer::encode(std::string_view text, const AllowedSpecial& allowed) const {
  // Special-token text the caller did not allow is almost always a mistake (or an injection): refuse it.
  std::vector<const SpecialToken*> active;
  for (const SpecialToken& s : impl_->specials) {
    if (allowed.allows(s.text)) {
      active.push_back(&s);
    } else if (text.find(s.text) != std::string_view::npos) {
      fail("the text contains the special token \"{}\", which was not allowed: to encode it as the special token "
           "(id {}) allow it (AllowedSpecial::only({{\"{}\"}}) or AllowedSpecial::everything()); to encode it as "
           "plain text use encode_ordinary()",
           s.text, to_int(s.id), s.text);
    }
  }
  for (const std::string& name : allowed.names)
    require(special(name).has_value(), "\"{}\" is not a special token of the {} tokenizer", name, impl_->name);

  std::vector<std::string_view> texts;
  for (const SpecialToken* s : active) texts.push_back(s->text);
  std::vector<int32_t> ids;
  ids.reserve(text.size() / 3 + 16);
  split_on_specials(
      text, texts, [&](std::string_view ordinary) { impl_->encode_ordinary_into(ordinary, ids); },
      [&](size_t k) { ids.push_back(to_int(active[k]->id)); });
  return to_token_ids(ids);
}

// ---- decoding ---------------------------------------------------------------------------------------

const std::string& Tokenizer::token_bytes(TokenId id) const {
  const int32_t i = to_int(id);
  require(i >= 0 && i < vocab_size() && impl_->is_valid_id[i],
          "token id {} is not in the {} vocabulary (valid ids are 0..{}{})", i, impl_->name, vocab_size() - 1,
          i >= 0 && i < vocab_size() ? ", and this one is an unused gap" : "");
  return impl_->vocab[i];
}

std::string Tokenizer::decode_bytes(std::span<const TokenId> ids) const {
  std::string bytes;
  for (TokenId id : ids) bytes += token_bytes(id);
  return bytes;
}

std::string Tokenizer::decode(std::span<const TokenId> ids) const { return to_valid_utf8(decode_bytes(ids)); }

// ---- questions --------------------------------------------------------------------------------------

int Tokenizer::vocab_size() const { return static_cast<int>(impl_->vocab.size()); }

std::optional<TokenId> Tokenizer::special(std::string_view text) const {
  for (const SpecialToken& s : impl_->specials)
    if (s.text == text) return s.id;
  return std::nullopt;
}

const std::vector<SpecialToken>& Tokenizer::special_tokens() const { return impl_->specials; }
const std::string& Tokenizer::pattern() const { return impl_->pattern; }
const std::string& Tokenizer::name() const { return impl_->name; }
const std::vector<std::pair<TokenId, TokenId>>& Tokenizer::merges() const { return impl_->merges; }

}  // namespace minillm
