#pragma once
// Paths inside an image's rootfs, resolved as the container will see them: symlinks, even
// absolute ones, and ".." stay inside the root (openat2 RESOLVE_IN_ROOT), so an image whose
// /etc/passwd points at the host's never makes nexcage read or write the host's files.
#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>

namespace nexcage::fs {

// The regular file `path` (absolute as the container sees it) under `root`, at most max_bytes;
// nullopt when it does not exist. A directory, device or FIFO there is Error(invalid_input).
std::optional<std::string> read_file_in_root(const std::filesystem::path& root,
                                             const std::string& path, std::size_t max_bytes);

// mkdir -p of `path` under `root` (missing directories made with `mode`, owned by the caller).
// Something other than a directory in the way is Error(invalid_input) naming it.
void make_dirs_in_root(const std::filesystem::path& root, const std::string& path, mode_t mode);

}  // namespace nexcage::fs
