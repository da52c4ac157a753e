#include "nexcage/backend/oci_cli/init_cgroups.hpp"

#include "nexcage/core/error.hpp"

namespace nexcage::backend::oci_cli {

namespace {

constexpr const char* freezer_key = "freezer";
constexpr const char* unified_key = "unified";
// PATH_MAX: no longer path can be a cgroup's directory.
constexpr std::size_t max_cgroup_path = 4096;

// parse_proc_cgroup's key of each hierarchy noted: "" is the v2 one.
std::string controller_of(const std::string& key) {
  return key == unified_key ? std::string() : key;
}

}  // namespace

std::optional<nlohmann::json> init_cgroups_of(int pid, const cgroup::Host& host) {
  auto paths = cgroup::paths_of(pid, host);
  if (!paths) return std::nullopt;
  auto noted = nlohmann::json::object();
  // Only what recorded_init_cgroups accepts back (the kernel's paths are shorter still).
  for (const char* key : {freezer_key, unified_key})
    if (auto it = paths->find(controller_of(key));
        it != paths->end() && it->second.size() <= max_cgroup_path)
      noted[key] = it->second;
  return noted;
}

std::optional<cgroup::Dirs> recorded_init_cgroups(const state::Record& record,
                                                  const cgroup::Host& host) {
  auto found = record.backend_state.find(init_cgroups_key);
  if (found == record.backend_state.end()) return std::nullopt;
  auto field = "state record of " + record.id + ": backend_state." + init_cgroups_key;
  if (!found->is_object()) throw Error(ErrorKind::invalid_input, field + " must be an object");
  std::map<std::string, std::string> paths;
  for (const auto& [key, value] : found->items()) {
    if (key != freezer_key && key != unified_key)
      throw Error(ErrorKind::invalid_input, field + " has an unknown key \"" + key + "\"");
    if (!value.is_string() || !cgroup::is_cgroup_path(value.get<std::string>()) ||
        value.get<std::string>().size() > max_cgroup_path)
      throw Error(ErrorKind::invalid_input, field + "." + key + " must be an absolute cgroup path");
    paths[controller_of(key)] = value.get<std::string>();
  }
  return cgroup::resolve(paths, host.mounts);
}

}  // namespace nexcage::backend::oci_cli
