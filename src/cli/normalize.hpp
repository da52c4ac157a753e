#pragma once
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace nexcage::cli {

// Rewrites runc's accepted spellings into what CLI11 parses, driven by the app's own option
// definitions: Go-style single-dash long flags (-root, -force, -format=json) become --root...;
// after the id of a command that takes trailing arguments (exec, ps), "--" is inserted so the
// container command's own flags are never taken as nexcage's (runc stops at the first positional).
// The option `spelled` names in `scope`: --name and -x as CLI11 knows them, and the Go-style
// -name (one dash before a long name) that runc accepts. nullptr when there is none.
const CLI::Option* find_flag(const CLI::App& scope, const std::string& spelled);

// The subcommand of `scope` named `name` (or one of its aliases), or nullptr.
const CLI::App* find_subcommand(const CLI::App& scope, const std::string& name);

// The flag a word of the command line names: "--root=/x" -> "--root", "-t" -> "-t".
std::string flag_name(const std::string& token);

// Whether `token`, spelling `opt` (nullptr: unknown), takes the next word as its value: an
// option that expects one, written without "=value".
bool takes_next_word(const CLI::Option* opt, const std::string& token);

// runc's `help [COMMAND]` (also `h`): rewritten to `[COMMAND] --help`, after the global flags.
std::vector<std::string> help_command_as_flag(const CLI::App& app, std::vector<std::string> args);

std::vector<std::string> normalize_argv(const CLI::App& app, const std::vector<std::string>& args,
                                        const std::vector<std::string>& trailing_commands);

}  // namespace nexcage::cli
