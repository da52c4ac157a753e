// nexcage's rootfs templates (template_cache.hpp): users are counted in
// <host_dir>/templates/<digest>/<user>, the file is <template_dir>/nexcage-<digest>.tar.
#include <map>
#include <set>

#include "nexcage/backend/pct/owner_file.hpp"
#include "nexcage/backend/pct/template_cache.hpp"
#include "nexcage/core/text.hpp"
#include "nexcage/doctor/checks.hpp"
#include "nexcage/fs/files.hpp"

namespace nexcage::doctor {

namespace fsys = std::filesystem;
namespace pct = backend::pct;

namespace {

// "id (root R)" from a user file's {"root", "id"}; the file name when it cannot be read.
std::string describe_user(const fsys::path& file) {
  if (auto ref = pct::read_ref_file(file))
    return ref->id + " (root " + ref->backend_root.string() + ")";
  return file.filename().string();
}

}  // namespace

void check_pct_templates(const Host& host, Report& report) {
  // digest -> its users, for every digest directory holding at least one user file.
  std::map<std::string, std::vector<std::string>> users;
  std::error_code ec;
  for (const auto& dir : fsys::directory_iterator(pct::template_users_dir(host.pct.host_dir), ec)) {
    auto digest = dir.path().filename().string();
    if (!pct::is_template_digest(digest) || !fs::is_directory(dir.path(), fs::Links::refuse))
      continue;
    std::error_code inner;
    for (const auto& user : fsys::directory_iterator(dir.path(), inner)) {
      auto name = user.path().filename().string();
      // Temporary files of an atomic write start with '.'.
      if (name.empty() || name[0] == '.' || !fs::is_regular_file(user.path(), fs::Links::refuse))
        continue;
      users[digest].push_back(describe_user(user.path()));
    }
  }
  int missing = 0;
  for (const auto& [digest, who] : users) {
    auto file = fsys::path(host.pct.files.template_dir) / pct::template_file_name(digest);
    if (fs::is_regular_file(file, fs::Links::refuse)) continue;
    ++missing;
    auto list = join(who, ", ");
    report.add("pct template " + digest.substr(0, 12), Severity::problem,
               file.string() + " is missing, but " + std::to_string(who.size()) +
                   " container(s) use it: " + list,
               "restore the file; otherwise the next create of the same rootfs packs it again");
  }
  int unused = 0;
  for (const auto& entry : fsys::directory_iterator(host.pct.files.template_dir, ec)) {
    auto digest = pct::template_digest(entry.path().filename().string());
    if (!digest || users.count(*digest) || !fs::is_regular_file(entry.path(), fs::Links::refuse))
      continue;
    ++unused;
    report.add("pct template " + digest->substr(0, 12), Severity::info,
               entry.path().string() + " is nexcage's, and no container uses it",
               "rm " + entry.path().string() + " (when no nexcage create is running)");
  }
  if (missing == 0)
    report.add("pct templates", Severity::ok,
               std::to_string(users.size()) + " template(s) in use, all present" +
                   (unused > 0 ? ", " + std::to_string(unused) + " unused" : ""));
}

}  // namespace nexcage::doctor
