#include "nexcage/core/account_file.hpp"

#include "nexcage/core/text.hpp"

namespace nexcage {

std::vector<AccountEntry> parse_account_file(std::string_view text) {
  std::vector<AccountEntry> entries;
  while (!text.empty()) {
    auto end = text.find('\n');
    auto line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty() || line.front() == '#') continue;
    AccountEntry entry;
    for (;;) {
      auto colon = line.find(':');
      entry.emplace_back(line.substr(0, colon));
      if (colon == std::string_view::npos) break;
      line.remove_prefix(colon + 1);
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::optional<std::string> user_name_of(const std::vector<AccountEntry>& passwd, uint32_t uid) {
  for (const auto& e : passwd) {
    if (e.size() < 4 || !parse_u32(e[3])) continue;
    if (parse_u32(e[2]) == uid) return e[0];
  }
  return std::nullopt;
}

}  // namespace nexcage
