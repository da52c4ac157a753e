#pragma once
// Names for files that must not collide with another command's (scratch files, backend logs,
// directories being removed): 64 random bits, in hex.
#include <string>

namespace nexcage {

// prefix + 16 hex digits + suffix.
std::string random_name(const std::string& prefix, const std::string& suffix = {});

}  // namespace nexcage
