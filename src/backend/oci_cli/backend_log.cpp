#include "nexcage/backend/oci_cli/backend_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <optional>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/core/random_name.hpp"
#include "nexcage/core/unique_fd.hpp"
#include "nexcage/fs/files.hpp"

namespace nexcage::backend::oci_cli {

namespace {
constexpr std::size_t max_backend_log_bytes = 4 * 1024 * 1024;
}

BackendLog::BackendLog(const std::filesystem::path& dir) {
  path_ = (dir / random_name(".backend-", ".log")).string();
  UniqueFd created(::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!created) throw system_error("creating backend log " + path_, errno);
}

BackendLog::~BackendLog() {
  ::unlink(path_.c_str());
}

BackendLog::Relayed BackendLog::relay(bool failed) const {
  std::string content;
  try {
    content = fs::read_regular_file(path_, max_backend_log_bytes);
  } catch (const Error& e) {
    log::debug(std::string("reading backend log: ") + e.what());
    return {};
  }
  std::vector<log::BackendLine> lines;
  std::istringstream in(content);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(log::parse_backend_line(line));
  // The failure is the last error line; it goes to the caller's stderr as nexcage's own error.
  std::optional<std::size_t> last;
  std::string message;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto msg = lines[i].error_message();
    if (msg.empty()) continue;
    last = i;
    message = msg;
  }
  Relayed out;
  out.last_error = message;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    bool is_failure = failed && last == i;
    bool logged = log::relay(lines[i], !is_failure);
    if (last == i) out.last_error_logged = logged;
  }
  return out;
}

}  // namespace nexcage::backend::oci_cli
