#include "nexcage/router/router.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "nexcage/core/error.hpp"

using namespace nexcage::router;

namespace {
auto all_available = [](const BackendConfig&) { return true; };
auto only = [](std::string name) {
  return [name](const BackendConfig& b) { return b.name == name; };
};

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const nexcage::Error& e) {
    return e.what();
  }
  return "";
}

Config config_of(const char* text) {
  return parse_config(nlohmann::json::parse(text), "/etc/nexcage/config.json");
}
}  // namespace

TEST(Router, FirstAvailableWhenNothingElseDecides) {
  auto c = default_config();
  EXPECT_EQ(route(c, {"c1", {}, {}}, all_available).backend, "runc");
  EXPECT_EQ(route(c, {"c1", {}, {}}, only("crun")).backend, "crun");
  EXPECT_EQ(error_of([&] {
              route(c, {"c1", {}, {}}, only("none"));
            }),
            "no backend available on this host");
}

TEST(Router, FlagBeatsEverything) {
  auto c = config_of(R"({"default_backend":"runc","rules":[{"backend":"runc","glob":"*"}]})");
  auto r = route(c, {"c1", {}, std::string("crun")}, all_available);
  EXPECT_EQ(r.backend, "crun");
  EXPECT_EQ(r.reason, "--backend");
}

TEST(Router, AnnotationBeatsRulesAndDefault) {
  auto c = config_of(R"({"default_backend":"runc","rules":[{"backend":"runc","glob":"*"}]})");
  EXPECT_EQ(route(c, {"c1", {{"org.nexcage.backend", "crun"}}, {}}, all_available).backend, "crun");
}

TEST(Router, FlagAndAnnotationMustAgree) {
  auto c = default_config();
  EXPECT_EQ(
      error_of([&] {
        route(c, {"c1", {{"org.nexcage.backend", "crun"}}, std::string("runc")}, all_available);
      }),
      "--backend runc conflicts with annotation org.nexcage.backend (crun)");
  EXPECT_EQ(route(c, {"c1", {{"org.nexcage.backend", "crun"}}, std::string("crun")}, all_available)
                .backend,
            "crun");
}

TEST(Router, FirstMatchingRuleWins) {
  auto c = config_of(R"({"default_backend":"runc","rules":[
      {"backend":"crun","glob":"web-*"},
      {"backend":"runc","regex":"web-[0-9]+"},
      {"backend":"crun","annotation":"tier","regex":"fast|faster"}]})");
  EXPECT_EQ(route(c, {"web-1", {}, {}}, all_available).backend, "crun");
  EXPECT_EQ(route(c, {"web-1", {}, {}}, all_available).reason,
            "rules[0] of /etc/nexcage/config.json");
  EXPECT_EQ(route(c, {"db", {{"tier", "fast"}}, {}}, all_available).backend, "crun");
  // Anchored: "fastest" does not match "fast|faster".
  EXPECT_EQ(route(c, {"db", {{"tier", "fastest"}}, {}}, all_available).backend, "runc");
  EXPECT_EQ(route(c, {"db", {}, {}}, all_available).reason,
            "default_backend of /etc/nexcage/config.json");
}

TEST(Router, RegexIsAnchored) {
  auto c = config_of(R"({"rules":[{"backend":"crun","regex":"db[0-9]+"}]})");
  EXPECT_EQ(route(c, {"db12", {}, {}}, all_available).backend, "crun");
  EXPECT_EQ(route(c, {"xdb12", {}, {}}, all_available).backend, "runc");
  EXPECT_EQ(route(c, {"db12x", {}, {}}, all_available).backend, "runc");
}

TEST(Router, PctIsUsedOnlyWhenAskedFor) {
  auto c = default_config();
  EXPECT_EQ(error_of([&] {
              route(c, {"c1", {}, {}}, only("pct"));
            }),
            "no backend available on this host");
  EXPECT_EQ(route(c, {"c1", {}, std::string("pct")}, only("pct")).backend, "pct");
}

