#include "nexcage/process/proc.hpp"

#include <charconv>
#include <sstream>
#include <string_view>
#include <vector>

#include "nexcage/core/text.hpp"
#include "nexcage/fs/files.hpp"

namespace nexcage::process {

std::optional<ProcStat> parse_proc_stat(const std::string& content) {
  // "pid (comm) state ppid ..." — comm can contain ") ", so split at the last ')'.
  auto close = content.rfind(')');
  if (close == std::string::npos || close + 2 > content.size()) return std::nullopt;
  std::istringstream rest(content.substr(close + 2));
  std::vector<std::string> fields;
  std::string word;
  while (rest >> word) fields.push_back(word);
  // fields[0] is field 3 (state); starttime is field 22 -> fields[19].
  if (fields.size() < 20 || fields[0].size() != 1) return std::nullopt;
  ProcStat st;
  st.state = fields[0][0];
  auto parse = [](const std::string& s, auto& out) {
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && ptr == s.data() + s.size();
  };
  if (!parse(fields[1], st.ppid) || !parse(fields[19], st.start_time)) return std::nullopt;
  return st;
}

std::optional<ProcStat> read_proc_stat(int pid) {
  if (pid <= 0) return std::nullopt;
  std::string content;
  if (!fs::read_proc_record("/proc/" + std::to_string(pid) + "/stat", content, 4096))
    return std::nullopt;
  return parse_proc_stat(content);
}

std::optional<int> parse_pid(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.remove_suffix(1);
  int pid = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || pid <= 0)
    return std::nullopt;
  return pid;
}

std::optional<int> read_pid_file(const std::filesystem::path& file, std::string* text) {
  std::string content;
  if (!fs::read_proc_file(file, content, 64)) return std::nullopt;
  if (text != nullptr) *text = content;
  return parse_pid(content);
}

void write_pid_file(const std::filesystem::path& file, int pid) {
  // Atomic, as runc writes it (a reader never sees it half written), but not fsynced: a pid is
  // worthless after a crash of the host, and the caller's file may be on a disk, where two
  // fsyncs cost milliseconds of every create (runc and crun do not fsync theirs either).
  fs::write_atomic(file, std::to_string(pid), 0644, fs::Durability::unsynced);
}

bool is_same_live_process(int pid, uint64_t start_time) {
  auto st = read_proc_stat(pid);
  return st && st->alive() && st->start_time == start_time;
}

}  // namespace nexcage::process
