#pragma once
// The root-only, reboot-proof half of a pct container's ownership: <host_dir>/owners/<vmid>.json,
// {"root": <backend root>, "id": <container id>}, written at create and removed at delete. The
// mark in the description (ownership.hpp) can be edited by any Proxmox user allowed to change
// the guest's options; this file only by host root. Recovering a container after its state root
// is gone (a reboot) needs both, so no guest can pass itself off as nexcage's.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace nexcage::backend::pct {

// One container of one state root: host-wide files (owner files, template users, copied bind
// files) name it by its pct backend root and its id, since two roots may use the same id.
struct ContainerRef {
  std::filesystem::path backend_root;
  std::string id;
};
// A file name for `ref`: a digest of root and id, so any root path and id fit in one name.
std::string file_key(const ContainerRef& ref);
// The file content naming `ref`, {"root": ..., "id": ...}, and its reading (nullopt when the
// file is missing, unreadable or malformed).
void write_ref_file(const std::filesystem::path& file, const ContainerRef& ref);
std::optional<ContainerRef> read_ref_file(const std::filesystem::path& file);

void write_owner_file(const std::filesystem::path& host_dir, uint32_t vmid,
                      const std::filesystem::path& backend_root, const std::string& id);
// True when the file for `vmid` names exactly this root and id (false when it is missing or
// unreadable).
bool owner_file_matches(const std::filesystem::path& host_dir, uint32_t vmid,
                        const std::filesystem::path& backend_root, const std::string& id);
void remove_owner_file(const std::filesystem::path& host_dir, uint32_t vmid);

// The VMIDs whose owner file names this backend root, with the id each names, sorted by id:
// where recovery looks, so it reads nexcage's containers only, not every guest's config.
struct OwnedVmid {
  uint32_t vmid;
  std::string id;
};
std::vector<OwnedVmid> owned_vmids(const std::filesystem::path& host_dir,
                                   const std::filesystem::path& backend_root);

}  // namespace nexcage::backend::pct
