// The `minillm` command-line tool. Subcommands live in commands_*.cpp and register themselves.
#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli/command_registry.hpp"
#include "core/error.hpp"
#include "core/threads.hpp"

namespace minillm::cli {

namespace {
std::vector<std::pair<int, RegisterFn>>& registry() {
  static std::vector<std::pair<int, RegisterFn>> entries;
  return entries;
}
}  // namespace

CommandRegistrar::CommandRegistrar(int order, RegisterFn fn) { registry().emplace_back(order, std::move(fn)); }

void register_all(CLI::App& app) {
  auto& entries = registry();
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [order, fn] : entries) fn(app);
}

}  // namespace minillm::cli

int main(int argc, char** argv) {
  minillm::ensure_passive_openmp_wait(argv);  // idle OpenMP threads must not spin on OpenBLAS's cores
  CLI::App app{"minillm: a from-scratch mini-LLM in C++ (tokenizer, embeddings, attention, GPT, training)"};
  app.name("minillm");
  app.set_version_flag("--version", std::string("minillm ") + MINILLM_VERSION);
  app.require_subcommand(1);
  app.failure_message([](const CLI::App* failed, const CLI::Error& e) {
    // One line saying what was wrong, one saying where to look.
    // A bad option of a subcommand is reported by the top-level app: name the subcommand that was parsed.
    std::string path = failed->get_parent() == nullptr ? "minillm" : "minillm " + failed->get_name();
    for (const CLI::App* sub = failed; failed->get_parent() == nullptr && !sub->get_subcommands().empty();) {
      sub = sub->get_subcommands().front();
      path += " " + sub->get_name();
    }
    return fmt::format("error: {}\nhint: run '{} --help' to see the accepted options\n", e.what(), path);
  });
  int threads = 0;
  app.add_option("--threads", threads, "CPU threads for BLAS and parallel loops (default: MINILLM_THREADS or all cores)")
      ->check(CLI::Range(1, 4096));
  app.parse_complete_callback([&] {
    // Checked here, before any command runs, so a bad MINILLM_THREADS is one clear error for every command.
    if (threads > 0) minillm::set_num_threads(threads);
    else minillm::init_threads_from_env();
  });

  try {
    minillm::cli::register_all(app);
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const minillm::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
