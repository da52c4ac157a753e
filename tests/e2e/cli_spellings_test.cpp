// runc's accepted spellings (Go flag package): --flag=X, -flag X, -flag, signal names in any case
// with or without SIG, numbers, and a boolean flag given twice.
#include <algorithm>
#include <thread>

#include "harness.hpp"

namespace e2e {

class CliSpellings : public BackendTest {
 protected:
  // A detached container whose init appends "TERM" to out/log (bind-mounted from the workspace)
  // for every SIGTERM it receives.
  std::string counting_container(const std::string& name) {
    auto out = ws.dir() / ("out-" + name);
    std::filesystem::create_directories(out);
    log_ = out / "log";
    auto b = ws.bundle(name,
                       {"sh", "-c",
                        "trap 'echo TERM >> /out/log' TERM; echo ready > /out/ready; "
                        "while :; do sleep 0.05; done"},
                       [&](auto& spec) {
                         spec["mounts"].push_back({{"destination", "/out"},
                                                   {"type", "bind"},
                                                   {"source", out.string()},
                                                   {"options", {"rbind", "rw"}}});
                       });
    auto c = id(name);
    auto r = run(b, c, {"-d"});
    EXPECT_EQ(r.code, 0) << r;
    EXPECT_TRUE(eventually([&] { return std::filesystem::exists(out / "ready"); }))
        << "the trap is not set up";
    return c;
  }
  int terms() const {
    auto text = read_file(log_);
    return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  }
  std::filesystem::path log_;
};

TEST_P(CliSpellings, RootSpellings) {
  auto b = ws.bundle("root", {"sleep", "300"});
  auto c = id("root");
  const auto root = ws.root().string(), config = ws.config().string();
  // --root=X and --config=X
  auto r = ws.raw({"--root=" + root, "--config=" + config, "--backend=" + backend(), "create",
                   "--bundle=" + b.string(), c});
  ASSERT_EQ(r.code, 0) << r;
  // -root X (one dash, separate value)
  r = ws.raw({"-root", root, "-config", config, "state", c});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(nlohmann::json::parse(r.out)["status"], "created");
  // -root=X
  r = ws.raw({"-root=" + root, "--config", config, "list", "-q"});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, c + "\n");
  // All of them address the same root.
  EXPECT_EQ(ws.ids(), std::vector<std::string>{c});
  // Go-style -force and -bundle on commands.
  r = ws.raw({"-root", root, "-config", config, "delete", "-force", c});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_TRUE(ws.ids().empty());
  r = ws.raw({"-root", root, "-config", config, "-backend", backend(), "run", "-bundle", b.string(),
              "-detach", c});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(ws.state(c)["status"], "running");
}

TEST_P(CliSpellings, SignalSpellings) {
  auto c = counting_container("sig");
  int expected = 0;
  for (const char* sig : {"sigterm", "TERM", "15", "SIGTERM", "term"}) {
    auto r = ws.nx({"kill", c, sig});
    ASSERT_EQ(r.code, 0) << sig << r;
    EXPECT_EQ(r.out, "");
    ++expected;
    EXPECT_TRUE(eventually([&] { return terms() == expected; }))
        << sig << ": " << terms() << " TERMs seen";
  }
  // No signal: SIGTERM.
  auto r = ws.nx({"kill", c});
  ASSERT_EQ(r.code, 0) << r;
  ++expected;
  EXPECT_TRUE(eventually([&] { return terms() == expected; })) << terms() << " TERMs seen";
  EXPECT_EQ(ws.state(c)["status"], "running");

  r = ws.nx({"kill", c, "NOTASIGNAL"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(contains(r.err, "NOTASIGNAL")) << r;
  EXPECT_EQ(ws.state(c)["status"], "running");
}

// The same flag twice is accepted (runc only refuses two different names of one flag, as in
// `-f --force`).
TEST_P(CliSpellings, BooleanFlagTwice) {
  auto b = ws.bundle("twice", {"sleep", "300"});
  auto c = id("twice");
  auto r = run(b, c, {"--detach", "-detach"});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(ws.state(c)["status"], "running");
  r = ws.nx({"kill", "--all", "--all", c, "KILL"});
  EXPECT_EQ(r.code, 0) << r;
  ASSERT_TRUE(ws.wait_for_status(c, "stopped"));
  r = ws.nx({"delete", "-force", "--force", c});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_TRUE(ws.ids().empty());
  ASSERT_EQ(run(b, c, {"-d", "-d"}).code, 0);
  r = ws.nx({"delete", "-f", "-f", c});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_TRUE(ws.ids().empty());
  // Global booleans too.
  r = ws.nx({"--debug", "--debug", "list", "-q", "-q"});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "");
}

INSTANTIATE_TEST_SUITE_P(Backends, CliSpellings, ::testing::Values("runc", "crun"));

}  // namespace e2e
