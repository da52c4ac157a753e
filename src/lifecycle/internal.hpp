#pragma once
// Pieces shared by several operations; not part of the public interface.
#include <string>

#include "nexcage/lifecycle/operations.hpp"
#include "nexcage/lifecycle/status.hpp"
#include "nexcage/process/console.hpp"
#include "nexcage/state/state_store.hpp"

namespace nexcage::lifecycle::detail {

struct Created {
  state::Record record;
  bool terminal_on_own_console = false;  // the backend sent the pty master to `own_console`
};

// Validates the bundle, routes, claims the id, creates the container in the backend, records it
// and writes the caller's pid file. On failure nothing is left behind. With `own_console`, a
// container with process.terminal and no --console-socket gets its pty sent there (foreground run).
Created create_container(Context& ctx, const CreateRequest& request,
                         process::ConsoleSocket* own_console = nullptr);

// Destroys the backend's container and nexcage's record.
void destroy(Context& ctx, state::Container&& container, backend::Backend& backend, bool force);

// Writes the caller's pid file: the host pid, no newline, atomically.
void write_pid_file(const std::string& path, int pid);

}  // namespace nexcage::lifecycle::detail
