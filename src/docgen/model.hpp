#pragma once
// A plain description of the command line, read from the CLI11 definition the binary parses with.
// The man page and completion writers work from this, never from a list of their own.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace nexcage::docgen {

// What a value is, so a shell can offer the right words. Read from the option's type name:
// FILE and SOCKET are files, DIR a directory, ID a container id, SIGNAL a signal, "{a,b}" a choice.
enum class ValueKind { none, file, directory, choice, container_id, signal };

struct Option {
  std::vector<std::string> longs;   // without the leading "--"
  std::vector<std::string> shorts;  // without the leading "-"
  bool takes_value = false;
  bool repeatable = false;  // a list: each use adds a value
  std::string value_name;   // FILE, DIR, {a,b}, ...
  ValueKind kind = ValueKind::none;
  std::vector<std::string> choices;
  std::string help;
};

struct Positional {
  std::string name;
  std::string value_name;
  ValueKind kind = ValueKind::none;
  bool required = false;
  bool many = false;  // takes the rest of the command line
  std::string help;
};

struct Example {
  std::string command;
  std::string what;
};

struct Command {
  std::string name;
  std::string summary;
  std::string footer;  // the prose of --help's footer, without its examples
  std::vector<Example> examples;
  std::vector<Option> options;
  std::vector<Positional> positionals;
};

struct Cli {
  std::string name;
  std::string summary;
  std::string footer;
  std::vector<Example> examples;
  std::vector<Option> options;  // global flags, before the command
  std::vector<Command> commands;
};

Cli describe(const CLI::App& app);

// Where a command's trailing words start (exec's command, ps's arguments): the index of the
// positional that takes the rest of the line, or npos. From there on the words belong to the
// container's program, so no nexcage option is offered.
std::size_t rest_index(const Command& c);

// The nexcage binary's own definition.
Cli describe_nexcage();

// "--root" / "-b": the spellings --help shows, long ones first.
std::vector<std::string> spellings(const Option& o);

// spellings() plus the Go-style "-root" the parser also accepts (cli/normalize.hpp): what a
// completion must recognise on a command line, though it offers only spellings().
std::vector<std::string> accepted_spellings(const Option& o);

// The global options that say where `nexcage list -q` finds containers (--root, --config): a
// completion passes them on when it lists ids.
bool locates_state(const Option& o);

}  // namespace nexcage::docgen
