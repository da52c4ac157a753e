#pragma once
// A state root is nexcage's only when nexcage made it: `--root /tmp` or `--root /etc` must never
// be chmod'ed, scanned for leftovers or filled with records. nexcage makes a root 0700 with a
// marker file in it; an existing directory is taken over only when it cannot belong to anyone
// else (empty and writable by root alone), or when it already holds nothing but nexcage's own
// layout (a root made by a nexcage that predates the marker). Anything else is refused untouched.
#include <filesystem>

namespace nexcage::state {

inline constexpr const char* root_marker = ".nexcage-root";

enum class RootKind {
  missing,  // nothing there yet: no containers
  marked,   // holds the marker
  empty,    // an empty directory that only root can write to: nexcage may take it over
  legacy,   // unmarked, but holding only nexcage's layout
};

// What `root` is; throws Error(invalid_input) naming the reason when it is not nexcage's (a
// symlink, not a directory, writable by others, or holding anything nexcage did not make).
// Reads only: never creates, chmods or deletes anything.
RootKind inspect_root(const std::filesystem::path& root);

// Makes `root` (parents 0755, the root itself 0700) with its marker, or marks an empty or legacy
// root; refuses anything else as inspect_root does. For commands that write records.
void prepare_root(const std::filesystem::path& root);

}  // namespace nexcage::state