TEST(Router, UnknownOrUnavailableBackendIsAnError) {
  auto c = default_config();
  EXPECT_EQ(error_of([&] {
              route(c, {"c1", {}, std::string("nosuch")}, all_available);
            }),
            "unknown backend \"nosuch\" (from --backend)");
  EXPECT_EQ(error_of([&] {
              route(c, {"c1", {{"org.nexcage.backend", "docker"}}, {}}, all_available);
            }),
            "unknown backend \"docker\" (from annotation org.nexcage.backend)");
  EXPECT_EQ(error_of([&] {
              route(c, {"c1", {}, std::string("crun")}, only("runc"));
            }),
            "backend \"crun\" (from --backend) is not available: /usr/bin/crun is not an "
            "executable file");
}

// Without a config file the hint names the file to create, never "built-in defaults"; pct is not
// something to apt-get install off Proxmox.
TEST(Router, AnUnavailableBackendsHintNamesAFileAndAFix) {
  auto c = default_config();
  auto hint_of = [&](const std::string& backend, nexcage::router::RouteRequest request) {
    try {
      route(c, request, only("nothing"));
    } catch (const nexcage::Error& e) {
      return e.hint();
    }
    return std::string("no error for ") + backend;
  };
  auto crun = hint_of("crun", {"c1", {}, std::string("crun")});
  EXPECT_EQ(crun, std::string("install it (apt-get install crun) or set backends.crun.path in ") +
                      nexcage::router::default_config_path + " (man nexcage-config.json)");
  auto pct = hint_of("pct", {"c1",
                             {{"org.nexcage.backend", "pct"}},
                             {},
                             "create --image, which makes Proxmox containers"});
  EXPECT_EQ(pct.rfind("pct comes with Proxmox VE (package pve-container): on another host use "
                      "--backend runc or crun",
                      0),
            0u)
      << pct;
  EXPECT_EQ(pct.find("built-in defaults"), std::string::npos) << pct;
}

TEST(Config, DefaultsAreDebianPaths) {
  auto c = default_config();
  EXPECT_EQ(c.backends.at("runc").path, "/usr/sbin/runc");
  EXPECT_EQ(c.backends.at("crun").path, "/usr/bin/crun");
  EXPECT_FALSE(c.default_backend);
}

TEST(Config, OverridesPathsAndKeepsTheOtherDefaults) {
  auto c = config_of(R"({"backends":{"crun":{"path":"/opt/crun"}},"root":"/run/nx"})");
  EXPECT_EQ(c.backends.at("crun").path, "/opt/crun");
  EXPECT_EQ(c.backends.at("runc").path, "/usr/sbin/runc");
  EXPECT_EQ(*c.root, "/run/nx");
}

