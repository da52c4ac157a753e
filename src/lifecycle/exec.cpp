#include <random>

#include <fmt/format.h>

#include "internal.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/oci/bundle.hpp"

namespace nexcage::lifecycle {

namespace {

// runc exits 255 when exec itself fails (as opposed to the process exiting non-zero).
constexpr int exec_failure_code = 255;

void check_process_file(const std::string& file) {
  auto doc = oci::read_json_file(file, file);
  std::vector<oci::Problem> problems;
  auto process = oci::process_from_json(doc, "", problems);
  if (problems.empty()) problems = oci::validate_process(process, "");
  if (!problems.empty())
    throw Error(ErrorKind::invalid_input, oci::describe_problems(file, problems));
}

int exec_checked(Context& ctx, const ExecRequest& request) {
  backend::ExecCall call = request.call;
  if (!request.process_file.empty()) {
    auto file = fs::absolute_path(request.process_file);
    check_process_file(file.string());
    call.process_file = file;
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
  if (!call.detach) {
    // Foreground: the backend replaces this process and writes the pid file itself.
    if (!request.pid_file.empty()) call.pid_file = fs::absolute_path(request.pid_file);
    driver->exec(container.record(), call);
  }
  int pid = driver->exec(container.record(), call);
  detail::write_pid_file(request.pid_file, pid);
  return 0;
}

}  // namespace

int exec(Context& ctx, const ExecRequest& request) {
  try {
    return exec_checked(ctx, request);
  } catch (const Error& e) {
    throw e.with_exit_code(exec_failure_code);
  }
}

}  // namespace nexcage::lifecycle
