// systemd's socket activation through nexcage: the sockets and LISTEN_* reach the container as
// they do when systemd-socket-activate starts runc or crun itself.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <thread>

#include "harness.hpp"

namespace e2e {

namespace {

constexpr const char* activate = "/usr/bin/systemd-socket-activate";

// Connects once to the unix socket at `path` as soon as it exists; systemd-socket-activate starts
// its command on the first connection.
bool poke(const std::filesystem::path& path) {
  return eventually([&] {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
    bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
  });
}

// What the container printed when `command...` was started by socket activation on `socket`.
Result activated(const std::filesystem::path& socket, const std::vector<std::string>& command) {
  std::vector<std::string> args{"-l", socket.string()};
  args.insert(args.end(), command.begin(), command.end());
  Result result;
  std::thread starter([&] { result = run_command(activate, args); });
  bool poked = poke(socket);
  starter.join();
  if (!poked) result.err += "\n(the socket never accepted a connection)";
  return result;
}

}  // namespace

using SocketActivation = BackendTest;

TEST_P(SocketActivation, TheContainerGetsTheSocketsAsFromTheBackendAlone) {
  if (::access(activate, X_OK) != 0) GTEST_SKIP() << activate << " is missing (package systemd)";
  // The container writes what it got into a bind-mounted directory, so a detached run is read
  // after it ended.
  auto out = ws.dir() / "out";
  std::filesystem::create_directories(out);
  auto b = ws.bundle(
      "activated",
      {"sh", "-c", "echo FDS=$LISTEN_FDS PID=$LISTEN_PID $(readlink /proc/self/fd/3) >/out/$ID"},
      [&](auto& spec) {
        spec["mounts"].push_back({{"destination", "/out"},
                                  {"type", "bind"},
                                  {"source", out.string()},
                                  {"options", {"rbind", "rw"}}});
      });
  auto name_run = [&](const std::string& c) {
    // The id reaches the container through its environment: one bundle serves every run.
    auto spec = nlohmann::json::parse(read_file(b / "config.json"));
    spec["process"]["env"] = {"PATH=/bin:/sbin", "ID=" + c};
    write_file(b / "config.json", spec.dump());
  };

  auto c = id("alone");
  name_run(c);
  auto r = activated(ws.dir() / "alone.sock",
                     {backend_path(backend()), "--root", (ws.dir() / "alone-root").string(), "run",
                      "--bundle", b.string(), c});
  ASSERT_EQ(r.code, 0) << r;
  auto expected = read_file(out / c);
  ASSERT_TRUE(contains(expected, "socket:[")) << expected;
  expected = expected.substr(0, expected.find("socket:["));

  for (bool detached : {false, true}) {
    c = id(detached ? "actd" : "actf");
    name_run(c);
    std::vector<std::string> command{nexcage_binary()};
    auto rest = ws.nx_args({"--backend", backend(), "run", "--bundle", b.string()});
    command.insert(command.end(), rest.begin(), rest.end());
    if (detached) command.push_back("-d");
    command.push_back(c);
    r = activated(ws.dir() / (c + ".sock"), command);
    ASSERT_EQ(r.code, 0) << r;
    if (detached) {
      ASSERT_TRUE(ws.wait_for_status(c, "stopped")) << r;
      ws.nx({"delete", c});
    }
    auto seen = read_file(out / c);
    EXPECT_EQ(seen.substr(0, seen.find("socket:[")), expected)
        << (detached ? "run -d: " : "run: ") << seen;
    EXPECT_TRUE(contains(seen, "socket:[")) << (detached ? "run -d: " : "run: ") << seen;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, SocketActivation, ::testing::Values("runc", "crun"));

}  // namespace e2e
