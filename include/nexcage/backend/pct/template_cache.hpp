#pragma once
// Bundle root filesystems as Proxmox templates. pct create only takes a template, so a rootfs is
// packed with the tar flags Proxmox itself uses, named by its tree digest, and kept while any
// container made from it exists: the second container of the same rootfs costs no packing.
// Which containers use which template is recorded as files under the pct backend's root, under
// an flock, so concurrent creates neither pack twice nor delete a template in use.
#include <filesystem>
#include <string>

#include "nexcage/backend/pct/driver_config.hpp"
#include "nexcage/process/runner.hpp"

namespace nexcage::backend::pct {

struct TemplateUse {
  std::string digest;  // tree digest of the rootfs (hex)
  std::string volid;   // <storage>:vztmpl/nexcage-<digest>.tar, for pct create
  bool packed = false; // false: an existing template was reused
};

class TemplateCache {
 public:
  TemplateCache(PveFiles files, ToolPaths tools, process::Runner& runner,
                std::filesystem::path state_dir);

  // The template of `rootfs`, packed if no container uses one yet, now also used by `id`.
  // `progress` prints packing progress on stderr (callers pass "stderr is a terminal").
  TemplateUse acquire(const std::string& id, const std::filesystem::path& rootfs, bool progress);
  // `id` no longer uses any template; a template nobody uses any more is deleted.
  void release(const std::string& id);

  std::filesystem::path template_file(const std::string& digest) const;

 private:
  void pack(const std::filesystem::path& rootfs, const std::filesystem::path& target,
            uint64_t content_bytes, bool progress);

  PveFiles files_;
  ToolPaths tools_;
  process::Runner& runner_;
  std::filesystem::path users_dir_;  // <state_dir>/templates/<digest>/<id>
  std::filesystem::path lock_file_;
};

}  // namespace nexcage::backend::pct
