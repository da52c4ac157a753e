#pragma once
// The persistent map from container id to VMID, one per pct backend root. It is the only record
// of which Proxmox containers nexcage made: the driver touches a VMID only through this map, so
// containers created by anyone else are never stopped or destroyed. Every change happens under an
// flock and is written atomically with fsync, so a crash leaves the old or the new map.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "nexcage/state/record.hpp"

namespace nexcage::backend::pct {

// The VMID a record's backend_state holds (create and recover() write it), checked: nullopt
// when it is missing or not a number in 0..UINT32_MAX (an edited record). A hint only: the map
// and the config's mark decide what is acted on.
std::optional<uint32_t> recorded_vmid(const state::Record& record);

class VmidMap {
 public:
  explicit VmidMap(std::filesystem::path dir);

  std::optional<uint32_t> find(const std::string& id) const;
  // Every entry (for doctor and list).
  std::map<std::string, uint32_t> entries() const;

  // Picks a VMID for `id` and records it before returning. `first_choice` is Proxmox's nextid;
  // `is_free` asks Proxmox about one VMID. VMIDs already in the map are skipped (another nexcage
  // may have picked one and not yet created its container), and so are `avoid` (VMIDs pct said
  // were taken). Throws when the range has no free VMID.
  uint32_t allocate(const std::string& id, uint32_t lower, uint32_t upper, uint32_t first_choice,
                    const std::function<bool(uint32_t)>& is_free, const std::set<uint32_t>& avoid);
  // Records `id -> vmid` for a container found again in Proxmox (its mark names this root and
  // id) after the map was lost; throws Error(exists) when either is recorded otherwise.
  void adopt(const std::string& id, uint32_t vmid);
  // Drops the entry of `id` (nothing if absent).
  void release(const std::string& id);

 private:
  std::map<std::string, uint32_t> load() const;
  void save(const std::map<std::string, uint32_t>& map) const;

  std::filesystem::path dir_;
};

}  // namespace nexcage::backend::pct
