#pragma once
// Where minillm keeps data: data/cache/ (what ./run fetch downloads: Moby Dick, tiktoken's rank files) and
// data/out/ (what demos and commands write: trained tokenizers, vectors, checkpoints, PNGs). Both are
// git-ignored. One function decides, so every demo and command agrees.
#include <filesystem>

namespace minillm {

// $MINILLM_DATA_DIR if set; else the data/ folder of the source tree this library was compiled from (so
// demos find it from any working directory), if it exists; else ./data.
std::filesystem::path data_dir();

// data_dir() / "out": the place for results a learner will want to open.
std::filesystem::path output_dir();

}  // namespace minillm
