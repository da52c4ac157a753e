// backends.pct -> DriverConfig. Tool and file keys are checked here; translation options are
// handed to read_settings with these keys named as someone else's, and every problem is reported
// in one error.
#include "nexcage/backend/pct/driver_config.hpp"

#include <utility>
#include <vector>

#include "nexcage/core/error.hpp"
#include "nexcage/core/json_reader.hpp"
#include "nexcage/core/text.hpp"

namespace nexcage::backend::pct {

namespace {

const std::string prefix = "backends.pct";

struct PathKey {
  const char* key;
  std::string* target;
};

}  // namespace

DriverConfig parse_driver_config(const BackendConfig& config) {
  DriverConfig c;
  c.tools.pct = config.path;
  std::vector<PathKey> paths{{"pvesh", &c.tools.pvesh},
                             {"lxc_info", &c.tools.lxc_info},
                             {"lxc_attach", &c.tools.lxc_attach},
                             {"lxc_freeze", &c.tools.lxc_freeze},
                             {"lxc_unfreeze", &c.tools.lxc_unfreeze},
                             {"tar", &c.tools.tar},
                             {"init", &c.tools.init},
                             {"monitor", &c.tools.monitor},
                             {"config_dir", &c.files.config_dir},
                             {"lock_dir", &c.files.lock_dir},
                             {"template_dir", &c.files.template_dir},
                             {"dpkg_query", &c.tools.dpkg_query},
                             {"host_dir", &c.host_dir}};
  std::set<std::string> own{"template_storage", "vmid_range"};
  std::vector<Problem> problems;
  const auto& options = config.options;
  for (const auto& [key, target] : paths) {
    own.insert(key);
    if (!options.contains(key)) continue;
    const auto& v = options[key];
    if (!v.is_string() || v.get<std::string>().empty() || v.get<std::string>().front() != '/')
      problems.push_back({child_path(prefix, key), "must be an absolute path"});
    else
      *target = v.get<std::string>();
  }
  if (options.contains("template_storage")) {
    const auto& v = options["template_storage"];
    if (!v.is_string() || v.get<std::string>().empty())
      problems.push_back({child_path(prefix, "template_storage"), "must be a storage id"});
    else
      c.files.template_storage = v.get<std::string>();
  }
  if (options.contains("vmid_range")) {
    const auto& v = options["vmid_range"];
    std::optional<uint32_t> lower, upper;
    if (v.is_array() && v.size() == 2) {
      // pve-vmid is 100..999999999; the range is half-open like Proxmox's next-id.
      lower = JsonReader::json_integer<uint32_t>(v[0], 100, 999999999);
      upper = JsonReader::json_integer<uint32_t>(v[1], 101, 1000000000);
    }
    if (lower && upper && *lower < *upper)
      c.vmids = {*lower, *upper};
    else
      problems.push_back({child_path(prefix, "vmid_range"),
                          "must be [lower, upper] with 100 <= lower < upper <= 1000000000 (upper "
                          "is not used)"});
  }
  // The translation options are checked too, so one run reports every problem.
  c.settings = read_settings(options, prefix, own, problems);
  if (!problems.empty())
    throw Error(ErrorKind::invalid_input, describe_problems("pct backend options", problems),
                "see man nexcage-config.json (backends.pct)");
  return c;
}

namespace {

uint32_t annotation_number(const std::string& key, const std::string& value) {
  auto n = parse_u32(value);
  if (!n)
    throw Error(ErrorKind::invalid_input, std::string("annotation ") + net_annotation + ": " + key +
                                              " must be a number, not \"" + value + "\"");
  return *n;
}

NetworkSettings parse_net(NetworkSettings net, const std::string& text) {
  if (text == "none") {
    net.enabled = false;
    return net;
  }
  net.enabled = true;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto comma = text.find(',', pos);
    auto item = text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    auto eq = item.find('=');
    if (eq == std::string::npos)
      throw Error(
          ErrorKind::invalid_input,
          std::string("annotation ") + net_annotation + ": \"" + item + "\" is not key=value",
          "use none, or bridge=vmbr0,ip=dhcp (keys: bridge ip gw ip6 gw6 tag mtu firewall)");
    auto key = item.substr(0, eq), value = item.substr(eq + 1);
    if (key == "bridge")
      net.bridge = value;
    else if (key == "ip")
      net.ip = value;
    else if (key == "gw")
      net.gw = value;
    else if (key == "ip6")
      net.ip6 = value;
    else if (key == "gw6")
      net.gw6 = value;
    else if (key == "tag")
      net.tag = annotation_number(key, value);
    else if (key == "mtu")
      net.mtu = annotation_number(key, value);
    else if (key == "firewall" && (value == "0" || value == "1"))
      net.firewall = value == "1";
    else
      throw Error(
          ErrorKind::invalid_input,
          std::string("annotation ") + net_annotation + ": unknown or invalid \"" + item + "\"",
          "keys: bridge ip gw ip6 gw6 tag mtu firewall(0|1)");
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return net;
}

}  // namespace

PctSettings with_annotations(PctSettings settings,
                             const std::map<std::string, std::string>& annotations) {
  if (auto it = annotations.find(storage_annotation); it != annotations.end())
    settings.storage = it->second;
  if (auto it = annotations.find(net_annotation); it != annotations.end())
    settings.network = parse_net(settings.network, it->second);
  if (auto it = annotations.find(disk_annotation); it != annotations.end()) {
    auto gib = parse_u32(it->second);
    if (!gib)
      throw Error(ErrorKind::invalid_input,
                  std::string("annotation ") + disk_annotation + ": \"" + it->second +
                      "\" is not a whole number of GiB",
                  "use e.g. 8 (0 = an unlimited subvolume on a directory storage)");
    settings.rootfs_size_gib = *gib;
  }
  return settings;
}

}  // namespace nexcage::backend::pct
