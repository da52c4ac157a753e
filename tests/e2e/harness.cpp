#include "harness.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "nexcage/oci/spec_template.hpp"
#include "nexcage/process/runner.hpp"

namespace e2e {

namespace fsys = std::filesystem;

namespace {

fsys::path make_temp_dir(const std::string& prefix) {
  std::string tmpl = "/tmp/" + prefix + "-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr)
    throw std::runtime_error("mkdtemp " + tmpl + ": " + std::strerror(errno));
  return tmpl;
}

// Starts `binary` with argv `argv` and stdin, stdout, stderr opened on the given paths; every
// other fd is closed in the child. Returns the pid, or -errno when it could not be started.
pid_t start(const std::string& binary, const std::vector<std::string>& argv, const char* in,
            const char* out, const char* err, const std::vector<std::string>& extra_env = {}) {
  std::vector<std::string> words = argv;
  std::vector<char*> cargv;
  for (auto& w : words) cargv.push_back(w.data());
  cargv.push_back(nullptr);
  std::vector<std::string> env{"PATH=/usr/sbin:/usr/bin:/sbin:/bin"};
  env.insert(env.end(), extra_env.begin(), extra_env.end());
  std::vector<char*> cenv;
  for (auto& e : env) cenv.push_back(e.data());
  cenv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in, O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  // A default signal mask and dispositions, whatever the test process has.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, binary.c_str(), &actions, &attr, cargv.data(), cenv.data());
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -rc;
}

// Exit code of a wait status: 128+signal when killed, as shells and runc report it.
int code_of(int status) {
  return nexcage::process::Exit{status}.code();
}

}  // namespace

std::ostream& operator<<(std::ostream& os, const Result& r) {
  os << "\n$ " << nexcage::process::describe(r.argv) << "\nexit: " << r.code
     << (r.timed_out ? " (timed out, killed)" : "") << "\nstdout: " << r.out
     << "\nstderr: " << r.err;
  return os;
}

int wait_child(int pid, std::chrono::milliseconds timeout) {
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd >= 0) {
    pollfd p{pidfd, POLLIN, 0};
    auto deadline = std::chrono::steady_clock::now() + timeout;
    int ready = 0;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      ready = ::poll(&p, 1, static_cast<int>(std::max<long long>(left.count(), 0)));
      if (ready >= 0 || errno != EINTR) break;
    }
    ::close(pidfd);
    if (ready == 0) {
      ::kill(pid, SIGKILL);
      while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
      }
      return -1;
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return code_of(status);
}

// stdio goes through temporary files, not pipes: a container nexcage starts inherits them and may
// outlive the command, and a pipe would then never reach EOF.
Result run_command(const std::string& binary, const std::vector<std::string>& args,
                   const std::optional<std::string>& input, std::chrono::milliseconds timeout,
                   const std::vector<std::string>& extra_env) {
  Result result;
  result.argv.push_back(fsys::path(binary).filename().string());
  result.argv.insert(result.argv.end(), args.begin(), args.end());
  auto dir = make_temp_dir("nexcage-e2e-io");
  auto in = dir / "in", out = dir / "out", err = dir / "err";
  write_file(in, input.value_or(""));
  pid_t pid = start(binary, result.argv, in.c_str(), out.c_str(), err.c_str(), extra_env);
  if (pid < 0) {
    result.code = 127;
    result.err = "cannot start " + binary + ": " + std::strerror(-pid);
  } else {
    result.code = wait_child(pid, timeout);
    result.timed_out = result.code == -1;
    result.out = read_file(out);
    result.err = read_file(err);
  }
  std::error_code ec;
  fsys::remove_all(dir, ec);
  return result;
}

const std::string& nexcage_binary() {
  static const std::string binary = [] {
    const char* env = std::getenv("NEXCAGE_E2E_BINARY");
    return std::string(env != nullptr && *env != '\0' ? env : NEXCAGE_BINARY);
  }();
  return binary;
}

bool is_root() {
  return ::geteuid() == 0;
}

std::string backend_path(const std::string& backend) {
  return backend == "runc" ? "/usr/sbin/runc" : "/usr/bin/crun";
}

