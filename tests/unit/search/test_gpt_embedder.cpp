// GPT-state passages: the pooling by hand, the embedder against the GPT's own forward pass (one text at a
// time, no batching, no padding), windows for long texts, batches of unequal texts, the file hash, and the
// checkpoint checks a query makes (missing, changed model, changed tokenizer, moved).
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "gpt/model_files.hpp"
#include "io/atomic_file.hpp"
#include "search/gpt_embedder.hpp"
#include "search/index_file.hpp"

namespace minillm::search {
namespace {

namespace fs = std::filesystem;

constexpr int kContext = 8, kWidth = 16;

// Bytes, one merge ("t" + "h" = 256) and <|endoftext|> (257): 258 tokens.
Tokenizer tiny_tokenizer(char first = 't', char second = 'h') {
  const std::pair<TokenId, TokenId> merge{token_id(static_cast<unsigned char>(first)),
                                          token_id(static_cast<unsigned char>(second))};
  return Tokenizer::from_merges(std::string(kGpt2Pattern), {merge}, {"<|endoftext|>"});
}

Gpt tiny_model(uint64_t seed) {
  Gpt model(GptConfig{258, kContext, 2, 2, kWidth}, GptForm::inference_only);
  Rng rng(seed);
  model.init_weights(rng);
  // Random LayerNorm gains and biases too, so ln_f's rows are not just standardised residuals.
  for (const char* name : {"ln_f.weight", "ln_f.bias"}) rng.fill_normal(model.params()[name].span(), 0.5f, 0.3f);
  return model;
}

// What the embedder should give, computed the plain way: each window of at most kContext tokens through the
// model alone (B = 1, T = its length), ln_f's rows summed, divided by the token count, scaled to length 1.
std::vector<float> reference(Gpt& model, const TokenIds& ids) {
  std::vector<double> mean(kWidth, 0.0);
  for (size_t start = 0; start < ids.size(); start += kContext) {
    const int n = int(std::min<size_t>(kContext, ids.size() - start));
    model.forward(std::span(ids.data() + start, size_t(n)), 1, n);
    for (int r = 0; r < n; ++r)
      for (int j = 0; j < kWidth; ++j) mean[size_t(j)] += model.final_hidden()[r * kWidth + j] / double(ids.size());
  }
  double length = 0;
  for (double x : mean) length += x * x;
  std::vector<float> out;
  for (double x : mean) out.push_back(float(x / std::sqrt(length)));
  return out;
}

void expect_near_rows(const float* got, const std::vector<float>& want, const std::string& what) {
  for (int j = 0; j < kWidth; ++j) EXPECT_NEAR(got[j], want[size_t(j)], 2e-5) << what << ", number " << j;
}

TEST(GptPooling, MeanOfRowsScaledToLengthOneByHand) {
  const float rows[] = {1, 2, 3, 4, 5, 6};  // three rows of two: the sum is (9, 12), the mean (3, 4)
  double sum[2] = {0, 0};
  add_rows(rows, 3, 2, sum);
  EXPECT_EQ(sum[0], 9);
  EXPECT_EQ(sum[1], 12);
  float out[2];
  mean_to_unit(sum, 3, 2, out);
  EXPECT_FLOAT_EQ(out[0], 0.6f);  // (3, 4) / 5
  EXPECT_FLOAT_EQ(out[1], 0.8f);
  mean_to_unit(sum, 0, 2, out);  // no tokens: nothing to match
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[1], 0);
}

TEST(GptEmbedder, ShortTextIsTheNormalisedMeanOfItsLnFRows) {
  Gpt same = tiny_model(1);
  GptEmbedder embedder(tiny_model(1), tiny_tokenizer());
  const std::string text = "the sea";
  const TokenIds ids = tiny_tokenizer().encode_ordinary(text);
  ASSERT_EQ(ids.size(), 6u) << "\"th\" is one token";
  std::vector<float> got(kWidth);
  EXPECT_EQ(embedder.embed(text, got.data()), 6);
  expect_near_rows(got.data(), reference(same, ids), text);
}

TEST(GptEmbedder, LongTextIsCutIntoContextWindowsAndAveragedOverAllTokens) {
  Gpt same = tiny_model(2);
  GptEmbedder embedder(tiny_model(2), tiny_tokenizer());
  const std::string text = "a whale, a boat and a harpoon";  // 29 tokens: windows of 8, 8, 8 and 5
  const TokenIds ids = tiny_tokenizer().encode_ordinary(text);
  ASSERT_GT(ids.size(), size_t(3 * kContext));
  std::vector<float> got(kWidth);
  EXPECT_EQ(embedder.embed(text, got.data()), int64_t(ids.size()));
  expect_near_rows(got.data(), reference(same, ids), text);
  // Not just the first window: its mean alone points elsewhere.
  const std::vector<float> first = reference(same, TokenIds(ids.begin(), ids.begin() + kContext));
  double cosine = 0;
  for (int j = 0; j < kWidth; ++j) cosine += double(first[size_t(j)]) * got[size_t(j)];
  EXPECT_LT(cosine, 0.9999);
}

// Texts of unequal lengths share forward passes, padded on the right: causal attention keeps the padding out
// of the real tokens' rows, so each text's vector is what it gets alone.
TEST(GptEmbedder, BatchOfUnequalTextsGivesWhatEachGetsAlone) {
  GptEmbedder embedder(tiny_model(3), tiny_tokenizer());
  const std::vector<std::string> texts = {"the sea", "", "a whale in the water, far out at sea", "x", "the ship"};
  std::vector<int64_t> tokens;
  const std::vector<float> rows = embedder.embed_all(texts, &tokens);
  ASSERT_EQ(rows.size(), texts.size() * kWidth);
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(tokens[i], int64_t(tiny_tokenizer().encode_ordinary(texts[i]).size()));
    std::vector<float> alone(kWidth);
    embedder.embed(texts[i], alone.data());
    expect_near_rows(rows.data() + i * kWidth, alone, "\"" + texts[i] + "\"");
  }
  for (int j = 0; j < kWidth; ++j) EXPECT_EQ(rows[kWidth + j], 0.0f) << "the empty text matches nothing";
}

