#include "nexcage/backend/pct/owner_file.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include <nlohmann/json.hpp>

#include "nexcage/backend/pct/driver_config.hpp"
#include "nexcage/backend/pct/tree_digest.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/sha256.hpp"
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

std::string file_key(const ContainerRef& ref) {
  // A NUL cannot occur in a path or an id, so no two containers share the hashed text.
  return sha256_hex(ref.backend_root.string() + std::string(1, '\0') + ref.id);
}

void write_ref_file(const std::filesystem::path& file, const ContainerRef& ref) {
  nlohmann::json doc{{"root", ref.backend_root.string()}, {"id", ref.id}};
  fs::write_atomic(file, doc.dump() + "\n", 0600);
}

std::optional<ContainerRef> read_ref_file(const std::filesystem::path& file) {
  try {
    auto doc = fs::parse_json_document(fs::read_regular_file(file, max_owner_bytes), file.string());
    if (!doc.is_object()) return std::nullopt;
    auto root = doc.find("root"), id = doc.find("id");
    if (root == doc.end() || id == doc.end() || !root->is_string() || !id->is_string())
      return std::nullopt;
    return ContainerRef{root->get<std::string>(), id->get<std::string>()};
  } catch (const Error&) {
    return std::nullopt;
  }
}

void write_owner_file(const std::filesystem::path& host_dir, uint32_t vmid,
                      const std::filesystem::path& backend_root, const std::string& id) {
  fs::ensure_private_dir(host_dir, host_dir_mode);
  fs::ensure_private_dir(host_dir / "owners", 0700);
  write_ref_file(owner_file(host_dir, vmid), {backend_root, id});
}

bool owner_file_matches(const std::filesystem::path& host_dir, uint32_t vmid,
                        const std::filesystem::path& backend_root, const std::string& id) {
  auto owner = read_ref_file(owner_file(host_dir, vmid));
  return owner && owner->backend_root.string() == backend_root.string() && owner->id == id;
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
    auto owner = read_ref_file(entry.path());
    if (owner && owner->backend_root.string() == backend_root.string())
      out.push_back({*vmid, owner->id});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

void remove_owner_file(const std::filesystem::path& host_dir, uint32_t vmid) {
  std::error_code ec;
  std::filesystem::remove(owner_file(host_dir, vmid), ec);
}

}  // namespace nexcage::backend::pct
