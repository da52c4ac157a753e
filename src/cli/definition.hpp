#pragma once
// The whole command-line definition in one place: the binary parses with it and nexcage-docgen
// walks it to write the man pages and shell completions, so neither can drift from --help.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "commands.hpp"

namespace nexcage::cli {

// Names the app, adds the global flags and every command, binding them to `g` and `action`.
void define_cli(CLI::App& app, GlobalFlags& g, Action& action);

// What `nexcage ARGS...` (args[0] is the program) needs of that definition: when the arguments
// name one command after nothing but global flags, only that command is added. Adding all
// sixteen with CLI11 took 0.4 ms of the 1.6 ms of a whole `nexcage state` on the development VM,
// and containerd and podman run several nexcage commands per container. Help, errors and
// anything unusual get the full definition, so what they print is the same as before.
void define_cli_for(CLI::App& app, GlobalFlags& g, Action& action,
                    const std::vector<std::string>& args);

}  // namespace nexcage::cli