TEST(GptEmbedder, ProgressCountsEveryText) {
  GptEmbedder embedder(tiny_model(4), tiny_tokenizer());
  std::FILE* sink = std::tmpfile();
  ui::ProgressBar bar("embedding", 3, "passages", sink);
  embedder.embed_all({"the sea", "", "a long text that needs more than one window of eight tokens"}, nullptr, &bar);
  EXPECT_EQ(bar.done(), 3);
  bar.finish();
  std::fclose(sink);
}

TEST(FileHash, BlockByBlockEqualsTheWholeFilesHash) {
  const fs::path file = fs::temp_directory_path() / "minillm_file_hash_test.bin";
  std::string bytes;
  Rng rng(9);
  for (int i = 0; i < (5 << 19); ++i) bytes += char(rng.below(256));  // 2.5 MB: three 1 MB blocks
  write_file_atomically(file, bytes);
  EXPECT_EQ(file_hash(file), fnv1a64(bytes));
  fs::remove(file);
}

class GptCheckpoint : public ::testing::Test {
 protected:
  fs::path dir = fs::temp_directory_path() / ("minillm_gpt_embedder_" + std::to_string(::getpid()));
  fs::path model_dir = dir / "model";

  void SetUp() override {
    fs::remove_all(dir);
    fs::create_directories(dir);
    save(tiny_model(5), tiny_tokenizer());
  }
  void TearDown() override { fs::remove_all(dir); }
  void save(const Gpt& model, const Tokenizer& tokenizer) {
    tokenizer.save(dir / "tok.bpe");
    save_model(model, model_dir, ModelInfo{.tokenizer = (dir / "tok.bpe").string()});
  }
  static std::string error_of(const CheckpointRef& ref, const fs::path& path = {}) {
    try {
      GptEmbedder::open_recorded(ref, "x.idx", path);
    } catch (const Error& e) {
      return e.what();
    }
    return "(no error)";
  }
};

TEST_F(GptCheckpoint, OpenRecordsThePathAndTheHashes) {
  const GptEmbedder embedder = GptEmbedder::open(model_dir);
  EXPECT_EQ(embedder.ref().path, fs::absolute(model_dir).lexically_normal().string());
  EXPECT_EQ(embedder.ref().model_hash, fnv1a64(read_file(model_dir / "model.safetensors")));
  EXPECT_EQ(embedder.dim(), kWidth);
  EXPECT_NO_THROW(GptEmbedder::open_recorded(embedder.ref(), "x.idx"));
}

TEST_F(GptCheckpoint, AChangedModelIsRefusedWithWhatToDo) {
  const CheckpointRef ref = GptEmbedder::open(model_dir).ref();
  save(tiny_model(6), tiny_tokenizer());
  const std::string e = error_of(ref);
  EXPECT_NE(e.find("x.idx: the checkpoint " + ref.path + " has changed since the index was built"), std::string::npos) << e;
  EXPECT_NE(e.find("rebuild the index"), std::string::npos) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos) << "one line";
}

TEST_F(GptCheckpoint, AChangedTokenizerIsRefused) {
  const CheckpointRef ref = GptEmbedder::open(model_dir).ref();
  save(tiny_model(5), tiny_tokenizer('a', 'b'));  // same model, same vocabulary size, another merge
  EXPECT_NE(error_of(ref).find("the tokenizer of checkpoint"), std::string::npos) << error_of(ref);
}

TEST_F(GptCheckpoint, AMissingCheckpointSaysWhereToPoint) {
  const CheckpointRef ref = GptEmbedder::open(model_dir).ref();
  fs::rename(model_dir, dir / "moved");
  const std::string e = error_of(ref);
  EXPECT_NE(e.find("x.idx: its checkpoint " + ref.path + " is missing"), std::string::npos) << e;
  EXPECT_NE(e.find("--checkpoint DIR"), std::string::npos) << e;
  // Pointed to where it went, the same model is accepted.
  EXPECT_EQ(error_of(ref, dir / "moved"), "(no error)");
}

}  // namespace
}  // namespace minillm::search
