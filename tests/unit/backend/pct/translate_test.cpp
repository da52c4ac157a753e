// Focused tests of single mappings and of each refusal; the whole-bundle view is in the golden
// tests (translate_golden_test.cpp).
#include <algorithm>

#include <gtest/gtest.h>

#include "nexcage/backend/pct/translate.hpp"
#include "nexcage/core/error.hpp"

using namespace nexcage::backend::pct;
using nlohmann::json;

namespace {

json base() {
  return json::parse(R"({
    "ociVersion": "1.0.2",
    "root": {"path": "rootfs"},
    "process": {"args": ["/bin/app"], "cwd": "/", "env": ["PATH=/bin"]},
    "hostname": "box",
    "linux": {"namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}]}
  })");
}

Outcome run(const json& doc, const PctSettings& settings = {}, const HostFacts& facts = {}) {
  std::vector<nexcage::oci::Problem> problems;
  auto spec = nexcage::oci::spec_from_json(doc, problems);
  EXPECT_TRUE(problems.empty()) << nexcage::oci::describe_problems("doc", problems);
  return examine(spec, settings, facts);
}

std::string option(const Outcome& o, const std::string& key) {
  for (const auto& p : o.translation.options)
    if (p.key == key) return p.value;
  return "<absent>";
}

std::vector<std::string> raw(const Outcome& o, const std::string& key) {
  std::vector<std::string> out;
  for (const auto& r : o.translation.raw)
    if (r.key == key) out.push_back(r.value);
  return out;
}

// Exactly one refusal, at `path`, whose message contains `words`.
void expect_refused(const Outcome& o, const std::string& path, const std::string& words) {
  ASSERT_EQ(o.refused.size(), 1u) << (o.refused.empty()
                                          ? "nothing refused"
                                          : o.refused[0].path + ": " + o.refused[0].message);
  EXPECT_EQ(o.refused[0].path, path);
  EXPECT_NE(o.refused[0].message.find(words), std::string::npos) << o.refused[0].message;
}

HostFacts dir(const std::string& source) {
  HostFacts f;
  f.paths[source] = {PathKind::directory, ""};
  return f;
}

}  // namespace

TEST(PctTranslate, BaseOrderAndDefaults) {
  auto o = run(base());
  ASSERT_TRUE(o.refused.empty());
  EXPECT_EQ(
      o.translation.argv(),
      (std::vector<std::string>{"--ostype",       "unmanaged",
                                "--arch",         "amd64",
                                "--rootfs",       "local-lvm:8",
                                "--unprivileged", "0",
                                "--hostname",     "box",
                                "--memory",       "512",
                                "--swap",         "0",
                                "--net0",         "name=eth0,bridge=vmbr0,ip=manual,host-managed=1",
                                "--entrypoint",   "/bin/app",
                                "--env",          "PATH=/bin",
                                "--cmode",        "console",
                                "--tags",         "nexcage"}));
  EXPECT_EQ(raw(o, "lxc.init.cwd"), std::vector<std::string>{"/"});
}

TEST(PctTranslate, MemoryRoundsUpAndSwapIsTheDifference) {
  auto doc = base();
  doc["linux"]["resources"]["memory"] = {{"limit", 100 * 1048576 + 1}, {"swap", 300 * 1048576}};
  auto o = run(doc);
  ASSERT_TRUE(o.refused.empty());
  EXPECT_EQ(option(o, "memory"), "101");
  EXPECT_EQ(option(o, "swap"), "200");  // ceil((300 MiB - 100 MiB - 1) / MiB)
}

TEST(PctTranslate, SwapIsAlwaysExplicit) {
  auto doc = base();
  doc["linux"]["resources"]["memory"] = {{"limit", 64 * 1048576}};
  EXPECT_EQ(option(run(doc), "swap"), "0");
  doc["linux"]["resources"]["memory"]["swap"] = -1;
  auto o = run(doc);
  EXPECT_EQ(option(o, "swap"), "0");
  ASSERT_EQ(o.translation.warnings.size(), 1u);
  EXPECT_EQ(o.translation.warnings[0].path, "linux.resources.memory.swap");
}

