#include "nexcage/images/tool.hpp"

#include <unistd.h>

#include <filesystem>

#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/core/search_path.hpp"
#include "nexcage/core/text.hpp"

namespace nexcage::images {

process::Command tool_command(const std::string& binary, std::vector<std::string> argv) {
  process::Command cmd;
  cmd.path = binary;
  cmd.argv = std::move(argv);
  cmd.env = {tool_path_env, "LANG=C"};
  log::debug("running " + process::describe(cmd.argv));
  return cmd;
}

void require_tool(const std::string& binary, const std::string& what) {
  if (::access(binary.c_str(), X_OK) == 0) return;
  throw Error(ErrorKind::invalid_input, binary + " is missing: it is needed to " + what,
              "apt-get install " + std::filesystem::path(binary).filename().string());
}

process::Captured run_tool(process::Runner& runner, const std::string& binary,
                           std::vector<std::string> argv, const std::string& what) {
  require_tool(binary, what);
  auto r = runner.capture(tool_command(binary, std::move(argv)));
  if (r.exit.code() != 0) {
    auto err = last_line(r.err);
    throw Error(ErrorKind::invalid_input,
                what + ": " + (err.empty() ? "exit status " + std::to_string(r.exit.code()) : err));
  }
  return r;
}

}  // namespace nexcage::images
