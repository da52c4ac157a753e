#include "nexcage/backend/pct/vmid_map.hpp"

#include <sys/stat.h>

#include <cerrno>

#include <nlohmann/json.hpp>

#include "nexcage/core/container_id.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/fs/json_file.hpp"
#include "nexcage/fs/lock.hpp"

namespace nexcage::backend::pct {

namespace fsys = std::filesystem;

namespace {

constexpr std::size_t max_map_bytes = 16 * 1024 * 1024;
constexpr const char* map_file = "vmids.json";
constexpr const char* lock_file = "vmids.lock";

}  // namespace

std::optional<uint32_t> recorded_vmid(const state::Record& record) {
  auto it = record.backend_state.find("vmid");
  if (it == record.backend_state.end() || !it->is_number_integer()) return std::nullopt;
  if (!it->is_number_unsigned() && it->get<int64_t>() < 0) return std::nullopt;
  auto value = it->get<uint64_t>();
  if (value > UINT32_MAX) return std::nullopt;
  return static_cast<uint32_t>(value);
}

VmidMap::VmidMap(fsys::path dir) : dir_(std::move(dir)) {}

std::map<std::string, uint32_t> VmidMap::load() const {
  std::map<std::string, uint32_t> map;
  auto file = dir_ / map_file;
  struct stat st {};
  if (::lstat(file.c_str(), &st) < 0) {
    if (errno == ENOENT) return map;
    throw system_error("reading " + file.string(), errno);
  }
  const std::string hint =
      "restore it from the VMIDs tagged \"nexcage\" in `pct list`, or remove it after destroying "
      "those containers";
  auto broken = [&](const std::string& why) {
    return Error(ErrorKind::invalid_input, file.string() + ": " + why, hint);
  };
  nlohmann::json doc;
  try {
    doc = fs::parse_json_document(fs::read_regular_file(file, max_map_bytes), file.string());
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::invalid_input) throw;
    throw Error(ErrorKind::invalid_input, e.what(), hint);
  }
  if (!doc.is_object()) throw broken("not a JSON object of container id -> VMID");
  for (const auto& [id, vmid] : doc.items()) {
    if (!is_valid_container_id(id)) throw broken("invalid container id \"" + id + "\"");
    if (!vmid.is_number_unsigned() || vmid.get<uint64_t>() < 100 ||
        vmid.get<uint64_t>() > 999999999)
      throw broken("VMID of \"" + id + "\" is not a number in 100..999999999");
    map[id] = vmid.get<uint32_t>();
  }
  return map;
}

void VmidMap::save(const std::map<std::string, uint32_t>& map) const {
  nlohmann::json doc = nlohmann::json::object();
  for (const auto& [id, vmid] : map) doc[id] = vmid;
  fs::write_atomic(dir_ / map_file, doc.dump(1) + "\n", 0600);
}

std::optional<uint32_t> VmidMap::find(const std::string& id) const {
  fs::ensure_private_dir(dir_, 0700);
  auto lock = fs::FileLock::acquire(dir_ / lock_file, fs::FileLock::Mode::shared);
  auto map = load();
  auto it = map.find(id);
  if (it == map.end()) return std::nullopt;
  return it->second;
}

std::map<std::string, uint32_t> VmidMap::entries() const {
  fs::ensure_private_dir(dir_, 0700);
  auto lock = fs::FileLock::acquire(dir_ / lock_file, fs::FileLock::Mode::shared);
  return load();
}

uint32_t VmidMap::allocate(const std::string& id, uint32_t lower, uint32_t upper,
                           uint32_t first_choice, const std::function<bool(uint32_t)>& is_free,
                           const std::set<uint32_t>& avoid) {
  fs::ensure_private_dir(dir_, 0700);
  auto lock = fs::FileLock::acquire(dir_ / lock_file, fs::FileLock::Mode::exclusive);
  auto map = load();
  std::set<uint32_t> taken(avoid);
  for (const auto& [other, vmid] : map) {
    if (other != id) taken.insert(vmid);
  }
  // Proxmox's nextid is free and lowest; anything else is checked one VMID at a time. Outside
  // nexcage's range (Proxmox's own next-id range may differ) the search starts at `lower`.
  uint32_t candidate = first_choice;
  bool trusted = true;
  if (candidate < lower || candidate >= upper) {
    candidate = lower;
    trusted = false;
  } else if (taken.count(candidate)) {
    trusted = false;
  }
  for (; candidate < upper; ++candidate, trusted = false) {
    if (taken.count(candidate)) continue;
    if (trusted || is_free(candidate)) {
      map[id] = candidate;
      save(map);
      return candidate;
    }
  }
  throw Error(ErrorKind::backend,
              "no free VMID in nexcage's range [" + std::to_string(lower) + ", " +
                  std::to_string(upper) + ")",
              "widen backends.pct.vmid_range in nexcage's config, or destroy unused containers");
}

void VmidMap::adopt(const std::string& id, uint32_t vmid) {
  fs::ensure_private_dir(dir_, 0700);
  auto lock = fs::FileLock::acquire(dir_ / lock_file, fs::FileLock::Mode::exclusive);
  auto map = load();
  if (auto it = map.find(id); it != map.end()) {
    if (it->second == vmid) return;
    throw Error(ErrorKind::exists,
                "container " + id + " already has VMID " + std::to_string(it->second) + " in " +
                    (dir_ / "vmids.json").string() + ", not " + std::to_string(vmid),
                "nothing was changed; `nexcage delete " + id + "` the other one first");
  }
  for (const auto& [other, taken] : map)
    if (taken == vmid)
      throw Error(ErrorKind::exists,
                  "VMID " + std::to_string(vmid) + " is already recorded for container " + other,
                  "nothing was changed");
  map[id] = vmid;
  save(map);
}

void VmidMap::release(const std::string& id) {
  fs::ensure_private_dir(dir_, 0700);
  auto lock = fs::FileLock::acquire(dir_ / lock_file, fs::FileLock::Mode::exclusive);
  auto map = load();
  if (map.erase(id) == 0) return;
  save(map);
}

}  // namespace nexcage::backend::pct