TEST(PctTranslate, CpuQuotaSharesAndSets) {
  auto doc = base();
  doc["linux"]["resources"]["cpu"] = {
      {"quota", 150000}, {"period", 100000}, {"shares", 512}, {"cpus", "0-1"}, {"mems", "0"}};
  auto o = run(doc);
  ASSERT_TRUE(o.refused.empty());
  EXPECT_EQ(option(o, "cpulimit"), "1.5");
  EXPECT_EQ(option(o, "cpuunits"), "59");
  EXPECT_EQ(raw(o, "lxc.cgroup2.cpuset.cpus"), std::vector<std::string>{"0-1"});
  EXPECT_EQ(raw(o, "lxc.cgroup2.cpuset.mems"), std::vector<std::string>{"0"});
  EXPECT_EQ(option(o, "cores"), "<absent>");  // --cores would pick a random cpuset
}

TEST(PctTranslate, UnlimitedQuotaSetsNoCpulimit) {
  auto doc = base();
  doc["linux"]["resources"]["cpu"] = {{"quota", -1}};
  auto o = run(doc);
  ASSERT_TRUE(o.refused.empty());
  EXPECT_EQ(option(o, "cpulimit"), "<absent>");
}

TEST(PctTranslate, EnvOneAsOptionSeveralAsRawLines) {
  auto doc = base();
  doc["process"]["env"] = {"A=1", "B=two words"};
  auto o = run(doc);
  EXPECT_EQ(option(o, "env"), "<absent>");
  EXPECT_EQ(raw(o, "lxc.environment.runtime"), (std::vector<std::string>{"A=1", "B=two words"}));
  doc["process"]["env"] = json::array();
  o = run(doc);
  EXPECT_EQ(option(o, "env"), "<absent>");
  EXPECT_TRUE(raw(o, "lxc.environment.runtime").empty());
}

TEST(PctTranslate, UserNamespaceMakesItUnprivilegedWithDefaultMapImplicit) {
  auto doc = base();
  doc["linux"]["namespaces"].push_back({{"type", "user"}});
  doc["linux"]["uidMappings"] =
      json::array({{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}});
  doc["linux"]["gidMappings"] = doc["linux"]["uidMappings"];
  auto o = run(doc);
  EXPECT_EQ(option(o, "unprivileged"), "1");
  EXPECT_TRUE(raw(o, "lxc.idmap").empty());
  doc["linux"]["uidMappings"][0]["hostID"] = 300000;
  o = run(doc);
  EXPECT_EQ(raw(o, "lxc.idmap"),
            (std::vector<std::string>{"u 0 300000 65536", "g 0 100000 65536"}));
}

TEST(PctTranslate, DirectoryBindBecomesMountPointFileBindAMountEntry) {
  auto doc = base();
  doc["mounts"] = json::array({{{"destination", "/data"},
                                {"type", "bind"},
                                {"source", "/srv/data"},
                                {"options", {"bind", "ro", "nosuid", "nodev"}}},
                               {{"destination", "/etc/hosts"},
                                {"type", "bind"},
                                {"source", "/run/hosts"},
                                {"options", {"bind", "ro"}}},
                               {{"destination", "/var/cache"},
                                {"type", "tmpfs"},
                                {"source", "cache"},
                                {"options", {"nosuid", "size=64m"}}}});
  auto facts = dir("/srv/data");
  facts.paths["/run/hosts"] = {PathKind::file, ""};
  auto o = run(doc, {}, facts);
  ASSERT_TRUE(o.refused.empty());
  EXPECT_EQ(option(o, "mp0"), "/srv/data,mp=/data,ro=1,mountoptions=nosuid;nodev");
  EXPECT_EQ(raw(o, "lxc.mount.entry"),
            (std::vector<std::string>{"/run/hosts etc/hosts none bind,ro,create=file 0 0",
                                      "cache var/cache tmpfs nosuid,size=64m,create=dir 0 0"}));
}

