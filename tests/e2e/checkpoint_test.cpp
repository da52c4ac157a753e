// checkpoint and restore through nexcage: runc's and crun's own words where CRIU or the backend
// cannot do it, and a real round trip where `criu check` passes on the host.
#include <unistd.h>

#include "harness.hpp"

namespace e2e {

namespace {

// Why a real checkpoint cannot run here, or "" when it can.
std::string criu_unavailable(const std::string& backend) {
  if (::access("/usr/sbin/criu", X_OK) != 0) return "criu is not installed";
  auto check = run_command("/usr/sbin/criu", {"check"});
  if (check.code != 0) return "criu check fails on this kernel: " + check.err.substr(0, 300);
  if (backend == "crun") {
    auto help = run_command(backend_path("crun"), {"checkpoint", "--help"});
    if (help.code != 0) return "this crun is built without CRIU: " + help.err;
  }
  return {};
}

const char* counter = "i=0; while true; do i=$((i+1)); echo $i > /out/count; sleep 0.1; done";

}  // namespace

using Checkpoint = BackendTest;

// A checkpoint the backend refuses leaves the container as it was, and the caller reads the
// backend's own words once.
TEST_P(Checkpoint, ARefusedCheckpointLeavesTheContainerAsItWas) {
  auto b = ws.bundle("ckcreated", {"sleep", "300"});
  auto c = id("ckcreated");
  ASSERT_EQ(create(b, c).code, 0);
  auto r = ws.nx({"checkpoint", "--image-path", (ws.dir() / "img").string(), c});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_FALSE(r.err.empty()) << r;
  EXPECT_FALSE(contains(r.err, "nexcage:")) << "the backend's words, not nexcage's copy: " << r;
  if (backend() == "runc")
    EXPECT_TRUE(contains(r.err, "cannot be checkpointed in created state")) << r;
  EXPECT_EQ(ws.state(c)["status"], "created");
}

// A restore that fails leaves no record behind.
TEST_P(Checkpoint, AFailedRestoreLeavesNothing) {
  auto b = ws.bundle("rsmissing", {"sleep", "300"});
  auto c = id("rsmissing");
  auto r = ws.nx({"--backend", backend(), "restore", "-d", "--image-path",
                  (ws.dir() / "no-such-image").string(), "--bundle", b.string(), c});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_FALSE(r.err.empty()) << r;
  EXPECT_EQ(ws.nx({"list", "-q"}).out, "");
}

TEST_P(Checkpoint, RestoreContinuesWhereTheCheckpointStopped) {
  if (auto why = criu_unavailable(backend()); !why.empty()) GTEST_SKIP() << why;
  auto out = ws.dir() / "out";
  std::filesystem::create_directories(out);
  auto b = ws.bundle("counter", {"sh", "-c", counter}, [&](auto& spec) {
    spec["mounts"].push_back({{"destination", "/out"},
                              {"type", "bind"},
                              {"source", out.string()},
                              {"options", {"rbind", "rw"}}});
  });
  auto c = id("counter");
  ASSERT_EQ(run(b, c, {"-d"}).code, 0);
  ASSERT_TRUE(eventually([&] { return std::filesystem::exists(out / "count"); }));
  auto image = ws.dir() / "image";
  auto r = ws.nx({"checkpoint", "--image-path", image.string(), c});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(ws.state(c), nullptr) << "the checkpointed container is gone, as in runc";
  auto at_checkpoint = std::stoi(read_file(out / "count"));

  r = ws.nx({"--backend", backend(), "restore", "-d", "--image-path", image.string(), "--bundle",
             b.string(), c});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(ws.state(c)["status"], "running");
  EXPECT_TRUE(eventually([&] { return std::stoi(read_file(out / "count")) > at_checkpoint + 2; }))
      << "the counter did not go on from " << at_checkpoint;
  EXPECT_EQ(ws.nx({"delete", "-f", c}).code, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, Checkpoint, ::testing::Values("runc", "crun"));

}  // namespace e2e
