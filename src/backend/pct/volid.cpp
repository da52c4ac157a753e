// The template volid check, without std::regex (which recurses per character and crashes on a
// long value). It accepts exactly what this pattern, case-insensitive, accepted:
//   [a-zA-Z][a-zA-Z0-9\-_.]*[a-zA-Z0-9]:vztmpl/[^/]+\.(tar|tar\.(gz|xz|zst|bz2))
#include "nexcage/backend/pct/volid.hpp"

namespace nexcage::backend::pct {

namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
bool is_letter(char c) {
  return (lower(c) >= 'a' && lower(c) <= 'z');
}
bool is_alnum(char c) {
  return is_letter(c) || (c >= '0' && c <= '9');
}

bool ends_with_nocase(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  s.remove_prefix(s.size() - suffix.size());
  for (std::size_t i = 0; i < s.size(); ++i)
    if (lower(s[i]) != suffix[i]) return false;
  return true;
}

bool is_storage(std::string_view s) {
  if (s.size() < 2 || !is_letter(s.front()) || !is_alnum(s.back())) return false;
  for (char c : s)
    if (!is_alnum(c) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

}  // namespace

bool is_template_volid(std::string_view volid) {
  if (volid.size() > max_template_volid) return false;
  auto colon = volid.find(':');
  if (colon == std::string_view::npos || !is_storage(volid.substr(0, colon))) return false;
  auto rest = volid.substr(colon + 1);
  constexpr std::string_view dir = "vztmpl/";
  if (rest.size() < dir.size() || !ends_with_nocase(rest.substr(0, dir.size()), dir)) return false;
  auto file = rest.substr(dir.size());
  if (file.find('/') != std::string_view::npos) return false;
  for (std::string_view ext : {".tar", ".tar.gz", ".tar.xz", ".tar.zst", ".tar.bz2"})
    if (file.size() > ext.size() && ends_with_nocase(file, ext)) return true;
  return false;
}

}  // namespace nexcage::backend::pct
