#pragma once
// The whole command-line definition in one place: the binary parses with it and nexcage-docgen
// walks it to write the man pages and shell completions, so neither can drift from --help.
#include <CLI/CLI.hpp>

#include "commands.hpp"

namespace nexcage::cli {

// Names the app, adds the global flags and every command, binding them to `g` and `action`.
void define_cli(CLI::App& app, GlobalFlags& g, Action& action);

}  // namespace nexcage::cli
