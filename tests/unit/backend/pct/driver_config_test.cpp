// backends.pct -> DriverConfig, and the per-container annotations that override the settings.
#include <gtest/gtest.h>

#include "nexcage/backend/pct/driver_config.hpp"
#include "nexcage/core/error.hpp"

using namespace nexcage::backend::pct;
using nexcage::Error;
using nexcage::ErrorKind;
using nlohmann::json;

namespace {

nexcage::backend::BackendConfig backend(const json& options, std::string path = "/usr/sbin/pct") {
  nexcage::backend::BackendConfig c;
  c.name = "pct";
  c.path = std::move(path);
  c.options = options;
  return c;
}

std::string invalid_input(const json& options) {
  try {
    parse_driver_config(backend(options));
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid_input) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "accepted " << options.dump();
  return {};
}

std::string annotation_error(const std::map<std::string, std::string>& annotations) {
  try {
    with_annotations(PctSettings{}, annotations);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::invalid_input) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "annotations accepted";
  return {};
}

bool contains(const std::string& text, const std::string& words) {
  return text.find(words) != std::string::npos;
}

}  // namespace

TEST(PctDriverConfig, Defaults) {
  auto c = parse_driver_config(backend(json::object()));
  EXPECT_EQ(c.tools.pct, "/usr/sbin/pct");
  EXPECT_EQ(c.tools.pvesh, "/usr/bin/pvesh");
  EXPECT_EQ(c.tools.lxc_info, "/usr/bin/lxc-info");
  EXPECT_EQ(c.tools.lxc_attach, "/usr/bin/lxc-attach");
  EXPECT_EQ(c.tools.lxc_freeze, "/usr/bin/lxc-freeze");
  EXPECT_EQ(c.tools.lxc_unfreeze, "/usr/bin/lxc-unfreeze");
  EXPECT_EQ(c.tools.tar, "/usr/bin/tar");
  // The install prefix's libexec: /usr/libexec for the package, /usr/local/libexec by default.
  EXPECT_EQ(c.tools.init, std::string(NEXCAGE_LIBEXEC_DIR) + "/nexcage-init");
  EXPECT_EQ(c.tools.monitor, std::string(NEXCAGE_LIBEXEC_DIR) + "/nexcage-monitor");
  EXPECT_TRUE(std::string(NEXCAGE_LIBEXEC_DIR).ends_with("/libexec/nexcage"));
  EXPECT_EQ(c.files.config_dir, "/etc/pve/lxc");
  EXPECT_EQ(c.host_dir, "/var/lib/nexcage/pct");
  EXPECT_EQ(c.files.lock_dir, "/run/lock/lxc");
  EXPECT_EQ(c.files.template_storage, "local");
  EXPECT_EQ(c.files.template_dir, "/var/lib/vz/template/cache");
  EXPECT_EQ(c.vmids.lower, 100u);
  EXPECT_EQ(c.vmids.upper, 1000000u);
  EXPECT_EQ(c.settings.storage, "local-lvm");
  EXPECT_EQ(c.settings.default_memory_mib, 512u);
  EXPECT_TRUE(c.settings.network.enabled);
  EXPECT_EQ(c.settings.network.bridge, "vmbr0");
}

TEST(PctDriverConfig, PctPathComesFromTheBackendPath) {
  auto c = parse_driver_config(backend(json::object(), "/opt/pve/pct"));
  EXPECT_EQ(c.tools.pct, "/opt/pve/pct");
}

