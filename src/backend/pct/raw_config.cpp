#include "nexcage/backend/pct/raw_config.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "nexcage/core/error.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/fs/lock.hpp"

namespace nexcage::backend::pct {

namespace {

constexpr auto lock_timeout = std::chrono::seconds(10);

fs::FileLock lock_config(const std::filesystem::path& lock_file) {
  auto deadline = std::chrono::steady_clock::now() + lock_timeout;
  for (;;) {
    auto lock = fs::FileLock::try_acquire(lock_file, fs::FileLock::Mode::exclusive);
    if (lock.held()) return lock;
    if (std::chrono::steady_clock::now() > deadline)
      throw Error(ErrorKind::backend, "can't lock file '" + lock_file.string() + "' - got timeout",
                  "another Proxmox task holds the container's config; retry when it is done");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace

std::string with_raw_lines(const std::string& config_text, const std::vector<RawLine>& lines) {
  std::string added;
  for (const auto& line : lines) {
    if (line.key.find('\n') != std::string::npos || line.value.find('\n') != std::string::npos)
      throw Error(ErrorKind::invalid_input,
                  "detected invalid newline inside property '" + line.key + "'");
    added += line.text() + "\n";
  }
  // The main section ends at the first "[...]" line (pending changes, snapshots).
  std::size_t section = std::string::npos;
  for (std::size_t pos = 0; pos < config_text.size();) {
    if (config_text[pos] == '[') {
      section = pos;
      break;
    }
    auto nl = config_text.find('\n', pos);
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  std::string main = config_text.substr(0, section);
  std::string rest = section == std::string::npos ? std::string() : config_text.substr(section);
  while (!main.empty() && main.back() == '\n') main.pop_back();
  if (!main.empty()) main += "\n";
  return main + added + (rest.empty() ? "" : "\n" + rest);
}

std::string with_gate_closed(const std::string& config_text, const Gate& gate) {
  if (gate.entrypoint.find('\n') != std::string::npos)
    throw Error(ErrorKind::invalid_input, "detected invalid newline inside property 'entrypoint'");
  std::vector<bool> removed(gate.lines.size(), false);
  bool entrypoint_set = false, in_main = true;
  std::string out;
  std::size_t pos = 0;
  while (pos < config_text.size()) {
    auto nl = config_text.find('\n', pos);
    auto end = nl == std::string::npos ? config_text.size() : nl;
    std::string line = config_text.substr(pos, end - pos);
    pos = nl == std::string::npos ? config_text.size() : nl + 1;
    if (!line.empty() && line[0] == '[') in_main = false;
    if (in_main && line.rfind("entrypoint:", 0) == 0 && !entrypoint_set) {
      out += "entrypoint: " + gate.entrypoint + "\n";
      entrypoint_set = true;
      continue;
    }
    bool drop = false;
    for (std::size_t i = 0; in_main && i < gate.lines.size(); ++i)
      if (!removed[i] && line == gate.lines[i].text()) drop = removed[i] = true;
    if (!drop) out += line + "\n";
  }
  bool all_removed = std::all_of(removed.begin(), removed.end(), [](bool r) { return r; });
  if (!entrypoint_set || !all_removed)
    throw Error(ErrorKind::backend,
                "the container's config no longer holds the entrypoint and raw lines nexcage wrote "
                "at create",
                "someone changed it while the container was being created; delete the container "
                "and create it again");
  return out;
}

void close_gate(const PveFiles& files, uint32_t vmid, const Gate& gate) {
  auto lock = lock_config(ct_config_lock(files.lock_dir, vmid));
  auto file = ct_config_file(files.config_dir, vmid);
  auto text = fs::read_regular_file(file, max_ct_config_bytes);
  fs::write_atomic(file, with_gate_closed(text, gate), 0640);
}

void append_raw_lines(const PveFiles& files, uint32_t vmid, const std::vector<RawLine>& lines) {
  if (lines.empty()) return;
  auto lock = lock_config(ct_config_lock(files.lock_dir, vmid));
  auto file = ct_config_file(files.config_dir, vmid);
  auto text = fs::read_regular_file(file, max_ct_config_bytes);
  fs::write_atomic(file, with_raw_lines(text, lines), 0640);
}

}  // namespace nexcage::backend::pct
