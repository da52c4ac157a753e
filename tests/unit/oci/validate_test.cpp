#include <unistd.h>

#include <cstdint>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "nexcage/core/error.hpp"
#include "nexcage/oci/bundle.hpp"
#include "nexcage/oci/spec_template.hpp"

using namespace nexcage::oci;
using nlohmann::json;

namespace {

// A valid config, edited per test with a JSON patch-like lambda.
json base() {
  return json::parse(R"({
    "ociVersion": "1.0.2",
    "root": {"path": "/"},
    "process": {"args": ["/bin/true"], "cwd": "/", "env": ["PATH=/bin"]},
    "hostname": "box",
    "linux": {"namespaces": [{"type": "pid"}, {"type": "uts"}, {"type": "mount"}]}
  })");
}

std::vector<Problem> problems_of(const json& doc) {
  std::vector<Problem> problems;
  auto spec = spec_from_json(doc, problems);
  if (!problems.empty()) return problems;
  return validate_spec(spec, "/");
}

// Exactly one problem, at `path`, with `message`.
void expect_one(const json& doc, const std::string& path, const std::string& message) {
  auto problems = problems_of(doc);
  ASSERT_EQ(problems.size(), 1u) << doc.dump();
  EXPECT_EQ(problems[0].path, path);
  EXPECT_EQ(problems[0].message, message);
}

}  // namespace

TEST(Validate, BaseConfigIsValid) {
  EXPECT_TRUE(problems_of(base()).empty());
}

TEST(Validate, DefaultSpecIsValidAndLooksLikeRuncSpec) {
  for (bool rootless : {false, true}) {
    json doc = default_spec(rootless, 1000, 1000);
    doc["root"]["path"] = "/";
    std::vector<Problem> problems;
    auto spec = spec_from_json(doc, problems);
    EXPECT_TRUE(problems.empty());
    EXPECT_TRUE(validate_spec(spec, "/").empty());
    EXPECT_EQ(spec.process->args, std::vector<std::string>{"sh"});
    EXPECT_TRUE(spec.process->terminal);
    EXPECT_EQ(spec.process->capabilities->bounding,
              (std::vector<std::string>{"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"}));
    EXPECT_EQ(spec.linux->masked_paths.size(), 10u);
    EXPECT_EQ(spec.linux->uid_mappings.size(), rootless ? 1u : 0u);
    if (rootless) EXPECT_EQ(spec.linux->uid_mappings[0].host_id, 1000u);
  }
}

TEST(Validate, OciVersion) {
  auto doc = base();
  doc.erase("ociVersion");
  expect_one(doc, "ociVersion", "is required, e.g. \"1.0.2\"");
  doc["ociVersion"] = "banana";
  expect_one(doc, "ociVersion", "must be a version such as \"1.0.2\", got \"banana\"");
  doc["ociVersion"] = "2.0.0";
  expect_one(doc, "ociVersion", "major version 2 is not supported (this runtime implements 1.x)");
  doc["ociVersion"] = "1.0.2-dev";
  EXPECT_TRUE(problems_of(doc).empty());
  for (const char* good : {"1.2.0", "1.10.20", "1.0.2-rc.1", "1.0.2+build.5", "1.0.2-rc-1+x.y"}) {
    doc["ociVersion"] = good;
    EXPECT_TRUE(problems_of(doc).empty()) << good;
  }
  for (const char* bad : {"1", "1.0", "1.0.", "1..2", ".1.0.2", "1.0.2-", "1.0.2+", "1.0.2-a_b",
                          "1.0.2 ", " 1.0.2", "1.0.2+x+y", "v1.0.2", "1.0.x"}) {
    doc["ociVersion"] = bad;
    expect_one(doc, "ociVersion",
               std::string("must be a version such as \"1.0.2\", got \"") + bad + "\"");
  }
}

TEST(Validate, RootPath) {
  auto doc = base();
  doc["root"]["path"] = "";
  expect_one(doc, "root.path", "is required: the container's root filesystem, e.g. \"rootfs\"");
  doc["root"]["path"] = "/nonexistent-rootfs";
  expect_one(doc, "root.path", "directory /nonexistent-rootfs does not exist");
}

