#pragma once
#include <span>
#include <string>

namespace nexcage::process {

// "TERM", "SIGTERM", "sigterm", "15", "RTMIN+3" -> signal number. Throws Error(usage) naming the
// input for anything else.
int parse_signal(const std::string& text);

// Linux's signals by name without "SIG": every canonical name first, then the aliases (IOT, CLD,
// POLL). Realtime signals are not named here (SIGRTMIN+N).
struct SignalName {
  const char* name;
  int number;
};
std::span<const SignalName> signal_names();
// The canonical name of `number` ("TERM"); nullptr for 0, realtime and unnamed numbers.
const char* signal_name(int number);

}  // namespace nexcage::process
