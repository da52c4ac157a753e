#include "nexcage/process/signals.hpp"

#include <charconv>
#include <csignal>
#include <cstring>
#include <tuple>
#include <utility>

#include "nexcage/core/error.hpp"
#include "nexcage/core/text.hpp"

namespace nexcage::process {

namespace {

constexpr SignalName names[] = {
    {"HUP", SIGHUP},
    {"INT", SIGINT},
    {"QUIT", SIGQUIT},
    {"ILL", SIGILL},
    {"TRAP", SIGTRAP},
    {"ABRT", SIGABRT},
    {"BUS", SIGBUS},
    {"FPE", SIGFPE},
    {"KILL", SIGKILL},
    {"USR1", SIGUSR1},
    {"SEGV", SIGSEGV},
    {"USR2", SIGUSR2},
    {"PIPE", SIGPIPE},
    {"ALRM", SIGALRM},
    {"TERM", SIGTERM},
    {"STKFLT", SIGSTKFLT},
    {"CHLD", SIGCHLD},
    {"CONT", SIGCONT},
    {"STOP", SIGSTOP},
    {"TSTP", SIGTSTP},
    {"TTIN", SIGTTIN},
    {"TTOU", SIGTTOU},
    {"URG", SIGURG},
    {"XCPU", SIGXCPU},
    {"XFSZ", SIGXFSZ},
    {"VTALRM", SIGVTALRM},
    {"PROF", SIGPROF},
    {"WINCH", SIGWINCH},
    {"IO", SIGIO},
    {"PWR", SIGPWR},
    {"SYS", SIGSYS},
    // Aliases, after every canonical name.
    {"IOT", SIGIOT},
    {"CLD", SIGCHLD},
    {"POLL", SIGPOLL},
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

std::span<const SignalName> signal_names() {
  return names;
}

const char* signal_name(int number) {
  for (const auto& s : names)
    if (s.number == number) return s.name;
  return nullptr;
}

int parse_signal(const std::string& text) {
  int number = 0;
  if (parse_int(text, number)) {
    // 0 checks that the process exists (runc passes it on, and liveness probes use it).
    if (number < 0 || number > SIGRTMAX) invalid(text);
    return number;
  }
  const std::string upper = upper_ascii(text);
  std::string_view name(upper);
  if (name.rfind("SIG", 0) == 0) name.remove_prefix(3);
  for (const auto& s : names) {
    if (name == s.name) return s.number;
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
