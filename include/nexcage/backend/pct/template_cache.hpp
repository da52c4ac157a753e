#pragma once
// Bundle root filesystems as Proxmox templates. pct create only takes a template, so a rootfs is
// packed with the tar flags Proxmox itself uses, named by its tree digest, and kept while any
// container made from it exists: the second container of the same rootfs costs no packing.
// The template file is host-wide (Proxmox's template storage), so its users are counted where
// every state root on the host sees them: <host_dir>/templates/<digest>/<user>, one file per
// container, named by its state root and id, every change under <host_dir>/templates.lock. So
// concurrent creates neither pack twice nor delete a template in use, whichever root they use.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "nexcage/backend/pct/driver_config.hpp"
#include "nexcage/backend/pct/owner_file.hpp"
#include "nexcage/process/runner.hpp"

namespace nexcage::backend::pct {

struct TemplateUse {
  std::string digest;          // tree digest of the rootfs (hex)
  std::string volid;           // <storage>:vztmpl/nexcage-<digest>.tar, for pct create
  bool packed = false;         // false: an existing template was reused
  uint64_t content_bytes = 0;  // the rootfs's regular files, which size its volume
};

// nexcage-<digest>.tar, the name of a template in the template storage; the digest of such a
// name (nullopt for any other name).
std::string template_file_name(const std::string& digest);
std::optional<std::string> template_digest(const std::string& file_name);
// A tree digest as templates are named by it: 64 lower-case hex digits.
bool is_template_digest(std::string_view digest);
// <host_dir>/templates: a directory per digest, holding a file per user (file_key of the user,
// written by write_ref_file).
std::filesystem::path template_users_dir(const std::filesystem::path& host_dir);

class TemplateCache {
 public:
  // `host_dir`: backends.pct.host_dir, the pct backend's host-wide directory.
  TemplateCache(PveFiles files, ToolPaths tools, process::Runner& runner,
                std::filesystem::path host_dir);

  // The template of `rootfs`, packed if it does not exist yet, now also used by `user`.
  // `progress` prints packing progress on stderr (callers pass "stderr is a terminal").
  TemplateUse acquire(const ContainerRef& user, const std::filesystem::path& rootfs, bool progress);
  // `user` no longer uses any template; a template nobody uses any more is deleted.
  void release(const ContainerRef& user);

  std::filesystem::path template_file(const std::string& digest) const;

 private:
  void pack(const std::filesystem::path& rootfs, const std::filesystem::path& target,
            uint64_t content_bytes, bool progress);

  PveFiles files_;
  ToolPaths tools_;
  process::Runner& runner_;
  std::filesystem::path users_dir_;  // template_users_dir
  std::filesystem::path lock_file_;
};

}  // namespace nexcage::backend::pct
