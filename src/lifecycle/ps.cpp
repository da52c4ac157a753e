#include <algorithm>
#include <sstream>

#include "internal.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/search_path.hpp"
#include "nexcage/process/environment.hpp"

extern char** environ;

namespace nexcage::lifecycle {

namespace {

constexpr const char* ps_binary = tool_paths::ps;

// `ps` output filtered to the container's pids, header kept, like `runc ps`.
std::string ps_table(Context& ctx, const std::vector<int>& pids,
                     const std::vector<std::string>& args) {
  process::Command cmd;
  cmd.path = ps_binary;
  cmd.argv = {"ps"};
  if (args.empty()) cmd.argv.emplace_back("-ef");
  cmd.argv.insert(cmd.argv.end(), args.begin(), args.end());
  cmd.env = process::caller_environment(environ);
  auto result = ctx.runner().capture(cmd);
  if (result.exit.code() != 0)
    throw Error(ErrorKind::system, "ps " + process::describe(args) + " failed: " + result.err);
  std::istringstream lines(result.out);
  std::string header;
  std::getline(lines, header);
  std::istringstream columns(header);
  std::string column;
  int pid_index = -1;
  for (int i = 0; columns >> column; ++i) {
    if (column == "PID") pid_index = i;
  }
  if (pid_index < 0)
    throw Error(ErrorKind::usage, "ps output has no PID column", "include pid in the ps format");
  std::string out = header + "\n";
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string field;
    for (int i = 0; i <= pid_index && fields >> field; ++i) {
    }
    int pid = 0;
    try {
      pid = std::stoi(field);
    } catch (const std::exception&) {
      continue;
    }
    if (std::find(pids.begin(), pids.end(), pid) != pids.end()) out += line + "\n";
  }
  return out;
}

}  // namespace

std::string ps(Context& ctx, const std::string& id, const std::string& format,
               const std::vector<std::string>& ps_args) {
  detail::check_table_or_json(format);
  auto container = detail::open_or_adopt(ctx, id, fs::FileLock::Mode::shared);
  auto driver = ctx.backend_of(container.record());
  auto view = observe(ctx, container.record(), *driver);
  if (view.status == state::Status::creating) throw Error(ErrorKind::wrong_state, msg::not_running);
  if (format == "json" && !ps_args.empty())
    throw Error(ErrorKind::usage, "ps arguments cannot be used with --format json");
  // A stopped container has no processes; runc 1.1 then prints the bare table (or null) and
  // exits 0, and callers that poll ps rely on it.
  std::vector<int> pids;
  if (view.status != state::Status::stopped) pids = driver->processes(container.record());
  if (format == "json") return pids.empty() ? "null\n" : nlohmann::json(pids).dump() + "\n";
  return ps_table(ctx, pids, ps_args);
}

}  // namespace nexcage::lifecycle
