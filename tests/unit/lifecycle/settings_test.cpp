#include "nexcage/lifecycle/settings.hpp"

#include <map>

#include <gtest/gtest.h>

#include "nexcage/core/error.hpp"

using namespace nexcage;
using namespace nexcage::lifecycle;

namespace {

struct FakeEnv {
  std::map<std::string, std::string> vars;
  Environment get() const {
    return [this](const char* name) -> const char* {
      auto it = vars.find(name);
      return it == vars.end() ? nullptr : it->second.c_str();
    };
  }
};

router::Config config_with(const nlohmann::json& doc) {
  return router::parse_config(doc, "/etc/nexcage/config.json");
}

state::Caller root_caller() {
  return state::Caller{0, false, std::nullopt, std::string("root")};
}

}  // namespace

TEST(Settings, LogFileFlagBeatsEnvironmentBeatsConfigBeatsNone) {
  FakeEnv env;
  auto config = config_with({{"log", {{"file", "/var/log/nexcage.log"}}}});
  SettingFlags flags;
  auto log = resolve_log(flags, env.get(), nullptr, BadValue::fail);
  EXPECT_EQ(log.file.value, "");
  EXPECT_EQ(log.file.source, Source::built_in);

  log = resolve_log(flags, env.get(), &config, BadValue::fail);
  EXPECT_EQ(log.file.value, "/var/log/nexcage.log");
  EXPECT_EQ(log.file.source, Source::config_file);
  EXPECT_EQ(log.file.origin, "/etc/nexcage/config.json: log.file");

  env.vars["NEXCAGE_LOG"] = "/run/env.log";
  log = resolve_log(flags, env.get(), &config, BadValue::fail);
  EXPECT_EQ(log.file.value, "/run/env.log");
  EXPECT_EQ(log.file.source, Source::environment);

  flags.log = "/run/flag.log";
  log = resolve_log(flags, env.get(), &config, BadValue::fail);
  EXPECT_EQ(log.file.value, "/run/flag.log");
  EXPECT_EQ(log.file.source, Source::flag);
  EXPECT_EQ(log.file.origin, "--log");
}

TEST(Settings, TheDefaultLevelKeepsTheCallersLogAsRuncWritesIt) {
  FakeEnv env;
  SettingFlags flags;
  flags.log = "/run/containerd/x/log.json";
  auto log = resolve_log(flags, env.get(), nullptr, BadValue::fail);
  EXPECT_EQ(log.level.value, log::Level::warning) << "a --log file gets errors and warnings only";
  EXPECT_EQ(log.level.source, Source::built_in);

  flags.log.clear();
  env.vars["NEXCAGE_LOG"] = "/var/log/nexcage.log";
  log = resolve_log(flags, env.get(), nullptr, BadValue::fail);
  EXPECT_EQ(log.level.value, log::Level::info) << "the admin's own file gets a record per command";

  auto config = config_with({{"log", {{"level", "error"}, {"format", "json"}}}});
  log = resolve_log(flags, env.get(), &config, BadValue::fail);
  EXPECT_EQ(log.level.value, log::Level::error);
  EXPECT_EQ(log.format.value, log::Format::json);
  EXPECT_EQ(log.format.source, Source::config_file);

  env.vars["NEXCAGE_LOG_LEVEL"] = "debug";
  env.vars["NEXCAGE_LOG_FORMAT"] = "text";
  log = resolve_log(flags, env.get(), &config, BadValue::fail);
  EXPECT_EQ(log.level.value, log::Level::debug);
  EXPECT_EQ(log.format.value, log::Format::text);

  flags.log_level = "info";
  flags.log_format = "json";
  log = resolve_log(flags, env.get(), &config, BadValue::fail);
  EXPECT_EQ(log.level.value, log::Level::info);
  EXPECT_EQ(log.level.origin, "--log-level");
  EXPECT_EQ(log.format.value, log::Format::json);
  flags.debug = true;
  EXPECT_EQ(resolve_log(flags, env.get(), &config, BadValue::fail).level.origin, "--debug");
}

TEST(Settings, ABadEnvironmentValueFailsWarnsOrIsSkipped) {
  FakeEnv env;
  env.vars["NEXCAGE_LOG_LEVEL"] = "loud";
  SettingFlags flags;
  try {
    resolve_log(flags, env.get(), nullptr, BadValue::fail);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage);
    EXPECT_NE(std::string(e.what()).find("NEXCAGE_LOG_LEVEL=\"loud\""), std::string::npos);
  }
  auto log = resolve_log(flags, env.get(), nullptr, BadValue::warn);
  EXPECT_EQ(log.level.value, log::Level::warning);
  EXPECT_EQ(log.level.source, Source::built_in);

  env.vars = {{"NEXCAGE_LOG", "relative.log"}};
  EXPECT_THROW(resolve_log(flags, env.get(), nullptr, BadValue::fail), Error);
  EXPECT_EQ(resolve_log(flags, env.get(), nullptr, BadValue::skip).file.value, "");
  env.vars = {{"NEXCAGE_LOG_FORMAT", "xml"}};
  EXPECT_THROW(resolve_log(flags, env.get(), nullptr, BadValue::fail), Error);
  env.vars = {{"NEXCAGE_LOG", ""}};  // empty counts as unset
  EXPECT_EQ(resolve_log(flags, env.get(), nullptr, BadValue::fail).file.source, Source::built_in);
}

