#include "nexcage/process/signals.hpp"

#include <charconv>
#include <csignal>
#include <cstring>
#include <tuple>
#include <utility>

#include "nexcage/core/error.hpp"

namespace nexcage::process {

namespace {

constexpr std::pair<const char*, int> names[] = {
    {"HUP", SIGHUP},       {"INT", SIGINT},     {"QUIT", SIGQUIT}, {"ILL", SIGILL},
    {"TRAP", SIGTRAP},     {"ABRT", SIGABRT},   {"IOT", SIGIOT},   {"BUS", SIGBUS},
    {"FPE", SIGFPE},       {"KILL", SIGKILL},   {"USR1", SIGUSR1}, {"SEGV", SIGSEGV},
    {"USR2", SIGUSR2},     {"PIPE", SIGPIPE},   {"ALRM", SIGALRM}, {"TERM", SIGTERM},
    {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD},   {"CLD", SIGCHLD},  {"CONT", SIGCONT},
    {"STOP", SIGSTOP},     {"TSTP", SIGTSTP},   {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},
    {"URG", SIGURG},       {"XCPU", SIGXCPU},   {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM},
    {"PROF", SIGPROF},     {"WINCH", SIGWINCH}, {"IO", SIGIO},     {"POLL", SIGPOLL},
    {"PWR", SIGPWR},       {"SYS", SIGSYS},
};

bool parse_int(std::string_view s, int& out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

[[noreturn]] void invalid(const std::string& text) {
  throw Error(ErrorKind::usage, "invalid signal \"" + text + "\"",
              "use a number (15) or a name with or without SIG (TERM, SIGKILL)");
}

}  // namespace

int parse_signal(const std::string& text) {
  int number = 0;
  if (parse_int(text, number)) {
    // 0 checks that the process exists (runc passes it on, and liveness probes use it).
    if (number < 0 || number > SIGRTMAX) invalid(text);
    return number;
  }
  std::string upper;
  for (char c : text) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string_view name(upper);
  if (name.rfind("SIG", 0) == 0) name.remove_prefix(3);
  for (const auto& [n, value] : names) {
    if (name == n) return value;
  }
  // RTMIN, RTMIN+N, RTMAX, RTMAX-N
  struct Realtime {
    int base;
    int sign;
    const char* prefix;
  };
  for (const Realtime& rt : {Realtime{SIGRTMIN, 1, "RTMIN"}, Realtime{SIGRTMAX, -1, "RTMAX"}}) {
    const auto [base, sign, prefix] = rt;
    if (name.rfind(prefix, 0) != 0) continue;
    auto rest = name.substr(std::strlen(prefix));
    if (rest.empty()) return base;
    int offset = 0;
    if (rest.size() > 1 && rest[0] == (sign > 0 ? '+' : '-') && parse_int(rest.substr(1), offset)) {
      int value = base + sign * offset;
      if (value >= SIGRTMIN && value <= SIGRTMAX) return value;
    }
  }
  invalid(text);
}

}  // namespace nexcage::process