TEST(Validate, ProcessArgsCwdEnv) {
  auto doc = base();
  doc["process"]["args"] = json::array();
  expect_one(doc, "process.args",
             "must name the program to run (an empty list cannot be executed)");
  doc = base();
  doc["process"]["cwd"] = "tmp";
  expect_one(doc, "process.cwd", "must be an absolute path, got \"tmp\"");
  doc = base();
  doc["process"]["env"] = {"PATH=/bin", "NOEQUALS"};
  expect_one(doc, "process.env[1]", "must be KEY=VALUE, got \"NOEQUALS\"");
  doc["process"]["env"] = {"=value"};
  expect_one(doc, "process.env[0]", "must be KEY=VALUE, got \"=value\"");
  doc = base();
  doc.erase("process");
  expect_one(doc, "process", "is required: the container's init process (args, cwd)");
}

TEST(Validate, WrongTypesAreProblemsNotCrashes) {
  auto doc = base();
  doc["process"]["user"] = {{"uid", -1}, {"gid", "0"}};
  doc["process"]["terminal"] = "yes";
  doc["mounts"] = {{{"destination", 5}}};
  auto problems = problems_of(doc);
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_EQ(problems[0].path, "process.terminal");
  EXPECT_EQ(problems[0].message, "must be true or false");
  EXPECT_EQ(problems[1].path, "process.user.uid");
  EXPECT_EQ(problems[1].message, "must be an unsigned 32-bit integer");
  EXPECT_EQ(problems[2].path, "process.user.gid");
  EXPECT_EQ(problems[3].path, "mounts[0].destination");
  EXPECT_EQ(problems[3].message, "must be a string");
  EXPECT_EQ(problems_of(json::array())[0].path, "(top level)");
  doc = base();
  doc["process"]["user"]["uid"] = 4294967296LL;
  expect_one(doc, "process.user.uid", "must be an unsigned 32-bit integer");
}

TEST(Validate, Hostname) {
  auto doc = base();
  doc["hostname"] = "-bad";
  expect_one(doc, "hostname", "\"-bad\" is not a valid RFC 1123 hostname");
  doc["hostname"] = std::string(64, 'a');
  expect_one(doc, "hostname", "\"" + std::string(64, 'a') + "\" is not a valid RFC 1123 hostname");
  doc["hostname"] = "a.b-c.d1";
  EXPECT_TRUE(problems_of(doc).empty());
  for (const std::string& good :
       std::vector<std::string>{"a", "0", "A-9", "x--y", std::string(63, 'a') + ".b", "1.2.3.4"}) {
    doc["hostname"] = good;
    EXPECT_TRUE(problems_of(doc).empty()) << good;
  }
  std::string long_name;
  for (int i = 0; i < 4; ++i) long_name += std::string(62, 'a') + ".";
  long_name += "ab";  // 254 characters, every label valid
  for (const std::string& bad :
       std::vector<std::string>{"a.", ".a", "a..b", "bad-", "a_b", "a b", long_name}) {
    doc["hostname"] = bad;
    expect_one(doc, "hostname", "\"" + bad + "\" is not a valid RFC 1123 hostname");
  }
  doc["hostname"] = "box";
  doc["linux"]["namespaces"] = {{{"type", "pid"}}};
  expect_one(doc, "hostname", "needs a uts namespace: add {\"type\": \"uts\"} to linux.namespaces");
  // A joined uts namespace is enough, as for runc and crun.
  doc["linux"]["namespaces"] = {{{"type", "pid"}}, {{"type", "uts"}, {"path", "/proc/1/ns/uts"}}};
  EXPECT_TRUE(problems_of(doc).empty());
}

TEST(Validate, Mounts) {
  auto doc = base();
  doc["mounts"] = {{{"destination", "proc"}, {"type", "proc"}}};
  expect_one(doc, "mounts[0].destination",
             "must be an absolute path, got \"proc\" (write \"/proc\")");
  doc["mounts"] = {{{"type", "proc"}}};
  expect_one(doc, "mounts[0].destination", "is required");
}

