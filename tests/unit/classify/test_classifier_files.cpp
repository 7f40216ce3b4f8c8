// A classifier trained end to end on the fixture files, saved and loaded back: the same probabilities, the
// frozen blocks untouched, one kept epoch that `latest` names, and folders for another task refused.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "../test_support.hpp"
#include "classify/classifier_files.hpp"
#include "classify/classify_train.hpp"
#include "classify/labelled_text.hpp"
#include "classify/scoring.hpp"
#include "core/rng.hpp"
#include "gpt/model_files.hpp"
#include "io/atomic_file.hpp"

namespace minillm {
namespace {

namespace fs = std::filesystem;
using test_support::error_of;

const fs::path kFixtures = fs::path(MINILLM_SOURCE_DIR) / "tests/fixtures/classify";

// A random GPT of 256 tokens (the bytes: a tokenizer with no merges) saved as a model folder.
fs::path base_model(const fs::path& dir) {
  fs::remove_all(dir);
  const fs::path tokenizer = dir / "bytes.bpe";
  Tokenizer::from_merges(std::string(kGpt2Pattern), {}, {}).save(tokenizer);
  Gpt gpt(GptConfig{256, 48, 2, 2, 16});
  Rng rng(3);
  gpt.init_weights(rng);
  save_model(gpt, dir / "model", ModelInfo{.tokenizer = tokenizer.string()});
  return dir / "model";
}

ClassifyConfig fixture_config(const fs::path& base, const fs::path& out) {
  ClassifyConfig c;
  c.input = (kFixtures / "train.tsv").string();
  c.val = (kFixtures / "val.tsv").string();
  c.init_from = base.string();
  c.out_dir = out.string();
  c.epochs = 2;
  c.unfreeze = 1;
  c.lr = 3e-3f;
  return c;
}

TEST(ClassifierFiles, TrainedClassifierReloadsExactlyAndItsFrozenBlockIsUntouched) {
  const fs::path root = fs::path(MINILLM_BINARY_DIR) / "tests" / "classify-files";
  const fs::path base = base_model(root / "base");
  const fs::path out = root / "clf";
  fs::remove_all(out);
  const ClassifyTrainSummary s = train_classifier(fixture_config(base, out));
  ASSERT_EQ(s.epochs.size(), 2u);
  EXPECT_GE(s.best_epoch, 1);
  EXPECT_EQ(read_file(out / "latest"), fmt::format("checkpoints/epoch-{:03d}\n", s.best_epoch));
  EXPECT_EQ(std::distance(fs::directory_iterator(out / "checkpoints"), fs::directory_iterator{}), 1);

  LoadedClassifier loaded = load_classifier(out);
  EXPECT_EQ(loaded.meta.labels, (std::vector<std::string>{"cooking", "weather"}));
  EXPECT_EQ(loaded.meta.context, 48);
  // Block 0 was frozen: bit for bit the base model's. Block 1 and ln_f were trained.
  const Gpt original = load_model(base);
  const auto same = [&](const std::string& name) {
    const ConstTensorView a = original.params()[name];
    const TensorView b = loaded.classifier->backbone().params()[name];
    return std::equal(a.span().begin(), a.span().end(), b.span().begin());
  };
  EXPECT_TRUE(same("h.0.attn.c_attn.weight"));
  EXPECT_TRUE(same("wte"));
  EXPECT_FALSE(same("h.1.mlp.c_fc.weight"));
  EXPECT_FALSE(same("ln_f.weight"));

  // The reloaded classifier scores the validation texts as well as training said.
  const LabelledText val = read_labelled_text(kFixtures / "val.tsv", loaded.meta.labels);
  const std::vector<int> predicted = argmax_rows(
      predict_probabilities(*loaded.classifier, encode_texts(loaded.tokenizer, val.texts, 48), 7), 2);
  int correct = 0;
  for (size_t i = 0; i < predicted.size(); ++i) correct += predicted[i] == val.labels[i];
  EXPECT_DOUBLE_EQ(double(correct) / double(predicted.size()), s.best_val_accuracy);

  // Another task's folder, both ways, and an --out that holds a language-model run.
  EXPECT_NE(error_of([&] { load_classifier(base); }).find("is a language model, not a classifier"), std::string::npos);
  EXPECT_NE(error_of([&] { load_model(out); }).find("is a text classifier"), std::string::npos);
  write_file_atomically(root / "other/checkpoints/x/classifier.json", R"({"task": "summarization"})");
  write_file_atomically(root / "other/latest", "checkpoints/x\n");
  EXPECT_NE(error_of([&] { load_classifier(root / "other"); }).find("holds a model for the task 'summarization'"),
            std::string::npos);
  write_file_atomically(root / "lm-run/latest", "checkpoints/step-000001\n");
  EXPECT_NE(error_of([&] { train_classifier(fixture_config(base, root / "lm-run")); })
                .find("holds a language-model run, which a classifier would replace"),
            std::string::npos);
  EXPECT_FALSE(fs::exists(root / "lm-run/checkpoints"));
}

TEST(ClassifierFiles, BadInputWritesNothing) {
  const fs::path root = fs::path(MINILLM_BINARY_DIR) / "tests" / "classify-bad";
  const fs::path base = base_model(root / "base");
  for (const char* bad : {"no_tab.tsv", "empty_text.tsv", "one_label.tsv"}) {
    ClassifyConfig c = fixture_config(base, root / "out");
    c.input = (kFixtures / bad).string();
    EXPECT_NE(error_of([&] { train_classifier(c); }), "(no error)") << bad;
    EXPECT_FALSE(fs::exists(root / "out")) << bad;
  }
  ClassifyConfig c = fixture_config(base, root / "out");
  c.val = (kFixtures / "unseen_label.tsv").string();
  EXPECT_NE(error_of([&] { train_classifier(c); }).find("label 'sport' is not one"), std::string::npos);
  EXPECT_FALSE(fs::exists(root / "out"));
}

}  // namespace
}  // namespace minillm