std::string skip_reason(const std::string& backend) {
  if (!is_root()) return "end-to-end tests need root";
  if (::access(nexcage_binary().c_str(), X_OK) != 0) return nexcage_binary() + " is not built";
  if (::access("/bin/busybox", X_OK) != 0)
    return "/bin/busybox is missing (apt-get install busybox-static)";
  if (!backend.empty() && ::access(backend_path(backend).c_str(), X_OK) != 0)
    return backend_path(backend) + " is not installed (apt-get install " + backend + ")";
  return "";
}

std::string read_file(const fsys::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const fsys::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) throw std::runtime_error("writing " + file.string());
}

bool process_exists(int pid) {
  // A zombie still has /proc/PID; /proc/PID/exe becomes unreadable once it has exited.
  std::error_code ec;
  return pid > 0 && fsys::exists("/proc/" + std::to_string(pid) + "/exe", ec);
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
}

const fsys::path& busybox_rootfs() {
  static fsys::path rootfs;
  static std::once_flag once;
  std::call_once(once, [] {
    rootfs = make_temp_dir("nexcage-e2e-rootfs");
    // mkdtemp makes it 0700; processes running as other users must traverse it.
    fsys::permissions(rootfs, fsys::perms::owner_all | fsys::perms::group_read |
                                  fsys::perms::group_exec | fsys::perms::others_read |
                                  fsys::perms::others_exec);
    for (const char* d :
         {"bin", "sbin", "etc", "proc", "sys", "dev", "tmp", "root", "usr/bin", "usr/sbin", "out"})
      fsys::create_directories(rootfs / d);
    fsys::copy_file("/bin/busybox", rootfs / "bin/busybox");
    // One symlink per applet, where busybox would install it.
    auto list = run_command("/bin/busybox", {"--list-full"});
    if (list.code != 0) throw std::runtime_error("busybox --list-full failed: " + list.err);
    std::istringstream lines(list.out);
    std::string applet;
    while (std::getline(lines, applet)) {
      if (applet.empty() || applet == "bin/busybox") continue;
      fsys::create_directories((rootfs / applet).parent_path());
      std::error_code ec;
      fsys::create_symlink("/bin/busybox", rootfs / applet, ec);
    }
    write_file(
        rootfs / "etc/passwd",
        "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
    write_file(rootfs / "etc/group", "root:x:0:\nnogroup:x:65534:\n");
    fsys::permissions(rootfs / "tmp", fsys::perms::all | fsys::perms::sticky_bit);
    std::atexit([] {
      std::error_code ec;
      fsys::remove_all(rootfs, ec);
    });
  });
  return rootfs;
}

Workspace::Workspace() {
  dir_ = make_temp_dir("nexcage-e2e");
  root_ = dir_ / "root";
  config_ = dir_ / "nexcage.json";
  write_file(config_, nlohmann::json{{"backends",
                                      {{"runc", {{"path", backend_path("runc")}}},
                                       {"crun", {{"path", backend_path("crun")}}}}},
                                     {"default_backend", "runc"}}
                          .dump());
}

Workspace::~Workspace() {
  std::error_code ec;
  if (fsys::exists(root_, ec)) {
    for (const auto& id : ids()) nx({"delete", "--force", id});
    // Whatever nexcage could not delete: straight through the backends, from their roots in ours.
    for (const std::string backend : {"runc", "crun"}) {
      auto backend_root = root_ / ".backends" / backend;
      if (!fsys::is_directory(backend_root, ec) ||
          ::access(backend_path(backend).c_str(), X_OK) != 0)
        continue;
      auto left =
          run_command(backend_path(backend), {"--root", backend_root.string(), "list", "-q"});
      std::istringstream lines(left.out);
      std::string id;
      while (std::getline(lines, id))
        if (!id.empty())
          run_command(backend_path(backend),
                      {"--root", backend_root.string(), "delete", "--force", id});
    }
  }
  fsys::remove_all(dir_, ec);
}

std::vector<std::string> Workspace::nx_args(const std::vector<std::string>& args) const {
  std::vector<std::string> full{"--root", root_.string(), "--config", config_.string()};
  full.insert(full.end(), args.begin(), args.end());
  return full;
}

Result Workspace::nx(const std::vector<std::string>& args, const std::optional<std::string>& input,
                     std::chrono::milliseconds timeout) const {
  return nx_env({}, args, input, timeout);
}

Result Workspace::nx_env(const std::vector<std::string>& env, const std::vector<std::string>& args,
                         const std::optional<std::string>& input,
                         std::chrono::milliseconds timeout) const {
  auto r = run_command(nexcage_binary(), nx_args(args), input, timeout, env);
  if (r.timed_out)
    ADD_FAILURE() << "nexcage did not finish within " << timeout.count() << " ms" << r;
  return r;
}

Result Workspace::raw(const std::vector<std::string>& args,
                      const std::optional<std::string>& input) const {
  auto r = run_command(nexcage_binary(), args, input);
  if (r.timed_out) ADD_FAILURE() << "nexcage did not finish" << r;
  return r;
}

fsys::path Workspace::bundle(const std::string& name, const std::vector<std::string>& args,
                             const std::function<void(nlohmann::json&)>& edit) const {
  auto dir = dir_ / ("bundle-" + name);
  fsys::create_directories(dir);
  nlohmann::json spec = nexcage::oci::default_spec(false, 0, 0);
  spec["process"]["terminal"] = false;
  spec["process"]["args"] = args;
  spec["root"]["path"] = busybox_rootfs().string();
  spec["hostname"] = "e2e";
  if (edit) edit(spec);
  write_file(dir / "config.json", spec.dump(2));
  return dir;
}

nlohmann::json Workspace::state(const std::string& id) const {
  auto r = nx({"state", id});
  if (r.code != 0) return nullptr;
  return nlohmann::json::parse(r.out, nullptr, false);
}

bool Workspace::wait_for_status(const std::string& id, const std::string& status,
                                std::chrono::milliseconds timeout) const {
  return eventually(
      [&] {
        auto s = state(id);
        return status == "gone" ? s.is_null() : (s.is_object() && s.value("status", "") == status);
      },
      timeout);
}

std::vector<std::string> Workspace::ids() const {
  std::vector<std::string> out;
  std::istringstream lines(nx({"list", "-q"}).out);
  std::string id;
  while (std::getline(lines, id))
    if (!id.empty()) out.push_back(id);
  return out;
}

int spawn_nexcage_with_files(const std::vector<std::string>& args, const fsys::path& in,
                             const fsys::path& out, const fsys::path& err) {
  std::vector<std::string> argv{"nexcage"};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_t pid = start(nexcage_binary(), argv, in.c_str(), out.c_str(), err.c_str());
  if (pid < 0)
    throw std::runtime_error("cannot start " + nexcage_binary() + ": " + std::strerror(-pid));
  return pid;
}

int spawn_program(const std::string& binary, const std::vector<std::string>& argv,
                  const fsys::path& in, const fsys::path& out, const fsys::path& err) {
  pid_t pid = start(binary, argv, in.c_str(), out.c_str(), err.c_str());
  if (pid < 0) throw std::runtime_error("cannot start " + binary + ": " + std::strerror(-pid));
  return pid;
}

int spawn_nexcage(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"nexcage"};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_t pid = start(nexcage_binary(), argv, "/dev/null", "/dev/null", "/dev/null");
  if (pid < 0)
    throw std::runtime_error("cannot start " + nexcage_binary() + ": " + std::strerror(-pid));
  return pid;
}