TEST(Config, RejectsBadDocumentsNamingTheKey) {
  const std::pair<const char*, const char*> cases[] = {
      {R"([])", "/etc/nexcage/config.json: (top level): must be a JSON object"},
      {R"({"backend":"runc"})", "/etc/nexcage/config.json: backend: unknown key"},
      {R"({"backends":{"docker":{}}})",
       "/etc/nexcage/config.json: backends.docker: unknown backend (known: runc, crun, pct)"},
      {R"({"backends":{"runc":{"path":"runc"}}})",
       "/etc/nexcage/config.json: backends.runc.path: must be an absolute path"},
      {R"({"backends":{"runc":{"path":""}}})",
       "/etc/nexcage/config.json: backends.runc.path: must be a non-empty string"},
      {R"({"default_backend":"kata"})",
       "/etc/nexcage/config.json: default_backend: names unconfigured backend \"kata\""},
      {R"({"rules":{}})", "/etc/nexcage/config.json: rules: must be an array"},
      {R"({"rules":[{"glob":"*"}]})", "/etc/nexcage/config.json: rules[0].backend: is required"},
      {R"({"rules":[{"backend":"runc"}]})",
       "/etc/nexcage/config.json: rules[0]: needs exactly one of \"glob\" or \"regex\""},
      {R"({"rules":[{"backend":"runc","glob":"a","regex":"b"}]})",
       "/etc/nexcage/config.json: rules[0]: needs exactly one of \"glob\" or \"regex\""},
      {R"({"rules":[{"backend":"runc","regex":"("}]})", nullptr},
      {R"({"rules":[{"backend":"runc","glob":"*","id":"x"}]})",
       "/etc/nexcage/config.json: rules[0].id: unknown key"},
      {R"({"root":"/"})",
       "/etc/nexcage/config.json: root: must be an absolute directory other than /"},
      {R"({"root":5})", "/etc/nexcage/config.json: root: must be a non-empty string"},
      {R"({"default_backend":""})",
       "/etc/nexcage/config.json: default_backend: must be a non-empty string"},
      {R"({"images":[]})", "/etc/nexcage/config.json: images: must be an object"},
      {R"({"images":{"store":"images"}})",
       "/etc/nexcage/config.json: images.store: must be an absolute path other than /"},
      {R"({"images":{"store":"/var/lib/a:b"}})",
       "/etc/nexcage/config.json: images.store: must not contain ':' (skopeo and umoci read "
       "DIR:TAG)"},
      {R"({"images":{"skopeo":"skopeo"}})",
       "/etc/nexcage/config.json: images.skopeo: must be an absolute path other than /"},
      {R"({"images":{"insecure_registries":"a:5000"}})",
       "/etc/nexcage/config.json: images.insecure_registries: must be an array of host[:port]"},
      {R"({"images":{"insecure_registries":["ok:5000","http://bad"]}})",
       "/etc/nexcage/config.json: images.insecure_registries[1]: must be a registry as "
       "host[:port], e.g. \"registry.lan:5000\""},
      {R"({"images":{"insecure_registries":["a:99999x"]}})",
       "/etc/nexcage/config.json: images.insecure_registries[0]: must be a registry as "
       "host[:port], e.g. \"registry.lan:5000\""},
      // The image reference grammar: no empty label, no port beyond five digits.
      {R"({"images":{"insecure_registries":["a..b:5000"]}})",
       "/etc/nexcage/config.json: images.insecure_registries[0]: must be a registry as "
       "host[:port], e.g. \"registry.lan:5000\""},
      {R"({"images":{"insecure_registries":["a:123456"]}})",
       "/etc/nexcage/config.json: images.insecure_registries[0]: must be a registry as "
       "host[:port], e.g. \"registry.lan:5000\""},
      {R"({"images":{"mirror":"x"}})", "/etc/nexcage/config.json: images.mirror: unknown key"},
  };
  for (const auto& [text, message] : cases) {
    auto got = error_of([&] { config_of(text); });
    if (message == nullptr) {
      EXPECT_NE(got.find("rules[0].regex: invalid pattern"), std::string::npos) << got;
    } else {
      EXPECT_EQ(got, message) << text;
    }
  }
}

TEST(Config, ImagesDefaultsAndOverrides) {
  auto d = default_config();
  EXPECT_EQ(d.images.store, "/var/lib/nexcage/images");
  EXPECT_EQ(d.images.skopeo, "/usr/bin/skopeo");
  EXPECT_TRUE(d.images.insecure_registries.empty());
  EXPECT_EQ(d.images.certs_dir, "");
  auto c = config_of(R"({"images":{"store":"/srv/images","skopeo":"/opt/skopeo",
      "insecure_registries":["127.0.0.1:5000","registry.lan","[::1]:5000"],
      "certs_dir":"/etc/nexcage/certs.d"}})");
  EXPECT_EQ(c.images.store, "/srv/images");
  EXPECT_EQ(c.images.skopeo, "/opt/skopeo");
  EXPECT_EQ(c.images.insecure_registries,
            (std::vector<std::string>{"127.0.0.1:5000", "registry.lan", "[::1]:5000"}));
  EXPECT_EQ(c.images.certs_dir, "/etc/nexcage/certs.d");
}

TEST(Config, ExplicitFileMustBeAbsoluteAndExist) {
  EXPECT_EQ(error_of([] { load_config(std::string("config.json"), nullptr); }),
            "config file \"config.json\" must be an absolute path");
  EXPECT_NE(error_of([] {
              load_config(std::string("/nonexistent/nexcage.json"), nullptr);
            }).find("reading config file /nonexistent/nexcage.json"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              load_config(std::nullopt, "/nonexistent/env.json");
            }).find("/nonexistent/env.json"),
            std::string::npos);
}

