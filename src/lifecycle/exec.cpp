#include <chrono>

#include "internal.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/fs/json_file.hpp"
#include "nexcage/oci/bundle.hpp"

namespace nexcage::lifecycle {

namespace {

nlohmann::json checked_process_file(const std::string& file) {
  auto doc = fs::read_json_file(file, file);
  std::vector<oci::Problem> problems;
  auto process = oci::process_from_json(doc, "", problems);
  if (problems.empty()) problems = oci::validate_process(process, "");
  if (!problems.empty())
    throw Error(ErrorKind::invalid_input, oci::describe_problems(file, problems));
  return doc;
}

constexpr const char* copy_prefix = ".process-";

// A foreground exec is replaced by the backend, so its ScratchFile is never removed: copies
// older than a minute (the backend reads its --process as it starts) are swept by the next
// exec; delete removes the directory.
void sweep_old_copies(const std::filesystem::path& dir) {
  std::error_code ec;
  auto now = std::filesystem::file_time_type::clock::now();
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().filename().string().rfind(copy_prefix, 0) != 0) continue;
    auto modified = entry.last_write_time(ec);
    if (!ec && now - modified > std::chrono::minutes(1)) std::filesystem::remove(entry.path(), ec);
  }
}

backend::ExecCall call_of(const ExecRequest& r) {
  backend::ExecCall call;
  call.args = r.args;
  call.cwd = r.cwd;
  call.env = r.env;
  call.user = r.user;
  call.additional_gids = r.additional_gids;
  call.caps = r.caps;
  call.tty = r.tty;
  call.no_new_privs = r.no_new_privs;
  call.apparmor = r.apparmor;
  call.process_label = r.process_label;
  call.cgroups = r.cgroups;
  call.ignore_paused = r.ignore_paused;
  call.console_socket = r.console_socket;
  call.preserve_fds = r.preserve_fds;
  call.detach = r.detach;
  return call;
}

}  // namespace

int exec(Context& ctx, const ExecRequest& request) {
  auto call = call_of(request);
  std::optional<nlohmann::json> piped_process;
  if (!request.process_file.empty()) {
    auto file = fs::absolute_path(request.process_file);
    auto doc = checked_process_file(file.string());
    if (fs::is_regular_file(file, fs::Links::follow))
      call.process_file = file;
    else
      piped_process = std::move(doc);
  } else if (call.args.empty()) {
    throw Error(ErrorKind::usage, "exec needs a command or --process FILE",
                "nexcage exec [flags] <id> <command> [args...]");
  }
  if (!call.console_socket.empty())
    call.console_socket = fs::absolute_path(call.console_socket).string();
  auto container = detail::open_or_adopt(ctx, request.id, fs::FileLock::Mode::shared);
  auto driver = ctx.backend_of(container.record());
  auto view = observe(ctx, container.record(), *driver);
  if (view.status == state::Status::stopped || view.status == state::Status::creating)
    throw Error(ErrorKind::wrong_state, "cannot exec in a stopped container");
  if (view.status == state::Status::paused && !call.ignore_paused)
    throw Error(ErrorKind::wrong_state, "cannot exec in a paused container",
                "resume it first, or pass --ignore-paused");
  call.work_dir = container.dir();
  // A pipe (bash's <(...), /dev/fd/N) reads once, and nexcage has read it.
  std::optional<detail::ScratchFile> copy;
  if (piped_process) {
    sweep_old_copies(container.dir());
    copy.emplace(container.dir(), copy_prefix, piped_process->dump());
    call.process_file = copy->path();
  }
  if (!call.detach) {
    // Foreground: the backend replaces this process and writes the pid file itself.
    if (!request.pid_file.empty()) call.pid_file = fs::absolute_path(request.pid_file);
    driver->exec_foreground(container.record(), call);
  }
  int pid = driver->exec_detached(container.record(), call);
  detail::write_pid_file(request.pid_file, pid);
  return 0;
}

}  // namespace nexcage::lifecycle
