#pragma once
// What /proc says about a process, read without spawning anything.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace nexcage::process {

struct ProcStat {
  char state = '?';  // R, S, D, Z, X, ...
  int ppid = 0;
  uint64_t start_time = 0;  // field 22, clock ticks since boot

  // Neither a zombie nor dead: a process that can still act or be signalled meaningfully.
  bool alive() const { return state != 'Z' && state != 'X' && state != 'x'; }
};

// Parses the content of /proc/<pid>/stat (the comm field may hold spaces and parentheses).
std::optional<ProcStat> parse_proc_stat(const std::string& content);
std::optional<ProcStat> read_proc_stat(int pid);

// The content of a pid file ("1234", optionally followed by newlines) -> 1234; nullopt for
// anything else.
std::optional<int> parse_pid(std::string_view text);

// A pid file that a backend writes (runc's --pid-file): nullopt while it does not exist or holds no
// pid yet. `text`, when given, receives what it held.
std::optional<int> read_pid_file(const std::filesystem::path& file, std::string* text = nullptr);
// Writes a pid file for the caller (--pid-file): atomically, 0644, not fsynced, as runc does.
void write_pid_file(const std::filesystem::path& file, int pid);

// True when `pid` is alive, not a zombie, and started at `start_time` (so a reused pid is dead).
bool is_same_live_process(int pid, uint64_t start_time);

}  // namespace nexcage::process