TEST(PctTranslate, CapabilitiesClearPveDropListThenKeepBoundingSet) {
  auto doc = base();
  doc["process"]["capabilities"] = {{"bounding", {"CAP_KILL", "CAP_NET_BIND_SERVICE"}},
                                    {"effective", {"CAP_KILL", "CAP_NET_BIND_SERVICE"}},
                                    {"permitted", {"CAP_KILL", "CAP_NET_BIND_SERVICE"}}};
  auto o = run(doc);
  ASSERT_TRUE(o.refused.empty());
  EXPECT_EQ(raw(o, "lxc.cap.drop"), std::vector<std::string>{""});
  EXPECT_EQ(raw(o, "lxc.cap.keep"), std::vector<std::string>{"kill net_bind_service"});
  doc["process"]["capabilities"]["bounding"] = json::array();
  EXPECT_EQ(raw(run(doc), "lxc.cap.keep"), std::vector<std::string>{"none"});
}

TEST(PctTranslate, AnnotationsBecomeTagsAndDescription) {
  auto doc = base();
  doc["annotations"] = {{"org.nexcage.tags", "Web, EU;-edge"}, {"io.kubernetes.pod.name", "web-1"}};
  auto o = run(doc);
  EXPECT_EQ(option(o, "tags"), "nexcage;web;eu;_-edge");
  EXPECT_EQ(option(o, "description"),
            "OCI annotations:\nio.kubernetes.pod.name: web-1\norg.nexcage.tags: Web, EU;-edge");
}

TEST(PctTranslate, DescriptionIsCutToProxmoxLimit) {
  auto doc = base();
  for (int i = 0; i < 200; ++i)
    doc["annotations"]["key." + std::to_string(1000 + i)] = std::string(60, 'v');
  auto o = run(doc);
  auto d = option(o, "description");
  EXPECT_LE(d.size(), 8192u);
  EXPECT_NE(d.find(" more not shown)"), std::string::npos);
  ASSERT_FALSE(o.translation.warnings.empty());
  EXPECT_EQ(o.translation.warnings.back().path, "annotations");
}

// ---- each refusal on its own ------------------------------------------------------------------

TEST(PctRefuse, CommaInDirectoryBindSource) {
  auto doc = base();
  doc["mounts"] = json::array({{{"destination", "/data"},
                                {"type", "bind"},
                                {"source", "/srv/a,b"},
                                {"options", {"bind"}}}});
  expect_refused(run(doc, {}, dir("/srv/a,b")), "mounts[0].source", "contains ','");
}

TEST(PctRefuse, CommaInMountPointDestination) {
  auto doc = base();
  doc["mounts"] = json::array(
      {{{"destination", "/a,b"}, {"type", "bind"}, {"source", "/srv/x"}, {"options", {"bind"}}}});
  expect_refused(run(doc, {}, dir("/srv/x")), "mounts[0].destination", "contains ','");
}

TEST(PctRefuse, EqualsInBindSource) {
  auto doc = base();
  doc["mounts"] = json::array({{{"destination", "/data"},
                                {"type", "bind"},
                                {"source", "/srv/k=v"},
                                {"options", {"bind"}}}});
  expect_refused(run(doc, {}, dir("/srv/k=v")), "mounts[0].source", "contains '='");
}

TEST(PctRefuse, CommaInFileBindIsFineInAMountEntry) {
  auto doc = base();
  doc["mounts"] = json::array({{{"destination", "/etc/a,b"},
                                {"type", "bind"},
                                {"source", "/srv/a,b"},
                                {"options", {"bind"}}}});
  HostFacts f;
  f.paths["/srv/a,b"] = {PathKind::file, ""};
  auto o = run(doc, {}, f);
  EXPECT_TRUE(o.refused.empty());
  EXPECT_EQ(raw(o, "lxc.mount.entry"),
            std::vector<std::string>{"/srv/a,b etc/a,b none bind,create=file 0 0"});
}

