#pragma once
// Running the image tools (skopeo, umoci, tar): absolute path, argv, the tools' own environment.
#include <string>
#include <vector>

#include "nexcage/process/runner.hpp"

namespace nexcage::images {

// The command that runs `binary` with `argv` in an image tool's environment (system PATH, C
// messages), logged at debug level.
process::Command tool_command(const std::string& binary, std::vector<std::string> argv);

// Throws Error(invalid_input) "<binary> is missing: it is needed to <what>" with the apt-get hint
// when the program is not there.
void require_tool(const std::string& binary, const std::string& what);

// Runs `binary` to completion with its output captured; a non-zero exit throws
// Error(invalid_input) "<what>: <its last stderr line>".
process::Captured run_tool(process::Runner& runner, const std::string& binary,
                           std::vector<std::string> argv, const std::string& what);

}  // namespace nexcage::images