TEST(PctDriverConfig, EveryPathKeyOverrides) {
  auto c = parse_driver_config(backend(json{{"pvesh", "/s/pvesh"},
                                            {"lxc_info", "/s/lxc-info"},
                                            {"lxc_attach", "/s/lxc-attach"},
                                            {"lxc_freeze", "/s/lxc-freeze"},
                                            {"lxc_unfreeze", "/s/lxc-unfreeze"},
                                            {"tar", "/s/tar"},
                                            {"init", "/s/init"},
                                            {"config_dir", "/s/conf"},
                                            {"lock_dir", "/s/lock"},
                                            {"template_dir", "/s/cache"}}));
  EXPECT_EQ(c.tools.pct, "/usr/sbin/pct");
  EXPECT_EQ(c.tools.pvesh, "/s/pvesh");
  EXPECT_EQ(c.tools.lxc_info, "/s/lxc-info");
  EXPECT_EQ(c.tools.lxc_attach, "/s/lxc-attach");
  EXPECT_EQ(c.tools.lxc_freeze, "/s/lxc-freeze");
  EXPECT_EQ(c.tools.lxc_unfreeze, "/s/lxc-unfreeze");
  EXPECT_EQ(c.tools.tar, "/s/tar");
  EXPECT_EQ(c.tools.init, "/s/init");
  EXPECT_EQ(c.files.config_dir, "/s/conf");
  EXPECT_EQ(c.files.lock_dir, "/s/lock");
  EXPECT_EQ(c.files.template_dir, "/s/cache");
  EXPECT_EQ(c.files.template_storage, "local");
}

TEST(PctDriverConfig, RelativeOrNonStringPathIsRejectedNamingTheKey) {
  for (const char* key : {"pvesh", "lxc_info", "lxc_attach", "lxc_freeze", "lxc_unfreeze", "tar",
                          "init", "config_dir", "lock_dir", "template_dir", "host_dir"}) {
    for (const json& bad : {json("bin/tool"), json(""), json(5), json(nullptr)}) {
      auto message = invalid_input(json{{key, bad}});
      EXPECT_EQ(message, std::string("invalid pct backend options: 1 problem\n  backends.pct.") +
                             key + ": must be an absolute path")
          << bad.dump();
    }
  }
}

TEST(PctDriverConfig, HostDirIsConfigurable) {
  EXPECT_EQ(parse_driver_config(backend(json{{"host_dir", "/tmp/t/pct"}})).host_dir, "/tmp/t/pct");
}

TEST(PctDriverConfig, ProblemsAreReportedTogether) {
  auto message = invalid_input(json::parse(R"({"tar": "tar", "init": "./init", "vmid_range": 5})"));
  EXPECT_TRUE(contains(message, "backends.pct.tar: must be an absolute path")) << message;
  EXPECT_TRUE(contains(message, "backends.pct.init: must be an absolute path")) << message;
  EXPECT_TRUE(contains(message, "backends.pct.vmid_range: must be [lower, upper]")) << message;
}

TEST(PctDriverConfig, TemplateStorage) {
  auto c = parse_driver_config(backend(json::parse(R"({"template_storage": "nfs-templates"})")));
  EXPECT_EQ(c.files.template_storage, "nfs-templates");
  EXPECT_EQ(invalid_input(json::parse(R"({"template_storage": ""})")),
            "invalid pct backend options: 1 problem\n  backends.pct.template_storage: must be a "
            "storage id");
  EXPECT_EQ(invalid_input(json::parse(R"({"template_storage": 3})")),
            "invalid pct backend options: 1 problem\n  backends.pct.template_storage: must be a "
            "storage id");
}

namespace {
VmidRange range_of(const std::string& text) {
  return parse_driver_config(backend(json::parse(R"({"vmid_range": )" + text + "}"))).vmids;
}
}  // namespace

TEST(PctDriverConfig, VmidRangeValid) {
  auto r = range_of("[9000, 9100]");
  EXPECT_EQ(r.lower, 9000u);
  EXPECT_EQ(r.upper, 9100u);
  r = range_of("[100, 1000000000]");
  EXPECT_EQ(r.lower, 100u);
  EXPECT_EQ(r.upper, 1000000000u);
  r = range_of("[100, 101]");
  EXPECT_EQ(r.lower, 100u);
  EXPECT_EQ(r.upper, 101u);
}