TEST(PctRefuse, MissingBindSource) {
  auto doc = base();
  doc["mounts"] = json::array(
      {{{"destination", "/data"}, {"type", "bind"}, {"source", "/nope"}, {"options", {"bind"}}}});
  expect_refused(run(doc), "mounts[0].source", "does not exist on the host");
}

TEST(PctRefuse, DotSegmentsInMountPath) {
  auto doc = base();
  doc["mounts"] = json::array({{{"destination", "/data"},
                                {"type", "bind"},
                                {"source", "/srv/../etc"},
                                {"options", {"bind"}}}});
  expect_refused(run(doc, {}, dir("/srv/../etc")), "mounts[0].source", "'..' segments");
}

TEST(PctRefuse, ArgumentWithBothQuoteKinds) {
  auto doc = base();
  doc["process"]["args"] = {"/bin/sh", "-c", "echo \"it's\""};
  expect_refused(run(doc), "process.args[2]", "both ' and \"");
}

TEST(PctRefuse, ArgumentWithControlCharacter) {
  auto doc = base();
  doc["process"]["args"] = {"/bin/echo", "a\nb"};
  expect_refused(run(doc), "process.args[1]", "control character");
}

TEST(PctRefuse, BadHostnames) {
  for (const char* name : {"web_01", "box.", "-box", "a..b"}) {
    auto doc = base();
    doc["hostname"] = name;
    expect_refused(run(doc), "hostname", "is not a hostname pct accepts");
  }
  // The limit is the kernel's (sethostname: HOST_NAME_MAX, 64), not pct's 255, and not per label.
  auto doc = base();
  doc["hostname"] = std::string(65, 'a');
  expect_refused(run(doc), "hostname",
                 "is 65 bytes long; the kernel sets at most 64 (HOST_NAME_MAX)");
  doc["hostname"] = std::string(64, 'a');
  auto o = run(doc);
  EXPECT_TRUE(o.refused.empty());
  EXPECT_EQ(option(o, "hostname"), std::string(64, 'a'));
}

TEST(PctRefuse, MemoryOutOfRange) {
  auto doc = base();
  doc["linux"]["resources"]["memory"]["limit"] = 1048576;
  expect_refused(run(doc), "linux.resources.memory.limit", "below 16 MiB");
  doc["linux"]["resources"]["memory"]["limit"] = INT64_MAX;
  expect_refused(run(doc), "linux.resources.memory.limit", "more than Proxmox can write");
  doc["linux"]["resources"]["memory"]["limit"] = -2;
  expect_refused(run(doc), "linux.resources.memory.limit", "must be -1");
}

TEST(PctRefuse, SwapWithoutMemoryLimit) {
  auto doc = base();
  doc["linux"]["resources"]["memory"]["swap"] = 1 << 30;
  expect_refused(run(doc), "linux.resources.memory.swap", "needs memory.limit");
}

TEST(PctRefuse, CpuQuotaOutOfRange) {
  auto doc = base();
  doc["linux"]["resources"]["cpu"] = {{"quota", -5}};
  expect_refused(run(doc), "linux.resources.cpu.quota", "must be -1");
  doc["linux"]["resources"]["cpu"] = {{"quota", 819200001}, {"period", 100000}};
  expect_refused(run(doc), "linux.resources.cpu.quota", "more than 8192 CPUs");
  doc["linux"]["resources"]["cpu"] = {{"quota", 819200000}, {"period", 100000}};
  EXPECT_TRUE(run(doc).refused.empty());
  doc["linux"]["resources"]["cpu"] = {{"quota", 999}, {"period", 100000}};
  expect_refused(run(doc), "linux.resources.cpu.quota", "below 0.01 CPU");
}

