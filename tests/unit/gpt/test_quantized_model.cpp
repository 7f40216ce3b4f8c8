// Quantized models (gpt/quantized_model.hpp): saved and loaded exactly; decoded through the int8 kernel with
// logits close to the dequantized float model's and to the original's; damaged folders refused, each with a
// one-line error; load_model refuses a quantized folder.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/rng.hpp"
#include "gpt/kv_cache.hpp"
#include "gpt/model_files.hpp"
#include "gpt/quantized_model.hpp"
#include "nn/kernels.hpp"
#include "io/safetensors.hpp"
#include "io/safetensors_reader.hpp"
#include "../test_support.hpp"

namespace minillm {
namespace {

namespace fs = std::filesystem;
using test_support::error_of;

GptConfig small_config() {
  GptConfig c;
  c.vocab_size = 96;
  c.context_length = 16;
  c.n_layer = 2;
  c.n_head = 2;
  c.n_embd = 64;
  return c;
}

// GPT-2's init scale, LayerNorm gains near 1: logits of order 1, so a wrong scale or row shows.
Gpt random_model(const GptConfig& config, uint64_t seed) {
  Gpt model(config, GptForm::inference_only);
  Rng rng(seed);
  for (const auto& entry : model.params().entries()) {
    TensorView t = model.params()[entry.name];
    if (entry.name.find("ln_") != std::string::npos && entry.name.ends_with(".weight")) rng.fill_uniform(t.span(), 0.8f, 1.2f);
    else rng.fill_normal(t.span(), 0.0f, 0.2f);
  }
  return model;
}

fs::path temp_dir(const std::string& name) {
  const fs::path dir = fs::path(MINILLM_BINARY_DIR) / "tests" / "quantized_model" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TokenIds tokens_of(std::initializer_list<int> ids) {
  TokenIds t;
  for (int id : ids) t.push_back(token_id(id));
  return t;
}

float max_abs_diff(std::span<const float> a, std::span<const float> b) {
  float m = 0;
  for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::fabs(a[i] - b[i]));
  return m;
}

TEST(quantized_model, save_load_round_trip_is_exact) {
  const Gpt model = random_model(small_config(), 1);
  const QuantizedGpt q = quantize_gpt(model);
  const fs::path dir = temp_dir("round_trip");
  save_quantized_model(q, dir, {}, {"/somewhere/float", 0x1234abcdULL});
  EXPECT_EQ(quantization_format(dir), "q8_0");
  const fs::path float_dir = temp_dir("float");
  save_model(model, float_dir);
  EXPECT_EQ(quantization_format(float_dir), "");
  const QuantizedGpt back = load_quantized_model(dir);
  EXPECT_EQ(back.config, q.config);
  EXPECT_EQ(back.wte.values, q.wte.values);
  EXPECT_EQ(back.wte.scales, q.wte.scales);
  EXPECT_EQ(back.blocks[1].mlp_c_proj.values, q.blocks[1].mlp_c_proj.values);
  EXPECT_EQ(back.blocks[1].mlp_c_proj.scales, q.blocks[1].mlp_c_proj.scales);
  ASSERT_EQ(back.floats.size(), q.floats.size());
  EXPECT_EQ(0, std::memcmp(back.floats.data(), q.floats.data(), q.floats.size() * sizeof(float)));
  // The file holds int8 values [out, in] and fp16 scales [out, in/32]: about a quarter of float32's bytes.
  SafetensorsReader file(dir / "model.safetensors");
  const SafetensorsEntry* fc = file.find("h.0.mlp.c_fc.weight");
  const SafetensorsEntry* scales = file.find("h.0.mlp.c_fc.weight.scales");
  ASSERT_TRUE(fc && scales);
  EXPECT_EQ(fc->dtype, "I8");
  EXPECT_EQ(fc->shape, (std::vector<int64_t>{256, 64}));
  EXPECT_EQ(scales->dtype, "F16");
  EXPECT_EQ(scales->shape, (std::vector<int64_t>{256, 2}));
  EXPECT_EQ(file.find("wpe.weight")->dtype, "F32");
  EXPECT_EQ(file.find("h.1.ln_2.bias")->dtype, "F32");
}

// Decoding a quantized model: prefill + steps give logits within 3% of the largest logit of the dequantized
// float model's (the activations' int8 rounding) and within 4% of the original float model's. (Weights
// N(0, 0.2), ten times GPT-2's init, so that logits are of order 1 and a wrong row or scale shows.)
TEST(quantized_model, decoder_logits_close_to_the_float_model) {
  const Gpt model = random_model(small_config(), 2);
  const QuantizedGpt q = quantize_gpt(model);
  const Gpt dequantized = dequantize_gpt(q);
  Decoder int8(q), deq(dequantized), float32(model);
  const TokenIds prompt = tokens_of({5, 17, 80, 3});
  std::span<const float> a = int8.prefill(prompt), b = deq.prefill(prompt), c = float32.prefill(prompt);
  float worst_deq = 0, worst_float = 0, float_vs_deq = 0;
  for (int next : {9, 41, 95, 0, 60, 7}) {
    worst_deq = std::max(worst_deq, max_abs_diff(a, b));
    worst_float = std::max(worst_float, max_abs_diff(a, c));
    float_vs_deq = std::max(float_vs_deq, max_abs_diff(b, c));
    a = int8.step(token_id(next));
    b = deq.step(token_id(next));
    c = float32.step(token_id(next));
  }
  float spread = 0;  // the largest |logit|: 4.3 here
  for (float v : c) spread = std::max(spread, std::fabs(v));
  // Measured: 0.083 (int8 vs dequantized, the activations' rounding), 0.118 (int8 vs float32).
  EXPECT_LT(worst_deq, 0.03f * spread);
  EXPECT_LT(worst_float, 0.04f * spread);
  EXPECT_GT(float_vs_deq, 0.0f);  // quantizing did change the weights
}

// The decoder runs its int8 layers through the kernel table: with the plain table, the plain int8 matvec
// (the same exact block sums, rounded differently) gives logits within 1e-4 of the fast one's.
TEST(quantized_model, decoder_runs_the_kernel_tables_int8_matvec) {
  const QuantizedGpt q = quantize_gpt(random_model(small_config(), 6));
  const TokenIds prompt = tokens_of({1, 2, 3});
  Decoder fast(q), plain(q);
  fast.prefill(prompt);
  const std::span<const float> fast_step = fast.step(token_id(4));
  std::vector<float> b;
  {
    KernelScope scope(KernelForm::plain);
    plain.prefill(prompt);
    const std::span<const float> s = plain.step(token_id(4));
    b.assign(s.begin(), s.end());
  }
  EXPECT_LT(max_abs_diff(fast_step, b), 1e-4f);
  EXPECT_GT(max_abs_diff(fast_step, b), 0.0f) << "the plain form rounds its sums in another order";
}

TEST(quantized_model, load_model_refuses_a_quantized_folder) {
  const fs::path dir = temp_dir("refused");
  save_quantized_model(quantize_gpt(random_model(small_config(), 3)), dir, {}, {"/runs/float-model", 1});
  const std::string e = error_of([&] { load_model(dir); });
  EXPECT_NE(e.find("quantized"), std::string::npos) << e;
  EXPECT_NE(e.find("use the float model it was made from (/runs/float-model)"), std::string::npos) << e;
  const fs::path float_dir = temp_dir("float_model");
  save_model(random_model(small_config(), 3), float_dir);
  EXPECT_NE(error_of([&] { load_quantized_model(float_dir); }).find("is a float model"), std::string::npos);
}

TEST(quantized_model, refuses_a_width_not_a_multiple_of_32) {
  GptConfig c = small_config();
  c.n_embd = 48;
  const std::string e = error_of([&] { quantize_gpt(random_model(c, 4)); });
  EXPECT_NE(e.find("wte.weight: its rows hold 48 values"), std::string::npos) << e;
}

// Rewrites dir/model.safetensors with tensor `name` replaced by (dtype, shape, bytes).
void replace_tensor(const fs::path& dir, const std::string& name, const std::string& dtype,
                    std::vector<int64_t> shape, const std::string& bytes) {
  SafetensorsReader file(dir / "model.safetensors");
  std::vector<std::string> data;
  data.reserve(file.entries().size());
  std::vector<SafetensorsBlob> blobs;
  for (const SafetensorsEntry& e : file.entries()) {
    if (e.name == name) {
      data.push_back(bytes);
      blobs.push_back({e.name, dtype, shape, data.back().data(), data.back().size()});
      continue;
    }
    data.emplace_back(e.end - e.begin, '\0');
    file.read_raw(e, e.dtype.c_str(), data.back().data());
    blobs.push_back({e.name, e.dtype, e.shape, data.back().data(), data.back().size()});
  }
  save_safetensors_blobs(dir / "model.safetensors", blobs);
}

fs::path saved_model(const std::string& name) {
  const fs::path dir = temp_dir(name);
  save_quantized_model(quantize_gpt(random_model(small_config(), 5)), dir, {}, {"/float", 2});
  return dir;
}

TEST(quantized_model, damaged_folders_are_refused) {
  {  // truncated: the last tensor's bytes are cut off
    const fs::path dir = saved_model("truncated");
    const fs::path file = dir / "model.safetensors";
    fs::resize_file(file, fs::file_size(file) - 100);
    const std::string e = error_of([&] { load_quantized_model(dir); });
    EXPECT_NE(e.find("outside the file"), std::string::npos) << e;
  }
  {  // one scale too few per row: [256, 1] for [256, 64]
    const fs::path dir = saved_model("block_count");
    replace_tensor(dir, "h.0.mlp.c_fc.weight.scales", "F16", {256, 1}, std::string(256 * 2, '\0'));
    const std::string e = error_of([&] { load_quantized_model(dir); });
    EXPECT_NE(e.find("tensor 'h.0.mlp.c_fc.weight.scales' has shape [256, 1], but [256, 64] values in blocks of 32 "
                     "have [256, 2] scales"), std::string::npos) << e;
  }
  {  // a non-finite scale (fp16 +inf, 0x7c00, little-endian)
    const fs::path dir = saved_model("infinite_scale");
    std::string scales(96 * 2 * 2, '\0');
    scales[6] = '\x00';
    scales[7] = '\x7c';
    replace_tensor(dir, "wte.weight.scales", "F16", {96, 2}, scales);
    const std::string e = error_of([&] { load_quantized_model(dir); });
    EXPECT_NE(e.find("tensor 'wte.weight': the scale of block 3 (row 1) is inf"), std::string::npos) << e;
  }
  {  // values stored as float32 instead of int8
    const fs::path dir = saved_model("dtype");
    replace_tensor(dir, "h.1.attn.c_proj.weight", "F32", {64, 64}, std::string(64 * 64 * 4, '\0'));
    const std::string e = error_of([&] { load_quantized_model(dir); });
    EXPECT_NE(e.find("tensor 'h.1.attn.c_proj.weight' is F32, not I8"), std::string::npos) << e;
  }
}

}  // namespace
}  // namespace minillm
