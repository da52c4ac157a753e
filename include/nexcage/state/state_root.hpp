#pragma once
// A state root is nexcage's only when nexcage made it: `--root /tmp` or `--root /etc` must never
// be chmod'ed, scanned for leftovers or filled with records. nexcage makes a root 0700 with a
// marker file in it; an existing directory is taken over only when it cannot belong to anyone
// else (empty and writable by root alone), or when it already holds nothing but nexcage's own
// layout (a root made by a nexcage that predates the marker). Anything else is refused untouched.
#include <filesystem>
#include <string>

namespace nexcage::state {

inline constexpr const char* root_marker = ".nexcage-root";

// What nexcage keeps in a state root besides one directory per container (<root>/<id>/ with its
// `container_lock_file`).
inline constexpr const char* backends_dir = ".backends";  // <backends_dir>/<backend>: its root
inline constexpr const char* bundles_dir = ".bundles";    // bundles `create --image` generated
inline constexpr const char* tmp_dir = ".tmp";            // claims and removals in progress
inline constexpr const char* metrics_dir = ".metrics";    // operation metrics (metrics/journal.hpp)
inline constexpr const char* container_lock_file = "lock";

// <root>/.backends/<backend>: where a backend keeps its own state for the containers of `root`.
inline std::filesystem::path backend_root_for(const std::filesystem::path& root,
                                              const std::string& backend) {
  return root / backends_dir / backend;
}

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