TEST(PctRefuse, EnvThatProxmoxWouldChange) {
  auto doc = base();
  doc["process"]["env"] = {"BAD-NAME=x"};
  expect_refused(run(doc), "process.env[0]", "letters, digits and '_'");
  doc["process"]["env"] = {"A=x "};
  expect_refused(run(doc), "process.env[0]", "ends in whitespace");
  doc["process"]["env"] = {"A=\x01"};
  expect_refused(run(doc), "process.env[0]", "control character");
}

TEST(PctRefuse, SharedOrJoinedNamespaces) {
  auto doc = base();
  doc["linux"]["namespaces"].erase(1);  // network
  expect_refused(run(doc), "linux.namespaces", "host networking");
  doc = base();
  doc["linux"]["namespaces"][1]["path"] = "/proc/42/ns/net";
  expect_refused(run(doc), "linux.namespaces[1].path", "joining an existing network namespace");
}

TEST(PctRefuse, Hooks) {
  auto doc = base();
  doc["hooks"]["prestart"] = json::array({{{"path", "/bin/true"}}});
  expect_refused(run(doc), "hooks.prestart", "cannot be run by pct");
}

TEST(PctRefuse, BadSettings) {
  PctSettings s;
  s.storage = "x";
  expect_refused(run(base(), s), "backends.pct.storage", "not a storage ID");
  s = {};
  s.network.bridge = "vm br0";
  expect_refused(run(base(), s), "backends.pct.network.bridge", "not a bridge name");
  s = {};
  s.network.ip = "10.0.0.1/4";
  expect_refused(run(base(), s), "backends.pct.network.ip", "IPv4 CIDR");
  s = {};
  s.network.ip6 = "auto";
  expect_refused(run(base(), s), "backends.pct.network.ip6", "host_managed");
  s.network.host_managed = false;
  EXPECT_TRUE(run(base(), s).refused.empty());
}

// ---- the weaker-isolation policy --------------------------------------------------------------

struct WeakerCase {
  const char* allowance;
  const char* path;
  void (*edit)(json&);
};

TEST(PctPolicy, WeakerIsolationIsRefusedUnlessAllowedThenWarned) {
  const WeakerCase cases[] = {
      {allow_seccomp, "linux.seccomp",
       [](json& d) {
         d["linux"]["seccomp"] = {{"defaultAction", "SCMP_ACT_ERRNO"}};
       }},
      {allow_no_new_privileges, "process.noNewPrivileges",
       [](json& d) { d["process"]["noNewPrivileges"] = true; }},
      {allow_capabilities, "process.capabilities.effective",
       [](json& d) {
         d["process"]["capabilities"] = {{"bounding", {"CAP_KILL"}}, {"permitted", {"CAP_KILL"}}};
       }},
      {allow_masked_paths, "linux.maskedPaths[0]",
       [](json& d) { d["linux"]["maskedPaths"] = {"/proc/unknown"}; }},
      {allow_readonly_paths, "linux.readonlyPaths[0]",
       [](json& d) { d["linux"]["readonlyPaths"] = {"/proc/bus"}; }},
      {allow_readonly_paths, "mounts[0].options[0]",
       [](json& d) {
         d["mounts"] = json::array({{{"destination", "/data"},
                                     {"type", "tmpfs"},
                                     {"source", "tmpfs"},
                                     {"options", {"rro"}}}});
       }},
      {allow_resource_limits, "linux.intelRdt",
       [](json& d) {
         d["linux"]["intelRdt"] = {{"closID", "x"}};
       }},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.allowance);
    auto doc = base();
    c.edit(doc);
    expect_refused(run(doc), c.path,
                   std::string("add \"") + c.allowance + "\" to allow_weaker_isolation");
    PctSettings s;
    s.allow_weaker_isolation.insert(c.allowance);
    auto o = run(doc, s);
    EXPECT_TRUE(o.refused.empty());
    auto w = std::find_if(o.translation.warnings.begin(), o.translation.warnings.end(),
                          [&](const auto& p) { return p.path == c.path; });
    ASSERT_NE(w, o.translation.warnings.end());
    EXPECT_NE(w->message.find("allowed by allow_weaker_isolation"), std::string::npos);
  }
}

