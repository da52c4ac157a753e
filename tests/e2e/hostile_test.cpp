// What a hostile bundle, a tampered or foreign state root, or an admin's broken config file can
// and cannot do (docs/security.md names each guarantee and this file's test for it).
#include <sys/stat.h>

#include <string>

#include "harness.hpp"

namespace e2e {

namespace fsys = std::filesystem;

namespace {

mode_t mode_of(const fsys::path& p) {
  struct stat st {};
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

}  // namespace

using Hostile = BackendTest;

// runc allows ids that start with "-"; nexcage passes them after "--", so the backend never
// reads one as an option (`create -- --help` used to run `runc create ... --help`).
TEST_P(Hostile, IdsThatLookLikeOptionsStayIds) {
  auto b = ws.bundle("dash", {"sleep", "300"});
  const std::string c = "--help";
  auto r = ws.nx({"--backend", backend(), "create", "--bundle", b.string(), "--", c});
  ASSERT_EQ(r.code, 0) << r;
  r = ws.nx({"state", "--", c});
  ASSERT_EQ(r.code, 0) << r;
  auto st = nlohmann::json::parse(r.out);
  EXPECT_EQ(st["id"], c);
  EXPECT_EQ(st["status"], "created");
  // The backend has it under that very name.
  auto listed = run_command(backend_path(backend()),
                            {"--root", ws.backend_root(backend()).string(), "list", "-q"});
  EXPECT_TRUE(contains(listed.out, "--help\n")) << listed;
  r = ws.nx({"kill", "--", c, "KILL"});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_TRUE(eventually([&] {
    auto s = ws.nx({"state", "--", c});
    return s.code == 0 && nlohmann::json::parse(s.out).value("status", "") == "stopped";
  }));
  r = ws.nx({"delete", "--", c});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(ws.nx({"list", "-q"}).out, "");
}

// An admin's typo in the config file must not stop kubelet or containerd from managing what
// exists: every command but create and run warns and goes on with the recorded backend.
TEST_P(Hostile, BrokenConfigFileLeavesExistingContainersManageable) {
  auto b = ws.bundle("cfg", {"sleep", "300"});
  auto c = id("cfg");
  ASSERT_EQ(create(b, c).code, 0);
  for (const char* broken : {"{\"default_backend\": \"kata\"}", "{not json", "[]"}) {
    write_file(ws.config(), broken);
    auto r = ws.nx({"state", c});
    EXPECT_EQ(r.code, 0) << broken << r;
    EXPECT_EQ(nlohmann::json::parse(r.out, nullptr, false).value("status", ""), "created") << r;
    EXPECT_TRUE(contains(r.err, ws.config().string())) << r;  // the warning names the file
    r = ws.nx({"list", "-q"});
    EXPECT_EQ(r.code, 0) << r;
    EXPECT_EQ(r.out, c + "\n") << r;
    // A create, which routes by the config, is refused and makes nothing.
    r = ws.nx({"create", "--bundle", b.string(), c + "-new"});
    EXPECT_EQ(r.code, 1) << r;
    EXPECT_TRUE(contains(r.err, ws.config().string())) << r;
  }
  auto r = ws.nx({"kill", c, "KILL"});
  EXPECT_EQ(r.code, 0) << r;
  r = ws.nx({"delete", "--force", c});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(ws.nx({"list", "-q"}).out, "");
}

// Routing rules run on RE2: a 100 KB annotation under a regex rule, and a pattern that makes a
// backtracking matcher hang, neither crash nor hang a create.
TEST_P(Hostile, RoutingRulesOnHugeAnnotations) {
  write_file(ws.config(),
             nlohmann::json{{"backends",
                             {{"runc", {{"path", backend_path("runc")}}},
                              {"crun", {{"path", backend_path("crun")}}}}},
                            {"rules",
                             {{{"backend", backend()}, {"annotation", "big"}, {"regex", "(a+)+$"}},
                              {{"backend", backend()}, {"annotation", "big"}, {"regex", "a.*b"}}}}}
                 .dump());
  auto b = ws.bundle("big", {"sleep", "300"}, [](auto& spec) {
    spec["annotations"]["big"] = std::string(100 * 1024, 'a') + "b";
  });
  auto c = id("big");
  auto r = ws.nx({"create", "--bundle", b.string(), c});
  ASSERT_EQ(r.code, 0) << r.err.substr(0, 500);
  EXPECT_EQ(ws.nx({"list", "--format", "json"}).code, 0);
  EXPECT_EQ(ws.state(c)["status"], "created");
}

// Control characters from config.json never reach the caller's terminal, and a value the kernel
// would take but that is nonsense is refused before anything is made.
TEST_P(Hostile, RefusedValuesAreQuotedPrintably) {
  auto b = ws.bundle("esc", {"true"}, [](auto& spec) {
    spec["hostname"] = std::string("x\x1b[2J\x1b]0;owned\x07y");
    spec["linux"]["resources"]["pids"]["limit"] = -2;
  });
  auto r = create(b, id("esc"));
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r;
  EXPECT_EQ(r.err.find('\x07'), std::string::npos) << r;
  EXPECT_TRUE(contains(r.err, "\\x1b[2J")) << r;
  EXPECT_TRUE(contains(r.err, "linux.resources.pids.limit")) << r;
  EXPECT_EQ(ws.nx({"list", "-q"}).out, "");
}

INSTANTIATE_TEST_SUITE_P(Backends, Hostile, ::testing::Values("runc", "crun"));

using HostileRoots = NoBackendTest;

// `--root D` on a directory nexcage did not make is refused and left exactly as it was: no
// chmod (`--root /tmp` used to turn /tmp into 0700), nothing written, nothing deleted.
TEST_F(HostileRoots, ForeignDirectoryIsRefusedUntouched) {
  auto shared = ws.dir() / "shared-tmp";
  fsys::create_directories(shared / ".removed-keep");
  fsys::create_directories(shared / ".claim-keep");
  write_file(shared / "users-file", "data");
  ASSERT_EQ(::chmod(shared.c_str(), 01777), 0);
  auto b = ws.bundle("foreign", {"true"});
  for (const std::vector<std::string>& cmd :
       std::vector<std::vector<std::string>>{{"list"},
                                             {"list", "-q"},
                                             {"state", "c1"},
                                             {"delete", "--force", "c1"},
                                             {"create", "--bundle", b.string(), "c1"}}) {
    std::vector<std::string> args{"--root", shared.string(), "--config", ws.config().string()};
    args.insert(args.end(), cmd.begin(), cmd.end());
    auto r = ws.raw(args);
    EXPECT_EQ(r.code, 1) << r;
    EXPECT_TRUE(contains(r.err, "is not nexcage's")) << r;
    EXPECT_EQ(r.out, "") << r;
  }
  EXPECT_EQ(mode_of(shared), 01777u);
  EXPECT_TRUE(fsys::exists(shared / ".removed-keep"));
  EXPECT_TRUE(fsys::exists(shared / ".claim-keep"));
  EXPECT_FALSE(fsys::exists(shared / ".nexcage-root"));
  EXPECT_FALSE(fsys::exists(shared / "c1"));
  EXPECT_EQ(read_file(shared / "users-file"), "data");
}

// A reading command never deletes: leftovers a crashed delete left in the root stay until a
// create meets them (and then only old ones whose lock is free).
TEST_F(HostileRoots, ReadingCommandsDeleteNothing) {
  auto b = ws.bundle("read", {"true"});
  ASSERT_EQ(ws.nx({"--backend", "runc", "create", "--bundle", b.string(), "r1"}).code, 0);
  auto leftover = ws.root() / ".tmp" / "removed-0000000000000001";
  fsys::create_directories(leftover / "inner");
  fsys::last_write_time(leftover, fsys::file_time_type::clock::now() - std::chrono::hours(1));
  for (const std::vector<std::string>& cmd : std::vector<std::vector<std::string>>{
           {"list"}, {"list", "-q"}, {"state", "r1"}, {"ps", "r1"}}) {
    ws.nx(cmd);
    EXPECT_TRUE(fsys::exists(leftover / "inner")) << cmd.front();
  }
  ASSERT_EQ(ws.nx({"--backend", "runc", "create", "--bundle", b.string(), "r2"}).code, 0);
  EXPECT_FALSE(fsys::exists(leftover));
  ws.nx({"delete", "--force", "r1"});
  ws.nx({"delete", "--force", "r2"});
}

// A command acts on the root it was given and no other: a container under another --root is
// neither found nor deleted by a command without that --root (the old root notes did both).
TEST_F(HostileRoots, AnotherRootsContainerIsNeverReached) {
  auto other = ws.dir() / "other-root";
  auto b = ws.bundle("other", {"sleep", "300"});
  auto in_other = [&](std::vector<std::string> cmd) {
    std::vector<std::string> args{"--root", other.string(), "--config", ws.config().string()};
    args.insert(args.end(), cmd.begin(), cmd.end());
    return ws.raw(args);
  };
  ASSERT_EQ(in_other({"--backend", "runc", "create", "--bundle", b.string(), "shared-id"}).code, 0);
  // The workspace's config names no root; point the default root at ws.root() through it.
  auto config = nlohmann::json::parse(read_file(ws.config()));
  config["root"] = ws.root().string();
  auto cfg = ws.dir() / "with-root.json";
  write_file(cfg, config.dump());
  auto r = ws.raw({"--config", cfg.string(), "delete", "--force", "shared-id"});
  EXPECT_EQ(r.code, 0) << r;  // runc's answer for an unknown id under --force
  r = ws.raw({"--config", cfg.string(), "state", "shared-id"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err, "container does not exist")) << r;
  auto st = in_other({"state", "shared-id"});
  ASSERT_EQ(st.code, 0) << st;
  EXPECT_EQ(nlohmann::json::parse(st.out)["status"], "created");
  EXPECT_FALSE(fsys::exists(ws.root() / ".roots"));
  EXPECT_EQ(in_other({"delete", "--force", "shared-id"}).code, 0);
}

}  // namespace e2e
