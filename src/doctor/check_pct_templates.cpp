// nexcage's rootfs templates (template_cache.hpp): users are counted in
// <host_dir>/templates/<digest>/<user>, the file is <template_dir>/nexcage-<digest>.tar.
#include <sys/stat.h>

#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "nexcage/doctor/checks.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/fs/json_file.hpp"

namespace nexcage::doctor {

namespace fsys = std::filesystem;

namespace {

constexpr std::string_view prefix = "nexcage-";
constexpr std::string_view suffix = ".tar";

bool is_hex_digest(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

bool is_kind(const fsys::path& p, mode_t kind) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0 && (st.st_mode & S_IFMT) == kind;
}

// "id (root R)" from a user file's {"root", "id"}; the file name when it cannot be read.
std::string describe_user(const fsys::path& file) {
  try {
    auto doc = fs::parse_json_document(fs::read_regular_file(file, 65536), file.string());
    if (doc.is_object() && doc.value("id", nlohmann::json()).is_string() &&
        doc.value("root", nlohmann::json()).is_string())
      return doc["id"].get<std::string>() + " (root " + doc["root"].get<std::string>() + ")";
  } catch (const std::exception&) {
  }
  return file.filename().string();
}

}  // namespace

void check_pct_templates(const Host& host, Report& report) {
  // digest -> its users, for every digest directory holding at least one user file.
  std::map<std::string, std::vector<std::string>> users;
  std::error_code ec;
  for (const auto& dir :
       fsys::directory_iterator(fsys::path(host.pct.host_dir) / "templates", ec)) {
    auto digest = dir.path().filename().string();
    if (!is_hex_digest(digest) || !is_kind(dir.path(), S_IFDIR)) continue;
    std::error_code inner;
    for (const auto& user : fsys::directory_iterator(dir.path(), inner)) {
      auto name = user.path().filename().string();
      // Temporary files of an atomic write start with '.'.
      if (name.empty() || name[0] == '.' || !is_kind(user.path(), S_IFREG)) continue;
      users[digest].push_back(describe_user(user.path()));
    }
  }
  int missing = 0;
  for (const auto& [digest, who] : users) {
    auto file = fsys::path(host.pct.files.template_dir) /
                (std::string(prefix) + digest + std::string(suffix));
    if (is_kind(file, S_IFREG)) continue;
    ++missing;
    std::string list;
    for (const auto& w : who) list += (list.empty() ? "" : ", ") + w;
    report.add("pct template " + digest.substr(0, 12), Severity::problem,
               file.string() + " is missing, but " + std::to_string(who.size()) +
                   " container(s) use it: " + list,
               "restore the file; otherwise the next create of the same rootfs packs it again");
  }
  int unused = 0;
  for (const auto& entry : fsys::directory_iterator(host.pct.files.template_dir, ec)) {
    auto name = entry.path().filename().string();
    if (name.size() != prefix.size() + 64 + suffix.size() ||
        name.compare(0, prefix.size(), prefix) != 0 ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    auto digest = name.substr(prefix.size(), 64);
    if (!is_hex_digest(digest) || users.count(digest) || !is_kind(entry.path(), S_IFREG)) continue;
    ++unused;
    report.add("pct template " + digest.substr(0, 12), Severity::info,
               entry.path().string() + " is nexcage's, and no container uses it",
               "rm " + entry.path().string() + " (when no nexcage create is running)");
  }
  if (missing == 0)
    report.add("pct templates", Severity::ok,
               std::to_string(users.size()) + " template(s) in use, all present" +
                   (unused > 0 ? ", " + std::to_string(unused) + " unused" : ""));
}

}  // namespace nexcage::doctor
