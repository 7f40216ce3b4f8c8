// Hugging Face GPT-2 folders: the committed fixtures of tests/fixtures/hf_gpt2/make_fixture.py (HF's GPT-2
// written in plain torch, random weights) must give torch's logits in minillm, through the full forward and
// through the KV cache; export then import is bit-exact; a damaged folder is a one-line error naming the
// tensor or key. Tolerance 1e-4 on logits of order 1 (float32 sums in another order).
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "gpt/kv_cache.hpp"
#include "gpt/model_files.hpp"
#include "io/atomic_file.hpp"
#include "io/safetensors.hpp"
#include "io/safetensors_reader.hpp"

namespace minillm {
namespace {

namespace fs = std::filesystem;
const fs::path kFixtures = fs::path(MINILLM_SOURCE_DIR) / "tests/fixtures/hf_gpt2";
constexpr float kTolerance = 1e-4f;

struct Expected {
  SafetensorsFile file = load_safetensors(kFixtures / "expected.safetensors");
  TokenIds ids() const {
    TokenIds out;
    for (float x : file.at("input_ids").values()) out.push_back(token_id(static_cast<int>(std::lround(x))));
    return out;
  }
};

void expect_logits(Gpt& model, const TokenIds& ids, const Tensor& want, const std::string& what) {
  const int T = static_cast<int>(ids.size()), V = model.config().vocab_size;
  ASSERT_EQ(want.numel(), int64_t{T} * V);
  model.forward(ids, 1, T);
  for (int64_t i = 0; i < want.numel(); ++i)
    ASSERT_NEAR(model.logits()[i], want[i], kTolerance) << what << ": full forward, position " << i / V;
  Decoder decoder(model);
  std::span<const float> logits = decoder.prefill(std::span(ids).first(1));
  for (int t = 0;; ++t) {
    for (int v = 0; v < V; ++v)
      ASSERT_NEAR(logits[v], want[int64_t{t} * V + v], kTolerance) << what << ": KV cache, position " << t;
    if (t + 1 == T) break;
    logits = decoder.step(ids[static_cast<size_t>(t + 1)]);
  }
}

TEST(HfGpt2, Float32FolderWithPrefixAndBuffersGivesTorchsLogits) {
  Expected e;
  Gpt model = load_model(kFixtures / "tiny", GptForm::inference_only);
  EXPECT_EQ(model.config(), (GptConfig{97, 16, 2, 3, 24}));
  expect_logits(model, e.ids(), e.file.at("logits"), "tiny/");
}

TEST(HfGpt2, HalfPrecisionFolderIsConvertedToFloat32) {
  Expected e;
  Gpt model = load_model(kFixtures / "tiny_half", GptForm::inference_only);
  expect_logits(model, e.ids(), e.file.at("half_logits"), "tiny_half/ (F16 and BF16)");
}

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("minillm-hf-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir);
  return dir;
}

TEST(HfGpt2, ExportThenImportIsBitExact) {
  Gpt model = load_model(kFixtures / "tiny", GptForm::inference_only);
  const fs::path out = scratch("export");
  save_model(model, out);
  Gpt again = load_model(out, GptForm::inference_only);
  const TensorArena& a = model.params();
  const TensorArena& b = again.params();
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)), 0) << "every parameter, bit for bit";
  fs::remove_all(out);
}


// ---- damaged folders: one-line errors naming the tensor or key ----

// A copy of tiny/ whose config.json and tensors the test may change.
struct DamagedCopy {
  fs::path dir = scratch("damaged");
  nlohmann::json config = nlohmann::json::parse(read_file(kFixtures / "tiny/config.json"));
  SafetensorsFile tensors;  // the F32 tensors of tiny/ (the BOOL mask buffers left out: they are ignored anyway)

  DamagedCopy() {
    SafetensorsReader reader(kFixtures / "tiny/model.safetensors");
    for (const SafetensorsEntry& e : reader.entries()) {
      if (e.dtype != "F32") continue;
      Tensor t(Shape(e.shape));
      reader.read_f32(e, t.data());
      tensors.tensors.emplace(e.name, std::move(t));
    }
  }
  std::string load_error() {
    fs::create_directories(dir);
    write_file_atomically(dir / "config.json", config.dump());
    save_safetensors(dir / "model.safetensors", tensors);
    try {
      load_model(dir, GptForm::inference_only);
    } catch (const Error& e) {
      return e.what();
    }
    return "(no error)";
  }
  ~DamagedCopy() { fs::remove_all(dir); }
};

// The error is one line and names what is wrong.
void expect_error_naming(const std::string& error, const std::string& words) {
  EXPECT_NE(error.find(words), std::string::npos) << "the error should name " << words << "; it was: " << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << "one line: " << error;
}

TEST(HfGpt2, TheUndamagedCopyLoads) {
  DamagedCopy copy;
  EXPECT_EQ(copy.load_error(), "(no error)") << "without its mask buffers the folder is still complete";
}

TEST(HfGpt2, AMissingTensorIsNamed) {
  DamagedCopy copy;
  copy.tensors.tensors.erase("transformer.h.1.mlp.c_fc.bias");
  expect_error_naming(copy.load_error(), "'h.1.mlp.c_fc.bias'");
}

TEST(HfGpt2, AWrongShapeIsNamed) {
  DamagedCopy copy;
  copy.tensors.tensors["transformer.h.0.attn.c_proj.weight"] = Tensor(Shape{24, 23});
  expect_error_naming(copy.load_error(), "'h.0.attn.c_proj.weight' has shape [24, 23]");
}

TEST(HfGpt2, AConfigThatDisagreesWithTheWeightsIsNamed) {
  DamagedCopy copy;
  copy.config["vocab_size"] = 98;
  expect_error_naming(copy.load_error(), "'wte.weight' has shape [97, 24]");
  DamagedCopy deeper;
  deeper.config["n_layer"] = 3;
  expect_error_naming(deeper.load_error(), "'h.2.ln_1.weight'");
  DamagedCopy missing;
  missing.config.erase("n_head");
  expect_error_naming(missing.load_error(), "'n_head'");
}

TEST(HfGpt2, AnUnknownTensorIsNamed) {
  DamagedCopy copy;
  copy.tensors.tensors["transformer.h.0.attn.rotary"] = Tensor(Shape{2});
  expect_error_naming(copy.load_error(), "'transformer.h.0.attn.rotary'");
}

}  // namespace
}  // namespace minillm
