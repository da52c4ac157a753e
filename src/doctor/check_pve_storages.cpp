// The storages the pct backend needs, read from Proxmox's storage.cfg (no process is run: pvesh
// would also work but costs a Perl start-up, and the file is what pvesh reads).
#include <map>
#include <set>
#include <sstream>

#include "nexcage/core/error.hpp"
#include "nexcage/doctor/checks.hpp"
#include "nexcage/fs/files.hpp"

namespace nexcage::doctor {

namespace {

constexpr std::size_t max_storage_cfg_bytes = 4 * 1024 * 1024;

struct Storage {
  std::string type;
  std::optional<std::set<std::string>> content;  // nullopt: no content line (the type's default)
  std::string path;
  bool disabled = false;
};

std::string trim_ws(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  auto e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// "<type>: <id>" starts a section; indented "<key> <value>" lines belong to it.
std::map<std::string, Storage> parse_storage_cfg(const std::string& text) {
  std::map<std::string, Storage> out;
  Storage* current = nullptr;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (trim_ws(line).empty() || trim_ws(line)[0] == '#') continue;
    if (line[0] != ' ' && line[0] != '\t') {
      auto colon = line.find(':');
      current = nullptr;
      if (colon == std::string::npos) continue;
      auto& s = out[trim_ws(line.substr(colon + 1))];
      s.type = trim_ws(line.substr(0, colon));
      current = &s;
      continue;
    }
    if (current == nullptr) continue;
    auto body = trim_ws(line);
    auto space = body.find_first_of(" \t");
    std::string key = body.substr(0, space);
    std::string value = space == std::string::npos ? "" : trim_ws(body.substr(space));
    if (key == "content") {
      std::set<std::string> kinds;
      std::istringstream parts(value);
      std::string part;
      while (std::getline(parts, part, ',')) kinds.insert(trim_ws(part));
      current->content = kinds;
    } else if (key == "path") {
      current->path = value;
    } else if (key == "disable") {
      current->disabled = value.empty() || value == "1";
    }
  }
  return out;
}

// One storage that must hold `kind` content ("rootdir", "vztmpl"); false when it is a problem.
bool check_one(const std::map<std::string, Storage>& storages, const std::string& id,
               const std::string& kind, const std::string& key, const Host& host, Report& report) {
  const std::string check = "proxmox storage " + id;
  auto it = storages.find(id);
  if (it == storages.end()) {
    report.add(check, Severity::problem,
               "storage '" + id + "' (backends.pct." + key + ") is not defined in " +
                   host.storage_cfg.string(),
               "set backends.pct." + key + " to a storage with " + kind +
                   " content (pvesm status --content " + kind + ")");
    return false;
  }
  const auto& s = it->second;
  if (s.disabled) {
    report.add(
        check, Severity::problem, "storage '" + id + "' (backends.pct." + key + ") is disabled",
        "enable it (pvesm set " + id + " --disable 0) or choose another in backends.pct." + key);
    return false;
  }
  if (s.content && !s.content->count(kind)) {
    report.add(check, Severity::problem,
               "storage '" + id + "' (backends.pct." + key + ") has no " + kind + " content",
               "add it (pvesm set " + id + " --content ...," + kind +
                   ") or choose another in backends.pct." + key);
    return false;
  }
  report.add(check, Severity::ok,
             s.type + " storage '" + id + "' holds " + kind +
                 (s.content ? "" : " (no content line: the type's default)"));
  return true;
}

}  // namespace

void check_pve_storages(const Host& host, Report& report) {
  std::string text;
  try {
    text = fs::read_regular_file(host.storage_cfg, max_storage_cfg_bytes);
  } catch (const Error& e) {
    report.add(
        "proxmox storages", Severity::warning,
        "cannot read " + host.storage_cfg.string() + ": " + e.what() + "; storages not checked",
        "check that /etc/pve is mounted (systemctl status pve-cluster)");
    return;
  }
  auto storages = parse_storage_cfg(text);
  check_one(storages, host.pct.settings.storage, "rootdir", "storage", host, report);
  if (!check_one(storages, host.pct.files.template_storage, "vztmpl", "template_storage", host,
                 report))
    return;
  // nexcage writes templates into template_dir and names them <template_storage>:vztmpl/...; a dir
  // storage keeps them in <path>/template/cache, so both must be the same place.
  const auto& s = storages.at(host.pct.files.template_storage);
  if (s.type == "dir" && !s.path.empty()) {
    auto expected = std::filesystem::path(s.path) / "template" / "cache";
    if (expected.lexically_normal() !=
        std::filesystem::path(host.pct.files.template_dir).lexically_normal())
      report.add("proxmox storage " + host.pct.files.template_storage, Severity::problem,
                 "backends.pct.template_dir is " + host.pct.files.template_dir + ", but storage '" +
                     host.pct.files.template_storage + "' keeps templates in " + expected.string() +
                     ": pct create would not find nexcage's templates",
                 "set backends.pct.template_dir to " + expected.string());
  }
}

}  // namespace nexcage::doctor
