#include "nexcage/backend/pct/owner_file.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include <nlohmann/json.hpp>

#include "nexcage/backend/pct/driver_config.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/text.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/fs/json_file.hpp"

namespace nexcage::backend::pct {

namespace {

constexpr std::size_t max_owner_bytes = 64 * 1024;

std::filesystem::path owner_file(const std::filesystem::path& host_dir, uint32_t vmid) {
  return host_dir / "owners" / (std::to_string(vmid) + ".json");
}

}  // namespace

void write_owner_file(const std::filesystem::path& host_dir, uint32_t vmid,
                      const std::filesystem::path& backend_root, const std::string& id) {
  fs::ensure_private_dir(host_dir, host_dir_mode);
  fs::ensure_private_dir(host_dir / "owners", 0700);
  nlohmann::json doc{{"root", backend_root.string()}, {"id", id}};
  fs::write_atomic(owner_file(host_dir, vmid), doc.dump() + "\n", 0600);
}

namespace {

// The {root, id} of an owner file; nullopt when it is missing, unreadable or malformed.
std::optional<std::pair<std::string, std::string>> read_owner_file(
    const std::filesystem::path& file) {
  try {
    auto doc = fs::parse_json_document(fs::read_regular_file(file, max_owner_bytes), file.string());
    if (!doc.is_object()) return std::nullopt;
    return std::make_pair(doc.value("root", ""), doc.value("id", ""));
  } catch (const Error&) {
    return std::nullopt;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // "root" or "id" is not a string
  }
}

}  // namespace

bool owner_file_matches(const std::filesystem::path& host_dir, uint32_t vmid,
                        const std::filesystem::path& backend_root, const std::string& id) {
  auto owner = read_owner_file(owner_file(host_dir, vmid));
  return owner && owner->first == backend_root.string() && owner->second == id;
}

std::vector<OwnedVmid> owned_vmids(const std::filesystem::path& host_dir,
                                   const std::filesystem::path& backend_root) {
  std::vector<OwnedVmid> out;
  std::error_code ec;
  std::filesystem::directory_iterator it(host_dir / "owners", ec);
  if (ec) return out;  // nothing created here yet
  for (const auto& entry : it) {
    auto name = entry.path().filename().string();
    auto vmid = parse_u32(
        name.size() > 5 && name.ends_with(".json") ? name.substr(0, name.size() - 5) : "");
    if (!vmid) continue;
    auto owner = read_owner_file(entry.path());
    if (owner && owner->first == backend_root.string()) out.push_back({*vmid, owner->second});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

void remove_owner_file(const std::filesystem::path& host_dir, uint32_t vmid) {
  std::error_code ec;
  std::filesystem::remove(owner_file(host_dir, vmid), ec);
}

}  // namespace nexcage::backend::pct
