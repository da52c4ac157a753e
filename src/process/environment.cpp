#include "nexcage/process/environment.hpp"

#include <string_view>

#include "nexcage/core/search_path.hpp"

namespace nexcage::process {

std::vector<std::string> caller_environment(char** caller_env) {
  std::vector<std::string> env;
  bool has_path = false;
  for (char** e = caller_env; e != nullptr && *e != nullptr; ++e) {
    std::string_view var(*e);
    if (var.rfind("NEXCAGE_", 0) == 0) continue;
    if (var.rfind("PATH=", 0) == 0) has_path = true;
    env.emplace_back(var);
  }
  if (!has_path) env.emplace_back(default_path_env);
  return env;
}

}  // namespace nexcage::process