std::string BackendTest::id(const std::string& base) const {
  return base + "-" + GetParam() + "-" + std::to_string(::getpid());
}

Result BackendTest::create(const fsys::path& bundle, const std::string& id,
                           const std::vector<std::string>& extra) const {
  std::vector<std::string> args{"--backend", backend(), "create", "--bundle", bundle.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(id);
  return ws.nx(args);
}

Result BackendTest::run(const fsys::path& bundle, const std::string& id,
                        const std::vector<std::string>& extra,
                        const std::optional<std::string>& input) const {
  std::vector<std::string> args{"--backend", backend(), "run", "--bundle", bundle.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(id);
  return ws.nx(args, input);
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

namespace {

int connect_loopback(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return fd;
  ::close(fd);
  return -1;
}

}  // namespace

bool accepts(int port) {
  int fd = connect_loopback(port);
  if (fd >= 0) ::close(fd);
  return fd >= 0;
}

std::string http_get(int port, const std::string& path) {
  int fd = connect_loopback(port);
  if (fd < 0) return "";
  std::string request = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
  if (::write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
    ::close(fd);
    return "";
  }
  std::string response;
  char buf[65536];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;)
    response.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  auto body = response.find("\r\n\r\n");
  return body == std::string::npos ? "" : response.substr(body + 4);
}

}  // namespace e2e
