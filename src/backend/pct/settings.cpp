// The pct backend's options object -> PctSettings. Only shape and types are checked here; the
// values pct itself would reject are checked by translate() (settings_map.cpp), so a PctSettings
// built in code gets the same checks.
#include "nexcage/backend/pct/settings.hpp"

#include <algorithm>
#include <limits>

#include "nexcage/core/error.hpp"
#include "nexcage/oci/bundle.hpp"

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

class Reader {
 public:
  explicit Reader(std::vector<oci::Problem>& problems) : problems_(problems) {}

  void object(const nlohmann::json& obj, const std::string& path,
              const std::set<std::string>& known) {
    for (const auto& [key, value] : obj.items()) {
      if (!known.count(key))
        problems_.push_back({path + "." + key, "unknown option (known: " + list(known) + ")"});
    }
  }
  void string(const nlohmann::json& obj, const char* key, const std::string& path,
              std::string& out) {
    if (!obj.contains(key)) return;
    if (obj[key].is_string())
      out = obj[key].get<std::string>();
    else
      problems_.push_back({path + "." + key, "must be a string"});
  }
  void boolean(const nlohmann::json& obj, const char* key, const std::string& path, bool& out) {
    if (!obj.contains(key)) return;
    if (obj[key].is_boolean())
      out = obj[key].get<bool>();
    else
      problems_.push_back({path + "." + key, "must be true or false"});
  }
  bool number(const nlohmann::json& obj, const char* key, const std::string& path, uint32_t& out) {
    if (!obj.contains(key)) return false;
    const auto& v = obj[key];
    if (v.is_number_unsigned() && v.get<uint64_t>() <= std::numeric_limits<uint32_t>::max()) {
      out = static_cast<uint32_t>(v.get<uint64_t>());
      return true;
    }
    problems_.push_back({path + "." + key, "must be a whole number between 0 and 4294967295"});
    return false;
  }
  void problem(std::string path, std::string message) {
    problems_.push_back({std::move(path), std::move(message)});
  }

  static std::string list(const std::set<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
  }

 private:
  std::vector<oci::Problem>& problems_;
};

NetworkSettings read_network(Reader& r, const nlohmann::json& obj, const std::string& path) {
  NetworkSettings n;
  r.object(
      obj, path,
      {"enabled", "bridge", "ip", "gw", "ip6", "gw6", "tag", "mtu", "firewall", "host_managed"});
  r.boolean(obj, "enabled", path, n.enabled);
  r.string(obj, "bridge", path, n.bridge);
  r.string(obj, "ip", path, n.ip);
  r.string(obj, "gw", path, n.gw);
  r.string(obj, "ip6", path, n.ip6);
  r.string(obj, "gw6", path, n.gw6);
  uint32_t v = 0;
  if (r.number(obj, "tag", path, v)) n.tag = v;
  if (r.number(obj, "mtu", path, v)) n.mtu = v;
  r.boolean(obj, "firewall", path, n.firewall);
  r.boolean(obj, "host_managed", path, n.host_managed);
  return n;
}

}  // namespace

PctSettings settings_from_json(const nlohmann::json& options, const std::string& prefix,
                               const std::set<std::string>& other_keys) {
  std::vector<oci::Problem> problems;
  Reader r(problems);
  PctSettings s;
  if (!options.is_object()) {
    problems.push_back({prefix, "must be an object"});
  } else {
    std::set<std::string> known{
        "storage", "rootfs_size_gib",       "arch", "always_unprivileged", "default_memory_mib",
        "network", "allow_weaker_isolation"};
    known.insert(other_keys.begin(), other_keys.end());
    r.object(options, prefix, known);
    r.string(options, "storage", prefix, s.storage);
    if (uint32_t gib = 0; r.number(options, "rootfs_size_gib", prefix, gib))
      s.rootfs_size_gib = gib;
    r.string(options, "arch", prefix, s.arch);
    r.boolean(options, "always_unprivileged", prefix, s.always_unprivileged);
    r.number(options, "default_memory_mib", prefix, s.default_memory_mib);
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
        r.problem(path, "must be a list of names (" + Reader::list(weaker_isolation_names()) + ")");
      for (std::size_t i = 0; list.is_array() && i < list.size(); ++i) {
        auto item = path + "[" + std::to_string(i) + "]";
        if (!list[i].is_string() || !weaker_isolation_names().count(list[i].get<std::string>()))
          r.problem(item, "must be one of " + Reader::list(weaker_isolation_names()));
        else
          s.allow_weaker_isolation.insert(list[i].get<std::string>());
      }
    }
  }
  if (!problems.empty())
    throw Error(ErrorKind::invalid_input, oci::describe_problems("pct backend options", problems));
  return s;
}

}  // namespace nexcage::backend::pct
