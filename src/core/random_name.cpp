#include "nexcage/core/random_name.hpp"

#include <random>

#include <fmt/format.h>

namespace nexcage {

std::string random_name(const std::string& prefix, const std::string& suffix) {
  // Seeded once per process from the kernel; thread_local, as a shared engine would race.
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return fmt::format("{}{:016x}{}", prefix, rng(), suffix);
}

}  // namespace nexcage
