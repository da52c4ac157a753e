#include "harness.hpp"

#include <fcntl.h>
#include <cerrno>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "nexcage/oci/spec_template.hpp"
#include "nexcage/process/runner.hpp"

extern char** environ;

namespace e2e {

namespace fsys = std::filesystem;

namespace {

std::vector<std::string> test_environment() {
  return {"PATH=/usr/sbin:/usr/bin:/sbin:/bin"};
}

// Starts the nexcage binary with stdin, stdout and stderr opened on the given paths.
pid_t start_nexcage(const std::vector<std::string>& args, const char* in, const char* out, const char* err) {
  std::vector<std::string> argv{"nexcage"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  auto env = test_environment();
  std::vector<char*> cenv;
  for (auto& e : env) cenv.push_back(e.data());
  cenv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in, O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, NEXCAGE_BINARY, &actions, nullptr, cargv.data(), cenv.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("posix_spawn nexcage failed");
  return pid;
}

// stdio goes through temporary files, not pipes: a container nexcage creates inherits them and
// may outlive the command, and a pipe would then never reach EOF.
Result run_binary(const std::vector<std::string>& args, const std::optional<std::string>& input) {
  char dir_tmpl[] = "/tmp/nexcage-e2e-io-XXXXXX";
  if (mkdtemp(dir_tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
  fsys::path dir = dir_tmpl;
  auto in = dir / "in", out = dir / "out", err = dir / "err";
  std::ofstream(in) << input.value_or("");
  pid_t pid = start_nexcage(args, in.c_str(), out.c_str(), err.c_str());
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  Result result{nexcage::process::Exit{status}.code(), read_file(out), read_file(err)};
  fsys::remove_all(dir);
  return result;
}

}  // namespace

bool is_root() { return geteuid() == 0; }

std::string backend_path(const std::string& backend) {
  return backend == "runc" ? "/usr/sbin/runc" : "/usr/bin/crun";
}

std::string read_file(const fsys::path& file) {
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const fsys::path& busybox_rootfs() {
  static fsys::path rootfs;
  static std::once_flag once;
  std::call_once(once, [] {
    char tmpl[] = "/tmp/nexcage-e2e-rootfs-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
    rootfs = tmpl;
    // mkdtemp makes it 0700; processes running as other users must traverse it.
    fsys::permissions(rootfs, fsys::perms::owner_all | fsys::perms::group_read | fsys::perms::group_exec |
                                  fsys::perms::others_read | fsys::perms::others_exec);
    for (const char* d : {"bin", "sbin", "etc", "proc", "sys", "dev", "tmp", "root", "usr/bin", "usr/sbin"})
      fsys::create_directories(rootfs / d);
    fsys::copy_file("/bin/busybox", rootfs / "bin/busybox");
    nexcage::process::Command list;
    list.path = "/bin/busybox";
    list.argv = {"busybox", "--list-full"};
    auto applets = nexcage::process::system_runner().capture(list).out;
    std::istringstream lines(applets);
    std::string applet;
    while (std::getline(lines, applet)) {
      if (applet.empty() || applet == "bin/busybox") continue;
      fsys::create_directories((rootfs / applet).parent_path());
      std::error_code ec;
      fsys::create_symlink("/bin/busybox", rootfs / applet, ec);
    }
    std::ofstream(rootfs / "etc/passwd") << "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";
    std::ofstream(rootfs / "etc/group") << "root:x:0:\nnogroup:x:65534:\n";
    fsys::permissions(rootfs / "tmp", fsys::perms::all | fsys::perms::sticky_bit);
    // Removed when the test process exits.
    std::atexit([] { fsys::remove_all(rootfs); });
  });
  return rootfs;
}

Workspace::Workspace() {
  char tmpl[] = "/tmp/nexcage-e2e-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  root_ = dir_ / "root";
  config_ = dir_ / "nexcage.json";
  std::ofstream(config_) << R"({"backends":{"runc":{"path":"/usr/sbin/runc"},"crun":{"path":"/usr/bin/crun"}},)"
                         << R"("default_backend":"runc"})";
}

Workspace::~Workspace() {
  auto ids = nx({"list", "-q"});
  std::istringstream lines(ids.out);
  std::string id;
  while (std::getline(lines, id))
    if (!id.empty()) nx({"delete", "--force", id});
  std::error_code ec;
  fsys::remove_all(dir_, ec);
}

Result Workspace::nx(const std::vector<std::string>& args, const std::optional<std::string>& input) const {
  std::vector<std::string> full{"--root", root_.string(), "--config", config_.string()};
  full.insert(full.end(), args.begin(), args.end());
  return run_binary(full, input);
}

Result Workspace::raw(const std::vector<std::string>& args, const std::optional<std::string>& input) const {
  return run_binary(args, input);
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
  std::ofstream(dir / "config.json", std::ios::trunc) << spec.dump(2);
  return dir;
}

nlohmann::json Workspace::state(const std::string& id) const {
  auto r = nx({"state", id});
  if (r.code != 0) return nullptr;
  return nlohmann::json::parse(r.out, nullptr, false);
}

bool Workspace::wait_for_status(const std::string& id, const std::string& status,
                                std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto s = state(id);
    if (status == "gone" ? s.is_null() : (s.is_object() && s["status"] == status)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

int spawn_nexcage(const std::vector<std::string>& args) {
  return start_nexcage(args, "/dev/null", "/dev/null", "/dev/null");
}

std::string BackendTest::id(const std::string& base) const {
  return base + "-" + GetParam() + "-" + std::to_string(getpid());
}

}  // namespace e2e