TEST(Validate, Namespaces) {
  auto doc = base();
  doc["linux"]["namespaces"].push_back({{"type", "bogus"}});
  expect_one(
      doc, "linux.namespaces[3].type",
      "unknown namespace type \"bogus\" (pid, network, mount, ipc, uts, user, cgroup, time)");
  doc = base();
  doc["linux"]["namespaces"].push_back({{"type", "pid"}});
  expect_one(doc, "linux.namespaces[3].type", "duplicate namespace \"pid\"");
  doc = base();
  doc["linux"]["namespaces"].push_back({{"type", "network"}, {"path", "netns"}});
  expect_one(doc, "linux.namespaces[3].path", "must be an absolute path");
  doc = base();
  doc["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 1000}, {"size", 1}}};
  expect_one(doc, "linux.uidMappings", "needs a user namespace in linux.namespaces");
}

TEST(Validate, CapabilitiesCheckedWithLibcap) {
  auto doc = base();
  doc["process"]["capabilities"] = {
      {"bounding", {"CAP_KILL", "CAP_SYS_ADMIN", "CAP_CHOWN", "CAP_FOO"}},
      {"ambient", {"cap_kill"}}};
  auto problems = problems_of(doc);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].path, "process.capabilities.bounding[3]");
  EXPECT_EQ(problems[0].message, "unknown capability \"CAP_FOO\"");
  EXPECT_EQ(problems[1].path, "process.capabilities.ambient[0]");
  EXPECT_EQ(problems[1].message, "unknown capability \"cap_kill\"");
}

TEST(Validate, Rlimits) {
  auto doc = base();
  doc["process"]["rlimits"] = {{{"type", "RLIMIT_NOFILE"}, {"hard", 10}, {"soft", 20}},
                               {{"type", "RLIMIT_BOGUS"}, {"hard", 1}, {"soft", 1}},
                               {{"type", "RLIMIT_NOFILE"}, {"hard", 1}, {"soft", 1}}};
  auto problems = problems_of(doc);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].path, "process.rlimits[0]");
  EXPECT_EQ(problems[0].message, "soft limit 20 is above the hard limit 10");
  EXPECT_EQ(problems[1].path, "process.rlimits[1].type");
  EXPECT_EQ(problems[2].message, "duplicate rlimit \"RLIMIT_NOFILE\"");
}

