#include "nexcage/backend/pct/owner_file.hpp"

#include <nlohmann/json.hpp>

#include "nexcage/backend/pct/driver_config.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/fs/files.hpp"

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

bool owner_file_matches(const std::filesystem::path& host_dir, uint32_t vmid,
                        const std::filesystem::path& backend_root, const std::string& id) {
  try {
    auto doc = nlohmann::json::parse(fs::read_regular_file(owner_file(host_dir, vmid), max_owner_bytes));
    return doc.is_object() && doc.value("root", "") == backend_root.string() && doc.value("id", "") == id;
  } catch (const Error&) {
    return false;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

void remove_owner_file(const std::filesystem::path& host_dir, uint32_t vmid) {
  std::error_code ec;
  std::filesystem::remove(owner_file(host_dir, vmid), ec);
}

}  // namespace nexcage::backend::pct
