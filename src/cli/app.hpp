#pragma once
#include <string>
#include <vector>

namespace nexcage::cli {

// The whole command line: parse, build the context, run the command, report errors.
// Returns the process exit code.
int run_app(const std::vector<std::string>& args);

}  // namespace nexcage::cli
