#include "nexcage/state/root_choice.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "nexcage/core/error.hpp"
#include "nexcage/fs/files.hpp"

namespace nexcage::state {

namespace {

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

// The initial user namespace maps every id: "0 0 4294967295".
bool in_user_namespace() {
  std::ifstream in("/proc/self/uid_map");
  unsigned long inside = 0, outside = 0, count = 0;
  if (!(in >> inside >> outside >> count)) return false;
  return !(inside == 0 && outside == 0 && count == 4294967295UL);
}

}  // namespace

Caller this_caller() {
  return Caller{static_cast<unsigned>(::geteuid()), in_user_namespace(), env("XDG_RUNTIME_DIR"),
                env("USER")};
}

bool uses_runtime_dir(const Caller& caller) {
  if (!caller.xdg_runtime_dir) return false;
  if (caller.euid != 0) return true;
  if (!caller.in_user_namespace) return false;
  return caller.user != std::string("root");
}

std::filesystem::path choose_state_root(const std::string& root_flag,
                                        const std::optional<std::string>& config_root,
                                        const Caller& caller) {
  if (!root_flag.empty()) {
    if (root_flag == "/") throw Error(ErrorKind::usage, "--root cannot be /");
    return fs::absolute_path(root_flag);
  }
  if (uses_runtime_dir(caller)) return fs::absolute_path(*caller.xdg_runtime_dir) / "nexcage";
  if (caller.euid != 0)
    throw Error(ErrorKind::usage,
                "no state root for uid " + std::to_string(caller.euid) +
                    ": XDG_RUNTIME_DIR is not set, and " + default_root + " belongs to root",
                "run as root, set XDG_RUNTIME_DIR (a login session does: /run/user/" +
                    std::to_string(caller.euid) + "), or pass --root DIR");
  return fs::absolute_path(config_root.value_or(default_root));
}

}  // namespace nexcage::state
