// The pct backend's options object -> PctSettings. Only shape and types are checked here; the
// values pct itself would reject are checked by translate() (settings_map.cpp), so a PctSettings
// built in code gets the same checks.
#include "nexcage/backend/pct/settings.hpp"

#include <algorithm>
#include <limits>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "nexcage/core/error.hpp"
#include "nexcage/core/json_reader.hpp"

namespace nexcage::backend::pct {

const std::set<std::string>& weaker_isolation_names() {
  static const std::set<std::string> names{allow_seccomp,        allow_no_new_privileges,
                                           allow_capabilities,   allow_masked_paths,
                                           allow_readonly_paths, allow_resource_limits};
  return names;
}

uint32_t rootfs_size_for(std::optional<uint64_t> content_bytes) {
  if (!content_bytes) return template_rootfs_gib;
  constexpr uint64_t gib = uint64_t{1} << 30;
  uint64_t needed = *content_bytes + *content_bytes / 2 + gib;
  uint64_t whole = needed / gib + (needed % gib != 0 ? 1 : 0);
  return static_cast<uint32_t>(std::min<uint64_t>(whole, std::numeric_limits<uint32_t>::max()));
}

namespace {

// The options' wording: null is a wrong value, ranges are numbers, unknown keys list the known.
JsonReader options_reader(std::vector<Problem>& problems) {
  return JsonReader(problems, JsonReader::Words{false, false, "unknown option", true});
}

std::string names(const std::set<std::string>& set) {
  return fmt::format("{}", fmt::join(set, ", "));
}

NetworkSettings read_network(JsonReader& r, const nlohmann::json& obj, const std::string& path) {
  NetworkSettings n;
  r.only_keys(
      obj, path,
      {"enabled", "bridge", "ip", "gw", "ip6", "gw6", "tag", "mtu", "firewall", "host_managed"});
  r.boolean(obj, "enabled", path, n.enabled);
  r.string(obj, "bridge", path, n.bridge);
  r.string(obj, "ip", path, n.ip);
  r.string(obj, "gw", path, n.gw);
  r.string(obj, "ip6", path, n.ip6);
  r.string(obj, "gw6", path, n.gw6);
  uint32_t v = 0;
  if (r.integer(obj, "tag", path, v)) n.tag = v;
  if (r.integer(obj, "mtu", path, v)) n.mtu = v;
  r.boolean(obj, "firewall", path, n.firewall);
  r.boolean(obj, "host_managed", path, n.host_managed);
  return n;
}

}  // namespace

PctSettings settings_from_json(const nlohmann::json& options, const std::string& prefix,
                               const std::set<std::string>& other_keys) {
  std::vector<Problem> problems;
  auto s = read_settings(options, prefix, other_keys, problems);
  if (!problems.empty())
    throw Error(ErrorKind::invalid_input, describe_problems("pct backend options", problems));
  return s;
}

PctSettings read_settings(const nlohmann::json& options, const std::string& prefix,
                          const std::set<std::string>& other_keys, std::vector<Problem>& problems) {
  auto r = options_reader(problems);
  PctSettings s;
  if (!options.is_object()) {
    problems.push_back({prefix, "must be an object"});
  } else {
    std::set<std::string> known{
        "storage", "rootfs_size_gib",       "arch", "always_unprivileged", "default_memory_mib",
        "network", "allow_weaker_isolation"};
    known.insert(other_keys.begin(), other_keys.end());
    r.only_keys(options, prefix, known);
    r.string(options, "storage", prefix, s.storage);
    if (uint32_t gib = 0; r.integer(options, "rootfs_size_gib", prefix, gib))
      s.rootfs_size_gib = gib;
    r.string(options, "arch", prefix, s.arch);
    r.boolean(options, "always_unprivileged", prefix, s.always_unprivileged);
    r.integer(options, "default_memory_mib", prefix, s.default_memory_mib);
    if (options.contains("network")) {
      if (options["network"].is_object())
        s.network = read_network(r, options["network"], prefix + ".network");
      else
        r.problem(prefix + ".network", "must be an object");
    }
    if (options.contains("allow_weaker_isolation")) {
      const auto& list = options["allow_weaker_isolation"];
      auto path = prefix + ".allow_weaker_isolation";
      if (!list.is_array())
        r.problem(path, "must be a list of names (" + names(weaker_isolation_names()) + ")");
      for (std::size_t i = 0; list.is_array() && i < list.size(); ++i) {
        auto item = path + "[" + std::to_string(i) + "]";
        if (!list[i].is_string() || !weaker_isolation_names().count(list[i].get<std::string>()))
          r.problem(item, "must be one of " + names(weaker_isolation_names()));
        else
          s.allow_weaker_isolation.insert(list[i].get<std::string>());
      }
    }
  }
  return s;
}

}  // namespace nexcage::backend::pct
