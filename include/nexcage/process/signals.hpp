#pragma once
#include <string>

namespace nexcage::process {

// "TERM", "SIGTERM", "sigterm", "15", "RTMIN+3" -> signal number. Throws Error(usage) naming the
// input for anything else.
int parse_signal(const std::string& text);

}  // namespace nexcage::process
