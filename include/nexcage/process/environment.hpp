#pragma once
// The environment programs nexcage starts for the caller run with.
#include <string>
#include <vector>

namespace nexcage::process {

// The caller's environment, as runc's caller would hand it to runc: hooks without an `env`
// inherit it, and socket activation (LISTEN_FDS, LISTEN_PID) and NOTIFY_SOCKET pass through.
// nexcage's own NEXCAGE_* variables are removed, and default_path_env is added when the caller
// has no PATH (podman calls without one; hooks and helpers need it).
std::vector<std::string> caller_environment(char** caller_env);

}  // namespace nexcage::process
