#pragma once
// Shell completion scripts from the CLI description. Each offers every command and every flag
// --help shows, completes option values by kind, and container ids from `nexcage list -q`.
#include <string>

#include "docgen/model.hpp"

namespace nexcage::docgen {

std::string bash_completion(const Cli& cli);
std::string zsh_completion(const Cli& cli);
std::string fish_completion(const Cli& cli);

// Signal names offered for a SIGNAL value where the shell has no list of its own (fish).
const char* signal_names();

}  // namespace nexcage::docgen
