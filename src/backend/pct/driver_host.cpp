#include "nexcage/backend/pct/driver_host.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include "nexcage/fs/files.hpp"

namespace nexcage::backend::pct {

namespace fsys = std::filesystem;

bool DriverHost::is_same_live_process(int pid, uint64_t start_time) const {
  auto stat = proc_stat(pid);
  return stat && stat->alive() && stat->start_time == start_time;
}

namespace {

class SystemDriverHost final : public DriverHost {
 public:
  SystemDriverHost(const DriverConfig& config, process::Runner& runner)
      : templates_(config.files, config.tools, runner, config.host_dir) {}

  std::optional<process::ProcStat> proc_stat(int pid) const override {
    return process::read_proc_stat(pid);
  }

  bool runs(int pid, const fsys::path& binary, std::string_view comm) const override {
    auto dir = "/proc/" + std::to_string(pid);
    struct stat exe {
    }, file{};
    if (::stat((dir + "/exe").c_str(), &exe) < 0 || ::stat(binary.c_str(), &file) < 0) return false;
    if (exe.st_dev != file.st_dev || exe.st_ino != file.st_ino) return false;
    std::string text;
    if (!fs::read_proc_file(dir + "/comm", text, 64)) return false;
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text == comm;
  }

  int send_signal(int pid, int signal) const override {
    return ::kill(pid, signal) < 0 ? errno : 0;
  }

  bool is_root() const override { return ::geteuid() == 0; }

  const cgroup::Host& cgroups() const override {
    if (!cgroups_) cgroups_ = cgroup::Host::system();
    return *cgroups_;
  }

  TemplateUse acquire_template(const ContainerRef& user, const fsys::path& rootfs) override {
    // Packing progress only where someone watches it.
    return templates_.acquire(user, rootfs, ::isatty(2) == 1);
  }

  void release_template(const ContainerRef& user) override { templates_.release(user); }

 private:
  TemplateCache templates_;
  mutable std::optional<cgroup::Host> cgroups_;
};

}  // namespace

std::unique_ptr<DriverHost> system_driver_host(const DriverConfig& config,
                                               process::Runner& runner) {
  return std::make_unique<SystemDriverHost>(config, runner);
}

}  // namespace nexcage::backend::pct
