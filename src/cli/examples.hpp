#pragma once
// Examples for every command, shown at the end of its --help (as runc's help does) and as the
// EXAMPLES section of its man page. One list, so the two never differ.
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

namespace nexcage::cli {

struct Example {
  std::string command;  // as typed, "nexcage ..."
  std::string what;     // what it does, one sentence
};

// "" for the top-level help (nexcage --help).
const std::vector<Example>& examples_of(std::string_view command);

// Sets `sub`'s --help footer: `prose` (may be empty), then its examples.
void set_footer(CLI::App& sub, const std::string& prose);

// The prose part of a footer set by set_footer().
std::string footer_prose(const std::string& footer);

}  // namespace nexcage::cli
