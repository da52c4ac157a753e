#pragma once
// Small text helpers for what tools and the kernel print: one definition instead of a copy in
// each place that reads such output.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nexcage {

// `s` without leading and trailing spaces, tabs, CRs and newlines.
std::string trim(std::string_view s);

// The whole of `s` as a decimal unsigned 32-bit number: digits only (no sign, no spaces, no
// suffix), at most UINT32_MAX; nullopt otherwise.
std::optional<std::uint32_t> parse_u32(std::string_view s);

}  // namespace nexcage