TEST(PctDriverConfig, VmidRangeInvalid) {
  const std::string expected =
      "invalid pct backend options: 1 problem\n  "
      "backends.pct.vmid_range: must be [lower, upper] with 100 <= lower < upper <= 1000000000 "
      "(upper is not used)";
  for (const char* bad : {"[99, 200]",          // lower < 100
                          "[0, 200]",           //
                          "[500, 500]",         // lower == upper
                          "[600, 500]",         // lower > upper
                          "[100, 1000000001]",  // upper too large
                          "[100]",              // wrong shape
                          "[100, 200, 300]",    //
                          "[]",                 //
                          R"({"lower": 100, "upper": 200})",
                          R"("100-200")",       //
                          "[-1, 200]",          // not unsigned
                          "[100.0, 200]",       // not an integer
                          R"(["100", "200"])",  //
                          "null"}) {
    EXPECT_EQ(invalid_input(json::parse(std::string(R"({"vmid_range": )") + bad + "}")), expected)
        << bad;
  }
}

TEST(PctDriverConfig, SettingsAreParsedBesideTheDriverKeys) {
  auto c = parse_driver_config(backend(json::parse(R"({
    "pvesh": "/s/pvesh", "vmid_range": [200, 300], "template_storage": "t",
    "storage": "fast", "default_memory_mib": 256,
    "network": {"bridge": "vmbr2", "tag": 7}
  })")));
  EXPECT_EQ(c.tools.pvesh, "/s/pvesh");
  EXPECT_EQ(c.vmids.lower, 200u);
  EXPECT_EQ(c.settings.storage, "fast");
  EXPECT_EQ(c.settings.default_memory_mib, 256u);
  EXPECT_EQ(c.settings.network.bridge, "vmbr2");
  EXPECT_EQ(c.settings.network.tag, std::optional<uint32_t>(7));
}

TEST(PctDriverConfig, UnknownKeyIsRejected) {
  auto message = invalid_input(json::parse(R"({"pvsh": "/usr/bin/pvesh"})"));
  EXPECT_TRUE(contains(message, "backends.pct.pvsh: unknown option")) << message;
  // The driver's own keys are listed among the known ones.
  EXPECT_TRUE(contains(message, "vmid_range")) << message;
  EXPECT_TRUE(contains(message, "template_storage")) << message;
  EXPECT_TRUE(contains(message, "lxc_unfreeze")) << message;
}

// ---- with_annotations ----

TEST(PctWithAnnotations, NoAnnotationsChangeNothing) {
  PctSettings in;
  in.storage = "s1";
  in.network.bridge = "vmbr9";
  auto out = with_annotations(in, {{"org.example.other", "x"}});
  EXPECT_EQ(out.storage, "s1");
  EXPECT_EQ(out.network.bridge, "vmbr9");
  EXPECT_EQ(out.network.ip, "manual");
  EXPECT_TRUE(out.network.enabled);
  EXPECT_FALSE(out.rootfs_size_gib);
}

TEST(PctWithAnnotations, StorageOverrides) {
  auto out = with_annotations(PctSettings{}, {{"org.nexcage.pct.storage", "zfs-pool"}});
  EXPECT_EQ(out.storage, "zfs-pool");
  EXPECT_EQ(std::string(storage_annotation), "org.nexcage.pct.storage");
  EXPECT_EQ(std::string(net_annotation), "org.nexcage.pct.net");
}

TEST(PctWithAnnotations, NetNoneDisablesTheNetwork) {
  auto out = with_annotations(PctSettings{}, {{"org.nexcage.pct.net", "none"}});
  EXPECT_FALSE(out.network.enabled);
  EXPECT_EQ(out.network.bridge, "vmbr0");
}

TEST(PctWithAnnotations, NetSetsEachField) {
  auto out = with_annotations(
      PctSettings{}, {{"org.nexcage.pct.net",
                       "bridge=vmbr1,ip=10.0.0.2/24,gw=10.0.0.1,tag=5,mtu=1400,firewall=1"}});
  const auto& n = out.network;
  EXPECT_TRUE(n.enabled);
  EXPECT_EQ(n.bridge, "vmbr1");
  EXPECT_EQ(n.ip, "10.0.0.2/24");
  EXPECT_EQ(n.gw, "10.0.0.1");
  EXPECT_EQ(n.tag, std::optional<uint32_t>(5));
  EXPECT_EQ(n.mtu, std::optional<uint32_t>(1400));
  EXPECT_TRUE(n.firewall);
  EXPECT_EQ(n.ip6, "");
  EXPECT_EQ(n.gw6, "");
}

TEST(PctWithAnnotations, NetIpv6AndFirewallOff) {
  PctSettings in;
  in.network.firewall = true;
  in.network.enabled = false;
  auto out =
      with_annotations(in, {{"org.nexcage.pct.net", "ip6=fd00::2/64,gw6=fd00::1,firewall=0"}});
  EXPECT_TRUE(out.network.enabled);
  EXPECT_EQ(out.network.ip6, "fd00::2/64");
  EXPECT_EQ(out.network.gw6, "fd00::1");
  EXPECT_FALSE(out.network.firewall);
  // Fields not named keep the settings' values.
  EXPECT_EQ(out.network.bridge, "vmbr0");
  EXPECT_EQ(out.network.ip, "manual");
}

TEST(PctWithAnnotations, DiskSetsTheRootfsSize) {
  EXPECT_EQ(with_annotations(PctSettings{}, {{disk_annotation, "20"}}).rootfs_size_gib, 20u);
  EXPECT_EQ(with_annotations(PctSettings{}, {{disk_annotation, "0"}}).rootfs_size_gib, 0u);
  PctSettings configured;
  configured.rootfs_size_gib = 4;
  EXPECT_EQ(with_annotations(configured, {{disk_annotation, "16"}}).rootfs_size_gib, 16u);
  for (const char* bad : {"", "-1", "2G", "4294967296", " 8"}) {
    try {
      with_annotations(PctSettings{}, {{disk_annotation, bad}});
      ADD_FAILURE() << "accepted disk \"" << bad << "\"";
    } catch (const nexcage::Error& e) {
      EXPECT_NE(std::string(e.what()).find("annotation org.nexcage.pct.disk: "), std::string::npos)
          << e.what();
    }
  }
}

TEST(PctWithAnnotations, BothAnnotationsTogether) {
  auto out = with_annotations(
      PctSettings{}, {{"org.nexcage.pct.storage", "s2"}, {"org.nexcage.pct.net", "bridge=vmbr3"}});
  EXPECT_EQ(out.storage, "s2");
  EXPECT_EQ(out.network.bridge, "vmbr3");
}

TEST(PctWithAnnotations, BadNetItemsThrowNamingTheAnnotation) {
  auto not_kv = annotation_error({{"org.nexcage.pct.net", "bridge=vmbr1,oops"}});
  EXPECT_EQ(not_kv, "annotation org.nexcage.pct.net: \"oops\" is not key=value");
  auto unknown = annotation_error({{"org.nexcage.pct.net", "colour=blue"}});
  EXPECT_EQ(unknown, "annotation org.nexcage.pct.net: unknown or invalid \"colour=blue\"");
  auto firewall = annotation_error({{"org.nexcage.pct.net", "firewall=yes"}});
  EXPECT_EQ(firewall, "annotation org.nexcage.pct.net: unknown or invalid \"firewall=yes\"");
  auto tag = annotation_error({{"org.nexcage.pct.net", "tag=five"}});
  EXPECT_EQ(tag, "annotation org.nexcage.pct.net: tag must be a number, not \"five\"");
  auto mtu = annotation_error({{"org.nexcage.pct.net", "mtu="}});
  EXPECT_EQ(mtu, "annotation org.nexcage.pct.net: mtu must be a number, not \"\"");
  auto empty = annotation_error({{"org.nexcage.pct.net", ""}});
  EXPECT_EQ(empty, "annotation org.nexcage.pct.net: \"\" is not key=value");
  auto trailing = annotation_error({{"org.nexcage.pct.net", "bridge=vmbr1,"}});
  EXPECT_EQ(trailing, "annotation org.nexcage.pct.net: \"\" is not key=value");
}

TEST(PctDriverConfig, ReportsToolAndTranslationProblemsTogether) {
  auto message = invalid_input(json::parse(R"({"tar": "relative", "bogus": 1})"));
  EXPECT_TRUE(contains(message, "backends.pct.tar: must be an absolute path")) << message;
  EXPECT_TRUE(contains(message, "backends.pct.bogus")) << message;
}