TEST(Settings, RootFlagBeatsEnvironmentBeatsConfigBeatsDefault) {
  FakeEnv env;
  SettingFlags flags;
  auto plain = router::default_config();
  auto root = resolve_root(flags, env.get(), plain, root_caller(), BadValue::fail);
  EXPECT_EQ(root.value, "/run/nexcage");
  EXPECT_EQ(root.source, Source::built_in);

  auto config = config_with({{"root", "/run/from-config"}});
  root = resolve_root(flags, env.get(), config, root_caller(), BadValue::fail);
  EXPECT_EQ(root.value, "/run/from-config");
  EXPECT_EQ(root.origin, "/etc/nexcage/config.json: root");

  env.vars["NEXCAGE_ROOT"] = "/run/from-env";
  root = resolve_root(flags, env.get(), config, root_caller(), BadValue::fail);
  EXPECT_EQ(root.value, "/run/from-env");
  EXPECT_EQ(root.source, Source::environment);

  flags.root = "/run/from-flag";
  root = resolve_root(flags, env.get(), config, root_caller(), BadValue::fail);
  EXPECT_EQ(root.value, "/run/from-flag");
  EXPECT_EQ(root.source, Source::flag);

  flags.root.clear();
  env.vars["NEXCAGE_ROOT"] = "relative";
  EXPECT_THROW(resolve_root(flags, env.get(), config, root_caller(), BadValue::fail), Error);
  EXPECT_EQ(resolve_root(flags, env.get(), config, root_caller(), BadValue::warn).value,
            "/run/from-config");
}

TEST(Settings, AnUnprivilegedCallerKeepsRuncsRuleUnlessTold) {
  FakeEnv env;
  SettingFlags flags;
  state::Caller user{1000, false, std::string("/run/user/1000"), std::string("alice")};
  auto config = config_with({{"root", "/run/from-config"}});
  auto root = resolve_root(flags, env.get(), config, user, BadValue::fail);
  EXPECT_EQ(root.value, "/run/user/1000/nexcage");
  EXPECT_EQ(root.origin, "$XDG_RUNTIME_DIR/nexcage");
  env.vars["NEXCAGE_ROOT"] = "/tmp/alice-root";
  EXPECT_EQ(resolve_root(flags, env.get(), config, user, BadValue::fail).value, "/tmp/alice-root");
}

TEST(Settings, DefaultBackendFromEnvironmentMustBeConfigured) {
  FakeEnv env;
  auto config = config_with({{"default_backend", "crun"}});
  auto backend = resolve_default_backend(env.get(), config, BadValue::fail);
  EXPECT_EQ(backend.value, std::optional<std::string>("crun"));
  EXPECT_EQ(backend.source, Source::config_file);
  env.vars["NEXCAGE_DEFAULT_BACKEND"] = "runc";
  backend = resolve_default_backend(env.get(), config, BadValue::fail);
  EXPECT_EQ(backend.value, std::optional<std::string>("runc"));
  EXPECT_EQ(backend.source, Source::environment);
  env.vars["NEXCAGE_DEFAULT_BACKEND"] = "docker";
  EXPECT_THROW(resolve_default_backend(env.get(), config, BadValue::fail), Error);
  EXPECT_EQ(resolve_default_backend(env.get(), config, BadValue::warn).value,
            std::optional<std::string>("crun"));
  EXPECT_FALSE(resolve_default_backend(FakeEnv{}.get(), router::default_config(), BadValue::fail)
                   .value.has_value());
}

TEST(Settings, ConfigFileFlagBeatsEnvironmentBeatsDefaultPath) {
  FakeEnv env;
  SettingFlags flags;
  EXPECT_EQ(config_file_setting(flags, env.get()).value, router::default_config_path);
  env.vars["NEXCAGE_CONFIG"] = "/etc/other.json";
  EXPECT_EQ(config_file_setting(flags, env.get()).source, Source::environment);
  flags.config = "/srv/flag.json";
  EXPECT_EQ(config_file_setting(flags, env.get()).value, "/srv/flag.json");
}

TEST(Settings, MetricsAreOnUnlessTheConfigTurnsThemOff) {
  EXPECT_TRUE(resolve_metrics(router::default_config()).value);
  auto off = config_with({{"metrics", {{"enabled", false}}}});
  EXPECT_FALSE(resolve_metrics(off).value);
  EXPECT_EQ(resolve_metrics(off).source, Source::config_file);
  EXPECT_THROW(config_with({{"metrics", {{"enabled", "no"}}}}), Error);
  EXPECT_THROW(config_with({{"metrics", {{"interval", 5}}}}), Error);
  EXPECT_THROW(config_with({{"log", {{"level", "loud"}}}}), Error);
  EXPECT_THROW(config_with({{"log", {{"file", "relative"}}}}), Error);
  EXPECT_THROW(config_with({{"log", {{"format", "xml"}}}}), Error);
}