TEST(Config, ShippedConfigIsValidAndMatchesTheDefaults) {
  auto shipped = load_config(std::string(NEXCAGE_SOURCE_DIR "/packaging/config.json"), nullptr);
  auto defaults = default_config();
  ASSERT_EQ(shipped.backends.size(), defaults.backends.size());
  for (const auto& [name, backend] : defaults.backends)
    EXPECT_EQ(shipped.backends.at(name).path, backend.path);
  EXPECT_TRUE(shipped.rules.empty());
  EXPECT_FALSE(shipped.default_backend);
}

// Commands on existing containers read the config leniently: an admin's typo must not stop
// kubelet or containerd from killing and deleting what exists.
TEST(Config, LenientParseSkipsOnlyTheBrokenUnits) {
  std::vector<std::string> skipped;
  auto c = parse_config_leniently(nlohmann::json::parse(R"({
      "backends": {"crun": {"path": "crun"}, "runc": {"path": "/opt/runc"}, "docker": {}},
      "default_backend": "kata",
      "rules": [{"backend": "runc", "regex": "("}, {"backend": "runc", "glob": "db-*"}],
      "root": "/srv/nexcage",
      "rooot": "/typo"})"),
                                  "/etc/nexcage/config.json", skipped);
  EXPECT_EQ(c.backends.at("runc").path, "/opt/runc");
  EXPECT_EQ(c.backends.at("crun").path, "/usr/bin/crun");  // its broken entry skipped
  EXPECT_FALSE(c.default_backend);
  ASSERT_EQ(c.rules.size(), 1u);
  EXPECT_EQ(c.rules[0].index, 1u);
  EXPECT_EQ(*c.root, "/srv/nexcage");
  ASSERT_EQ(skipped.size(), 5u);
  EXPECT_EQ(skipped[0], "/etc/nexcage/config.json: rooot: unknown key");
  EXPECT_EQ(skipped[1], "/etc/nexcage/config.json: backends.crun.path: must be an absolute path");
  EXPECT_EQ(skipped[2],
            "/etc/nexcage/config.json: backends.docker: unknown backend (known: runc, crun, pct)");
  EXPECT_EQ(skipped[3],
            "/etc/nexcage/config.json: default_backend: names unconfigured backend \"kata\"");
  EXPECT_NE(skipped[4].find("rules[0].regex: invalid pattern"), std::string::npos) << skipped[4];

  skipped.clear();
  auto defaults =
      parse_config_leniently(nlohmann::json::parse("[1]"), "/etc/nexcage/config.json", skipped);
  EXPECT_EQ(defaults.backends.size(), default_config().backends.size());
  EXPECT_EQ(
      skipped,
      (std::vector<std::string>{"/etc/nexcage/config.json: (top level): must be a JSON object"}));
}

TEST(Config, LenientLoadOfAnUnparsableFileFallsBackToDefaults) {
  auto file = std::filesystem::temp_directory_path() /
              ("nexcage-config-" + std::to_string(::getpid()) + ".json");
  { std::ofstream(file) << "{\"root\": \"/srv/x\",,}"; }
  EXPECT_THROW(load_config(file.string(), nullptr), nexcage::Error);
  auto c = load_config(file.string(), nullptr, Strictness::lenient);
  EXPECT_FALSE(c.root);
  EXPECT_EQ(c.backends.at("runc").path, "/usr/sbin/runc");
  std::filesystem::remove(file);
}

TEST(Router, RuleOnAHugeAnnotationNeitherCrashesNorHangs) {
  auto c = config_of(R"({"rules":[{"backend":"crun","annotation":"a","regex":"(x+)+$"},
                                  {"backend":"runc","annotation":"a","glob":"*x*x*x*x*x*y"}]})");
  RouteRequest req;
  req.id = "c1";
  req.annotations["a"] = std::string(100 * 1024, 'x');
  EXPECT_EQ(route(c, req, all_available).backend, "crun");
  req.annotations["a"] += "z";
  EXPECT_EQ(route(c, req, only("runc")).reason, "first available");
}
