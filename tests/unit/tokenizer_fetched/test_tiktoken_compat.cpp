// minillm's ids against the ids tiktoken itself produced (tests/fixtures/tiktoken/expected_ids.json, made
// by make_fixture.mjs with the npm package). Needs tiktoken's rank files: ./run fetch puts them in
// data/cache/tiktoken/. These tests carry the ctest label "fetched".
#include <filesystem>
#include <map>
#include <unistd.h>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "io/atomic_file.hpp"
#include "io/data_dir.hpp"
#include "tokenizer/tokenizer.hpp"

namespace minillm {
namespace {

const std::filesystem::path kFixtures = std::filesystem::path(MINILLM_SOURCE_DIR) / "tests/fixtures/tiktoken";

std::vector<int> ints(const TokenIds& ids) {
  std::vector<int> out;
  for (TokenId id : ids) out.push_back(to_int(id));
  return out;
}

const Tokenizer& encoding(const std::string& name) {
  static std::map<std::string, Tokenizer> loaded;
  auto it = loaded.find(name);
  if (it == loaded.end()) {
    const auto file = data_dir() / "cache/tiktoken" / (name + ".json");
    if (!std::filesystem::exists(file))
      ADD_FAILURE() << file << " is missing: run ./run fetch (these tests compare against tiktoken's rank files)";
    it = loaded.emplace(name, Tokenizer::from_tiktoken(name)).first;
  }
  return it->second;
}

const nlohmann::json& expected() {
  static const nlohmann::json json = nlohmann::json::parse(read_file(kFixtures / "expected_ids.json"));
  return json;
}

TEST(TiktokenCompat, Gpt2HelloWorldIsTheSeedsExample) {
  EXPECT_EQ(ints(encoding("gpt2").encode("Hello, world!")), (std::vector<int>{15496, 11, 995, 0}))
      << "the seed's diagram shows GPT-2's ids for \"Hello, world!\"";
}

class EveryEncoding : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryEncoding, WholeCorpusMatchesTiktoken) {
  const std::string corpus = read_file(kFixtures / "corpus.txt");
  const auto& want = expected()["encodings"][GetParam()]["whole"];
  EXPECT_EQ(ints(encoding(GetParam()).encode_ordinary(corpus)), want.get<std::vector<int>>())
      << "the ids tiktoken " << GetParam() << " gives the fixture corpus";
}

TEST_P(EveryEncoding, EachLineMatchesTiktoken) {
  const std::string corpus = read_file(kFixtures / "corpus.txt");
  const auto& want = expected()["encodings"][GetParam()]["lines"];
  size_t start = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    size_t end = corpus.find('\n', start);
    end = end == std::string::npos ? corpus.size() : end + 1;
    const std::string line = corpus.substr(start, end - start);
    EXPECT_EQ(ints(encoding(GetParam()).encode_ordinary(line)), want[i].get<std::vector<int>>())
        << "line " << i + 1 << " of corpus.txt: " << line;
    start = end;
  }
}

TEST_P(EveryEncoding, AllowedSpecialTokenBecomesItsId) {
  const auto& want = expected()["encodings"][GetParam()]["with_special"];
  EXPECT_EQ(ints(encoding(GetParam()).encode("a<|endoftext|>b", AllowedSpecial::everything())),
            want.get<std::vector<int>>())
      << "tiktoken encodes \"a<|endoftext|>b\" with all specials allowed like this";
}

TEST_P(EveryEncoding, DecodingTheIdsGivesTheCorpusBack) {
  const std::string corpus = read_file(kFixtures / "corpus.txt");
  const Tokenizer& t = encoding(GetParam());
  EXPECT_EQ(t.decode(t.encode_ordinary(corpus)), corpus);
}

INSTANTIATE_TEST_SUITE_P(Tiktoken, EveryEncoding, ::testing::Values("gpt2", "cl100k_base", "o200k_base"));

