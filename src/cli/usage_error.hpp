#pragma once
// What nexcage says when CLI11 refuses a command line: "what: why", the closest spelling when
// one is near, and the help page to read.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace nexcage::cli {

// The two lines printed on stderr (each ending in a newline) for `error`, raised while parsing
// `args` (argv as the user typed it, argv[0] included) against `app`.
std::string usage_error_text(const CLI::App& app, const std::vector<std::string>& args,
                             const CLI::ParseError& error);

// The candidate closest to `typed` by edit distance (a swap of two neighbours counts once),
// or "" when none is close enough to be what the user meant.
std::string closest(const std::string& typed, const std::vector<std::string>& candidates);

}  // namespace nexcage::cli
