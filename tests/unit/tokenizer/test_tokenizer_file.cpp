// Saving and loading trained tokenizers; corrupt files get errors naming the line.
#include <filesystem>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "tokenizer/train_bpe.hpp"

namespace minillm {
namespace {

std::filesystem::path temp_file(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("minillm-tok-" + std::to_string(::getpid()) + "-" + name);
}

std::string error_of(const std::string& file_text) {
  const auto path = temp_file("corrupt.bpe");
  write_file_atomically(path, file_text);
  try {
    Tokenizer::load(path);
  } catch (const Error& e) {
    std::filesystem::remove(path);
    return e.what();
  }
  std::filesystem::remove(path);
  return "(no error)";
}

TEST(TokenizerFile, SaveLoadRoundTripsExactly) {
  const std::string text =
      read_file(std::filesystem::path(MINILLM_SOURCE_DIR) / "tests/fixtures/tiktoken/corpus.txt");
  BpeTrainOptions o;
  o.vocab_size = 500;
  o.special_tokens = {"<|endoftext|>", "<|tab\t\"quoted\"|>"};
  const Tokenizer original = train_bpe(text, o).tokenizer;
  const auto path = temp_file("roundtrip.bpe");
  original.save(path);
  const Tokenizer loaded = Tokenizer::load(path);
  EXPECT_EQ(loaded.merges(), original.merges());
  EXPECT_EQ(loaded.pattern(), original.pattern());
  EXPECT_EQ(loaded.vocab_size(), original.vocab_size());
  ASSERT_EQ(loaded.special_tokens().size(), 2u);
  EXPECT_EQ(loaded.special_tokens()[1].text, "<|tab\t\"quoted\"|>") << "special text survives quoting";
  EXPECT_EQ(loaded.encode(text), original.encode(text));
  const std::string saved = read_file(path);
  EXPECT_EQ(saved.rfind("minillm-bpe 2\npattern ", 0), 0u) << "a version line, then the pattern";
  EXPECT_NE(saved.find(fmt::format("\nmerges {}\nmerge ", original.merges().size())), std::string::npos)
      << "the merge count, before the merges";
  std::filesystem::remove(path);
}

TEST(TokenizerFile, CorruptFilesNameTheLine) {
  EXPECT_NE(error_of("hello\n").find("line 1"), std::string::npos) << "wrong first line";
  EXPECT_NE(error_of("minillm-bpe 1\npattern \"a+\"\nmerge 97 97\nmerge 97 x\n").find("line 4"), std::string::npos)
      << "'x' is not a token id";
  EXPECT_NE(error_of("minillm-bpe 1\npattern \"a+\"\nmerge 97 300\n").find("line 3"), std::string::npos)
      << "token 300 does not exist when merge 0 makes token 256";
  EXPECT_NE(error_of("minillm-bpe 1\npattern \"a+\"\nbogus\n").find("line 3"), std::string::npos) << "unknown keyword";
  EXPECT_NE(error_of("minillm-bpe 1\npattern not-json\n").find("line 2"), std::string::npos) << "unquoted pattern";
  EXPECT_NE(error_of("minillm-bpe 1\nmerge 97 97\n").find("no pattern"), std::string::npos) << "missing pattern";
  EXPECT_NE(error_of("minillm-bpe 1\npattern \"a+\"\nmerge 97 97\nspecial 256 \"<|x|>\"\n").find("already uses"),
            std::string::npos)
      << "special id 256 collides with the merge's token";
}

TEST(TokenizerFile, CommentsAndCrlfAreAccepted) {
  const auto path = temp_file("comments.bpe");
  write_file_atomically(path, "minillm-bpe 1\r\n# a comment\r\npattern \"[a-z]+\"\r\nmerge 97 98   # a + b\r\n");
  const Tokenizer t = Tokenizer::load(path);
  EXPECT_EQ(t.encode("ab").size(), 1u) << "the merge a+b applies";
  std::filesystem::remove(path);
}

// A file cut in half at a line boundary used to load, keeping its special token's id but losing half its
// merges: it then encoded text differently from the tokenizer a model was trained with.
TEST(TokenizerFile, AFileCutShortAtALineBoundaryIsRefused) {
  const std::string text =
      read_file(std::filesystem::path(MINILLM_SOURCE_DIR) / "tests/fixtures/tiktoken/corpus.txt");
  BpeTrainOptions o;
  o.vocab_size = 400;
  const auto path = temp_file("whole.bpe");
  train_bpe(text, o).tokenizer.save(path);
  const std::string whole = read_file(path);
  std::filesystem::remove(path);
  const size_t half = whole.rfind('\n', whole.size() / 2) + 1;  // keep whole lines only
  const std::string message = error_of(whole.substr(0, half));
  EXPECT_NE(message.find("says it has 143 merges but"), std::string::npos) << message;
  EXPECT_NE(message.find("it is cut short; train it again"), std::string::npos) << message;
  const size_t before_merges = whole.find("\nmerges ") + 1;
  EXPECT_NE(error_of(whole.substr(0, before_merges)).find("has no \"merges <count>\" line"), std::string::npos)
      << "cut before the count: the count's absence is the error";
  EXPECT_NE(error_of(whole + "merge 97 97\n").find("damaged (merges were added)"), std::string::npos)
      << "a merge too many is detected as well";
}

TEST(TokenizerFile, Version1FilesWithoutACountStillLoad) {
  const auto path = temp_file("old.bpe");
  write_file_atomically(path, "minillm-bpe 1\npattern \"[a-z]+\"\nspecial 258 \"<|end|>\"\nmerge 97 98\nmerge 256 99\n");
  const Tokenizer t = Tokenizer::load(path);
  EXPECT_EQ(t.merges().size(), 2u);
  EXPECT_EQ(t.encode("abc").size(), 1u) << "both merges apply: ab, then abc";
  EXPECT_EQ(t.vocab_size(), 259);
  std::filesystem::remove(path);
  EXPECT_NE(error_of("minillm-bpe 1\npattern \"a+\"\nmerges 1\nmerge 97 97\n").find("unknown line \"merges 1\""),
            std::string::npos) << "the count is a version 2 line";
}

TEST(TokenizerFile, ASpecialIdFarPastTheVocabularyIsRefusedBeforeAllocating) {
  const std::string message = error_of("minillm-bpe 2\npattern \"a+\"\nspecial 2000000000 \"<|x|>\"\nmerges 0\n");
  EXPECT_NE(message.find("has id 2000000000, far past the vocabulary's 256 tokens"), std::string::npos) << message;
}

std::string tiktoken_error_of(const std::string& file_name, const std::string& file_text) {
  const auto dir = temp_file("tiktoken");
  std::filesystem::create_directories(dir);
  write_file_atomically(dir / file_name, file_text);
  std::string message = "(no error)";
  try {
    Tokenizer::from_tiktoken((dir / file_name).string());
  } catch (const Error& e) {
    message = e.what();
  }
  std::filesystem::remove_all(dir);
  return message;
}

// A rank is an index into a table: one far past the ranks before it asked for a table as long as the
// number (10 million ranks, 320 MB) from a file of a few bytes.
TEST(TokenizerFile, RankFileSizesAreCheckedBeforeAllocating) {
  EXPECT_NE(tiktoken_error_of("gpt2.tiktoken", "IQ== 9999999\n").find("rank 9999999 jumps far past the 0 ranks"),
            std::string::npos);
  EXPECT_NE(tiktoken_error_of("x.json", R"({"pat_str": "a", "bpe_ranks": "! 9000000 IQ=="})").find("jumps far past"),
            std::string::npos);
  EXPECT_NE(tiktoken_error_of("x.json", R"({"pat_str": "a", "bpe_ranks": "! 0 IQ==", "special_tokens": {"<|e|>": 1e300}})")
                .find("special token \"<|e|>\" has the id 1e+300, not a token id"),
            std::string::npos);
  EXPECT_NE(tiktoken_error_of("x.json", R"({"pat_str": 7, "bpe_ranks": "! 0 IQ=="})").find("is not a tiktoken encoder file"),
            std::string::npos) << "a pattern that is not a string";
  EXPECT_NE(tiktoken_error_of("x.json", R"({"pat_str": "a", "bpe_ranks": "! 0 IQ==", "special_tokens": {"<|e|>": 99999999}})")
                .find("far past the vocabulary's 1 tokens"),
            std::string::npos);
}

TEST(TokenizerFile, MissingFileSaysWhichPath) {
  try {
    Tokenizer::load(temp_file("does-not-exist.bpe"));
    FAIL() << "loading a missing file must throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("does-not-exist.bpe"), std::string::npos) << e.what();
  }
}

TEST(TokenizerFile, UnknownEncodingListsTheValidOnes) {
  try {
    Tokenizer::from_tiktoken("gpt5");
    FAIL() << "an unknown encoding name must throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("gpt2, cl100k_base, o200k_base"), std::string::npos) << e.what();
  }
}

// Tokenizer::open takes anything a user might type after --tokenizer / --encoding: each mistake is named.
TEST(TokenizerFile, OpenSaysWhatIsWrongWithWhatItWasGiven) {
  const auto expect_error = [](const std::string& what, const std::string& words) {
    try {
      Tokenizer::open(what);
      ADD_FAILURE() << "opening " << what << " must throw";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
  };
  expect_error(temp_file("missing.bpe").string(), "missing.bpe does not exist; train one");
  expect_error(std::filesystem::temp_directory_path().string(), "is a folder, not a tokenizer");
  const auto notes = temp_file("notes.txt");
  write_file_atomically(notes, std::string_view("shopping list\n"));
  expect_error(notes.string(), "is not a tokenizer minillm can read");
  std::filesystem::remove(notes);
}

}  // namespace
}  // namespace minillm