TEST(PctPolicy, PermissiveSeccompAndUnprivilegedProcPathsNeedNoAllowance) {
  auto doc = base();
  doc["linux"]["seccomp"] = {{"defaultAction", "SCMP_ACT_ALLOW"}};
  doc["linux"]["readonlyPaths"] = {"/proc/sys", "/proc/sysrq-trigger", "/sys/kernel"};
  EXPECT_TRUE(run(doc).refused.empty());
  doc["linux"]["readonlyPaths"] = {"/proc/bus"};
  PctSettings s;
  s.always_unprivileged = true;
  EXPECT_TRUE(run(doc, s).refused.empty());
}

TEST(PctPolicy, TranslateThrowsOneErrorListingEveryRefusal) {
  auto doc = base();
  doc["hostname"] = "a_b";
  doc["process"]["noNewPrivileges"] = true;
  std::vector<nexcage::oci::Problem> problems;
  auto spec = nexcage::oci::spec_from_json(doc, problems);
  try {
    translate(spec, {}, {});
    FAIL() << "no error";
  } catch (const nexcage::Error& e) {
    EXPECT_EQ(e.kind(), nexcage::ErrorKind::invalid_input);
    std::string msg = e.what();
    EXPECT_EQ(msg.substr(0, msg.find('\n')),
              "config.json cannot be run by the pct backend: 2 problems");
    EXPECT_NE(msg.find("\n  hostname: "), std::string::npos);
    EXPECT_NE(msg.find("\n  process.noNewPrivileges: "), std::string::npos);
  }
}

// ---- settings from nexcage's config -----------------------------------------------------------

TEST(PctSettingsJson, ReadsEveryKey) {
  auto s = settings_from_json(json::parse(R"({
    "storage": "local-zfs", "rootfs_size_gib": 0, "arch": "arm64", "always_unprivileged": true,
    "default_memory_mib": 256, "allow_weaker_isolation": ["seccomp"],
    "network": {"enabled": true, "bridge": "vmbr1", "ip": "10.0.0.2/24", "gw": "10.0.0.1", "ip6": "dhcp",
                "gw6": "fd00::1", "tag": 7, "mtu": 1400, "firewall": true, "host_managed": false},
    "pct": "/usr/sbin/pct"
  })"),
                              "backends.pct", {"pct"});
  EXPECT_EQ(s.storage, "local-zfs");
  EXPECT_EQ(s.rootfs_size_gib, 0u);
  EXPECT_EQ(s.arch, "arm64");
  EXPECT_TRUE(s.always_unprivileged);
  EXPECT_EQ(s.default_memory_mib, 256u);
  EXPECT_TRUE(s.allows(allow_seccomp));
  EXPECT_EQ(s.network.bridge, "vmbr1");
  EXPECT_EQ(*s.network.tag, 7u);
  EXPECT_FALSE(s.network.host_managed);
}

TEST(PctSettingsJson, ListsEveryProblemWithItsKey) {
  try {
    settings_from_json(
        json::parse(R"({"storag": "x", "rootfs_size_gib": -1, "network": {"tag": "7"},
                                       "allow_weaker_isolation": ["seccomp", "everything"]})"));
    FAIL() << "no error";
  } catch (const nexcage::Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("4 problems"), std::string::npos) << msg;
    EXPECT_NE(msg.find("backends.pct.storag: unknown option"), std::string::npos) << msg;
    EXPECT_NE(msg.find("backends.pct.rootfs_size_gib: must be a whole number"), std::string::npos)
        << msg;
    EXPECT_NE(msg.find("backends.pct.network.tag: must be a whole number"), std::string::npos)
        << msg;
    EXPECT_NE(msg.find("backends.pct.allow_weaker_isolation[1]: must be one of"), std::string::npos)
        << msg;
  }
}
