#pragma once
// A SHA-256 digest of a directory tree as tar would pack it: every entry's relative path, type,
// mode, owner, size, symlink target, device number and extended attributes, and every regular
// file's content. Two trees with equal digests give the same template, so the pct driver packs a
// rootfs once and reuses the template while any container uses it. Timestamps are left out: a
// copy of a rootfs (cp -a, umoci unpack) is the same template.
#include <cstdint>
#include <filesystem>
#include <string>

namespace nexcage::backend::pct {

struct TreeDigest {
  std::string hex;             // 64 lowercase hex digits
  uint64_t content_bytes = 0;  // sum of regular file sizes, for progress while packing
};

// Throws Error(system) naming the path that could not be read.
TreeDigest digest_tree(const std::filesystem::path& root);

}  // namespace nexcage::backend::pct
