#include "nexcage/core/text.hpp"

#include <charconv>

namespace nexcage {

std::string trim(std::string_view s) {
  constexpr std::string_view space = " \t\r\n";
  auto begin = s.find_first_not_of(space);
  if (begin == std::string_view::npos) return {};
  auto end = s.find_last_not_of(space);
  return std::string(s.substr(begin, end - begin + 1));
}

std::optional<std::uint32_t> parse_u32(std::string_view s) {
  // from_chars alone would accept a leading '-' for signed types only, but it stops at the
  // first non-digit: the end pointer check refuses "12abc".
  if (s.empty() || s.front() < '0' || s.front() > '9') return std::nullopt;
  std::uint32_t value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

}  // namespace nexcage
