// Damaged checkpoint files: values of the wrong type or range in state.json are one clear Error, never an
// exception from the JSON library or a number silently wrapped into a plausible one.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "train/checkpoint.hpp"
#include "../test_support.hpp"

namespace minillm {
namespace {

using test_support::error_of;

TEST(CheckpointFiles, ModelConfigNumbersMustFitAnInt) {
  nlohmann::json model = {{"vocab_size", 10}, {"context_length", 4}, {"n_layer", 1}, {"n_head", 1}, {"n_embd", 2}};
  EXPECT_EQ(gpt_config_from_json(model).n_embd, 2);
  model["n_embd"] = 4294967298ULL;  // 2^32 + 2: used to become 2
  EXPECT_NE(error_of([&] { gpt_config_from_json(model); }).find("'n_embd'"),
            std::string::npos);
  model["n_embd"] = 9223372036854775810ULL;  // past int64: used to wrap
  EXPECT_NE(error_of([&] { gpt_config_from_json(model); }).find("'n_embd'"), std::string::npos);
  model["n_embd"] = "2";
  EXPECT_NE(error_of([&] { gpt_config_from_json(model); }).find("'n_embd'"), std::string::npos);
}

TEST(CheckpointFiles, AnOptimizerStepCountOfTheWrongTypeIsAnError) {
  const auto dir = std::filesystem::temp_directory_path() / ("minillm-ckpt-" + std::to_string(::getpid()));
  const GptConfig config{.vocab_size = 10, .context_length = 4, .n_layer = 1, .n_head = 1, .n_embd = 2};
  Gpt model(config);
  AdamW optimizer(model.params(), AdamWConfig{});
  save_checkpoint(dir, model, optimizer, {{"step", 1}}, {});
  for (const nlohmann::json& bad : {nlohmann::json("three"), nlohmann::json(-1), nlohmann::json(nullptr)}) {
    const LoadedCheckpoint checkpoint = load_checkpoint(dir);
    nlohmann::json state = checkpoint.state;
    state["adamw_steps"] = bad;
    const std::string message = error_of([&] { load_optimizer_state(checkpoint.dir, model, optimizer, state); });
    EXPECT_NE(message.find("state.json has no 'adamw_steps' (a count of optimizer steps)"), std::string::npos)
        << bad.dump() << ": " << message;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace minillm
