#pragma once
// Which state root a call acts on. --root wins; otherwise runc's own rule
// (shouldHonorXDGRuntimeDir) decides between the user's runtime directory and the system root:
// an unprivileged caller, or root inside a user namespace that is not USER=root (rootless
// podman), keeps its containers in $XDG_RUNTIME_DIR/nexcage, as runc keeps them in
// $XDG_RUNTIME_DIR/runc. Everyone else uses the config file's root, else /run/nexcage.
#include <filesystem>
#include <optional>
#include <string>

namespace nexcage::state {

// The system root, where root keeps its containers unless the config file says otherwise.
inline constexpr const char* default_root = "/run/nexcage";

struct Caller {
  unsigned euid = 0;
  bool in_user_namespace = false;
  std::optional<std::string> xdg_runtime_dir;  // $XDG_RUNTIME_DIR, unset when empty
  std::optional<std::string> user;             // $USER
};

// This process: geteuid(), /proc/self/uid_map, and the environment.
Caller this_caller();

// Whether runc would keep its state under XDG_RUNTIME_DIR for this caller.
bool uses_runtime_dir(const Caller& caller);

// The root of this call (absolute). Throws when an unprivileged caller has neither --root nor
// XDG_RUNTIME_DIR: /run/nexcage is root's, and guessing another directory would scatter state.
std::filesystem::path choose_state_root(const std::string& root_flag,
                                        const std::optional<std::string>& config_root,
                                        const Caller& caller);

}  // namespace nexcage::state
