// linux.devices -> --devN (pct passes the host's node at the same path into the container, so the
// driver's host facts must show that node) and
// linux.resources.devices -> lxc.cgroup2.devices.allow/deny, followed by the rules runc always
// adds, so the container ends up with exactly runc's device access list.
#include <cstdio>

#include "mapping.hpp"

namespace nexcage::backend::pct::detail {

namespace {

// pct binds the host's node at the same path: it must exist (or `pct create` fails with
// "Device <path> does not exist"), and be the kind and, when config.json names them, the
// numbers asked for; otherwise the container would get another device than the one asked for.
bool matches_host(Builder& b, const nlohmann::json& d, const std::string& dp, const std::string& p,
                  const std::string& type) {
  auto fact = b.facts.devices.find(p);
  if (fact == b.facts.devices.end() || fact->second.kind == DeviceKind::missing) {
    b.refuse(dp + ".path", quote_value(p) +
                               " does not exist on the host, and pct passes the host's node in "
                               "(pct create would fail: Device " +
                               p + " does not exist); create it on the host or remove it");
    return false;
  }
  const auto& host = fact->second;
  if (host.kind == DeviceKind::other) {
    b.refuse(dp + ".path", quote_value(p) +
                               " is not a device node on the host; name a character or block "
                               "device, or remove it");
    return false;
  }
  bool block = host.kind == DeviceKind::block_device;
  if (block != (type == "b")) {
    b.refuse(dp + ".type", quote_value(type) + " does not match " + quote_value(p) +
                               ", which is a " + (block ? "block" : "character") +
                               " device on the host; set \"type\" to \"" + (block ? "b" : "c") +
                               "\" or name another device");
    return false;
  }
  auto number = [&](const char* key) -> std::optional<int64_t> {
    auto* v = raw_at(d, {key});
    return v ? json_int(*v, 0, UINT32_MAX) : std::nullopt;
  };
  auto major = number("major"), minor = number("minor");
  if ((major && *major != host.major) || (minor && *minor != host.minor)) {
    b.refuse(dp, "asks for device " + std::to_string(major.value_or(host.major)) + ":" +
                     std::to_string(minor.value_or(host.minor)) + " but " + quote_value(p) +
                     " on the host is " + std::to_string(host.major) + ":" +
                     std::to_string(host.minor) +
                     ", and pct passes the host's node in; fix major/minor or the path");
    return false;
  }
  return true;
}

void map_device_nodes(Builder& b, const nlohmann::json& list) {
  if (!list.is_array()) return b.refuse("linux.devices", "must be a list");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& d = list[i];
    auto dp = "linux.devices[" + std::to_string(i) + "]";
    auto* path = raw_at(d, {"path"});
    auto* type = raw_at(d, {"type"});
    if (!path || !path->is_string()) {
      b.refuse(dp + ".path", "is required, e.g. \"/dev/fuse\"");
      continue;
    }
    const auto p = path->get<std::string>();
    const std::string t = type && type->is_string() ? type->get<std::string>() : "";
    if (t == "p") {
      b.refuse(dp + ".type",
               "FIFO devices cannot be passed in by pct (it binds host device nodes only)");
      continue;
    }
    if (t != "c" && t != "u" && t != "b") {
      b.refuse(dp + ".type",
               "must be \"c\" (or \"u\") for a character device or \"b\" for a block device");
      continue;
    }
    // pve-lxc-dev-string; a ',' would split the property string.
    if (p.rfind("/dev/", 0) != 0 || has_dot_segments(p) || p.find(',') != std::string::npos ||
        has_control_char(p, false)) {
      b.refuse(dp + ".path", quote_value(p) + " must be a normalised path under /dev/ without ','");
      continue;
    }
    if (!matches_host(b, d, dp, p, t)) continue;
    if (b.next_dev > 255) {
      b.refuse(dp, "more than 256 devices; pct has dev0 to dev255");
      continue;
    }
    std::string value = p;
    if (auto* mode = raw_at(d, {"fileMode"})) {
      // Only the permission bits matter to pct; some runtimes include the S_IFCHR type bits.
      if (auto v = json_int(*mode, 0, UINT32_MAX)) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "0%03o", static_cast<unsigned>(*v & 0777));
        value += std::string(",mode=") + buf;
      } else {
        b.refuse(dp + ".fileMode", "must be an unsigned file mode such as 438 (0666)");
      }
    }
    for (const char* key : {"uid", "gid"}) {
      if (auto* id = raw_at(d, {key})) {
        if (auto v = json_int(*id, 0, UINT32_MAX))
          value += std::string(",") + key + "=" + std::to_string(*v);
        else
          b.refuse(dp + "." + key, "must be an unsigned 32-bit number");
      }
    }
    b.option("dev" + std::to_string(b.next_dev++), value);
  }
}

// What runc appends to every container's rules (libcontainer/specconv AllowedDevices).
const char* const runc_default_rules[] = {"c *:* m",     "b *:* m",   "c 1:3 rwm",   "c 1:8 rwm",
                                          "c 1:7 rwm",   "c 5:0 rwm", "c 1:5 rwm",   "c 1:9 rwm",
                                          "c 136:* rwm", "c 5:2 rwm", "c 10:200 rwm"};

void map_device_rules(Builder& b, const nlohmann::json& list) {
  if (!list.is_array()) return b.refuse("linux.resources.devices", "must be a list");
  if (list.empty()) return;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& r = list[i];
    auto rp = "linux.resources.devices[" + std::to_string(i) + "]";
    auto* allow = raw_at(r, {"allow"});
    if (!allow || !allow->is_boolean()) {
      b.refuse(rp + ".allow", "is required: true or false");
      continue;
    }
    std::string type = "a";
    if (auto* t = raw_at(r, {"type"})) type = t->is_string() ? t->get<std::string>() : "?";
    if (type != "a" && type != "c" && type != "b") {
      b.refuse(rp + ".type", "must be \"a\", \"c\" or \"b\"");
      continue;
    }
    std::string access = "rwm";
    if (auto* a = raw_at(r, {"access"})) access = a->is_string() ? a->get<std::string>() : "?";
    if (access.empty() || access.find_first_not_of("rwm") != std::string::npos) {
      b.refuse(rp + ".access", "must be a combination of r, w and m");
      continue;
    }
    auto number = [&](const char* key) -> std::optional<std::string> {
      auto* v = raw_at(r, {key});
      if (!v) return "*";
      if (auto n = json_int(*v, -1, 0xfffff)) return *n == -1 ? "*" : std::to_string(*n);
      b.refuse(rp + "." + key, "must be a device number or -1 (any)");
      return std::nullopt;
    };
    auto major = number("major"), minor = number("minor");
    if (!major || !minor) continue;
    // LXC reads a bare "a" as every device with every access.
    bool everything = type == "a" && *major == "*" && *minor == "*" && access == "rwm";
    std::string rule = everything ? "a" : type + " " + *major + ":" + *minor + " " + access;
    b.raw(allow->get<bool>() ? "lxc.cgroup2.devices.allow" : "lxc.cgroup2.devices.deny", rule);
  }
  for (const char* rule : runc_default_rules) b.raw("lxc.cgroup2.devices.allow", rule);
}

}  // namespace

void map_devices(Builder& b) {
  if (auto* nodes = raw_at(b.spec.raw, {"linux", "devices"})) map_device_nodes(b, *nodes);
  if (auto* rules = raw_at(b.spec.raw, {"linux", "resources", "devices"}))
    map_device_rules(b, *rules);
}

}  // namespace nexcage::backend::pct::detail
