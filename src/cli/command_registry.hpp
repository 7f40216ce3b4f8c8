#pragma once
// Subcommands register themselves, so each module's CLI lives in its own file (commands_*.cpp) and
// main.cpp never needs editing:
//
//   static CommandRegistrar reg(20, [](CLI::App& app) {
//     auto* cmd = app.add_subcommand("tokenize", "Split text into token ids");
//     ...
//     cmd->callback([=] { ... });
//   });
//
// `order` sorts the subcommands in --help (10s: tokenizer, 20s: embeddings, 30s: model, 90s: utilities).
#include <functional>

#include <CLI/CLI.hpp>

namespace minillm::cli {

using RegisterFn = std::function<void(CLI::App&)>;

struct CommandRegistrar {
  CommandRegistrar(int order, RegisterFn fn);
};

void register_all(CLI::App& app);

}  // namespace minillm::cli
