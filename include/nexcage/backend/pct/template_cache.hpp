#pragma once
// Bundle root filesystems as Proxmox templates. pct create only takes a template, so a rootfs is
// packed with the tar flags Proxmox itself uses, named by its tree digest, and kept while any
// container made from it exists: the second container of the same rootfs costs no packing.
// The template file is host-wide (Proxmox's template storage), so its users are counted where
// every state root on the host sees them: <host_dir>/templates/<digest>/<user>, one file per
// container, named by its state root and id, every change under <host_dir>/templates.lock. So
// concurrent creates neither pack twice nor delete a template in use, whichever root they use.
#include <filesystem>
#include <string>

#include "nexcage/backend/pct/driver_config.hpp"
#include "nexcage/process/runner.hpp"

namespace nexcage::backend::pct {

struct TemplateUse {
  std::string digest;          // tree digest of the rootfs (hex)
  std::string volid;           // <storage>:vztmpl/nexcage-<digest>.tar, for pct create
  bool packed = false;         // false: an existing template was reused
  uint64_t content_bytes = 0;  // the rootfs's regular files, which size its volume
};

// One container using a template: its pct backend root (<state root>/.backends/pct) and its id.
// Two state roots may use the same id, so both name the user.
struct TemplateUser {
  std::filesystem::path backend_root;
  std::string id;
};

class TemplateCache {
 public:
  // `host_dir`: backends.pct.host_dir, the pct backend's host-wide directory.
  TemplateCache(PveFiles files, ToolPaths tools, process::Runner& runner,
                std::filesystem::path host_dir);

  // The template of `rootfs`, packed if it does not exist yet, now also used by `user`.
  // `progress` prints packing progress on stderr (callers pass "stderr is a terminal").
  TemplateUse acquire(const TemplateUser& user, const std::filesystem::path& rootfs, bool progress);
  // `user` no longer uses any template; a template nobody uses any more is deleted.
  void release(const TemplateUser& user);

  std::filesystem::path template_file(const std::string& digest) const;
  // The file that records `user` among a template's users (a digest of root and id, so any
  // root path and id fit in one file name).
  static std::string user_file_name(const TemplateUser& user);

 private:
  void pack(const std::filesystem::path& rootfs, const std::filesystem::path& target,
            uint64_t content_bytes, bool progress);

  PveFiles files_;
  ToolPaths tools_;
  process::Runner& runner_;
  std::filesystem::path users_dir_;  // <host_dir>/templates/<digest>/<user_file_name>
  std::filesystem::path lock_file_;
};

}  // namespace nexcage::backend::pct
