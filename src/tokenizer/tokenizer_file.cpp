// minillm's tokenizer file: plain text you can read, diff and edit.
//
//   minillm-bpe 2
//   pattern "'s|'t|...|\\s+"
//   special 511 "<|endoftext|>"
//   merges 255
//   merge 101 32     # "e" + " " = "e "
//   ...
//
// Merge i (counting from 0) makes token 256 + i; tokens 0..255 are the bytes. Strings are JSON strings.
// Everything after '#' is a comment for the reader and ignored.
// "merges N" (version 2) is what makes a file cut short detectable: without it, a file cut at a line
// boundary keeps its special token's id but loses merges, and silently encodes text differently from the
// tokenizer a model was trained with. Version 1 files (no count) still load.
#include <charconv>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "tokenizer/tokenizer.hpp"
#include "tokenizer/tokenizer_impl.hpp"
#include "tokenizer/utf8.hpp"

namespace minillm {

namespace {
constexpr std::string_view kMagic = "minillm-bpe 2";
constexpr std::string_view kMagicVersion1 = "minillm-bpe 1";  // the same without the "merges N" line
constexpr std::string_view kMagicPrefix = "minillm-bpe ";

std::string readable(std::string_view text) {
  // Token bytes need not be UTF-8; show them readably with invalid bytes replaced.
  return nlohmann::json(to_valid_utf8(text)).dump();
}

struct LineReader {
  std::string_view rest;
  std::string_view line;
  int number = 0;
  bool next() {
    if (rest.empty()) return false;
    const size_t end = rest.find('\n');
    line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++number;
    return true;
  }
};

int32_t parse_int(std::string_view text, const std::string& where) {
  int32_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  require(ec == std::errc{} && end == text.data() + text.size(), "{}: \"{}\" is not a token id", where, text);
  return value;
}

std::string parse_json_string(std::string_view text, const std::string& where) {
  try {
    auto json = nlohmann::json::parse(text);
    require(json.is_string(), "{}: expected a \"quoted string\"", where);
    return json.get<std::string>();
  } catch (const nlohmann::json::exception&) {
    fail("{}: expected a \"quoted string\", found {}", where, text);
  }
}

// "word rest" -> (word, rest) with the rest's surrounding spaces and any # comment removed.
std::pair<std::string_view, std::string_view> split_keyword(std::string_view line, bool strip_comment) {
  const size_t space = line.find(' ');
  std::string_view word = line.substr(0, space), rest = space == std::string_view::npos ? "" : line.substr(space + 1);
  if (strip_comment) rest = rest.substr(0, rest.find('#'));
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  while (!rest.empty() && rest.back() == ' ') rest.remove_suffix(1);
  return {word, rest};
}

// "merge <left> <right>    # comment", the merge that makes token 256 + merges_so_far: both ids must exist.
std::pair<TokenId, TokenId> parse_merge_line(std::string_view line, size_t merges_so_far, const std::string& where) {
  const auto [_, rest] = split_keyword(line, true);
  const size_t space = rest.find(' ');
  require(space != std::string_view::npos, "{}: expected merge <left id> <right id>", where);
  const int32_t left = parse_int(rest.substr(0, space), where);
  const int32_t right = parse_int(rest.substr(space + 1), where);
  const int32_t merged = static_cast<int32_t>(256 + merges_so_far);
  require(left >= 0 && left < merged && right >= 0 && right < merged,
          "{}: merge {} + {} uses a token that does not exist yet (this merge makes token {})", where, left, right,
          merged);
  return {token_id(left), token_id(right)};
}
}  // namespace

void Tokenizer::save(const std::filesystem::path& file) const {
  require(!impl_->whole_piece_lookup,
          "the {} tokenizer comes from tiktoken's rank file and has no merges to save; save() writes tokenizers "
          "trained with train_bpe()", impl_->name);
  std::ostringstream out;
  out << kMagic << "\n";
  out << "pattern " << nlohmann::json(impl_->pattern).dump() << "\n";
  for (const SpecialToken& s : impl_->specials)
    out << "special " << to_int(s.id) << " " << nlohmann::json(s.text).dump() << "\n";
  out << "merges " << impl_->merges.size() << "\n";
  for (size_t i = 0; i < impl_->merges.size(); ++i) {
    const auto [left, right] = impl_->merges[i];
    out << "merge " << to_int(left) << " " << to_int(right) << "    # " << readable(token_bytes(left)) << " + "
        << readable(token_bytes(right)) << " = " << readable(impl_->vocab[256 + i]) << "\n";
  }
  write_file_atomically(file, out.str());
}

Tokenizer Tokenizer::load(const std::filesystem::path& file) {
  const std::string text = read_file(file);
  LineReader reader;
  reader.rest = text;
  const std::string name = file.string();
  auto where = [&] { return fmt::format("{} line {}", name, reader.number); };
  const bool has_first_line = reader.next();
  require(has_first_line && (reader.line == kMagic || reader.line == kMagicVersion1),
          "{}: expected \"{}\" on the first line: this is not a minillm tokenizer file (tiktoken files load with "
          "Tokenizer::from_tiktoken)", where(), kMagic);
  const bool counts_merges = reader.line == kMagic;
  int64_t merge_count = -1;  // from the "merges N" line
  std::string pattern;
  bool have_pattern = false;
  std::vector<SpecialToken> specials;
  std::vector<std::pair<TokenId, TokenId>> merges;
  while (reader.next()) {
    if (reader.line.empty() || reader.line.front() == '#') continue;
    const auto [keyword, strings_rest] = split_keyword(reader.line, false);
    if (keyword == "pattern") {
      require(!have_pattern, "{}: a second pattern line", where());
      pattern = parse_json_string(strings_rest, where());
      have_pattern = true;
    } else if (keyword == "special") {
      const size_t space = strings_rest.find(' ');
      require(space != std::string_view::npos, "{}: expected special <id> \"<text>\"", where());
      const int32_t id = parse_int(strings_rest.substr(0, space), where());
      specials.push_back({parse_json_string(strings_rest.substr(space + 1), where()), token_id(id)});
    } else if (keyword == "merges" && counts_merges) {
      require(merge_count < 0, "{}: a second merges line", where());
      merge_count = parse_int(strings_rest, where());
      require(merge_count >= 0, "{}: the merge count {} is negative", where(), merge_count);
    } else if (keyword == "merge") {
      require(!counts_merges || merge_count >= 0, "{}: a merge before the \"merges <count>\" line", where());
      merges.push_back(parse_merge_line(reader.line, merges.size(), where()));
    } else {
      fail("{}: unknown line \"{}\" (expected pattern, special or merge)", where(), reader.line);
    }
  }
  require(have_pattern, "{}: the file has no pattern line", name);
  require(!counts_merges || merge_count >= 0, "{}: the file has no \"merges <count>\" line (version 2 files have "
          "one): it is cut short or damaged; train it again with `minillm train-tokenizer`", name);
  require(!counts_merges || merge_count == static_cast<int64_t>(merges.size()),
          "{}: the file says it has {} merges but {} are there: it is {}; train it again with `minillm "
          "train-tokenizer` or restore it (a tokenizer missing merges encodes text differently from the one a "
          "model was trained with)", name, merge_count, merges.size(),
          merge_count > static_cast<int64_t>(merges.size()) ? "cut short" : "damaged (merges were added)");
  const int32_t first_special = static_cast<int32_t>(256 + merges.size());
  for (const SpecialToken& s : specials)
    require(to_int(s.id) >= first_special, "{}: special token \"{}\" has id {}, which a merge or byte already uses",
            name, s.text, to_int(s.id));
  return Tokenizer(make_from_merges(name, std::move(pattern), std::move(merges), std::move(specials)));
}

Tokenizer Tokenizer::open(const std::string& name_or_path) {
  const std::filesystem::path path(name_or_path);
  require(!std::filesystem::is_directory(path), "{} is a folder, not a tokenizer: give a tokenizer file (from "
          "`minillm train-tokenizer`) or an encoding name such as gpt2", name_or_path);
  require(path.extension() != ".bpe" || std::filesystem::exists(path),
          "the tokenizer file {} does not exist; train one with `minillm train-tokenizer --out {}`", name_or_path,
          name_or_path);
  if (std::filesystem::is_regular_file(path)) {
    std::ifstream in(path, std::ios::binary);
    std::string first(kMagicPrefix.size(), '\0');
    in.read(first.data(), static_cast<std::streamsize>(first.size()));
    if (first == kMagicPrefix || path.extension() == ".bpe") return load(path);  // .bpe: say what is wrong with it
  }
  return from_tiktoken(name_or_path);
}

}  // namespace minillm
