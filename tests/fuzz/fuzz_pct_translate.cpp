// The pct backend's translation, as create runs it: config.json parsed and typed
// (parse_json_document, spec_from_json), the operator's settings with the bundle's
// org.nexcage.pct.* annotations applied (with_annotations), host facts for bind sources, then
// examine() -> pct create options + raw lxc lines. validate_spec is not required first: the
// translation promises never to throw, whatever the Spec holds.
//
// Settings and host facts are fixed values (no host is read): the defaults, and a permissive
// operator (every allow_weaker_isolation name, always_unprivileged), so both the refusals and the
// warnings of docs/backends/pct.md are reached. A bind source's and a device's kind are functions
// of their text; a device node on the "host" mostly has the numbers config.json gives it, so the
// accepted path is explored as well as the mismatches. The pve-container version is the current
// one, or for some inputs 6.1.4 (no /dev/shm of Proxmox's own).
//
// Checked beyond "no crash": an accepted translation must be writable as the driver writes it:
// raw keys are lxc.*, no raw line is refused by with_raw_lines (a newline), and no argv element or
// raw line holds a NUL (execve and the config file would cut it there) or, except the
// multi-line description, a newline or carriage return.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "nexcage/backend/pct/driver_config.hpp"
#include "nexcage/backend/pct/raw_config.hpp"
#include "nexcage/backend/pct/translate.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/fs/json_file.hpp"
#include "nexcage/oci/bundle.hpp"

namespace pct = nexcage::backend::pct;

namespace {

pct::PctSettings permissive() {
  pct::PctSettings s;
  s.always_unprivileged = true;
  s.allow_weaker_isolation = pct::weaker_isolation_names();
  s.network.ip = "192.0.2.10/24";
  s.network.gw = "192.0.2.1";
  s.network.tag = 42;
  return s;
}

pct::HostFacts facts_for(const nexcage::oci::Spec& spec) {
  pct::HostFacts facts;
  for (const auto& m : spec.mounts) {
    if (m.source.empty() || m.source.front() != '/') continue;
    pct::HostPath host;
    switch (m.source.size() % 4) {
      case 0:
        host.kind = pct::PathKind::directory;
        break;
      case 1:
        host.kind = pct::PathKind::file;
        break;
      case 2:
        host.kind = pct::PathKind::other;
        break;
      default:
        host.kind = pct::PathKind::missing;
        break;
    }
    if (m.source.size() % 3 == 0) host.resolved = "/srv/resolved" + m.source;
    facts.paths[m.source] = host;
  }
  if (spec.mounts.size() % 2 == 1) facts.pve_container = "6.1.4";
  auto linux = spec.raw.find("linux");
  if (linux == spec.raw.end() || !linux->is_object()) return facts;
  auto devices = linux->find("devices");
  if (devices == linux->end() || !devices->is_array()) return facts;
  for (const auto& d : *devices) {
    if (!d.is_object() || !d.contains("path") || !d["path"].is_string()) continue;
    auto path = d["path"].get<std::string>();
    if (path.empty() || path.front() != '/' || facts.devices.count(path)) continue;
    pct::HostDevice host;
    auto type = d.contains("type") && d["type"].is_string() ? d["type"].get<std::string>() : "";
    switch (path.size() % 5) {
      case 0:
        host.kind = pct::DeviceKind::missing;
        break;
      case 1:
        host.kind = pct::DeviceKind::other;
        break;
      default:
        host.kind = type == "b" ? pct::DeviceKind::block_device : pct::DeviceKind::char_device;
        break;
    }
    auto number = [&](const char* key) -> uint32_t {
      return d.contains(key) && d[key].is_number_unsigned()
                 ? static_cast<uint32_t>(d[key].get<uint64_t>())
                 : 0;
    };
    host.major = number("major") + (path.size() % 7 == 0 ? 1 : 0);
    host.minor = number("minor");
    facts.devices[path] = host;
  }
  return facts;
}

[[noreturn]] void finding(const std::string& what, const std::string& key,
                          const std::string& value) {
  std::fprintf(stderr, "pct translation accepted a line the driver cannot write: %s: %s = %s\n",
               what.c_str(), key.c_str(), value.substr(0, 200).c_str());
  std::abort();
}

bool has(const std::string& s, std::string_view chars) {
  return s.find_first_of(chars) != std::string::npos;
}

void check_writable(const pct::Translation& t) {
  using namespace std::string_view_literals;
  for (const auto& o : t.options) {
    if (o.key.empty() || has(o.key, "\0\n\r"sv)) finding("option key", o.key, o.value);
    if (has(o.value, "\0"sv) || (o.key != "description" && has(o.value, "\n\r"sv)))
      finding("option value", o.key, o.value);
  }
  for (const auto& r : t.raw) {
    if (r.key.rfind("lxc.", 0) != 0 || has(r.key, "\0\n\r: "sv)) finding("raw key", r.key, r.value);
    if (has(r.value, "\0\n\r"sv)) finding("raw value", r.key, r.value);
  }
  try {
    (void)pct::with_raw_lines("arch: amd64\nhostname: fuzz\nmemory: 512\n\n[snap]\nmemory: 256\n",
                              t.raw);
  } catch (const nexcage::Error& e) {
    finding("with_raw_lines refused it", e.what(), "");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const pct::PctSettings strict{};
  static const pct::PctSettings relaxed = permissive();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  nexcage::oci::Spec spec;
  try {
    std::vector<nexcage::oci::Problem> problems;
    spec = nexcage::oci::spec_from_json(nexcage::fs::parse_json_document(text, "config.json"),
                                        problems);
    if (!problems.empty()) return 0;  // create stops at load_bundle
  } catch (const nexcage::Error&) {
    return 0;
  }
  auto facts = facts_for(spec);
  for (const pct::PctSettings* base : {&strict, &relaxed}) {
    pct::PctSettings settings;
    try {
      settings = pct::with_annotations(*base, spec.annotations);
    } catch (const nexcage::Error&) {
      continue;
    }
    auto outcome = pct::examine(spec, settings, facts);
    if (outcome.refused.empty()) {
      (void)outcome.translation.argv();
      check_writable(outcome.translation);
    }
  }
  return 0;
}