TEST(Validate, SeccompCheckedWithLibseccomp) {
  auto doc = base();
  doc["linux"]["seccomp"] = {
      {"defaultAction", "SCMP_ACT_ERRNO"},
      {"architectures", {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_PDP11"}},
      {"flags", {"SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_NOPE"}},
      {"syscalls",
       {{{"names", {"read", "write", "not_a_syscall_yet", "Bad-Name"}},
         {"action", "SCMP_ACT_ALLOW"}},
        {{"names", {"ptrace"}}, {"action", "SCMP_ACT_DANCE"}},
        {{"names", {"kill"}}, {"action", "SCMP_ACT_ALLOW"}, {"errnoRet", 1}},
        {{"names", {"personality"}},
         {"action", "SCMP_ACT_ALLOW"},
         {"args", {{{"index", 6}, {"value", 8}, {"op", "SCMP_CMP_WHATEVER"}}}}}}}};
  auto problems = problems_of(doc);
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& p : problems) got.emplace_back(p.path, p.message);
  std::vector<std::pair<std::string, std::string>> expected{
      {"linux.seccomp.architectures[2]", "unknown architecture \"SCMP_ARCH_PDP11\""},
      {"linux.seccomp.flags[1]", "unknown seccomp flag \"SECCOMP_FILTER_FLAG_NOPE\""},
      {"linux.seccomp.syscalls[0].names[3]", "invalid syscall name \"Bad-Name\""},
      {"linux.seccomp.syscalls[1].action", "unknown seccomp action \"SCMP_ACT_DANCE\""},
      {"linux.seccomp.syscalls[2].errnoRet", "is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE"},
      {"linux.seccomp.syscalls[3].args[0].index", "must be between 0 and 5"},
      {"linux.seccomp.syscalls[3].args[0].op", "unknown operator \"SCMP_CMP_WHATEVER\""},
  };
  EXPECT_EQ(got, expected);
  std::vector<Problem> ignored;
  auto spec = spec_from_json(doc, ignored);
  // Well-formed but unknown names are skipped (as runc does), and reported for the debug log.
  EXPECT_EQ(unknown_syscalls(spec), std::vector<std::string>{"not_a_syscall_yet"});
}

TEST(Validate, SeccompNotifyNeedsAListener) {
  auto doc = base();
  doc["linux"]["seccomp"] = {{"defaultAction", "SCMP_ACT_ALLOW"},
                             {"syscalls", {{{"names", {"mount"}}, {"action", "SCMP_ACT_NOTIFY"}}}}};
  expect_one(doc, "linux.seccomp.listenerPath", "is required with SCMP_ACT_NOTIFY");
}

TEST(Validate, Resources) {
  auto doc = base();
  doc["linux"]["resources"] = {{"memory", {{"limit", 100}, {"swap", 50}}},
                               {"cpu", {{"quota", 0}, {"cpus", "0-3,x"}}},
                               {"blockIO", {{"weight", 5}}}};
  auto problems = problems_of(doc);
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_EQ(problems[0].path, "linux.resources.memory.swap");
  EXPECT_EQ(problems[1].path, "linux.resources.cpu.quota");
  EXPECT_EQ(problems[2].path, "linux.resources.cpu.cpus");
  EXPECT_EQ(problems[3].path, "linux.resources.blockIO.weight");
}

// Values runc would hand to the kernel unchecked, but that can only be mistakes.
TEST(Validate, NonsenseResourceValues) {
  auto doc = base();
  const std::pair<json, const char*> cases[] = {
      {{{"memory", {{"limit", INT64_MIN}}}}, "linux.resources.memory.limit"},
      {{{"memory", {{"reservation", -2}}}}, "linux.resources.memory.reservation"},
      {{{"memory", {{"swap", -5}}}}, "linux.resources.memory.swap"},
      {{{"cpu", {{"period", 0}}}}, "linux.resources.cpu.period"},
      {{{"cpu", {{"quota", -2}}}}, "linux.resources.cpu.quota"},
      {{{"cpu", {{"realtimeRuntime", -7}}}}, "linux.resources.cpu.realtimeRuntime"},
      {{{"pids", {{"limit", -2}}}}, "linux.resources.pids.limit"},
  };
  for (const auto& [resources, path] : cases) {
    doc["linux"]["resources"] = resources;
    auto problems = problems_of(doc);
    ASSERT_EQ(problems.size(), 1u) << resources.dump();
    EXPECT_EQ(problems[0].path, path);
  }
  for (const json& fine :
       {json{{"memory", {{"limit", -1}, {"swap", -1}}}}, json{{"pids", {{"limit", -1}}}},
        json{{"pids", {{"limit", 0}}}}, json{{"cpu", {{"quota", -1}, {"period", 100000}}}}}) {
    doc["linux"]["resources"] = fine;
    EXPECT_TRUE(problems_of(doc).empty()) << fine.dump();
  }
}

TEST(Validate, LongValuesAreQuotedShort) {
  auto doc = base();
  doc["linux"]["resources"] = {{"cpu", {{"cpus", std::string(200 * 1024, '9') + "x"}}}};
  auto problems = problems_of(doc);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_LT(problems[0].message.size(), 200u) << problems[0].message.substr(0, 300);
}

TEST(Validate, CpuList) {
  auto doc = base();
  for (const char* good : {"0", "0-3", "0,2", "0-1,4-7,9", "12"}) {
    doc["linux"]["resources"] = {{"cpu", {{"cpus", good}}}};
    EXPECT_TRUE(problems_of(doc).empty()) << good;
  }
  for (const char* bad : {",", "0,", ",0", "0-", "-1", "0--1", "0-1-2", "a", "0 ,1", "1,,2"}) {
    doc["linux"]["resources"] = {{"cpu", {{"cpus", bad}}}};
    auto problems = problems_of(doc);
    ASSERT_EQ(problems.size(), 1u) << bad;
    EXPECT_EQ(problems[0].path, "linux.resources.cpu.cpus") << bad;
  }
}

TEST(Validate, ProcessFileForExec) {
  std::vector<Problem> problems;
  auto process =
      process_from_json(json::parse(R"({"args":[],"cwd":"x","env":["A"]})"), "", problems);
  ASSERT_TRUE(problems.empty());
  auto found = validate_process(process, "");
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].path, "args");
  EXPECT_EQ(found[1].path, "cwd");
  EXPECT_EQ(found[2].path, "env[0]");
}

TEST(Describe, ListsEveryProblem) {
  EXPECT_EQ(describe_problems("/b/config.json", {{"a", "x"}, {"b.c[1]", "y"}}),
            "invalid /b/config.json: 2 problems\n  a: x\n  b.c[1]: y");
  EXPECT_EQ(describe_problems("f", {{"a", "x"}}), "invalid f: 1 problem\n  a: x");
}