TEST(TiktokenCompat, VocabSizesAndSpecials) {
  EXPECT_EQ(encoding("gpt2").vocab_size(), 50257) << "gpt2 has 256 byte tokens + 50,000 merges (50,256 ranks) + <|endoftext|>";
  EXPECT_EQ(encoding("cl100k_base").vocab_size(), 100277) << "cl100k's largest id is <|endofprompt|> = 100276";
  EXPECT_EQ(encoding("o200k_base").vocab_size(), 200019) << "o200k's largest id is <|endofprompt|> = 200018";
  EXPECT_EQ(to_int(*encoding("cl100k_base").special("<|endoftext|>")), 100257);
}

TEST(TiktokenCompat, DisallowedSpecialTextIsAClearError) {
  try {
    encoding("gpt2").encode("the end<|endoftext|>");
    FAIL() << "special-token text that was not allowed must be an Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("<|endoftext|>"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("encode_ordinary"), std::string::npos) << "say how to opt in: " << e.what();
  }
  EXPECT_EQ(ints(encoding("gpt2").encode_ordinary("<|endoftext|>")),
            expected()["encodings"]["gpt2"]["special_as_text"].get<std::vector<int>>())
      << "as ordinary text <|endoftext|> is just characters, split as tiktoken splits them";
}

TEST(TiktokenCompat, AnyByteStringRoundTrips) {
  // Valid UTF-8 or not: the ids are a faithful encoding of the bytes (tiktoken itself only sees valid text).
  Rng rng(11);
  for (const char* name : {"gpt2", "cl100k_base", "o200k_base"}) {
    for (int trial = 0; trial < 50; ++trial) {
      std::string bytes(rng.below(300), '\0');
      for (char& c : bytes) c = static_cast<char>(rng.below(256));
      EXPECT_EQ(encoding(name).decode_bytes(encoding(name).encode_ordinary(bytes)), bytes) << name << " trial " << trial;
    }
  }
  EXPECT_TRUE(encoding("gpt2").encode("").empty()) << "no text, no tokens";
}

TEST(TiktokenCompat, GapIdsAreAnErrorWhenDecoding) {
  // cl100k_base has no token 100256 (between the merged tokens and the specials).
  const TokenIds gap = {token_id(100256)};
  EXPECT_THROW(encoding("cl100k_base").decode(gap), Error);
}

TEST(TiktokenCompat, MegabyteWordWithoutSpacesEncodesAndRoundTrips) {
  // tiktoken's merge loop is quadratic in the piece length; minillm's heap path is O(n log n). No timing
  // assertion: a quadratic regression shows up as a CI timeout.
  std::string word;
  while (word.size() < (1 << 20)) word += "thequickbrownfoxjumpsoverthelazydog";
  const Tokenizer& t = encoding("cl100k_base");
  const TokenIds ids = t.encode(word);
  EXPECT_LT(ids.size(), word.size() / 3) << "letters merge into multi-letter tokens";
  EXPECT_EQ(t.decode_bytes(ids), word);
}

std::string base64(std::string_view bytes) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t chunk = 0;
    const size_t n = std::min<size_t>(3, bytes.size() - i);
    for (size_t k = 0; k < 3; ++k) chunk = (chunk << 8) | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0);
    for (size_t k = 0; k < 4; ++k) out += k <= n ? alphabet[(chunk >> (18 - 6 * k)) & 63] : '=';
  }
  return out;
}

TEST(TiktokenCompat, PlainTiktokenFileGivesTheSameIds) {
  // The Python package's format: "<base64 token> <rank>" per line, named after its encoding.
  const Tokenizer& json = encoding("gpt2");
  const auto dir = std::filesystem::temp_directory_path() / ("minillm-tiktoken-" + std::to_string(::getpid()));
  std::string text;
  for (int rank = 0; rank < 50256; ++rank) text += base64(json.token_bytes(token_id(rank))) + " " + std::to_string(rank) + "\n";
  write_file_atomically(dir / "gpt2.tiktoken", text);
  const Tokenizer plain = Tokenizer::from_tiktoken((dir / "gpt2.tiktoken").string());
  const std::string corpus = read_file(kFixtures / "corpus.txt");
  EXPECT_EQ(ints(plain.encode_ordinary(corpus)), ints(json.encode_ordinary(corpus)));
  EXPECT_EQ(to_int(*plain.special("<|endoftext|>")), 50256) << "a .tiktoken named gpt2 gets gpt2's specials";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace minillm
